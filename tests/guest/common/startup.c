/*
 * Minimal startup for guest programs: the full vector table (16 system + 111 interrupt vectors of
 * the TM4C1294) with weak handlers, and a Reset_Handler that enables the FPU, copies .data, zeroes
 * .bss and calls main(). Self-contained: shares nothing with firmware/.
 *
 * Names: system handlers as usual (HardFault_Handler, SVC_Handler, PendSV_Handler, SysTick_Handler,
 * ...), interrupt n = IRQ<n>_Handler. A handler the guest does not define runs Default_Handler:
 * BKPT, then spin.
 */
#include <stdint.h>

extern uint32_t _estack;
extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss;

int main(void);
void Reset_Handler(void);
void Default_Handler(void);

void Default_Handler(void)
{
    for (;;) {
        __asm__ volatile("bkpt #0");
    }
}

void NMI_Handler(void) __attribute__((weak, alias("Default_Handler")));
void HardFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler(void) __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ0_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ1_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ2_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ3_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ4_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ5_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ6_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ7_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ8_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ9_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ10_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ11_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ12_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ13_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ14_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ15_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ16_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ17_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ18_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ19_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ20_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ21_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ22_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ23_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ24_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ25_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ26_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ27_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ28_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ29_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ30_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ31_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ32_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ33_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ34_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ35_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ36_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ37_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ38_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ39_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ40_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ41_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ42_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ43_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ44_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ45_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ46_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ47_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ48_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ49_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ50_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ51_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ52_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ53_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ54_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ55_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ56_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ57_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ58_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ59_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ60_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ61_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ62_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ63_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ64_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ65_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ66_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ67_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ68_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ69_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ70_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ71_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ72_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ73_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ74_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ75_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ76_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ77_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ78_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ79_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ80_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ81_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ82_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ83_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ84_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ85_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ86_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ87_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ88_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ89_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ90_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ91_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ92_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ93_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ94_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ95_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ96_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ97_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ98_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ99_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ100_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ101_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ102_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ103_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ104_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ105_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ106_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ107_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ108_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ109_Handler(void) __attribute__((weak, alias("Default_Handler")));
void IRQ110_Handler(void) __attribute__((weak, alias("Default_Handler")));

typedef void (*vector_t)(void);

__attribute__((section(".isr_vector"), used))
const vector_t guest_vector_table[16 + 111] = {
    (vector_t)(uintptr_t)&_estack, /* 0: initial SP = top of SRAM */
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    IRQ0_Handler, IRQ1_Handler, IRQ2_Handler, IRQ3_Handler, IRQ4_Handler, IRQ5_Handler, IRQ6_Handler, IRQ7_Handler,
    IRQ8_Handler, IRQ9_Handler, IRQ10_Handler, IRQ11_Handler, IRQ12_Handler, IRQ13_Handler, IRQ14_Handler, IRQ15_Handler,
    IRQ16_Handler, IRQ17_Handler, IRQ18_Handler, IRQ19_Handler, IRQ20_Handler, IRQ21_Handler, IRQ22_Handler, IRQ23_Handler,
    IRQ24_Handler, IRQ25_Handler, IRQ26_Handler, IRQ27_Handler, IRQ28_Handler, IRQ29_Handler, IRQ30_Handler, IRQ31_Handler,
    IRQ32_Handler, IRQ33_Handler, IRQ34_Handler, IRQ35_Handler, IRQ36_Handler, IRQ37_Handler, IRQ38_Handler, IRQ39_Handler,
    IRQ40_Handler, IRQ41_Handler, IRQ42_Handler, IRQ43_Handler, IRQ44_Handler, IRQ45_Handler, IRQ46_Handler, IRQ47_Handler,
    IRQ48_Handler, IRQ49_Handler, IRQ50_Handler, IRQ51_Handler, IRQ52_Handler, IRQ53_Handler, IRQ54_Handler, IRQ55_Handler,
    IRQ56_Handler, IRQ57_Handler, IRQ58_Handler, IRQ59_Handler, IRQ60_Handler, IRQ61_Handler, IRQ62_Handler, IRQ63_Handler,
    IRQ64_Handler, IRQ65_Handler, IRQ66_Handler, IRQ67_Handler, IRQ68_Handler, IRQ69_Handler, IRQ70_Handler, IRQ71_Handler,
    IRQ72_Handler, IRQ73_Handler, IRQ74_Handler, IRQ75_Handler, IRQ76_Handler, IRQ77_Handler, IRQ78_Handler, IRQ79_Handler,
    IRQ80_Handler, IRQ81_Handler, IRQ82_Handler, IRQ83_Handler, IRQ84_Handler, IRQ85_Handler, IRQ86_Handler, IRQ87_Handler,
    IRQ88_Handler, IRQ89_Handler, IRQ90_Handler, IRQ91_Handler, IRQ92_Handler, IRQ93_Handler, IRQ94_Handler, IRQ95_Handler,
    IRQ96_Handler, IRQ97_Handler, IRQ98_Handler, IRQ99_Handler, IRQ100_Handler, IRQ101_Handler, IRQ102_Handler, IRQ103_Handler,
    IRQ104_Handler, IRQ105_Handler, IRQ106_Handler, IRQ107_Handler, IRQ108_Handler, IRQ109_Handler, IRQ110_Handler,
};

_Static_assert(sizeof(guest_vector_table) == 127u * 4u, "16 system + 111 interrupt vectors");

__attribute__((noreturn)) void Reset_Handler(void)
{
    /* Hard-float code: enable CP10/CP11 (CPACR) before any FP instruction. */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" : : : "memory");

    const uint32_t *src = &_sidata;
    for (uint32_t *dst = &_sdata; dst < &_edata;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = &_sbss; dst < &_ebss;) {
        *dst++ = 0;
    }
    (void)main();
    for (;;) {
        __asm__ volatile("wfi");
    }
}
