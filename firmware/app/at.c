#include "at.h"

#include <string.h>

#include "../lib/fmt.h"

#define CR '\r'
#define LF '\n'
#define K7_AT_NAME_MAX 24

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

bool k7_at_arg_equals(const char *arg, const char *word)
{
    while (*arg && *word) {
        if (upper(*arg) != upper(*word)) {
            return false;
        }
        arg++;
        word++;
    }
    return *arg == '\0' && *word == '\0';
}

void k7_at_init(struct k7_at *at, const struct k7_at_table *const *tables, struct k7_settings *settings,
                const char *version, k7_at_persist_fn persist, k7_at_write_fn write, void *io)
{
    at->tables = tables;
    at->ctx.settings = settings;
    at->ctx.version = version;
    at->ctx.after = K7_AT_AFTER_NONE;
    at->ctx.persist = persist;
    at->write = write;
    at->io = io;
    k7_at_reset(at);
}

void k7_at_reset(struct k7_at *at)
{
    at->len = 0;
    at->overflow = false;
    at->after_cr = false;
}

static void emit(struct k7_at *at, const char *s, size_t n)
{
    at->write(at->io, (const uint8_t *)s, n);
}

static void reply(struct k7_at *at, int result, const char *value)
{
    char buf[K7_AT_VALUE_MAX + 16];
    size_t n;
    if (result == K7_AT_OK_VALUE) {
        n = fmt_format(buf, sizeof buf, "\r\n+OK=%s\r\n", value);
    } else if (result >= 0) {
        n = fmt_format(buf, sizeof buf, "\r\n+OK\r\n");
    } else {
        n = fmt_format(buf, sizeof buf, "\r\n+ERR=%d\r\n", result);
    }
    if (n >= sizeof buf) {
        n = sizeof buf - 1;
    }
    emit(at, buf, n);
}

/* Find `name` (already upper case) in the tables. A port command also answers to NAME1. */
static const struct k7_at_command *lookup(const struct k7_at *at, const char *name, size_t len)
{
    for (const struct k7_at_table *const *t = at->tables; *t != NULL; t++) {
        for (size_t i = 0; i < (*t)->count; i++) {
            const struct k7_at_command *c = &(*t)->commands[i];
            size_t clen = strlen(c->name);
            if (len == clen && memcmp(name, c->name, len) == 0) {
                return c;
            }
            if ((c->flags & K7_AT_PORT_SUFFIX) && len == clen + 1 && memcmp(name, c->name, clen) == 0 &&
                name[clen] == '1') {
                return c;
            }
        }
    }
    return NULL;
}

enum k7_at_after k7_at_execute(struct k7_at *at, const char *line, size_t len)
{
    char value[K7_AT_VALUE_MAX];
    value[0] = '\0';
    at->ctx.after = K7_AT_AFTER_NONE;

    if (len < 2 || upper(line[0]) != 'A' || upper(line[1]) != 'T') {
        reply(at, K7_AT_ERR_FORMAT, NULL);
        return K7_AT_AFTER_NONE;
    }
    if (len == 2) {
        reply(at, K7_AT_OK, NULL); /* bare "AT": the module is listening */
        return K7_AT_AFTER_NONE;
    }
    if (line[2] != '+') {
        reply(at, K7_AT_ERR_FORMAT, NULL);
        return K7_AT_AFTER_NONE;
    }

    /* Name: from after "AT+" up to '=' or the end, upper-cased. */
    char name[K7_AT_NAME_MAX];
    size_t i = 3, nlen = 0;
    while (i < len && line[i] != '=') {
        if (nlen + 1 >= sizeof name) {
            reply(at, K7_AT_ERR_COMMAND, NULL); /* longer than any command name */
            return K7_AT_AFTER_NONE;
        }
        name[nlen++] = upper(line[i++]);
    }
    name[nlen] = '\0';
    if (nlen == 0) {
        reply(at, K7_AT_ERR_FORMAT, NULL);
        return K7_AT_AFTER_NONE;
    }

    const struct k7_at_command *cmd = lookup(at, name, nlen);
    if (!cmd) {
        reply(at, K7_AT_ERR_COMMAND, NULL);
        return K7_AT_AFTER_NONE;
    }

    int result;
    if (i < len) { /* '=' present: set form */
        char args[K7_AT_LINE_MAX + 1];
        size_t alen = len - (i + 1);
        memcpy(args, line + i + 1, alen);
        args[alen] = '\0';
        result = cmd->set ? cmd->set(&at->ctx, args, value, sizeof value) : K7_AT_ERR_OPERATOR;
        if (result >= 0 && (cmd->flags & K7_AT_PERSIST) && at->ctx.persist && !at->ctx.persist(at->ctx.settings)) {
            result = K7_AT_ERR_DENIED; /* the flash refused the write: nothing claims it was stored */
        }
    } else {
        result = cmd->query ? cmd->query(&at->ctx, value, sizeof value) : K7_AT_ERR_OPERATOR;
    }
    value[sizeof value - 1] = '\0';
    reply(at, result, value);
    return result >= 0 ? at->ctx.after : K7_AT_AFTER_NONE;
}

enum k7_at_after k7_at_feed(struct k7_at *at, uint8_t byte)
{
    if (byte == LF && at->after_cr) {
        at->after_cr = false; /* second half of CR LF: not echoed, not part of the next line */
        return K7_AT_AFTER_NONE;
    }
    at->after_cr = false;

    /* Echo before the reply, so the host sees its command and then the answer. The echo setting is
     * read per byte: AT+E=OFF is still echoed (it was typed while echo was on). */
    if (at->ctx.settings->echo) {
        at->write(at->io, &byte, 1);
    }

    if (byte == CR) {
        at->after_cr = true;
        enum k7_at_after after = K7_AT_AFTER_NONE;
        if (at->overflow) {
            reply(at, K7_AT_ERR_FORMAT, NULL);
        } else if (at->len > 0) {
            after = k7_at_execute(at, at->line, at->len);
        }
        at->len = 0;
        at->overflow = false;
        return after;
    }
    if (byte == LF) {
        return K7_AT_AFTER_NONE; /* a lone LF is not part of any command */
    }
    if (at->len < K7_AT_LINE_MAX) {
        at->line[at->len++] = (char)byte;
    } else {
        at->overflow = true;
    }
    return K7_AT_AFTER_NONE;
}
