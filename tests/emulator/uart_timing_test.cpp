// UART1 byte timing on the board from the firmware's point of view (tm4c1294-facts.md §3):
// 115200 8N1 from a 120 MHz clock is IBRD 65 / FBRD 7; one character lasts 160 baud16 enables of
// 65 or 66 cycles, exactly as the divisor says.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "guest_board.h"

using namespace k7sim;
using k7sim::test::GuestBoard;

namespace {
SerialFrame host_frame(Cycles start, std::uint8_t data) {
  SerialFrame f;
  f.start = start;
  f.bit_ticks = double(kTickHz) / 115200.0;
  f.format = SerialFormat{};
  f.data = data;
  return f;
}
}  // namespace

TEST(UartOnBoard, ByteTimingIsTheDivisorsExactCycleCount) {
  GuestBoard g("uart1_byte");
  std::vector<SerialFrame> tx;
  g.board.on_module_tx([&](const SerialFrame& f) { tx.push_back(f); });
  ASSERT_EQ(g.run_us(2000), Board::StopReason::Deadline) << (g.board.fault() ? g.board.fault()->text() : "");
  ASSERT_EQ(tx.size(), 1u);
  EXPECT_EQ(tx[0].data, 0x55);
  // Bit = 16 enables × (64·65 + 7)/64 cycles = 1041.75 cycles at 120 MHz.
  EXPECT_DOUBLE_EQ(tx[0].bit_ticks, 16.0 * (64 * 65 + 7) / 64.0);
  const Cycles len = tx[0].end() - tx[0].start;
  EXPECT_TRUE(len == 10417 || len == 10418) << "frame length " << len;
}

// Receive timeout: a lone character is reported 32 bit periods after it entered the RX FIFO;
// the guest's handler echoes it, so the echo starts just after that.
TEST(UartOnBoard, ReceiveTimeoutDelaysALoneCharacter) {
  GuestBoard g("uart1_byte");
  std::vector<SerialFrame> tx;
  g.board.on_module_tx([&](const SerialFrame& f) { tx.push_back(f); });
  g.run_us(2000);
  const Cycles start = g.board.now();
  const SerialFrame in = host_frame(start, 'K');
  g.board.events().schedule_at(start, [&] { g.board.module_rx(in); });
  g.run_us(2000);
  ASSERT_EQ(tx.size(), 2u);
  EXPECT_EQ(tx[1].data, 'K');
  EXPECT_EQ(g.u32("rt_irqs"), 1u);
  EXPECT_EQ(g.u32("rx_count"), 1u);
  const double bit = tx[0].bit_ticks;
  // The character enters the FIFO at its stop-bit sample (~9.5 bits after its start).
  const double fifo_at = double(start) + 9.5 * bit;
  const double echo_delay = double(tx[1].start) - fifo_at;
  EXPECT_GE(echo_delay, 32 * bit - bit) << "RT must not fire before 32 bit periods";
  EXPECT_LE(echo_delay, 32 * bit + 2 * bit + 2400) << "RT + handler latency (< 20 us)";
}

// Two characters back to back reach the RX trigger (1/8 = 2 characters): RX interrupt, no timeout.
TEST(UartOnBoard, RxTriggerLevelInterrupt) {
  GuestBoard g("uart1_byte");
  g.run_us(2000);
  const Cycles start = g.board.now();
  const double frame = 10 * double(kTickHz) / 115200.0;
  const SerialFrame a = host_frame(start, 'x');
  const SerialFrame b = host_frame(start + Cycles(std::llround(frame)), 'y');
  g.board.events().schedule_at(a.start, [&] { g.board.module_rx(a); });
  g.board.events().schedule_at(b.start, [&] { g.board.module_rx(b); });
  g.run_us(3000);
  EXPECT_EQ(g.u32("rx_count"), 2u);
  EXPECT_GE(g.u32("rx_irqs"), 1u);
}

// The module UART as the RTL on the board (Board::Config::module_uart_rtl): the echo guest behaves
// exactly as with the C++ model, to the tick. (This found a core bug: the CPU's slow path moved the
// clock to its own time before running due events, so they ran a few ticks late.)
TEST(UartOnBoard, RtlUartEchoesLikeTheModel) {
  Board::Config config = k7sim::test::GuestBoard::config("uart1_byte");
  config.module_uart_rtl = true;
  Board board(config);
  std::vector<SerialFrame> tx;
  board.on_module_tx([&](const SerialFrame& f) { tx.push_back(f); });
  board.power_on();
  board.run_until(ticks_from_ms(2));
  const SerialFrame in = host_frame(board.now(), 'K');
  board.events().schedule_at(in.start, [&] { board.module_rx(in); });
  board.run_until(board.now() + ticks_from_ms(2));
  ASSERT_EQ(tx.size(), 2u);
  EXPECT_EQ(tx[1].data, 'K');

  // The same run on the C++ model gives the same frames at the same ticks.
  Board::Config model_config = k7sim::test::GuestBoard::config("uart1_byte");
  Board model(model_config);
  std::vector<SerialFrame> model_tx;
  model.on_module_tx([&](const SerialFrame& f) { model_tx.push_back(f); });
  model.power_on();
  model.run_until(ticks_from_ms(2));
  const SerialFrame again = host_frame(model.now(), 'K');
  model.events().schedule_at(again.start, [&] { model.module_rx(again); });
  model.run_until(model.now() + ticks_from_ms(2));
  ASSERT_EQ(model_tx.size(), 2u);
  EXPECT_EQ(model_tx[0].start, tx[0].start);
  EXPECT_EQ(model_tx[1].start, tx[1].start);
}

// Events run at their own tick even when the CPU notices them a few cycles late: a device event's
// now() is the time it was scheduled for (EventQueue contract), never the CPU's later time.
TEST(UartOnBoard, EventsRunAtTheirOwnTick) {
  // A guest that keeps running blocks (the bench kernel) and one that sleeps in WFI between ticks.
  for (const char* guest : {"bench_kernel", "systick_wfi"}) {
  k7sim::test::GuestBoard g(guest);
  g.run_us(1000);
  std::vector<std::pair<Cycles, Cycles>> seen;  // (scheduled, now() when it ran)
  for (Cycles at = g.board.now() + 1000; at < g.board.now() + 200'000; at += 7919)
    g.board.events().schedule_at(at, [&g, &seen, at] { seen.push_back({at, g.board.now()}); });
  g.run_us(3000);
  ASSERT_GT(seen.size(), 20u) << guest;
  for (const auto& [at, now] : seen) EXPECT_EQ(now, at) << guest;
  }
}
