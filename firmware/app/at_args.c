#include "at_args.h"

#include <string.h>

#include "at.h"

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

size_t k7_args_split(char *text, char **fields, size_t max)
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
        fields[n++] = trim(start);
        if (!comma) {
            return n;
        }
        start = comma + 1;
    }
}

bool k7_args_uint(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
    uint64_t v = 0;
    size_t digits = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9' || ++digits > 10) {
            return false;
        }
        v = v * 10u + (uint64_t)(*p - '0');
    }
    if (digits == 0 || v < min || v > max) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

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

bool k7_args_mac(const char *text, uint8_t out[6])
{
    if (strlen(text) != 12) {
        return false;
    }
    uint8_t mac[6];
    for (int i = 0; i < 6; i++) {
        int hi = hex_digit(text[2 * i]);
        int lo = hex_digit(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return false;
        }
        mac[i] = (uint8_t)(hi << 4 | lo);
    }
    memcpy(out, mac, 6);
    return true;
}

bool k7_args_onoff(const char *text, bool *out)
{
    if (k7_at_arg_equals(text, "ON")) {
        *out = true;
        return true;
    }
    if (k7_at_arg_equals(text, "OFF")) {
        *out = false;
        return true;
    }
    return false;
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
