/*
 * AT command handlers. One entry per command of §5.3.4: name, flags, query handler (the bare
 * "AT+NAME" form), set handler ("AT+NAME=..."). A missing handler makes that form answer -3.
 *
 * This file: the management, system, network and web commands (001 §3 "Management / System / Web
 * Server command", formats, defaults and ranges from 001 §4). The function-family commands of the
 * serial port's socket (RFCEN, Modbus, net print, HTTPD client) are in at_functions.c.
 *
 * Every command that stores a setting carries K7_AT_PERSIST: its "+OK" means the value is saved. A
 * stored value takes effect after the restart (AT+Z), except AT+E, which applies at once.
 */
#include "at_commands.h"

#include <string.h>

#include "../lib/fmt.h"
#include "../net/emac.h"
#include "at_args.h"
#include "settings_store.h"

/* AT+PDTIME: the production time of this board. The build may set it (-DK7_PRODUCTION_TIME=...);
 * it is a fixed string, never the build clock, so images are reproducible. */
#ifndef K7_PRODUCTION_TIME
#define K7_PRODUCTION_TIME "2026-01-01 00:00:00"
#endif

#define MID_MAX        15u  /* 001 §4.6: 1..15 bytes */
#define WEBU_MAX       6u   /* 001 §4.16: 1..6 bytes each */
#define KEYWORD_MAX    20u  /* 001 §4.12: 1..20 bytes */

static void format_ip(char *out, size_t cap, const uint8_t ip[4])
{
    fmt_format(out, cap, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
}

/* AT+E (§5.3.5 1): echo ON/OFF. Takes effect at once for the next byte received; stored. */
K7_ARGS_ONOFF_COMMAND(e, echo, 0)

/* AT+VER (§5.3.5 3): firmware version. */
static int ver_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    return k7_args_reply(out, cap, ctx->version);
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

/* AT+RELD (§5.3.5 6, 001 §4.3): the user defaults saved by AT+CFGTF if there are any, else the
 * factory settings; stored, then restart. */
static int reld_run(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    if (!k7_store_restore_defaults(ctx->settings)) {
        return K7_AT_ERR_DENIED;
    }
    ctx->after = K7_AT_AFTER_RESTART;
    return K7_AT_OK;
}

/* AT+CFGTF (§5.3.5 44, 001 §4.14): the current settings become the user defaults for AT+RELD. */
static int cfgtf_run(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    if (!k7_store_save_user_defaults(ctx->settings)) {
        return K7_AT_ERR_DENIED;
    }
    return k7_args_reply(out, cap, "saved");
}

/* AT+MAC (§5.3.5 5, 001 §4.7): the module's MAC, 12 upper-case hex digits. The user MAC
 * (AT+USERMAC) replaces the factory MAC of USERREG0/1 from the moment it is stored; the netif uses
 * it from the next start. */
static int mac_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    uint8_t mac[6];
    if (ctx->settings->user_mac_set) {
        memcpy(mac, ctx->settings->user_mac, sizeof mac);
    } else {
        emac_factory_mac(mac);
    }
    fmt_format(out, cap, "%02X%02X%02X%02X%02X%02X", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    return K7_AT_OK_VALUE;
}

/* AT+USERMAC=<12 hex digits> (§5.3.5 32, 001 §4.8): set form only. A station address must be
 * unicast and not all zero: a group bit (bit 0 of the first byte) or 000000000000 is -4. */
static int usermac_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    uint8_t mac[6];
    static const uint8_t zero[6] = {0};
    if (!k7_args_mac(args, mac) || (mac[0] & 0x01u) || memcmp(mac, zero, sizeof mac) == 0) {
        return K7_AT_ERR_PARAM;
    }
    memcpy(ctx->settings->user_mac, mac, sizeof mac);
    ctx->settings->user_mac_set = true;
    return K7_AT_OK;
}

/* AT+PDTIME (§5.3.5 30, 001 §4.9): production time, query only. */
static int pdtime_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    (void)ctx;
    return k7_args_reply(out, cap, K7_PRODUCTION_TIME);
}

/* AT+MID (§5.3.5 31, 001 §4.6): module name, 1..15 printable characters (DHCP host name). */
K7_ARGS_TEXT_COMMAND(mid, module_name, 1, MID_MAX)

/* AT+WANN (§5.3.5 7, 001 §4.10): <STATIC|DHCP>,<ip>,<mask>,<gateway>. With DHCP the addresses may
 * be left out (they are kept for a later STATIC); given, they are checked and stored. The mask must
 * be contiguous. The query shows the stored values. */
static int wann_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    const struct k7_settings *s = ctx->settings;
    char ip[16], mask[16], gw[16];
    format_ip(ip, sizeof ip, s->ip);
    format_ip(mask, sizeof mask, s->mask);
    format_ip(gw, sizeof gw, s->gateway);
    fmt_format(out, cap, "%s,%s,%s,%s", s->dhcp ? "DHCP" : "STATIC", ip, mask, gw);
    return K7_AT_OK_VALUE;
}

static int wann_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    char buf[K7_AT_LINE_MAX + 1];
    char *f[4];
    fmt_format(buf, sizeof buf, "%s", args);
    size_t n = k7_args_split(buf, f, 4);
    bool dhcp;
    if (n >= 1 && k7_at_arg_equals(f[0], "STATIC")) {
        dhcp = false;
    } else if (n >= 1 && k7_at_arg_equals(f[0], "DHCP")) {
        dhcp = true;
    } else {
        return K7_AT_ERR_PARAM;
    }
    if (dhcp && n == 1) {
        ctx->settings->dhcp = true;
        return K7_AT_OK;
    }
    uint8_t ip[4], mask[4], gw[4];
    if (n != 4 || !k7_args_ipv4(f[1], ip) || !k7_args_netmask(f[2], mask) || !k7_args_ipv4(f[3], gw)) {
        return K7_AT_ERR_PARAM;
    }
    ctx->settings->dhcp = dhcp;
    memcpy(ctx->settings->ip, ip, 4);
    memcpy(ctx->settings->mask, mask, 4);
    memcpy(ctx->settings->gateway, gw, 4);
    return K7_AT_OK;
}

