// The module UART as verilated RTL (peripherals/rtl/uart_pl011.sv), behind the same interface as
// the C++ model UartModel, so the board can use either. In addition it has a bit-level line
// interface: set_rx_line() drives the RX pin, on_tx_line() reports every TX edge at its tick.
//
// Time: the RTL is clocked with the UART clock, but only at the edges that matter: the baud enables
// at which something acts (TX bit boundaries, RX start detection and samples, the receive-timeout
// expiry), changes of the RX line the receiver waits for, register accesses, CTS changes and phase
// changes. Each edge carries the UART-clock cycles since the previous one; the RTL counts the
// enables passed in them (those before the edge only move counters), reports the cycles to the
// next enable at which something acts, and the wrapper schedules that tick on the EventQueue.
// While the RTL reports `quiet` (nothing in flight, nothing counting) and the RX line is idle, no
// edge is scheduled at all; the next access or RX frame loads the baud phase of that moment in one
// `skip` edge (fast-forward). See docs/board.md "UART RTL".
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "emulator/event_queue.h"
#include "emulator/line.h"
#include "emulator/mmio.h"
#include "peripherals/serial_frame.h"
#include "peripherals/uart_device.h"

namespace k7sim {

class UartRtl : public UartDevice {
 public:
  // How the RTL is clocked. All three give identical results; FastForward is the fast one.
  enum class Clocking {
    EveryCycle,   // an edge at every UART-clock cycle (reference, slow)
    TickOnly,     // an edge at every baud enable, accesses in between
    FastForward,  // edges only at the enables where something acts; none while the RTL is quiet
  };
  static constexpr std::uint64_t kPioscHz = 16'000'000;

  // With `trace_vcd`, the RTL is the build with Verilator's trace code and writes every internal
  // signal to that VCD file (time in ps of virtual time since the board started); otherwise it is
  // the build without any trace code (the fast one).
  UartRtl(std::string name, EventQueue& events, Clocking clocking = Clocking::FastForward,
          const std::string& trace_vcd = "");
  ~UartRtl() override;
  UartRtl(const UartRtl&) = delete;
  UartRtl& operator=(const UartRtl&) = delete;

  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
  // Registers, FIFOs and shifters back to reset; the CTS input, the RX line and sysclk are kept.
  void reset() override;

  void set_sysclk_hz(std::uint64_t hz) override;
  std::uint64_t uart_clock_hz() const;

  // on_tx_frame(), as UartModel: a character is reported at the tick its start bit begins, a
  // break when LCRH.BRK is cleared (start tick and length).
  // A host frame on RX beginning at frame.start (>= now): its waveform drives the RX pin. As with
  // UartModel, a frame is ignored (the pin stays idle) when it arrives while the receiver is off
  // (UARTEN or RXE = 0) or in loopback.
  void receive(const SerialFrame& frame) override;
  // The RX pin as a waveform (the host's bit-level line): unlike receive(), nothing is filtered;
  // the pin simply carries these levels, whatever the receiver's state.
  bool drive_rx_line(const std::vector<LineEdge>& edges) override;
  // Drive the RX pin to `level` from now on (replaces any frame still on the line).
  void set_rx_line(bool level);
  // Every change of the TX pin, at the tick it happens.
  void on_tx_line(std::function<void(bool level, Cycles at)> fn) { tx_line_cbs_.push_back(std::move(fn)); }

  Line& irq() override { return irq_; }
  Line& rts() override { return rts_; }
  void set_cts(bool pin_level) override;

  bool tx_level() const { return txd_; }
  Clocking clocking() const { return clocking_; }
  std::uint64_t edges() const { return edges_; }  // clock edges given to the RTL so far

  struct Model;  // the verilated model's ports (uart_rtl.cpp)

 private:
  // A baud-enable grid: phase reference, UART clock, and the UART cycle of the last edge on it.
  struct Grid {
    Cycles t0 = 0;
    std::uint64_t clk_hz = 16'000'000;
    std::uint64_t c_last = 0;
    Cycles tick_of(std::uint64_t c) const;
    std::uint64_t cycle_at(Cycles t) const;    // last UART cycle at or before tick t
    std::uint64_t cycle_ceil(Cycles t) const;  // first UART cycle at or after tick t
  };
  // Work that began on an earlier grid keeps it: the TX character, the RX character, the timeout.
  static constexpr int kSlots = 3;
  struct Edge {
    bool tick = false;
    std::uint64_t cycles = 0;
    bool slot_tick[kSlots] = {};
    std::uint64_t slot_cycles[kSlots] = {};
    bool phase_rst = false;
    bool past = false;
    bool slot_past[kSlots] = {};
    bool skip = false;
    std::uint32_t skip_frac = 0;
    std::uint64_t skip_cnt = 0;
    bool rd = false, wr = false;
    std::uint32_t addr = 0, wdata = 0;
    bool rst = false;
  };
  // An edge at now(): the cycles since the last edge on both grids; with allow_tick, an enable
  // due now is part of it (timer edges), otherwise it follows at once (accesses come first).
  Edge timed_edge(bool allow_tick);
  // One posedge of the RTL at now(); returns rdata as it was before the edge.
  std::uint32_t edge(const Edge& e);
  void after_edge();
  void run_due();  // enables due before now whose events have not run yet
  void wake();     // leave fast-forward: load the baud phase of now
  void schedule_next();
  void on_timer();
  std::uint32_t comb_read(std::uint32_t word);  // register value now, without a clock edge
  bool rx_level_at(Cycles t) const;
  bool rx_settled() const;
  Cycles next_rx_change(Cycles t) const;  // the RX line is high now and stays high unless told otherwise
  std::uint64_t div64() const;
  bool slot_active(int i) const;
  std::uint64_t slot_cnt(int i) const;
  std::uint64_t slot_act(int i) const;
  Cycles now() const { return now_override_ != kNever ? now_override_ : events_.now(); }

  std::string name_;
  EventQueue& events_;
  Clocking clocking_;
  std::unique_ptr<Model> m_;
  bool traced_ = false;

  std::uint64_t sysclk_hz_ = 16'000'000;
  Grid cur_;  // the grid in force
  Grid slot_[kSlots];  // the grids of the TX character, RX character and timeout in flight
  bool sleeping_ = false;
  EventId timer_ = kNoEvent;
  Cycles timer_at_ = 0;
  Cycles now_override_ = kNever;  // the tick of an overdue edge being caught up
  std::vector<EventId> wakes_;  // wake-ups at the start of frames still to come
  std::uint64_t edges_ = 0;
  bool cts_pin_ = true;
  std::uint64_t prev_div64_ = 0, prev_clk_hz_ = 0;  // divisor and clock before the last edge

  // RX line: segments, each either a frame (from frame.start) or a constant level.
  struct Segment {
    Cycles start;
    bool is_frame;
    bool level;
    SerialFrame frame;
  };
  std::vector<Segment> rx_;

  bool txd_ = true;
  bool in_break_ = false;
  Cycles break_start_ = 0;

  Line irq_;
  Line rts_;
  std::vector<std::function<void(bool, Cycles)>> tx_line_cbs_;
};

}  // namespace k7sim
