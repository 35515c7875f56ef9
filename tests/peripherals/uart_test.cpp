// UART model (PL011 as in tm4c1294-facts.md section 3). Every timing expectation is computed here
// from the baud-enable rule (enable k at T0 + k*IBRD + floor(k*FBRD/64) UART-clock cycles), not
// taken from the model, so the tests fail if the model's arithmetic drifts by one tick.
#include "peripherals/uart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <vector>

namespace k7sim {
namespace {

constexpr std::uint32_t kDr = 0x000, kRsr = 0x004, kFr = 0x018, kIbrd = 0x024, kFbrd = 0x028, kLcrh = 0x02C,
                        kCtl = 0x030, kIfls = 0x034, kIm = 0x038, kRis = 0x03C, kMis = 0x040, kIcr = 0x044,
                        kCc = 0xFC8;
// LCRH
constexpr std::uint32_t kBrk = 1u << 0, kPen = 1u << 1, kEps = 1u << 2, kFen = 1u << 4, kWlen8 = 3u << 5;
// CTL
constexpr std::uint32_t kUartEn = 1u << 0, kEot = 1u << 4, kHse = 1u << 5, kLbe = 1u << 7, kTxe = 1u << 8,
                        kRxe = 1u << 9, kRtsBit = 1u << 11, kRtsEn = 1u << 14, kCtsEn = 1u << 15;
// FR
constexpr std::uint32_t kFrCts = 1u << 0, kFrBusy = 1u << 3, kFrRxfe = 1u << 4, kFrTxff = 1u << 5,
                        kFrTxfe = 1u << 7;
// Interrupts
constexpr std::uint32_t kIntCts = 1u << 1, kIntRx = 1u << 4, kIntTx = 1u << 5, kIntRt = 1u << 6, kIntFe = 1u << 7,
                        kIntPe = 1u << 8, kIntBe = 1u << 9, kIntOe = 1u << 10;
// DR error bits
constexpr std::uint32_t kDrFe = 1u << 8, kDrPe = 1u << 9, kDrBe = 1u << 10, kDrOe = 1u << 11;

// 115200 baud from 120 MHz: BRD = 65.104 -> IBRD 65, FBRD = floor(0.104*64 + 0.5) = 7.
constexpr std::uint32_t kIbrd115k = 65, kFbrd115k = 7;
constexpr std::uint64_t kDiv115k = 64 * kIbrd115k + kFbrd115k;  // 4167
constexpr double kBit115k = 16.0 * kDiv115k / 64.0;              // 1041.75 ticks

class UartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uart.set_sysclk_hz(120'000'000);
    uart.on_tx_frame([this](const SerialFrame& f) { tx.push_back(f); });
  }

  // Fire every event up to t in order (each at its own tick), then stand at t.
  void run_to(Cycles t) { events.run_until(t); }

  // Program divisor and format (LCRH last, so everything latches together), then enable.
  void configure(std::uint32_t lcrh = kWlen8 | kFen, std::uint32_t ctl_extra = 0, std::uint32_t ibrd = kIbrd115k,
                 std::uint32_t fbrd = kFbrd115k) {
    uart.write(kIbrd, ibrd, 4);
    uart.write(kFbrd, fbrd, 4);
    uart.write(kLcrh, lcrh, 4);
    uart.write(kCtl, kUartEn | kTxe | kRxe | ctl_extra, 4);
    t0 = events.now();
    div64 = 64ull * ibrd + fbrd;
  }

  // Independent statement of the enable rule at a 120 MHz UART clock (1 cycle = 1 tick).
  Cycles enable_at(std::uint64_t k) const { return t0 + k * div64 / 64; }
  std::uint64_t first_enable_at_or_after(Cycles t) const {
    std::uint64_t k = 0;
    while (enable_at(k) < t) ++k;
    return k;
  }

  static SerialFrame frame(Cycles start, std::uint8_t data, double bit_ticks, const char* fmt = "8N1") {
    SerialFrame f;
    f.start = start;
    f.bit_ticks = bit_ticks;
    SerialFormat::parse(fmt, f.format);
    f.data = data;
    f.parity_bit = SerialFrame::compute_parity(data, f.format);
    return f;
  }
  // The board's job in these tests: call receive() when each host frame begins.
  void send(const SerialFrame& f) {
    events.schedule_at(f.start, [this, f] { uart.receive(f); });
  }
  // Back-to-back host frames at the host's own bit time; returns the end of the last one.
  Cycles send_stream(Cycles start, const std::vector<std::uint8_t>& data, double bit_ticks, const char* fmt = "8N1") {
    SerialFrame last;
    for (std::size_t i = 0; i < data.size(); ++i) {
      SerialFrame f = frame(0, data[i], bit_ticks, fmt);
      f.start = start + static_cast<Cycles>(std::llround(static_cast<double>(i) * f.format.bits_per_frame() * bit_ticks));
      send(f);
      last = f;
    }
    return last.end();
  }
  std::uint32_t ris() { return uart.read(kRis, 4); }

  EventQueue events;
  UartModel uart{"UART1", events};
  std::vector<SerialFrame> tx;
  Cycles t0 = 0;
  std::uint64_t div64 = 0;
};

// ---- reset and registers ------------------------------------------------------------------------

