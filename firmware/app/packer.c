#include "packer.h"

#define TOL_MIN_US        500u  /* tolerance floor: 0.5 ms */
#define TOL_BYTE_TIMES    2u    /* tolerance in byte times, when that is more */
/* Between a byte becoming visible (UART interrupt) and the main loop counting it. */
#define SEEN_SLACK_US     50u

uint32_t k7_packer_tolerance_us(uint32_t frame_us)
{
    uint32_t bytes = TOL_BYTE_TIMES * frame_us;
    return bytes > TOL_MIN_US ? bytes : TOL_MIN_US;
}

void k7_packer_init(struct k7_packer *p, uint32_t time_us, uint32_t length, uint32_t frame_ns, uint32_t unseen_ns)
{
    p->time_us = time_us;
    p->length = length > 0 ? length : 1u;
    p->frame_us = (frame_ns + 500u) / 1000u;

    uint32_t tol = k7_packer_tolerance_us(p->frame_us);
    p->split_gap_us = time_us + tol / 2u;

    /* A byte that followed the last one after a gap g ends g + one frame after it and is seen up to
     * one receive time-out later. Waiting that long past T means no gap shorter than T is cut by
     * poll(). On slow lines that would close later than T + tol; then wait only for the gaps the rule
     * protects (<= T - tol), which still closes within about 0.2 byte-times of T + tol. */
    uint32_t visible = (frame_ns + unseen_ns + 999u) / 1000u + SEEN_SLACK_US;
    uint32_t wait = visible;
    if (wait > tol) {
        uint32_t needed = visible > tol ? visible - tol : 0u;
        wait = needed > tol ? needed : tol;
    }
    p->close_wait_us = wait;
    k7_packer_clear(p);
}

void k7_packer_clear(struct k7_packer *p)
{
    p->open_len = 0;
    p->have_last = false;
    p->last_end_us = 0;
    p->pkt_head = 0;
    p->pkt_count = 0;
}

static void close_open(struct k7_packer *p)
{
    if (p->open_len == 0) {
        return;
    }
    if (p->pkt_count == K7_PACKER_QUEUE) {
        /* No room for another boundary: the newest closed packet grows (still sent L at a time). */
        p->pkt_len[(p->pkt_head + p->pkt_count - 1u) % K7_PACKER_QUEUE] += p->open_len;
    } else {
        p->pkt_len[(p->pkt_head + p->pkt_count) % K7_PACKER_QUEUE] = p->open_len;
        p->pkt_count++;
    }
    p->open_len = 0;
}

bool k7_packer_feed(struct k7_packer *p, uint64_t t_us)
{
    bool closed = false;
    if (p->open_len > 0 && p->have_last) {
        uint64_t start = t_us > p->frame_us ? t_us - p->frame_us : 0; /* start bit of this byte */
        uint64_t idle = start > p->last_end_us ? start - p->last_end_us : 0;
        if (idle >= p->split_gap_us) {
            close_open(p);
            closed = true;
        }
    }
    p->open_len++;
    if (!p->have_last || t_us > p->last_end_us) {
        p->last_end_us = t_us;
    }
    p->have_last = true;
    if (p->open_len >= p->length) {
        close_open(p);
        closed = true;
    }
    return closed;
}

bool k7_packer_deadline(const struct k7_packer *p, uint64_t *at_us)
{
    if (p->open_len == 0) {
        return false;
    }
    *at_us = p->last_end_us + p->time_us + p->close_wait_us;
    return true;
}

bool k7_packer_poll(struct k7_packer *p, uint64_t now_us)
{
    uint64_t at;
    if (k7_packer_deadline(p, &at) && now_us >= at) {
        close_open(p);
        return true;
    }
    return false;
}

uint32_t k7_packer_ready(const struct k7_packer *p)
{
    if (p->pkt_count == 0) {
        return 0;
    }
    uint32_t n = p->pkt_len[p->pkt_head];
    return n > p->length ? p->length : n;
}

void k7_packer_take(struct k7_packer *p, uint32_t n)
{
    while (n > 0 && p->pkt_count > 0) {
        uint32_t *front = &p->pkt_len[p->pkt_head];
        uint32_t k = n < *front ? n : *front;
        *front -= k;
        n -= k;
        if (*front == 0) {
            p->pkt_head = (p->pkt_head + 1u) % K7_PACKER_QUEUE;
            p->pkt_count--;
        }
    }
}

void k7_packer_discard(struct k7_packer *p, uint32_t n)
{
    uint32_t closed = 0;
    for (uint32_t i = 0; i < p->pkt_count; i++) {
        closed += p->pkt_len[(p->pkt_head + i) % K7_PACKER_QUEUE];
    }
    uint32_t from_closed = n < closed ? n : closed;
    k7_packer_take(p, from_closed);
    n -= from_closed;
    p->open_len = n < p->open_len ? p->open_len - n : 0;
}

uint32_t k7_packer_count(const struct k7_packer *p)
{
    uint32_t total = p->open_len;
    for (uint32_t i = 0; i < p->pkt_count; i++) {
        total += p->pkt_len[(p->pkt_head + i) % K7_PACKER_QUEUE];
    }
    return total;
}
