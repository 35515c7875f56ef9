/*
 * AT command handlers. One entry per command of §5.3.4: name, flags, query handler (the bare
 * "AT+NAME" form), set handler ("AT+NAME=..."). A missing handler makes that form answer -3.
 *
 * Implemented: E, Z, VER, ENTM. The remaining §5.3.4 commands are added here as entries.
 */
#include "at_commands.h"

#include "../lib/fmt.h"

static int value(char *out, size_t cap, const char *s)
{
    fmt_format(out, cap, "%s", s);
    return K7_AT_OK_VALUE;
}

/* AT+E (§5.3.5 1): echo ON/OFF. Takes effect at once for the next byte received, and is stored. */
static int e_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    return value(out, cap, ctx->settings->echo ? "ON" : "OFF");
}

static int e_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    if (k7_at_arg_equals(args, "ON")) {
        ctx->settings->echo = true;
    } else if (k7_at_arg_equals(args, "OFF")) {
        ctx->settings->echo = false;
    } else {
        return K7_AT_ERR_PARAM;
    }
    return K7_AT_OK;
}

/* AT+VER (§5.3.5 3): firmware version. */
static int ver_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    return value(out, cap, ctx->version);
}

/* AT+ENTM (§5.3.5 4): reply +OK, then back to transparent mode. */
static int entm_run(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    ctx->after = K7_AT_AFTER_LEAVE;
    return K7_AT_OK;
}

/* AT+Z (§5.3.5 2): reply +OK, then restart once the reply has left the serial port. */
static int z_run(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    ctx->after = K7_AT_AFTER_RESTART;
    return K7_AT_OK;
}

static const struct k7_at_command device_commands[] = {
    {"E", K7_AT_PERSIST, e_query, e_set},
    {"ENTM", 0, entm_run, NULL},
    {"VER", 0, ver_query, NULL},
    {"Z", 0, z_run, NULL},
};

static const struct k7_at_table device_table = {device_commands, sizeof device_commands / sizeof device_commands[0]};

const struct k7_at_table *const k7_at_tables[] = {&device_table, &k7_at_socket_table, NULL};
