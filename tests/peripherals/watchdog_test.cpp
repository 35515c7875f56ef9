// Watchdog model (tm4c1294-facts.md section 10; TM4C1294 datasheet chapter "Watchdog Timers").
// Rules checked: the counter loads LOAD when INTEN is set and times out LOAD clocks later; the
// first time-out raises the interrupt and reloads; a second time-out with the interrupt still
// pending requests a reset only with RESEN; ICR and LOAD writes reload; INTEN is sticky; LOCK
// (0x1ACCE551) write-protects everything else. WDT0 counts on the system clock (120 MHz here: one
// tick per count), WDT1 on PIOSC 16 MHz (7.5 ticks per count).
#include "peripherals/watchdog.h"

#include <gtest/gtest.h>

#include <vector>

namespace k7sim {
namespace {

constexpr std::uint32_t kLoad = 0x000, kValue = 0x004, kCtl = 0x008, kIcr = 0x00C, kRis = 0x010, kMis = 0x014,
                        kTest = 0x418, kLock = 0xC00;
constexpr std::uint32_t kInten = 1u << 0, kResen = 1u << 1, kInttype = 1u << 2, kWrc = 1u << 31;
constexpr std::uint32_t kKey = 0x1ACCE551;

class WdtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    wdt0.set_sysclk_hz(120'000'000);
    wdt1.set_sysclk_hz(120'000'000);
    wdt0.on_reset_request([this] { resets0.push_back(events.now()); });
    wdt1.on_reset_request([this] { resets1.push_back(events.now()); });
    wdt0.irq().on_change([this](bool l) {
      if (l) irq0.push_back(events.now());
    });
  }

  // Fire every event up to t in order (each at its own tick), then stand at t.
  void run_to(Cycles t) { events.run_until(t); }

  EventQueue events;
  Watchdog wdt0{"WDT0", events, false};
  Watchdog wdt1{"WDT1", events, true};
  std::vector<Cycles> resets0, resets1, irq0;
};

TEST_F(WdtTest, ResetValues) {
  EXPECT_EQ(wdt0.read(kLoad, 4), 0xFFFFFFFFu);
  EXPECT_EQ(wdt0.read(kValue, 4), 0xFFFFFFFFu);
  EXPECT_EQ(wdt0.read(kCtl, 4), 0u);
  EXPECT_EQ(wdt0.read(kRis, 4), 0u);
  EXPECT_EQ(wdt0.read(kLock, 4), 0u);
  EXPECT_EQ(wdt1.read(kCtl, 4), kWrc) << "WDT1: no write in progress";
  EXPECT_EQ(wdt0.read(0xFE0, 4), 0x05u);  // PeriphID0
  EXPECT_EQ(wdt0.read(0xFFC, 4), 0xB1u);  // PCellID3
}

// LOCK: 0x1ACCE551 unlocks, any other value locks; reads 1 locked / 0 unlocked; other writes are
// ignored while locked.
TEST_F(WdtTest, LockBlocksWritesUntilUnlocked) {
  wdt0.write(kLock, 0x12345678, 4);
  EXPECT_EQ(wdt0.read(kLock, 4), 1u);
  wdt0.write(kLoad, 1000, 4);
  wdt0.write(kCtl, kInten, 4);
  wdt0.write(kTest, 1u << 8, 4);
  EXPECT_EQ(wdt0.read(kLoad, 4), 0xFFFFFFFFu);
  EXPECT_EQ(wdt0.read(kCtl, 4), 0u);
  EXPECT_EQ(wdt0.read(kTest, 4), 0u);
  wdt0.write(kLock, kKey, 4);
  EXPECT_EQ(wdt0.read(kLock, 4), 0u);
  wdt0.write(kLoad, 1000, 4);
  EXPECT_EQ(wdt0.read(kLoad, 4), 1000u);
}

// ICR while locked is ignored too: feeding needs unlock, ICR, lock.
TEST_F(WdtTest, IcrIgnoredWhileLocked) {
  wdt0.write(kLoad, 1000, 4);
  wdt0.write(kCtl, kInten, 4);
  run_to(1000);
  EXPECT_EQ(wdt0.read(kRis, 4), 1u);
  wdt0.write(kLock, 0, 4);
  wdt0.write(kIcr, 1, 4);
  EXPECT_EQ(wdt0.read(kRis, 4), 1u);
  wdt0.write(kLock, kKey, 4);
  wdt0.write(kIcr, 1, 4);
  EXPECT_EQ(wdt0.read(kRis, 4), 0u);
}

