/*
 * NVIC and exception-model checks (ARMv7-M ARM B1.5): SVC, nested preemption, tail-chaining,
 * FP context preserved across a handler that uses the FPU, BASEPRI and PRIMASK masking, priority
 * grouping, and an interrupt taken from thread mode on the process stack (EXC_RETURN 0xFFFFFFFD).
 * Results are left in globals that the host test reads by symbol.
 */
#include "guest.h"

#define NVIC_ISER0 0xE000E100u
#define NVIC_ISPR0 0xE000E200u
#define NVIC_IPR0 0xE000E400u
#define SCB_ICSR 0xE000ED04u
#define SCB_AIRCR 0xE000ED0Cu
#define SCB_SHPR3 0xE000ED20u
#define NVIC_STIR 0xE000EF00u

volatile uint32_t order[32];
volatile uint32_t order_n;
volatile uint32_t svc_seen;
volatile uint32_t fp_thread_ok;
volatile uint32_t fp_handler_result;
volatile uint32_t basepri_blocked, basepri_passed, basepri_released;
volatile uint32_t primask_blocked, primask_released;
volatile uint32_t group_no_preempt;
volatile uint32_t psp_exc_return, psp_ok;
volatile uint32_t irq0_exc_return, irq1_exc_return;
volatile uint32_t done;
volatile float shared_f = 1.5f;

static void log_event(uint32_t e) { order[order_n++] = e; }
static inline void barrier(void) { __asm__ volatile("dsb\n\tisb" : : : "memory"); }
static inline void set_basepri(uint32_t v) { __asm__ volatile("msr basepri, %0" : : "r"(v) : "memory"); }

void SVC_Handler(void) { svc_seen++; log_event(11); }
void PendSV_Handler(void) { log_event(14); }

/* IRQ0 (priority 0x40): pends PendSV (lowest: tail-chains after us) and IRQ1 (0x20: preempts). */
static inline uint32_t current_lr(void) {
  uint32_t lr;
  __asm__ volatile("mov %0, lr" : "=r"(lr));
  return lr;
}

void IRQ0_Handler(void) {
  irq0_exc_return = current_lr();
  float x = shared_f * 4.0f; /* uses S registers inside the handler */
  log_event(16);
  GUEST_REG32(SCB_ICSR) = 1u << 28;
  GUEST_REG32(NVIC_STIR) = 1;
  barrier();
  log_event(160);
  fp_handler_result = (uint32_t)x;
}
void IRQ1_Handler(void) {
  irq1_exc_return = current_lr();
  log_event(17);
}
void IRQ2_Handler(void) { basepri_released++; }  /* priority 0x60 */
void IRQ3_Handler(void) { basepri_passed++; }    /* priority 0x20 */
void IRQ4_Handler(void) { primask_released++; }
/* Same group, different sub-priority (PRIGROUP 5: group = bit 7..6): IRQ5 must not preempt IRQ6. */
void IRQ5_Handler(void) { log_event(21); }
void IRQ6_Handler(void) {
  log_event(22);
  GUEST_REG32(NVIC_STIR) = 5;
  barrier();
  group_no_preempt = (order[order_n - 1] == 22);
  log_event(220);
}
void IRQ7_Handler(void) {
  uint32_t lr;
  __asm__ volatile("mov %0, lr" : "=r"(lr));
  psp_exc_return = lr;
}

static uint32_t process_stack[128] __attribute__((aligned(8)));

int main(void) {
  /* Priorities: IRQ0 0x40, IRQ1 0x20, IRQ2 0x60, IRQ3 0x20, IRQ4 0x00, PendSV lowest. */
  GUEST_REG32(NVIC_IPR0) = 0x40u | (0x20u << 8) | (0x60u << 16) | (0x20u << 24);
  GUEST_REG32(NVIC_IPR0 + 4) = 0x00u | (0x80u << 8) | (0xA0u << 16) | (0x20u << 24);
  GUEST_REG32(SCB_SHPR3) = 0xE0u << 16;
  GUEST_REG32(NVIC_ISER0) = 0xFFu;

  /* 1. SVC is taken synchronously. */
  __asm__ volatile("svc #1");

  /* 2. FP state of the thread survives a handler that uses the FPU (extended frame). */
  volatile float a = 3.0f;
  float b = a * shared_f; /* 4.5, live in an S register across the interrupt */
  GUEST_REG32(NVIC_STIR) = 0;
  barrier();
  fp_thread_ok = (b == 4.5f) && (a * 2.0f == 6.0f);

  /* 3. BASEPRI 0x40 blocks priority 0x60 (IRQ2) but not 0x20 (IRQ3). */
  set_basepri(0x40);
  GUEST_REG32(NVIC_STIR) = 2;
  barrier();
  basepri_blocked = (basepri_released == 0);
  GUEST_REG32(NVIC_STIR) = 3;
  barrier();
  set_basepri(0);
  barrier();

  /* 4. PRIMASK blocks everything configurable. */
  guest_irq_disable();
  GUEST_REG32(NVIC_STIR) = 4;
  barrier();
  primask_blocked = (primask_released == 0);
  guest_irq_enable();
  barrier();

  /* 5. Priority grouping: PRIGROUP 5 → only bits 7..6 preempt. IRQ5 0x80 vs IRQ6 0xA0: same group. */
  GUEST_REG32(SCB_AIRCR) = (0x05FAu << 16) | (5u << 8);
  GUEST_REG32(NVIC_STIR) = 6;
  barrier();
  GUEST_REG32(SCB_AIRCR) = (0x05FAu << 16) | (0u << 8);

  /* 6. Thread on the process stack: the handler sees EXC_RETURN 0xFFFFFFFD and returns there. */
  uint32_t psp_top = (uint32_t)&process_stack[128];
  __asm__ volatile("msr psp, %0\n\t"
                   "mov r0, #2\n\t"
                   "msr control, r0\n\t"
                   "isb" : : "r"(psp_top) : "r0", "memory");
  GUEST_REG32(NVIC_STIR) = 7;
  barrier();
  uint32_t sp_now;
  __asm__ volatile("mov %0, sp" : "=r"(sp_now));
  psp_ok = (sp_now <= psp_top) && (sp_now > psp_top - sizeof(process_stack));
  __asm__ volatile("mov r0, #0\n\tmsr control, r0\n\tisb" : : : "r0", "memory");

  done = 1;
  for (;;) guest_wfi();
}
