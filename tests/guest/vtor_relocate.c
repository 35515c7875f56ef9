/* VTOR is honoured live (tm4c1294-facts.md §9): the vector table is copied to SRAM with another
 * SysTick handler and VTOR pointed at it; from then on that handler runs. */
#include "guest.h"

volatile uint32_t flash_ticks, sram_ticks;
static uint32_t sram_vectors[128] __attribute__((aligned(512)));

void SysTick_Handler(void) { flash_ticks++; }
static void sram_systick(void) { sram_ticks++; }

int main(void) {
  GUEST_REG32(0xE000E014u) = 16000u - 1u; /* 1 ms at 16 MHz */
  GUEST_REG32(0xE000E018u) = 0;
  GUEST_REG32(0xE000E010u) = 7u;
  while (flash_ticks < 3) guest_wfi();
  const uint32_t *flash_vectors = (const uint32_t *)0;
  for (int i = 0; i < 128; ++i) sram_vectors[i] = flash_vectors[i];
  sram_vectors[15] = (uint32_t)&sram_systick;
  GUEST_REG32(0xE000ED08u) = (uint32_t)sram_vectors;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  for (;;) guest_wfi();
}
