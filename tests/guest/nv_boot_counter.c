/* Keeps a boot counter in EEPROM block 0 word 0 and prints it on the module's TXD (UART1,
 * 115200 8N1 from the 16 MHz reset clock) as "boot XXXXXXXX\n". Used by the harness tests of
 * device.flash, flash.save and power.cut. */
#include "guest.h"

#define RCGCGPIO 0x400FE608u
#define PRGPIO 0x400FEA08u
#define RCGCUART 0x400FE618u
#define PRUART 0x400FEA18u
#define RCGCEEPROM 0x400FE658u
#define PREEPROM 0x400FEA58u
#define GPIOB 0x40059000u
#define UART1 0x4000D000u
#define EEPROM 0x400AF000u

static void eeprom_wait(void) {
  while (GUEST_REG32(EEPROM + 0x018) & 1u) {  /* EEDONE.WORKING */
  }
}

static void put(char c) {
  while (GUEST_REG32(UART1 + 0x018) & (1u << 5)) {  /* TXFF */
  }
  GUEST_REG32(UART1) = (uint32_t)c;
}

int main(void) {
  GUEST_REG32(RCGCGPIO) |= 1u << 1;
  while (!(GUEST_REG32(PRGPIO) & (1u << 1))) {
  }
  GUEST_REG32(RCGCUART) |= 1u << 1;
  while (!(GUEST_REG32(PRUART) & (1u << 1))) {
  }
  GUEST_REG32(RCGCEEPROM) |= 1u;
  while (!(GUEST_REG32(PREEPROM) & 1u)) {
  }
  eeprom_wait();
  GUEST_REG32(GPIOB + 0x420) |= 0x3u;
  GUEST_REG32(GPIOB + 0x52C) = (GUEST_REG32(GPIOB + 0x52C) & ~0xFFu) | 0x11u;
  GUEST_REG32(GPIOB + 0x51C) |= 0x3u;
  GUEST_REG32(UART1 + 0x024) = 8;   /* 16 MHz / (16 * 115200) = 8.68: IBRD 8, FBRD 44 */
  GUEST_REG32(UART1 + 0x028) = 44;
  GUEST_REG32(UART1 + 0x02C) = (3u << 5) | (1u << 4);
  GUEST_REG32(UART1 + 0x030) = (1u << 0) | (1u << 8) | (1u << 9);

  GUEST_REG32(EEPROM + 0x004) = 0;  /* EEBLOCK */
  GUEST_REG32(EEPROM + 0x008) = 0;  /* EEOFFSET */
  uint32_t count = GUEST_REG32(EEPROM + 0x010);
  if (count == 0xFFFFFFFFu) count = 0;
  ++count;
  GUEST_REG32(EEPROM + 0x010) = count;
  eeprom_wait();

  static const char hex[] = "0123456789ABCDEF";
  const char *prefix = "boot ";
  while (*prefix) put(*prefix++);
  for (int i = 7; i >= 0; --i) put(hex[(count >> (4 * i)) & 0xFu]);
  put('\n');
  for (;;) guest_wfi();
}
