/*
 * Small printf-style formatter (no heap, no locale, no floating point) for console messages and
 * AT reply values. Supports %% %c %s %d %i %u %x %X with flags '-' '0', a field width, and the
 * length modifiers l, ll and z.
 */
#ifndef K7_LIB_FMT_H
#define K7_LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf: writes at most cap-1 characters plus a NUL (when cap > 0) and returns the length
 * the full output would have had. */
size_t fmt_vformat(char *buf, size_t cap, const char *fmt, va_list ap);
size_t fmt_format(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
