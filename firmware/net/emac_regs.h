/*
 * TM4C1294 EMAC0 (Synopsys DWC MAC + DMA) and internal PHY: the registers and bits the network
 * driver uses. Written from the facts sheet (tm4c1294-facts.md §5, §8); the static checks at the end
 * pin a few absolute addresses.
 */
#ifndef K7_NET_EMAC_REGS_H
#define K7_NET_EMAC_REGS_H

#include "../board/tm4c1294.h"

/* ---- SYSCTL: clock gating of the MAC and the PHY ---------------------------------------------- */
#define SYSCTL_SFX_EPHY      0x30u /* RCGCEPHY 0x630, PREPHY 0xA30 */
#define SYSCTL_SFX_EMAC      0x9Cu /* RCGCEMAC 0x69C, PREMAC 0xA9C */
#define SYSCTL_USERREG0      (SYSCTL_BASE + 0x1E0u) /* MAC bytes 0..2, low byte first */
#define SYSCTL_USERREG1      (SYSCTL_BASE + 0x1E4u) /* MAC bytes 3..5 */

/* ---- EMAC0 ------------------------------------------------------------------------------------- */
#define EMAC0_BASE           0x400EC000u
#define EMAC_CFG             (EMAC0_BASE + 0x000u)
#define EMAC_FRAMEFLTR       (EMAC0_BASE + 0x004u)
#define EMAC_HASHTBLH        (EMAC0_BASE + 0x008u)
#define EMAC_HASHTBLL        (EMAC0_BASE + 0x00Cu)
#define EMAC_MIIADDR         (EMAC0_BASE + 0x010u)
#define EMAC_MIIDATA         (EMAC0_BASE + 0x014u)
#define EMAC_FLOWCTL         (EMAC0_BASE + 0x018u)
#define EMAC_ADDR0H          (EMAC0_BASE + 0x040u)
#define EMAC_ADDR0L          (EMAC0_BASE + 0x044u)
#define EMAC_DMABUSMOD       (EMAC0_BASE + 0xC00u)
#define EMAC_TXPOLLD         (EMAC0_BASE + 0xC04u)
#define EMAC_RXPOLLD         (EMAC0_BASE + 0xC08u)
#define EMAC_RXDLADDR        (EMAC0_BASE + 0xC0Cu)
#define EMAC_TXDLADDR        (EMAC0_BASE + 0xC10u)
#define EMAC_DMARIS          (EMAC0_BASE + 0xC14u)
#define EMAC_DMAOPMODE       (EMAC0_BASE + 0xC18u)
#define EMAC_DMAIM           (EMAC0_BASE + 0xC1Cu)
#define EMAC_HOSTXDESC       (EMAC0_BASE + 0xC48u)
#define EMAC_HOSRXDESC       (EMAC0_BASE + 0xC4Cu)
#define EMAC_PP              (EMAC0_BASE + 0xFC0u)
#define EMAC_PC              (EMAC0_BASE + 0xFC4u)
#define EMAC_EPHYRIS         (EMAC0_BASE + 0xFD0u)
#define EMAC_EPHYIM          (EMAC0_BASE + 0xFD4u)
#define EMAC_EPHYMISC        (EMAC0_BASE + 0xFD8u)

/* CFG */
#define EMAC_CFG_RE          (1u << 2)
#define EMAC_CFG_TE          (1u << 3)
#define EMAC_CFG_DC          (1u << 4)
#define EMAC_CFG_ACS         (1u << 7)
#define EMAC_CFG_DR          (1u << 9)
#define EMAC_CFG_IPC         (1u << 10)
#define EMAC_CFG_DUPM        (1u << 11)
#define EMAC_CFG_LOOPBM      (1u << 12)
#define EMAC_CFG_FES         (1u << 14)
#define EMAC_CFG_PS          (1u << 15)
#define EMAC_CFG_IFG_MASK    (7u << 17)

/* FRAMEFLTR */
#define EMAC_FLT_PR          (1u << 0)
#define EMAC_FLT_HUC         (1u << 1)
#define EMAC_FLT_HMC         (1u << 2)
#define EMAC_FLT_DAIF        (1u << 3)
#define EMAC_FLT_PM          (1u << 4)
#define EMAC_FLT_DBF         (1u << 5)
#define EMAC_FLT_RA          (1u << 31)

/* MIIADDR */
#define EMAC_MII_MIIB        (1u << 0)
#define EMAC_MII_MIIW        (1u << 1)
#define EMAC_MII_CR_SHIFT    2
#define EMAC_MII_CR_100_150  1u /* sysclk 100..150 MHz: MDC = sysclk / 62 */
#define EMAC_MII_CR_20_35    2u /* sysclk 20..35 MHz: / 16 */
#define EMAC_MII_REG_SHIFT   6
#define EMAC_MII_PLA_SHIFT   11

