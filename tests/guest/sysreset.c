/* Counts boots in SRAM that survives a system reset (not a power-on), then requests
 * SYSRESETREQ until it has booted three times; records RESC of each boot. */
#include "guest.h"
__attribute__((section(".noinit"))) volatile uint32_t boots;
__attribute__((section(".noinit"))) volatile uint32_t magic;
__attribute__((section(".noinit"))) volatile uint32_t resc_seen[4];
int main(void) {
  if (magic != 0x600DB007u) {
    magic = 0x600DB007u;
    boots = 0;
  }
  uint32_t resc = GUEST_REG32(0x400FE05Cu);
  GUEST_REG32(0x400FE05Cu) = 0;  /* clear the causes */
  if (boots < 4) resc_seen[boots] = resc;
  boots++;
  if (boots < 3) {
    GUEST_REG32(0xE000ED0Cu) = (0x05FAu << 16) | (1u << 2);
    for (;;) {
    }
  }
  for (;;) guest_wfi();
}
