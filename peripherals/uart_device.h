// What the board needs from a module UART, whichever model implements it: the C++ model
// (UartModel, byte-level events) or the SystemVerilog RTL under Verilator (UartRtl, bit-level).
// A scenario picks one with `serial: {model: fast|rtl}`; the board wires either the same way.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "emulator/line.h"
#include "emulator/mmio.h"
#include "peripherals/serial_frame.h"

namespace k7sim {

// One level change of a serial line: from `at` on, the line is at `level` (true = mark/idle).
struct LineEdge {
  Cycles at = 0;
  bool level = true;
};

// What the receiver made of one character when its stop bit was sampled: the data and the
// status bits of its RX FIFO entry, or that it was lost because the FIFO was full.
struct UartRxStatus {
  Cycles at = 0;          // the edge/event at which the character was complete
  std::uint8_t data = 0;
  bool framing = false;   // FE: the stop bit sampled low
  bool parity = false;    // PE
  bool brk = false;       // BE: every sample low (FE is set with it, as on the PL011)
  bool overrun = false;   // lost: the RX FIFO was full (the next character read carries OE)

  // From a receive-FIFO entry as UARTDR holds it: data [7:0], FE bit 8, PE bit 9, BE bit 10.
  static UartRxStatus from_fifo_entry(Cycles at, std::uint16_t entry, bool lost) {
    UartRxStatus s;
    s.at = at;
    s.data = static_cast<std::uint8_t>(entry & 0xFF);
    s.framing = (entry >> 8) & 1;
    s.parity = (entry >> 9) & 1;
    s.brk = (entry >> 10) & 1;
    s.overrun = lost;
    return s;
  }
};

class UartDevice : public MmioDevice {
 public:
  // The system clock (the UART clock unless CC selects PIOSC).
  virtual void set_sysclk_hz(std::uint64_t hz) = 0;
  // Each character (or break) the UART transmits, reported when its start bit begins.
  void on_tx_frame(std::function<void(const SerialFrame&)> fn) { tx_frame_observers_.push_back(std::move(fn)); }
  // A character from the line whose start bit begins now.
  virtual void receive(const SerialFrame& frame) = 0;
  // Every character the receiver completes, with its error flags (observers only: reports and
  // error counts; nothing in the model depends on them).
  void on_rx_char(std::function<void(const UartRxStatus&)> fn) { rx_char_observers_.push_back(std::move(fn)); }
  // The RX pin as a bit-level waveform: the line takes each edge's level from its time on (edges
  // ascending, the first at or after now), replacing whatever was planned from the first edge on.
  // Only a model with a bit-level receiver has it (the RTL); the others return false and ignore it.
  virtual bool drive_rx_line(const std::vector<LineEdge>& edges) {
    (void)edges;
    return false;
  }
  virtual Line& irq() = 0;  // (RIS & IM) != 0
  virtual Line& rts() = 0;  // UnRTS pin level
  virtual void set_cts(bool pin_level) = 0;

 protected:
  // The models call these; the observer lists are the same for every model.
  void notify_tx_frame(const SerialFrame& f) {
    for (auto& fn : tx_frame_observers_) fn(f);
  }
  bool observes_rx_chars() const { return !rx_char_observers_.empty(); }
  void notify_rx_char(const UartRxStatus& s) {
    for (auto& fn : rx_char_observers_) fn(s);
  }

 private:
  std::vector<std::function<void(const SerialFrame&)>> tx_frame_observers_;
  std::vector<std::function<void(const UartRxStatus&)>> rx_char_observers_;
};

}  // namespace k7sim
