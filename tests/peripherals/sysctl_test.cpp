// SYSCTL model: identification, reset causes, clock tree and peripheral gating
// (tm4c1294-facts.md section 5).
#include "peripherals/sysctl.h"

#include <gtest/gtest.h>

#include <vector>

#include "emulator/log.h"

namespace k7sim {
namespace {

constexpr std::uint32_t kDid0 = 0x000, kDid1 = 0x004, kRis = 0x050, kImc = 0x054, kMisc = 0x058, kResc = 0x05C;
constexpr std::uint32_t kMoscCtl = 0x07C, kRsClkCfg = 0x0B0, kPllFreq0 = 0x160, kPllFreq1 = 0x164, kPllStat = 0x168;
constexpr std::uint32_t kBootCfg = 0x1D0, kUserReg0 = 0x1E0;
constexpr std::uint32_t kPpGpio = 0x308, kPpUart = 0x318, kPpTimer = 0x304, kPpWd = 0x300, kPpEmac = 0x39C,
                        kPpEphy = 0x330, kPpEeprom = 0x358;
constexpr std::uint32_t kSrUart = 0x518, kRcgcGpio = 0x608, kRcgcUart = 0x618, kPrGpio = 0xA08, kPrUart = 0xA18;

class SysCtlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    set_log_sink([](const std::string&) {});
  }
  void TearDown() override { set_log_sink({}); }
  // Fire every event up to t in order (each at its own tick), then stand at t.
  void run_to(Cycles t) { events.run_until(t); }
  EventQueue events;
  SysCtl sc{events};
};

// facts §5: TM4C129 class, (DID0 & 0x70FF0000) == 0x100A0000; DID1 PRTNO [23:16] = 0x1F.
TEST_F(SysCtlTest, DeviceIdentifiesAsTm4c1294) {
  EXPECT_EQ(sc.read(kDid0, 4) & 0x70FF0000u, 0x100A0000u);
  EXPECT_EQ((sc.read(kDid1, 4) >> 16) & 0xFFu, 0x1Fu);
  sc.write(kDid0, 0, 4);  // read-only
  EXPECT_EQ(sc.read(kDid0, 4) & 0x70FF0000u, 0x100A0000u);
  EXPECT_EQ(sc.read(kBootCfg, 4), 0xFFFFFFFEu);
}

// facts §5: PP arrays report the instances of a TM4C1294NCPDT.
TEST_F(SysCtlTest, PeripheralPresentReflectsThePart) {
  EXPECT_EQ(sc.read(kPpGpio, 4), 0x7FFFu);  // A..Q, 15 ports
  EXPECT_EQ(sc.read(kPpUart, 4), 0xFFu);
  EXPECT_EQ(sc.read(kPpTimer, 4), 0xFFu);
  EXPECT_EQ(sc.read(kPpWd, 4), 0x3u);
  EXPECT_EQ(sc.read(kPpEmac, 4), 0x1u);
  EXPECT_EQ(sc.read(kPpEphy, 4), 0x1u);
  EXPECT_EQ(sc.read(kPpEeprom, 4), 0x1u);
  EXPECT_EQ(sc.present(PeriphClass::Gpio), 0x7FFFu);
}

// facts §5: PLL 25 MHz x 96 / (4+1) / (3+1) = 120 MHz; LOCK after PLLPWR; callback on the change.
TEST_F(SysCtlTest, PllSequenceGives120MHzAndNotifies) {
  std::vector<std::uint64_t> changes;
  sc.on_sysclk_change([&](std::uint64_t hz) { changes.push_back(hz); });
  EXPECT_EQ(sc.sysclk_hz(), 16'000'000u);  // PIOSC after reset

  // Power the crystal (clear NOXTAL, PWRDN; OSCRNG for > 10 MHz) and see MOSCPUPRIS.
  sc.write(kMoscCtl, 0x10, 4);
  EXPECT_NE(sc.read(kRis, 4) & (1u << 8), 0u);
  // OSCSRC = MOSC, PLLSRC = MOSC (still no PLL).
  sc.write(kRsClkCfg, (3u << 20) | (3u << 24), 4);
  EXPECT_EQ(sc.sysclk_hz(), 25'000'000u);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], 25'000'000u);

  sc.write(kPllFreq1, 4u, 4);                       // N = 4, Q = 0
  const Cycles t_pwr = 1000;
  run_to(t_pwr);
  sc.write(kPllFreq0, 96u | (1u << 23), 4);         // MINT = 96, PLLPWR
  EXPECT_EQ(sc.read(kPllStat, 4), 0u);
  run_to(t_pwr + SysCtl::kPllLockTicks - 1);
  EXPECT_EQ(sc.read(kPllStat, 4), 0u) << "LOCK one tick early";
  run_to(t_pwr + SysCtl::kPllLockTicks);
  EXPECT_EQ(sc.read(kPllStat, 4), 1u);
  EXPECT_EQ(sc.kPllLockTicks, 15360u);  // 128 us at 120 MHz ticks
  EXPECT_EQ(changes.size(), 1u);         // locking alone does not move the clock

  // PSYSDIV = 3, USEPLL, MEMTIMU (self-clearing).
  sc.write(kRsClkCfg, (3u << 20) | (3u << 24) | 3u | (1u << 28) | (1u << 31), 4);
  EXPECT_EQ(sc.sysclk_hz(), 120'000'000u);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1], 120'000'000u);
  EXPECT_EQ(sc.read(kRsClkCfg, 4) & 0xC0000000u, 0u);

  // NEWFREQ relocks: LOCK drops and the clock falls back to the oscillator until it is back.
  sc.write(kRsClkCfg, (3u << 20) | (3u << 24) | 3u | (1u << 28) | (1u << 30), 4);
  EXPECT_EQ(sc.read(kPllStat, 4), 0u);
  EXPECT_EQ(sc.sysclk_hz(), 25'000'000u);
  run_to(events.now() + SysCtl::kPllLockTicks);
  EXPECT_EQ(sc.read(kPllStat, 4), 1u);
  EXPECT_EQ(sc.sysclk_hz(), 120'000'000u);
  EXPECT_EQ(changes.size(), 4u);
  EXPECT_NE(sc.read(kRis, 4) & (1u << 6), 0u);  // PLLLRIS
}

