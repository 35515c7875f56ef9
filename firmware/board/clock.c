/*
 * Clock plan (TM4C1294, 25 MHz crystal on OSC0/OSC1):
 *
 *   MOSC 25 MHz --PLLSRC--> PLL: fVCO = 25 MHz * (MINT 96 + MFRAC 0/1024) / ((N 4 + 1) * (Q 0 + 1))
 *                                     = 480 MHz
 *   sysclk = fVCO / (PSYSDIV 3 + 1) = 120 MHz
 *
 * Flash and EEPROM need 5 wait states at 100..120 MHz (MEMTIM0 FWS/EWS = 5, FBCHT/EBCHT = 6, no
 * bank-clock-edge inversion); the new timing is applied together with the switch to the PLL
 * (RSCLKCFG.MEMTIMU), so flash is never run faster than its timing allows.
 *
 * OSCSRC stays on the PIOSC: the core runs from the PIOSC until the very write that selects the PLL,
 * so there is no intermediate 25 MHz step that would need its own flash timing.
 */
#include "clock.h"

#include "tm4c1294.h"

#define PLL_MINT    96u
#define PLL_MFRAC   0u
#define PLL_N       4u
#define PLL_Q       0u
#define PLL_PSYSDIV 3u

#define PLL_VCO_HZ  ((uint64_t)CLOCK_MOSC_HZ * PLL_MINT / ((PLL_N + 1u) * (PLL_Q + 1u)))
_Static_assert(PLL_VCO_HZ == 480000000u, "VCO must run at 480 MHz");
_Static_assert(PLL_VCO_HZ / (PLL_PSYSDIV + 1u) == CLOCK_TARGET_HZ, "sysclk must be 120 MHz");

/* Flash/EEPROM timing for 100 MHz < sysclk <= 120 MHz. */
#define MEMTIM_WS    5u /* wait states */
#define MEMTIM_BCHT  6u /* bank clock high time: 3.5 system clocks */

/* Bounded polls: on silicon the crystal needs a few milliseconds and the PLL well under one; the
 * bounds are far above that (hundreds of milliseconds at 16 MHz) and only matter if hardware is
 * broken. They are iteration counts because no timer runs yet. */
#define MOSC_POLL_LIMIT 400000u
#define PLL_POLL_LIMIT  400000u

static bool poll_bits(uint32_t addr, uint32_t bits, uint32_t limit)
{
    for (uint32_t i = 0; i < limit; i++) {
        if ((reg_read(addr) & bits) == bits) {
            return true;
        }
    }
    return false;
}

struct clock_status clock_init(void)
{
    struct clock_status st = {.sysclk_hz = CLOCK_PIOSC_HZ, .mosc_ready = false, .pll_locked = false};

    /* 1. Main oscillator: crystal mode (NOXTAL = 0), powered (PWRDN = 0), high range (> 10 MHz).
     *    Clock validation (CVAL) is left off: a failed crystal shows up as a PLL that never locks. */
    reg_modify(SYSCTL_MOSCCTL, SYSCTL_MOSCCTL_NOXTAL | SYSCTL_MOSCCTL_PWRDN | SYSCTL_MOSCCTL_CVAL,
               SYSCTL_MOSCCTL_OSCRNG);
    st.mosc_ready = poll_bits(SYSCTL_RIS, SYSCTL_RIS_MOSCPUPRIS, MOSC_POLL_LIMIT);
    reg_write(SYSCTL_MISC, SYSCTL_RIS_MOSCPUPRIS); /* write-1-to-clear the power-up flag */

    /* 2. PLL input = MOSC; the system clock itself stays on the PIOSC for now. */
    uint32_t cfg = (SYSCTL_CLKSRC_MOSC << SYSCTL_RSCLKCFG_PLLSRC_SHIFT) |
                   (SYSCTL_CLKSRC_PIOSC << SYSCTL_RSCLKCFG_OSCSRC_SHIFT);
    reg_write(SYSCTL_RSCLKCFG, cfg);

    /* 3. PLL dividers and multiplier, then power; NEWFREQ latches the new operating point. */
    reg_write(SYSCTL_PLLFREQ1, (PLL_N << SYSCTL_PLLFREQ1_N_SHIFT) | (PLL_Q << SYSCTL_PLLFREQ1_Q_SHIFT));
    reg_write(SYSCTL_PLLFREQ0, (PLL_MINT << SYSCTL_PLLFREQ0_MINT_SHIFT) |
                                   (PLL_MFRAC << SYSCTL_PLLFREQ0_MFRAC_SHIFT) | SYSCTL_PLLFREQ0_PLLPWR);
    reg_write(SYSCTL_RSCLKCFG, cfg | SYSCTL_RSCLKCFG_NEWFREQ);

    /* 4. Wait for lock. */
    st.pll_locked = poll_bits(SYSCTL_PLLSTAT, SYSCTL_PLLSTAT_LOCK, PLL_POLL_LIMIT);
    if (!st.pll_locked) {
        return st; /* stay on the PIOSC; flash timing untouched */
    }

    /* 5. Flash/EEPROM timing for 120 MHz (takes effect with MEMTIMU below). Reserved bits are kept. */
    reg_modify(SYSCTL_MEMTIM0,
               SYSCTL_MEMTIM0_FWS_MASK | SYSCTL_MEMTIM0_FBCE | SYSCTL_MEMTIM0_FBCHT_MASK |
                   SYSCTL_MEMTIM0_EWS_MASK | SYSCTL_MEMTIM0_EBCE | SYSCTL_MEMTIM0_EBCHT_MASK,
               (MEMTIM_WS << SYSCTL_MEMTIM0_FWS_SHIFT) | (MEMTIM_BCHT << SYSCTL_MEMTIM0_FBCHT_SHIFT) |
                   (MEMTIM_WS << SYSCTL_MEMTIM0_EWS_SHIFT) | (MEMTIM_BCHT << SYSCTL_MEMTIM0_EBCHT_SHIFT));

    /* 6. Run from the PLL: divider, new memory timing and the PLL in one write. NEWFREQ is not set
     *    again here: the operating point was latched in step 3 and the PLL is locked on it; asking
     *    for a re-lock while switching to the PLL would only stall or glitch the clock. */
    reg_write(SYSCTL_RSCLKCFG, cfg | SYSCTL_RSCLKCFG_MEMTIMU | SYSCTL_RSCLKCFG_USEPLL |
                                   (PLL_PSYSDIV << SYSCTL_RSCLKCFG_PSYSDIV_SHIFT));

    st.sysclk_hz = CLOCK_TARGET_HZ;
    return st;
}
