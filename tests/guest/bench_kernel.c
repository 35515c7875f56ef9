/*
 * Benchmark kernel (bench/): a mix of CRC-32, memcpy, integer math and branches, running from
 * flash on SRAM data, at 120 MHz with a 1 ms SysTick interrupt. bench_kernel() is also run on bare Unicorn
 * by the benchmark, so it must not touch peripherals. When it returns, PN0 (the module's RTS pad)
 * goes high so the host can stop the clock.
 */
#include "guest.h"
#include "guest_clock.h"

#define ITERATIONS 20000u
#define BUF 1024u

volatile uint32_t result;
volatile uint32_t ticks;
static uint8_t src[BUF], dst[BUF];

void SysTick_Handler(void) { ticks++; }

static uint32_t crc32(const uint8_t *p, uint32_t n, uint32_t crc) {
  crc = ~crc;
  for (uint32_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

__attribute__((noinline)) uint32_t bench_kernel(void) {
  uint32_t acc = 0x12345678u;
  for (uint32_t i = 0; i < BUF; ++i) src[i] = (uint8_t)(i * 7u + 3u);
  for (uint32_t it = 0; it < ITERATIONS; ++it) {
    for (uint32_t i = 0; i < BUF; i += 4) *(uint32_t *)&dst[i] = *(const uint32_t *)&src[(i + it * 4u) % BUF];
    acc = crc32(dst, 256, acc);
    for (uint32_t j = 1; j < 200; ++j) {
      acc = acc * 1664525u + 1013904223u;
      if (acc & 0x100u) acc ^= acc / j;
      else acc += (acc >> 7) % (j + 3u);
    }
  }
  return acc;
}

__attribute__((noinline)) void bench_stop(void) {
  for (;;) guest_wfi();
}

int main(void) {
  guest_clock_120mhz();                    /* the product's clock */
  GUEST_REG32(0xE000E014u) = 120000u - 1u; /* 1 ms */
  GUEST_REG32(0xE000E018u) = 0;
  GUEST_REG32(0xE000E010u) = 7u;
  GUEST_REG32(0x400FE608u) |= 1u << 12;    /* GPIO N */
  while ((GUEST_REG32(0x400FEA08u) & (1u << 12)) == 0) {
  }
  GUEST_REG32(0x40064400u) |= 1u;
  GUEST_REG32(0x4006451Cu) |= 1u;
  GUEST_REG32(0x40064004u) = 0;
  result = bench_kernel();
  GUEST_REG32(0x40064004u) = 1u;           /* PN0 high: done */
  bench_stop();
}
