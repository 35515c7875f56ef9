/*
 * Cortex-M4 core helpers: interrupt masking, sleep, NVIC enable and priority.
 */
#ifndef K7_BOARD_CPU_H
#define K7_BOARD_CPU_H

#include <stdint.h>

#include "tm4c1294.h"

/* Critical sections save and restore PRIMASK so they nest and can be used from handlers. */
static inline uint32_t irq_save(void)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
    return primask;
}

static inline void irq_restore(uint32_t primask)
{
    __asm__ volatile("msr primask, %0" : : "r"(primask) : "memory");
}

static inline void irq_disable(void) { __asm__ volatile("cpsid i" : : : "memory"); }
static inline void irq_enable(void) { __asm__ volatile("cpsie i" : : : "memory"); }

/* Wait for interrupt. Called with PRIMASK set, a pending interrupt still ends the sleep (ARMv7-M),
 * which lets the main loop check for work and sleep without a lost-wakeup race. */
static inline void cpu_wfi(void) { __asm__ volatile("dsb\n\twfi\n\tisb" : : : "memory"); }

static inline void cpu_dsb(void) { __asm__ volatile("dsb" : : : "memory"); }

/* Priority 0 (highest) .. 7 (lowest); only the top NVIC_PRIO_BITS of the byte are implemented. */
static inline void nvic_set_priority(int irq, uint32_t level)
{
    reg_write8(NVIC_IPR_BYTE(irq), (uint8_t)(level << (8u - NVIC_PRIO_BITS)));
}

static inline void nvic_enable(int irq)
{
    reg_write(NVIC_ISER((uint32_t)irq >> 5), 1u << ((uint32_t)irq & 31u));
}

static inline void nvic_disable(int irq)
{
    reg_write(NVIC_ICER((uint32_t)irq >> 5), 1u << ((uint32_t)irq & 31u));
    cpu_dsb();
}

static inline void nvic_clear_pending(int irq)
{
    reg_write(NVIC_ICPR((uint32_t)irq >> 5), 1u << ((uint32_t)irq & 31u));
}

/* SysTick's priority lives in SHPR3 [31:24]. */
static inline void systick_set_priority(uint32_t level)
{
    reg_modify(SCB_SHPR3, 0xFFu << 24, (level << (8u - NVIC_PRIO_BITS)) << 24);
}

/* Request a system reset (RESC.SW is set on the next boot). */
static inline void cpu_system_reset(void)
{
    cpu_dsb();
    reg_write(SCB_AIRCR, SCB_AIRCR_VECTKEY | SCB_AIRCR_SYSRESETREQ);
    cpu_dsb();
    for (;;) {
    }
}

#endif /* K7_BOARD_CPU_H */
