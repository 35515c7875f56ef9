// Flash controller (tm4c1294-facts.md section 6; product decisions in docs/board.md "Flash
// controller and EEPROM"). Expected values are computed here from the documented rules, so a
// drift of one tick or one bit fails.
#include "peripherals/flash_ctrl.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace k7sim {
namespace {

using FC = FlashController;
constexpr std::uint32_t kKeyed = 0xA4420000u;

class FlashCtrlTest : public ::testing::Test {
 protected:
  FlashCtrlTest()
      : flash(1u << 20, 0xFF), fc(events, counter, flash, [this](std::uint32_t b, std::uint32_t e) {
          changed.emplace_back(b, e);
        }) {}

  // Fire every event up to t in order (each at its own tick), then stand at t.
  void run_to(Cycles t) { events.run_until(t); }
  std::uint32_t word(std::uint32_t a) const {
    return flash[a] | flash[a + 1] << 8 | flash[a + 2] << 16 | static_cast<std::uint32_t>(flash[a + 3]) << 24;
  }
  void set_word(std::uint32_t a, std::uint32_t v) {
    for (unsigned i = 0; i < 4; ++i) flash[a + i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
  void program(std::uint32_t a, std::uint32_t data) {
    fc.write(FC::kFma, a, 4);
    fc.write(FC::kFmd, data, 4);
    fc.write(FC::kFmc, kKeyed | FC::kFmcWrite, 4);
  }
  void erase(std::uint32_t a) {
    fc.write(FC::kFma, a, 4);
    fc.write(FC::kFmc, kKeyed | FC::kFmcErase, 4);
  }

  EventQueue events;
  NvOpCounter counter;
  std::vector<std::uint8_t> flash;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> changed;
  FlashController fc;
};

// Facts 6: "Programming only clears bits (1->0)". 0x0F over 0xF0 gives 0x00; asking a 0 to become 1
// sets FCRIS.INVDRIS (product decision, docs/board.md).
TEST_F(FlashCtrlTest, ProgrammingOnlyClearsBits) {
  set_word(0x1000, 0x000000F0);
  program(0x1000, 0x0000000F);
  run_to(FC::kWordProgramTicks);
  EXPECT_EQ(word(0x1000), 0x00000000u);
  EXPECT_EQ(fc.read(FC::kFcris, 4), FC::kIntProgram | FC::kIntInvalidData);

  fc.write(FC::kFcmisc, 0xFFFFFFFF, 4);
  EXPECT_EQ(fc.read(FC::kFcris, 4), 0u);  // FCMISC write-1-clear clears the raw bits too
  program(0x2000, 0x12345678);            // over erased flash: exact, no INVD
  run_to(2 * FC::kWordProgramTicks);
  EXPECT_EQ(word(0x2000), 0x12345678u);
  EXPECT_EQ(fc.read(FC::kFcris, 4), FC::kIntProgram);
}

// Facts 6: WRKEY [31:16] = 0xA442. Any other key: the command is ignored, no status bit, no op.
TEST_F(FlashCtrlTest, WrongKeyIgnored) {
  fc.write(FC::kFma, 0x1000, 4);
  fc.write(FC::kFmd, 0, 4);
  fc.write(FC::kFmc, 0x71D50000u | FC::kFmcWrite, 4);
  EXPECT_EQ(fc.read(FC::kFmc, 4), 0u);
  fc.write(FC::kFmc, 0x12340000u | FC::kFmcErase, 4);
  fc.write(FC::kFmc2, 0x00000001u, 4);
  EXPECT_FALSE(fc.busy());
  run_to(ticks_from_ms(300));
  EXPECT_EQ(word(0x1000), 0xFFFFFFFFu);
  EXPECT_EQ(fc.read(FC::kFcris, 4), 0u);
  EXPECT_EQ(counter.count(), 0u);
}

// Facts 6: "command bits clear when done". WRITE reads 1 for exactly kWordProgramTicks (30 us), the
// word keeps its old content until then; completion sets PRIS, and the IRQ line follows FCMISC.
TEST_F(FlashCtrlTest, ProgramBusyTimeExact) {
  fc.write(FC::kFcim, FC::kIntProgram, 4);
  run_to(1000);
  program(0x1000, 0xA5A5A5A5);
  EXPECT_EQ(FC::kWordProgramTicks, 3600u);
  run_to(1000 + 3600 - 1);
  EXPECT_EQ(fc.read(FC::kFmc, 4), FC::kFmcWrite);
  EXPECT_EQ(word(0x1000), 0xFFFFFFFFu);
  EXPECT_FALSE(fc.irq().level());
  run_to(1000 + 3600);
  EXPECT_EQ(fc.read(FC::kFmc, 4), 0u);
  EXPECT_EQ(word(0x1000), 0xA5A5A5A5u);
  EXPECT_EQ(fc.read(FC::kFcris, 4), FC::kIntProgram);
  EXPECT_EQ(fc.read(FC::kFcmisc, 4), FC::kIntProgram);
  EXPECT_TRUE(fc.irq().level());
  fc.write(FC::kFcmisc, FC::kIntProgram, 4);
  EXPECT_FALSE(fc.irq().level());
  EXPECT_EQ(fc.read(FC::kFcris, 4), 0u);
}

// Masked-off status does not raise the line (FCMISC = FCRIS & FCIM).
TEST_F(FlashCtrlTest, MaskedStatusKeepsLineLow) {
  program(0x0, 0);
  run_to(FC::kWordProgramTicks);
  EXPECT_EQ(fc.read(FC::kFcris, 4), FC::kIntProgram);
  EXPECT_EQ(fc.read(FC::kFcmisc, 4), 0u);
  EXPECT_FALSE(fc.irq().level());
  fc.write(FC::kFcim, FC::kIntProgram, 4);
  EXPECT_TRUE(fc.irq().level());
}

// Facts 6: buffered program: FMA = addr & ~0x7F, FWBn, FMC2 = 0xA4420001, poll WRBUF clear.
TEST_F(FlashCtrlTest, BufferedProgramWholeRow) {
  for (unsigned i = 0; i < 32; ++i) fc.write(FC::kFwb0 + 4 * i, 0x11110000u + i, 4);
  EXPECT_EQ(fc.read(FC::kFwbval, 4), 0xFFFFFFFFu);
  fc.write(FC::kFma, 0x2044, 4);  // inside the row at 0x2000
  fc.write(FC::kFmc2, kKeyed | FC::kFmc2Wrbuf, 4);
  EXPECT_EQ(FC::kRowProgramTicks, 12000u);
  run_to(11999);
  EXPECT_EQ(fc.read(FC::kFmc2, 4), FC::kFmc2Wrbuf);
  EXPECT_EQ(word(0x2000), 0xFFFFFFFFu);
  run_to(12000);
  EXPECT_EQ(fc.read(FC::kFmc2, 4), 0u);
  for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(word(0x2000 + 4 * i), 0x11110000u + i) << i;
  EXPECT_EQ(word(0x1FFC), 0xFFFFFFFFu);
  EXPECT_EQ(word(0x2080), 0xFFFFFFFFu);
  EXPECT_EQ(fc.read(FC::kFwbval, 4), 0u);
  EXPECT_EQ(fc.read(FC::kFcris, 4), FC::kIntProgram);
  EXPECT_EQ(fc.read(FC::kFwb0 + 4 * 5, 4), 0x11110005u);  // buffer contents stay readable
}

// FWBVAL: bit n set by a write to FWBn; only valid words are programmed; a direct write drops
// words; cleared when the buffered program completes.
TEST_F(FlashCtrlTest, FwbvalSelectsWords) {
  fc.write(FC::kFwb0 + 4 * 3, 0x33333333, 4);
  fc.write(FC::kFwb0 + 4 * 7, 0x77777777, 4);
  fc.write(FC::kFwb0 + 4 * 9, 0x99999999, 4);
  EXPECT_EQ(fc.read(FC::kFwbval, 4), 0x288u);
  fc.write(FC::kFwbval, 0x088, 4);  // drop word 9
  fc.write(FC::kFma, 0x3000, 4);
  fc.write(FC::kFmc2, kKeyed | FC::kFmc2Wrbuf, 4);
  fc.write(FC::kFwb0, 0, 4);  // ignored while programming
  EXPECT_EQ(fc.read(FC::kFwbval, 4), 0x088u);
  run_to(FC::kRowProgramTicks);
  for (unsigned i = 0; i < 32; ++i) {
    const std::uint32_t expect = i == 3 ? 0x33333333u : i == 7 ? 0x77777777u : 0xFFFFFFFFu;
    EXPECT_EQ(word(0x3000 + 4 * i), expect) << i;
  }
  EXPECT_EQ(fc.read(FC::kFwbval, 4), 0u);
  EXPECT_EQ(fc.read(FC::kFwb0, 4), 0u);
}

// Facts 1/6: erase sector = 16 KB at FMA & ~0x3FFF, back to 0xFF; neighbours untouched; 15 ms.
TEST_F(FlashCtrlTest, SectorEraseBoundsAndTime) {
  std::fill(flash.begin() + 0x0000, flash.begin() + 0xC000, 0x00);
  erase(0x5678);
  EXPECT_EQ(FC::kSectorEraseTicks, 1'800'000u);
  run_to(1'799'999);
  EXPECT_EQ(fc.read(FC::kFmc, 4), FC::kFmcErase);
  EXPECT_EQ(word(0x4000), 0u);
  run_to(1'800'000);
  EXPECT_EQ(fc.read(FC::kFmc, 4), 0u);
  for (std::uint32_t a = 0x4000; a < 0x8000; a += 4) ASSERT_EQ(word(a), 0xFFFFFFFFu) << a;
  EXPECT_EQ(word(0x3FFC), 0u);
  EXPECT_EQ(word(0x8000), 0u);
  EXPECT_EQ(fc.read(FC::kFcris, 4), FC::kIntProgram);
}

// Mass erase: the whole 1 MB, 250 ms.
TEST_F(FlashCtrlTest, MassErase) {
  std::fill(flash.begin(), flash.end(), 0x5A);
  fc.write(FC::kFmc, kKeyed | FC::kFmcMerase, 4);
  run_to(ticks_from_ms(250) - 1);
  EXPECT_EQ(fc.read(FC::kFmc, 4), FC::kFmcMerase);
  EXPECT_EQ(flash[0], 0x5A);
  run_to(ticks_from_ms(250));
  EXPECT_EQ(fc.read(FC::kFmc, 4), 0u);
  for (std::size_t i = 0; i < flash.size(); ++i) ASSERT_EQ(flash[i], 0xFF) << i;
}

// The CPU's translated code must be dropped for exactly the bytes an operation may have changed.
TEST_F(FlashCtrlTest, CodeChangedRanges) {
  program(0x102, 0);  // FMA is word aligned by the controller
  run_to(FC::kWordProgramTicks);
  erase(0x4000);
  run_to(events.now() + FC::kSectorEraseTicks);
  fc.write(FC::kFwb0 + 4 * 3, 0, 4);
  fc.write(FC::kFwb0 + 4 * 7, 0, 4);
  fc.write(FC::kFma, 0x2000, 4);
  fc.write(FC::kFmc2, kKeyed | FC::kFmc2Wrbuf, 4);
  run_to(events.now() + FC::kRowProgramTicks);
  using R = std::pair<std::uint32_t, std::uint32_t>;
  EXPECT_EQ(changed, (std::vector<R>{{0x100, 0x104}, {0x4000, 0x8000}, {0x200C, 0x2020}}));
}

// A command while another operation runs is ignored.
TEST_F(FlashCtrlTest, CommandWhileBusyIgnored) {
  program(0x0, 0x0);
  program(0x4, 0x0);
  erase(0x4000);
  run_to(ticks_from_ms(20));
  EXPECT_EQ(word(0x0), 0u);
  EXPECT_EQ(word(0x4), 0xFFFFFFFFu);
  EXPECT_EQ(counter.count(), 1u);
}

// Power loss mid-program (docs/board.md): the bits to clear go in ascending bit order in
// proportion to elapsed time: 900 of 3600 ticks of 32 bits -> the 8 lowest bits cleared.
TEST_F(FlashCtrlTest, PowerLossMidProgramIsPartialAndDeterministic) {
  auto run_once = [](Cycles cut) {
    EventQueue ev;
    NvOpCounter ctr;
    std::vector<std::uint8_t> fl(1u << 20, 0xFF);
    FlashController f(ev, ctr, fl, {});
    f.write(FC::kFma, 0x1000, 4);
    f.write(FC::kFmd, 0x00000000, 4);
    f.write(FC::kFmc, kKeyed | FC::kFmcWrite, 4);
    ev.advance_to(cut);
    ev.run_due();
    f.power_loss();
    ev.advance_to(ticks_from_ms(1));
    ev.run_due();  // the completion event was cancelled
    EXPECT_FALSE(f.busy());
    EXPECT_EQ(f.read(FC::kFcris, 4), 0u);
    return std::uint32_t{fl[0x1000]} | fl[0x1001] << 8 | fl[0x1002] << 16 | std::uint32_t{fl[0x1003]} << 24;
  };
  EXPECT_EQ(run_once(900), 0xFFFFFF00u);
  EXPECT_EQ(run_once(900), 0xFFFFFF00u);
  EXPECT_EQ(run_once(0), 0xFFFFFFFFu);
  EXPECT_EQ(run_once(1800), 0xFFFF0000u);
  EXPECT_EQ(run_once(3599), 0x80000000u);  // 32*3599/3600 = 31 bits
}

// Partial program only clears bits the program would clear (bits already 0 or kept at 1 stay).
TEST_F(FlashCtrlTest, PowerLossMidProgramClearsOnlyTargetBits) {
  set_word(0x1000, 0xF0F0F0F0);
  program(0x1000, 0x0F0F0F00);  // to clear: 0xF0F0F0F0 (16 bits)
  run_to(1800);                 // half: 8 lowest of those bits
  fc.power_loss();
  EXPECT_EQ(word(0x1000), 0xF0F00000u);
  EXPECT_EQ(changed.size(), 1u);
}

// Power loss mid buffered program: valid words land in ascending order, each in an equal slice.
// 4 words, cut at 7200 of 12000 ticks: words 0,1 done, word 2 has 32*4800/12000 = 12 bits cleared.
TEST_F(FlashCtrlTest, PowerLossMidBufferedProgram) {
  for (unsigned i = 0; i < 4; ++i) fc.write(FC::kFwb0 + 4 * i, 0, 4);
  fc.write(FC::kFma, 0x6000, 4);
  fc.write(FC::kFmc2, kKeyed | FC::kFmc2Wrbuf, 4);
  run_to(7200);
  fc.power_loss();
  EXPECT_EQ(word(0x6000), 0u);
  EXPECT_EQ(word(0x6004), 0u);
  EXPECT_EQ(word(0x6008), 0xFFFFF000u);
  EXPECT_EQ(word(0x600C), 0xFFFFFFFFu);
  EXPECT_EQ(fc.read(FC::kFwbval, 4), 0u);  // registers back to reset
  EXPECT_EQ(fc.read(FC::kFmc2, 4), 0u);
}

// Power loss mid-erase: the first floor(4096 * elapsed / duration) words of the sector are erased,
// the rest keep their old content. A quarter of 15 ms -> 1024 words (0x4000..0x4FFF).
TEST_F(FlashCtrlTest, PowerLossMidEraseIsPartialAndDeterministic) {
  auto run_once = [] {
    EventQueue ev;
    NvOpCounter ctr;
    std::vector<std::uint8_t> fl(1u << 20, 0x00);
    FlashController f(ev, ctr, fl, {});
    f.write(FC::kFma, 0x4000, 4);
    f.write(FC::kFmc, kKeyed | FC::kFmcErase, 4);
    ev.advance_to(FC::kSectorEraseTicks / 4);
    ev.run_due();
    f.power_loss();
    ev.advance_to(ticks_from_ms(100));
    ev.run_due();
    return fl;
  };
  const auto a = run_once();
  for (std::uint32_t i = 0x4000; i < 0x5000; ++i) ASSERT_EQ(a[i], 0xFF) << i;
  for (std::uint32_t i = 0x5000; i < 0x8000; ++i) ASSERT_EQ(a[i], 0x00) << i;
  EXPECT_EQ(a[0x3FFF], 0x00);
  EXPECT_EQ(a, run_once());
}

// A system reset interrupts an operation exactly like a power loss (product decision).
TEST_F(FlashCtrlTest, ResetMidProgramSameAsPowerLoss) {
  program(0x1000, 0x0);
  run_to(900);
  fc.reset();
  EXPECT_EQ(word(0x1000), 0xFFFFFF00u);
  EXPECT_EQ(fc.read(FC::kFmc, 4), 0u);
  run_to(ticks_from_ms(1));
  EXPECT_EQ(word(0x1000), 0xFFFFFF00u);
}

// Operations are numbered in the shared sequence and reported with their start and end ticks, so
// the harness can cut power in the middle of the Nth one.
TEST_F(FlashCtrlTest, OperationStartReportsNumberedOps) {
  std::vector<NvOp> seen, all;
  fc.on_operation_start([&](const NvOp& op) { seen.push_back(op); });
  counter.on_operation_start([&](const NvOp& op) { all.push_back(op); });
  run_to(500);
  program(0x10, 0);
  run_to(10'000);
  erase(0x8000);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, NvOp::Kind::FlashProgram);
  EXPECT_EQ(seen[0].address, 0x10u);
  EXPECT_EQ(seen[0].start, 500u);
  EXPECT_EQ(seen[0].end, 500u + 3600u);
  EXPECT_EQ(seen[0].index, 1u);
  EXPECT_EQ(seen[1].kind, NvOp::Kind::FlashSectorErase);
  EXPECT_EQ(seen[1].address, 0x8000u);
  EXPECT_EQ(seen[1].start, 10'000u);
  EXPECT_EQ(seen[1].end, 10'000u + 1'800'000u);
  EXPECT_EQ(seen[1].index, 2u);
  EXPECT_EQ(all.size(), 2u);
  EXPECT_EQ(counter.count(), 2u);
  ASSERT_NE(fc.in_flight(), nullptr);
  EXPECT_EQ(fc.in_flight()->index, 2u);

  // Cutting power in the middle of the next operation, the way the harness does it.
  std::uint32_t cut_word = 0;
  run_to(ticks_from_ms(20));
  fc.on_operation_start([&](const NvOp& op) {
    if (op.index == 3) events.schedule_at((op.start + op.end) / 2, [&] { fc.power_loss(); });
  });
  program(0x20, 0);
  run_to(ticks_from_ms(21));
  cut_word = word(0x20);
  EXPECT_EQ(cut_word, 0xFFFF0000u);
}

// FMC.COMT: the USERREG commit completes after kCommitTicks and is not a numbered NV operation.
TEST_F(FlashCtrlTest, CommitFiresCallback) {
  int commits = 0;
  fc.on_commit([&] { ++commits; });
  fc.write(FC::kFmc, kKeyed | FC::kFmcComt, 4);
  EXPECT_EQ(fc.read(FC::kFmc, 4), FC::kFmcComt);
  run_to(FC::kCommitTicks - 1);
  EXPECT_EQ(commits, 0);
  run_to(FC::kCommitTicks);
  EXPECT_EQ(commits, 1);
  EXPECT_EQ(fc.read(FC::kFmc, 4), 0u);
  EXPECT_EQ(counter.count(), 0u);
}

// Vector 45 is shared with the EEPROM: its completion sets FCRIS.ERIS (bit 2).
TEST_F(FlashCtrlTest, EepromInterruptSharesLine) {
  fc.write(FC::kFcim, FC::kIntEeprom, 4);
  fc.raise_eeprom_interrupt();
  EXPECT_EQ(fc.read(FC::kFcris, 4), FC::kIntEeprom);
  EXPECT_TRUE(fc.irq().level());
  fc.write(FC::kFcmisc, FC::kIntEeprom, 4);
  EXPECT_FALSE(fc.irq().level());
}

// Facts 6: FLASHPP SIZE 0x1FF, MAINSS 4; SSIZE 0x3FF. Unknown offsets read 0 and are logged once.
TEST_F(FlashCtrlTest, IdentificationAndUnknownOffsets) {
  EXPECT_EQ(fc.read(FC::kPp, 4), 0x000401FFu);
  EXPECT_EQ(fc.read(FC::kSsize, 4), 0x3FFu);
  EXPECT_EQ(fc.read(0x050, 4), 0u);
  fc.write(0x050, 0xFFFFFFFF, 4);
  EXPECT_EQ(fc.read(0x050, 4), 0u);
  EXPECT_EQ(fc.unknown_offsets().count(0x050), 1u);
  fc.write(FC::kFma, 0xFFFFFFFF, 4);
  EXPECT_EQ(fc.read(FC::kFma, 4), 0x000FFFFFu);
  EXPECT_EQ(fc.read(FC::kFma, 2), 0xFFFFu);
}

// System reset returns registers to their reset values.
TEST_F(FlashCtrlTest, ResetRestoresRegisters) {
  fc.write(FC::kFma, 0x1234, 4);
  fc.write(FC::kFmd, 0x55, 4);
  fc.write(FC::kFcim, FC::kIntProgram, 4);
  fc.write(FC::kFwb0, 1, 4);
  fc.reset();
  EXPECT_EQ(fc.read(FC::kFma, 4), 0u);
  EXPECT_EQ(fc.read(FC::kFmd, 4), 0u);
  EXPECT_EQ(fc.read(FC::kFcim, 4), 0u);
  EXPECT_EQ(fc.read(FC::kFwbval, 4), 0u);
  EXPECT_EQ(fc.read(FC::kFwb0, 4), 0u);
}

}  // namespace
}  // namespace k7sim

namespace k7sim {
namespace {

// A harness that cuts power synchronously when an operation starts leaves nothing changed and no
// completion pending.
TEST(FlashCtrlPowerCut, CutAtOperationStart) {
  EventQueue ev;
  NvOpCounter ctr;
  std::vector<std::uint8_t> fl(1u << 20, 0xFF);
  FlashController f(ev, ctr, fl, {});
  ctr.on_operation_start([&](const NvOp&) { f.power_loss(); });
  f.write(FlashController::kFmd, 0, 4);
  f.write(FlashController::kFmc, 0xA4420001u, 4);
  EXPECT_FALSE(f.busy());
  ev.advance_to(ticks_from_ms(1));
  ev.run_due();
  EXPECT_EQ(fl[0], 0xFF);
  EXPECT_EQ(f.read(FlashController::kFcris, 4), 0u);
  EXPECT_EQ(ctr.count(), 1u);
}

}  // namespace
}  // namespace k7sim