// First time-out: RIS and the interrupt exactly LOAD clocks after INTEN; VALUE counts down live.
TEST_F(WdtTest, FirstTimeoutInterruptAtExactTick) {
  run_to(1000);
  wdt0.write(kLoad, 120000, 4);
  wdt0.write(kCtl, kInten, 4);
  run_to(1000 + 20000);
  EXPECT_EQ(wdt0.read(kValue, 4), 100000u);
  run_to(1000 + 119999);
  EXPECT_EQ(wdt0.read(kRis, 4), 0u);
  EXPECT_EQ(wdt0.read(kValue, 4), 1u);
  run_to(1000 + 120000);
  EXPECT_EQ(wdt0.read(kRis, 4), 1u);
  EXPECT_EQ(wdt0.read(kMis, 4), 1u);
  EXPECT_EQ(irq0, (std::vector<Cycles>{121000}));
  EXPECT_EQ(wdt0.read(kValue, 4), 120000u) << "reloaded from LOAD";
  EXPECT_TRUE(resets0.empty());
}

// Second time-out with the interrupt still pending: reset request only when RESEN is set.
TEST_F(WdtTest, SecondTimeoutRequestsResetOnlyWithResen) {
  wdt0.write(kLoad, 120000, 4);
  wdt0.write(kCtl, kInten, 4);
  run_to(240000 + 100);
  EXPECT_TRUE(resets0.empty()) << "RESEN = 0: the watchdog only interrupts";
  EXPECT_EQ(wdt0.read(kRis, 4), 1u);

  wdt0.write(kCtl, kInten | kResen, 4);  // pending interrupt still not cleared
  run_to(360000 - 1);
  EXPECT_TRUE(resets0.empty());
  run_to(360000);
  EXPECT_EQ(resets0, (std::vector<Cycles>{360000}));
}

TEST_F(WdtTest, ResetRequestAtSecondTimeoutTick) {
  wdt0.write(kLoad, 1000, 4);
  wdt0.write(kCtl, kInten | kResen, 4);
  run_to(1999);
  EXPECT_TRUE(resets0.empty());
  run_to(2000);
  EXPECT_EQ(resets0, (std::vector<Cycles>{2000}));
}

// Clearing the interrupt (ICR) reloads the counter: feeding postpones both time-outs.
TEST_F(WdtTest, IcrReloadPostponesTimeoutAndReset) {
  wdt0.write(kLoad, 120000, 4);
  wdt0.write(kCtl, kInten | kResen, 4);
  run_to(100000);
  wdt0.write(kIcr, 0, 4);  // any value
  EXPECT_EQ(wdt0.read(kValue, 4), 120000u);
  run_to(100000 + 119999);
  EXPECT_EQ(wdt0.read(kRis, 4), 0u);
  run_to(100000 + 120000);
  EXPECT_EQ(wdt0.read(kRis, 4), 1u);
  // Acknowledge in the handler: the next time-out is again a first one, no reset.
  run_to(250000);
  wdt0.write(kIcr, 1, 4);
  run_to(250000 + 120000);
  EXPECT_TRUE(resets0.empty());
  EXPECT_EQ(wdt0.read(kRis, 4), 1u);
  run_to(250000 + 240000);
  EXPECT_EQ(resets0, (std::vector<Cycles>{490000}));
}

// Writing LOAD loads the counter immediately.
TEST_F(WdtTest, LoadWriteReloadsAtOnce) {
  wdt0.write(kLoad, 120000, 4);
  wdt0.write(kCtl, kInten, 4);
  run_to(50000);
  wdt0.write(kLoad, 5000, 4);
  EXPECT_EQ(wdt0.read(kValue, 4), 5000u);
  run_to(54999);
  EXPECT_EQ(wdt0.read(kRis, 4), 0u);
  run_to(55000);
  EXPECT_EQ(wdt0.read(kRis, 4), 1u);
}

// INTEN, once set, can only be cleared by a reset; the counter keeps running.
TEST_F(WdtTest, IntenIsSticky) {
  wdt0.write(kLoad, 1000, 4);
  wdt0.write(kCtl, kInten, 4);
  wdt0.write(kCtl, 0, 4);
  EXPECT_EQ(wdt0.read(kCtl, 4) & kInten, kInten);
  run_to(1000);
  EXPECT_EQ(wdt0.read(kRis, 4), 1u);
  wdt0.reset();
  EXPECT_EQ(wdt0.read(kCtl, 4), 0u);
}

// Not counting before INTEN: VALUE holds.
TEST_F(WdtTest, NoCountingBeforeInten) {
  wdt0.write(kLoad, 1000, 4);
  run_to(100000);
  EXPECT_EQ(wdt0.read(kValue, 4), 1000u);
  EXPECT_EQ(wdt0.read(kRis, 4), 0u);
  EXPECT_TRUE(events.empty());
}

// INTTYPE = 1 routes the time-out to the NMI line instead of the interrupt line.
TEST_F(WdtTest, InttypeSelectsNmi) {
  wdt0.write(kLoad, 1000, 4);
  wdt0.write(kCtl, kInten | kInttype, 4);
  run_to(1000);
  EXPECT_TRUE(wdt0.nmi().level());
  EXPECT_FALSE(wdt0.irq().level());
  wdt0.write(kIcr, 0, 4);
  EXPECT_FALSE(wdt0.nmi().level());
}

