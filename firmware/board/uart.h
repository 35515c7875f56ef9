/*
 * Interrupt-driven UART driver: software ring buffers on top of the 16-byte hardware FIFOs.
 *
 * RX: the ISR drains the FIFO on the FIFO-level interrupt (2 characters) and on the receive
 * time-out (32 bit periods without a new character). Every received byte is stored with an
 * estimate of the moment its stop bit ended, in microseconds of the systime clock (see uart.c for
 * how the estimate is made and how good it is).
 *
 * TX: uart_write() copies into the ring and primes the hardware FIFO. The TX interrupt on the
 * TM4C fires when the FIFO level falls through the trigger level, so it is only relied on while the
 * FIFO has been filled above that level; the ring is then refilled from the ISR.
 *
 * RS485 direction (optional, uart_set_direction_control): the direction output goes on before the
 * first character of a transmission is written to the idle transmitter, and off in the end-of-
 * transmission interrupt (IM.EOT, bit 11: FIFO empty and the last stop bit sent), which fires
 * without CTL.EOT so the FIFO-level TX interrupt keeps refilling the FIFO back to back.
 *
 * One struct uart_dev per UART instance; its buffers are supplied by the owner (see UART_DEV_DEFINE)
 * so sizes are chosen per port and nothing is allocated at run time.
 */
#ifndef K7_BOARD_UART_H
#define K7_BOARD_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum uart_parity { UART_PARITY_NONE, UART_PARITY_ODD, UART_PARITY_EVEN, UART_PARITY_MARK, UART_PARITY_SPACE };

struct uart_config {
    uint32_t baud;
    uint8_t data_bits;  /* 5..8 */
    uint8_t stop_bits;  /* 1 or 2 */
    enum uart_parity parity;
    bool cts_flow;      /* CTS gates TX (CTSEN; the pin must be muxed to UnCTS). RTS is never given to
                           the UART's FIFO logic: its owner drives it (RS485 direction, buffer level). */
    bool xonxoff;       /* software flow control: a received XOFF stops TX after the character on the
                           line, XON resumes it; both are consumed (never stored as data) */
};

#define UART_XON  0x11u
#define UART_XOFF 0x13u

/* RS485 direction output: called with true just before the first start bit of a transmission (the
 * line was idle) and with false once the last stop bit has left the pin (EOT interrupt). Runs in
 * thread mode under PRIMASK or in the UART's interrupt handler. */
typedef void (*uart_dir_fn)(bool transmit);

/* Error bits stored with each received byte (same positions as DR[11:8] >> 8). */
#define UART_RXERR_FRAMING 0x1u
#define UART_RXERR_PARITY  0x2u
#define UART_RXERR_BREAK   0x4u
#define UART_RXERR_OVERRUN 0x8u

struct uart_rx_byte {
    uint8_t data;
    uint8_t errors;  /* UART_RXERR_* */
    uint64_t t_us;   /* end of the stop bit (estimate), systime microseconds */
};

struct uart_stats {
    uint32_t rx_bytes;
    uint32_t rx_ring_full;  /* bytes lost because the consumer did not keep up */
    uint32_t rx_overrun;    /* hardware FIFO overruns (OE) */
    uint32_t rx_framing;
    uint32_t rx_parity;
    uint32_t rx_break;
    uint32_t tx_bytes;
    uint32_t tx_ring_full;  /* bytes refused by uart_write() */
};

struct uart_dev {
    /* fixed at definition */
    uint32_t base;
    uint8_t instance;  /* n of UARTn: RCGC/PR bit */
    int irq;
    uint8_t irq_priority;
    uint8_t *rx_data;
    uint8_t *rx_err;
    uint32_t *rx_time;  /* low 32 bits of systime_us() */
    uint32_t rx_mask;   /* ring size - 1 (size is a power of two) */
    uint8_t *tx_data;
    uint32_t tx_mask;

