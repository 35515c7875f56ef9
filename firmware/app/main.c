/*
 * K7 reference firmware: entry point and main loop.
 *
 * Init order: board (clock, time base, pins, console) -> banner on the console -> Reload pin check ->
 * settings (from flash, settings_store.c) -> application (opens the module's serial port) -> network
 * (EMAC/PHY, lwIP, TCP server bridging to the serial port, packet by packet as the packer in
 * k7.c closes them). The module's
 * TXD stays silent throughout: everything said at boot goes to the console UART.
 */
#include "../board/board.h"
#include "../board/console.h"
#include "../board/cpu.h"
#include "../board/systime.h"
#include "../net/net.h"
#include "../net/net_at.h"
#include "k7.h"
#include "settings.h"
#include "settings_store.h"

#ifndef K7_FW_VERSION
#define K7_FW_VERSION "0.0.0"
#endif

/* AT+VER reply value and console banner: "V" + the project version, e.g. "V0.1.0". */
#define K7_VERSION_STRING "V" K7_FW_VERSION

static struct board_info board;
static struct k7_settings settings;
static struct k7_app app;

/* Network data may go to the module's TXD only in transparent mode (never into AT replies). */
static bool serial_open_for_network(void)
{
    return app.mode == K7_MODE_TRANSPARENT && !app.line_pending;
}

/* Similar RFC2217 from the network: new line settings for the module's port (not saved). */
static bool apply_line_from_network(const struct k7_serial_settings *line)
{
    return k7_app_request_line(&app, line, board.clock.sysclk_hz);
}

/* Reload pin (000_f07c2e1ebe076025.txt §3.1, k7-behaviour.md "Pins"): held low from power-on or reset
 * for >= 5 s and then released restores the defaults; released earlier, nothing changes. The time is
 * counted from the start of the time base (a few microseconds after reset) to the release, which
 * must stay released for the debounce time to count. The module does not start while the pin is held. */
#define RELOAD_HOLD_US      5000000u
#define RELOAD_DEBOUNCE_US  10000u

static bool reload_requests_defaults(void)
{
    if (!board_reload_pressed()) {
        return false;
    }
    console_log("Reload held at boot: waiting for its release (held >= 5 s restores the defaults)");
    uint64_t released_at = 0;
    for (;;) {
        uint64_t now = systime_us();
        if (board_reload_pressed()) {
            released_at = 0;
        } else if (released_at == 0) {
            released_at = now;
        } else if (now - released_at >= RELOAD_DEBOUNCE_US) {
            break;
        }
        cpu_wfi(); /* the 1 ms tick wakes the loop */
    }
    console_log("Reload released after %lu ms", (unsigned long)(released_at / 1000u));
    return released_at >= RELOAD_HOLD_US;
}

static const char *store_source_name(enum k7_store_source source)
{
    switch (source) {
    case K7_STORE_FROM_FLASH: return "flash";
    case K7_STORE_FROM_USER_DEFAULTS: return "user defaults (nothing saved yet)";
    case K7_STORE_FROM_FACTORY: return "factory defaults (nothing saved yet)";
    }
    return "?";
}

int main(void)
{
    board_init(&board);
    board_print_banner(&board, K7_VERSION_STRING);

    if (reload_requests_defaults()) {
        bool saved = k7_store_restore_defaults(&settings);
        console_log("Reload: defaults restored%s", saved ? "" : " (flash write failed: in RAM only)");
    } else {
        console_log("settings: %s", store_source_name(k7_store_load(&settings)));
    }
    if (!k7_app_start(&app, &settings, &board_module_uart, board.clock.sysclk_hz, K7_VERSION_STRING)) {
        console_log("serial settings could not be applied: using the factory line settings");
    }

    const struct net_config net = {
        .settings = &settings,
        .sysclk_hz = board.clock.sysclk_hz,
        .port = &board_module_uart,
        .serial_data = &app.prebuf,
        .serial_open = serial_open_for_network,
        .packer = &app.packer, /* serial data leaves packet by packet (packing rule) */
        .apply_line = apply_line_from_network,
    };
    if (net_init(&net)) {
        net_at_start(&settings, K7_VERSION_STRING); /* network AT on the search port (§5.3.1) */
    }

    for (;;) {
        k7_app_poll(&app);
        net_poll();
        net_at_poll(); /* here, not in net_poll(): a command may run net_poll() itself (AT+PING) */

        /* Sleep until the next interrupt (a received byte, the 1 ms tick, UART TX). k7_app_has_work()
         * keeps the loop awake when an open packet must close before the next tick. Masking first and
         * checking for work under the mask closes the race with an interrupt that lands between the
         * check and the WFI: a pending interrupt ends WFI even while PRIMASK is set. */
        irq_disable();
        if (!k7_app_has_work(&app) && !net_has_work()) {
            cpu_wfi();
        }
        irq_enable();
    }
}
