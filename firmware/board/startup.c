/*
 * Reset entry and vector table of the K7 firmware.
 *
 * The table has every one of the 16 system + 111 interrupt vectors of the TM4C1294 so a stray
 * interrupt lands in a known handler instead of jumping through garbage. Handlers are weak aliases
 * of Default_Handler; board code overrides the ones it uses (SysTick, UART0, UART1).
 */
#include <stdint.h>

#include "tm4c1294.h"

/* Linker script symbols. */
extern uint32_t _estack;
extern uint32_t _sidata, _sdata, _edata;
extern uint32_t _sbss, _ebss;

int main(void);

void Reset_Handler(void);
void Default_Handler(void);

/* A fault or an unexpected interrupt stops here. The BKPT makes a debugger (or the emulator) stop
 * at once; without a debugger it escalates to a lockup, which is a visible, final state too. */
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
void GPIOA_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOB_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOD_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOE_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UART0_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UART1_Handler(void) __attribute__((weak, alias("Default_Handler")));
void WDT_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER0A_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER0B_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER1A_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER1B_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER2A_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER2B_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SYSCTL_Handler(void) __attribute__((weak, alias("Default_Handler")));
void FLASH_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOF_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOG_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOH_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UART2_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER3A_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER3B_Handler(void) __attribute__((weak, alias("Default_Handler")));
void EMAC0_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UDMA_SW_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UDMA_ERR_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOJ_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOK_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOL_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UART3_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UART4_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UART5_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UART6_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UART7_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER4A_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER4B_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER5A_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER5B_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOM_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPION_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOP0_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOP1_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOP2_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOP3_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOP4_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOP5_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOP6_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOP7_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOQ0_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOQ1_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOQ2_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOQ3_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOQ4_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOQ5_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOQ6_Handler(void) __attribute__((weak, alias("Default_Handler")));
void GPIOQ7_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER6A_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER6B_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER7A_Handler(void) __attribute__((weak, alias("Default_Handler")));
void TIMER7B_Handler(void) __attribute__((weak, alias("Default_Handler")));

typedef void (*vector_t)(void);

