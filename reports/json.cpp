#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "reports/reports.h"

namespace k7sim {

namespace {
// Length of the valid UTF-8 sequence starting at s[i], 0 if it is not one.
std::size_t utf8_length(const std::string& s, std::size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}
}  // namespace

// JSON text is UTF-8: valid UTF-8 passes through; control characters and stray bytes are escaped.
std::string json_escape(const std::string& s) {
  std::string o;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (const std::size_t n = utf8_length(s, i)) {
        o.append(s, i, n);
        i += n - 1;
      } else {
        char b[8];
        std::snprintf(b, sizeof b, "\\u%04x", c);
        o += b;
      }
      continue;
    }
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          o += b;
        } else {
          o.push_back(char(c));
        }
    }
  }
  return o;
}

namespace {
std::string q(const std::string& s) {
  std::string out(1, '"');
  out += json_escape(s);
  out.push_back('"');
  return out;
}
std::string num_us(Cycles t) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", ticks_to_us(t));
  return b;
}
}  // namespace

// Every step, expectation, mark and measure with virtual times in microseconds since t=0.
void write_json(const RunSummary& run, const std::string& path) {
  std::ofstream f(path);
  if (!f) throw std::runtime_error(path + ": cannot write");
  int passed = 0;
  for (const auto& r : run.results) passed += r.status == RunStatus::Passed;
  f << "{\n  \"tool\": \"k7sim\",\n  \"version\": " << q(run.version) << ",\n  \"firmware\": " << q(run.firmware)
    << ",\n  \"time_unit\": \"us (virtual)\",\n  \"summary\": {\"scenarios\": " << run.results.size()
    << ", \"passed\": " << passed << ", \"failed\": " << run.results.size() - passed << "},\n  \"scenarios\": [";
  bool first = true;
  for (const auto& r : run.results) {
    if (!first) f << ",";
    first = false;
    f << "\n    {\"name\": " << q(r.name) << ", \"file\": " << q(r.file) << ", \"title\": " << q(r.title)
      << ", \"status\": " << q(to_string(r.status)) << ", \"virtual_time_us\": " << num_us(r.virtual_time);
    char wb[32];
    std::snprintf(wb, sizeof wb, "%.4f", r.wall_seconds);
    f << ", \"wall_s\": " << wb << ", \"tags\": [";
    for (std::size_t i = 0; i < r.tags.size(); ++i) f << (i ? ", " : "") << q(r.tags[i]);
    f << "],\n     \"failure\": " << q(r.failure) << ", \"failure_where\": " << q(r.failure_where) << ",\n     \"steps\": [";
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
      const auto& s = r.steps[i];
      f << (i ? ",\n       " : "\n       ") << "{\"label\": " << q(s.label) << ", \"kind\": " << q(s.kind)
        << ", \"where\": " << q(s.where) << ", \"start_us\": " << num_us(s.start) << ", \"end_us\": " << num_us(s.end)
        << ", \"ok\": " << (s.ok ? "true" : "false") << ", \"expectation\": " << (s.is_expectation ? "true" : "false")
        << ", \"detail\": " << q(s.detail) << "}";
    }
    f << "],\n     \"marks\": {";
    bool fm = true;
    for (const auto& [name, t] : r.marks) {
      f << (fm ? "" : ", ") << q(name) << ": " << num_us(t);
      fm = false;
    }
    f << "},\n     \"measures\": [";
    for (std::size_t i = 0; i < r.measures.size(); ++i) {
      const auto& m = r.measures[i];
      f << (i ? ", " : "") << "{\"name\": " << q(m.name) << ", \"from\": " << q(m.from) << ", \"to\": " << q(m.to)
        << ", \"value_us\": " << num_us(m.value) << ", \"min_us\": " << (m.min ? num_us(*m.min) : std::string("null"))
        << ", \"max_us\": " << (m.max ? num_us(*m.max) : std::string("null"))
        << ", \"ok\": " << (m.ok ? "true" : "false") << "}";
    }
    f << "],\n     \"serial_bytes\": {\"host_to_device\": ";
    std::size_t in = 0, out = 0;
    for (const auto& s : r.serial)
      if (!s.module_only && !s.is_glitch) (s.dir == SerialRecord::Dir::HostToDevice ? in : out)++;
    f << in << ", \"device_to_host\": " << out << "}";
    // What the module's UART receiver reported (from t=0): characters and errors by kind.
    const UartRxCounts& c = r.module_rx;
    f << ",\n     \"serial_model\": " << q(r.serial_model) << ", \"module_uart_rx\": {\"chars\": " << c.chars
      << ", \"framing_errors\": " << c.framing << ", \"parity_errors\": " << c.parity << ", \"breaks\": " << c.brk
      << ", \"overruns\": " << c.overrun << ", \"noise_bits_flipped\": " << c.noise_bits << "}";
    if (r.fault) f << ",\n     \"fault\": " << q(r.fault->text());
    f << "}";
  }
  f << "\n  ]\n}\n";
}

}  // namespace k7sim
