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
#include "at_commands.h"

#define ARG_MAX K7_AT_LINE_MAX

/* ---- argument helpers -------------------------------------------------------------------------- */

static int value(char *out, size_t cap, const char *s)
{
    fmt_format(out, cap, "%s", s);
    return K7_AT_OK_VALUE;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Copy [begin, end) trimmed of spaces into dst (cap bytes). False if it does not fit. */
static bool trimmed(const char *begin, const char *end, char *dst, size_t cap)
{
    while (begin < end && is_space(*begin)) {
        begin++;
    }
    while (end > begin && is_space(end[-1])) {
        end--;
    }
    size_t n = (size_t)(end - begin);
    if (n >= cap) {
        return false;
    }
    memcpy(dst, begin, n);
    dst[n] = '\0';
    return true;
}

/* Split "a,b,c" into exactly `count` trimmed fields. */
static bool split(const char *args, char fields[][ARG_MAX + 1], unsigned count)
{
    const char *p = args;
    for (unsigned i = 0; i < count; i++) {
        const char *comma = i + 1 < count ? strchr(p, ',') : NULL;
        const char *end = comma ? comma : p + strlen(p);
        if (i + 1 < count && !comma) {
            return false;
        }
        if (i + 1 == count && strchr(p, ',')) {
            return false;
        }
        if (!trimmed(p, end, fields[i], ARG_MAX + 1)) {
            return false;
        }
        p = comma ? comma + 1 : end;
    }
    return true;
}

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
    return trimmed(comma + 1, comma + strlen(comma), type, ARG_MAX + 1);
}

/* A decimal number in [min, max], nothing else. */
static bool parse_uint(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
    char buf[ARG_MAX + 1];
    if (!trimmed(text, text + strlen(text), buf, sizeof buf) || buf[0] == '\0') {
        return false;
    }
    uint32_t v = 0;
    for (const char *p = buf; *p; p++) {
        if (*p < '0' || *p > '9' || v > 100000000u) {
            return false;
        }
        v = v * 10u + (uint32_t)(*p - '0');
    }
    if (v < min || v > max) {
        return false;
    }
    *out = v;
    return true;
}

static int set_on_off(const char *args, bool *flag)
{
    char buf[ARG_MAX + 1];
    if (!trimmed(args, args + strlen(args), buf, sizeof buf)) {
        return K7_AT_ERR_PARAM;
    }
    if (k7_at_arg_equals(buf, "ON")) {
        *flag = true;
    } else if (k7_at_arg_equals(buf, "OFF")) {
        *flag = false;
    } else {
        return K7_AT_ERR_PARAM;
    }
    return K7_AT_OK;
}

static int set_u32(const char *args, uint32_t min, uint32_t max, uint32_t *field)
{
    uint32_t v;
    if (!parse_uint(args, min, max, &v)) {
        return K7_AT_ERR_PARAM;
    }
    *field = v;
    return K7_AT_OK;
}

static int query_u32(char *out, size_t cap, uint32_t v)
{
    fmt_format(out, cap, "%lu", (unsigned long)v);
    return K7_AT_OK_VALUE;
}

/* Dotted IPv4 address a.b.c.d, each 0..255. */
static bool is_ipv4(const char *s)
{
    unsigned parts = 0;
    while (parts < 4) {
        uint32_t v = 0;
        unsigned digits = 0;
        while (*s >= '0' && *s <= '9') {
            v = v * 10u + (uint32_t)(*s++ - '0');
            if (++digits > 3) {
                return false;
            }
        }
        if (digits == 0 || v > 255u) {
            return false;
        }
        parts++;
        if (parts < 4) {
            if (*s != '.') {
                return false;
            }
            s++;
        }
    }
    return *s == '\0';
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
    return is_ipv4(s) || is_host_name(s, max);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
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
    for (size_t i = 0; i < n / 2u; i++) {
        int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return K7_AT_ERR_PARAM;
        }
        bytes[i] = (uint8_t)(hi << 4 | lo);
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

/* ---- SOCKA / SOCKB (§5.3.5 15, 001 §4.21) ------------------------------------------------------ */

static const struct {
    const char *name;
    enum k7_sock_mode mode;
} sock_modes[] = {
    {"TCPS", K7_SOCK_TCP_SERVER}, {"TCPC", K7_SOCK_TCP_CLIENT}, {"UDPS", K7_SOCK_UDP_SERVER},
    {"UDPC", K7_SOCK_UDP_CLIENT}, {"HTPC", K7_SOCK_HTTPD_CLIENT}, {"NONE", K7_SOCK_OFF},
};

static bool is_server(enum k7_sock_mode m)
{
    return m == K7_SOCK_TCP_SERVER || m == K7_SOCK_UDP_SERVER;
}

static int sock_query(const struct k7_socket_settings *s, char *out, size_t cap)
{
    const char *name = "NONE";
    for (size_t i = 0; i < sizeof sock_modes / sizeof sock_modes[0]; i++) {
        if (sock_modes[i].mode == s->mode) {
            name = sock_modes[i].name;
        }
    }
    /* The port is the local one in the server modes, the remote one in the client modes. */
    fmt_format(out, cap, "%s,%s,%u", name, s->remote_host, is_server(s->mode) ? s->local_port : s->remote_port);
    return K7_AT_OK_VALUE;
}

static int sock_set(struct k7_socket_settings *s, const char *args, bool may_be_off)
{
    char f[3][ARG_MAX + 1];
    if (!split(args, f, 3)) {
        return K7_AT_ERR_PARAM;
    }
    int mode = -1;
    for (size_t i = 0; i < sizeof sock_modes / sizeof sock_modes[0]; i++) {
        if (k7_at_arg_equals(f[0], sock_modes[i].name)) {
            mode = (int)sock_modes[i].mode;
        }
    }
    uint32_t port;
    if (mode < 0 || (mode == K7_SOCK_OFF && !may_be_off) || !is_host(f[1], K7_HOST_MAX - 1u) ||
        !parse_uint(f[2], 1, 65535, &port)) {
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

static int socka_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    return sock_query(&ctx->settings->sock_a, out, cap);
}

static int socka_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    return sock_set(&ctx->settings->sock_a, args, false);
}

static int sockb_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    return sock_query(&ctx->settings->sock_b, out, cap);
}

