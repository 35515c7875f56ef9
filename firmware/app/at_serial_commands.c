/*
 * AT commands of the serial port (000_f07c2e1ebe076025.txt §5.3.4 13 and 14; formats, defaults and
 * ranges from 001_7e986a8fb653a8ef.txt §4.19 and §4.20):
 *
 *   AT+UART[1]                  -> +OK=<baud>,<data bits>,<stop bits>,<parity>,<flow>
 *   AT+UART[1]=b,d,s,p,f        -> +OK     baud 600..1024000, data bits 5..8, stop bits 1|2,
 *                                          parity NONE|EVEN|ODD|MARK|SPACE (MASK accepted for MARK,
 *                                          the K3 manual's spelling),
 *                                          flow NFC (no flow control: RS485 direction on RTS),
 *                                               FCH (hardware RTS/CTS; the K3 name FC is accepted),
 *                                               FCR (software XON/XOFF)
 *   AT+UARTTL[1]                -> +OK=<pack time ms>,<pack length>
 *   AT+UARTTL[1]=t,l            -> +OK     t 0..255 ms, l 0..1460 bytes (0 = automatic, §4.3.3)
 *
 * Anything else in the set forms (wrong number of fields, empty field, non-digits, out of range,
 * unknown name) is -4, invalid parameter; nothing is changed then. Words are case-insensitive.
 *
 * Both are saved in flash by the interpreter (K7_AT_PERSIST) and take effect after a restart
 * (k7-behaviour.md "Every command of §5.3.4 exists; ... take effect after AT+Z"): the running port
 * keeps its line settings, so the host that typed the command is still understood until AT+Z.
 */
#include "at_commands.h"

#include <string.h>

#include "../lib/fmt.h"

#define UART_BAUD_MIN       600u
#define UART_BAUD_MAX       1024000u
#define UARTTL_TIME_MAX_MS  255u
#define UARTTL_LENGTH_MAX   1460u

#define FIELDS_MAX   5
#define FIELD_LEN    16

/* Split "a,b,c" into exactly `want` fields; false when the count differs or a field is empty or too
 * long for any valid value. */
static bool split_fields(const char *args, char fields[][FIELD_LEN], int want)
{
    int n = 0;
    size_t len = 0;
    for (const char *p = args;; p++) {
        if (*p == ',' || *p == '\0') {
            if (len == 0 || n >= want) {
                return false;
            }
            fields[n][len] = '\0';
            n++;
            len = 0;
            if (*p == '\0') {
                break;
            }
            continue;
        }
        if (len + 1 >= FIELD_LEN || n >= want) {
            return false;
        }
        fields[n][len++] = *p;
    }
    return n == want;
}

/* Decimal digits only, no sign, within [min, max]. */
static bool parse_uint(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
    uint64_t v = 0;
    if (*s == '\0') {
        return false;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
        v = v * 10u + (uint64_t)(*s - '0');
        if (v > max) {
            return false; /* checked per digit: no overflow whatever the length */
        }
    }
    if (v < min) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

struct name_value {
    const char *name;
    int value;
};

static const struct name_value parity_names[] = {
    {"NONE", UART_PARITY_NONE}, {"EVEN", UART_PARITY_EVEN}, {"ODD", UART_PARITY_ODD},
    {"MARK", UART_PARITY_MARK}, {"SPACE", UART_PARITY_SPACE}, {"MASK", UART_PARITY_MARK},
};

static const struct name_value flow_names[] = {
    {"NFC", K7_FLOW_NONE}, {"FCH", K7_FLOW_HW}, {"FCR", K7_FLOW_XONXOFF}, {"FC", K7_FLOW_HW},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool lookup_name(const struct name_value *table, size_t n, const char *word, int *out)
{
    for (size_t i = 0; i < n; i++) {
        if (k7_at_arg_equals(word, table[i].name)) {
            *out = table[i].value;
            return true;
        }
    }
    return false;
}

/* The name a query answers with: the first entry of the value (the K7 spelling). */
static const char *name_of(const struct name_value *table, size_t n, int value)
{
    for (size_t i = 0; i < n; i++) {
        if (table[i].value == value) {
            return table[i].name;
        }
    }
    return "?";
}

/* AT+UART (§5.3.4 13, 001 §4.19). */
static int uart_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    const struct k7_serial_settings *s = &ctx->settings->serial;
    fmt_format(out, cap, "%lu,%u,%u,%s,%s", (unsigned long)s->baud, s->data_bits, s->stop_bits,
               name_of(parity_names, COUNT(parity_names), (int)s->parity),
               name_of(flow_names, COUNT(flow_names), (int)s->flow));
    return K7_AT_OK_VALUE;
}

static int uart_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    char f[FIELDS_MAX][FIELD_LEN];
    uint32_t baud, data_bits, stop_bits;
    int parity, flow;
    if (!split_fields(args, f, 5) || !parse_uint(f[0], UART_BAUD_MIN, UART_BAUD_MAX, &baud) ||
        !parse_uint(f[1], 5, 8, &data_bits) || !parse_uint(f[2], 1, 2, &stop_bits) ||
        !lookup_name(parity_names, COUNT(parity_names), f[3], &parity) ||
        !lookup_name(flow_names, COUNT(flow_names), f[4], &flow)) {
        return K7_AT_ERR_PARAM;
    }
    struct k7_serial_settings *s = &ctx->settings->serial;
    s->baud = baud;
    s->data_bits = (uint8_t)data_bits;
    s->stop_bits = (uint8_t)stop_bits;
    s->parity = (enum uart_parity)parity;
    s->flow = (enum k7_flow)flow;
    return K7_AT_OK;
}

/* AT+UARTTL (§5.3.4 14, 001 §4.20). */
static int uarttl_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    const struct k7_serial_settings *s = &ctx->settings->serial;
    fmt_format(out, cap, "%lu,%lu", (unsigned long)s->pack_time_ms, (unsigned long)s->pack_length);
    return K7_AT_OK_VALUE;
}

static int uarttl_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    char f[FIELDS_MAX][FIELD_LEN];
    uint32_t time_ms, length;
    if (!split_fields(args, f, 2) || !parse_uint(f[0], 0, UARTTL_TIME_MAX_MS, &time_ms) ||
        !parse_uint(f[1], 0, UARTTL_LENGTH_MAX, &length)) {
        return K7_AT_ERR_PARAM;
    }
    ctx->settings->serial.pack_time_ms = time_ms;
    ctx->settings->serial.pack_length = length;
    return K7_AT_OK;
}

static const struct k7_at_command serial_commands[] = {
    {"UART", K7_AT_PORT_SUFFIX | K7_AT_PERSIST, uart_query, uart_set},
    {"UARTTL", K7_AT_PORT_SUFFIX | K7_AT_PERSIST, uarttl_query, uarttl_set},
};

const struct k7_at_table k7_at_serial_table = {serial_commands, COUNT(serial_commands)};
