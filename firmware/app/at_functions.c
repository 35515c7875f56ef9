/*
 * AT commands of the socket's functions (001 §3 "Serial port and socket / Modbus / HTTP command"):
 * RFC2217-like baud synchronisation, Modbus gateway and polling, net printing, HTTPD client. All are
 * single-port commands (NAME and NAME1), stored (K7_AT_PERSIST), in effect after the restart.
 * Formats, defaults and ranges: 001 §4.24, §4.28, §4.31..§4.33, §4.44..§4.47.
 */
#include <stdbool.h>
#include <string.h>

#include "../lib/fmt.h"
#include "at_args.h"
#include "at_commands.h"

#define MODTO_MIN       200u  /* 001 §4.33: 200..9999 */
#define MODTO_MAX       9999u
#define HTPURL_MAX      100u  /* 001 §4.45: 1..100 bytes */
#define HTPHEAD_MAX     180u  /* 001 §4.46: 0..180 bytes, as typed ("<<CRLF>>" for a line break) */

static int onoff_query(bool on, char *out, size_t cap)
{
    fmt_format(out, cap, "%s", on ? "ON" : "OFF");
    return K7_AT_OK_VALUE;
}

static int onoff_set(bool *field, const char *args)
{
    return k7_args_onoff(args, field) ? K7_AT_OK : K7_AT_ERR_PARAM;
}

/* Query and set handlers of an ON/OFF command stored in settings->field. */
#define ONOFF_COMMAND(name, field)                                                                  \
    static int name##_query(struct k7_at_ctx *ctx, char *out, size_t cap)                           \
    {                                                                                               \
        return onoff_query(ctx->settings->field, out, cap);                                         \
    }                                                                                               \
    static int name##_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)          \
    {                                                                                               \
        (void)out;                                                                                  \
        (void)cap;                                                                                  \
        return onoff_set(&ctx->settings->field, args);                                              \
    }

ONOFF_COMMAND(rfcen, rfc2217)              /* AT+RFCEN1, 001 §4.24, default ON */
ONOFF_COMMAND(modtcp, modbus_tcp)          /* AT+MODTCP1, 001 §4.31, default OFF */
ONOFF_COMMAND(modpoll, modbus_poll)        /* AT+MODPOLL1, 001 §4.32, default OFF */
ONOFF_COMMAND(netpr, net_print)            /* AT+NETPR1, 001 §4.28, default OFF */
ONOFF_COMMAND(htpchd, http_header_filter)  /* AT+HTPCHD1, 001 §4.47, default OFF */

/* AT+MODTO1 (001 §4.33): Modbus polling time 200..9999. */
static int modto_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    fmt_format(out, cap, "%lu", (unsigned long)ctx->settings->modbus_poll_ms);
    return K7_AT_OK_VALUE;
}

static int modto_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    return k7_args_uint(args, MODTO_MIN, MODTO_MAX, &ctx->settings->modbus_poll_ms) ? K7_AT_OK : K7_AT_ERR_PARAM;
}

/* AT+HTPTP1 (001 §4.44): GET or POST. */
static int htptp_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    fmt_format(out, cap, "%s", ctx->settings->http_method == K7_HTTP_POST ? "POST" : "GET");
    return K7_AT_OK_VALUE;
}

static int htptp_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    if (k7_at_arg_equals(args, "GET")) {
        ctx->settings->http_method = K7_HTTP_GET;
    } else if (k7_at_arg_equals(args, "POST")) {
        ctx->settings->http_method = K7_HTTP_POST;
    } else {
        return K7_AT_ERR_PARAM;
    }
    return K7_AT_OK;
}

/* AT+HTPURL1 (001 §4.45): URL of the request, 1..100 printable characters. */
static int htpurl_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    fmt_format(out, cap, "%s", ctx->settings->http_url);
    return K7_AT_OK_VALUE;
}

static int htpurl_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    if (!k7_args_text(args, 1, HTPURL_MAX, NULL)) {
        return K7_AT_ERR_PARAM;
    }
    fmt_format(ctx->settings->http_url, sizeof ctx->settings->http_url, "%s", args);
    return K7_AT_OK;
}

/* AT+HTPHEAD1 (001 §4.46, §5.3.5 24): request header, 0..180 printable characters kept as typed;
 * "<<CRLF>>" stands for a line break and is turned into CR LF by the HTTPD client when it sends. */
static int htphead_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    fmt_format(out, cap, "%s", ctx->settings->http_header);
    return K7_AT_OK_VALUE;
}

static int htphead_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    if (!k7_args_text(args, 0, HTPHEAD_MAX, NULL)) {
        return K7_AT_ERR_PARAM;
    }
    fmt_format(ctx->settings->http_header, sizeof ctx->settings->http_header, "%s", args);
    return K7_AT_OK;
}

#define PORT_SETTING (K7_AT_PORT_SUFFIX | K7_AT_PERSIST)

static const struct k7_at_command function_commands[] = {
    {"RFCEN", PORT_SETTING, rfcen_query, rfcen_set},
    {"MODTCP", PORT_SETTING, modtcp_query, modtcp_set},
    {"MODPOLL", PORT_SETTING, modpoll_query, modpoll_set},
    {"MODTO", PORT_SETTING, modto_query, modto_set},
    {"NETPR", PORT_SETTING, netpr_query, netpr_set},
    {"HTPTP", PORT_SETTING, htptp_query, htptp_set},
    {"HTPURL", PORT_SETTING, htpurl_query, htpurl_set},
    {"HTPHEAD", PORT_SETTING, htphead_query, htphead_set},
    {"HTPCHD", PORT_SETTING, htpchd_query, htpchd_set},
};

const struct k7_at_table k7_at_function_table = {function_commands,
                                                 sizeof function_commands / sizeof function_commands[0]};
