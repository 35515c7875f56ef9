/*
 * SysTick on the core clock at 120 MHz with a 1 ms period, the main loop sleeping in WFI.
 * The handler records DWT CYCCNT at every tick so the host can check the period exactly.
 */
#include "guest.h"
#include "guest_clock.h"

#define STCTRL 0xE000E010u
#define STRELOAD 0xE000E014u
#define STCURRENT 0xE000E018u
#define DEMCR 0xE000EDFCu
#define DWT_CTRL 0xE0001000u
#define DWT_CYCCNT 0xE0001004u

volatile uint32_t ticks;
volatile uint32_t stamp[64];
volatile uint32_t wakeups;

#define GPION 0x40064000u

void SysTick_Handler(void) {
  if (ticks < 64) stamp[ticks] = GUEST_REG32(DWT_CYCCNT);
  ticks++;
  GUEST_REG32(GPION + (1u << 2)) ^= 1u; /* toggle PN0 through the masked DATA address */
}

int main(void) {
  guest_clock_120mhz();
  GUEST_REG32(DEMCR) |= 1u << 24;  /* TRCENA */
  GUEST_REG32(DWT_CYCCNT) = 0;
  GUEST_REG32(DWT_CTRL) |= 1u;
  GUEST_REG32(0x400FE608u) |= 1u << 12; /* RCGCGPIO: port N */
  while ((GUEST_REG32(0x400FEA08u) & (1u << 12)) == 0) {
  }
  GUEST_REG32(GPION + 0x400) |= 1u;      /* PN0 output */
  GUEST_REG32(GPION + 0x51C) |= 1u;      /* digital enable */
  GUEST_REG32(STRELOAD) = 120000u - 1u;
  GUEST_REG32(STCURRENT) = 0;
  GUEST_REG32(STCTRL) = 7u;  /* core clock, interrupt, enable */
  for (;;) {
    guest_wfi();
    wakeups++;
  }
}
