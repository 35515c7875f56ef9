#include "at_args.h"

#include <string.h>

#include "../lib/fmt.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static char *trim(char *s)
{
    while (is_space(*s)) {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && is_space(s[n - 1])) {
        s[--n] = '\0';
    }
    return s;
}

static size_t split_as(char *text, char **fields, size_t max, unsigned flags)
{
    size_t n = 0;
    char *start = text;
    for (;;) {
        char *comma = strchr(start, ',');
        if (comma) {
            *comma = '\0';
        }
        if (n == max) {
            return max + 1;
        }
        fields[n++] = (flags & K7_ARGS_SPACED) ? trim(start) : start;
        if (!comma) {
            return n;
        }
        start = comma + 1;
    }
}

size_t k7_args_split(char *text, char **fields, size_t max)
{
    return split_as(text, fields, max, K7_ARGS_SPACED);
}

bool k7_args_fields(const char *args, char *buf, size_t buf_cap, char **fields, size_t count, unsigned flags)
{
    size_t n = strlen(args);
    if (n >= buf_cap) {
        return false;
    }
    memcpy(buf, args, n + 1u);
    return split_as(buf, fields, count, flags) == count;
}

bool k7_args_trim_copy(const char *text, char *out, size_t cap)
{
    const char *end = text + strlen(text);
    while (is_space(*text)) {
        text++;
    }
    while (end > text && is_space(end[-1])) {
        end--;
    }
    size_t n = (size_t)(end - text);
    if (n >= cap) {
        return false;
    }
    memcpy(out, text, n);
    out[n] = '\0';
    return true;
}

bool k7_args_uint_as(const char *text, uint32_t min, uint32_t max, unsigned flags, uint32_t *out)
{
    char buf[K7_AT_LINE_MAX + 1];
    if (flags & K7_ARGS_SPACED) {
        if (!k7_args_trim_copy(text, buf, sizeof buf)) {
            return false;
        }
        text = buf;
    }
    uint64_t v = 0;
    size_t digits = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9' || (++digits > 10 && !(flags & K7_ARGS_ZEROS))) {
            return false;
        }
        v = v * 10u + (uint64_t)(*p - '0');
        if (v > max) {
            return false; /* checked per digit: no overflow whatever the length */
        }
    }
    if (digits == 0 || v < min) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

bool k7_args_uint(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
    return k7_args_uint_as(text, min, max, 0, out);
}

bool k7_args_keyword(const char *text, const struct k7_args_words *words, unsigned flags, int *out)
{
    char buf[K7_AT_LINE_MAX + 1];
    if (flags & K7_ARGS_SPACED) {
        if (!k7_args_trim_copy(text, buf, sizeof buf)) {
            return false;
        }
        text = buf;
    }
    for (size_t i = 0; i < words->count; i++) {
        if (k7_at_arg_equals(text, words->words[i].name)) {
            *out = words->words[i].value;
            return true;
        }
    }
    return false;
}

const char *k7_args_keyword_name(const struct k7_args_words *words, int value)
{
    for (size_t i = 0; i < words->count; i++) {
        if (words->words[i].value == value) {
            return words->words[i].name;
        }
    }
    return words->other;
}

static const struct k7_args_word onoff_words[] = {{"ON", true}, {"OFF", false}};
const struct k7_args_words k7_args_onoff_words = K7_ARGS_WORDS(onoff_words, "OFF");

bool k7_args_ipv4(const char *text, uint8_t out[4])
{
    uint8_t ip[4];
    const char *p = text;
    for (int i = 0; i < 4; i++) {
        uint32_t v = 0;
        size_t digits = 0;
        while (*p >= '0' && *p <= '9') {
            if (++digits > 3) {
                return false;
            }
            v = v * 10u + (uint32_t)(*p++ - '0');
        }
        if (digits == 0 || v > 255u) {
            return false;
        }
        ip[i] = (uint8_t)v;
        if (i < 3) {
            if (*p != '.') {
                return false;
            }
            p++;
        }
    }
    if (*p != '\0') {
        return false;
    }
    memcpy(out, ip, 4);
    return true;
}

bool k7_args_netmask(const char *text, uint8_t out[4])
{
    uint8_t m[4];
    if (!k7_args_ipv4(text, m)) {
        return false;
    }
    uint32_t v = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
    /* Contiguous ones from the top: the complement plus one is a power of two (or zero). */
    uint32_t host = ~v;
    if ((host & (host + 1u)) != 0u) {
        return false;
    }
    memcpy(out, m, 4);
    return true;
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

bool k7_args_hex_bytes(const char *text, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hex_digit(text[2 * i]);
        if (hi < 0) {
            return false; /* also the end of the text: the next character is not read */
        }
        int lo = hex_digit(text[2 * i + 1]);
        if (lo < 0) {
            return false;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

bool k7_args_mac(const char *text, uint8_t out[6])
{
    uint8_t mac[6];
    if (strlen(text) != 12 || !k7_args_hex_bytes(text, sizeof mac, mac)) {
        return false;
    }
    memcpy(out, mac, 6);
    return true;
}

bool k7_args_onoff(const char *text, bool *out)
{
    int on;
    if (!k7_args_keyword(text, &k7_args_onoff_words, 0, &on)) {
        return false;
    }
    *out = on != 0;
    return true;
}

bool k7_args_text(const char *text, size_t min, size_t max, const char *forbidden)
{
    size_t n = strlen(text);
    if (n < min || n > max) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (c < 0x20 || c > 0x7E || (forbidden && strchr(forbidden, c))) {
            return false;
        }
    }
    return true;
}

int k7_args_reply(char *out, size_t cap, const char *text)
{
    fmt_format(out, cap, "%s", text);
    return K7_AT_OK_VALUE;
}

int k7_args_reply_uint(char *out, size_t cap, uint32_t value)
{
    fmt_format(out, cap, "%lu", (unsigned long)value);
    return K7_AT_OK_VALUE;
}

void k7_args_copy_text(char *field, size_t cap, const char *text)
{
    fmt_format(field, cap, "%s", text);
}
