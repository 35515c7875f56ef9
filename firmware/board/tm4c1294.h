/*
 * TM4C1294NCPDT register map: the subset the K7 firmware uses.
 *
 * Written from the project's facts sheet (shared/spec/tm4c1294-facts.md). Addresses are plain
 * integer constants; access goes through the volatile helpers at the bottom. Every block ends with
 * compile-time checks of a few absolute addresses, so a typo in a base or an offset fails the build
 * instead of poking the wrong register on the board.
 */
#ifndef K7_BOARD_TM4C1294_H
#define K7_BOARD_TM4C1294_H

#include <stdint.h>

/* ---- Memory map ------------------------------------------------------------------------------- */
#define FLASH_BASE           0x00000000u
#define FLASH_SIZE           0x00100000u /* 1 MB, 16 KB erase sectors */
#define SRAM_BASE            0x20000000u
#define SRAM_SIZE            0x00040000u /* 256 KB */

/* Bit-band alias of one bit of an SRAM or peripheral word (not used by the drivers: they use
 * read-modify-write inside critical sections; kept for code that wants atomic bit access). */
#define BITBAND_ALIAS(addr, bit) \
    (((addr) & 0xF0000000u) | 0x02000000u | (((addr) & 0x000FFFFFu) << 5) | ((uint32_t)(bit) << 2))

/* ---- Flash memory controller (tm4c1294-facts.md §6) ------------------------------------------- */
#define FLASH_CTRL_BASE      0x400FD000u
#define FLASH_FMA            (FLASH_CTRL_BASE + 0x000u)
#define FLASH_FMD            (FLASH_CTRL_BASE + 0x004u)
#define FLASH_FMC            (FLASH_CTRL_BASE + 0x008u)
#define FLASH_FCRIS          (FLASH_CTRL_BASE + 0x00Cu)
#define FLASH_FCMISC         (FLASH_CTRL_BASE + 0x014u)
#define FLASH_FMC2           (FLASH_CTRL_BASE + 0x020u)
#define FLASH_FWBVAL         (FLASH_CTRL_BASE + 0x030u)
#define FLASH_FWB(n)         (FLASH_CTRL_BASE + 0x100u + 4u * (uint32_t)(n))
#define FLASH_SECTOR_SIZE    0x4000u /* 16 KB erase sector */
#define FLASH_ROW_WORDS      32u     /* the FWB write buffer: one 128-byte row */

#define FLASH_FMC_WRKEY      0xA4420000u
#define FLASH_FMC_WRITE      (1u << 0)
#define FLASH_FMC_ERASE      (1u << 1)
#define FLASH_FMC2_WRBUF     (1u << 0)
/* FCRIS: access, program and erase-verify failures. */
#define FLASH_FCRIS_ARIS     (1u << 0)
#define FLASH_FCRIS_VOLTRIS  (1u << 9)
#define FLASH_FCRIS_INVDRIS  (1u << 10)
#define FLASH_FCRIS_ERRIS    (1u << 11)
#define FLASH_FCRIS_PROGRIS  (1u << 13)
#define FLASH_FCRIS_ERRORS   (FLASH_FCRIS_ARIS | FLASH_FCRIS_VOLTRIS | FLASH_FCRIS_INVDRIS | FLASH_FCRIS_ERRIS | FLASH_FCRIS_PROGRIS)

_Static_assert(FLASH_FMC2 == 0x400FD020u, "FMC2 address");
_Static_assert(FLASH_FWB(31) == 0x400FD17Cu, "FWB31 address");

