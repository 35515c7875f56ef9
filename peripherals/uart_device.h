// What the board needs from a module UART, whichever model implements it: the C++ model
// (UartModel, byte-level events) or the SystemVerilog RTL under Verilator (UartRtl, bit-level).
// A scenario picks one with `serial: {model: fast|rtl}`; the board wires either the same way.
#pragma once
#include <cstdint>
#include <functional>

#include "emulator/line.h"
#include "emulator/mmio.h"
#include "peripherals/serial_frame.h"

namespace k7sim {

class UartDevice : public MmioDevice {
 public:
  // The system clock (the UART clock unless CC selects PIOSC).
  virtual void set_sysclk_hz(std::uint64_t hz) = 0;
  // Each character (or break) the UART transmits, reported when its start bit begins.
  virtual void on_tx_frame(std::function<void(const SerialFrame&)> fn) = 0;
  // A character from the line whose start bit begins now.
  virtual void receive(const SerialFrame& frame) = 0;
  virtual Line& irq() = 0;  // (RIS & IM) != 0
  virtual Line& rts() = 0;  // UnRTS pin level
  virtual void set_cts(bool pin_level) = 0;
};

}  // namespace k7sim