// facts §3: reset values CTL 0x300, FR 0x90, IFLS 0x12; PrimeCell ID words.
TEST_F(UartTest, ResetValues) {
  EXPECT_EQ(uart.read(kCtl, 4), 0x300u);
  EXPECT_EQ(uart.read(kFr, 4), 0x90u);
  EXPECT_EQ(uart.read(kIfls, 4), 0x12u);
  EXPECT_EQ(uart.read(kLcrh, 4), 0u);
  EXPECT_EQ(uart.read(0xFF0, 4), 0x0Du);
  EXPECT_EQ(uart.read(0xFFC, 4), 0xB1u);
  EXPECT_TRUE(uart.rts().level());  // RTS deasserted (high)
  EXPECT_FALSE(uart.irq().level());
}

// ---- transmit timing ----------------------------------------------------------------------------

// facts §3 (baud): 115200 from 120 MHz is IBRD 65 / FBRD 7; the start bit begins on the first
// enable at/after the write; an 8N1 frame lasts 160 enables = 160*65 + (17 or 18) cycles, exactly.
TEST_F(UartTest, ByteTimingAt115200IsExactToTheCycle) {
  run_to(1000);
  configure();
  run_to(2000);
  uart.write(kDr, 0x55, 4);
  const std::uint64_t k = first_enable_at_or_after(2000);
  const Cycles start = enable_at(k);
  const Cycles end = enable_at(k + 160);
  EXPECT_EQ(start, 2041u);  // k = 16: 1000 + floor(16*4167/64)
  ASSERT_TRUE(tx.empty());
  run_to(start - 1);
  EXPECT_TRUE(tx.empty()) << "start bit reported early";
  EXPECT_NE(uart.read(kFr, 4) & kFrBusy, 0u);  // the character waits in the FIFO
  run_to(start);
  ASSERT_EQ(tx.size(), 1u);
  EXPECT_EQ(tx[0].start, start);
  EXPECT_DOUBLE_EQ(tx[0].bit_ticks, kBit115k);
  EXPECT_EQ(tx[0].data, 0x55);
  EXPECT_EQ(tx[0].format.to_string(), "8N1");
  EXPECT_EQ(tx[0].format.baud, 115191u);  // 120e6*64 / (16*4167), rounded
  EXPECT_TRUE(end - start == 160 * 65 + 17 || end - start == 160 * 65 + 18);
  EXPECT_EQ(end - start, 10418u);
  run_to(end - 1);
  EXPECT_NE(uart.read(kFr, 4) & kFrBusy, 0u);
  run_to(end);
  EXPECT_EQ(uart.read(kFr, 4) & kFrBusy, 0u);
}

// facts §3: back-to-back characters at line rate; 100 bytes take 100 x 10417.5 cycles (+-1).
TEST_F(UartTest, HundredBackToBackBytes) {
  run_to(333);
  // Preload 16 bytes while disabled, then keep the FIFO topped up from the frame callback.
  uart.write(kIbrd, kIbrd115k, 4);
  uart.write(kFbrd, kFbrd115k, 4);
  uart.write(kLcrh, kWlen8 | kFen, 4);
  int next = 0;
  for (; next < 16; ++next) uart.write(kDr, static_cast<std::uint32_t>(next), 4);
  uart.on_tx_frame([&](const SerialFrame&) {
    if (next < 100) uart.write(kDr, static_cast<std::uint32_t>(next++), 4);
  });
  uart.write(kIm, kIntTx, 4);
  uart.write(kCtl, kUartEn | kTxe | kRxe | kEot, 4);
  t0 = events.now();
  div64 = kDiv115k;
  run_to(2'000'000);
  ASSERT_EQ(tx.size(), 100u);
  const std::uint64_t k0 = first_enable_at_or_after(333);
  for (std::size_t i = 0; i < tx.size(); ++i) {
    EXPECT_EQ(tx[i].start, enable_at(k0 + 160 * i)) << i;
    EXPECT_EQ(tx[i].data, static_cast<std::uint8_t>(i));
    if (i > 0) {
      const Cycles gap = tx[i].start - tx[i - 1].start;
      EXPECT_TRUE(gap == 10417 || gap == 10418) << gap;
    }
  }
  const double span = static_cast<double>(tx[99].start - tx[0].start);
  EXPECT_LE(std::fabs(span - 99 * 10417.5), 1.0);
  // The last stop bit ends exactly 16000 enables after the first start bit: 100 x 10417.5 cycles.
  const Cycles end = enable_at(k0 + 16000);
  EXPECT_EQ(end - tx[0].start, 1'041'750u);
  EXPECT_NE(ris() & kIntTx, 0u);  // EOT: the transmitter has drained
  EXPECT_EQ(uart.read(kFr, 4) & kFrBusy, 0u);
}

// Same rule, checked through the EOT interrupt (facts §3: "with EOT=1, when the last stop bit
// leaves the shifter"): TXRIS rises at the exact end of the last character, not a tick before.
TEST_F(UartTest, EotInterruptAtTheLastStopBit) {
  run_to(100);
  configure(kWlen8 | kFen, kEot);
  uart.write(kIm, kIntTx, 4);
  uart.write(kDr, 0x11, 4);
  uart.write(kDr, 0x22, 4);
  const std::uint64_t k = first_enable_at_or_after(100);
  const Cycles first_end = enable_at(k + 160);
  const Cycles end = enable_at(k + 320);
  run_to(first_end);
  EXPECT_EQ(ris() & kIntTx, 0u);  // FIFO emptied long ago, but the shifter is still busy
  run_to(end - 1);
  EXPECT_EQ(ris() & kIntTx, 0u);
  EXPECT_FALSE(uart.irq().level());
  run_to(end);
  EXPECT_NE(ris() & kIntTx, 0u);
  EXPECT_TRUE(uart.irq().level());
  uart.write(kIcr, kIntTx, 4);
  EXPECT_FALSE(uart.irq().level());
}

