/*
 * "+++" escape detector (000_f07c2e1ebe076025.txt §5.3.2; rules in k7-behaviour.md "Entering and
 * leaving AT mode").
 *
 *   idle >= T1 | "+" | gap < 300 ms | "+" | gap < 300 ms | "+"  -> module answers "a" at once
 *   host "a" within 3 s of the module's "a"                       -> module answers "+ok", AT mode
 *
 * T1 is the effective pack time T. Gaps are idle line time: from the end of one character's stop bit
 * to the start of the next character (end-of-stop-bit timestamp minus one frame time).
 *
 * Bytes of an attempt that did not get the module's "a" are released, in order, as transparent data.
 * Once the module has answered "a", the "+++" is consumed whatever happens next: if the host's "a"
 * does not come within 3 s (or another byte comes first), the module is back in transparent mode
 * and that other byte is ordinary data.
 *
 * Pure logic, no hardware: bytes come in with their arrival time, results go out in a struct. That
 * keeps it testable on the host and keeps the timing rules in one place.
 */
#ifndef K7_APP_ESCAPE_H
#define K7_APP_ESCAPE_H

#include <stdbool.h>
#include <stdint.h>

#define K7_ESC_PLUS_GAP_US  300000u   /* gaps between the three "+" must be shorter */
#define K7_ESC_CONFIRM_US   3000000u  /* the host's "a" must come within this after the module's "a" */

enum k7_esc_state { K7_ESC_IDLE, K7_ESC_PLUS1, K7_ESC_PLUS2, K7_ESC_ANSWERED };

enum k7_esc_event {
    K7_ESC_EVENT_NONE,
    K7_ESC_EVENT_SEND_A,    /* "+++" recognised: send "a" now */
    K7_ESC_EVENT_ENTER_AT,  /* host confirmed: send "+ok", switch to AT mode */
    K7_ESC_EVENT_EXPIRED,   /* module said "a" but the host did not confirm: stay transparent */
};

/* What one call produced: transparent data to pass on (in order) and at most one event. */
struct k7_esc_out {
    uint8_t data[4];
    uint8_t len;
    enum k7_esc_event event;
};

struct k7_escape {
    /* timing of the line, fixed at init */
    uint32_t guard_us;  /* T1 */
    uint32_t frame_us;  /* one character frame, to turn arrival times into idle gaps */
    uint32_t grace_us;  /* how late a byte can reach us after it ended (UART time-out + slack) */

    enum k7_esc_state state;
    uint8_t held;            /* "+" bytes held while an attempt is open */
    bool have_last;
    uint64_t last_rx_us;     /* end of the newest byte seen on the line, in any mode */
    uint64_t last_plus_us;   /* end of the newest held "+" */
    uint64_t answered_us;    /* when the module's "a" was queued */
};

/* guard_us = T1, frame_ns = one character, grace_us = UART receive time-out plus slack. */
void k7_escape_init(struct k7_escape *e, uint32_t guard_us, uint32_t frame_ns, uint32_t grace_us);

/* A byte received in transparent mode, with the end time of its stop bit. `now_us` is the current
 * time (the moment an "a" would be sent). */
void k7_escape_feed(struct k7_escape *e, uint8_t byte, uint64_t t_us, uint64_t now_us, struct k7_esc_out *out);

/* Time passes without bytes: closes attempts whose window is over. Only decides once a byte that
 * could still continue the attempt can no longer be on its way (grace). */
void k7_escape_poll(struct k7_escape *e, uint64_t now_us, struct k7_esc_out *out);

/* A byte consumed outside transparent mode (AT mode): it still counts as line activity for the
 * idle guard of the next "+++". */
void k7_escape_note_activity(struct k7_escape *e, uint64_t t_us);

/* True while bytes are held or an answer is awaited (the caller must keep polling). */
static inline bool k7_escape_busy(const struct k7_escape *e) { return e->state != K7_ESC_IDLE; }

#endif
