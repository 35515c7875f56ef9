/*
 * AT commands of the socket work modes and the functions around them (000_f07c2e1ebe076025.txt
 * §5.3.4 / §5.3.5; formats, defaults and ranges from 001_7e986a8fb653a8ef.txt §4.13, §4.15,
 * §4.21-§4.43): SOCKA/SOCKB, SOCKLKA/SOCKLKB, SOCKTON, UDPON, UARTCLBUF, SOCKSL, SHORTO, RSTIM,
 * REGEN, REGTCP, REGUSR, REGUSER, REGCLOUD, HEARTEN, HEARTTP, HEARTTM, HEARTDT, HEARTUSER, PING.
 *
 * Settings take effect after AT+Z (restart), like every setting of §5.3; the set forms save them
 * (K7_AT_PERSIST). A value outside its range, or a malformed one, is -4 (invalid parameter).
 * Arguments may carry spaces around the commas (the manual's examples do); they are trimmed.
 */
#include <string.h>

#include "../lib/fmt.h"
#include "../net/ping.h"
#include "../net/sockets.h"
#include "at.h"
#include "at_args.h"
#include "at_commands.h"

#define ARG_MAX K7_AT_LINE_MAX

/* ---- argument helpers -------------------------------------------------------------------------- */

/* Arguments of these commands may carry spaces around them and their fields; numbers may carry
 * leading zeros. */
#define SOCKET_ARGS (K7_ARGS_SPACED | K7_ARGS_ZEROS)

/* Split "data,type" at the LAST comma (ASCII data may contain commas). */
static bool split_data_type(const char *args, char *data, char *type)
{
    const char *comma = strrchr(args, ',');
    if (!comma) {
        return false;
    }
    /* The data is kept as typed (spaces are data); only the type is trimmed. */
    size_t n = (size_t)(comma - args);
    if (n > ARG_MAX) {
        return false;
    }
    memcpy(data, args, n);
    data[n] = '\0';
    return k7_args_trim_copy(comma + 1, type, ARG_MAX + 1);
}

static bool parse_uint(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
    return k7_args_uint_as(text, min, max, SOCKET_ARGS, out);
}

/* A host name: letters, digits, '-' and '.', not only digits and dots (that must be an address). */
static bool is_host_name(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || s[0] == '.' || s[0] == '-') {
        return false;
    }
    bool letter = false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alpha && !(c >= '0' && c <= '9') && c != '-' && c != '.') {
            return false;
        }
        letter = letter || alpha || c == '-';
    }
    return letter;
}

static bool is_host(const char *s, size_t max)
{
    uint8_t ip[4];
    return k7_args_ipv4(s, ip) || is_host_name(s, max);
}

/* ---- periodic packet data (ASCII or HEX) ------------------------------------------------------- */

#define PACKET_BYTES_MAX (K7_PACKET_MAX - 1u) /* 40 bytes: 40 ASCII characters or 80 hex digits */

/* ASCII data: 1..40 characters, stored as text (len 0). */
static int set_packet_ascii(const char *text, char *field, uint8_t *len, bool *hex)
{
    size_t n = strlen(text);
    if (n == 0 || n > PACKET_BYTES_MAX) {
        return K7_AT_ERR_PARAM;
    }
    memset(field, 0, K7_PACKET_MAX);
    memcpy(field, text, n);
    *len = 0;
    *hex = false;
    return K7_AT_OK;
}

/* HEX data: an even number (2..80) of hex digits, stored as bytes. */
static int set_packet_hex(const char *text, char *field, uint8_t *len, bool *hex)
{
    size_t n = strlen(text);
    if (n == 0 || n % 2u != 0 || n / 2u > PACKET_BYTES_MAX) {
        return K7_AT_ERR_PARAM;
    }
    uint8_t bytes[PACKET_BYTES_MAX];
    if (!k7_args_hex_bytes(text, n / 2u, bytes)) {
        return K7_AT_ERR_PARAM;
    }
    memset(field, 0, K7_PACKET_MAX);
    memcpy(field, bytes, n / 2u);
    *len = (uint8_t)(n / 2u);
    *hex = true;
    return K7_AT_OK;
}

