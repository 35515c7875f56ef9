// GPTM model (tm4c1294-facts.md section 10; TM4C1294 datasheet chapter "General-Purpose Timers",
// one-shot/periodic modes). The time-out rule the model implements and these tests pin down: the
// time-out event (TnTORIS) is the clock at which the counter reaches 0 (down) or TnILR (up); it
// reloads on the next clock, so a period is TnILR + 1 clocks and a timer enabled at T first times
// out at T + TnILR. At 120 MHz one clock is one tick; every expected tick below is computed by
// hand from that rule.
#include "peripherals/gptm.h"

#include <gtest/gtest.h>

#include <vector>

namespace k7sim {
namespace {

constexpr std::uint32_t kCfg = 0x000, kTamr = 0x004, kTbmr = 0x008, kCtl = 0x00C, kSync = 0x010, kImr = 0x018,
                        kRis = 0x01C, kMis = 0x020, kIcr = 0x024, kTailr = 0x028, kTbilr = 0x02C,
                        kTamatchr = 0x030, kTapr = 0x038, kTar = 0x048, kTbr = 0x04C, kTav = 0x050, kTbv = 0x054,
                        kTapv = 0x064, kCc = 0xFC8;
constexpr std::uint32_t kOneShot = 1, kPeriodic = 2, kCdir = 1u << 4, kMie = 1u << 5, kIld = 1u << 8;
constexpr std::uint32_t kTaen = 1u << 0, kTben = 1u << 8;
constexpr std::uint32_t kTato = 1u << 0, kTam = 1u << 4, kTbto = 1u << 8;
constexpr std::uint64_t k120MHz = 120'000'000;

class GptmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    timer.set_sysclk_hz(k120MHz);
    timer.irq_a().on_change([this](bool level) {
      if (level) a_rises.push_back(events.now());
    });
    timer.irq_b().on_change([this](bool level) {
      if (level) b_rises.push_back(events.now());
    });
  }

  // Fire every event up to t in order (each at its own tick), then stand at t.
  void run_to(Cycles t) { events.run_until(t); }

  // Acknowledge every interrupt as soon as it is raised, so each time-out makes one rising edge.
  void auto_ack() {
    timer.irq_a().on_change([this](bool level) {
      if (level) events.schedule_in(0, [this] { timer.write(kIcr, 0xFFFFFFFF, 4); });
    });
    timer.irq_b().on_change([this](bool level) {
      if (level) events.schedule_in(0, [this] { timer.write(kIcr, 0xFFFFFFFF, 4); });
    });
  }

  void start_32(std::uint32_t mode, std::uint32_t ilr, Cycles at) {
    run_to(at);
    timer.write(kCtl, 0, 4);
    timer.write(kCfg, 0, 4);
    timer.write(kTamr, mode, 4);
    timer.write(kTailr, ilr, 4);
    timer.write(kCtl, kTaen, 4);
  }

  EventQueue events;
  Gptm timer{"Timer0", events};
  std::vector<Cycles> a_rises, b_rises;
};

TEST_F(GptmTest, ResetValuesMatchTheDatasheet) {
  EXPECT_EQ(timer.read(kCfg, 4), 0u);
  EXPECT_EQ(timer.read(kCtl, 4), 0u);
  EXPECT_EQ(timer.read(kTailr, 4), 0xFFFFFFFFu);
  EXPECT_EQ(timer.read(kTbilr, 4), 0x0000FFFFu);
  EXPECT_EQ(timer.read(kTar, 4), 0xFFFFFFFFu);
  EXPECT_EQ(timer.read(kTav, 4), 0xFFFFFFFFu);
  EXPECT_EQ(timer.read(kTbr, 4), 0x0000FFFFu);
  EXPECT_EQ(timer.read(kRis, 4), 0u);
}

// Periodic down-count, 32-bit: TAILR 11999 at 120 MHz is a 100 us period, 12000 ticks.
TEST_F(GptmTest, Periodic32BitTimesOutEvery12000Ticks) {
  auto_ack();
  timer.write(kImr, kTato, 4);
  start_32(kPeriodic, 11999, 1000);
  run_to(1000 + 11998);
  EXPECT_TRUE(a_rises.empty()) << "no time-out one tick early";
  run_to(1000 + 11999 + 4 * 12000);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{12999, 24999, 36999, 48999, 60999}));
}

