/*
 * UART driver. See uart.h for the model; this file explains the timestamps.
 *
 * Arrival times. The CPU only learns about received bytes when an interrupt drains the FIFO, so a
 * byte's arrival (end of its stop bit) is reconstructed from what the interrupt tells us:
 *
 *   - FIFO-level interrupt (trigger 1/8 = 2 characters): the newest byte has just completed.
 *     Its time is "now" (read after draining, so bytes that completed during the drain are covered).
 *   - Receive time-out alone: the newest byte completed one time-out (32 bit periods) ago.
 *   - Older bytes of the same batch are placed back to back before the newest one, one frame time
 *     apart. A batch never spans a gap longer than the time-out, because a longer gap would have
 *     raised the time-out and ended the batch; so the error of an older byte is below one time-out
 *     (~3.2 byte times) and it can only make a gap look shorter, never longer.
 *   - Times never go backwards and two bytes are never closer than one frame time.
 *   - The UART puts a character into the FIFO when it samples the stop bit, up to half a bit before
 *     the stop bit ends; every stamp shares that offset, so gaps between bytes are unaffected.
 *
 * Consequence for the "+++" guard: an idle gap of at least 4 byte times (the default effective pack
 * time T1) is always longer than the time-out, so the byte before the gap and the "+" after it are in
 * different batches and the gap is measured from two well-anchored times.
 *
 * The 32-bit microsecond stamps wrap after ~71 minutes; uart_rx_pop() widens them to the 64-bit
 * clock, which is exact as long as a byte is consumed within ~35 minutes of its arrival.
 */
#include "uart.h"

#include "cpu.h"
#include "sysctl.h"
#include "systime.h"
#include "tm4c1294.h"

#define RX_BATCH_MAX    32u /* > FIFO depth: bytes completing during the drain are taken too */
#define RT_BIT_PERIODS  32u
#define BUSY_POLL_LIMIT 200000u

#define RX_IRQS (UART_INT_RX | UART_INT_RT | UART_INT_FE | UART_INT_PE | UART_INT_BE | UART_INT_OE)

uint32_t uart_frame_bits(const struct uart_config *cfg)
{
    return 1u + cfg->data_bits + (cfg->parity == UART_PARITY_NONE ? 0u : 1u) + cfg->stop_bits;
}

/* Baud divisor in 1/64 units: IBRD = x >> 6, FBRD = x & 63, with ClkDiv 16, or 8 when HSE. */
static bool divisor(uint32_t clk_hz, uint32_t baud, bool *hse, uint32_t *x)
{
    if (baud == 0) {
        return false;
    }
    *hse = (uint64_t)baud * 16u > clk_hz;
    uint64_t num = (uint64_t)clk_hz * (*hse ? 8u : 4u); /* 64 / ClkDiv */
    uint64_t v = (num + baud / 2u) / baud;
    if ((v >> 6) == 0 || (v >> 6) > 0xFFFFu) {
        return false;
    }
    *x = (uint32_t)v;
    return true;
}

bool uart_config_valid(const struct uart_config *cfg, uint32_t clk_hz)
{
    bool hse;
    uint32_t x;
    if (cfg->data_bits < 5 || cfg->data_bits > 8 || (cfg->stop_bits != 1 && cfg->stop_bits != 2) ||
        cfg->parity > UART_PARITY_SPACE) {
        return false;
    }
    return divisor(clk_hz, cfg->baud, &hse, &x);
}

static uint32_t lcrh_for(const struct uart_config *cfg)
{
    uint32_t v = UART_LCRH_FEN | ((uint32_t)(cfg->data_bits - 5u) << UART_LCRH_WLEN_SHIFT);
    if (cfg->stop_bits == 2) {
        v |= UART_LCRH_STP2;
    }
    switch (cfg->parity) {
    case UART_PARITY_NONE: break;
    case UART_PARITY_ODD: v |= UART_LCRH_PEN; break;
    case UART_PARITY_EVEN: v |= UART_LCRH_PEN | UART_LCRH_EPS; break;
    case UART_PARITY_MARK: v |= UART_LCRH_PEN | UART_LCRH_SPS; break;             /* parity bit 1 */
    case UART_PARITY_SPACE: v |= UART_LCRH_PEN | UART_LCRH_SPS | UART_LCRH_EPS; break; /* bit 0 */
    }
    return v;
}