// facts §3: "IBRD/FBRD/LCRH update together only when LCRH is written".
TEST_F(UartTest, DivisorLatchesOnlyOnLcrhWrite) {
  configure();
  uart.write(kIbrd, 32, 4);  // 230400 baud
  uart.write(kFbrd, 35, 4);
  uart.write(kDr, 0x01, 4);
  run_to(20000);
  ASSERT_EQ(tx.size(), 1u);
  EXPECT_DOUBLE_EQ(tx[0].bit_ticks, kBit115k);  // still the old divisor
  uart.write(kLcrh, kWlen8 | kFen, 4);
  uart.write(kDr, 0x02, 4);
  run_to(40000);
  ASSERT_EQ(tx.size(), 2u);
  EXPECT_DOUBLE_EQ(tx[1].bit_ticks, 16.0 * (64 * 32 + 35) / 64.0);  // 520.75
  EXPECT_EQ(tx[1].start, 20000u);  // the LCRH write is the new phase reference (enable 0)
}

// facts §3 (HSE): ClkDiv 8 - a bit is 8 enables; 115200 = IBRD 130, FBRD 13.
TEST_F(UartTest, HighSpeedEnableUsesEightEnablesPerBit) {
  configure(kWlen8 | kFen, kHse, 130, 13);
  uart.write(kDr, 0xA5, 4);
  ASSERT_EQ(tx.size(), 1u);  // written at T0, an enable: starts at once
  EXPECT_DOUBLE_EQ(tx[0].bit_ticks, 8.0 * 8333 / 64.0);
  EXPECT_EQ(tx[0].start, t0);
  run_to(t0 + 80 * 8333 / 64 - 1);
  EXPECT_NE(uart.read(kFr, 4) & kFrBusy, 0u);
  run_to(t0 + 80 * 8333 / 64);
  EXPECT_EQ(uart.read(kFr, 4) & kFrBusy, 0u);
}

// facts §3 (HSE): the receiver samples every 8 enables and RT comes after 64 bit periods, which is
// again 512 enables after the stop-bit sample (detect, +4, +8 per bit).
TEST_F(UartTest, HighSpeedReceiveAndTimeout) {
  configure(kWlen8 | kFen, kHse, 130, 13);
  const double bit = 8.0 * 8333 / 64.0;
  const Cycles s = 20'011;
  send(frame(s, 0xC5, bit));
  const std::uint64_t kd = first_enable_at_or_after(s);
  const Cycles stop_sample = enable_at(kd + 4 + 8 * 9);
  const Cycles rt = enable_at(kd + 4 + 8 * 9 + 512);
  run_to(stop_sample - 1);
  EXPECT_EQ(uart.rx_fifo_level(), 0u);
  run_to(stop_sample);
  ASSERT_EQ(uart.rx_fifo_level(), 1u);
  run_to(rt - 1);
  EXPECT_EQ(ris() & kIntRt, 0u);
  run_to(rt);
  EXPECT_NE(ris() & kIntRt, 0u);
  EXPECT_EQ(uart.read(kDr, 4), 0xC5u);
}

// facts §3 (CC): CS = 5 clocks the baud generator from PIOSC 16 MHz; ticks = floor(cycles * 7.5).
TEST_F(UartTest, PioscClockSource) {
  uart.write(kCc, 5, 4);
  EXPECT_EQ(uart.uart_clock_hz(), 16'000'000u);
  configure(kWlen8 | kFen, 0, 8, 44);  // 115200 from 16 MHz
  run_to(t0 + 1);
  uart.write(kDr, 0x33, 4);
  run_to(t0 + 30000);
  ASSERT_EQ(tx.size(), 1u);
  // First enable after t0+1: k = 1 at cycle floor(556/64) = 8 -> tick floor(8 * 7.5) = 60.
  EXPECT_EQ(tx[0].start, t0 + 60);
  EXPECT_DOUBLE_EQ(tx[0].bit_ticks, 16.0 * 556 / 64.0 * 7.5);
  uart.set_sysclk_hz(50'000'000);  // sysclk changes do not matter with CS = 5
  EXPECT_EQ(uart.uart_clock_hz(), 16'000'000u);
}

// ---- FIFOs --------------------------------------------------------------------------------------