    /* ring indices: free-running, producer writes head, consumer writes tail */
    volatile uint32_t rx_head, rx_tail;
    volatile uint32_t tx_head, tx_tail;

    /* line timing of the current configuration */
    struct uart_config config;
    uint32_t byte_ns;     /* one character frame */
    uint32_t timeout_ns;  /* receive time-out: 32 (HSE: 64) bit periods */
    uint32_t last_rx_t32; /* timestamp of the newest stored byte (ISR only) */
    bool have_last_rx;

    /* RS485 direction control (NULL: none) and whether the direction output is on right now */
    uart_dir_fn dir;
    volatile bool dir_on;
    /* XON/XOFF: the peer sent XOFF (TX held: CTL.TXE cleared) */
    volatile bool tx_held;

    struct uart_stats stats;
};

/* Define a UART instance with its own ring buffers (sizes must be powers of two). */
#define UART_DEV_DEFINE(var, n, irqn, prio, rx_size, tx_size)                                      \
    _Static_assert(((rx_size) & ((rx_size) - 1)) == 0 && ((tx_size) & ((tx_size) - 1)) == 0,        \
                   "UART ring sizes must be powers of two");                                       \
    static uint8_t var##_rx_data[rx_size];                                                         \
    static uint8_t var##_rx_err[rx_size];                                                          \
    static uint32_t var##_rx_time[rx_size];                                                        \
    static uint8_t var##_tx_data[tx_size];                                                         \
    struct uart_dev var = {                                                                        \
        .base = UART_BASE(n), .instance = (n), .irq = (irqn), .irq_priority = (prio),              \
        .rx_data = var##_rx_data, .rx_err = var##_rx_err, .rx_time = var##_rx_time,                \
        .rx_mask = (rx_size) - 1u, .tx_data = var##_tx_data, .tx_mask = (tx_size) - 1u,            \
    }

/* True when the driver can program this line format from a clock of clk_hz. */
bool uart_config_valid(const struct uart_config *cfg, uint32_t clk_hz);

/* Clock the UART, program it from clk_hz (system clock), enable it and its interrupt. Bytes still in
 * the rings are discarded. The pins must already be muxed. Returns false on an invalid config. */
bool uart_open(struct uart_dev *u, uint32_t clk_hz, const struct uart_config *cfg);

/* Drive `dir` around every transmission from now on (NULL: stop; the output is then left off). */
void uart_set_direction_control(struct uart_dev *u, uart_dir_fn dir);

/* XON/XOFF: send a flow control character ahead of the queued data (it goes into the hardware FIFO
 * directly, behind at most the 16 characters already there). Returns false when the FIFO stayed full
 * for a character time (e.g. the peer holds us with XOFF). */
bool uart_send_flow_char(struct uart_dev *u, uint8_t c);

/* Queue bytes for transmission; returns how many were accepted (the rest did not fit). */
size_t uart_write(struct uart_dev *u, const void *data, size_t len);
size_t uart_write_str(struct uart_dev *u, const char *s);
uint32_t uart_tx_free(const struct uart_dev *u);
/* Ring empty, FIFO empty and the shifter idle: the last stop bit has left the pin. */
bool uart_tx_idle(const struct uart_dev *u);

/* Received bytes, oldest first. */
bool uart_rx_available(const struct uart_dev *u);
bool uart_rx_pop(struct uart_dev *u, struct uart_rx_byte *out);

/* Duration of one character frame of the current configuration. */
static inline uint32_t uart_byte_time_ns(const struct uart_dev *u) { return u->byte_ns; }
/* The receive time-out: the longest a byte can sit in the FIFO before the driver sees it. */
static inline uint32_t uart_rx_timeout_ns(const struct uart_dev *u) { return u->timeout_ns; }

/* Bits in one character frame: start + data + parity + stop. */
uint32_t uart_frame_bits(const struct uart_config *cfg);

/* Called from the instance's interrupt handler. */
void uart_isr(struct uart_dev *u);

#endif
