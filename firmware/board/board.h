/*
 * The K7 board: which TM4C1294 pins are the module's pins, the two UART instances, and the boot
 * sequence of the hardware (clock, time base, pin muxing, console).
 *
 *   module pin   MCU pin   function
 *   TXD          PB1       U1Tx (PCTL 1)
 *   RXD          PB0       U1Rx (PCTL 1)
 *   RTS          PN0       GPIO output, driven by the firmware in every flow mode (RS485 direction,
 *                          or the buffer level with hardware flow control)
 *   CTS          PN1       U1CTS (PCTL 1) with hardware flow control, else GPIO input (unused)
 *   Reload       PJ0       GPIO input, internal pull-up, active low
 *   console TX   PA1       U0Tx (PCTL 1)  -- board debug console, not a module pin
 *   console RX   PA0       U0Rx (PCTL 1)
 */
#ifndef K7_BOARD_BOARD_H
#define K7_BOARD_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "uart.h"

#define BOARD_NAME "USR-K7 (TM4C1294NCPDT, 25 MHz crystal)"
#define BOARD_CONSOLE_BAUD 115200u

/* Interrupt priorities (0 highest .. 7): the time base first, then the module's serial port
 * (a late drain costs timestamp accuracy and, at high baud rates, overruns), the console last. */
#define BOARD_PRIO_SYSTICK     0u
#define BOARD_PRIO_MODULE_UART 1u
#define BOARD_PRIO_CONSOLE     6u

struct board_info {
    struct clock_status clock;
    uint32_t reset_cause;  /* RESC at boot, before it was cleared */
    bool is_tm4c129;       /* DID0 device class check */
    uint32_t did1;
    bool gpio_ready;
    bool console_ready;
};

/* The module's serial port (UART1) and the debug console (UART0). */
extern struct uart_dev board_module_uart;
extern struct uart_dev board_console_uart;

/* Clock to 120 MHz, 1 ms time base, GPIO ports and pin muxing, console UART at 115200 8N1,
 * reset cause latched and cleared. Interrupts are enabled on return. */
void board_init(struct board_info *info);

/* Print the boot banner (board, firmware version, clock, reset cause) on the console. */
void board_print_banner(const struct board_info *info, const char *firmware_version);

/* Reload pin: true while held low. */
bool board_reload_pressed(void);

/* RTS pin level (GPIO mode). */
void board_set_rts(bool high);

/* CTS pin: to the module UART's U1CTS (hardware flow control) or a plain input (otherwise). */
void board_route_cts(bool to_uart);

#endif
