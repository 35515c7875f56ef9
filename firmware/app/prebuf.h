/*
 * Pre-connection buffer: transparent serial data that arrives while no network connection exists
 * is kept here (2048 bytes; beyond that the oldest bytes are dropped) and sent when a connection
 * comes up, unless UARTCLBUF clears it (k7-behaviour.md, "Transparent transmission").
 */
#ifndef K7_APP_PREBUF_H
#define K7_APP_PREBUF_H

#include <stddef.h>
#include <stdint.h>

#define K7_PREBUF_SIZE 2048u

struct k7_prebuf {
    uint8_t data[K7_PREBUF_SIZE];
    uint32_t start;    /* index of the oldest byte */
    uint32_t count;
    uint32_t dropped;  /* oldest bytes overwritten since init */
};

void k7_prebuf_init(struct k7_prebuf *b);
void k7_prebuf_put(struct k7_prebuf *b, uint8_t byte);
void k7_prebuf_put_all(struct k7_prebuf *b, const uint8_t *data, size_t len);
/* Remove up to `max` of the oldest bytes into `out`; returns how many. */
size_t k7_prebuf_take(struct k7_prebuf *b, uint8_t *out, size_t max);
void k7_prebuf_clear(struct k7_prebuf *b);
static inline uint32_t k7_prebuf_count(const struct k7_prebuf *b) { return b->count; }

#endif
