#include "k7.h"

#include "../board/board.h"
#include "../board/console.h"
#include "../board/cpu.h"
#include "../board/systime.h"
#include "at_commands.h"
#include "settings_store.h"

/* A byte can reach the application up to one UART receive time-out after its stop bit, plus one
 * main-loop period (the loop wakes at least every 1 ms SysTick). Timers of the escape detector wait
 * that long before deciding that no more byte is coming. */
#define K7_LOOP_SLACK_US 1500u

static void port_write(void *io, const uint8_t *data, size_t len)
{
    uart_write((struct uart_dev *)io, data, len);
}

static void enter_transparent(struct k7_app *app)
{
    app->mode = K7_MODE_TRANSPARENT;
}

static void enter_at(struct k7_app *app)
{
    app->mode = K7_MODE_AT;
    k7_at_reset(&app->at);
}

/* One byte of user data, ended at t_us: into the buffer and the packer. */
static void put_data(struct k7_app *app, uint8_t byte, uint64_t t_us)
{
    uint32_t dropped_before = app->prebuf.dropped;
    k7_prebuf_put(&app->prebuf, byte);
    if (app->prebuf.dropped != dropped_before) {
        k7_packer_discard(&app->packer, app->prebuf.dropped - dropped_before);
        if (!app->prebuf_overflowing) {
            app->prebuf_overflowing = true;
            console_log("pre-connection buffer full (%u bytes): dropping the oldest bytes", K7_PREBUF_SIZE);
        }
    }
    k7_packer_feed(&app->packer, t_us);
}

/* "+" bytes the escape detector holds, and when the newest of them ended: if it releases them, they
 * are data of that time (they come first in its output). */
struct held_plus {
    uint8_t count;
    uint64_t t_us;
};

static struct held_plus held_plus(const struct k7_escape *e)
{
    struct held_plus h = {0, 0};
    if (e->state == K7_ESC_PLUS1 || e->state == K7_ESC_PLUS2) {
        h.count = e->held;
        h.t_us = e->last_plus_us;
    }
    return h;
}

/* Data the escape detector let through, and what it asks for. Released "+" bytes carry the time of
 * the held "+"; any other byte is the one just received (t_us). */
static void apply_escape_out(struct k7_app *app, const struct k7_esc_out *out, struct held_plus held, uint64_t t_us)
{
    for (uint8_t i = 0; i < out->len; i++) {
        put_data(app, out->data[i], i < held.count ? held.t_us : t_us);
    }
    switch (out->event) {
    case K7_ESC_EVENT_SEND_A:
        uart_write(app->port, "a", 1);
        console_log("escape: \"+++\" recognised, answered \"a\"");
        break;
    case K7_ESC_EVENT_ENTER_AT:
        uart_write(app->port, "+ok", 3);
        enter_at(app);
        console_log("mode: AT command");
        break;
    case K7_ESC_EVENT_EXPIRED:
        console_log("escape: no \"a\" from the host within 3 s, staying transparent");
        break;
    case K7_ESC_EVENT_NONE:
        break;
    }
}

static void transparent_byte(struct k7_app *app, const struct uart_rx_byte *rx)
{
    if (app->swallow_lf) {
        app->swallow_lf = false;
        if (rx->data == '\n' && rx->t_us <= app->left_at_us + app->frame_us + app->guard_us) {
            k7_escape_note_activity(&app->escape, rx->t_us);
            return; /* the LF of "AT+ENTM\r\n" belongs to the command, not to the user data */
        }
    }
    struct k7_esc_out out;
    struct held_plus held = held_plus(&app->escape);
    k7_escape_feed(&app->escape, rx->data, rx->t_us, systime_us(), &out);
    apply_escape_out(app, &out, held, rx->t_us);
}

static void at_byte(struct k7_app *app, const struct uart_rx_byte *rx)
{
    k7_escape_note_activity(&app->escape, rx->t_us); /* the idle guard counts every byte on the line */
    switch (k7_at_feed(&app->at, rx->data)) {
    case K7_AT_AFTER_LEAVE:
        enter_transparent(app);
        app->swallow_lf = true;
        app->left_at_us = rx->t_us;
        console_log("mode: transparent (AT+ENTM)");
        break;
    case K7_AT_AFTER_RESTART:
        app->restart_pending = true;
        console_log("restart requested");
        break;
    case K7_AT_AFTER_NONE:
        break;
    }
}

