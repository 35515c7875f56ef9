/*
 * The K7 application: the module's serial port in transparent mode or AT mode.
 *
 * Transparent mode: every received byte goes through the "+++" detector; what it releases is user
 * data. User data is held in the pre-connection buffer (the 2 KB buffer the module keeps until a
 * connection exists), cut into packets by the packer (packer.h); the network side (net/sockets.c)
 * takes it from there to the sockets' connections, one closed packet at a time.
 * AT mode: bytes go to the AT interpreter; AT+ENTM returns to transparent mode.
 */
#ifndef K7_APP_K7_H
#define K7_APP_K7_H

#include <stdbool.h>
#include <stdint.h>

#include "../board/uart.h"
#include "at.h"
#include "escape.h"
#include "packer.h"
#include "prebuf.h"
#include "settings.h"

enum k7_mode { K7_MODE_TRANSPARENT, K7_MODE_AT };

struct k7_app {
    struct k7_settings *settings;
    struct uart_dev *port;
    enum k7_mode mode;
    struct k7_escape escape;
    struct k7_at at;
    struct k7_prebuf prebuf;
    struct k7_packer packer;  /* packet boundaries of the data in prebuf (packing rule) */

    uint32_t frame_us;
    uint32_t guard_us;        /* T1 = effective pack time */
    bool swallow_lf;          /* AT+ENTM<CR> may be followed by the LF of a CR LF ending */
    uint64_t left_at_us;      /* end of that CR */
    bool restart_pending;     /* restart once the reply has left the UART */
    bool prebuf_overflowing;  /* for logging the start of an overflow once */

    /* Flow control as started (settings changed by AT commands apply after a restart). */
    enum k7_flow flow;
    bool flow_stopped;            /* flow control: the host was told to stop (RTS deasserted / XOFF sent) */
    bool line_pending;        /* similar RFC2217: new line settings wait for the TX ring to drain */
    struct k7_serial_settings pending_line;
    uint32_t pending_clk_hz;
};

/* Flow control towards the host: "the serial receive buffer" is the pre-connection / network-bound
 * buffer (prebuf). When it holds >= 75 % of its size the host is told to stop (hardware: RTS
 * deasserted; software: XOFF sent), below 25 % to go on (RTS asserted; XON).
 * RTS is active low (asserted = low = send to me), like the PL011's UnRTS and RS-232 levels behind
 * a TTL inverter. */
#define K7_FLOW_STOP_AT  (K7_PREBUF_SIZE * 3u / 4u)
#define K7_FLOW_GO_BELOW (K7_PREBUF_SIZE / 4u)

/* Open the module's serial port with the settings and start in transparent mode. The port pins must
 * be muxed (board_init). Returns false if the serial settings could not be applied, in which case
 * the factory line settings are used instead. */
bool k7_app_start(struct k7_app *app, struct k7_settings *settings, struct uart_dev *port, uint32_t clk_hz,
                  const char *version);

/* Similar RFC2217 (§4.3.4): switch the port to these line settings (not saved) as soon as what is
 * queued for TXD has left at the old ones. False if the driver cannot program them. */
bool k7_app_request_line(struct k7_app *app, const struct k7_serial_settings *line, uint32_t clk_hz);

/* Process received bytes and timers. Call from the main loop. */
void k7_app_poll(struct k7_app *app);

/* True when k7_app_poll() has something to do right now (the main loop must not sleep). Call with
 * interrupts masked so a byte arriving just after the check still wakes the WFI. */
bool k7_app_has_work(const struct k7_app *app);

#endif
