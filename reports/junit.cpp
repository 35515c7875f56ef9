#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>

#include "reports/reports.h"

namespace k7sim {

std::string xml_escape(const std::string& s) {
  std::string o;
  for (unsigned char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters even when escaped.
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          char b[8];
          std::snprintf(b, sizeof b, "\\x%02X", c);
          o += b;
        } else {
          o.push_back(char(c));
        }
    }
  }
  return o;
}

// One <testsuite> per scenario file, one <testcase> per scenario (or matrix cell); times are
// wall seconds as CI systems expect, the virtual time is a property.
void write_junit(const RunSummary& run, const std::string& path) {
  std::map<std::string, std::vector<const ScenarioResult*>> by_file;
  std::vector<std::string> order;
  for (const auto& r : run.results) {
    if (!by_file.count(r.file)) order.push_back(r.file);
    by_file[r.file].push_back(&r);
  }
  std::ofstream f(path);
  if (!f) throw std::runtime_error(path + ": cannot write");
  int tests = 0, failures = 0, errors = 0;
  double wall = 0;
  for (const auto& r : run.results) {
    ++tests;
    failures += r.status == RunStatus::Failed;
    errors += r.status == RunStatus::Error;
    wall += r.wall_seconds;
  }
  char buf[64];
  f << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  std::snprintf(buf, sizeof buf, "%.3f", wall);
  f << "<testsuites name=\"k7sim\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\"" << errors
    << "\" time=\"" << buf << "\">\n";
  for (const auto& file : order) {
    const auto& list = by_file[file];
    int ff = 0, fe = 0;
    double fw = 0;
    for (auto* r : list) {
      ff += r->status == RunStatus::Failed;
      fe += r->status == RunStatus::Error;
      fw += r->wall_seconds;
    }
    std::snprintf(buf, sizeof buf, "%.3f", fw);
    f << "  <testsuite name=\"" << xml_escape(file) << "\" tests=\"" << list.size() << "\" failures=\"" << ff
      << "\" errors=\"" << fe << "\" skipped=\"0\" time=\"" << buf << "\">\n";
    for (auto* r : list) {
      std::snprintf(buf, sizeof buf, "%.3f", r->wall_seconds);
      f << "    <testcase classname=\"" << xml_escape(file) << "\" name=\"" << xml_escape(r->name) << "\" time=\"" << buf
        << "\">\n";
      std::snprintf(buf, sizeof buf, "%.6f", ticks_to_seconds(r->virtual_time));
      f << "      <properties><property name=\"virtual_time_s\" value=\"" << buf << "\"/>";
      if (!r->title.empty()) f << "<property name=\"title\" value=\"" << xml_escape(r->title) << "\"/>";
      for (const auto& m : r->measures) {
        std::snprintf(buf, sizeof buf, "%.3f", ticks_to_us(m.value));
        f << "<property name=\"measure." << xml_escape(m.name) << "_us\" value=\"" << buf << "\"/>";
      }
      // The module UART's receive status counts (see report.json "module_uart_rx").
      const UartRxCounts& c = r->module_rx;
      f << "<property name=\"serial.model\" value=\"" << xml_escape(r->serial_model) << "\"/>";
      const std::pair<const char*, std::uint64_t> counts[] = {{"chars", c.chars}, {"framing_errors", c.framing},
                                                              {"parity_errors", c.parity}, {"breaks", c.brk},
                                                              {"overruns", c.overrun}, {"noise_bits_flipped", c.noise_bits}};
      for (const auto& [name, n] : counts)
        f << "<property name=\"module_uart_rx." << name << "\" value=\"" << n << "\"/>";
      f << "</properties>\n";
      if (r->status != RunStatus::Passed) {
        const char* tag = r->status == RunStatus::Failed ? "failure" : "error";
        std::string first_line = r->failure.substr(0, r->failure.find('\n'));
        f << "      <" << tag << " message=\"" << xml_escape(first_line) << "\" type=\"" << tag << "\">"
          << xml_escape(r->failure) << "</" << tag << ">\n";
      }
      if (!r->console.empty()) {
        f << "      <system-out>";
        for (const auto& l : r->console) f << xml_escape(l.text) << "\n";
        f << "</system-out>\n";
      }
      f << "    </testcase>\n";
    }
    f << "  </testsuite>\n";
  }
  f << "</testsuites>\n";
}

}  // namespace k7sim