/* Flow control towards the host: hardware (RTS) or software (XOFF/XON) follows the fill level of
 * the buffer user data waits in, with hysteresis (stop at >= 75 %, go again below 25 %). Called every
 * main-loop pass: after the received bytes went in, and after the network took data out. */
static void update_flow(struct k7_app *app)
{
    if (app->flow == K7_FLOW_NONE) {
        return;
    }
    uint32_t fill = k7_prebuf_count(&app->prebuf);
    bool stop = !app->flow_stopped && fill >= K7_FLOW_STOP_AT;
    bool go = app->flow_stopped && fill < K7_FLOW_GO_BELOW;
    if (!stop && !go) {
        return;
    }
    app->flow_stopped = stop;
    if (app->flow == K7_FLOW_HW) {
        board_set_rts(stop); /* active low: high = deasserted */
        console_log("flow: RTS %s, %lu bytes buffered", stop ? "deasserted" : "asserted", (unsigned long)fill);
    } else {
        bool sent = uart_send_flow_char(app->port, stop ? UART_XOFF : UART_XON);
        console_log("flow: %s%s, %lu bytes buffered", stop ? "XOFF" : "XON", sent ? "" : " not sent (TX held)",
                    (unsigned long)fill);
    }
}

bool k7_app_start(struct k7_app *app, struct k7_settings *settings, struct uart_dev *port, uint32_t clk_hz,
                  const char *version)
{
    bool ok = true;
    app->settings = settings;
    app->port = port;
    app->swallow_lf = false;
    app->left_at_us = 0;
    app->restart_pending = false;
    app->prebuf_overflowing = false;
    app->line_pending = false;
    k7_prebuf_init(&app->prebuf);

    struct uart_config cfg = k7_serial_uart_config(&settings->serial);
    if (!uart_open(port, clk_hz, &cfg)) {
        /* Settings that cannot be programmed: fall back to the factory line settings so the module
         * stays reachable for AT commands. */
        struct k7_settings factory;
        k7_settings_factory(&factory);
        settings->serial = factory.serial;
        cfg = k7_serial_uart_config(&settings->serial);
        uart_open(port, clk_hz, &cfg);
        ok = false;
    }

    app->frame_us = (uart_byte_time_ns(port) + 500u) / 1000u;
    app->guard_us = k7_pack_time_us(&settings->serial);
    k7_escape_init(&app->escape, app->guard_us, uart_byte_time_ns(port),
                   (uart_rx_timeout_ns(port) + 999u) / 1000u + K7_LOOP_SLACK_US);
    k7_packer_init(&app->packer, app->guard_us, k7_pack_length(&settings->serial), uart_byte_time_ns(port),
                   uart_rx_timeout_ns(port));
    k7_at_init(&app->at, k7_at_tables, settings, version, k7_store_save, port_write, port);
    enter_transparent(app);

    /* RTS and CTS for the flow mode (§3.1, §4.3.2; k7-behaviour.md "Pins"). */
    app->flow = settings->serial.flow;
    app->flow_stopped = false;
    board_route_cts(app->flow == K7_FLOW_HW);
    if (app->flow == K7_FLOW_NONE) {
        uart_set_direction_control(port, board_set_rts); /* RS485: RTS high while transmitting */
    } else {
        uart_set_direction_control(port, NULL);
        board_set_rts(false); /* hardware flow: asserted (active low); XON/XOFF: unused, low */
    }

    static const char *const parity_names = "NOEMS";
    console_log("serial port: UART1 %lu %u%c%u, flow %s, T1 %lu us, pack length %lu",
                (unsigned long)settings->serial.baud, settings->serial.data_bits,
                parity_names[settings->serial.parity], settings->serial.stop_bits,
                settings->serial.flow == K7_FLOW_HW ? "RTS/CTS" : settings->serial.flow == K7_FLOW_XONXOFF ? "XON/XOFF" : "none (RS485 on RTS)",
                (unsigned long)app->guard_us, (unsigned long)k7_pack_length(&settings->serial));
    console_log("packing: T %lu us, L %lu bytes, a packet closes %lu us after its last byte when idle",
                (unsigned long)app->packer.time_us, (unsigned long)app->packer.length,
                (unsigned long)(app->packer.time_us + app->packer.close_wait_us));
    console_log("mode: transparent (data kept in the %u-byte pre-connection buffer until a client connects)",
                K7_PREBUF_SIZE);
    return ok;
}

