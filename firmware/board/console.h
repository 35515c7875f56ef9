/*
 * Debug console on UART0 (board pins PA0/PA1, not a module pin): boot messages and diagnostics.
 * Output is never blocking: when the ring is full, text is dropped and counted.
 */
#ifndef K7_BOARD_CONSOLE_H
#define K7_BOARD_CONSOLE_H

#include <stdint.h>

#include "uart.h"

void console_init(struct uart_dev *u);

/* Raw text; "\n" is sent as "\r\n". */
void console_write(const char *s);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line with a "[seconds.micros] " prefix from the systime clock and a line end. */
void console_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