// facts §3: TX FIFO 16 deep; a write to a full FIFO is lost; FEN = 0 makes it 1 deep.
TEST_F(UartTest, TxFifoDepth) {
  uart.write(kIbrd, kIbrd115k, 4);
  uart.write(kFbrd, kFbrd115k, 4);
  uart.write(kLcrh, kWlen8 | kFen, 4);
  for (int i = 0; i < 17; ++i) {
    EXPECT_EQ((uart.read(kFr, 4) & kFrTxff) != 0, i == 16) << i;
    uart.write(kDr, static_cast<std::uint32_t>(i), 4);
  }
  EXPECT_NE(uart.read(kFr, 4) & kFrTxff, 0u);
  EXPECT_EQ(uart.tx_fifo_level(), 16u);
  run_to(100000);
  EXPECT_TRUE(tx.empty());  // disabled: sends nothing
  uart.write(kCtl, kUartEn | kTxe | kRxe, 4);
  run_to(1'000'000);
  ASSERT_EQ(tx.size(), 16u);
  EXPECT_EQ(tx[15].data, 15);

  tx.clear();
  uart.write(kLcrh, kWlen8, 4);  // FEN = 0
  uart.write(kCtl, 0x300, 4);
  uart.write(kDr, 0xA1, 4);
  EXPECT_NE(uart.read(kFr, 4) & kFrTxff, 0u);
  uart.write(kDr, 0xA2, 4);
  EXPECT_EQ(uart.tx_fifo_level(), 1u);
  uart.write(kCtl, kUartEn | kTxe | kRxe, 4);
  run_to(2'000'000);
  ASSERT_EQ(tx.size(), 1u);
  EXPECT_EQ(tx[0].data, 0xA1);
}

// facts §3: RX FIFO 16 deep (12 bits); FEN = 0 makes it 1 deep; overflow sets OE.
TEST_F(UartTest, RxFifoDepthAndOverrun) {
  configure();
  std::vector<std::uint8_t> data;
  for (int i = 0; i < 17; ++i) data.push_back(static_cast<std::uint8_t>(0x30 + i));
  const Cycles end = send_stream(1000, data, kBit115k);
  run_to(end + 20000);
  EXPECT_EQ(uart.rx_fifo_level(), 16u);
  EXPECT_NE(ris() & kIntOe, 0u);
  const std::uint32_t first = uart.read(kDr, 4);
  EXPECT_EQ(first, 0x30u | kDrOe);  // the next character read carries OE
  EXPECT_EQ(uart.read(kRsr, 4), 0x8u);
  uart.write(kRsr, 0, 4);  // ECR: any write clears
  EXPECT_EQ(uart.read(kRsr, 4), 0u);
  for (int i = 1; i < 16; ++i) EXPECT_EQ(uart.read(kDr, 4), static_cast<std::uint32_t>(0x30 + i));
  EXPECT_NE(uart.read(kFr, 4) & kFrRxfe, 0u);
}

// facts §3: with FEN = 0 the second of two unread characters overruns.
TEST_F(UartTest, OverrunWithoutFifo) {
  configure(kWlen8);
  uart.write(kIm, kIntOe, 4);
  const Cycles end = send_stream(500, {0x41, 0x42}, kBit115k);
  run_to(end + 5000);
  EXPECT_EQ(uart.rx_fifo_level(), 1u);
  EXPECT_NE(ris() & kIntOe, 0u);
  EXPECT_TRUE(uart.irq().level());
  EXPECT_EQ(uart.read(kDr, 4), 0x41u | kDrOe);
  EXPECT_EQ(uart.read(kRsr, 4) & 0x8u, 0x8u);
}

// ---- interrupts ---------------------------------------------------------------------------------

// facts §3 (IFLS TX, transition semantics): TXRIS is set when the TX FIFO level falls from above
// the trigger (2,4,8,12,14) to at/below it; an empty FIFO at enable does not raise it.
TEST_F(UartTest, TxTriggerLevelsFireOnTheTransition) {
  const std::size_t levels[5] = {2, 4, 8, 12, 14};
  for (unsigned sel = 0; sel < 5; ++sel) {
    EventQueue ev;
    UartModel u("UARTx", ev);
    u.set_sysclk_hz(120'000'000);
    u.write(kIbrd, kIbrd115k, 4);
    u.write(kFbrd, kFbrd115k, 4);
    u.write(kLcrh, kWlen8 | kFen, 4);
    u.write(kIfls, (2u << 3) | sel, 4);
    u.write(kIm, kIntTx, 4);
    u.write(kCtl, kUartEn | kTxe | kRxe, 4);
    EXPECT_EQ(u.read(kRis, 4) & kIntTx, 0u) << "empty FIFO at enable must not interrupt";
    u.write(kCtl, 0x300, 4);
    for (int i = 0; i < 16; ++i) u.write(kDr, 0x40, 4);
    ev.advance_to(1000);
    u.write(kCtl, kUartEn | kTxe | kRxe, 4);  // T0 = 1000; character 0 starts at once
    // Character j starts at enable 160j and leaves 15 - j in the FIFO.
    const std::size_t j = 15 - levels[sel];
    const Cycles fire = 1000 + (160 * j) * kDiv115k / 64;
    auto run = [&](Cycles t) {
      for (;;) {
        const Cycles n = ev.next_time();
        if (n == kNever || n > t) break;
        ev.advance_to(n);
        ev.run_due();
      }
      ev.advance_to(t);
      ev.run_due();
    };
    run(fire - 1);
    EXPECT_EQ(u.read(kRis, 4) & kIntTx, 0u) << "sel " << sel;
    EXPECT_EQ(u.tx_fifo_level(), levels[sel] + 1);
    run(fire);
    EXPECT_NE(u.read(kRis, 4) & kIntTx, 0u) << "sel " << sel;
    EXPECT_TRUE(u.irq().level());
    // Writing data that lifts the level above the trigger clears it again.
    u.write(kDr, 0x41, 4);
    EXPECT_EQ(u.read(kRis, 4) & kIntTx, 0u);
    EXPECT_FALSE(u.irq().level());
    // ... and the next start brings it back down through the level.
    run(1000 + (160 * (j + 1)) * kDiv115k / 64);
    EXPECT_NE(u.read(kRis, 4) & kIntTx, 0u);
    u.write(kIcr, kIntTx, 4);
    EXPECT_EQ(u.read(kRis, 4) & kIntTx, 0u);
  }
}