// WDT1 counts on PIOSC, 16 MHz: LOAD 16000 = 1 ms = 120000 ticks (counts x 7.5).
TEST_F(WdtTest, Wdt1CountsAtPioscSixteenMegahertz) {
  run_to(1000);
  wdt1.write(kLoad, 16000, 4);
  wdt1.write(kCtl, kInten | kResen, 4);
  run_to(1000 + 75);
  EXPECT_EQ(wdt1.read(kValue, 4), 15990u);  // 10 counts in 75 ticks
  run_to(1000 + 119999);
  EXPECT_EQ(wdt1.read(kRis, 4), 0u);
  run_to(1000 + 120000);
  EXPECT_EQ(wdt1.read(kRis, 4), 1u);
  run_to(1000 + 240000);
  EXPECT_EQ(resets1, (std::vector<Cycles>{241000}));
  EXPECT_TRUE(resets0.empty());
  // The system clock does not change WDT1's rate.
  wdt1.set_sysclk_hz(16'000'000);
  wdt1.write(kIcr, 0, 4);
  run_to(241000 + 120000);
  EXPECT_EQ(wdt1.read(kRis, 4), 1u);
}

// An odd count on PIOSC: count n falls at ceil(n * 7.5) ticks, so LOAD 3 times out after 23 ticks.
TEST_F(WdtTest, Wdt1OddCountRoundsUpToTheNextTick) {
  wdt1.write(kLoad, 3, 4);
  wdt1.write(kCtl, kInten, 4);
  run_to(22);
  EXPECT_EQ(wdt1.read(kRis, 4), 0u);
  run_to(23);
  EXPECT_EQ(wdt1.read(kRis, 4), 1u);
}

// WDT1 write-complete: CTL.WRC reads 0 for 3 PIOSC clocks (22.5 -> 23 ticks) after a write.
TEST_F(WdtTest, Wdt1WrcShowsShortBusyTimeAfterWrite) {
  run_to(100);
  wdt1.write(kLoad, 5000, 4);
  EXPECT_EQ(wdt1.read(kCtl, 4) & kWrc, 0u);
  run_to(100 + 22);
  EXPECT_EQ(wdt1.read(kCtl, 4) & kWrc, 0u);
  run_to(100 + 23);
  EXPECT_EQ(wdt1.read(kCtl, 4) & kWrc, kWrc);
  wdt0.write(kLoad, 5000, 4);
  EXPECT_EQ(wdt0.read(kCtl, 4) & kWrc, 0u) << "WDT0 has no WRC";
}

// A system clock change re-times WDT0 and keeps its count.
TEST_F(WdtTest, Wdt0SysclkChangeKeepsCount) {
  wdt0.write(kLoad, 10000, 4);
  wdt0.write(kCtl, kInten, 4);
  run_to(4000);
  wdt0.set_sysclk_hz(60'000'000);  // 2 ticks per count
  EXPECT_EQ(wdt0.read(kValue, 4), 6000u);
  run_to(4000 + 11999);
  EXPECT_EQ(wdt0.read(kRis, 4), 0u);
  run_to(4000 + 12000);
  EXPECT_EQ(wdt0.read(kRis, 4), 1u);
}

// reset() cancels the pending time-out and restores reset values (unlocked, INTEN clear).
TEST_F(WdtTest, ResetCancels) {
  wdt0.write(kLoad, 1000, 4);
  wdt0.write(kCtl, kInten | kResen, 4);
  wdt0.write(kLock, 0, 4);
  run_to(1500);
  EXPECT_TRUE(wdt0.irq().level());
  wdt0.reset();
  EXPECT_FALSE(wdt0.irq().level());
  EXPECT_TRUE(events.empty());
  run_to(10000);
  EXPECT_TRUE(resets0.empty());
  EXPECT_EQ(wdt0.read(kRis, 4), 0u);
  EXPECT_EQ(wdt0.read(kValue, 4), 0xFFFFFFFFu);
  EXPECT_EQ(wdt0.read(kLock, 4), 0u);
}

// The board's reset handler may reset the watchdog from inside the reset request.
TEST_F(WdtTest, ResetFromInsideResetRequestIsSafe) {
  wdt0.on_reset_request([this] { wdt0.reset(); });
  wdt0.write(kLoad, 100, 4);
  wdt0.write(kCtl, kInten | kResen, 4);
  run_to(1000);
  EXPECT_EQ(resets0, (std::vector<Cycles>{200}));
  EXPECT_EQ(wdt0.read(kCtl, 4), 0u);
  EXPECT_TRUE(events.empty());
}

}  // namespace
}  // namespace k7sim