static int set_packet_typed(const char *args, char *field, uint8_t *len, bool *hex)
{
    char data[ARG_MAX + 1], type[ARG_MAX + 1];
    if (!split_data_type(args, data, type)) {
        return K7_AT_ERR_PARAM;
    }
    if (k7_at_arg_equals(type, "ASCII")) {
        return set_packet_ascii(data, field, len, hex);
    }
    if (k7_at_arg_equals(type, "HEX")) {
        return set_packet_hex(data, field, len, hex);
    }
    return K7_AT_ERR_PARAM;
}

/* The data as the user entered it: text, or hex digits (upper case). */
static void packet_text(const char *field, uint8_t len, bool hex, char *out, size_t cap)
{
    if (!hex || len == 0) {
        size_t n = len > 0 ? len : strnlen(field, PACKET_BYTES_MAX);
        if (n >= cap) {
            n = cap - 1u;
        }
        memcpy(out, field, n);
        out[n] = '\0';
        return;
    }
    static const char digits[] = "0123456789ABCDEF";
    size_t o = 0;
    for (size_t i = 0; i < len && o + 2u < cap; i++) {
        out[o++] = digits[((const uint8_t *)field)[i] >> 4];
        out[o++] = digits[((const uint8_t *)field)[i] & 0xFu];
    }
    out[o] = '\0';
}

/* The two commands of one packet setting ctx->settings->PREFIX_data / _len / _hex (registration,
 * heartbeat): ASCII (the ASCII data alone, 1..40 bytes) and TYPED ("data,ASCII|HEX"). */