/* Timing of the escape detector and the packer for the port's current line settings. */
static void apply_line_timing(struct k7_app *app, const struct k7_serial_settings *line)
{
    app->frame_us = (uart_byte_time_ns(app->port) + 500u) / 1000u;
    app->guard_us = k7_pack_time_us(line);
    k7_escape_init(&app->escape, app->guard_us, uart_byte_time_ns(app->port),
                   (uart_rx_timeout_ns(app->port) + 999u) / 1000u + K7_LOOP_SLACK_US);
    k7_packer_init(&app->packer, app->guard_us, k7_pack_length(line), uart_byte_time_ns(app->port),
                   uart_rx_timeout_ns(app->port));
}

bool k7_app_request_line(struct k7_app *app, const struct k7_serial_settings *line, uint32_t clk_hz)
{
    struct uart_config cfg = k7_serial_uart_config(line);
    if (!uart_config_valid(&cfg, clk_hz)) {
        return false;
    }
    app->pending_line = *line;
    app->pending_clk_hz = clk_hz;
    app->line_pending = true;
    return true;
}

static void switch_line(struct k7_app *app)
{
    struct uart_config cfg = k7_serial_uart_config(&app->pending_line);
    app->line_pending = false;
    uart_open(app->port, app->pending_clk_hz, &cfg);
    apply_line_timing(app, &app->pending_line);
    /* Data waiting for the network stays; its packet boundaries start afresh as one packet. */
    uint64_t now = systime_us();
    for (uint32_t i = 0; i < k7_prebuf_count(&app->prebuf); i++) {
        k7_packer_feed(&app->packer, now);
    }
    console_log("serial port: now %lu baud, %u data bits, %u stop bits (similar RFC2217, not saved)",
                (unsigned long)app->pending_line.baud, app->pending_line.data_bits, app->pending_line.stop_bits);
}

void k7_app_poll(struct k7_app *app)
{
    if (app->line_pending && uart_tx_idle(app->port)) {
        switch_line(app);
    }

    struct uart_rx_byte rx;
    while (uart_rx_pop(app->port, &rx)) {
        if (app->mode == K7_MODE_TRANSPARENT) {
            transparent_byte(app, &rx);
        } else {
            at_byte(app, &rx);
        }
    }

    if (app->mode == K7_MODE_TRANSPARENT && k7_escape_busy(&app->escape)) {
        struct k7_esc_out out;
        struct held_plus held = held_plus(&app->escape);
        k7_escape_poll(&app->escape, systime_us(), &out);
        apply_escape_out(app, &out, held, held.t_us);
    }

    update_flow(app);

    /* Close the open packet once the line has been idle for T (judged from the bytes' timestamps). */
    k7_packer_poll(&app->packer, systime_us());

    if (app->restart_pending && uart_tx_idle(app->port)) {
        cpu_system_reset();
    }
}

bool k7_app_has_work(const struct k7_app *app)
{
    if (uart_rx_available(app->port) || ((app->restart_pending || app->line_pending) && uart_tx_idle(app->port))) {
        return true;
    }
    if (app->flow != K7_FLOW_NONE && app->flow_stopped && k7_prebuf_count(&app->prebuf) < K7_FLOW_GO_BELOW) {
        return true; /* the network took the data: let the host send again now, not at the next tick */
    }
    /* An open packet closes at its deadline. The 1 ms SysTick wakes the loop anyway; only when the
     * deadline comes before the next tick does the loop stay awake (at most one tick) to close the
     * packet on time. Ticks fall on whole milliseconds of systime. */
    uint64_t at;
    if (k7_packer_deadline(&app->packer, &at)) {
        uint64_t now = systime_us();
        uint64_t next_tick = now - now % 1000u + 1000u;
        if (at < next_tick) {
            return true;
        }
    }
    return false;
}