/* AT+DNS (§5.3.5 8, 001 §4.11): DNS server address. */
static int dns_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    format_ip(out, cap, ctx->settings->dns);
    return K7_AT_OK_VALUE;
}

static int dns_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    return k7_args_ipv4(args, ctx->settings->dns) ? K7_AT_OK : K7_AT_ERR_PARAM;
}

/* AT+SEARCH (§5.3.5 11, 001 §4.12): <port 1..65535>,<keyword 1..20 printable, no comma>. */
static int search_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    fmt_format(out, cap, "%u,%s", ctx->settings->search_port, ctx->settings->search_keyword);
    return K7_AT_OK_VALUE;
}

static int search_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    char buf[K7_AT_LINE_MAX + 1];
    char *f[2];
    uint32_t port;
    if (!k7_args_fields(args, buf, sizeof buf, f, 2, K7_ARGS_SPACED) || !k7_args_uint(f[0], 1, 65535, &port) ||
        !k7_args_text(f[1], 1, KEYWORD_MAX, ",")) {
        return K7_AT_ERR_PARAM;
    }
    ctx->settings->search_port = (uint16_t)port;
    fmt_format(ctx->settings->search_keyword, sizeof ctx->settings->search_keyword, "%s", f[1]);
    return K7_AT_OK;
}

/* AT+WEBU (§5.3.5 9, 001 §4.16): <user>,<password>, 1..6 printable characters each; no comma, and
 * no space in the user name ("please be sure no blank"). */
static int webu_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    fmt_format(out, cap, "%s,%s", ctx->settings->web_user, ctx->settings->web_password);
    return K7_AT_OK_VALUE;
}

static int webu_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    char buf[K7_AT_LINE_MAX + 1];
    char *f[2];
    if (!k7_args_fields(args, buf, sizeof buf, f, 2, K7_ARGS_SPACED) || !k7_args_text(f[0], 1, WEBU_MAX, ", ") ||
        !k7_args_text(f[1], 1, WEBU_MAX, ",")) {
        return K7_AT_ERR_PARAM;
    }
    fmt_format(ctx->settings->web_user, sizeof ctx->settings->web_user, "%s", f[0]);
    fmt_format(ctx->settings->web_password, sizeof ctx->settings->web_password, "%s", f[1]);
    return K7_AT_OK;
}

/* AT+WEBPORT (§5.3.5 10, 001 §4.17): web server port 1..65535. */
K7_ARGS_UINT_COMMAND(webport, web_port, 1, 65535, 0)

/* AT+WEBSOCKPORT1 (§5.3.5 17, 001 §4.23): WebSocket port 1..65535. The K7 manual also names it
 * WEBSOCKET1 (Form 5.3.4-1) and WEBSOCKETPORT1 (its example): all three names are the same command. */
K7_ARGS_UINT_COMMAND(websock, websocket_port, 1, 65535, 0)

/* AT+PLANG (§5.3.5 12, 001 §4.18): web page language EN or CN (001 spells Chinese "CH": accepted
 * too, answered as CN). */
static const struct k7_args_word languages[] = {{"EN", K7_LANG_EN}, {"CN", K7_LANG_CN}, {"CH", K7_LANG_CN}};
static const struct k7_args_words language_words = K7_ARGS_WORDS(languages, "EN");
K7_ARGS_KEYWORD_COMMAND(plang, web_language, &language_words, 0)

static const struct k7_at_command device_commands[] = {
    {"E", K7_AT_PERSIST, e_query, e_set},
    {"ENTM", 0, entm_run, NULL},
    {"VER", 0, ver_query, NULL},
    {"Z", 0, z_run, NULL},
    {"RELD", 0, reld_run, NULL},
    {"CFGTF", 0, cfgtf_run, NULL},
    {"MAC", 0, mac_query, NULL},
    {"USERMAC", K7_AT_PERSIST, NULL, usermac_set},
    {"PDTIME", 0, pdtime_query, NULL},
    {"MID", K7_AT_PERSIST, mid_query, mid_set},
    {"WANN", K7_AT_PERSIST, wann_query, wann_set},
    {"DNS", K7_AT_PERSIST, dns_query, dns_set},
    {"SEARCH", K7_AT_PERSIST, search_query, search_set},
    {"WEBU", K7_AT_PERSIST, webu_query, webu_set},
    {"WEBPORT", K7_AT_PERSIST, webport_query, webport_set},
    {"PLANG", K7_AT_PERSIST, plang_query, plang_set},
    {"WEBSOCKPORT", K7_AT_PORT_SUFFIX | K7_AT_PERSIST, websock_query, websock_set},
    {"WEBSOCKET", K7_AT_PORT_SUFFIX | K7_AT_PERSIST, websock_query, websock_set},
    {"WEBSOCKETPORT", K7_AT_PORT_SUFFIX | K7_AT_PERSIST, websock_query, websock_set},
};

static const struct k7_at_table device_table = {device_commands, sizeof device_commands / sizeof device_commands[0]};

extern const struct k7_at_table k7_at_serial_table; /* at_serial_commands.c */
const struct k7_at_table *const k7_at_tables[] = {&device_table, &k7_at_function_table, &k7_at_serial_table,
                                                    &k7_at_socket_table, NULL};
