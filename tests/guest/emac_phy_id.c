/* The internal PHY on the EMAC's MDIO bus: clocks on, then read PHY registers 2 and 3 (ID1/ID2)
 * through MIIADDR/MIIDATA, waiting for MIIB. */
#include "guest.h"

#define RCGCEPHY 0x400FE630u
#define PREPHY 0x400FEA30u
#define RCGCEMAC 0x400FE69Cu
#define PREMAC 0x400FEA9Cu
#define EMAC 0x400EC000u

volatile uint32_t id1, id2, done;

static uint32_t mdio_read(uint32_t reg) {
  GUEST_REG32(EMAC + 0x010) = (reg << 6) | (1u << 2) | 1u;  /* MII reg, CR 1, MIIB */
  while (GUEST_REG32(EMAC + 0x010) & 1u) {
  }
  return GUEST_REG32(EMAC + 0x014) & 0xFFFFu;
}

int main(void) {
  GUEST_REG32(RCGCEPHY) |= 1u;
  GUEST_REG32(RCGCEMAC) |= 1u;
  while (!(GUEST_REG32(PREPHY) & 1u) || !(GUEST_REG32(PREMAC) & 1u)) {
  }
  id1 = mdio_read(2);
  id2 = mdio_read(3);
  done = 1;
  for (;;) guest_wfi();
}
