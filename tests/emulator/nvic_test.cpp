// NVIC and exception model (ARMv7-M ARM B1.5, B3.4), on the NVIC model alone and with a guest
// program running on the emulated core.
#include <gtest/gtest.h>

#include "emulator/cpu/nvic.h"
#include "guest_board.h"

using namespace k7sim;
using k7sim::test::GuestBoard;

// B1.5.4: execution priority = most urgent active group priority, boosted by BASEPRI/PRIMASK/FAULTMASK.
TEST(NvicModel, ExecutionPriorityFromActiveAndMasks) {
  Nvic n;
  EXPECT_EQ(n.execution_priority(0, 0, 0), Nvic::kThreadPriority);
  n.set_priority_byte(16 + 3, 0x60);
  n.set_irq_enabled(3, true);
  n.set_pending(16 + 3);
  n.activate(16 + 3);
  EXPECT_EQ(n.execution_priority(0, 0, 0), 0x60);
  EXPECT_EQ(n.execution_priority(0, 0x40, 0), 0x40);  // BASEPRI boosts
  EXPECT_EQ(n.execution_priority(0, 0x80, 0), 0x60);  // a weaker BASEPRI does not lower it
  EXPECT_EQ(n.execution_priority(1, 0, 0), 0);        // PRIMASK
  EXPECT_EQ(n.execution_priority(0, 0, 1), -1);       // FAULTMASK
}

// B3.4.3: only the implemented bits [7:5] of a priority byte exist on the TM4C1294.
TEST(NvicModel, ThreePriorityBits) {
  Nvic n;
  n.write(0x300, 0xFFFFFFFF, 4);  // IPR0
  EXPECT_EQ(n.read(0x300, 4), 0xE0E0E0E0u);
}

// B1.5.4: among pending exceptions the lowest priority value wins, ties go to the lowest number.
TEST(NvicModel, PendingSelectionTieBreaksOnNumber) {
  Nvic n;
  for (unsigned irq : {5u, 2u, 9u}) {
    n.set_irq_enabled(irq, true);
    n.set_priority_byte(16 + irq, 0x40);
    n.set_pending(16 + irq);
  }
  EXPECT_EQ(n.pending_candidate(), 16u + 2);
  n.set_priority_byte(16 + 9, 0x20);
  EXPECT_EQ(n.pending_candidate(), 16u + 9);
  n.set_irq_enabled(9, false);  // disabled interrupts are not candidates
  EXPECT_EQ(n.pending_candidate(), 16u + 2);
}

// AIRCR.PRIGROUP splits the priority byte into group and sub-priority; only the group preempts.
TEST(NvicModel, PriorityGrouping) {
  Nvic n;
  n.set_prigroup(5);  // group = bits [7:6]
  EXPECT_EQ(n.group_of(0xA0), 0x80);
  EXPECT_EQ(n.group_of(0x80), 0x80);
  n.set_prigroup(7);  // no group bits: nothing preempts anything configurable
  EXPECT_EQ(n.group_of(0xE0), 0);
}

// Level-sensitive interrupts pend again when the line is still high at exception return.
TEST(NvicModel, LevelInterruptRepends) {
  Nvic n;
  n.set_irq_enabled(6, true);
  n.set_irq_line(6, true);
  EXPECT_TRUE(n.pending(16 + 6));
  n.activate(16 + 6);
  EXPECT_FALSE(n.pending(16 + 6));
  n.set_irq_line(6, true);  // still high while active: not pending yet
  EXPECT_FALSE(n.pending(16 + 6));
  n.deactivate(16 + 6);
  EXPECT_TRUE(n.pending(16 + 6));
  n.set_irq_line(6, false);
  n.clear_pending(16 + 6);
  EXPECT_FALSE(n.pending(16 + 6));
}

// The whole exception model on the core with guest code (tests/guest/nvic_exceptions.c).
TEST(NvicOnCore, GuestExceptionModel) {
  GuestBoard g("nvic_exceptions");
  ASSERT_EQ(g.run_us(5000), Board::StopReason::Deadline) << (g.board.fault() ? g.board.fault()->text() : "");
  ASSERT_EQ(g.u32("done"), 1u);
  EXPECT_EQ(g.u32("svc_seen"), 1u);
  // SVC; IRQ0 preempted by IRQ1 after DSB/ISB; PendSV tail-chains after IRQ0; IRQ5 of the same
  // group does not preempt IRQ6 and tail-chains after it.
  const std::vector<std::uint32_t> expected{11, 16, 17, 160, 14, 22, 220, 21};
  ASSERT_EQ(g.u32("order_n"), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(g.u32("order", unsigned(i)), expected[i]) << "at " << i;
  EXPECT_EQ(g.u32("fp_thread_ok"), 1u) << "thread FP registers must survive a handler that uses the FPU";
  EXPECT_EQ(g.u32("fp_handler_result"), 6u);
  EXPECT_EQ(g.u32("basepri_blocked"), 1u);
  EXPECT_EQ(g.u32("basepri_passed"), 1u);
  EXPECT_EQ(g.u32("basepri_released"), 1u) << "IRQ2 runs once BASEPRI is cleared";
  EXPECT_EQ(g.u32("primask_blocked"), 1u);
  EXPECT_EQ(g.u32("primask_released"), 1u);
  EXPECT_EQ(g.u32("group_no_preempt"), 1u);
  EXPECT_EQ(g.u32("psp_exc_return"), 0xFFFFFFFDu) << "thread on PSP, no FP context: EXC_RETURN 0xFFFFFFFD";
  EXPECT_EQ(g.u32("psp_ok"), 1u);
  // B1.5.8: thread with an active FP context → 0xFFFFFFE9; nested in a handler that used the FPU →
  // 0xFFFFFFE1 (both with the 26-word frame).
  EXPECT_EQ(g.u32("irq0_exc_return"), 0xFFFFFFE9u);
  EXPECT_EQ(g.u32("irq1_exc_return"), 0xFFFFFFE1u);
}

// VTOR is read at every exception entry (tm4c1294-facts.md §9 "honour it live").
TEST(NvicOnCore, VtorRelocatedToSram) {
  GuestBoard g("vtor_relocate");
  ASSERT_EQ(g.run_us(10'000), Board::StopReason::Deadline) << (g.board.fault() ? g.board.fault()->text() : "");
  EXPECT_EQ(g.u32("flash_ticks"), 3u);
  EXPECT_GE(g.u32("sram_ticks"), 5u);
}
