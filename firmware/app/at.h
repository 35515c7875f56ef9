/*
 * AT command interpreter of the serial AT mode (000_f07c2e1ebe076025.txt §5.3, k7-behaviour.md).
 *
 * Line discipline:
 *   - a command ends with CR; an LF right after that CR is accepted and ignored (CR LF endings);
 *   - with echo ON every received byte is echoed as it arrives, except that ignored LF;
 *   - "AT" (case-insensitive) starts every command; the command name is case-insensitive;
 *   - an empty line is ignored; a line of more than K7_AT_LINE_MAX characters is an invalid format.
 *
 * Forms and replies:
 *   AT<CR>              -> <CR><LF>+OK<CR><LF>
 *   AT+NAME<CR>         -> the command's query handler (a query, or the action of ENTM, Z, RELD)
 *   AT+NAME=args<CR>    -> the command's set handler
 *   success             -> <CR><LF>+OK<CR><LF>  or  <CR><LF>+OK=<value><CR><LF>
 *   failure             -> <CR><LF>+ERR=<code><CR><LF>
 * Error codes (§5.3.3): -1 invalid format (not "AT...", no name, line too long), -2 invalid command
 * (unknown name), -3 invalid operator (the command has no query / no set form), -4 invalid parameter,
 * -5 not allowed.
 *
 * Commands are entries of tables (at_commands.c and one table per function family); adding a §5.3.4
 * command is adding an entry. A command flagged K7_AT_PERSIST saves the settings (ctx->persist) after
 * a successful set form, before the reply: "+OK" means the new value is stored.
 */
#ifndef K7_APP_AT_H
#define K7_APP_AT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "settings.h"

/* 200: room for "AT+HTPHEAD1=" and the 180-character header of 001 §4.46. */
#define K7_AT_LINE_MAX   200
#define K7_AT_VALUE_MAX  200

/* Handler results: success without / with a value, or a negative error code. */
#define K7_AT_OK          0
#define K7_AT_OK_VALUE    1
#define K7_AT_ERR_FORMAT  (-1)
#define K7_AT_ERR_COMMAND (-2)
#define K7_AT_ERR_OPERATOR (-3)
#define K7_AT_ERR_PARAM   (-4)
#define K7_AT_ERR_DENIED  (-5)

/* What the caller must do once the reply has been written. */
enum k7_at_after {
    K7_AT_AFTER_NONE,
    K7_AT_AFTER_LEAVE,    /* AT+ENTM: back to transparent mode */
    K7_AT_AFTER_RESTART,  /* AT+Z and friends: restart once the reply is on the wire */
};

/* Saves the settings (flash), true on success. */
typedef bool (*k7_at_persist_fn)(const struct k7_settings *settings);

/* What handlers may touch. */
struct k7_at_ctx {
    struct k7_settings *settings;
    const char *version;
    enum k7_at_after after;
    k7_at_persist_fn persist; /* NULL: settings live in RAM only (unit builds) */
};

/* Query form (AT+NAME): write a value into `value` and return K7_AT_OK_VALUE, or return K7_AT_OK /
 * an error. Set form (AT+NAME=args): `args` is the NUL-terminated text after '=', case as typed. */
typedef int (*k7_at_query_fn)(struct k7_at_ctx *ctx, char *value, size_t cap);
typedef int (*k7_at_set_fn)(struct k7_at_ctx *ctx, const char *args, char *value, size_t cap);

/* Flags of a command. */
#define K7_AT_PORT_SUFFIX 0x1u /* single-port command: "NAME" and "NAME1" are the same command */
#define K7_AT_PERSIST     0x2u /* a successful set form saves the settings before replying */

struct k7_at_command {
    const char *name;  /* upper case, without "AT+" and without the port digit */
    uint8_t flags;
    k7_at_query_fn query;
    k7_at_set_fn set;
};

/* Where replies and echo go. */
typedef void (*k7_at_write_fn)(void *io, const uint8_t *data, size_t len);

/* One table of commands. The interpreter searches a NULL-terminated list of them. */
struct k7_at_table {
    const struct k7_at_command *commands;
    size_t count;
};

struct k7_at {
    const struct k7_at_table *const *tables;
    struct k7_at_ctx ctx;
    k7_at_write_fn write;
    void *io;

    char line[K7_AT_LINE_MAX + 1];
    size_t len;
    bool overflow;
    bool after_cr;  /* the previous byte ended a command: a following LF is swallowed */
};

void k7_at_init(struct k7_at *at, const struct k7_at_table *const *tables, struct k7_settings *settings,
                const char *version, k7_at_persist_fn persist, k7_at_write_fn write, void *io);

/* Start a fresh line (on entering AT mode). */
void k7_at_reset(struct k7_at *at);

/* One received byte. Returns what to do after the reply (K7_AT_AFTER_NONE while a line is open). */
enum k7_at_after k7_at_feed(struct k7_at *at, uint8_t byte);

/* Execute one complete command line (without its CR) and write the reply. Exposed for the network
 * AT paths (UDP 48899) that come later. */
enum k7_at_after k7_at_execute(struct k7_at *at, const char *line, size_t len);

/* Helpers for handlers. */
bool k7_at_arg_equals(const char *arg, const char *word); /* case-insensitive, whole argument */

#endif
