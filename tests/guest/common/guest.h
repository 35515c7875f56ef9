/*
 * Helpers for guest programs (emulator unit tests). Self-contained: no firmware headers.
 *
 * Handlers: every exception and interrupt has a weak handler in startup.c; a guest defines the
 * ones it needs. System handlers use the usual names (NMI_Handler, HardFault_Handler, SVC_Handler,
 * PendSV_Handler, SysTick_Handler, ...); interrupt n (vector 16 + n) is IRQ<n>_Handler, for example
 * IRQ5_Handler = UART0, IRQ6_Handler = UART1, IRQ40_Handler = EMAC0 (interrupt numbers as in
 * the facts sheet, section 2). Handlers a guest does not define execute BKPT and spin.
 */
#ifndef K7_GUEST_H
#define K7_GUEST_H

#include <stdint.h>

#define GUEST_REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

static inline void guest_wfi(void) { __asm__ volatile("dsb\n\twfi" : : : "memory"); }
static inline void guest_irq_enable(void) { __asm__ volatile("cpsie i" : : : "memory"); }
static inline void guest_irq_disable(void) { __asm__ volatile("cpsid i" : : : "memory"); }
static inline void guest_bkpt(void) { __asm__ volatile("bkpt #0"); }

#endif