// facts §3: with FEN = 0 the TX interrupt fires when the holding register empties.
TEST_F(UartTest, TxInterruptWithoutFifo) {
  configure(kWlen8);
  uart.write(kIm, kIntTx, 4);
  EXPECT_EQ(ris() & kIntTx, 0u);
  uart.write(kDr, 0x10, 4);  // configure() left now == T0, an enable: it starts at once
  EXPECT_NE(ris() & kIntTx, 0u);
  EXPECT_EQ(tx.size(), 1u);
  uart.write(kDr, 0x11, 4);  // holding register full again
  EXPECT_EQ(ris() & kIntTx, 0u);
}

// facts §3 (IFLS RX): RXRIS when the RX FIFO reaches >= 2,4,8,12,14; cleared when it falls below.
TEST_F(UartTest, RxTriggerLevels) {
  const std::size_t levels[5] = {2, 4, 8, 12, 14};
  for (unsigned sel = 0; sel < 5; ++sel) {
    uart.reset();
    tx.clear();
    configure();
    uart.write(kIfls, (sel << 3) | 2u, 4);
    uart.write(kIm, kIntRx, 4);
    const Cycles base = events.now() + 1000;
    std::vector<std::uint8_t> data(levels[sel] - 1, 0x5A);
    Cycles end = send_stream(base, data, kBit115k);
    run_to(end + 2000);
    EXPECT_EQ(uart.rx_fifo_level(), levels[sel] - 1);
    EXPECT_EQ(ris() & kIntRx, 0u) << "sel " << sel;
    end = send_stream(end + 3000, {0x5B}, kBit115k);
    run_to(end + 2000);
    EXPECT_NE(ris() & kIntRx, 0u) << "sel " << sel;
    EXPECT_TRUE(uart.irq().level());
    uart.read(kDr, 4);
    EXPECT_EQ(ris() & kIntRx, 0u);
    EXPECT_FALSE(uart.irq().level());
    while (uart.rx_fifo_level()) uart.read(kDr, 4);
  }
}

// facts §3: with FEN = 0, any character raises RXRIS.
TEST_F(UartTest, RxInterruptWithoutFifo) {
  configure(kWlen8);
  const Cycles end = send_stream(1000, {0x61}, kBit115k);
  run_to(end);
  EXPECT_NE(ris() & kIntRx, 0u);
  EXPECT_EQ(uart.read(kDr, 4), 0x61u);
  EXPECT_EQ(ris() & kIntRx, 0u);
}

// facts §3: "RT: RX FIFO non-empty and no new character for 32 bit periods" - 512 enables after the
// stop-bit sample of the last character (detect at the first enable at/after the start edge, check
// at +8, stop sampled at +8+9*16). Fires at exactly that tick, not one before.
TEST_F(UartTest, ReceiveTimeoutAtTheExactTick) {
  run_to(777);
  configure();
  uart.write(kIm, kIntRt, 4);
  const Cycles s = 50'123;
  send(frame(s, 0x42, kBit115k));
  const std::uint64_t kd = first_enable_at_or_after(s);
  const Cycles stop_sample = enable_at(kd + 8 + 16 * 9);
  const Cycles rt = enable_at(kd + 8 + 16 * 9 + 512);
  run_to(stop_sample - 1);
  EXPECT_EQ(uart.rx_fifo_level(), 0u);
  run_to(stop_sample);
  EXPECT_EQ(uart.rx_fifo_level(), 1u);  // enters the FIFO at the stop-bit sample
  run_to(rt - 1);
  EXPECT_EQ(ris() & kIntRt, 0u) << "RT one tick early";
  run_to(rt);
  EXPECT_NE(ris() & kIntRt, 0u);
  EXPECT_TRUE(uart.irq().level());
  EXPECT_EQ(rt - stop_sample, 33336u);  // 32 bits x 1041.75 ticks, whatever the phase
  // Emptying the FIFO clears RT.
  EXPECT_EQ(uart.read(kDr, 4), 0x42u);
  EXPECT_EQ(ris() & kIntRt, 0u);
  EXPECT_FALSE(uart.irq().level());
}

