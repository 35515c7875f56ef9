// A firmware fault ends the run with a clear report (kind, PC, symbol, registers) and never
// crashes the harness.
#include <gtest/gtest.h>

#include "guest_board.h"

using namespace k7sim;
using k7sim::test::GuestBoard;

TEST(FaultReport, WriteToUnmappedAddressIsABusFault) {
  GuestBoard g("fault_unmapped_write");
  ASSERT_EQ(g.run_us(1000), Board::StopReason::Fault);
  const FaultReport* f = g.board.fault();
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, "bus fault");
  EXPECT_NE(f->detail.find("0x30000000"), std::string::npos) << f->detail;
  EXPECT_EQ(f->symbol.rfind("write_to_nowhere", 0), 0u) << f->symbol;
  EXPECT_EQ(g.u32("reached"), 1u);
  const std::string text = f->text();
  EXPECT_NE(text.find("R0"), std::string::npos);
  EXPECT_NE(text.find("write_to_nowhere"), std::string::npos);
  // The board stays halted: running on does not execute anything more.
  EXPECT_EQ(g.run_us(1000), Board::StopReason::Fault);
  EXPECT_EQ(g.u32("reached"), 1u);
}

TEST(FaultReport, UndefinedInstructionIsAUsageFault) {
  GuestBoard g("fault_undefined");
  ASSERT_EQ(g.run_us(1000), Board::StopReason::Fault);
  const FaultReport* f = g.board.fault();
  EXPECT_EQ(f->kind, "usage fault");
  EXPECT_NE(f->detail.find("DE42"), std::string::npos) << f->detail;
  EXPECT_EQ(f->symbol.rfind("execute_udf", 0), 0u) << f->symbol;
}

TEST(FaultReport, CallIntoUnmappedMemoryIsARunawayPc) {
  GuestBoard g("fault_runaway");
  ASSERT_EQ(g.run_us(1000), Board::StopReason::Fault);
  const FaultReport* f = g.board.fault();
  EXPECT_EQ(f->kind, "runaway PC");
  EXPECT_EQ(f->pc, 0x10000000u);
  EXPECT_NE(f->detail.find("0x10000000"), std::string::npos) << f->detail;
}

// TM4C1294: an access to a peripheral whose RCGC clock is off is a bus fault.
TEST(FaultReport, AccessToAGatedPeripheralNamesTheClock) {
  GuestBoard g("fault_gated_uart");
  ASSERT_EQ(g.run_us(1000), Board::StopReason::Fault);
  const FaultReport* f = g.board.fault();
  EXPECT_EQ(f->kind, "bus fault");
  EXPECT_NE(f->detail.find("UART1"), std::string::npos) << f->detail;
  EXPECT_NE(f->detail.find("clock"), std::string::npos) << f->detail;
  EXPECT_EQ(f->symbol.rfind("touch_uart1", 0), 0u) << f->symbol;
}

// An exception that cannot stack its frame (SP outside SRAM) locks the core up.
TEST(FaultReport, StackingFailureIsALockup) {
  GuestBoard g("fault_lockup");
  ASSERT_EQ(g.run_us(1000), Board::StopReason::Fault);
  const FaultReport* f = g.board.fault();
  EXPECT_EQ(f->kind, "lockup");
  EXPECT_NE(f->detail.find("0x10000000"), std::string::npos) << f->detail;
  EXPECT_NE(f->detail.find("MSP"), std::string::npos) << f->detail;
}

TEST(FaultReport, MissingFirmwareIsAClearError) {
  Board::Config c;
  c.firmware_elf = "/nonexistent/firmware.elf";
  EXPECT_THROW(Board{c}, std::exception);
}
