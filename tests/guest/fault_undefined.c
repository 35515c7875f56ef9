/* A permanently undefined instruction (UDF): usage fault with the opcode in the report. */
#include "guest.h"
__attribute__((noinline)) void execute_udf(void) { __asm__ volatile(".short 0xDE42"); }
int main(void) {
  execute_udf();
  for (;;) guest_wfi();
}