static int sockb_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    return sock_set(&ctx->settings->sock_b, args, true);
}

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

#define ON_OFF_COMMAND(fn, field)                                                                  \
    static int fn##_query(struct k7_at_ctx *ctx, char *out, size_t cap)                            \
    {                                                                                              \
        return value(out, cap, ctx->settings->field ? "ON" : "OFF");                               \
    }                                                                                              \
    static int fn##_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)            \
    {                                                                                              \
        (void)out;                                                                                 \
        (void)cap;                                                                                 \
        return set_on_off(args, &ctx->settings->field);                                            \
    }

#define NUMBER_COMMAND(fn, field, min, max)                                                        \
    static int fn##_query(struct k7_at_ctx *ctx, char *out, size_t cap)                            \
    {                                                                                              \
        return query_u32(out, cap, ctx->settings->field);                                          \
    }                                                                                              \
    static int fn##_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)            \
    {                                                                                              \
        (void)out;                                                                                 \
        (void)cap;                                                                                 \
        return set_u32(args, (min), (max), &ctx->settings->field);                                 \
    }

ON_OFF_COMMAND(udpon, udp_any_peer)                 /* 001 §4.29 */
ON_OFF_COMMAND(uartclbuf, clear_buffer_on_connect)  /* 001 §4.30 */
ON_OFF_COMMAND(socksl, short_connection)            /* 001 §4.25 */
ON_OFF_COMMAND(hearten, heart_enable)               /* 001 §4.39 */
NUMBER_COMMAND(sockton, socket_timeout_s, 1, 99999) /* 001 §4.27 */
NUMBER_COMMAND(shorto, short_connection_s, 2, 255)  /* 001 §4.26 */
NUMBER_COMMAND(hearttm, heart_time_s, 1, 65535)     /* 001 §4.41 */

/* RSTIM (001 §4.13): 0 (off) or 60..65535 s. */
static int rstim_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    return query_u32(out, cap, ctx->settings->reset_timeout_s);
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

static const struct {
    const char *name;
    enum k7_reg_kind kind;
} reg_kinds[] = {{"OFF", K7_REG_OFF}, {"MAC", K7_REG_MAC}, {"CLOUD", K7_REG_CLOUD}, {"USR", K7_REG_USR}};

static int regen_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    for (size_t i = 0; i < sizeof reg_kinds / sizeof reg_kinds[0]; i++) {
        if (reg_kinds[i].kind == ctx->settings->reg_kind) {
            return value(out, cap, reg_kinds[i].name);
        }
    }
    return value(out, cap, "OFF");
}

static int regen_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    char buf[ARG_MAX + 1];
    if (!trimmed(args, args + strlen(args), buf, sizeof buf)) {
        return K7_AT_ERR_PARAM;
    }
    for (size_t i = 0; i < sizeof reg_kinds / sizeof reg_kinds[0]; i++) {
        if (k7_at_arg_equals(buf, reg_kinds[i].name)) {
            ctx->settings->reg_kind = reg_kinds[i].kind;
            return K7_AT_OK;
        }
    }
    return K7_AT_ERR_PARAM;
}

static const struct {
    const char *name;
    enum k7_reg_when when;
} reg_whens[] = {{"First", K7_REG_FIRST}, {"Every", K7_REG_EVERY}, {"ALL", K7_REG_ALL}};

