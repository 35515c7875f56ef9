// TM4C1294 UART (ARM PL011 derivative), the fast C++ model: character-level events whose start,
// sample and stop times are computed exactly from the fractional baud divisor, so the firmware sees
// the same FIFO levels and interrupt times as on the part, without an event per bit.
//
// Time base: the PL011 baud generator emits "enable" pulses (Baud16, or Baud8 with HSE). Enable k
// falls at UART-clock cycle floor(k * DIV64 / 64) after the phase reference T0, DIV64 = 64*IBRD +
// FBRD; a tick is floor(cycles * kTickHz / uartclk). A bit lasts 16 enables (8 with HSE). Every TX
// edge and RX sample in this model is on one of these enables. See docs/board.md.
//
// The board connects: on_tx_frame() -> the serial line/pad, receive() <- host frames on RX,
// irq() -> NVIC, rts()/set_cts() <- -> module pins, set_sysclk_hz() <- SysCtl::on_sysclk_change.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "emulator/event_queue.h"
#include "emulator/line.h"
#include "emulator/mmio.h"
#include "emulator/register_bank.h"
#include "peripherals/serial_frame.h"
#include "peripherals/uart_device.h"

namespace k7sim {

class UartModel : public UartDevice {
 public:
  static constexpr std::size_t kFifoDepth = 16;
  static constexpr std::uint64_t kPioscHz = 16'000'000;
  static constexpr std::uint64_t kRtEnables = 512;  // 32 bit periods (64 with HSE)

  UartModel(std::string name, EventQueue& events);

  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
  // Registers, FIFOs, shifters and every pending event back to reset. The CTS input and the
  // system clock (both come from outside) are kept.
  void reset() override;

  // System clock in Hz (the board forwards every SysCtl change). Default: PIOSC, 16 MHz.
  void set_sysclk_hz(std::uint64_t hz) override;
  // The clock of the baud generator: sysclk (CC.CS=0) or PIOSC 16 MHz (CC.CS=5).
  std::uint64_t uart_clock_hz() const;

  // on_tx_frame(): characters are reported at the tick their start bit begins (frame.start ==
  // now); a break is reported when LCRH.BRK is cleared, with the tick it began and its length.
  // A host frame on RX, beginning now. Sampled like the PL011 receiver (see the class comment).
  void receive(const SerialFrame& frame) override;

  Line& irq() override { return irq_; }  // (RIS & IM) != 0
  Line& rts() override { return rts_; }  // UnRTS pin level (active low)
  // UnCTS pin level (active low). Defaults to high (deasserted) until the board drives it.
  void set_cts(bool pin_level) override;

  // State for the board, the harness and tests.
  std::size_t tx_fifo_level() const { return tx_fifo_.size(); }
  std::size_t rx_fifo_level() const { return rx_fifo_.size(); }
  bool tx_busy() const { return tx_state_ != TxState::Idle || !tx_fifo_.empty(); }
  // The active format (LCRH and the divisor latched with it); baud is the effective rate rounded.
  SerialFormat format() const;
  double bit_ticks() const;  // one bit of the active configuration, in ticks
  Cycles phase_reference() const { return grid_.t0; }
  Cycles enable_tick(std::uint64_t k) const { return grid_.tick(k); }  // enable k of the active grid

 private:
  // The baud-enable grid: when enable k happens, for the divisor and clock in force.
  struct Grid {
    Cycles t0 = 0;
    std::uint64_t div64 = 0;  // 64*IBRD + FBRD
    std::uint64_t clk_hz = 0;
    bool valid() const { return div64 >= 64 && clk_hz > 0; }  // IBRD = 0 stops the generator
    Cycles tick(std::uint64_t k) const;
    std::uint64_t first_at_or_after(Cycles t) const;  // smallest k with tick(k) >= t
  };
  enum class TxState { Idle, Char, Break };
  enum class RxState { Idle, Sampling, WaitMark };

  void define_registers();
  std::uint32_t reg(std::uint32_t offset) const;
  unsigned enables_per_bit() const;
  std::size_t capacity() const;
  std::size_t tx_trigger() const;
  std::size_t rx_trigger() const;
  SerialFormat format_for(std::uint32_t lcrh, const Grid& g) const;
  std::uint32_t read_fr() const;
  void write_lcrh(std::uint32_t value);
  void write_ctl(std::uint32_t value);
  void rebuild_grid();
  void timing_changed();
  void emit(const SerialFrame& f);
  static constexpr Cycles kOpenBreak = Cycles{1} << 60;  // a break whose end is not known yet
  void loop_break(Cycles start, Cycles length);

  // TX
  void push_tx(std::uint8_t data);
  void replan_tx();
  void start_tx(const Grid& g, std::uint64_t k);
  void end_tx();
  void end_break();
  bool tx_allowed() const;

  // RX
  bool rx_enabled() const;
  void accept_frame(const SerialFrame& f);
  bool line_level(Cycles t) const;
  void hunt(Cycles from);
  void detect(const Grid& g, std::uint64_t k);
  void start_check();
  void finish_char();
  void wait_mark(Cycles from);
  void push_rx(std::uint16_t ch, const Grid& g, std::uint64_t k_stop);
  std::uint32_t pop_rx();

  void update_rts();
  void update_irq();

  std::string name_;
  EventQueue& events_;
  RegisterBank bank_;

  std::uint64_t sysclk_hz_ = 16'000'000;
  std::uint32_t ibrd_latched_ = 0, fbrd_latched_ = 0;  // the divisor in force (latched by LCRH)
  Cycles lcrh_tick_ = 0, enable_tick_ = 0, clock_tick_ = 0;
  Grid grid_;

  std::uint32_t ris_ = 0;
  std::uint32_t rsr_ = 0;
  bool cts_asserted_ = false;

  std::deque<std::uint8_t> tx_fifo_;
  TxState tx_state_ = TxState::Idle;
  EventId tx_start_ev_ = kNoEvent;
  EventId tx_end_ev_ = kNoEvent;
  Cycles break_start_ = 0;

  std::deque<std::uint16_t> rx_fifo_;
  bool overrun_pending_ = false;
  RxState rx_state_ = RxState::Idle;
  std::vector<SerialFrame> rx_line_;  // the RX waveform: each frame holds the line from its start
  EventId rx_ev_ = kNoEvent;
  EventId rt_ev_ = kNoEvent;
  Grid rx_grid_;                // grid of the character being sampled
  std::uint64_t rx_k_ = 0;      // enable at which its start bit was detected
  unsigned rx_eb_ = 16;         // enables per bit for it
  std::uint32_t rx_lcrh_ = 0;   // format for it

  Line irq_;
  Line rts_;
  void notify_rx(std::uint16_t ch, bool lost);
};

}  // namespace k7sim