bool uart_open(struct uart_dev *u, uint32_t clk_hz, const struct uart_config *cfg)
{
    bool hse;
    uint32_t x;
    if (!uart_config_valid(cfg, clk_hz) || !divisor(clk_hz, cfg->baud, &hse, &x)) {
        return false;
    }

    nvic_disable(u->irq);
    if (!sysctl_enable(SYSCTL_SFX_UART, SYSCTL_UART(u->instance))) {
        return false;
    }

    /* Quiesce: disable, let a character in the shifter finish, flush the FIFOs (FEN = 0). */
    reg_clear(u->base + UART_CTL, UART_CTL_UARTEN);
    for (uint32_t i = 0; i < BUSY_POLL_LIMIT && (reg_read(u->base + UART_FR) & UART_FR_BUSY); i++) {
    }
    reg_clear(u->base + UART_LCRH, UART_LCRH_FEN);
    reg_write(u->base + UART_IM, 0);
    reg_write(u->base + UART_ICR, UART_INT_ALL);

    u->config = *cfg;
    uint32_t bits = uart_frame_bits(cfg);
    u->byte_ns = (uint32_t)(((uint64_t)bits * 1000000000u + cfg->baud / 2u) / cfg->baud);
    uint64_t rt_ns = ((uint64_t)(hse ? 2u * RT_BIT_PERIODS : RT_BIT_PERIODS) * 1000000000u + cfg->baud / 2u) /
                     cfg->baud;
    u->timeout_ns = rt_ns > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)rt_ns;
    u->rx_head = u->rx_tail = 0;
    u->tx_head = u->tx_tail = 0;
    u->have_last_rx = false;
    u->tx_held = false;
    if (u->dir != NULL && u->dir_on) {
        u->dir(false); /* whatever was in flight was flushed with the FIFOs */
    }
    u->dir_on = false;

    /* Divisor first; the LCRH write latches IBRD/FBRD/LCRH together. */
    reg_write(u->base + UART_IBRD, x >> 6);
    reg_write(u->base + UART_FBRD, x & 0x3Fu);
    reg_write(u->base + UART_LCRH, lcrh_for(cfg));
    reg_write(u->base + UART_CC, UART_CC_SYSCLK);
    reg_write(u->base + UART_IFLS,
              (UART_IFLS_1_8 << UART_IFLS_RX_SHIFT) | (UART_IFLS_1_8 << UART_IFLS_TX_SHIFT));
    reg_write(u->base + UART_DMACTL, 0);
    reg_write(u->base + UART_IM, RX_IRQS); /* TX is enabled on demand by uart_write() */

    uint32_t ctl = UART_CTL_UARTEN | UART_CTL_TXE | UART_CTL_RXE;
    if (hse) {
        ctl |= UART_CTL_HSE;
    }
    if (cfg->cts_flow) {
        ctl |= UART_CTL_CTSEN;
    }
    reg_write(u->base + UART_CTL, ctl);

    nvic_set_priority(u->irq, u->irq_priority);
    nvic_clear_pending(u->irq);
    nvic_enable(u->irq);
    return true;
}

/* ---- TX ---------------------------------------------------------------------------------------- */

/* Move ring bytes into the FIFO while it has room. Caller holds irq_save() or is the ISR. */
static void tx_fill(struct uart_dev *u)
{
    while (u->tx_tail != u->tx_head && !(reg_read(u->base + UART_FR) & UART_FR_TXFF)) {
        reg_write(u->base + UART_DR, u->tx_data[u->tx_tail & u->tx_mask]);
        u->tx_tail = u->tx_tail + 1u;
        u->stats.tx_bytes++;
    }
}

/* RS485: direction output on before a character reaches an idle transmitter. The start bit begins at
 * the next baud tick after the DR write, so the output leads it by at most the few cycles of this
 * call plus one sixteenth of a bit. Caller holds irq_save() or is the ISR. */
