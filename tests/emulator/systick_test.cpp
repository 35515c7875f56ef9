// SysTick (ARMv7-M ARM B3.3) on the model and on the core, and WFI sleep.
#include <gtest/gtest.h>

#include <vector>

#include "emulator/cpu/systick.h"
#include "guest_board.h"

using namespace k7sim;
using k7sim::test::GuestBoard;

// The counter wraps every RELOAD+1 counts; at a 120 MHz core clock one count is one tick.
TEST(SysTickModel, WrapsEveryReloadPlusOneCoreCycles) {
  EventQueue ev;
  std::vector<Cycles> pends;
  SysTick st(ev, [&] { pends.push_back(ev.now()); });
  st.set_core_clock_hz(120'000'000);
  st.write(0x4, 999, 4);  // STRELOAD
  st.write(0x8, 0, 4);    // STCURRENT
  st.write(0x0, 7, 4);    // core clock, TICKINT, ENABLE
  ev.run_until(4999);
  // From CURRENT = 0 the first count loads RELOAD, so the first wrap comes after RELOAD+1 counts.
  ASSERT_EQ(pends.size(), 4u);
  EXPECT_EQ(pends[0], 1000u);
  EXPECT_EQ(pends[1], 2000u);
  EXPECT_EQ(pends[3], 4000u);
  ev.run_until(5000);
  EXPECT_EQ(pends.size(), 5u) << "the wrap at exactly 5000 fires at 5000";
}

// CLK_SRC = 0 selects PIOSC/4 = 4 MHz on the TM4C1294: 30 ticks per count.
TEST(SysTickModel, PioscOverFourClock) {
  EventQueue ev;
  std::vector<Cycles> pends;
  SysTick st(ev, [&] { pends.push_back(ev.now()); });
  st.set_core_clock_hz(120'000'000);
  st.write(0x4, 99, 4);
  st.write(0x0, 3, 4);  // TICKINT, ENABLE, CLK_SRC = 0
  ev.run_until(10'000);
  ASSERT_GE(pends.size(), 3u);
  EXPECT_EQ(pends[1] - pends[0], 3000u);
  EXPECT_EQ(pends[2] - pends[1], 3000u);
}

// STCURRENT counts down between wraps; COUNTFLAG is set by a wrap and cleared by reading STCTRL.
TEST(SysTickModel, CurrentValueAndCountFlag) {
  EventQueue ev;
  SysTick st(ev, [] {});
  st.set_core_clock_hz(120'000'000);
  st.write(0x4, 999, 4);
  st.write(0x0, 5, 4);  // enable, core clock, no interrupt
  ev.run_until(1001 + 250);
  EXPECT_EQ(st.read(0x8, 4), 999u - 250u);
  EXPECT_NE(st.read(0x0, 4) & (1u << 16), 0u);
  EXPECT_EQ(st.read(0x0, 4) & (1u << 16), 0u);
}

// On the core: 1 ms SysTick at 120 MHz; the handler toggles PN0 (the module's RTS pad), so the
// host sees every handler run on the pin, exactly 120000 ticks apart. The main loop sleeps in WFI,
// so the core wakes once per tick and never in between.
TEST(SysTickOnCore, OneMillisecondPeriodAndWfiSleep) {
  GuestBoard g("systick_wfi");
  std::vector<Cycles> edges;
  g.board.line(ModulePin::Rts).on_change([&](bool) { edges.push_back(g.board.now()); });
  ASSERT_EQ(g.run_us(20'500), Board::StopReason::Deadline) << (g.board.fault() ? g.board.fault()->text() : "");
  const std::uint32_t ticks = g.u32("ticks");
  EXPECT_GE(ticks, 19u);
  EXPECT_LE(ticks, 20u);
  ASSERT_GE(edges.size(), 19u);
  for (std::size_t i = 1; i < edges.size(); ++i)
    EXPECT_EQ(edges[i] - edges[i - 1], 120'000u) << "period " << i << " must be exactly 120000 ticks";
  EXPECT_EQ(g.u32("wakeups"), ticks) << "WFI must sleep until the next interrupt";
  // DWT CYCCNT counts cycles the core executes; it stands still while the core sleeps (the core
  // clock is gated in sleep), so every period shows the same small, non-zero count.
  const std::uint32_t busy = g.u32("stamp", 2) - g.u32("stamp", 1);
  EXPECT_GT(busy, 0u);
  EXPECT_LT(busy, 1000u);
  for (unsigned i = 3; i < ticks; ++i) EXPECT_EQ(g.u32("stamp", i) - g.u32("stamp", i - 1), busy);
}
