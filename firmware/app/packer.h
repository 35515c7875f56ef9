/*
 * Serial packing (000_f07c2e1ebe076025.txt §4.3.3; rule in k7-behaviour.md "Transparent
 * transmission"): transparent serial data is cut into packets, and each packet goes to the network
 * as one TCP segment / UDP datagram.
 *
 *   T = effective pack time, L = effective pack length (settings.c)
 *   a packet closes when the line has been idle for T after its last byte, or when it holds L bytes
 *   tolerance: a gap <= T - tol never splits, a gap >= T + tol always splits,
 *              tol = max(0.5 ms, 2 byte-times)
 *
 * The packer only counts: the bytes themselves stay in the pre-connection buffer (prebuf.h), in the
 * same order. The packer knows where the packets start and end, so the network side takes the
 * buffer packet by packet (k7_packer_ready / k7_packer_take).
 *
 * Idle time is measured from the bytes' own timestamps (end of the stop bit, uart.h), never from
 * when the CPU saw them: a byte can sit in the UART FIFO for a receive time-out before anyone knows.
 *   - when a byte comes in, the idle gap before it is (its end - one frame) - the previous byte's end;
 *     a gap >= T + tol/2 closes the packet before the byte (the timestamps of bytes that came in the
 *     same interrupt can make a short gap look up to twice as long, so the cut sits inside the
 *     tolerance rather than at T);
 *   - with no new byte, poll() closes the packet once a byte that followed the last one with a gap
 *     shorter than T would already have been seen: at the last byte's end + T + close_wait, where
 *     close_wait covers one frame plus the UART receive time-out (capped so that the closing stays
 *     within the tolerance of the rule whenever the line speed allows it).
 *
 * Pure logic, no hardware: easy to test and to reason about.
 */
#ifndef K7_APP_PACKER_H
#define K7_APP_PACKER_H

#include <stdbool.h>
#include <stdint.h>

/* Closed packets remembered (waiting for the network). When more close before the network takes
 * them, the newest two are merged: the network side never sends more than L bytes at once anyway. */
#define K7_PACKER_QUEUE 32u

struct k7_packer {
    /* fixed at init */
    uint32_t time_us;        /* T */
    uint32_t length;         /* L */
    uint32_t frame_us;       /* one character frame */
    uint32_t split_gap_us;   /* an idle gap of at least this, seen between two bytes, splits */
    uint32_t close_wait_us;  /* poll() closes at last byte + T + this */

    /* the open packet */
    uint32_t open_len;
    bool have_last;
    uint64_t last_end_us;    /* end of the newest byte */

    /* closed packets, oldest first */
    uint32_t pkt_len[K7_PACKER_QUEUE];
    uint32_t pkt_head;
    uint32_t pkt_count;
};

/* time_us = T, length = L, frame_ns = one character frame, unseen_ns = the longest a received byte
 * can stay invisible to the CPU after its stop bit (the UART receive time-out). */
void k7_packer_init(struct k7_packer *p, uint32_t time_us, uint32_t length, uint32_t frame_ns, uint32_t unseen_ns);

/* One data byte appended to the buffer; t_us = end of its stop bit. Returns true if a packet closed
 * (before the byte, on an idle gap, or with it, on the length). */
bool k7_packer_feed(struct k7_packer *p, uint64_t t_us);

/* Time passes: closes the open packet once the line has been idle long enough. Returns true if a
 * packet closed. */
bool k7_packer_poll(struct k7_packer *p, uint64_t now_us);

/* When poll() will close the open packet; false if there is none. */
bool k7_packer_deadline(const struct k7_packer *p, uint64_t *at_us);

/* Bytes of the oldest closed packet (0: nothing ready). Never more than L. */
uint32_t k7_packer_ready(const struct k7_packer *p);

/* The network took n (<= k7_packer_ready) bytes from the front of the buffer. */
void k7_packer_take(struct k7_packer *p, uint32_t n);

/* The buffer dropped its n oldest bytes (overflow): they leave the packets they were in. */
void k7_packer_discard(struct k7_packer *p, uint32_t n);

/* The buffer was cleared. */
void k7_packer_clear(struct k7_packer *p);

/* Bytes counted by the packer (closed and open). */
uint32_t k7_packer_count(const struct k7_packer *p);

/* Tolerance of the rule for a frame time: max(0.5 ms, 2 byte-times). */
uint32_t k7_packer_tolerance_us(uint32_t frame_us);

#endif