// facts §3: RT is cleared by ICR, and a read before the timeout prevents it.
TEST_F(UartTest, ReceiveTimeoutClearedByIcrAndRestartedByNewCharacters) {
  configure();
  const Cycles end = send_stream(1000, {0x01, 0x02}, kBit115k);
  run_to(end + 40'000);
  EXPECT_NE(ris() & kIntRt, 0u);
  uart.write(kIcr, kIntRt, 4);
  EXPECT_EQ(ris() & kIntRt, 0u);
  run_to(end + 200'000);
  EXPECT_EQ(ris() & kIntRt, 0u);  // no new character: it does not come back
  uart.read(kDr, 4);
  uart.read(kDr, 4);
  const Cycles end2 = send_stream(end + 300'000, {0x03}, kBit115k);
  run_to(end2 + 10'000);
  uart.read(kDr, 4);  // read before the timeout
  run_to(end2 + 100'000);
  EXPECT_EQ(ris() & kIntRt, 0u);
}

// ---- receive: sampling the waveform -------------------------------------------------------------

// facts §3 / serial_frame.h: a frame at the UART's own baud is received intact.
TEST_F(UartTest, ReceivesFramesAtTheSameBaud) {
  configure();
  const std::vector<std::uint8_t> data = {0x00, 0xFF, 0x55, 0xAA, 0x01, 0x80, 0x7E, 0x3C,
                                          0xC3, 0x10, 0x08, 0xEF, 0x9A, 0x42, 0x24, 0x99};
  const Cycles end = send_stream(12'345, data, kBit115k);
  run_to(end + 20000);
  ASSERT_EQ(uart.rx_fifo_level(), data.size());
  for (std::uint8_t d : data) EXPECT_EQ(uart.read(kDr, 4), d);
  EXPECT_EQ(ris() & (kIntFe | kIntPe | kIntBe | kIntOe), 0u);
}

// Rule: a receiver sampling mid-bit tolerates +-3% baud error on back-to-back frames.
TEST_F(UartTest, ToleratesThreePercentBaudError) {
  for (double factor : {1.03, 0.97}) {
    uart.reset();
    configure();
    const std::vector<std::uint8_t> data = {0x00, 0xFF, 0x55, 0xAA, 0x01, 0x80, 0x7F, 0xFE,
                                            0x0F, 0xF0, 0x33, 0xCC, 0x5A, 0xA5, 0x11, 0xEE};
    const Cycles end = send_stream(events.now() + 999, data, kBit115k / factor);
    run_to(end + 20000);
    ASSERT_EQ(uart.rx_fifo_level(), data.size()) << factor;
    for (std::uint8_t d : data) EXPECT_EQ(uart.read(kDr, 4), d) << factor;
    EXPECT_EQ(ris() & (kIntFe | kIntPe | kIntBe | kIntOe), 0u) << factor;
  }
}

// Rule: at +-8% the stop-bit sample falls outside the stop bit: framing errors.
TEST_F(UartTest, EightPercentBaudErrorGivesFramingErrors) {
  // Host 8% slow: the stop sample lands on data bit 7 (0 for 0x55).
  configure();
  Cycles end = send_stream(1000, {0x55}, kBit115k / 0.92);
  run_to(end + 20000);
  ASSERT_EQ(uart.rx_fifo_level(), 1u);
  std::uint32_t c = uart.read(kDr, 4);
  EXPECT_NE(c & kDrFe, 0u);
  EXPECT_NE(ris() & kIntFe, 0u);
  EXPECT_EQ(uart.read(kRsr, 4) & 0x1u, 0x1u);

  // Host 8% fast, streaming: the stop sample lands on the next start bit.
  uart.reset();
  configure();
  end = send_stream(events.now() + 1000, {0x55, 0x55, 0x55, 0x55}, kBit115k / 1.08);
  run_to(end + 20000);
  ASSERT_GE(uart.rx_fifo_level(), 1u);
  c = uart.read(kDr, 4);
  EXPECT_NE(c & kDrFe, 0u);
  EXPECT_NE(ris() & kIntFe, 0u);
}

// Rule: a format mismatch gives the data real hardware would read (7N1 sent, 8N1 expected: the
// 8th data sample is the sender's stop bit).
TEST_F(UartTest, FormatMismatchGivesWrongData) {
  configure();
  const Cycles end = send_stream(1000, {0x41}, kBit115k, "7N1");
  run_to(end + 20000);
  ASSERT_EQ(uart.rx_fifo_level(), 1u);
  EXPECT_EQ(uart.read(kDr, 4), 0xC1u);
}

// facts §3: PE on parity mismatch (8E1 configured), in DR b9, RSR b1 and RIS.PE.
TEST_F(UartTest, ParityError) {
  configure(kWlen8 | kFen | kPen | kEps);
  SerialFrame good = frame(1000, 0x37, kBit115k, "8E1");
  SerialFrame bad = frame(1000 + 12000, 0x37, kBit115k, "8E1");
  bad.parity_bit = !bad.parity_bit;
  send(good);
  send(bad);
  run_to(40000);
  ASSERT_EQ(uart.rx_fifo_level(), 2u);
  EXPECT_EQ(uart.read(kDr, 4), 0x37u);
  EXPECT_EQ(uart.read(kRsr, 4), 0u);
  EXPECT_EQ(uart.read(kDr, 4), 0x37u | kDrPe);
  EXPECT_EQ(uart.read(kRsr, 4), 0x2u);
  EXPECT_NE(ris() & kIntPe, 0u);
  EXPECT_EQ(ris() & kIntFe, 0u);
}

// facts §3: a break (line low for longer than a character) gives one 0 character with BE and FE;
// the receiver then waits for the line to return high before the next start bit.
TEST_F(UartTest, BreakReceivedAsOneCharacter) {
  configure();
  uart.write(kIm, kIntBe, 4);
  SerialFrame brk;
  brk.start = 2000;
  brk.is_break = true;
  brk.break_ticks = 35000;  // ~3.4 characters
  brk.bit_ticks = kBit115k;
  send(brk);
  const Cycles end = send_stream(brk.end() + 3000, {0x6B}, kBit115k);
  run_to(end + 20000);
  ASSERT_EQ(uart.rx_fifo_level(), 2u);
  EXPECT_EQ(uart.read(kDr, 4), kDrBe | kDrFe);
  EXPECT_EQ(uart.read(kRsr, 4), 0x5u);  // FE | BE
  EXPECT_EQ(uart.read(kDr, 4), 0x6Bu);
  EXPECT_NE(ris() & kIntBe, 0u);
  EXPECT_TRUE(uart.irq().level());
}

// Rule (PL011 start-bit check): a low pulse shorter than half a bit is a glitch, not a character.
TEST_F(UartTest, GlitchIsNotACharacter) {
  configure();
  SerialFrame glitch = frame(3000, 0xFF, 200.0);  // start bit 200 ticks, then high
  send(glitch);
  run_to(40000);
  EXPECT_EQ(uart.rx_fifo_level(), 0u);
  // The receiver is hunting again.
  const Cycles end = send_stream(50000, {0x12}, kBit115k);
  run_to(end + 20000);
  ASSERT_EQ(uart.rx_fifo_level(), 1u);
  EXPECT_EQ(uart.read(kDr, 4), 0x12u);
}

// facts §3: frames are ignored while UARTEN or RXE is 0.
TEST_F(UartTest, DisabledReceiverIgnoresFrames) {
  configure();
  uart.write(kCtl, kUartEn | kTxe, 4);  // RXE = 0
  Cycles end = send_stream(1000, {0x31}, kBit115k);
  run_to(end + 20000);
  EXPECT_EQ(uart.rx_fifo_level(), 0u);
  uart.write(kCtl, kTxe | kRxe, 4);  // UARTEN = 0
  end = send_stream(events.now() + 1000, {0x32}, kBit115k);
  run_to(end + 20000);
  EXPECT_EQ(uart.rx_fifo_level(), 0u);
}

// Rule: a newer frame wins from its start (overlapping host frames).
TEST_F(UartTest, OverlappingFrameWinsFromItsStart) {
  configure();
  send(frame(1000, 0x00, kBit115k));
  // Starts at bit 5 of the first (while the first is still being sampled): the receiver's
  // remaining samples read the new frame's start bit and data.
  send(frame(1000 + 5 * 1042, 0xFF, kBit115k));
  run_to(60000);
  ASSERT_GE(uart.rx_fifo_level(), 1u);
  const std::uint32_t c = uart.read(kDr, 4);
  // Bits 0..3 from the first frame (0), bit 4 in the new start bit (0), bits 5..7 = new data (1),
  // stop = new data bit 3 (1).
  EXPECT_EQ(c, 0xE0u);
}

// ---- transmit: break, flow control, loopback, reset ----------------------------------------------

// facts §3 (LCRH.BRK): TX held low while BRK is set; reported as one break frame when cleared.
TEST_F(UartTest, TransmitBreak) {
  configure();
  run_to(5000);
  uart.write(kLcrh, kWlen8 | kFen | kBrk, 4);  // new phase reference: the break starts now
  EXPECT_NE(uart.read(kFr, 4) & kFrBusy, 0u);
  uart.write(kDr, 0x77, 4);  // held while the break lasts
  run_to(40000);
  EXPECT_TRUE(tx.empty());
  uart.write(kLcrh, kWlen8 | kFen, 4);
  ASSERT_GE(tx.size(), 1u);
  EXPECT_TRUE(tx[0].is_break);
  EXPECT_EQ(tx[0].start, 5000u);
  EXPECT_EQ(tx[0].break_ticks, 35000u);
  ASSERT_EQ(tx.size(), 2u);  // the waiting character starts at the new enable 0
  EXPECT_EQ(tx[1].data, 0x77);
  EXPECT_EQ(tx[1].start, 40000u);
}

// facts §3 (CTSEN): no new character starts while CTS is deasserted; FR.CTS and RIS.CTS follow.
TEST_F(UartTest, CtsFlowControlGatesTransmit) {
  configure(kWlen8 | kFen, kCtsEn);
  EXPECT_EQ(uart.read(kFr, 4) & kFrCts, 0u);  // pin high: deasserted
  uart.write(kDr, 0x01, 4);
  uart.write(kDr, 0x02, 4);
  run_to(30000);
  EXPECT_TRUE(tx.empty());
  uart.set_cts(false);  // asserted (active low)
  EXPECT_NE(uart.read(kFr, 4) & kFrCts, 0u);
  EXPECT_NE(ris() & kIntCts, 0u);
  const std::uint64_t k = first_enable_at_or_after(30000);
  run_to(enable_at(k));
  ASSERT_EQ(tx.size(), 1u);
  EXPECT_EQ(tx[0].start, enable_at(k));
  uart.set_cts(true);  // deassert mid-character: it completes, the next one waits
  run_to(enable_at(k + 1000));
  EXPECT_EQ(tx.size(), 1u);
  uart.set_cts(false);
  run_to(enable_at(k + 2000));
  ASSERT_EQ(tx.size(), 2u);
  EXPECT_EQ(tx[1].data, 0x02);
}

// facts §3 (RTS, RTSEN): CTL.RTS drives UnRTS low; with RTSEN it follows the RX FIFO trigger.
TEST_F(UartTest, RtsOutput) {
  configure(kWlen8 | kFen, kRtsBit);
  EXPECT_FALSE(uart.rts().level());  // asserted
  uart.write(kCtl, kUartEn | kTxe | kRxe, 4);
  EXPECT_TRUE(uart.rts().level());
  uart.write(kCtl, kUartEn | kTxe | kRxe | kRtsEn, 4);
  EXPECT_FALSE(uart.rts().level());  // room below the trigger (8)
  std::vector<std::uint8_t> data(8, 0x20);
  const Cycles end = send_stream(events.now() + 100, data, kBit115k);
  run_to(end + 5000);
  EXPECT_TRUE(uart.rts().level());  // 8 characters: deasserted
  uart.read(kDr, 4);
  EXPECT_FALSE(uart.rts().level());
}

// facts §3 (LBE): loopback feeds TX into RX.
TEST_F(UartTest, LoopbackReceivesOwnTransmission) {
  configure(kWlen8 | kFen, kLbe);
  uart.write(kDr, 0x9C, 4);
  run_to(30000);
  ASSERT_EQ(uart.rx_fifo_level(), 1u);
  EXPECT_EQ(uart.read(kDr, 4), 0x9Cu);
}

// Rule (MmioDevice::reset): reset cancels every pending event; a UART in reset sends nothing.
TEST_F(UartTest, ResetCancelsPendingWork) {
  run_to(10);
  configure();
  run_to(11);
  uart.write(kDr, 0x01, 4);  // start scheduled at the next enable
  send(frame(20, 0x02, kBit115k));
  run_to(50);  // TX start and RX start-bit detection both pending at enable 1 (tick 75)
  uart.reset();
  EXPECT_TRUE(events.empty());
  run_to(100000);
  EXPECT_TRUE(tx.empty());
  EXPECT_EQ(uart.rx_fifo_level(), 0u);
  EXPECT_EQ(uart.read(kFr, 4), 0x90u);
  EXPECT_EQ(uart.read(kCtl, 4), 0x300u);
}

// facts §3: MIS = RIS & IM, ICR write-1-clear, irq follows MIS.
TEST_F(UartTest, MaskedStatusAndIrqLine) {
  configure();
  const Cycles end = send_stream(1000, {0x01, 0x02}, kBit115k);
  run_to(end + 40000);
  EXPECT_EQ(ris() & (kIntRt), kIntRt);
  EXPECT_EQ(uart.read(kMis, 4), 0u);
  EXPECT_FALSE(uart.irq().level());
  uart.write(kIm, kIntRt, 4);
  EXPECT_EQ(uart.read(kMis, 4), kIntRt);
  EXPECT_TRUE(uart.irq().level());
  uart.write(kIm, 0, 4);
  EXPECT_FALSE(uart.irq().level());
}

// facts §3 LCRH: WLEN 5..8 data bits, PEN/EPS/SPS parity (none, odd, even, mark = 1, space = 0),
// STP2 two stop bits. Every combination: the transmitted frame has the format, parity bit and
// length (bits × 16 enables) it should, and a host frame in the same format is received intact.
TEST_F(UartTest, AllFrameFormatsTransmitAndReceive) {
  constexpr std::uint32_t kStp2 = 1u << 3, kSps = 1u << 7;
  const char parities[] = {'N', 'O', 'E', 'M', 'S'};
  int checked = 0;
  for (unsigned bits = 5; bits <= 8; ++bits) {
    for (char parity : parities) {
      for (unsigned stop = 1; stop <= 2; ++stop) {
        std::uint32_t lcrh = ((bits - 5) << 5) | kFen | (stop == 2 ? kStp2 : 0);
        if (parity == 'O') lcrh |= kPen;
        if (parity == 'E') lcrh |= kPen | kEps;
        if (parity == 'M') lcrh |= kPen | kSps;             // stick parity, EPS = 0 → always 1
        if (parity == 'S') lcrh |= kPen | kSps | kEps;      // stick parity, EPS = 1 → always 0
        uart.reset();
        uart.set_sysclk_hz(120'000'000);
        tx.clear();
        configure(lcrh);
        const std::uint8_t value = std::uint8_t(0xA5 & ((1u << bits) - 1));
        uart.write(kDr, value, 4);
        run_to(events.now() + 40'000);
        ASSERT_EQ(tx.size(), 1u) << bits << parity << stop;
        const SerialFrame& f = tx[0];
        EXPECT_EQ(f.format.data_bits, bits);
        EXPECT_EQ(f.format.parity, parity);
        EXPECT_EQ(f.format.stop_bits, stop);
        EXPECT_EQ(f.data, value);
        if (parity != 'N') {
          EXPECT_EQ(f.parity_bit, SerialFrame::compute_parity(value, f.format)) << parity;
        }
        if (parity == 'M') {
          EXPECT_TRUE(f.parity_bit);
        }
        if (parity == 'S') {
          EXPECT_FALSE(f.parity_bit);
        }
        const unsigned frame_bits = 1 + bits + (parity != 'N') + stop;
        EXPECT_NEAR(double(f.end() - f.start), frame_bits * kBit115k, 1.0) << bits << parity << stop;

        // The same format from the host side is received without errors.
        char fmt[4] = {char('0' + bits), parity, char('0' + stop), 0};
        SerialFrame in = frame(events.now() + 100, std::uint8_t(0x5A & ((1u << bits) - 1)), kBit115k, fmt);
        in.parity_bit = SerialFrame::compute_parity(in.data, in.format);
        send(in);
        run_to(in.end() + 50'000);
        ASSERT_EQ(uart.rx_fifo_level(), 1u) << fmt;
        EXPECT_EQ(uart.read(kDr, 4), std::uint32_t(in.data)) << fmt << ": no error bits, same data";
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 4 * 5 * 2);
}

}  // namespace
}  // namespace k7sim
