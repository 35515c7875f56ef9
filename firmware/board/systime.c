/*
 * SysTick runs from the system clock with a period of exactly 1 ms (RELOAD + 1 counts). The counter
 * steps 1 -> 0 at a millisecond boundary (that step pends the interrupt), holds 0 for one count, then
 * reloads: RELOAD, RELOAD - 1, ... 1, 0. Counts elapsed since the boundary are therefore
 *
 *   CURRENT == 0 ? 0 : RELOAD + 1 - CURRENT
 *
 * and us = ticks * 1000 + elapsed / cycles_per_us, read with interrupts masked. If a boundary has
 * passed but the tick interrupt has not run yet (masked, or we are in a handler), ICSR.PENDSTSET is
 * set: the pending millisecond is added and CURRENT re-read, which is then known to be after it.
 */
#include "systime.h"

#include "cpu.h"
#include "tm4c1294.h"

static volatile uint64_t tick_ms;    /* written by SysTick_Handler only */
static uint32_t reload;              /* RELOAD value: cycles per ms - 1 */
static uint32_t cycles_per_us;
static uint64_t last_us;             /* guards monotonicity; touched under irq_save only */

void SysTick_Handler(void);

void SysTick_Handler(void)
{
    tick_ms = tick_ms + 1u;
}

void systime_init(uint32_t sysclk_hz)
{
    cycles_per_us = sysclk_hz / 1000000u;
    reload = sysclk_hz / 1000u - 1u;

    reg_write(SYSTICK_CTRL, 0);
    reg_write(SYSTICK_RELOAD, reload);
    reg_write(SYSTICK_CURRENT, 0); /* any write clears CURRENT and COUNT */
    systick_set_priority(0);       /* highest: the handler is a few instructions */
    reg_write(SYSTICK_CTRL, SYSTICK_CTRL_CLK_SRC | SYSTICK_CTRL_INTEN | SYSTICK_CTRL_ENABLE);
}

uint64_t systime_us(void)
{
    uint32_t key = irq_save();
    uint64_t ms = tick_ms;
    uint32_t cur = reg_read(SYSTICK_CURRENT);
    if (reg_read(SCB_ICSR) & SCB_ICSR_PENDSTSET) {
        ms += 1u;
        cur = reg_read(SYSTICK_CURRENT);
    }
    if (cur > reload) { /* cannot happen on hardware; keeps the arithmetic sane */
        cur = reload;
    }
    uint32_t elapsed = cur == 0 ? 0 : reload + 1u - cur;
    uint64_t us = ms * 1000u + (uint64_t)(elapsed / cycles_per_us);
    if (us < last_us) {
        us = last_us;
    }
    last_us = us;
    irq_restore(key);
    return us;
}

uint64_t systime_widen(uint32_t t32)
{
    uint64_t now = systime_us();
    uint32_t age = (uint32_t)now - t32;
    if ((int32_t)age < 0) { /* a timestamp estimated slightly ahead of now: treat as now */
        age = 0;
    }
    if (age > now) { /* older than the clock itself: clamp to boot */
        age = (uint32_t)now;
    }
    return now - age;
}
