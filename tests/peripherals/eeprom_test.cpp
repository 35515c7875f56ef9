// EEPROM module (tm4c1294-facts.md section 7; product decisions in docs/board.md "Flash
// controller and EEPROM"). Times are exact ticks: WORKING for 110 us per word, 20 us after reset.
#include "peripherals/eeprom.h"

#include <gtest/gtest.h>

#include <vector>

#include "peripherals/flash_ctrl.h"

namespace k7sim {
namespace {

using E = Eeprom;

class EepromTest : public ::testing::Test {
 protected:
  EepromTest() : words(E::kWords, 0xFFFFFFFFu), ee(events, counter, words) {}

  // Fire every event up to t in order (each at its own tick), then stand at t.
  void run_to(Cycles t) { events.run_until(t); }
  void ready() { run_to(events.now() + E::kInitTicks); }
  void select(std::uint32_t block, std::uint32_t offset) {
    ee.write(E::kEeblock, block, 4);
    ee.write(E::kEeoffset, offset, 4);
  }

  EventQueue events;
  NvOpCounter counter;
  std::vector<std::uint32_t> words;
  Eeprom ee;
};

// Facts 7: 96 blocks x 16 words; EESIZE derived 0x0060_0600 (WORDCNT 0x600, BLKCNT 0x60).
TEST_F(EepromTest, SizeRegister) { EXPECT_EQ(ee.read(E::kEesize, 4), 0x00600600u); }

// WORKING is set for kInitTicks (20 us = 2400 ticks) after reset, so the driver's init poll waits.
TEST_F(EepromTest, WorkingAfterReset) {
  EXPECT_EQ(E::kInitTicks, 2400u);
  EXPECT_EQ(ee.read(E::kEedone, 4), E::kWorking);
  run_to(2399);
  EXPECT_EQ(ee.read(E::kEedone, 4), E::kWorking);
  run_to(2400);
  EXPECT_EQ(ee.read(E::kEedone, 4), 0u);
  run_to(5000);
  ee.reset();
  EXPECT_EQ(ee.read(E::kEedone, 4), E::kWorking);
  run_to(5000 + 2400);
  EXPECT_EQ(ee.read(E::kEedone, 4), 0u);
}

// Facts 7: "A write starts programming; WORKING = 1 until done" (110 us = 13200 ticks). Reads while
// WORKING return the stored (old) word; the new one is there at completion.
TEST_F(EepromTest, WriteTimingAndReadBack) {
  ready();
  const Cycles t0 = events.now();
  select(5, 3);
  ee.write(E::kEerdwr, 0x12345678, 4);
  EXPECT_EQ(E::kWordWriteTicks, 13200u);
  EXPECT_EQ(ee.read(E::kEedone, 4), E::kWorking);
  run_to(t0 + 13199);
  EXPECT_EQ(ee.read(E::kEedone, 4), E::kWorking);
  EXPECT_EQ(ee.read(E::kEerdwr, 4), 0xFFFFFFFFu);
  run_to(t0 + 13200);
  EXPECT_EQ(ee.read(E::kEedone, 4), 0u);
  EXPECT_EQ(ee.read(E::kEerdwr, 4), 0x12345678u);
  EXPECT_EQ(words[5 * 16 + 3], 0x12345678u);
  // Unlike flash, EEPROM words can go back to 1s.
  ee.write(E::kEerdwr, 0xFFFF0000, 4);
  run_to(events.now() + E::kWordWriteTicks);
  EXPECT_EQ(words[5 * 16 + 3], 0xFFFF0000u);
}

// Facts 7: EERDWRINC: offset wraps mod 16, the block does not advance.
TEST_F(EepromTest, RdwrincWrapsWithinBlock) {
  ready();
  for (unsigned i = 0; i < 16; ++i) words[2 * 16 + i] = 0x200u + i;
  select(2, 14);
  EXPECT_EQ(ee.read(E::kEerdwrinc, 4), 0x20Eu);
  EXPECT_EQ(ee.read(E::kEerdwrinc, 4), 0x20Fu);
  EXPECT_EQ(ee.read(E::kEeoffset, 4), 0u);
  EXPECT_EQ(ee.read(E::kEeblock, 4), 2u);
  EXPECT_EQ(ee.read(E::kEerdwrinc, 4), 0x200u);

  select(7, 15);
  ee.write(E::kEerdwrinc, 0xCAFE0001, 4);
  EXPECT_EQ(ee.read(E::kEeoffset, 4), 0u);
  run_to(events.now() + E::kWordWriteTicks);
  ee.write(E::kEerdwrinc, 0xCAFE0002, 4);
  run_to(events.now() + E::kWordWriteTicks);
  EXPECT_EQ(words[7 * 16 + 15], 0xCAFE0001u);
  EXPECT_EQ(words[7 * 16 + 0], 0xCAFE0002u);
  EXPECT_EQ(words[8 * 16 + 0], 0xFFFFFFFFu);
  EXPECT_EQ(ee.read(E::kEeblock, 4), 7u);
  EXPECT_EQ(ee.read(E::kEeoffset, 4), 1u);
}

// A write while WORKING is dropped and flagged with EEDONE.WRBUSY (product decision); the next
// accepted write clears WRBUSY.
TEST_F(EepromTest, WriteWhileWorkingRejected) {
  ready();
  select(1, 0);
  ee.write(E::kEerdwrinc, 0x11111111, 4);
  ee.write(E::kEerdwrinc, 0x22222222, 4);  // rejected, offset stays 1
  EXPECT_EQ(ee.read(E::kEedone, 4), E::kWorking | E::kWrBusy);
  EXPECT_EQ(ee.read(E::kEeoffset, 4), 1u);
  EXPECT_EQ(counter.count(), 1u);
  run_to(events.now() + E::kWordWriteTicks);
  EXPECT_EQ(ee.read(E::kEedone, 4), E::kWrBusy);
  EXPECT_EQ(words[16], 0x11111111u);
  EXPECT_EQ(words[17], 0xFFFFFFFFu);
  ee.write(E::kEerdwr, 0x33333333, 4);
  EXPECT_EQ(ee.read(E::kEedone, 4), E::kWorking);
}

// Writes during the post-reset WORKING time are rejected the same way.
TEST_F(EepromTest, WriteDuringInitRejected) {
  ee.write(E::kEerdwr, 0, 4);
  run_to(ticks_from_ms(1));
  EXPECT_EQ(words[0], 0xFFFFFFFFu);
  EXPECT_EQ(ee.read(E::kEedone, 4), E::kWrBusy);
}

// EEBLOCK beyond block 95 is ignored (product decision).
TEST_F(EepromTest, BlockOutOfRangeIgnored) {
  ee.write(E::kEeblock, 95, 4);
  EXPECT_EQ(ee.read(E::kEeblock, 4), 95u);
  ee.write(E::kEeblock, 96, 4);
  EXPECT_EQ(ee.read(E::kEeblock, 4), 95u);
  ee.write(E::kEeoffset, 0x1F, 4);
  EXPECT_EQ(ee.read(E::kEeoffset, 4), 0xFu);
}

// EEINT.INT: completion reports an interrupt (FCRIS.ERIS, vector 45 shared with the flash).
TEST_F(EepromTest, InterruptOnDoneWhenEnabled) {
  EventQueue& ev = events;
  NvOpCounter& ctr = counter;
  std::vector<std::uint8_t> flash(1u << 20, 0xFF);
  FlashController fc(ev, ctr, flash, {});
  ee.on_interrupt([&] { fc.raise_eeprom_interrupt(); });
  fc.write(FlashController::kFcim, FlashController::kIntEeprom, 4);
  ready();
  ee.write(E::kEerdwr, 1, 4);
  run_to(events.now() + E::kWordWriteTicks);
  EXPECT_FALSE(fc.irq().level());  // EEINT.INT clear: no interrupt
  ee.write(E::kEeint, E::kEeintInt, 4);
  ee.write(E::kEerdwr, 2, 4);
  run_to(events.now() + E::kWordWriteTicks - 1);
  EXPECT_FALSE(fc.irq().level());
  run_to(events.now() + 1);
  EXPECT_TRUE(fc.irq().level());
  EXPECT_EQ(fc.read(FlashController::kFcris, 4), FlashController::kIntEeprom);
}

// Power loss mid-write (docs/board.md): differing bits take their new value in ascending bit order
// in proportion to elapsed time. 0x00000000 -> 0xFFFFFFFF cut at half: 0x0000FFFF. Same every run.
TEST_F(EepromTest, PowerLossMidWriteIsPartialAndDeterministic) {
  auto run_once = [](Cycles into) {
    EventQueue ev;
    NvOpCounter ctr;
    std::vector<std::uint32_t> w(E::kWords, 0);
    Eeprom e(ev, ctr, w);
    ev.advance_to(E::kInitTicks);
    ev.run_due();
    e.write(E::kEeblock, 10, 4);
    e.write(E::kEeoffset, 4, 4);
    e.write(E::kEerdwr, 0xFFFFFFFF, 4);
    ev.advance_to(E::kInitTicks + into);
    ev.run_due();
    e.power_loss();
    EXPECT_EQ(e.read(E::kEedone, 4), 0u);
    ev.advance_to(ticks_from_ms(10));
    ev.run_due();
    return w[10 * 16 + 4];
  };
  EXPECT_EQ(run_once(6600), 0x0000FFFFu);
  EXPECT_EQ(run_once(6600), 0x0000FFFFu);
  EXPECT_EQ(run_once(0), 0x00000000u);
  EXPECT_EQ(run_once(3300), 0x000000FFu);
}

// Partial write changes only the differing bits (0->1 and 1->0 alike).
TEST_F(EepromTest, PowerLossChangesOnlyDifferingBits) {
  ready();
  words[0] = 0xAAAA0000;
  ee.write(E::kEerdwr, 0x5555FFFF, 4);  // all 32 bits differ
  run_to(events.now() + E::kWordWriteTicks / 4);  // 8 lowest bits
  ee.power_loss();
  EXPECT_EQ(words[0], 0xAAAA00FFu);
}

// A reset (SR bit or system reset) mid-write leaves the same partial word as a power loss, then
// the module is WORKING for its init time.
TEST_F(EepromTest, ResetMidWriteSameAsPowerLoss) {
  ready();
  words[0] = 0;
  ee.write(E::kEerdwr, 0xFFFFFFFF, 4);
  run_to(events.now() + E::kWordWriteTicks / 2);
  const Cycles t = events.now();
  ee.reset();
  EXPECT_EQ(words[0], 0x0000FFFFu);
  EXPECT_EQ(ee.read(E::kEedone, 4), E::kWorking);
  run_to(t + E::kInitTicks);
  EXPECT_EQ(ee.read(E::kEedone, 4), 0u);
  EXPECT_EQ(words[0], 0x0000FFFFu);
}

// Flash and EEPROM operations share one numbering, so "the Nth NV operation" is well defined.
TEST_F(EepromTest, SharedOperationCounterWithFlash) {
  std::vector<std::uint8_t> flash(1u << 20, 0xFF);
  FlashController fc(events, counter, flash, {});
  std::vector<NvOp> all, mine;
  counter.on_operation_start([&](const NvOp& op) { all.push_back(op); });
  ee.on_operation_start([&](const NvOp& op) { mine.push_back(op); });
  ready();
  fc.write(FlashController::kFmd, 0, 4);
  fc.write(FlashController::kFmc, 0xA4420001u, 4);
  select(3, 2);
  const Cycles t = events.now();
  ee.write(E::kEerdwr, 0, 4);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].kind, NvOp::Kind::FlashProgram);
  EXPECT_EQ(all[0].index, 1u);
  EXPECT_EQ(all[1].kind, NvOp::Kind::EepromWrite);
  EXPECT_EQ(all[1].index, 2u);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].address, 3u * 16 + 2);
  EXPECT_EQ(mine[0].start, t);
  EXPECT_EQ(mine[0].end, t + 13200);
  EXPECT_EQ(std::string(to_string(mine[0].kind)), "eeprom-write");
}

// Unknown offsets read 0, writes are ignored, each is logged once; registers reset on reset().
TEST_F(EepromTest, UnknownOffsetsAndReset) {
  EXPECT_EQ(ee.read(0x0C, 4), 0u);
  ee.write(0x0C, 0xFFFFFFFF, 4);
  EXPECT_EQ(ee.read(0x0C, 4), 0u);
  EXPECT_EQ(ee.unknown_offsets().count(0x0C), 1u);
  EXPECT_EQ(ee.read(E::kEeunlock, 4), 1u);
  select(4, 4);
  ee.write(E::kEeint, 1, 4);
  ee.reset();
  EXPECT_EQ(ee.read(E::kEeblock, 4), 0u);
  EXPECT_EQ(ee.read(E::kEeoffset, 4), 0u);
  EXPECT_EQ(ee.read(E::kEeint, 4), 0u);
}

// The store must have 1536 words.
TEST(EepromConfig, RejectsWrongStoreSize) {
  EventQueue ev;
  NvOpCounter ctr;
  std::vector<std::uint32_t> w(100);
  EXPECT_THROW(Eeprom(ev, ctr, w), std::invalid_argument);
}

}  // namespace
}  // namespace k7sim
