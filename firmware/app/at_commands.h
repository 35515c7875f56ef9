/*
 * The tables of AT commands (000_f07c2e1ebe076025.txt §5.3.4 / §5.3.5).
 */
#ifndef K7_APP_AT_COMMANDS_H
#define K7_APP_AT_COMMANDS_H

#include <stddef.h>

#include "at.h"

/* The module's tables, NULL-terminated, for k7_at_init(). */
extern const struct k7_at_table *const k7_at_tables[];

/* RFCEN, Modbus, net print, HTTPD client (at_functions.c). */
extern const struct k7_at_table k7_at_function_table;
extern const struct k7_at_table k7_at_socket_table; /* at_socket_commands.c */

#endif
