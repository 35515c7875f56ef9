#include "emulator/log.h"

#include <cstdio>

namespace k7sim {
namespace {
LogSink& sink() {
  static LogSink s;
  return s;
}
void emit(const char* level, const std::string& msg) {
  std::string line = std::string(level) + ": " + msg;
  if (sink()) sink()(line);
  else std::fprintf(stderr, "%s\n", line.c_str());
}
}  // namespace

void set_log_sink(LogSink s) { sink() = std::move(s); }
void log_warning(const std::string& msg) { emit("warning", msg); }
void log_info(const std::string& msg) { emit("info", msg); }

std::string hex32(std::uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08X", v);
  return buf;
}

}  // namespace k7sim
