/* The main stack pointer is moved outside SRAM, then an interrupt arrives: the core cannot stack
 * the exception frame (a lockup on silicon). */
#include "guest.h"
int main(void) {
  GUEST_REG32(0xE000E100u) = 1u;  /* enable IRQ0 */
  __asm__ volatile("ldr r0, =0x10000000\n\tmsr msp, r0" ::: "r0");
  GUEST_REG32(0xE000EF00u) = 0;    /* pend IRQ0 */
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  for (;;) {
  }
}