/* DMABUSMOD */
#define EMAC_BUSMOD_SWR      (1u << 0)
#define EMAC_BUSMOD_DSL_SHIFT 2
#define EMAC_BUSMOD_ATDS     (1u << 7)
#define EMAC_BUSMOD_PBL_SHIFT 8

/* DMAOPMODE */
#define EMAC_OPMODE_SR       (1u << 1)
#define EMAC_OPMODE_ST       (1u << 13)
#define EMAC_OPMODE_TSF      (1u << 21)
#define EMAC_OPMODE_RSF      (1u << 25)

/* DMARIS / DMAIM */
#define EMAC_DMA_TI          (1u << 0)
#define EMAC_DMA_TPS         (1u << 1)
#define EMAC_DMA_TU          (1u << 2)
#define EMAC_DMA_TJT         (1u << 3)
#define EMAC_DMA_OVF         (1u << 4)
#define EMAC_DMA_UNF         (1u << 5)
#define EMAC_DMA_RI          (1u << 6)
#define EMAC_DMA_RU          (1u << 7)
#define EMAC_DMA_RPS         (1u << 8)
#define EMAC_DMA_RWT         (1u << 9)
#define EMAC_DMA_ETI         (1u << 10)
#define EMAC_DMA_FBI         (1u << 13)
#define EMAC_DMA_ERI         (1u << 14)
#define EMAC_DMA_AIS         (1u << 15)
#define EMAC_DMA_NIS         (1u << 16)
#define EMAC_DMA_STATUS_MASK 0x1FFFFu /* write-1-clear bits (the state fields above are read-only) */

#define EMAC_EPHY_INT        (1u << 0)

/* Descriptor bits (enhanced layout). */
#define EMAC_TDES0_OWN       (1u << 31)
#define EMAC_TDES0_IC        (1u << 30)
#define EMAC_TDES0_LS        (1u << 29)
#define EMAC_TDES0_FS        (1u << 28)
#define EMAC_TDES0_TER       (1u << 21)
#define EMAC_TDES0_ES        (1u << 15)
#define EMAC_TDES1_TBS1_MASK 0x1FFFu

#define EMAC_RDES0_OWN       (1u << 31)
#define EMAC_RDES0_FL_SHIFT  16
#define EMAC_RDES0_FL_MASK   0x3FFFu
#define EMAC_RDES0_ES        (1u << 15)
#define EMAC_RDES0_FS        (1u << 9)
#define EMAC_RDES0_LS        (1u << 8)
#define EMAC_RDES1_RBS1_MASK 0x1FFFu
#define EMAC_RDES1_RER       (1u << 15)

/* ---- Internal PHY registers (MDIO address 0) -------------------------------------------------- */
#define EPHY_ADDR            0u
#define EPHY_BMCR            0x00u
#define EPHY_BMSR            0x01u
#define EPHY_ID1             0x02u
#define EPHY_ID2             0x03u
#define EPHY_STS             0x10u
#define EPHY_SCR             0x11u
#define EPHY_MISR1           0x12u

#define EPHY_BMCR_RESTARTAN  (1u << 9)
#define EPHY_BMCR_ANEN       (1u << 12)
#define EPHY_BMCR_SPEED      (1u << 13)
#define EPHY_BMCR_MIIRESET   (1u << 15)
#define EPHY_BMSR_LINKSTAT   (1u << 2)
#define EPHY_BMSR_ANC        (1u << 5)
#define EPHY_STS_LINK        (1u << 0)
#define EPHY_STS_SPEED_10    (1u << 1)
#define EPHY_STS_DUPLEX      (1u << 2)
#define EPHY_SCR_INTEN       (1u << 1)
#define EPHY_MISR1_LINKSTATEN (1u << 5)
#define EPHY_MISR1_LINKSTAT  (1u << 13)

/* EMAC0 shares vector 56 with the PHY: IRQ 40. */
#define IRQ_EMAC0            40

_Static_assert(SYSCTL_RCGC_BASE + SYSCTL_SFX_EMAC == 0x400FE69Cu, "RCGCEMAC address");
_Static_assert(SYSCTL_PR_BASE + SYSCTL_SFX_EPHY == 0x400FEA30u, "PREPHY address");
_Static_assert(EMAC_DMABUSMOD == 0x400ECC00u, "DMABUSMOD address");
_Static_assert(EMAC_EPHYMISC == 0x400ECFD8u, "EPHYMISC address");
_Static_assert(SYSCTL_USERREG1 == 0x400FE1E4u, "USERREG1 address");

#endif /* K7_NET_EMAC_REGS_H */
