// Per-scenario artefacts: NAME.serial.log, NAME.console.log, NAME.vcd (module pins and both
// UART lines as waveforms, GTKWave-readable) and NAME.pcap (Ethernet frames of the segment;
// link type Ethernet, virtual timestamps).
#pragma once
#include <string>

#include "harness/result.h"

namespace k7sim {

// File-system-safe form of a scenario name ("a[baud=9600]" → "a_baud-9600_").
std::string artefact_stem(const std::string& scenario_name);

void write_serial_log(const ScenarioResult& r, const std::string& path);
void write_console_log(const ScenarioResult& r, const std::string& path);
void write_vcd(const ScenarioResult& r, const std::string& path);
void write_pcap(const ScenarioResult& r, const std::string& path);

// Writes all four into `dir` (created if needed) using artefact_stem(r.name).
void write_artefacts(const ScenarioResult& r, const std::string& dir);

}  // namespace k7sim
