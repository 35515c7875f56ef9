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
#include "at_args.h"

#define UART_BAUD_MIN       600u
#define UART_BAUD_MAX       1024000u
#define UARTTL_TIME_MAX_MS  255u
#define UARTTL_LENGTH_MAX   1460u

#define FIELD_LEN    16 /* a field longer than 15 characters is no valid value */

/* Split a copy of args (into buf) at the commas into exactly `want` fields, kept as typed (a space
 * is no part of a valid value), each shorter than FIELD_LEN. */
static bool split_fields(const char *args, char *buf, char **fields, size_t want)
{
    if (!k7_args_fields(args, buf, K7_AT_LINE_MAX + 1, fields, want, 0)) {
        return false;
    }
    for (size_t i = 0; i < want; i++) {
        if (strlen(fields[i]) >= FIELD_LEN) {
            return false;
        }
    }
    return true;
}

/* Digits only, any leading zeros within the field's length. */
static bool parse_uint(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
    return k7_args_uint_as(s, min, max, K7_ARGS_ZEROS, out);
}

static const struct k7_args_word parity_names[] = {
    {"NONE", UART_PARITY_NONE}, {"EVEN", UART_PARITY_EVEN}, {"ODD", UART_PARITY_ODD},
    {"MARK", UART_PARITY_MARK}, {"SPACE", UART_PARITY_SPACE}, {"MASK", UART_PARITY_MARK},
};
static const struct k7_args_words parity_words = K7_ARGS_WORDS(parity_names, "?");

static const struct k7_args_word flow_names[] = {
    {"NFC", K7_FLOW_NONE}, {"FCH", K7_FLOW_HW}, {"FCR", K7_FLOW_XONXOFF}, {"FC", K7_FLOW_HW},
};
static const struct k7_args_words flow_words = K7_ARGS_WORDS(flow_names, "?");

/* AT+UART (§5.3.4 13, 001 §4.19). */
static int uart_query(struct k7_at_ctx *ctx, char *out, size_t cap)
{
    const struct k7_serial_settings *s = &ctx->settings->serial;
    fmt_format(out, cap, "%lu,%u,%u,%s,%s", (unsigned long)s->baud, s->data_bits, s->stop_bits,
               k7_args_keyword_name(&parity_words, (int)s->parity), k7_args_keyword_name(&flow_words, (int)s->flow));
    return K7_AT_OK_VALUE;
}

static int uart_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)
{
    (void)out;
    (void)cap;
    char buf[K7_AT_LINE_MAX + 1];
    char *f[5];
    uint32_t baud, data_bits, stop_bits;
    int parity, flow;
    if (!split_fields(args, buf, f, 5) || !parse_uint(f[0], UART_BAUD_MIN, UART_BAUD_MAX, &baud) ||
        !parse_uint(f[1], 5, 8, &data_bits) || !parse_uint(f[2], 1, 2, &stop_bits) ||
        !k7_args_keyword(f[3], &parity_words, 0, &parity) || !k7_args_keyword(f[4], &flow_words, 0, &flow)) {
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
    char buf[K7_AT_LINE_MAX + 1];
    char *f[2];
    uint32_t time_ms, length;
    if (!split_fields(args, buf, f, 2) || !parse_uint(f[0], 0, UARTTL_TIME_MAX_MS, &time_ms) ||
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

const struct k7_at_table k7_at_serial_table = {serial_commands, sizeof serial_commands / sizeof serial_commands[0]};
