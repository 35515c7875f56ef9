#include "prebuf.h"

_Static_assert((K7_PREBUF_SIZE & (K7_PREBUF_SIZE - 1u)) == 0, "power of two");

void k7_prebuf_init(struct k7_prebuf *b)
{
    b->start = 0;
    b->count = 0;
    b->dropped = 0;
}

void k7_prebuf_put(struct k7_prebuf *b, uint8_t byte)
{
    if (b->count == K7_PREBUF_SIZE) { /* full: the oldest byte makes room */
        b->start = (b->start + 1u) & (K7_PREBUF_SIZE - 1u);
        b->count--;
        b->dropped++;
    }
    b->data[(b->start + b->count) & (K7_PREBUF_SIZE - 1u)] = byte;
    b->count++;
}

void k7_prebuf_put_all(struct k7_prebuf *b, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        k7_prebuf_put(b, data[i]);
    }
}

size_t k7_prebuf_take(struct k7_prebuf *b, uint8_t *out, size_t max)
{
    size_t n = 0;
    while (n < max && b->count > 0) {
        out[n++] = b->data[b->start];
        b->start = (b->start + 1u) & (K7_PREBUF_SIZE - 1u);
        b->count--;
    }
    return n;
}

void k7_prebuf_clear(struct k7_prebuf *b)
{
    b->start = 0;
    b->count = 0;
}
