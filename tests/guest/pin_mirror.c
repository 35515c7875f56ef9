/* Module pin checks: mirrors Reload (PJ0, input) onto RTS (PN0, output) and CTS (PN1, input) onto
 * the activity LED (PF4, output), counts falling edges of Reload with a GPIO interrupt, and hands
 * the link LED (PF0) to the Ethernet PHY (EN0LED0, PCTL 5). Prints "up\n" on the console at boot. */
#include "guest.h"

#define RCGCGPIO 0x400FE608u
#define PRGPIO 0x400FEA08u
#define GPIOF 0x4005D000u
#define GPIOJ 0x40060000u
#define GPION 0x40064000u

volatile uint32_t reload_falls;

void IRQ51_Handler(void) {  /* GPIO J */
  GUEST_REG32(GPIOJ + 0x41C) = 1u;  /* ICR */
  reload_falls++;
}

int main(void) {
  GUEST_REG32(RCGCGPIO) |= (1u << 5) | (1u << 8) | (1u << 12);
  while ((GUEST_REG32(PRGPIO) & ((1u << 5) | (1u << 8) | (1u << 12))) != ((1u << 5) | (1u << 8) | (1u << 12))) {
  }
  GUEST_REG32(GPIOJ + 0x51C) |= 1u;          /* PJ0 digital input */
  GUEST_REG32(GPIOJ + 0x404) &= ~1u;         /* edge */
  GUEST_REG32(GPIOJ + 0x40C) &= ~1u;         /* falling */
  GUEST_REG32(GPIOJ + 0x410) |= 1u;          /* IM */
  GUEST_REG32(0xE000E100u + 4 * (51 / 32)) = 1u << (51 % 32);
  GUEST_REG32(GPION + 0x400) |= 1u;          /* PN0 output */
  GUEST_REG32(GPION + 0x51C) |= 3u;          /* PN0, PN1 digital */
  GUEST_REG32(GPIOF + 0x400) |= 1u << 4;     /* PF4 output */
  GUEST_REG32(GPIOF + 0x420) |= 1u;          /* PF0 alternate: EN0LED0 */
  GUEST_REG32(GPIOF + 0x52C) = (GUEST_REG32(GPIOF + 0x52C) & ~0xFu) | 5u;
  GUEST_REG32(GPIOF + 0x51C) |= 0x11u;
  for (;;) {
    const uint32_t reload = GUEST_REG32(GPIOJ + (1u << 2)) & 1u;
    const uint32_t cts = (GUEST_REG32(GPION + (2u << 2)) >> 1) & 1u;
    GUEST_REG32(GPION + (1u << 2)) = reload;
    GUEST_REG32(GPIOF + (0x10u << 2)) = cts << 4;
  }
}