__attribute__((section(".isr_vector"), used))
const vector_t k7_vector_table[16 + IRQ_COUNT] = {
    (vector_t)(uintptr_t)&_estack, /*   0 initial main stack pointer */
    Reset_Handler,        /*   1 */
    NMI_Handler,          /*   2 */
    HardFault_Handler,    /*   3 */
    MemManage_Handler,    /*   4 */
    BusFault_Handler,     /*   5 */
    UsageFault_Handler,   /*   6 */
    0,                    /*   7 reserved */
    0,                    /*   8 reserved */
    0,                    /*   9 reserved */
    0,                    /*  10 reserved */
    SVC_Handler,          /*  11 */
    DebugMon_Handler,     /*  12 */
    0,                    /*  13 reserved */
    PendSV_Handler,       /*  14 */
    SysTick_Handler,      /*  15 */
    GPIOA_Handler,        /*  16 IRQ   0 */
    GPIOB_Handler,        /*  17 IRQ   1 */
    GPIOC_Handler,        /*  18 IRQ   2 */
    GPIOD_Handler,        /*  19 IRQ   3 */
    GPIOE_Handler,        /*  20 IRQ   4 */
    UART0_Handler,        /*  21 IRQ   5 */
    UART1_Handler,        /*  22 IRQ   6 */
    Default_Handler,      /*  23 IRQ   7 */
    Default_Handler,      /*  24 IRQ   8 */
    Default_Handler,      /*  25 IRQ   9 */
    Default_Handler,      /*  26 IRQ  10 */
    Default_Handler,      /*  27 IRQ  11 */
    Default_Handler,      /*  28 IRQ  12 */
    Default_Handler,      /*  29 IRQ  13 */
    Default_Handler,      /*  30 IRQ  14 */
    Default_Handler,      /*  31 IRQ  15 */
    Default_Handler,      /*  32 IRQ  16 */
    Default_Handler,      /*  33 IRQ  17 */
    WDT_Handler,          /*  34 IRQ  18 */
    TIMER0A_Handler,      /*  35 IRQ  19 */
    TIMER0B_Handler,      /*  36 IRQ  20 */
    TIMER1A_Handler,      /*  37 IRQ  21 */
    TIMER1B_Handler,      /*  38 IRQ  22 */
    TIMER2A_Handler,      /*  39 IRQ  23 */
    TIMER2B_Handler,      /*  40 IRQ  24 */
    Default_Handler,      /*  41 IRQ  25 */
    Default_Handler,      /*  42 IRQ  26 */
    Default_Handler,      /*  43 IRQ  27 */
    SYSCTL_Handler,       /*  44 IRQ  28 */
    FLASH_Handler,        /*  45 IRQ  29 */
    GPIOF_Handler,        /*  46 IRQ  30 */
    GPIOG_Handler,        /*  47 IRQ  31 */
    GPIOH_Handler,        /*  48 IRQ  32 */
    UART2_Handler,        /*  49 IRQ  33 */
    Default_Handler,      /*  50 IRQ  34 */
    TIMER3A_Handler,      /*  51 IRQ  35 */
    TIMER3B_Handler,      /*  52 IRQ  36 */
    Default_Handler,      /*  53 IRQ  37 */
    Default_Handler,      /*  54 IRQ  38 */
    Default_Handler,      /*  55 IRQ  39 */
    EMAC0_Handler,        /*  56 IRQ  40 */
    Default_Handler,      /*  57 IRQ  41 */
    Default_Handler,      /*  58 IRQ  42 */
    Default_Handler,      /*  59 IRQ  43 */
    UDMA_SW_Handler,      /*  60 IRQ  44 */
    UDMA_ERR_Handler,     /*  61 IRQ  45 */
    Default_Handler,      /*  62 IRQ  46 */
    Default_Handler,      /*  63 IRQ  47 */
    Default_Handler,      /*  64 IRQ  48 */
    Default_Handler,      /*  65 IRQ  49 */
    Default_Handler,      /*  66 IRQ  50 */
    GPIOJ_Handler,        /*  67 IRQ  51 */
    GPIOK_Handler,        /*  68 IRQ  52 */
    GPIOL_Handler,        /*  69 IRQ  53 */
    Default_Handler,      /*  70 IRQ  54 */
    Default_Handler,      /*  71 IRQ  55 */
    UART3_Handler,        /*  72 IRQ  56 */
    UART4_Handler,        /*  73 IRQ  57 */
    UART5_Handler,        /*  74 IRQ  58 */
    UART6_Handler,        /*  75 IRQ  59 */
    UART7_Handler,        /*  76 IRQ  60 */
    Default_Handler,      /*  77 IRQ  61 */
    Default_Handler,      /*  78 IRQ  62 */
    TIMER4A_Handler,      /*  79 IRQ  63 */
    TIMER4B_Handler,      /*  80 IRQ  64 */
    TIMER5A_Handler,      /*  81 IRQ  65 */
    TIMER5B_Handler,      /*  82 IRQ  66 */
    Default_Handler,      /*  83 IRQ  67 */
    Default_Handler,      /*  84 IRQ  68 */
    Default_Handler,      /*  85 IRQ  69 */
    Default_Handler,      /*  86 IRQ  70 */
    Default_Handler,      /*  87 IRQ  71 */
    GPIOM_Handler,        /*  88 IRQ  72 */
    GPION_Handler,        /*  89 IRQ  73 */
    Default_Handler,      /*  90 IRQ  74 */
    Default_Handler,      /*  91 IRQ  75 */
    GPIOP0_Handler,       /*  92 IRQ  76 */
    GPIOP1_Handler,       /*  93 IRQ  77 */
    GPIOP2_Handler,       /*  94 IRQ  78 */
    GPIOP3_Handler,       /*  95 IRQ  79 */
    GPIOP4_Handler,       /*  96 IRQ  80 */
    GPIOP5_Handler,       /*  97 IRQ  81 */
    GPIOP6_Handler,       /*  98 IRQ  82 */
    GPIOP7_Handler,       /*  99 IRQ  83 */
    GPIOQ0_Handler,       /* 100 IRQ  84 */
    GPIOQ1_Handler,       /* 101 IRQ  85 */
    GPIOQ2_Handler,       /* 102 IRQ  86 */
    GPIOQ3_Handler,       /* 103 IRQ  87 */
    GPIOQ4_Handler,       /* 104 IRQ  88 */
    GPIOQ5_Handler,       /* 105 IRQ  89 */
    GPIOQ6_Handler,       /* 106 IRQ  90 */
    GPIOQ7_Handler,       /* 107 IRQ  91 */
    Default_Handler,      /* 108 IRQ  92 */
    Default_Handler,      /* 109 IRQ  93 */
    Default_Handler,      /* 110 IRQ  94 */
    Default_Handler,      /* 111 IRQ  95 */
    Default_Handler,      /* 112 IRQ  96 */
    Default_Handler,      /* 113 IRQ  97 */
    TIMER6A_Handler,      /* 114 IRQ  98 */
    TIMER6B_Handler,      /* 115 IRQ  99 */
    TIMER7A_Handler,      /* 116 IRQ 100 */
    TIMER7B_Handler,      /* 117 IRQ 101 */
    Default_Handler,      /* 118 IRQ 102 */
    Default_Handler,      /* 119 IRQ 103 */
    Default_Handler,      /* 120 IRQ 104 */
    Default_Handler,      /* 121 IRQ 105 */
    Default_Handler,      /* 122 IRQ 106 */
    Default_Handler,      /* 123 IRQ 107 */
    Default_Handler,      /* 124 IRQ 108 */
    Default_Handler,      /* 125 IRQ 109 */
    Default_Handler,      /* 126 IRQ 110 */
};

_Static_assert(sizeof(k7_vector_table) == 127u * 4u, "16 system + 111 interrupt vectors");

/* Runs before any C runtime state exists: it must not use .data, .bss or the FPU until set up. */
__attribute__((noreturn)) void Reset_Handler(void)
{
    /* The code is built for hard-float: grant full access to CP10/CP11 before any FP instruction
     * can run (the FPU is off after reset on real silicon). */
    reg_write(SCB_CPACR, reg_read(SCB_CPACR) | SCB_CPACR_CP10_CP11_FULL);
    __asm__ volatile("dsb\n\tisb" : : : "memory");

    /* The vector table is at 0 (flash) after reset; say so explicitly in case a boot loader moved it. */
    reg_write(SCB_VTOR, (uint32_t)(uintptr_t)k7_vector_table);

    /* Initialised data: copy from its load address in flash, then zero .bss. (The compiler may turn
     * these loops into memcpy/memset calls; those live in flash and use no static data.) */
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
