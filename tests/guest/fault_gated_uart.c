/* UART1 accessed without enabling its clock (RCGCUART): a bus fault on the TM4C1294. */
#include "guest.h"
__attribute__((noinline)) void touch_uart1(void) { GUEST_REG32(0x4000D030u) = 0x301u; }
int main(void) {
  touch_uart1();
  for (;;) guest_wfi();
}
