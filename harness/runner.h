// Runs one Scenario on a fresh board: power-on at t=0, the timeline's steps in virtual time,
// expectations checked as the device's output arrives. The runner never polls: it runs the
// board until the next moment something can change (a step's deadline, a wait's end) and is
// woken early by observers (a serial character completed, a pin changed).
#pragma once
#include <string>

#include "harness/result.h"
#include "harness/scenario.h"

namespace k7sim {

struct RunOptions {
  std::string default_firmware;  // ELF used for device.firmware: default
  std::string firmware_override; // --firmware: replaces every scenario's firmware
  // --trace-rtl: for scenarios on the UART RTL (serial: {model: rtl}), write its internal signals
  // to DIR/NAME.rtl.vcd; "" = no RTL trace (the RTL build without trace code runs).
  std::string trace_rtl_dir;
};

ScenarioResult run_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace k7sim