static void dir_begin(struct uart_dev *u)
{
    if (u->dir == NULL || u->dir_on || u->tx_tail == u->tx_head) {
        return;
    }
    u->dir_on = true;
    reg_write(u->base + UART_ICR, UART_INT_EOT); /* an old end of transmission is not this one's */
    reg_set(u->base + UART_IM, UART_INT_EOT);
    u->dir(true); /* last: as close as possible to the DR write that follows */
}

/* RS485: EOT says the FIFO is empty and the last stop bit has left. If nothing was queued meanwhile
 * the transmission is over: direction output off. */
static void dir_end(struct uart_dev *u)
{
    uint32_t fr = reg_read(u->base + UART_FR);
    if (!u->dir_on || u->tx_tail != u->tx_head || !(fr & UART_FR_TXFE) || (fr & UART_FR_BUSY)) {
        return; /* still (or again) transmitting: the next EOT ends it */
    }
    u->dir(false);
    u->dir_on = false;
    reg_clear(u->base + UART_IM, UART_INT_EOT);
}

void uart_set_direction_control(struct uart_dev *u, uart_dir_fn dir)
{
    uint32_t key = irq_save();
    if (u->dir != NULL && u->dir_on) {
        u->dir(false);
    }
    u->dir = dir;
    u->dir_on = false;
    reg_clear(u->base + UART_IM, UART_INT_EOT);
    if (dir != NULL) {
        dir(false); /* receive while idle */
        dir_begin(u); /* bytes already queued */
    }
    irq_restore(key);
}

/* After a fill, bytes left in the ring imply the FIFO is full, so its level will fall through the
 * trigger and raise the TX interrupt: enable it. An empty ring needs no interrupt. */
static void tx_update_irq(struct uart_dev *u)
{
    if (u->tx_tail != u->tx_head) {
        reg_set(u->base + UART_IM, UART_INT_TX);
    } else {
        reg_clear(u->base + UART_IM, UART_INT_TX);
    }
}

uint32_t uart_tx_free(const struct uart_dev *u)
{
    return (u->tx_mask + 1u) - (u->tx_head - u->tx_tail);
}

size_t uart_write(struct uart_dev *u, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t n = 0;
    uint32_t free_slots = uart_tx_free(u);
    while (n < len && n < free_slots) {
        u->tx_data[(u->tx_head + n) & u->tx_mask] = p[n];
        n++;
    }
    u->stats.tx_ring_full += (uint32_t)(len - n);

    uint32_t key = irq_save();
    u->tx_head = u->tx_head + (uint32_t)n; /* publish, then prime the FIFO */
    dir_begin(u);
    tx_fill(u);
    tx_update_irq(u);
    irq_restore(key);
    return n;
}

bool uart_send_flow_char(struct uart_dev *u, uint8_t c)
{
    /* A character time at the slowest rate the driver accepts is far below this many polls. */
    for (uint32_t i = 0; i < BUSY_POLL_LIMIT; i++) {
        uint32_t key = irq_save();
        if (!(reg_read(u->base + UART_FR) & UART_FR_TXFF)) {
            reg_write(u->base + UART_DR, c);
            u->stats.tx_bytes++;
            irq_restore(key);
            return true;
        }
        irq_restore(key);
        if (u->tx_held) {
            return false; /* the FIFO will not drain while the peer holds us */
        }
    }
    return false;
}

size_t uart_write_str(struct uart_dev *u, const char *s)
{
    size_t len = 0;
    while (s[len]) {
        len++;
    }
    return uart_write(u, s, len);
}

bool uart_tx_idle(const struct uart_dev *u)
{
    uint32_t fr = reg_read(u->base + UART_FR);
    return u->tx_head == u->tx_tail && (fr & UART_FR_TXFE) && !(fr & UART_FR_BUSY);
}

/* ---- RX ---------------------------------------------------------------------------------------- */

bool uart_rx_available(const struct uart_dev *u)
{
    return u->rx_head != u->rx_tail;
}

