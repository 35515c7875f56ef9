// System-level behaviour: SYSRESETREQ with RESC.SW, SRAM surviving a system reset, bit-band
// aliases, the debug console, ELF loading.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "emulator/cpu/elf_image.h"
#include "guest_board.h"

using namespace k7sim;
using k7sim::test::GuestBoard;

// tm4c1294-facts.md §5: AIRCR 0x05FA0004 → system reset, RESC.SW; SRAM keeps its content.
TEST(SystemReset, SysResetReqRebootsWithSoftwareCause) {
  GuestBoard g("sysreset");
  ASSERT_EQ(g.run_us(5000), Board::StopReason::Deadline) << (g.board.fault() ? g.board.fault()->text() : "");
  EXPECT_EQ(g.u32("boots"), 3u);
  EXPECT_NE(g.u32("resc_seen", 0) & 0x2u, 0u) << "first boot: POR";
  EXPECT_EQ(g.u32("resc_seen", 1), 0x10u) << "second boot: SW only (the causes were cleared)";
  EXPECT_EQ(g.u32("resc_seen", 2), 0x10u);
}

// ARMv7-M ARM B3.1.3: bit-band alias words for SRAM and peripherals.
TEST(BitBand, SramAndPeripheralAliases) {
  GuestBoard g("bitband");
  ASSERT_EQ(g.run_us(1000), Board::StopReason::Deadline) << (g.board.fault() ? g.board.fault()->text() : "");
  EXPECT_EQ(g.u32("read_back"), 0x80000200u);
  EXPECT_EQ(g.u32("alias_read"), 1u);
  EXPECT_EQ(g.u32("gpio_dir"), 0x10u);
}

// The debug console (UART0 on PA0/PA1) reaches the harness, not the module's TXD.
TEST(Console, GuestPrintsOnUart0) {
  GuestBoard g("hello_console");
  std::string console, module;
  g.board.on_console_tx([&](const SerialFrame& f) { console.push_back(char(f.data)); });
  g.board.on_module_tx([&](const SerialFrame& f) { module.push_back(char(f.data)); });
  ASSERT_EQ(g.run_us(5000), Board::StopReason::Deadline) << (g.board.fault() ? g.board.fault()->text() : "");
  EXPECT_EQ(console, "hello\n");
  EXPECT_EQ(module, "");
}

TEST(ElfLoad, SegmentsEntryAndSymbols) {
  const ElfImage img = ElfImage::load(k7sim::test::guest_elf("hello_console"));
  EXPECT_FALSE(img.segments().empty());
  EXPECT_EQ(img.segments().front().load_address, 0u) << "vector table at the start of flash";
  auto reset = img.symbol("Reset_Handler");
  ASSERT_TRUE(reset.has_value());
  EXPECT_TRUE(reset->is_function);
  EXPECT_EQ(reset->address & 1u, 0u) << "the Thumb bit is stripped from function addresses";
  EXPECT_EQ(img.entry() & ~1u, reset->address);
  EXPECT_EQ(img.describe(reset->address), "Reset_Handler");
  EXPECT_EQ(img.describe(reset->address + 2), "Reset_Handler+0x2");
  EXPECT_EQ(img.describe(0x0FFFFFF0u), "");
}

TEST(ElfLoad, RejectsFilesThatAreNotArmElf) {
  const std::vector<std::uint8_t> text{'h', 'e', 'l', 'l', 'o'};
  try {
    ElfImage::parse(text, "notes.txt");
    FAIL() << "expected ElfError";
  } catch (const ElfError& e) {
    EXPECT_NE(std::string(e.what()).find("notes.txt"), std::string::npos);
  }
  std::ifstream in(k7sim::test::guest_elf("hello_console"), std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bytes.resize(60);  // header intact, program headers cut off
  EXPECT_THROW(ElfImage::parse(bytes, "cut.elf"), ElfError);
}

// Timer0A periodic interrupt (IRQ 19) and a WDT0 that is never fed: interrupt, then a chip reset
// with RESC.WDT0 (tm4c1294-facts.md §10, §5).
TEST(BoardWiring, TimerInterruptAndWatchdogReset) {
  GuestBoard g("timers_watchdog");
  ASSERT_EQ(g.run_us(40'000), Board::StopReason::Deadline) << (g.board.fault() ? g.board.fault()->text() : "");
  EXPECT_EQ(g.u32("boots"), 1u);
  EXPECT_GE(g.u32("timer_irqs"), 38u);
  EXPECT_LE(g.u32("timer_irqs"), 40u);
  ASSERT_EQ(g.run_us(100'000), Board::StopReason::Deadline);
  EXPECT_EQ(g.u32("boots"), 2u) << "the second watchdog time-out resets the chip";
  EXPECT_EQ(g.u32("resc_seen", 1), 0x8u) << "RESC.WDT0 after the watchdog reset";
}

// The PHY answers on the EMAC's MDIO bus with its ID (tm4c1294-facts.md §8: 0x2000 / 0xA221).
TEST(BoardWiring, PhyIdThroughMdio) {
  GuestBoard g("emac_phy_id");
  ASSERT_EQ(g.run_us(2'000), Board::StopReason::Deadline) << (g.board.fault() ? g.board.fault()->text() : "");
  ASSERT_EQ(g.u32("done"), 1u);
  EXPECT_EQ(g.u32("id1"), 0x2000u);
  EXPECT_EQ(g.u32("id2"), 0xA221u);
}
