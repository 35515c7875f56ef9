/* Bit-band aliases (ARMv7-M ARM B3.1.3): SRAM bits and a peripheral register bit set and read
 * through their alias words. */
#include "guest.h"
volatile uint32_t word = 0x00000000u;
volatile uint32_t read_back, alias_read, gpio_dir;
#define BB_SRAM(addr, bit) (*(volatile uint32_t *)(0x22000000u + (((uint32_t)(addr) - 0x20000000u) << 5) + ((bit) << 2)))
#define BB_PERI(addr, bit) (*(volatile uint32_t *)(0x42000000u + (((uint32_t)(addr) - 0x40000000u) << 5) + ((bit) << 2)))
int main(void) {
  BB_SRAM(&word, 3) = 1;
  BB_SRAM(&word, 31) = 1;
  BB_SRAM(&word, 3) = 0;
  BB_SRAM(&word, 9) = 1;
  read_back = word;                /* expect 0x80000200 */
  alias_read = BB_SRAM(&word, 9) | (BB_SRAM(&word, 8) << 1);  /* expect 1 */
  GUEST_REG32(0x400FE608u) |= 1u << 5;          /* RCGCGPIO: port F */
  while ((GUEST_REG32(0x400FEA08u) & (1u << 5)) == 0) {
  }
  BB_PERI(0x4005D400u, 4) = 1;                   /* GPIOF DIR bit 4 through the alias */
  gpio_dir = GUEST_REG32(0x4005D400u);            /* expect 0x10 */
  for (;;) guest_wfi();
}
