/*
 * System clock: 120 MHz from the PLL fed by the 25 MHz main crystal.
 */
#ifndef K7_BOARD_CLOCK_H
#define K7_BOARD_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define CLOCK_PIOSC_HZ   16000000u
#define CLOCK_MOSC_HZ    25000000u
#define CLOCK_TARGET_HZ  120000000u

struct clock_status {
    uint32_t sysclk_hz;  /* what the core actually runs at after clock_init() */
    bool mosc_ready;     /* RIS.MOSCPUPRIS seen before the time-out */
    bool pll_locked;     /* PLLSTAT.LOCK seen before the time-out */
};

/* Switch the system clock to 120 MHz. If the PLL does not lock, the core stays on the 16 MHz PIOSC
 * and the status says so (the console reports it; drivers use sysclk_hz, so the serial port still
 * works at the right baud). Call once, first thing in main(). */
struct clock_status clock_init(void);

#endif
