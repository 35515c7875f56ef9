#include "console.h"

#include <stdarg.h>

#include "../lib/fmt.h"
#include "systime.h"

#define CONSOLE_LINE_MAX 192

static struct uart_dev *console_uart; /* the one debug console of the board */

void console_init(struct uart_dev *u)
{
    console_uart = u;
}

void console_write(const char *s)
{
    if (!console_uart) {
        return;
    }
    const char *start = s;
    for (; *s; s++) {
        if (*s == '\n') {
            uart_write(console_uart, start, (size_t)(s - start));
            uart_write(console_uart, "\r\n", 2);
            start = s + 1;
        }
    }
    uart_write(console_uart, start, (size_t)(s - start));
}

void console_printf(const char *fmt, ...)
{
    char line[CONSOLE_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    fmt_vformat(line, sizeof line, fmt, ap);
    va_end(ap);
    console_write(line);
}

void console_log(const char *fmt, ...)
{
    char line[CONSOLE_LINE_MAX];
    uint64_t us = systime_us();
    size_t n = fmt_format(line, sizeof line, "[%5lu.%06lu] ", (unsigned long)(us / 1000000u),
                          (unsigned long)(us % 1000000u));
    if (n < sizeof line) {
        va_list ap;
        va_start(ap, fmt);
        fmt_vformat(line + n, sizeof line - n, fmt, ap);
        va_end(ap);
    }
    console_write(line);
    console_write("\n");
}
