// Diagnostics of the simulator itself (not of the firmware). Messages go to a sink the harness
// can redirect into the scenario log; by default stderr. Never used for timing.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace k7sim {

using LogSink = std::function<void(const std::string& line)>;
void set_log_sink(LogSink sink);  // empty sink = stderr
void log_warning(const std::string& msg);
void log_info(const std::string& msg);
std::string hex32(std::uint32_t v);  // 8 hex digits, upper case

}  // namespace k7sim