/* ---- System control (SYSCTL) ------------------------------------------------------------------ */
#define SYSCTL_BASE          0x400FE000u
#define SYSCTL_DID0          (SYSCTL_BASE + 0x000u)
#define SYSCTL_DID1          (SYSCTL_BASE + 0x004u)
#define SYSCTL_RIS           (SYSCTL_BASE + 0x050u)
#define SYSCTL_MISC          (SYSCTL_BASE + 0x058u)
#define SYSCTL_RESC          (SYSCTL_BASE + 0x05Cu)
#define SYSCTL_MOSCCTL       (SYSCTL_BASE + 0x07Cu)
#define SYSCTL_RSCLKCFG      (SYSCTL_BASE + 0x0B0u)
#define SYSCTL_MEMTIM0       (SYSCTL_BASE + 0x0C0u)
#define SYSCTL_PLLFREQ0      (SYSCTL_BASE + 0x160u)
#define SYSCTL_PLLFREQ1      (SYSCTL_BASE + 0x164u)
#define SYSCTL_PLLSTAT       (SYSCTL_BASE + 0x168u)

/* Per-peripheral arrays: bit n = instance n. */
#define SYSCTL_RCGC_BASE     (SYSCTL_BASE + 0x600u)
#define SYSCTL_PR_BASE       (SYSCTL_BASE + 0xA00u)
#define SYSCTL_SFX_GPIO      0x08u
#define SYSCTL_SFX_UART      0x18u
#define SYSCTL_RCGCGPIO      (SYSCTL_RCGC_BASE + SYSCTL_SFX_GPIO)
#define SYSCTL_RCGCUART      (SYSCTL_RCGC_BASE + SYSCTL_SFX_UART)
#define SYSCTL_PRGPIO        (SYSCTL_PR_BASE + SYSCTL_SFX_GPIO)
#define SYSCTL_PRUART        (SYSCTL_PR_BASE + SYSCTL_SFX_UART)

/* DID0: TM4C129 class when (DID0 & mask) == value. DID1 PRTNO [23:16]. */
#define SYSCTL_DID0_CLASS_MASK   0x70FF0000u
#define SYSCTL_DID0_CLASS_TM4C129 0x100A0000u
#define SYSCTL_DID1_PRTNO_SHIFT  16
#define SYSCTL_DID1_PRTNO_MASK   0xFFu
#define SYSCTL_DID1_PRTNO_1294NCPDT 0x1Fu

/* RIS: main oscillator power-up done (crystal mode ready). */
#define SYSCTL_RIS_MOSCPUPRIS    (1u << 8)

/* RESC: reset cause, sticky until written. */
#define SYSCTL_RESC_EXT      (1u << 0)
#define SYSCTL_RESC_POR      (1u << 1)
#define SYSCTL_RESC_BOR      (1u << 2)
#define SYSCTL_RESC_WDT0     (1u << 3)
#define SYSCTL_RESC_SW       (1u << 4)
#define SYSCTL_RESC_WDT1     (1u << 5)
#define SYSCTL_RESC_HSSR     (1u << 12)
#define SYSCTL_RESC_MOSCFAIL (1u << 16)

/* MOSCCTL */
#define SYSCTL_MOSCCTL_CVAL   (1u << 0)
#define SYSCTL_MOSCCTL_MOSCIM (1u << 1)
#define SYSCTL_MOSCCTL_NOXTAL (1u << 2)
#define SYSCTL_MOSCCTL_PWRDN  (1u << 3)
#define SYSCTL_MOSCCTL_OSCRNG (1u << 4) /* 1 = crystal above 10 MHz */

/* RSCLKCFG */
#define SYSCTL_RSCLKCFG_PSYSDIV_SHIFT 0
#define SYSCTL_RSCLKCFG_PSYSDIV_MASK  (0x3FFu << 0)
#define SYSCTL_RSCLKCFG_OSYSDIV_MASK  (0x3FFu << 10)
#define SYSCTL_RSCLKCFG_OSCSRC_SHIFT  20
#define SYSCTL_RSCLKCFG_OSCSRC_MASK   (0xFu << 20)
#define SYSCTL_RSCLKCFG_PLLSRC_SHIFT  24
#define SYSCTL_RSCLKCFG_PLLSRC_MASK   (0xFu << 24)
#define SYSCTL_RSCLKCFG_USEPLL        (1u << 28)
#define SYSCTL_RSCLKCFG_ACG           (1u << 29)
#define SYSCTL_RSCLKCFG_NEWFREQ       (1u << 30)
#define SYSCTL_RSCLKCFG_MEMTIMU       (1u << 31)
#define SYSCTL_CLKSRC_PIOSC           0x0u /* OSCSRC / PLLSRC encodings */
#define SYSCTL_CLKSRC_MOSC            0x3u

