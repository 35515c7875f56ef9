/*
 * 120 MHz from the 25 MHz crystal through the PLL (tm4c1294-facts.md §5), for guests that need
 * the product's clock. Self-contained on purpose: emulator tests must not depend on firmware/.
 */
#ifndef K7_GUEST_CLOCK_H
#define K7_GUEST_CLOCK_H

#include "guest.h"

#define SYSCTL_MOSCCTL 0x400FE07Cu
#define SYSCTL_RSCLKCFG 0x400FE0B0u
#define SYSCTL_MEMTIM0 0x400FE0C0u
#define SYSCTL_PLLFREQ0 0x400FE160u
#define SYSCTL_PLLFREQ1 0x400FE164u
#define SYSCTL_PLLSTAT 0x400FE168u

static inline void guest_clock_120mhz(void) {
  GUEST_REG32(SYSCTL_MOSCCTL) = 1u << 4;                         /* OSCRNG high, crystal powered */
  const uint32_t src = (3u << 24) | (0u << 20);                 /* PLLSRC = MOSC, OSCSRC = PIOSC */
  GUEST_REG32(SYSCTL_RSCLKCFG) = src;
  GUEST_REG32(SYSCTL_PLLFREQ1) = 4u;                            /* N = 4, Q = 0 */
  GUEST_REG32(SYSCTL_PLLFREQ0) = 96u | (1u << 23);              /* MINT 96, PLLPWR: 480 MHz VCO */
  GUEST_REG32(SYSCTL_RSCLKCFG) = src | (1u << 30);              /* NEWFREQ */
  while ((GUEST_REG32(SYSCTL_PLLSTAT) & 1u) == 0) {
  }
  GUEST_REG32(SYSCTL_MEMTIM0) = (6u << 22) | (5u << 16) | (6u << 6) | 5u;
  GUEST_REG32(SYSCTL_RSCLKCFG) = src | (1u << 28) | (1u << 31) | 3u; /* USEPLL, MEMTIMU, PSYSDIV 3 */
}

#endif
