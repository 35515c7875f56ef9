// The K7 module as the harness sees it: a TM4C1294 (CPU + peripheral models) on a board whose
// module pins are RXD/TXD/RST/Reload/CTS/RTS, a debug console UART, and a supply.
// The harness drives inputs and observes outputs only through this class.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulator/event_queue.h"
#include "emulator/line.h"
#include "peripherals/ethernet_port.h"
#include "peripherals/serial_frame.h"
#include "peripherals/uart_device.h"

namespace k7sim {

class CortexM4;

// The module's connector pins, and the board's two LED outputs (the RJ45 jack's link and activity
// LEDs on PF0/PF4; not connector pins, but observable lines like them).
enum class ModulePin { Rxd, Txd, Rst, Reload, Cts, Rts, LedLink, LedActivity };
inline constexpr int kNumModulePins = 8;
const char* to_string(ModulePin p);
std::optional<ModulePin> module_pin_from_string(const std::string& name);

// Why the firmware stopped for good (bus/usage/hard fault, lockup, runaway PC).
struct FaultReport {
  std::string kind;          // "bus fault", "usage fault", "hard fault", "lockup", "runaway PC", ...
  std::string detail;        // what was accessed / executed
  std::uint32_t pc = 0;
  std::string symbol;        // function containing pc (from the ELF), "" when unknown
  std::uint32_t regs[16] = {};
  std::uint32_t xpsr = 0;
  Cycles at = 0;
  std::vector<std::string> last_events;  // what the board saw just before (resets, pins, ...)
  std::string text() const;  // multi-line human report
};

class Board {
 public:
  struct Config {
    std::string firmware_elf;  // ELF of the firmware to run
    // Saved flash/EEPROM image to start from ("" = factory: erased flash and EEPROM). The
    // firmware ELF is programmed over it like a programmer would (its sectors erased, then written).
    std::string flash_image;
    // The module UART (UART1) as the SystemVerilog RTL under Verilator instead of the C++ model
    // (scenario `serial: {model: rtl}`); needs a build with the RTL (K7SIM_UART_RTL).
    bool module_uart_rtl = false;
    // With module_uart_rtl: write the RTL's internal signals to this VCD file (Verilator's trace;
    // `k7sim run --trace-rtl`); "" = the RTL build without trace code.
    std::string module_uart_rtl_trace;
    // Factory MAC in USERREG0/1 (outside the settings area, as on the module).
    std::uint8_t factory_mac[6] = {0xD8, 0xB0, 0x4C, 0x00, 0x00, 0x07};
  };
  enum class StopReason { Deadline, Requested, Fault };

  explicit Board(const Config& config);
  ~Board();
  Board(const Board&) = delete;
  Board& operator=(const Board&) = delete;

  // Supply. power_on() performs a power-on reset (RESC.POR) and starts the CPU at the reset vector.
  void power_on();
  void power_off();
  bool powered() const;

  EventQueue& events();
  Cycles now() const;

  // Run CPU and models until absolute time `until`, or until request_stop() is called from an
  // event/observer callback, or the firmware faults.
  StopReason run_until(Cycles until);
  void request_stop();
  const FaultReport* fault() const;

  // Module pins. drive() forces an input pin (RST, Reload, CTS) to a level; release() lets the
  // board's pull-up decide. line() reports the pad level of any module pin, for observers.
  void drive(ModulePin pin, bool level);
  void release(ModulePin pin);
  bool level(ModulePin pin) const;
  Line& line(ModulePin pin);

  // Serial. Frames the module puts on TXD / the console UART puts on its TX, reported when
  // their start bit begins. module_rx() puts a host frame on RXD starting now (frame.start == now()).
  void on_module_tx(std::function<void(const SerialFrame&)> fn);
  // Called after every chip reset (power-on, RST pin, software, watchdog) with the RESC bits of
  // that reset's cause.
  void on_reset(std::function<void(std::uint32_t cause)> fn);
  // Called whenever the supply switches (power on/off, power cycle, a power cut).
  void on_power(std::function<void(bool on)> fn);
  void on_console_tx(std::function<void(const SerialFrame&)> fn);
  void module_rx(const SerialFrame& frame);
  // The bit-level RXD line (scenario `serial: {model: rtl}` only): the pin takes each edge's level
  // from its time on (edges ascending, the first at now). False when the module UART has no
  // bit-level receiver (the C++ model); nothing is driven then.
  bool module_rx_line(const std::vector<LineEdge>& edges);
  bool module_rx_has_line() const;
  // Every character the module UART's receiver completes, with its FE/PE/BE flags or lost to a
  // full FIFO (reports count them).
  void on_module_rx_char(std::function<void(const UartRxStatus&)> fn);

  // Ethernet: the board's RJ45 side. Frames the EMAC sends go to the attached port (without FCS,
  // at the tick their preamble starts); ethernet_receive() delivers a frame whose last bit arrives
  // now; set_link() plugs or pulls the cable (the PHY negotiates and reports it).
  void attach_ethernet(EthernetPort* port);
  bool ethernet_receive(const std::vector<std::uint8_t>& frame);
  void set_link(bool up);

  // Flash and EEPROM as a file (scenario `flash.save`, read back with `device.flash`).
  void save_flash(const std::string& path) const;
  // Power goes off in the middle of the n-th flash/EEPROM program or erase operation from now
  // (n >= 1), at the midpoint of its duration (scenario `power.cut: {during_flash_op: N}`).
  void cut_power_during_flash_op(std::uint64_t n);
  // Flash/EEPROM operations started so far (program, erase, EEPROM word writes).
  std::uint64_t flash_operations() const;
  // Power cuts carried out by cut_power_during_flash_op() so far.
  std::uint64_t power_cuts() const;

  // Firmware symbol lookup (for reports and test probes).
  std::string symbol_at(std::uint32_t address) const;
  std::optional<std::uint32_t> symbol_address(const std::string& name) const;
  // Flash and SRAM as the CPU sees them (for tests and probes).
  bool read_memory(std::uint32_t address, void* out, std::size_t len) const;
  CortexM4& cpu();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace k7sim