/* MEMTIM0: flash and EEPROM timing. */
#define SYSCTL_MEMTIM0_FWS_SHIFT    0
#define SYSCTL_MEMTIM0_FWS_MASK     (0xFu << 0)
#define SYSCTL_MEMTIM0_FBCE         (1u << 5)
#define SYSCTL_MEMTIM0_FBCHT_SHIFT  6
#define SYSCTL_MEMTIM0_FBCHT_MASK   (0xFu << 6)
#define SYSCTL_MEMTIM0_EWS_SHIFT    16
#define SYSCTL_MEMTIM0_EWS_MASK     (0xFu << 16)
#define SYSCTL_MEMTIM0_EBCE         (1u << 21)
#define SYSCTL_MEMTIM0_EBCHT_SHIFT  22
#define SYSCTL_MEMTIM0_EBCHT_MASK   (0xFu << 22)

/* PLLFREQ0 / PLLFREQ1 / PLLSTAT */
#define SYSCTL_PLLFREQ0_MINT_SHIFT  0
#define SYSCTL_PLLFREQ0_MINT_MASK   (0x3FFu << 0)
#define SYSCTL_PLLFREQ0_MFRAC_SHIFT 10
#define SYSCTL_PLLFREQ0_MFRAC_MASK  (0x3FFu << 10)
#define SYSCTL_PLLFREQ0_PLLPWR      (1u << 23)
#define SYSCTL_PLLFREQ1_N_SHIFT     0
#define SYSCTL_PLLFREQ1_N_MASK      (0x1Fu << 0)
#define SYSCTL_PLLFREQ1_Q_SHIFT     8
#define SYSCTL_PLLFREQ1_Q_MASK      (0x1Fu << 8)
#define SYSCTL_PLLSTAT_LOCK         (1u << 0)

/* Instance bits in the RCGC/PR arrays. */
#define SYSCTL_GPIO_A  (1u << 0)
#define SYSCTL_GPIO_B  (1u << 1)
#define SYSCTL_GPIO_J  (1u << 8)
#define SYSCTL_GPIO_N  (1u << 12)
#define SYSCTL_UART(n) (1u << (n))

_Static_assert(SYSCTL_RCGCGPIO == 0x400FE608u, "RCGCGPIO address");
_Static_assert(SYSCTL_RCGCUART == 0x400FE618u, "RCGCUART address");
_Static_assert(SYSCTL_PRGPIO == 0x400FEA08u, "PRGPIO address");
_Static_assert(SYSCTL_PRUART == 0x400FEA18u, "PRUART address");
_Static_assert(SYSCTL_RSCLKCFG == 0x400FE0B0u, "RSCLKCFG address");
_Static_assert(SYSCTL_PLLSTAT == 0x400FE168u, "PLLSTAT address");
_Static_assert(BITBAND_ALIAS(SYSCTL_RCGCUART, 1) == 0x43FCC304u, "bit-band alias formula");

/* ---- GPIO (AHB apertures) --------------------------------------------------------------------- */
#define GPIO_PORTA_BASE      0x40058000u
#define GPIO_PORTB_BASE      0x40059000u
#define GPIO_PORTJ_BASE      0x40060000u
#define GPIO_PORTN_BASE      0x40064000u