static int regtcp_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    for (size_t i = 0; i < sizeof reg_whens / sizeof reg_whens[0]; i++) {
        if (reg_whens[i].when == ctx->settings->reg_when) {
            return value(out, cap, reg_whens[i].name);
        }
    }
    return value(out, cap, "First");
}

static int regtcp_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    char buf[ARG_MAX + 1];
    if (!trimmed(args, args + strlen(args), buf, sizeof buf)) {
        return K7_AT_ERR_PARAM;
    }
    for (size_t i = 0; i < sizeof reg_whens / sizeof reg_whens[0]; i++) {
        if (k7_at_arg_equals(buf, reg_whens[i].name)) {
            ctx->settings->reg_when = reg_whens[i].when;
            return K7_AT_OK;
        }
    }
    return K7_AT_ERR_PARAM;
}

/* REGUSR (001 §4.36): ASCII data, 1..40 bytes. */
static int regusr_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    const struct k7_settings *s = ctx->settings;
    packet_text(s->reg_data, s->reg_len, s->reg_hex, out, cap);
    return K7_AT_OK_VALUE;
}

static int regusr_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    struct k7_settings *s = ctx->settings;
    return set_packet_ascii(args, s->reg_data, &s->reg_len, &s->reg_hex);
}

/* REGUSER (001 §4.37): data,ASCII|HEX. */
static int reguser_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    const struct k7_settings *s = ctx->settings;
    char data[2u * PACKET_BYTES_MAX + 1u];
    packet_text(s->reg_data, s->reg_len, s->reg_hex, data, sizeof data);
    fmt_format(out, cap, "%s,%s", data, s->reg_hex ? "HEX" : "ASCII");
    return K7_AT_OK_VALUE;
}

static int reguser_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    struct k7_settings *s = ctx->settings;
    return set_packet_typed(args, s->reg_data, &s->reg_len, &s->reg_hex);
}

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
    char f[2][ARG_MAX + 1];
    struct k7_settings *s = ctx->settings;
    if (!split(args, f, 2) || f[0][0] == '\0' || f[1][0] == '\0' || strlen(f[0]) >= sizeof s->cloud_id ||
        strlen(f[1]) >= sizeof s->cloud_password) {
        return K7_AT_ERR_PARAM;
    }
    fmt_format(s->cloud_id, sizeof s->cloud_id, "%s", f[0]);
    fmt_format(s->cloud_password, sizeof s->cloud_password, "%s", f[1]);
    return K7_AT_OK;
}

/* ---- heartbeat (001 §4.39-§4.43) --------------------------------------------------------------- */

static int hearttp_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    return value(out, cap, ctx->settings->heart_type == K7_HEART_COM ? "COM" : "NET");
}

static int hearttp_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    char buf[ARG_MAX + 1];
    if (!trimmed(args, args + strlen(args), buf, sizeof buf)) {
        return K7_AT_ERR_PARAM;
    }
    if (k7_at_arg_equals(buf, "NET")) {
        ctx->settings->heart_type = K7_HEART_NET;
    } else if (k7_at_arg_equals(buf, "COM")) {
        ctx->settings->heart_type = K7_HEART_COM;
    } else {
        return K7_AT_ERR_PARAM;
    }
    return K7_AT_OK;
}

/* HEARTDT (001 §4.42): ASCII data, 1..40 bytes. */
static int heartdt_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    const struct k7_settings *s = ctx->settings;
    packet_text(s->heart_data, s->heart_len, s->heart_hex, out, cap);
    return K7_AT_OK_VALUE;
}

static int heartdt_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    struct k7_settings *s = ctx->settings;
    return set_packet_ascii(args, s->heart_data, &s->heart_len, &s->heart_hex);
}

/* HEARTUSER (001 §4.43): data,ASCII|HEX. */
static int heartuser_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    const struct k7_settings *s = ctx->settings;
    char data[2u * PACKET_BYTES_MAX + 1u];
    packet_text(s->heart_data, s->heart_len, s->heart_hex, data, sizeof data);
    fmt_format(out, cap, "%s,%s", data, s->heart_hex ? "HEX" : "ASCII");
    return K7_AT_OK_VALUE;
}

static int heartuser_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    struct k7_settings *s = ctx->settings;
    return set_packet_typed(args, s->heart_data, &s->heart_len, &s->heart_hex);
}

/* ---- PING (§5.3.5 45, 001 §4.15) --------------------------------------------------------------- */

/* AT+PING=<IP or domain name, up to 30 bytes>: one ICMP echo; +OK=SUCCESS when the reply came,
 * +OK=TIMEOUT when it did not (or the name could not be resolved). Blocks the AT line until then. */
static int ping_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)ctx;
    char host[ARG_MAX + 1];
    if (!trimmed(args, args + strlen(args), host, sizeof host) || !is_host(host, 30)) {
        return K7_AT_ERR_PARAM;
    }
    return value(out, cap, net_ping(host) ? "SUCCESS" : "TIMEOUT");
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
