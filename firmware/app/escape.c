#include "escape.h"

#define PLUS '+'
#define CONFIRM 'a'

static void out_reset(struct k7_esc_out *out)
{
    out->len = 0;
    out->event = K7_ESC_EVENT_NONE;
}

static void out_push(struct k7_esc_out *out, uint8_t b)
{
    if (out->len < sizeof out->data) {
        out->data[out->len++] = b;
    }
}

/* Idle line time between the newest byte seen and a byte that ended at t_us. */
static uint64_t idle_before(const struct k7_escape *e, uint64_t t_us)
{
    uint64_t start = t_us > e->frame_us ? t_us - e->frame_us : 0; /* start bit of the new byte */
    return start > e->last_rx_us ? start - e->last_rx_us : 0;
}

/* Give the held "+" back as data: the attempt did not get the module's "a". */
static void release_held(struct k7_escape *e, struct k7_esc_out *out)
{
    while (e->held > 0) {
        out_push(out, PLUS);
        e->held--;
    }
    e->state = K7_ESC_IDLE;
}

void k7_escape_init(struct k7_escape *e, uint32_t guard_us, uint32_t frame_ns, uint32_t grace_us)
{
    e->guard_us = guard_us;
    e->frame_us = (frame_ns + 500u) / 1000u;
    e->grace_us = grace_us;
    e->state = K7_ESC_IDLE;
    e->held = 0;
    e->have_last = false; /* the line counts as idle since before boot */
    e->last_rx_us = 0;
    e->last_plus_us = 0;
    e->answered_us = 0;
}

void k7_escape_note_activity(struct k7_escape *e, uint64_t t_us)
{
    e->last_rx_us = t_us;
    e->have_last = true;
}

void k7_escape_feed(struct k7_escape *e, uint8_t byte, uint64_t t_us, uint64_t now_us, struct k7_esc_out *out)
{
    out_reset(out);

    if (e->state == K7_ESC_ANSWERED) {
        /* The "+++" is consumed either way; only the host's "a" in time is a confirmation. A byte
         * that ended before the module's "a" went out (host sent "+++a" in one go) also counts. */
        e->state = K7_ESC_IDLE;
        if (byte == CONFIRM && t_us < e->answered_us + K7_ESC_CONFIRM_US) {
            out->event = K7_ESC_EVENT_ENTER_AT;
            k7_escape_note_activity(e, t_us);
            return;
        }
        out->event = K7_ESC_EVENT_EXPIRED;
        /* fall through: the byte is ordinary data, or the first "+" of a new attempt */
    }

    if (e->state == K7_ESC_PLUS1 || e->state == K7_ESC_PLUS2) {
        if (byte == PLUS && idle_before(e, t_us) < K7_ESC_PLUS_GAP_US) {
            e->held++;
            e->last_plus_us = t_us;
            k7_escape_note_activity(e, t_us);
            if (e->held == 3) {
                e->held = 0;
                e->state = K7_ESC_ANSWERED;
                e->answered_us = now_us;
                out->event = K7_ESC_EVENT_SEND_A;
            } else {
                e->state = K7_ESC_PLUS2;
            }
            return;
        }
        release_held(e, out);
        /* fall through: the byte is judged afresh (a late "+" may open a new attempt) */
    }

    /* Idle state. */
    if (byte == PLUS && (!e->have_last || idle_before(e, t_us) >= e->guard_us)) {
        e->state = K7_ESC_PLUS1;
        e->held = 1;
        e->last_plus_us = t_us;
    } else {
        out_push(out, byte);
    }
    k7_escape_note_activity(e, t_us);
}

void k7_escape_poll(struct k7_escape *e, uint64_t now_us, struct k7_esc_out *out)
{
    out_reset(out);
    switch (e->state) {
    case K7_ESC_PLUS1:
    case K7_ESC_PLUS2: {
        /* The next "+" would have to start within 300 ms of the last one's end. */
        uint64_t last_chance = e->last_plus_us + K7_ESC_PLUS_GAP_US + e->frame_us;
        if (now_us >= last_chance + e->grace_us) {
            release_held(e, out);
        }
        break;
    }
    case K7_ESC_ANSWERED:
        if (now_us >= e->answered_us + K7_ESC_CONFIRM_US + e->grace_us) {
            e->state = K7_ESC_IDLE;
            out->event = K7_ESC_EVENT_EXPIRED;
        }
        break;
    case K7_ESC_IDLE:
        break;
    }
}
