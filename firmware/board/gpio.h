/*
 * GPIO pin configuration on the AHB apertures. Pins are given as masks (bit n = pin n).
 */
#ifndef K7_BOARD_GPIO_H
#define K7_BOARD_GPIO_H

#include <stdbool.h>
#include <stdint.h>

#include "tm4c1294.h"

/* Hand `pins` to a peripheral: AFSEL, PCTL function `pctl` (same for every pin), digital enable. */
void gpio_alt_function(uint32_t port, uint32_t pins, uint32_t pctl);

/* Plain output, driven to `high` before the pin is switched to output (no glitch). */
void gpio_output(uint32_t port, uint32_t pins, bool high);

/* Plain input, with the internal pull-up when asked. */
void gpio_input(uint32_t port, uint32_t pins, bool pull_up);

/* The masked DATA aperture changes only `pins`, so no read-modify-write race with other pins. */
static inline void gpio_write(uint32_t port, uint32_t pins, bool high)
{
    reg_write(port + GPIO_DATA_MASKED(pins), high ? 0xFFu : 0x00u);
}

static inline bool gpio_read(uint32_t port, uint32_t pins)
{
    return reg_read(port + GPIO_DATA_MASKED(pins)) != 0;
}

#endif