bool uart_rx_pop(struct uart_dev *u, struct uart_rx_byte *out)
{
    uint32_t tail = u->rx_tail;
    if (tail == u->rx_head) {
        return false;
    }
    out->data = u->rx_data[tail & u->rx_mask];
    out->errors = u->rx_err[tail & u->rx_mask];
    out->t_us = systime_widen(u->rx_time[tail & u->rx_mask]);
    u->rx_tail = tail + 1u;
    return true;
}

static void rx_store(struct uart_dev *u, uint8_t data, uint8_t err, uint32_t t)
{
    if (u->rx_head - u->rx_tail > u->rx_mask) {
        u->stats.rx_ring_full++;
        return;
    }
    uint32_t i = u->rx_head & u->rx_mask;
    u->rx_data[i] = data;
    u->rx_err[i] = err;
    u->rx_time[i] = t;
    u->rx_head = u->rx_head + 1u;
}

/* XON/XOFF from the peer. Clearing TXE lets the character on the line finish and starts no other
 * (PL011); the FIFO and the ring keep their bytes. */
static void rx_flow_char(struct uart_dev *u, uint8_t c)
{
    if (c == UART_XOFF) {
        u->tx_held = true;
        reg_clear(u->base + UART_CTL, UART_CTL_TXE);
    } else {
        u->tx_held = false;
        reg_set(u->base + UART_CTL, UART_CTL_TXE);
    }
}

static void rx_drain(struct uart_dev *u, bool newest_is_now)
{
    uint8_t data[RX_BATCH_MAX];
    uint8_t err[RX_BATCH_MAX];
    const uint32_t byte_us = u->byte_ns / 1000u;

    for (;;) {
        uint32_t n = 0;
        while (n < RX_BATCH_MAX && !(reg_read(u->base + UART_FR) & UART_FR_RXFE)) {
            uint32_t dr = reg_read(u->base + UART_DR);
            data[n] = (uint8_t)(dr & UART_DR_DATA_MASK);
            err[n] = (uint8_t)((dr >> UART_DR_ERR_SHIFT) & 0xFu);
            n++;
        }
        if (n == 0) {
            return;
        }

        uint32_t newest = systime_us32();
        if (!newest_is_now) {
            newest -= u->timeout_ns / 1000u;
        }
        for (uint32_t i = 0; i < n; i++) {
            uint32_t t = newest - (uint32_t)(((uint64_t)(n - 1u - i) * u->byte_ns) / 1000u);
            if (u->have_last_rx && (int32_t)(t - (u->last_rx_t32 + byte_us)) < 0) {
                t = u->last_rx_t32 + byte_us;
            }
            u->last_rx_t32 = t;
            u->have_last_rx = true;

            if (u->config.xonxoff && err[i] == 0 && (data[i] == UART_XOFF || data[i] == UART_XON)) {
                rx_flow_char(u, data[i]);
                continue; /* flow control, not data (its time still counts for the stamps) */
            }
            if (err[i] & UART_RXERR_OVERRUN) u->stats.rx_overrun++;
            if (err[i] & UART_RXERR_FRAMING) u->stats.rx_framing++;
            if (err[i] & UART_RXERR_PARITY) u->stats.rx_parity++;
            if (err[i] & UART_RXERR_BREAK) u->stats.rx_break++;
            u->stats.rx_bytes++;
            rx_store(u, data[i], err[i], t);
        }
        newest_is_now = true; /* a further batch in the same interrupt arrived during this one */
    }
}

void uart_isr(struct uart_dev *u)
{
    uint32_t mis = reg_read(u->base + UART_MIS);
    reg_write(u->base + UART_ICR, mis);

    if (mis & (UART_INT_RX | UART_INT_RT)) {
        /* Only the FIFO-level interrupt says the newest byte completed just now. */
        rx_drain(u, (mis & UART_INT_RX) != 0);
    }
    if (mis & UART_INT_TX) {
        tx_fill(u);
        tx_update_irq(u);
    }
    if (mis & UART_INT_EOT) {
        dir_end(u);
    }
}