// facts §5: without USEPLL, sysclk = oscillator / (OSYSDIV + 1).
TEST_F(SysCtlTest, OscillatorDividerWithoutPll) {
  sc.write(kRsClkCfg, 1u << 10, 4);  // PIOSC / 2
  EXPECT_EQ(sc.sysclk_hz(), 8'000'000u);
  sc.reset();
  EXPECT_EQ(sc.sysclk_hz(), 16'000'000u);
}

// Rule (docs/board.md, clock trigger): a system reset returns to PIOSC and reports the change.
TEST_F(SysCtlTest, ResetReportsTheReturnToPiosc) {
  std::vector<std::uint64_t> changes;
  sc.on_sysclk_change([&](std::uint64_t hz) { changes.push_back(hz); });
  sc.write(kMoscCtl, 0x10, 4);
  sc.write(kRsClkCfg, 3u << 20, 4);
  sc.reset();
  EXPECT_EQ(changes, (std::vector<std::uint64_t>{25'000'000u, 16'000'000u}));
  sc.reset();  // no change, no call
  EXPECT_EQ(changes.size(), 2u);
}

// Rule: MISC is RIS & IMC and write-1-clears; irq() follows MISC.
TEST_F(SysCtlTest, InterruptStatusAndMask) {
  sc.write(kImc, 1u << 8, 4);
  EXPECT_FALSE(sc.irq().level());
  sc.write(kMoscCtl, 0x10, 4);
  EXPECT_TRUE(sc.irq().level());
  EXPECT_EQ(sc.read(kMisc, 4), 1u << 8);
  sc.write(kMisc, 1u << 8, 4);
  EXPECT_EQ(sc.read(kRis, 4) & (1u << 8), 0u);
  EXPECT_FALSE(sc.irq().level());
}

// facts §5: "Firmware sets RCGC then polls PR": PR rises 16 ticks after RCGC, falls at once.
TEST_F(SysCtlTest, PeripheralReadyFollowsRcgcAfterDelay) {
  run_to(500);
  sc.write(kRcgcGpio, (1u << 0) | (1u << 12), 4);  // GPIO A and N
  EXPECT_EQ(sc.read(kPrGpio, 4), 0u);
  run_to(500 + SysCtl::kPeripheralReadyTicks - 1);
  EXPECT_EQ(sc.read(kPrGpio, 4), 0u);
  EXPECT_FALSE(sc.clocked(PeriphClass::Gpio, 0));
  run_to(500 + SysCtl::kPeripheralReadyTicks);
  EXPECT_EQ(sc.read(kPrGpio, 4), (1u << 0) | (1u << 12));
  EXPECT_TRUE(sc.clocked(PeriphClass::Gpio, 12));
  sc.write(kRcgcGpio, 1u << 12, 4);  // gate A off
  EXPECT_EQ(sc.read(kPrGpio, 4), 1u << 12);
  EXPECT_FALSE(sc.clocked(PeriphClass::Gpio, 0));
}

// facts §5: bits of instances the part lacks read 0 (GPIO has 15 ports).
TEST_F(SysCtlTest, AbsentInstancesCannotBeEnabled) {
  sc.write(kRcgcGpio, 0xFFFFFFFFu, 4);
  EXPECT_EQ(sc.read(kRcgcGpio, 4), 0x7FFFu);
  run_to(100);
  EXPECT_EQ(sc.read(kPrGpio, 4), 0x7FFFu);
  EXPECT_FALSE(sc.clocked(PeriphClass::Gpio, 15));
}

