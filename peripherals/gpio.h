// One TM4C1294 GPIO port (8 pins). Offsets are relative to the port's base; the board maps the
// AHB aperture (and, for A..H and J, the legacy APB aperture) onto the same instance.
//
// Pads: each pin's level is resolved from the port's own output, an alternate-function output
// (routed in by the board with drive_alternate()), an external driver (drive()) and the pull
// resistors, and published on pad(pin). Input changes run the interrupt logic; irq() is the
// port's interrupt request line. Nothing here knows about other devices.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "emulator/event_queue.h"
#include "emulator/line.h"
#include "emulator/mmio.h"
#include "emulator/register_bank.h"

namespace k7sim {

class GpioPort : public MmioDevice {
 public:
  // Reset values that differ between ports: the commit register (locked pins) and, for pins that
  // come out of reset in a special function (JTAG/SWD on PC[3:0]), their AFSEL/DEN/PUR/PDR/PCTL.
  struct ResetValues {
    std::uint8_t commit = 0xFF;
    std::uint8_t afsel = 0;
    std::uint8_t den = 0;
    std::uint8_t pur = 0;
    std::uint8_t pdr = 0;
    std::uint32_t pctl = 0;
  };
  // Port C: PC[3:0] are JTAG/SWD (locked, AFSEL=1, DEN=1, PUR=1, PCTL=1).
  static ResetValues port_c_resets() { return {0xF0, 0x0F, 0x0F, 0x0F, 0x00, 0x00001111}; }
  // Port D: PD7 locked (NMI capable); it resets as a plain GPIO.
  static ResetValues port_d_resets() { return {0x7F}; }

  GpioPort(std::string name, EventQueue& events, std::uint8_t commit_reset = 0xFF);
  GpioPort(std::string name, EventQueue& events, const ResetValues& resets);

  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
  // Registers back to reset values. External and alternate-function drives are not registers:
  // they stay, so the pads are re-resolved against them.
  void reset() override;

  // Something outside the chip drives the pad (nullopt = released, high impedance).
  void drive(unsigned pin, std::optional<bool> level);
  // The output of the peripheral selected by PCTL for this pin (e.g. UART TX). It reaches the pad
  // only while AFSEL=1 and DEN=1 for the pin.
  void drive_alternate(unsigned pin, bool level);
  void release_alternate(unsigned pin);
  // True when the pin is handed to alternate function `pctl_function`: AFSEL && DEN && PCTL == fn.
  bool alternate(unsigned pin, unsigned pctl_function) const;

  // Resolved pad level (true = high); observers run on every change.
  Line& pad(unsigned pin);
  bool level(unsigned pin) const;
  // Interrupt request: (RIS & IM) != 0.
  Line& irq() { return irq_; }

  // Register state for the board and tests.
  std::uint8_t data() const { return data_; }
  std::uint8_t dir() const;
  std::uint8_t den() const;
  std::uint8_t afsel() const;
  std::uint8_t ris() const { return ris_; }

 private:
  void define_registers();
  void write_gated(std::uint32_t offset, std::uint32_t value);
  std::uint8_t reg8(std::uint32_t offset) const;
  void set8(std::uint32_t offset, std::uint8_t v);
  std::uint8_t read_data(std::uint8_t mask) const;
  std::uint8_t resolve_pads() const;
  void update();

  std::string name_;
  [[maybe_unused]] EventQueue& events_;
  RegisterBank bank_;
  ResetValues resets_;

  std::uint8_t data_ = 0;  // GPIODATA: the value the port drives on its output pins
  std::uint8_t ris_ = 0;
  bool locked_ = true;
  std::array<std::optional<bool>, 8> external_{};
  std::array<std::optional<bool>, 8> alternate_{};

  std::uint8_t pads_ = 0;      // last resolved pad levels
  std::uint8_t inputs_ = 0;    // last digital input value seen by the interrupt logic
  bool updating_ = false;
  bool dirty_ = false;

  std::array<Line, 8> pad_lines_;
  Line irq_;
};

}  // namespace k7sim