// TATORIS is set exactly at the time-out tick, whether or not the interrupt is unmasked.
TEST_F(GptmTest, TimeoutRawStatusSetAtExactTick) {
  start_32(kPeriodic, 11999, 0);
  run_to(11998);
  EXPECT_EQ(timer.read(kRis, 4) & kTato, 0u);
  run_to(11999);
  EXPECT_EQ(timer.read(kRis, 4) & kTato, kTato);
  EXPECT_EQ(timer.read(kTav, 4), 0u) << "the time-out is the count that reaches 0";
  EXPECT_EQ(timer.read(kMis, 4), 0u) << "masked: MIS = RIS & IMR";
  EXPECT_FALSE(timer.irq_a().level());
}

// TAV/TAR show the live counter: down from TAILR, one count per clock, reloading after 0.
TEST_F(GptmTest, ValueReadMidPeriodIsComputedFromNow) {
  start_32(kPeriodic, 11999, 500);
  EXPECT_EQ(timer.read(kTav, 4), 11999u) << "enabled: the counter starts at TAILR";
  run_to(500 + 5000);
  EXPECT_EQ(timer.read(kTav, 4), 6999u);
  EXPECT_EQ(timer.read(kTar, 4), 6999u);
  run_to(500 + 11999);
  EXPECT_EQ(timer.read(kTav, 4), 0u);
  run_to(500 + 12000 + 3);
  EXPECT_EQ(timer.read(kTav, 4), 11996u);
}

// One-shot: one time-out, then the timer stops, TAEN clears and the counter holds its reload value.
TEST_F(GptmTest, OneShotFiresOnceAndClearsTaen) {
  auto_ack();
  timer.write(kImr, kTato, 4);
  start_32(kOneShot, 999, 100);
  run_to(100 + 998);
  EXPECT_EQ(timer.read(kCtl, 4) & kTaen, kTaen);
  run_to(100 + 999);
  EXPECT_EQ(timer.read(kCtl, 4) & kTaen, 0u);
  run_to(100 + 100000);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{1099}));
  EXPECT_EQ(timer.read(kTav, 4), 999u);
  // Setting TAEN again re-arms it for one more run.
  timer.write(kCtl, kTaen, 4);
  run_to(100 + 100000 + 1000);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{1099, 101099}));
}

// Count up (TACDIR): from 0 up to TAILR, time-out on the reload to 0; TAILR + 1 clocks per period.
TEST_F(GptmTest, CountUpRunsFromZeroToTailr) {
  auto_ack();
  timer.write(kImr, kTato, 4);
  start_32(kPeriodic | kCdir, 499, 0);
  EXPECT_EQ(timer.read(kTav, 4), 0u);
  run_to(100);
  EXPECT_EQ(timer.read(kTav, 4), 100u);
  run_to(498);
  EXPECT_TRUE(a_rises.empty());
  run_to(499);
  EXPECT_EQ(timer.read(kTav, 4), 499u);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{499}));
  run_to(500);
  EXPECT_EQ(timer.read(kTav, 4), 0u) << "reloads with 0 on the next clock";
  run_to(507);
  EXPECT_EQ(timer.read(kTav, 4), 7u);
  run_to(1000);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{499, 999}));
}

// Clearing TAEN freezes the counter; setting it again continues from the frozen value.
TEST_F(GptmTest, DisableFreezesAndEnableContinues) {
  auto_ack();
  timer.write(kImr, kTato, 4);
  start_32(kPeriodic, 11999, 0);
  run_to(3000);
  timer.write(kCtl, 0, 4);
  EXPECT_EQ(timer.read(kTav, 4), 8999u);
  run_to(50000);
  EXPECT_EQ(timer.read(kTav, 4), 8999u);
  EXPECT_TRUE(a_rises.empty());
  timer.write(kCtl, kTaen, 4);
  run_to(50000 + 8998);
  EXPECT_TRUE(a_rises.empty());
  run_to(50000 + 8999);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{58999}));
}

