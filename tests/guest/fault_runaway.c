/* A call through a corrupt function pointer into unmapped memory: "runaway PC". */
#include "guest.h"
typedef void (*fn_t)(void);
volatile uint32_t target = 0x10000001u;
int main(void) {
  ((fn_t)target)();
  for (;;) guest_wfi();
}