// facts §5: "SR bit = 1 holds the peripheral in reset": callback on 0->1, PR 0 while held.
TEST_F(SysCtlTest, SoftwareResetCallsBackAndHolds) {
  std::vector<std::pair<PeriphClass, unsigned>> resets;
  sc.on_peripheral_reset([&](PeriphClass c, unsigned i) {
    EXPECT_TRUE(sc.in_reset(c, i));  // state is visible to the handler
    resets.emplace_back(c, i);
  });
  sc.write(kRcgcUart, 0x3, 4);
  run_to(100);
  EXPECT_EQ(sc.read(kPrUart, 4), 0x3u);
  sc.write(kSrUart, 0x2, 4);  // reset UART1
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0].first, PeriphClass::Uart);
  EXPECT_EQ(resets[0].second, 1u);
  EXPECT_TRUE(sc.in_reset(PeriphClass::Uart, 1));
  EXPECT_FALSE(sc.in_reset(PeriphClass::Uart, 0));
  EXPECT_EQ(sc.read(kPrUart, 4), 0x1u);
  sc.write(kSrUart, 0x2, 4);  // still 1: no second callback
  EXPECT_EQ(resets.size(), 1u);
  run_to(200);
  sc.write(kSrUart, 0x0, 4);  // release
  EXPECT_FALSE(sc.in_reset(PeriphClass::Uart, 1));
  run_to(200 + SysCtl::kPeripheralReadyTicks);
  EXPECT_EQ(sc.read(kPrUart, 4), 0x3u);
  EXPECT_EQ(resets.size(), 1u);
}

// facts §5: RESC sticky causes; POR clears the rest; software writes 0 to clear; survives reset().
TEST_F(SysCtlTest, ResetCauseSemantics) {
  sc.add_reset_cause(SysCtl::kRescExt | SysCtl::kRescSw);
  sc.add_reset_cause(SysCtl::kRescPor);
  EXPECT_EQ(sc.read(kResc, 4), SysCtl::kRescPor);
  sc.add_reset_cause(SysCtl::kRescWdt0);
  sc.reset();  // a system reset keeps the causes
  EXPECT_EQ(sc.read(kResc, 4), SysCtl::kRescPor | SysCtl::kRescWdt0);
  sc.write(kResc, ~SysCtl::kRescPor, 4);  // clear POR only
  EXPECT_EQ(sc.read(kResc, 4), SysCtl::kRescWdt0);
  sc.write(kResc, 0xFFFFFFFFu, 4);  // writing 1s changes nothing
  EXPECT_EQ(sc.read(kResc, 4), SysCtl::kRescWdt0);
  sc.write(kResc, 0, 4);
  EXPECT_EQ(sc.read(kResc, 4), 0u);
}

// Rule: a byte write to RESC acts on that byte only (the other lanes keep their causes).
TEST_F(SysCtlTest, ByteWriteToRescKeepsOtherLanes) {
  sc.add_reset_cause(SysCtl::kRescPor);
  sc.add_reset_cause(SysCtl::kRescMoscFail | SysCtl::kRescSw);
  sc.write(kResc, 0x00, 1);  // clear byte 0 (POR, SW)
  EXPECT_EQ(sc.read(kResc, 4), SysCtl::kRescMoscFail);
  sc.set_user_reg(0, 0x11223344);
  sc.write(kUserReg0 + 1, 0xAA, 1);
  EXPECT_EQ(sc.read(kUserReg0, 4), 0x1122AA44u);
}

// Rule: USERREG values are non-volatile: configuration sets them, reset() keeps them,
// uncommitted software writes are lost at reset.
TEST_F(SysCtlTest, UserRegistersAreNonVolatile) {
  EXPECT_EQ(sc.read(kUserReg0, 4), 0xFFFFFFFFu);  // erased
  sc.set_user_reg(0, 0x00B61A00);
  sc.set_user_reg(1, 0x00563412);
  sc.reset();
  EXPECT_EQ(sc.read(kUserReg0, 4), 0x00B61A00u);
  EXPECT_EQ(sc.read(kUserReg0 + 4, 4), 0x00563412u);
  sc.write(kUserReg0 + 8, 0x1234, 4);
  EXPECT_EQ(sc.read(kUserReg0 + 8, 4), 0x1234u);
  sc.reset();
  EXPECT_EQ(sc.read(kUserReg0 + 8, 4), 0xFFFFFFFFu);
  sc.write(kUserReg0 + 8, 0x5678, 4);
  sc.commit_user_regs();
  sc.reset();
  EXPECT_EQ(sc.read(kUserReg0 + 8, 4), 0x5678u);
}

// Rule: unknown offsets read 0 and ignore writes.
TEST_F(SysCtlTest, UnknownOffsetsReadZero) {
  sc.write(0x0F0, 0xFFFFFFFFu, 4);
  EXPECT_EQ(sc.read(0x0F0, 4), 0u);
}

// Rule: a system reset cancels a pending PR ready event and drops the PLL.
TEST_F(SysCtlTest, ResetCancelsPendingWork) {
  sc.write(kRcgcUart, 0x1, 4);
  sc.write(kPllFreq0, 96u | (1u << 23), 4);
  sc.reset();
  run_to(SysCtl::kPllLockTicks + 100);
  EXPECT_EQ(sc.read(kPrUart, 4), 0u);
  EXPECT_EQ(sc.read(kPllStat, 4), 0u);
}

}  // namespace
}  // namespace k7sim