// Match interrupt (TAMIE + TAMIM): TAMRIS when the counter counts into TAMATCHR.
TEST_F(GptmTest, MatchInterruptWhenCounterReachesMatchValue) {
  auto_ack();
  timer.write(kImr, kTam, 4);
  timer.write(kTamatchr, 2000, 4);
  start_32(kPeriodic | kMie, 11999, 0);
  run_to(9998);
  EXPECT_TRUE(a_rises.empty());
  run_to(9999);  // 11999 - 9999 = 2000
  EXPECT_EQ(timer.read(kTav, 4), 2000u);
  run_to(3 * 12000);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{9999, 21999, 33999}));
}

TEST_F(GptmTest, MatchInterruptCountingUp) {
  timer.write(kImr, kTam, 4);
  timer.write(kTamatchr, 300, 4);
  start_32(kPeriodic | kCdir | kMie, 999, 0);
  run_to(299);
  EXPECT_EQ(timer.read(kRis, 4), 0u);
  run_to(300);
  EXPECT_EQ(timer.read(kRis, 4), kTam) << "match only: TATORIS not set before the time-out";
  EXPECT_TRUE(timer.irq_a().level());
}

// A match value of 0 counting down coincides with every time-out: one match per period, not two.
TEST_F(GptmTest, MatchAtZeroFiresOncePerPeriod) {
  std::vector<Cycles> matches;
  timer.irq_a().on_change([&](bool level) {
    if (level) {
      matches.push_back(events.now());
      events.schedule_in(0, [this] { timer.write(kIcr, kTam, 4); });
    }
  });
  timer.write(kImr, kTam, 4);
  timer.write(kTamatchr, 0, 4);
  start_32(kPeriodic | kMie, 99, 0);
  run_to(350);
  EXPECT_EQ(matches, (std::vector<Cycles>{99, 199, 299}));
}

// TACINTD: the time-out does not even set TATORIS.
TEST_F(GptmTest, TacintdSuppressesTimeoutStatus) {
  start_32(kPeriodic | (1u << 12), 99, 0);
  run_to(1000);
  EXPECT_EQ(timer.read(kRis, 4), 0u);
  EXPECT_EQ(timer.read(kTav, 4), 99u);  // 1000 = 10 periods: just reloaded
}

// The CPU may read TAV a few cycles after a time-out is due but before its event has run:
// the value is still computed from now(), across the reload.
TEST_F(GptmTest, ReadAfterDueTimeoutBeforeItsEventRuns) {
  start_32(kPeriodic, 99, 0);
  events.advance_to(150);  // time-out at 99 due, not yet fired
  EXPECT_EQ(timer.read(kTav, 4), 49u);
  run_to(150);
  EXPECT_EQ(timer.read(kTav, 4), 49u);
}

// Without TAMIE no match status is raised (TnMIE enables the match interrupt in one-shot/periodic).
TEST_F(GptmTest, NoMatchStatusWithoutTamie) {
  timer.write(kImr, kTam, 4);
  timer.write(kTamatchr, 2000, 4);
  start_32(kPeriodic, 11999, 0);
  run_to(11000);
  EXPECT_EQ(timer.read(kRis, 4), 0u);
}

// ICR is write-1-to-clear; the interrupt line follows MIS = RIS & IMR.
TEST_F(GptmTest, IcrClearsAndIrqLineFollowsMis) {
  start_32(kPeriodic, 99, 0);
  run_to(99);
  EXPECT_EQ(timer.read(kRis, 4), kTato);
  EXPECT_FALSE(timer.irq_a().level());
  timer.write(kImr, kTato, 4);
  EXPECT_TRUE(timer.irq_a().level());
  EXPECT_EQ(timer.read(kMis, 4), kTato);
  timer.write(kIcr, kTbto, 4);  // another bit: no effect
  EXPECT_TRUE(timer.irq_a().level());
  timer.write(kIcr, kTato, 4);
  EXPECT_FALSE(timer.irq_a().level());
  EXPECT_EQ(timer.read(kRis, 4), 0u);
  timer.write(kImr, 0, 4);
  run_to(200);
  EXPECT_EQ(timer.read(kRis, 4), kTato);
  EXPECT_FALSE(timer.irq_a().level());
  EXPECT_FALSE(timer.irq_b().level());
}