#define GPIO_DATA_ALL        0x3FCu /* DATA aperture with every pin unmasked */
#define GPIO_DATA_MASKED(pins) ((uint32_t)(pins) << 2) /* aperture touching only `pins` */
#define GPIO_DIR             0x400u
#define GPIO_IS              0x404u
#define GPIO_IBE             0x408u
#define GPIO_IEV             0x40Cu
#define GPIO_IM              0x410u
#define GPIO_RIS             0x414u
#define GPIO_MIS             0x418u
#define GPIO_ICR             0x41Cu
#define GPIO_AFSEL           0x420u
#define GPIO_DR2R            0x500u
#define GPIO_DR4R            0x504u
#define GPIO_DR8R            0x508u
#define GPIO_ODR             0x50Cu
#define GPIO_PUR             0x510u
#define GPIO_PDR             0x514u
#define GPIO_DEN             0x51Cu
#define GPIO_LOCK            0x520u
#define GPIO_CR              0x524u
#define GPIO_AMSEL           0x528u
#define GPIO_PCTL            0x52Cu
#define GPIO_LOCK_KEY        0x4C4F434Bu

_Static_assert(GPIO_PORTB_BASE == 0x40058000u + 1u * 0x1000u, "GPIO B base");
_Static_assert(GPIO_PORTN_BASE == 0x40061000u + 3u * 0x1000u, "GPIO N base (K,L,M,N)");

/* ---- UART (PL011-derived) --------------------------------------------------------------------- */
#define UART_BASE(n)         (0x4000C000u + (uint32_t)(n) * 0x1000u)
#define UART_DR              0x000u
#define UART_RSR             0x004u
#define UART_FR              0x018u
#define UART_IBRD            0x024u
#define UART_FBRD            0x028u
#define UART_LCRH            0x02Cu
#define UART_CTL             0x030u
#define UART_IFLS            0x034u
#define UART_IM              0x038u
#define UART_RIS             0x03Cu
#define UART_MIS             0x040u
#define UART_ICR             0x044u
#define UART_DMACTL          0x048u
#define UART_CC              0xFC8u

#define UART_DR_DATA_MASK    0xFFu
#define UART_DR_FE           (1u << 8)
#define UART_DR_PE           (1u << 9)
#define UART_DR_BE           (1u << 10)
#define UART_DR_OE           (1u << 11)
#define UART_DR_ERR_SHIFT    8

#define UART_FR_CTS          (1u << 0)
#define UART_FR_BUSY         (1u << 3)
#define UART_FR_RXFE         (1u << 4)
#define UART_FR_TXFF         (1u << 5)
#define UART_FR_RXFF         (1u << 6)
#define UART_FR_TXFE         (1u << 7)

#define UART_LCRH_BRK        (1u << 0)
#define UART_LCRH_PEN        (1u << 1)
#define UART_LCRH_EPS        (1u << 2)
#define UART_LCRH_STP2       (1u << 3)
#define UART_LCRH_FEN        (1u << 4)
#define UART_LCRH_WLEN_SHIFT 5 /* 0 = 5 bits .. 3 = 8 bits */
#define UART_LCRH_SPS        (1u << 7)

#define UART_CTL_UARTEN      (1u << 0)
#define UART_CTL_EOT         (1u << 4)
#define UART_CTL_HSE         (1u << 5)
#define UART_CTL_LBE         (1u << 7)
#define UART_CTL_TXE         (1u << 8)
#define UART_CTL_RXE         (1u << 9)
#define UART_CTL_RTS         (1u << 11)
#define UART_CTL_RTSEN       (1u << 14)
#define UART_CTL_CTSEN       (1u << 15)

/* IFLS trigger levels: 0..4 = 1/8, 1/4, 1/2, 3/4, 7/8 of the 16-entry FIFO. */
#define UART_IFLS_TX_SHIFT   0
#define UART_IFLS_RX_SHIFT   3
#define UART_IFLS_1_8        0u
#define UART_IFLS_1_4        1u
#define UART_IFLS_1_2        2u
#define UART_IFLS_3_4        3u
#define UART_IFLS_7_8        4u

