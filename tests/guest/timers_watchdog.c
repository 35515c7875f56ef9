/* Board wiring of the timers and the watchdog: Timer0A periodic at 1 kHz (16 MHz clock) counts
 * its interrupts; WDT0 with RESEN is never fed, so it reboots the chip, which reports RESC.WDT0.
 * Boots and the reset causes survive in .noinit. */
#include "guest.h"

#define RCGCTIMER 0x400FE604u
#define PRTIMER 0x400FEA04u
#define RCGCWD 0x400FE600u
#define PRWD 0x400FEA00u
#define TIMER0 0x40030000u
#define WDT0 0x40000000u

__attribute__((section(".noinit"))) volatile uint32_t magic, boots, resc_seen[4];
volatile uint32_t timer_irqs;

void IRQ19_Handler(void) {  /* Timer 0A */
  GUEST_REG32(TIMER0 + 0x024) = 1u;  /* ICR TATOCINT */
  timer_irqs++;
}

int main(void) {
  if (magic != 0x7E57C0DEu) {
    magic = 0x7E57C0DEu;
    boots = 0;
  }
  const uint32_t resc = GUEST_REG32(0x400FE05Cu);
  GUEST_REG32(0x400FE05Cu) = 0;
  if (boots < 4) resc_seen[boots] = resc;
  boots++;

  GUEST_REG32(RCGCTIMER) |= 1u;
  while (!(GUEST_REG32(PRTIMER) & 1u)) {
  }
  GUEST_REG32(TIMER0 + 0x000) = 0;           /* 32-bit */
  GUEST_REG32(TIMER0 + 0x004) = 2u;          /* periodic, down */
  GUEST_REG32(TIMER0 + 0x028) = 16000u - 1u; /* 1 ms at 16 MHz */
  GUEST_REG32(TIMER0 + 0x018) = 1u;          /* TATOIM */
  GUEST_REG32(0xE000E100u) = 1u << 19;
  GUEST_REG32(TIMER0 + 0x00C) = 1u;          /* TAEN */

  if (boots == 1) {
    GUEST_REG32(RCGCWD) |= 1u;
    while (!(GUEST_REG32(PRWD) & 1u)) {
    }
    GUEST_REG32(WDT0 + 0x000) = 16000000u / 20u;  /* 50 ms at 16 MHz: interrupt, then reset */
    GUEST_REG32(WDT0 + 0x008) = 3u;               /* INTEN | RESEN */
  }
  for (;;) guest_wfi();
}