// Writing TAV loads the counter: it reaches 0 (the time-out) TAV clocks later.
TEST_F(GptmTest, TavWriteLoadsTheCounter) {
  auto_ack();
  timer.write(kImr, kTato, 4);
  start_32(kPeriodic, 11999, 0);
  run_to(100);
  timer.write(kTav, 99, 4);
  EXPECT_EQ(timer.read(kTav, 4), 99u);
  run_to(100 + 99 + 12000);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{199, 12199}));
}

// TAILR while counting down: without TAILD the counter loads the new value now; with TAILD the
// new value is used from the next time-out.
TEST_F(GptmTest, TailrWriteReloadsNowOrAtNextTimeoutWithTaild) {
  auto_ack();
  timer.write(kImr, kTato, 4);
  start_32(kPeriodic, 11999, 0);
  run_to(1000);
  timer.write(kTailr, 499, 4);
  EXPECT_EQ(timer.read(kTav, 4), 499u);
  run_to(2000);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{1499, 1999}));

  timer.write(kTamr, kPeriodic | kIld, 4);
  run_to(2100);
  timer.write(kTailr, 999, 4);
  EXPECT_EQ(timer.read(kTav, 4), 399u) << "TAILD: counting on from the old value";
  run_to(2500 + 1000);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{1499, 1999, 2499, 3499}));
}

// Counting up, a new TAILR is the new limit for the count in progress.
TEST_F(GptmTest, TailrWriteCountingUpChangesTheLimit) {
  auto_ack();
  timer.write(kImr, kTato, 4);
  start_32(kPeriodic | kCdir, 999, 0);
  run_to(200);
  timer.write(kTailr, 299, 4);
  EXPECT_EQ(timer.read(kTav, 4), 200u);
  run_to(300 + 300);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{299, 599}));
}

// 16-bit split mode (CFG 4): timer A and B count independently; counting down the 8-bit
// prescaler divides the clock, so a period is (TnILR + 1) * (TnPR + 1) clocks.
TEST_F(GptmTest, SplitModeHalvesAreIndependentWithPrescaler) {
  auto_ack();
  timer.write(kCfg, 4, 4);
  timer.write(kTamr, kPeriodic, 4);
  timer.write(kTbmr, kOneShot, 4);
  timer.write(kTapr, 9, 4);
  timer.write(kTailr, 999, 4);
  timer.write(kTbilr, 99, 4);
  timer.write(kImr, kTato | kTbto, 4);
  timer.write(kCtl, kTaen | kTben, 4);
  EXPECT_EQ(timer.read(kTav, 4), (9u << 16) | 999u) << "prescaler in [23:16], timer in [15:0]";
  run_to(25);
  // 25 clocks: combined 9999 - 25 = 9974 -> timer 997, prescaler 4.
  EXPECT_EQ(timer.read(kTav, 4), (4u << 16) | 997u);
  EXPECT_EQ(timer.read(kTapv, 4), 4u);
  EXPECT_EQ(timer.read(kTbv, 4), 74u);
  run_to(30000);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{9999, 19999, 29999}));
  EXPECT_EQ(b_rises, (std::vector<Cycles>{99}));
  EXPECT_EQ(timer.read(kCtl, 4), kTaen) << "only timer B's one-shot cleared its enable";
}

// Split mode counting up: the prescaler holds the upper 8 bits of a 24-bit count (timer extension).
TEST_F(GptmTest, SplitModeCountUpUsesPrescalerAsExtension) {
  auto_ack();
  timer.write(kCfg, 4, 4);
  timer.write(kTamr, kPeriodic | kCdir, 4);
  timer.write(kTapr, 1, 4);
  timer.write(kTailr, 0x0010, 4);
  timer.write(kImr, kTato, 4);
  timer.write(kCtl, kTaen, 4);
  run_to(0x10005);
  EXPECT_EQ(timer.read(kTav, 4), 0x10005u);
  run_to(0x10010 + 0x10011);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{0x10010, 0x20021}));
}

