// What a scenario run produced: pass/fail, the first unmet expectation, every step with its
// virtual times, marks, measures and the traffic the recorders and reports need.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "emulator/time.h"
#include "harness/net/pcap.h"
#include "peripherals/board.h"

namespace k7sim {

enum class RunStatus { Passed, Failed, Error };
const char* to_string(RunStatus s);

struct StepRecord {
  std::string label;     // name: or "serial.write" etc.
  std::string kind;      // step name from the spec
  std::string where;     // file:line:col
  Cycles start = 0;      // virtual time since t=0
  Cycles end = 0;
  bool ok = true;
  bool is_expectation = false;
  std::string detail;    // what was expected / met / why it failed
};

struct MeasureRecord {
  std::string name, from, to;
  Cycles value = 0;
  std::optional<Cycles> max;
  std::optional<Cycles> min;
  bool ok = true;
};

// One character on a serial line as the host side saw it (both directions).
struct SerialRecord {
  enum class Dir { HostToDevice, DeviceToHost };
  Dir dir;
  Cycles start = 0;  // start bit (virtual time since t=0)
  Cycles end = 0;    // end of the stop bit: when the byte is complete
  std::uint8_t value = 0;
  bool framing_error = false, parity_error = false, is_break = false;
  bool is_glitch = false;  // host>dev: a short low pulse (serial.glitch), start..end
  std::uint16_t flipped = 0;  // host>dev: bits inverted by line noise (bit 0 = start bit)
  // host>dev: what the module's UART made of it (its receiver's status when the stop bit was
  // sampled), when it saw a character there.
  struct ModuleRx {
    std::uint8_t data = 0;
    bool framing = false, parity = false, brk = false, overrun = false;
    Cycles at = 0;  // virtual time since t=0
  };
  std::optional<ModuleRx> module;
  bool module_only = false;  // a character the module received where the host sent none (noise, glitch)
  double bit_ticks = 0;  // sender's bit length (for waveform reconstruction)
  unsigned bits = 10;    // start + data + parity + stop bits of the sender's format
  std::uint16_t wire = 0;  // data bits as sent (for waveform reconstruction)
  bool parity_bit = false;
  unsigned data_bits = 8;
  char parity = 'N';
};

// What the module's UART receiver reported over the timeline (from t=0): characters completed,
// and how many carried each error. A break counts as a break only (the PL011 sets FE with BE).
struct UartRxCounts {
  std::uint64_t chars = 0, framing = 0, parity = 0, brk = 0, overrun = 0;
  std::uint64_t noise_bits = 0;  // bits the host's line noise inverted (serial.noise)
};

struct PinRecord {
  Cycles at = 0;  // virtual time since t=0
  std::string pin;
  bool level = true;
};

struct ConsoleLine {
  Cycles at = 0;
  std::string text;
};

struct ScenarioResult {
  std::string name;   // scenario id (+ matrix suffix)
  std::string file;
  std::string title;
  std::vector<std::string> tags;
  RunStatus status = RunStatus::Passed;
  std::string failure;            // first unmet expectation, seen instead, virtual time
  std::string failure_where;      // file:line:col of the failing step
  Cycles virtual_time = 0;        // length of the timeline run
  double wall_seconds = 0;        // host time (reporting only; never used by the simulation)
  std::vector<StepRecord> steps;
  std::map<std::string, Cycles> marks;
  std::vector<MeasureRecord> measures;
  std::vector<SerialRecord> serial;
  std::vector<PinRecord> pins;
  std::vector<ConsoleLine> console;
  std::optional<FaultReport> fault;
  std::string serial_format = "115200 8N1";
  std::string serial_model = "fast";  // fast | rtl
  UartRxCounts module_rx;             // the module UART's receive status counts
  std::vector<PcapFrame> frames;  // every Ethernet frame on the segment (NAME.pcap)
};

}  // namespace k7sim