#define PACKET_COMMANDS(ascii, typed, prefix)                                                      \
    static int ascii##_query(struct k7_at_ctx *ctx, char *out, size_t cap)                         \
    {                                                                                              \
        const struct k7_settings *s = ctx->settings;                                               \
        packet_text(s->prefix##_data, s->prefix##_len, s->prefix##_hex, out, cap);                 \
        return K7_AT_OK_VALUE;                                                                     \
    }                                                                                              \
    static int ascii##_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)         \
    {                                                                                              \
        (void)out;                                                                                 \
        (void)cap;                                                                                 \
        struct k7_settings *s = ctx->settings;                                                     \
        return set_packet_ascii(args, s->prefix##_data, &s->prefix##_len, &s->prefix##_hex);       \
    }                                                                                              \
    static int typed##_query(struct k7_at_ctx *ctx, char *out, size_t cap)                         \
    {                                                                                              \
        const struct k7_settings *s = ctx->settings;                                               \
        char data[2u * PACKET_BYTES_MAX + 1u];                                                     \
        packet_text(s->prefix##_data, s->prefix##_len, s->prefix##_hex, data, sizeof data);        \
        fmt_format(out, cap, "%s,%s", data, s->prefix##_hex ? "HEX" : "ASCII");                    \
        return K7_AT_OK_VALUE;                                                                     \
    }                                                                                              \
    static int typed##_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)         \
    {                                                                                              \
        (void)out;                                                                                 \
        (void)cap;                                                                                 \
        struct k7_settings *s = ctx->settings;                                                     \
        return set_packet_typed(args, s->prefix##_data, &s->prefix##_len, &s->prefix##_hex);       \
    }

/* ---- SOCKA / SOCKB (§5.3.5 15, 001 §4.21) ------------------------------------------------------ */

static const struct k7_args_word sock_mode_names[] = {
    {"TCPS", K7_SOCK_TCP_SERVER}, {"TCPC", K7_SOCK_TCP_CLIENT}, {"UDPS", K7_SOCK_UDP_SERVER},
    {"UDPC", K7_SOCK_UDP_CLIENT}, {"HTPC", K7_SOCK_HTTPD_CLIENT}, {"NONE", K7_SOCK_OFF},
};
static const struct k7_args_words sock_mode_words = K7_ARGS_WORDS(sock_mode_names, "NONE");

static bool is_server(enum k7_sock_mode m)
{
    return m == K7_SOCK_TCP_SERVER || m == K7_SOCK_UDP_SERVER;
}

static int sock_query(const struct k7_socket_settings *s, char *out, size_t cap)
{
    /* The port is the local one in the server modes, the remote one in the client modes. */
    fmt_format(out, cap, "%s,%s,%u", k7_args_keyword_name(&sock_mode_words, (int)s->mode), s->remote_host, is_server(s->mode) ? s->local_port : s->remote_port);
    return K7_AT_OK_VALUE;
}

static int sock_set(struct k7_socket_settings *s, const char *args, bool may_be_off)
{
    char buf[ARG_MAX + 1];
    char *f[3];
    int mode;
    uint32_t port;
    if (!k7_args_fields(args, buf, sizeof buf, f, 3, K7_ARGS_SPACED) ||
        !k7_args_keyword(f[0], &sock_mode_words, 0, &mode) || (mode == K7_SOCK_OFF && !may_be_off) ||
        !is_host(f[1], K7_HOST_MAX - 1u) || !parse_uint(f[2], 1, 65535, &port)) {
        return K7_AT_ERR_PARAM;
    }
    s->mode = (enum k7_sock_mode)mode;
    fmt_format(s->remote_host, sizeof s->remote_host, "%s", f[1]);
    if (is_server(s->mode)) {
        s->local_port = (uint16_t)port;
    } else {
        s->remote_port = (uint16_t)port;
    }
    return K7_AT_OK;
}

/* The handlers of SOCKA / SOCKB on ctx->settings->FIELD; socket A cannot be NONE. */
#define SOCK_COMMAND(fn, field, may_be_off)                                                        \
    static int fn##_query(struct k7_at_ctx *ctx, char *out, size_t cap)                            \
    {                                                                                              \
        return sock_query(&ctx->settings->field, out, cap);                                        \
    }                                                                                              \
    static int fn##_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)            \
    {                                                                                              \
        (void)out;                                                                                 \
        (void)cap;                                                                                 \
        return sock_set(&ctx->settings->field, args, (may_be_off));                                \
    }

SOCK_COMMAND(socka, sock_a, false)
SOCK_COMMAND(sockb, sock_b, true)

/* SOCKLKA / SOCKLKB (§5.3.5 16, §4.1.4, 001 §4.22): the live connection status. */
static int socklka_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    (void)ctx;
    sockets_status(0, out, cap);
    return K7_AT_OK_VALUE;
}

static int socklkb_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    (void)ctx;
    sockets_status(1, out, cap);
    return K7_AT_OK_VALUE;
}

/* ---- simple settings ---------------------------------------------------------------------------- */

K7_ARGS_ONOFF_COMMAND(udpon, udp_any_peer, SOCKET_ARGS)                 /* 001 §4.29 */
K7_ARGS_ONOFF_COMMAND(uartclbuf, clear_buffer_on_connect, SOCKET_ARGS)  /* 001 §4.30 */
K7_ARGS_ONOFF_COMMAND(socksl, short_connection, SOCKET_ARGS)            /* 001 §4.25 */
K7_ARGS_ONOFF_COMMAND(hearten, heart_enable, SOCKET_ARGS)               /* 001 §4.39 */
K7_ARGS_UINT_COMMAND(sockton, socket_timeout_s, 1, 99999, SOCKET_ARGS)  /* 001 §4.27 */
K7_ARGS_UINT_COMMAND(shorto, short_connection_s, 2, 255, SOCKET_ARGS)   /* 001 §4.26 */
K7_ARGS_UINT_COMMAND(hearttm, heart_time_s, 1, 65535, SOCKET_ARGS)      /* 001 §4.41 */

/* RSTIM (001 §4.13): 0 (off) or 60..65535 s. */
static int rstim_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    return k7_args_reply_uint(out, cap, ctx->settings->reset_timeout_s);
}

static int rstim_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    uint32_t v;
    if (!parse_uint(args, 0, 65535, &v) || (v > 0 && v < 60)) {
        return K7_AT_ERR_PARAM;
    }
    ctx->settings->reset_timeout_s = v;
    return K7_AT_OK;
}

/* ---- registration (001 §4.34-§4.38) ------------------------------------------------------------ */

static const struct k7_args_word reg_kind_names[] = {
    {"OFF", K7_REG_OFF}, {"MAC", K7_REG_MAC}, {"CLOUD", K7_REG_CLOUD}, {"USR", K7_REG_USR}};
static const struct k7_args_words reg_kind_words = K7_ARGS_WORDS(reg_kind_names, "OFF");
K7_ARGS_KEYWORD_COMMAND(regen, reg_kind, &reg_kind_words, SOCKET_ARGS)

static const struct k7_args_word reg_when_names[] = {{"First", K7_REG_FIRST}, {"Every", K7_REG_EVERY}, {"ALL", K7_REG_ALL}};
static const struct k7_args_words reg_when_words = K7_ARGS_WORDS(reg_when_names, "First");
K7_ARGS_KEYWORD_COMMAND(regtcp, reg_when, &reg_when_words, SOCKET_ARGS)

/* REGUSR (001 §4.36): ASCII data, 1..40 bytes; REGUSER (001 §4.37): data,ASCII|HEX. */
PACKET_COMMANDS(regusr, reguser, reg)

/* REGCLOUD (001 §4.38): ID (up to 20 characters), password (up to 8). */
static int regcloud_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    fmt_format(out, cap, "%s,%s", ctx->settings->cloud_id, ctx->settings->cloud_password);
    return K7_AT_OK_VALUE;
}

