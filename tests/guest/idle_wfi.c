/* Idle firmware for the idle real-time-factor benchmark: 120 MHz, 1 ms SysTick whose handler only
 * counts, main loop asleep in WFI. */
#include "guest.h"
#include "guest_clock.h"

volatile uint32_t ticks;

void SysTick_Handler(void) { ticks++; }

int main(void) {
  guest_clock_120mhz();
  GUEST_REG32(0xE000E014u) = 120000u - 1u;
  GUEST_REG32(0xE000E018u) = 0;
  GUEST_REG32(0xE000E010u) = 7u;
  for (;;) guest_wfi();
}