/* IM / RIS / MIS / ICR bit positions. */
#define UART_INT_CTS         (1u << 1)
#define UART_INT_RX          (1u << 4)
#define UART_INT_TX          (1u << 5)
#define UART_INT_RT          (1u << 6)
#define UART_INT_FE          (1u << 7)
#define UART_INT_PE          (1u << 8)
#define UART_INT_BE          (1u << 9)
#define UART_INT_OE          (1u << 10)
#define UART_INT_EOT         (1u << 11)
#define UART_INT_ALL         0x1FFFu

#define UART_CC_SYSCLK       0x0u
#define UART_CC_PIOSC        0x5u

#define UART_FIFO_DEPTH      16u

_Static_assert(UART_BASE(0) == 0x4000C000u, "UART0 base");
_Static_assert(UART_BASE(1) == 0x4000D000u, "UART1 base");

/* ---- Core peripherals: SysTick, NVIC, SCB ----------------------------------------------------- */
#define SYSTICK_CTRL         0xE000E010u
#define SYSTICK_RELOAD       0xE000E014u
#define SYSTICK_CURRENT      0xE000E018u
#define SYSTICK_CTRL_ENABLE  (1u << 0)
#define SYSTICK_CTRL_INTEN   (1u << 1)
#define SYSTICK_CTRL_CLK_SRC (1u << 2) /* 1 = system clock */
#define SYSTICK_CTRL_COUNT   (1u << 16)
#define SYSTICK_RELOAD_MAX   0x00FFFFFFu

#define NVIC_ISER(n)         (0xE000E100u + 4u * (uint32_t)(n))
#define NVIC_ICER(n)         (0xE000E180u + 4u * (uint32_t)(n))
#define NVIC_ICPR(n)         (0xE000E280u + 4u * (uint32_t)(n))
#define NVIC_IPR_BYTE(irq)   (0xE000E400u + (uint32_t)(irq))
#define NVIC_PRIO_BITS       3u /* implemented bits [7:5] of each priority byte */

#define SCB_ICSR             0xE000ED04u
#define SCB_VTOR             0xE000ED08u
#define SCB_AIRCR            0xE000ED0Cu
#define SCB_SHPR3            0xE000ED20u
#define SCB_CPACR            0xE000ED88u
#define SCB_ICSR_PENDSTSET   (1u << 26)
#define SCB_AIRCR_VECTKEY    (0x05FAu << 16)
#define SCB_AIRCR_SYSRESETREQ (1u << 2)
#define SCB_CPACR_CP10_CP11_FULL (0xFu << 20)

/* IRQ numbers (vector index - 16). */
#define IRQ_UART0            5
#define IRQ_UART1            6
#define IRQ_COUNT            111

/* ---- Access helpers --------------------------------------------------------------------------- */
static inline uint32_t reg_read(uint32_t addr)
{
    return *(volatile const uint32_t *)(uintptr_t)addr;
}

static inline void reg_write(uint32_t addr, uint32_t value)
{
    *(volatile uint32_t *)(uintptr_t)addr = value;
}

static inline void reg_write8(uint32_t addr, uint8_t value)
{
    *(volatile uint8_t *)(uintptr_t)addr = value;
}

/* Read-modify-write helpers: not atomic; callers own the register or hold a critical section. */
static inline void reg_set(uint32_t addr, uint32_t bits)
{
    reg_write(addr, reg_read(addr) | bits);
}

static inline void reg_clear(uint32_t addr, uint32_t bits)
{
    reg_write(addr, reg_read(addr) & ~bits);
}

static inline void reg_modify(uint32_t addr, uint32_t clear_mask, uint32_t set_bits)
{
    reg_write(addr, (reg_read(addr) & ~clear_mask) | set_bits);
}

#endif /* K7_BOARD_TM4C1294_H */
