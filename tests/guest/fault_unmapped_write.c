/* A store to an address where nothing is mapped: the run must end with a bus fault report that
 * names this function. */
#include "guest.h"
volatile uint32_t reached;
__attribute__((noinline)) void write_to_nowhere(void) { GUEST_REG32(0x30000000u) = 0xDEADBEEFu; }
int main(void) {
  reached = 1;
  write_to_nowhere();
  reached = 2;
  for (;;) guest_wfi();
}