// In 32-bit mode timer B is part of the concatenated counter: TBEN alone does not run anything.
TEST_F(GptmTest, TimerBDoesNotRunInConcatenatedMode) {
  timer.write(kTbmr, kPeriodic, 4);
  timer.write(kTbilr, 9, 4);
  timer.write(kImr, kTbto, 4);
  timer.write(kCtl, kTben, 4);
  run_to(1000);
  EXPECT_EQ(timer.read(kRis, 4), 0u);
}

// CC.ALTCLK = 1 clocks the counter from PIOSC (16 MHz): 7.5 ticks per count.
TEST_F(GptmTest, AltclkCountsAtPiosc) {
  auto_ack();
  timer.write(kCc, 1, 4);
  timer.write(kImr, kTato, 4);
  start_32(kPeriodic, 15, 0);  // period 16 counts = 120 ticks
  run_to(75);
  EXPECT_EQ(timer.read(kTav, 4), 5u);  // 10 counts elapsed
  // Count n falls at ceil(n * 7.5) ticks: time-outs at counts 15 and 31 -> ticks 113 and 233.
  run_to(240);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{113, 233}));
}

// A system clock change keeps the count and re-times the rest of the period.
TEST_F(GptmTest, SysclkChangeKeepsCountAndRetimes) {
  auto_ack();
  timer.write(kImr, kTato, 4);
  start_32(kOneShot, 999, 0);
  run_to(400);  // 600 counts left: 599..0
  timer.set_sysclk_hz(60'000'000);  // 2 ticks per count
  EXPECT_EQ(timer.read(kTav, 4), 599u);
  run_to(400 + 1200);
  EXPECT_EQ(a_rises, (std::vector<Cycles>{1598}));  // 599 counts x 2 ticks
}

// SYNC is reported to the board (which forwards it to every timer); sync() reloads the counter.
TEST_F(GptmTest, SyncReportsWriteAndReloads) {
  std::vector<std::uint32_t> seen;
  timer.on_sync([&](std::uint32_t v) { seen.push_back(v); });
  start_32(kPeriodic, 11999, 0);
  run_to(5000);
  timer.write(kSync, 0x3, 4);
  EXPECT_EQ(seen, (std::vector<std::uint32_t>{0x3}));
  timer.sync(true, false);
  EXPECT_EQ(timer.read(kTav, 4), 11999u);
  run_to(5000 + 11998);
  EXPECT_EQ(timer.read(kRis, 4), 0u);
  run_to(5000 + 11999);
  EXPECT_EQ(timer.read(kRis, 4), kTato);
}

// reset() restores reset values and cancels the pending time-out.
TEST_F(GptmTest, ResetCancelsPendingEvents) {
  timer.write(kImr, kTato, 4);
  start_32(kPeriodic, 999, 0);
  run_to(500);
  timer.reset();
  EXPECT_TRUE(events.empty());
  run_to(5000);
  EXPECT_EQ(timer.read(kRis, 4), 0u);
  EXPECT_EQ(timer.read(kCtl, 4), 0u);
  EXPECT_EQ(timer.read(kTav, 4), 0xFFFFFFFFu);
  EXPECT_FALSE(timer.irq_a().level());
}

// Two identical runs give identical interrupt times (determinism).
TEST_F(GptmTest, Deterministic) {
  auto run = [] {
    EventQueue q;
    Gptm t{"Timer1", q};
    t.set_sysclk_hz(k120MHz);
    std::vector<Cycles> at;
    t.irq_a().on_change([&](bool l) {
      if (l) {
        at.push_back(q.now());
        t.write(kIcr, kTato, 4);
      }
    });
    t.write(kTamr, kPeriodic, 4);
    t.write(kTailr, 777, 4);
    t.write(kImr, kTato, 4);
    t.write(kCtl, kTaen, 4);
    q.run_until(10000);
    return at;
  };
  const auto first = run();
  EXPECT_EQ(first.size(), 12u);  // 777, 1555, ... 9335
  EXPECT_EQ(first, run());
}

}  // namespace
}  // namespace k7sim