static int regcloud_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    char buf[ARG_MAX + 1];
    char *f[2];
    struct k7_settings *s = ctx->settings;
    if (!k7_args_fields(args, buf, sizeof buf, f, 2, K7_ARGS_SPACED) || f[0][0] == '\0' || f[1][0] == '\0' || strlen(f[0]) >= sizeof s->cloud_id ||
        strlen(f[1]) >= sizeof s->cloud_password) {
        return K7_AT_ERR_PARAM;
    }
    fmt_format(s->cloud_id, sizeof s->cloud_id, "%s", f[0]);
    fmt_format(s->cloud_password, sizeof s->cloud_password, "%s", f[1]);
    return K7_AT_OK;
}

/* ---- heartbeat (001 §4.39-§4.43) --------------------------------------------------------------- */

static const struct k7_args_word heart_type_names[] = {{"NET", K7_HEART_NET}, {"COM", K7_HEART_COM}};
static const struct k7_args_words heart_type_words = K7_ARGS_WORDS(heart_type_names, "NET");
K7_ARGS_KEYWORD_COMMAND(hearttp, heart_type, &heart_type_words, SOCKET_ARGS)

/* HEARTDT (001 §4.42): ASCII data, 1..40 bytes; HEARTUSER (001 §4.43): data,ASCII|HEX. */
PACKET_COMMANDS(heartdt, heartuser, heart)

/* ---- PING (§5.3.5 45, 001 §4.15) --------------------------------------------------------------- */

/* AT+PING=<IP or domain name, up to 30 bytes>: one ICMP echo; +OK=SUCCESS when the reply came,
 * +OK=TIMEOUT when it did not (or the name could not be resolved). Blocks the AT line until then. */
static int ping_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)ctx;
    char host[ARG_MAX + 1];
    if (!k7_args_trim_copy(args, host, sizeof host) || !is_host(host, 30)) {
        return K7_AT_ERR_PARAM;
    }
    return k7_args_reply(out, cap, net_ping(host) ? "SUCCESS" : "TIMEOUT");
}

/* ---- the table ---------------------------------------------------------------------------------- */

#define PS (K7_AT_PORT_SUFFIX | K7_AT_PERSIST)

static const struct k7_at_command socket_commands[] = {
    {"SOCKA", PS, socka_query, socka_set},
    {"SOCKB", PS, sockb_query, sockb_set},
    {"SOCKLKA", K7_AT_PORT_SUFFIX, socklka_query, NULL},
    {"SOCKLKB", K7_AT_PORT_SUFFIX, socklkb_query, NULL},
    {"SOCKTON", PS, sockton_query, sockton_set},
    {"UDPON", PS, udpon_query, udpon_set},
    {"UARTCLBUF", PS, uartclbuf_query, uartclbuf_set},
    {"SOCKSL", PS, socksl_query, socksl_set},
    {"SHORTO", PS, shorto_query, shorto_set},
    {"RSTIM", K7_AT_PERSIST, rstim_query, rstim_set},
    {"REGEN", PS, regen_query, regen_set},
    {"REGTCP", PS, regtcp_query, regtcp_set},
    {"REGUSR", PS, regusr_query, regusr_set},
    {"REGUSER", PS, reguser_query, reguser_set},
    {"REGCLOUD", PS, regcloud_query, regcloud_set},
    {"HEARTEN", PS, hearten_query, hearten_set},
    {"HEARTTP", PS, hearttp_query, hearttp_set},
    {"HEARTTM", PS, hearttm_query, hearttm_set},
    {"HEARTDT", PS, heartdt_query, heartdt_set},
    {"HEARTUSER", PS, heartuser_query, heartuser_set},
    {"PING", K7_AT_PORT_SUFFIX, NULL, ping_set},
};

const struct k7_at_table k7_at_socket_table = {socket_commands, sizeof socket_commands / sizeof socket_commands[0]};
