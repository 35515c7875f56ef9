/*
 * Parsing of AT command parameters (the text after '='), shared by the command tables. Every
 * function checks the whole text: trailing garbage is an invalid parameter, never silently ignored.
 */
#ifndef K7_APP_AT_ARGS_H
#define K7_APP_AT_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "at.h"

/* Split `text` in place at every ',' into at most `max` fields, each trimmed of the spaces around it
 * (so "48899, www.usr.cn" reads like "48899,www.usr.cn", as in the manual's examples). Returns the
 * number of fields, or max + 1 if there are more. */
size_t k7_args_split(char *text, char **fields, size_t max);

/* How a parameter is read (flags of the k7_args_*_as functions and the command macros below; 0 is
 * the rule of k7_args_uint / k7_args_onoff):
 *   K7_ARGS_SPACED  spaces and tabs around the text are ignored (the socket commands' rule);
 *   K7_ARGS_ZEROS   a number may have any count of leading zeros (else at most 10 digits in all). */
#define K7_ARGS_SPACED 0x1u
#define K7_ARGS_ZEROS  0x2u

/* A decimal number of 1..10 digits (no sign) within [min, max]. */
bool k7_args_uint(const char *text, uint32_t min, uint32_t max, uint32_t *out);

/* A decimal number (no sign) within [min, max], read by `flags`. */
bool k7_args_uint_as(const char *text, uint32_t min, uint32_t max, unsigned flags, uint32_t *out);

/* One word of a keyword table, case-insensitive. Several words may name one value (aliases); the
 * first of them is the one a query answers with. */
struct k7_args_word {
    const char *name;
    int value;
};

struct k7_args_words {
    const struct k7_args_word *words;
    size_t count;
    const char *other; /* what a query answers for a value no word names */
};

#define K7_ARGS_WORDS(table, other) {(table), sizeof(table) / sizeof((table)[0]), (other)}

/* The value of the word `text` (read by `flags`). */
bool k7_args_keyword(const char *text, const struct k7_args_words *words, unsigned flags, int *out);

/* The word a query answers for `value`: its first word, else words->other. */
const char *k7_args_keyword_name(const struct k7_args_words *words, int value);

/* ON (true) / OFF (false), for k7_args_keyword. */
extern const struct k7_args_words k7_args_onoff_words;

/* Copy `text` without the spaces and tabs around it into out (cap bytes); false if it does not fit. */
bool k7_args_trim_copy(const char *text, char *out, size_t cap);

/* Split a copy of args in place like k7_args_split, into exactly `count` fields read by `flags`
 * (without K7_ARGS_SPACED the fields keep their spaces). False for another count. */
bool k7_args_fields(const char *args, char *buf, size_t buf_cap, char **fields, size_t count, unsigned flags);

/* 2 * n hexadecimal digits (either case) at text, as n bytes. Does not look past them. */
bool k7_args_hex_bytes(const char *text, size_t n, uint8_t *out);

/* Dotted IPv4 address: four decimal octets 0..255 of 1..3 digits. */
bool k7_args_ipv4(const char *text, uint8_t out[4]);

/* A subnet mask: an IPv4 address whose ones are contiguous from the top (0.0.0.0..255.255.255.255). */
bool k7_args_netmask(const char *text, uint8_t out[4]);

/* 12 hexadecimal digits (either case), e.g. "D8B04C000007". */
bool k7_args_mac(const char *text, uint8_t out[6]);

/* ON / OFF, case-insensitive. */
bool k7_args_onoff(const char *text, bool *out);

/* Text of min..max characters, all printable ASCII (0x20..0x7E) and none of `forbidden`. */
bool k7_args_text(const char *text, size_t min, size_t max, const char *forbidden);

/* Replies of query handlers: `text`, or a decimal number, as "+OK=<value>". */
int k7_args_reply(char *out, size_t cap, const char *text);
int k7_args_reply_uint(char *out, size_t cap, uint32_t value);

/*
 * The query and set handlers (FN_query, FN_set) of a plain setting ctx->settings->FIELD, so that
 * such a command is one line here and one line in its table:
 *   K7_ARGS_ONOFF_COMMAND(fn, field, flags)              ON / OFF, a bool
 *   K7_ARGS_UINT_COMMAND(fn, field, min, max, flags)     a decimal number in [min, max]
 *   K7_ARGS_KEYWORD_COMMAND(fn, field, words, flags)     one word of a struct k7_args_words
 *   K7_ARGS_TEXT_COMMAND(fn, field, min, max)            min..max printable characters, a char array
 * A parse error is -4 (invalid parameter) and leaves the setting as it was.
 */
/* The handlers of a setting read into `type v` by the expression `parse` (of args and &v) and
 * answered by the expression `reply` (of ctx, out and cap). */
#define K7_ARGS_SETTING_COMMAND(fn, field, type, reply, parse)                                     \
    static int fn##_query(struct k7_at_ctx *ctx, char *out, size_t cap)                            \
    {                                                                                              \
        return (reply);                                                                            \
    }                                                                                              \
    static int fn##_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)            \
    {                                                                                              \
        (void)out;                                                                                 \
        (void)cap;                                                                                 \
        type v;                                                                                    \
        if (!(parse)) {                                                                            \
            return K7_AT_ERR_PARAM;                                                                \
        }                                                                                          \
        ctx->settings->field = v; /* fits: the parse bounds v to the field's values */            \
        return K7_AT_OK;                                                                           \
    }

#define K7_ARGS_KEYWORD_COMMAND(fn, field, words, flags)                                           \
    K7_ARGS_SETTING_COMMAND(fn, field, int,                                                        \
                            k7_args_reply(out, cap, k7_args_keyword_name((words), (int)ctx->settings->field)), \
                            k7_args_keyword(args, (words), (flags), &v))

#define K7_ARGS_ONOFF_COMMAND(fn, field, flags) K7_ARGS_KEYWORD_COMMAND(fn, field, &k7_args_onoff_words, flags)

#define K7_ARGS_UINT_COMMAND(fn, field, min, max, flags)                                           \
    K7_ARGS_SETTING_COMMAND(fn, field, uint32_t, k7_args_reply_uint(out, cap, ctx->settings->field), \
                            k7_args_uint_as(args, (min), (max), (flags), &v))

#define K7_ARGS_TEXT_COMMAND(fn, field, min, max)                                                  \
    static int fn##_query(struct k7_at_ctx *ctx, char *out, size_t cap)                            \
    {                                                                                              \
        return k7_args_reply(out, cap, ctx->settings->field);                                      \
    }                                                                                              \
    static int fn##_set(struct k7_at_ctx *ctx, const char *args, char *out, size_t cap)            \
    {                                                                                              \
        (void)out;                                                                                 \
        (void)cap;                                                                                 \
        if (!k7_args_text(args, (min), (max), NULL)) {                                             \
            return K7_AT_ERR_PARAM;                                                                \
        }                                                                                          \
        k7_args_copy_text(ctx->settings->field, sizeof ctx->settings->field, args);                \
        return K7_AT_OK;                                                                           \
    }

/* Store text into a char array of `cap` bytes (cut to fit, always terminated). */
void k7_args_copy_text(char *field, size_t cap, const char *text);

#endif
