#include "fmt.h"

#include <stdbool.h>
#include <stdint.h>

struct out {
    char *buf;
    size_t cap;
    size_t len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->cap) {
        o->buf[o->len] = c;
    }
    o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, size_t width, bool left, char pad)
{
    size_t fill = width > n ? width - n : 0;
    if (!left) {
        while (fill--) {
            put(o, pad);
        }
    }
    for (size_t i = 0; i < n; i++) {
        put(o, s[i]);
    }
    if (left) {
        while (fill--) {
            put(o, ' ');
        }
    }
}

static void put_number(struct out *o, uint64_t v, bool negative, unsigned base, bool upper, size_t width,
                       bool left, bool zero)
{
    char tmp[24];
    size_t n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (negative && zero && !left) { /* sign before the zero padding */
        put(o, '-');
        width = width ? width - 1 : 0;
        negative = false;
    }
    if (negative) {
        tmp[n++] = '-';
    }
    char rev[24];
    for (size_t i = 0; i < n; i++) {
        rev[i] = tmp[n - 1 - i];
    }
    put_padded(o, rev, n, width, left, zero && !left ? '0' : ' ');
}

size_t fmt_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
    struct out o = {buf, cap, 0};
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        p++;
        bool left = false, zero = false;
        for (;; p++) {
            if (*p == '-') {
                left = true;
            } else if (*p == '0') {
                zero = true;
            } else {
                break;
            }
        }
        size_t width = 0;
        while (*p >= '0' && *p <= '9') {
            width = width * 10u + (size_t)(*p - '0');
            p++;
        }
        int lmod = 0; /* 0 int, 1 long, 2 long long, 3 size_t */
        if (*p == 'l') {
            lmod = 1;
            p++;
            if (*p == 'l') {
                lmod = 2;
                p++;
            }
        } else if (*p == 'z') {
            lmod = 3;
            p++;
        }
        switch (*p) {
        case '%': put(&o, '%'); break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_padded(&o, &c, 1, width, left, ' ');
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) {
                s = "(null)";
            }
            size_t n = 0;
            while (s[n]) {
                n++;
            }
            put_padded(&o, s, n, width, left, ' ');
            break;
        }
        case 'd':
        case 'i': {
            int64_t v = lmod == 2 ? va_arg(ap, long long) : lmod == 1 ? va_arg(ap, long)
                      : lmod == 3 ? (int64_t)va_arg(ap, size_t) : va_arg(ap, int);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            put_number(&o, mag, v < 0, 10, false, width, left, zero);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = lmod == 2 ? va_arg(ap, unsigned long long) : lmod == 1 ? va_arg(ap, unsigned long)
                       : lmod == 3 ? va_arg(ap, size_t) : va_arg(ap, unsigned int);
            put_number(&o, v, false, *p == 'u' ? 10u : 16u, *p == 'X', width, left, zero);
            break;
        }
        case '\0':
            p--; /* a lone '%' at the end: stop */
            break;
        default: /* unknown conversion: print it as is */
            put(&o, '%');
            put(&o, *p);
            break;
        }
    }
    if (cap) {
        buf[o.len < cap ? o.len : cap - 1] = '\0';
    }
    return o.len;
}

size_t fmt_format(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = fmt_vformat(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}
