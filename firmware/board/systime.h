/*
 * Time base: SysTick interrupts every millisecond; between ticks the microseconds come from the
 * SysTick down-counter, so timestamps have 1 us resolution without a second timer.
 */
#ifndef K7_BOARD_SYSTIME_H
#define K7_BOARD_SYSTIME_H

#include <stdint.h>

/* Start the 1 ms tick from the system clock. Call after clock_init(). */
void systime_init(uint32_t sysclk_hz);

/* Microseconds since systime_init(); monotonic; safe from thread and handler mode. */
uint64_t systime_us(void);

/* Low 32 bits of systime_us(): cheap to store per byte, wraps after ~71 minutes. */
static inline uint32_t systime_us32(void) { return (uint32_t)systime_us(); }

/* Widen a 32-bit timestamp taken within the last ~35 minutes to the 64-bit clock. */
uint64_t systime_widen(uint32_t t32);

#endif
