#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "harness/values.h"
#include "reports/reports.h"

namespace k7sim {

namespace {

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string hex2(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%02X", v & 0xFFu);
  return b;
}

// One timeline per scenario: lanes for serial traffic in both directions, the module pins, and
// marks. Characters are drawn as boxes from start bit to stop bit; a box carries its byte as a
// tooltip and, when wide enough, as text.
std::string timeline_svg(const ScenarioResult& r) {
  const double width = 1100, left = 90, right = 20, lane_h = 26;
  const double span_us = std::max(1.0, ticks_to_us(r.virtual_time));
  auto x = [&](Cycles t) { return left + (width - left - right) * (ticks_to_us(t) / span_us); };
  const char* lanes[] = {"host>dev", "dev>host", "rst", "reload", "cts", "rts", "power", "ethernet"};
  const int n_lanes = 8;
  const double height = 30 + lane_h * n_lanes + 30;
  std::ostringstream s;
  s << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height << "' class='tl'>";
  for (int i = 0; i < n_lanes; ++i) {
    const double y = 20 + i * lane_h;
    s << "<text x='4' y='" << y + 16 << "' class='lane'>" << lanes[i] << "</text>";
    s << "<line x1='" << left << "' x2='" << width - right << "' y1='" << y + lane_h - 2 << "' y2='" << y + lane_h - 2
      << "' class='grid'/>";
  }
  for (const SerialRecord& c : r.serial) {
    const int lane = c.dir == SerialRecord::Dir::HostToDevice ? 0 : 1;
    const double y = 20 + lane * lane_h + 4;
    const double x0 = x(c.start), w = std::max(1.0, x(c.end) - x0);
    const std::string txt = c.is_break ? "BRK" : c.is_glitch ? "GL" : escape_bytes(&c.value, 1);
    // A host character is marked as an error when the module's UART flagged it (or noise hit it).
    const bool module_err = c.module && (c.module->framing || c.module->parity || c.module->brk || c.module->overrun);
    std::string tip = fmt("%.3f us ", ticks_to_us(c.start)) + txt + " " + hex2(c.value);
    if (c.flipped) tip += " (noise)";
    if (c.module)
      tip += ", module got " + hex2(c.module->data) + (c.module->framing ? " FE" : "") + (c.module->parity ? " PE" : "") +
             (c.module->brk ? " BE" : "") + (c.module->overrun ? " OE" : "");
    s << "<rect x='" << fmt("%.2f", x0) << "' y='" << y << "' width='" << fmt("%.2f", w) << "' height='16' class='"
      << (lane ? "rx" : "tx") << (c.framing_error || c.parity_error || module_err || c.flipped ? " err" : "") << "'><title>"
      << xml_escape(tip) << "</title></rect>";
    if (w > 14) s << "<text x='" << fmt("%.2f", x0 + 2) << "' y='" << y + 12 << "' class='byte'>" << xml_escape(txt) << "</text>";
  }
  // Pins as step waveforms.
  for (int p = 2; p < n_lanes; ++p) {
    const double y_hi = 20 + p * lane_h + 5, y_lo = 20 + p * lane_h + 20;
    std::string path;
    bool level = true;
    bool started = false;
    for (const PinRecord& pr : r.pins) {
      if (pr.pin != lanes[p]) continue;
      const double px = x(pr.at);
      if (!started) {
        level = pr.level;
        path = fmt("M%.2f", left);
        path += fmt(",%.1f", level ? y_hi : y_lo);
        started = true;
        continue;
      }
      path += " H" + fmt("%.2f", px) + " V" + fmt("%.1f", pr.level ? y_hi : y_lo);
      level = pr.level;
    }
    if (started) {
      path += " H" + fmt("%.2f", width - right);
      s << "<path d='" << path << "' class='pin'/>";
    }
  }
  // Ethernet frames on the segment (100 Mb/s wire time), with a summary as the tooltip.
  for (const PcapFrame& fr : r.frames) {
    const double y = 20 + 7 * lane_h + 4;
    const Cycles wire = Cycles((8 + std::max<std::size_t>(fr.bytes.size(), 60) + 4) * 8 * 120 / 100);
    const double x0 = x(fr.tick), w = std::max(1.0, x(fr.tick + wire) - x0);
    std::string what = "frame";
    if (fr.bytes.size() >= 14) {
      const unsigned type = (fr.bytes[12] << 8) | fr.bytes[13];
      what = type == 0x0806 ? "ARP" : type == 0x0800 ? "IPv4" : "EtherType " + std::to_string(type);
      if (type == 0x0800 && fr.bytes.size() >= 34) what += fr.bytes[23] == 6 ? " TCP" : fr.bytes[23] == 17 ? " UDP" : fr.bytes[23] == 1 ? " ICMP" : "";
    }
    s << "<rect x='" << fmt("%.2f", x0) << "' y='" << y << "' width='" << fmt("%.2f", w) << "' height='16' class='eth'><title>"
      << fmt("%.3f us ", ticks_to_us(fr.tick)) << what << ", " << fr.bytes.size() << " bytes</title></rect>";
  }
  for (const auto& [name, t] : r.marks) {
    const double mx = x(t);
    s << "<line x1='" << fmt("%.2f", mx) << "' x2='" << fmt("%.2f", mx) << "' y1='14' y2='" << height - 24
      << "' class='mark'/><text x='" << fmt("%.2f", mx + 2) << "' y='" << height - 12 << "' class='markt'>"
      << xml_escape(name) << "</text>";
  }
  // Time axis.
  for (int i = 0; i <= 10; ++i) {
    const double t_us = span_us * i / 10.0;
    const double tx = left + (width - left - right) * i / 10.0;
    s << "<text x='" << fmt("%.1f", tx) << "' y='" << 12 << "' class='axis'>" << fmt("%.3f ms", t_us / 1000.0) << "</text>";
  }
  s << "</svg>";
  return s.str();
}

// Histogram of one measure over the whole run (every repeat, scenario and matrix cell), with the
// limit drawn as a line when the measure has one.
std::string histogram_svg(const std::string& name, std::vector<Cycles> values, std::optional<Cycles> limit) {
  std::sort(values.begin(), values.end());
  const double w = 520, h = 180, left = 50, bottom = 30, top = 26, right = 12;
  const double lo_us = ticks_to_us(values.front());
  double hi_us = ticks_to_us(values.back());
  if (limit) hi_us = std::max(hi_us, ticks_to_us(*limit));
  if (hi_us <= lo_us) hi_us = lo_us + 1.0;
  const int bins = std::clamp(int(std::sqrt(double(values.size())) * 2), 5, 40);
  std::vector<int> count(bins, 0);
  for (Cycles v : values) {
    int b = int((ticks_to_us(v) - lo_us) / (hi_us - lo_us) * bins);
    count[std::clamp(b, 0, bins - 1)]++;
  }
  const int peak = *std::max_element(count.begin(), count.end());
  auto x_of = [&](double us) { return left + (w - left - right) * (us - lo_us) / (hi_us - lo_us); };
  std::ostringstream o;
  o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << w << "' height='" << h << "' class='hist'>";
  const double median = ticks_to_us(values[values.size() / 2]);
  o << "<text x='" << left << "' y='16' class='htitle'>" << xml_escape(name) << " (" << values.size() << " values; min "
    << fmt("%.3f", lo_us) << " us, median " << fmt("%.3f", median) << " us, max " << fmt("%.3f", ticks_to_us(values.back()))
    << " us)</text>";
  const double plot_h = h - top - bottom, bw = (w - left - right) / bins;
  for (int b = 0; b < bins; ++b) {
    if (!count[b]) continue;
    const double bh = plot_h * count[b] / peak;
    o << "<rect x='" << fmt("%.2f", left + b * bw + 1) << "' y='" << fmt("%.2f", top + plot_h - bh) << "' width='"
      << fmt("%.2f", std::max(1.0, bw - 2)) << "' height='" << fmt("%.2f", bh) << "' class='bar'><title>" << count[b]
      << "</title></rect>";
  }
  o << "<line x1='" << left << "' x2='" << w - right << "' y1='" << top + plot_h << "' y2='" << top + plot_h << "' class='axisl'/>";
  o << "<text x='" << left << "' y='" << h - 10 << "' class='axis'>" << fmt("%.3f us", lo_us) << "</text>";
  o << "<text x='" << w - right - 70 << "' y='" << h - 10 << "' class='axis'>" << fmt("%.3f us", hi_us) << "</text>";
  o << "<text x='4' y='" << top + 10 << "' class='axis'>" << peak << "</text>";
  if (limit) {
    const double lx = x_of(ticks_to_us(*limit));
    o << "<line x1='" << fmt("%.2f", lx) << "' x2='" << fmt("%.2f", lx) << "' y1='" << top << "' y2='" << top + plot_h
      << "' class='limit'/><text x='" << fmt("%.2f", lx - 24) << "' y='" << top - 2 << "' class='limitt'>max</text>";
  }
  o << "</svg>";
  return o.str();
}

}  // namespace

void write_html(const RunSummary& run, const std::string& path) {
  std::ofstream f(path);
  if (!f) throw std::runtime_error(path + ": cannot write");
  int passed = 0;
  double wall = 0, virt = 0;
  for (const auto& r : run.results) {
    passed += r.status == RunStatus::Passed;
    wall += r.wall_seconds;
    virt += ticks_to_seconds(r.virtual_time);
  }
  f << "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>k7sim report</title><style>"
       "body{font-family:system-ui,sans-serif;margin:24px;color:#222}h1{font-size:22px}"
       "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px;text-align:left}"
       "th{background:#f2f2f2}.PASS{color:#0a7a2f;font-weight:bold}.FAIL,.ERROR{color:#b00020;font-weight:bold}"
       "pre{background:#f7f7f7;padding:8px;overflow:auto;font-size:12px}"
       ".tl{border:1px solid #ddd;background:#fff}.lane{font:12px monospace;fill:#444}.grid{stroke:#eee}"
       ".tx{fill:#4a90d9}.rx{fill:#e39b2d}.eth{fill:#2e9e6b}.err{fill:#d0021b}.byte{font:10px monospace;fill:#fff}"
       ".pin{fill:none;stroke:#333;stroke-width:1.2}.mark{stroke:#7b3fb5;stroke-dasharray:3,3}"
       ".markt{font:11px sans-serif;fill:#7b3fb5}.axis{font:10px sans-serif;fill:#777}"
       "section{margin:28px 0;border-top:1px solid #ddd;padding-top:8px}"
       ".hist{border:1px solid #ddd;background:#fff;margin:6px}.bar{fill:#4a90d9}.axisl{stroke:#999}"
       ".htitle{font:12px sans-serif;fill:#222}.limit{stroke:#d0021b;stroke-width:1.5}.limitt{font:11px sans-serif;fill:#d0021b}"
       "</style></head><body>";
  f << "<h1>k7sim conformance report</h1><p>k7sim " << xml_escape(run.version) << " &middot; firmware "
    << xml_escape(run.firmware) << "</p>";
  f << "<p><b>" << passed << " passed, " << run.results.size() - passed << " failed</b> &middot; virtual "
    << fmt("%.3f s", virt) << " &middot; wall " << fmt("%.2f s", wall) << "</p>";
  f << "<table><tr><th>scenario</th><th>result</th><th>rule (title)</th><th>measured</th><th>virtual time</th><th>wall</th></tr>";
  for (const auto& r : run.results) {
    f << "<tr><td><a href='#" << xml_escape(r.name) << "'>" << xml_escape(r.name) << "</a></td><td class='"
      << to_string(r.status) << "'>" << to_string(r.status) << "</td><td>" << xml_escape(r.title) << "</td><td>";
    for (std::size_t i = 0; i < r.measures.size(); ++i) f << (i ? "<br>" : "") << xml_escape(measure_figure(r.measures[i]));
    f << "</td><td>" << fmt("%.3f ms", ticks_to_us(r.virtual_time) / 1000) << "</td><td>" << fmt("%.3f s", r.wall_seconds)
      << "</td></tr>";
  }
  f << "</table>";
  // Every measure of the run as a histogram, in order of first appearance.
  std::vector<std::string> measure_names;
  std::map<std::string, std::pair<std::vector<Cycles>, std::optional<Cycles>>> measures;
  for (const auto& r : run.results)
    for (const auto& m : r.measures) {
      if (!measures.count(m.name)) measure_names.push_back(m.name);
      auto& entry = measures[m.name];
      entry.first.push_back(m.value);
      if (m.max) entry.second = m.max;
    }
  if (!measure_names.empty()) {
    f << "<h2>Measures</h2><div>";
    for (const auto& name : measure_names) f << histogram_svg(name, measures[name].first, measures[name].second);
    f << "</div>";
  }
  for (const auto& r : run.results) {
    f << "<section id='" << xml_escape(r.name) << "'><h2>" << xml_escape(r.name) << " <span class='" << to_string(r.status)
      << "'>" << to_string(r.status) << "</span></h2><p>" << xml_escape(r.title) << "<br><small>" << xml_escape(r.file)
      << "</small></p>";
    if (!r.failure.empty()) f << "<pre>" << xml_escape(r.failure) << "</pre>";
    f << timeline_svg(r);
    f << "<table><tr><th>step</th><th>where</th><th>start</th><th>end</th><th>ok</th><th>detail</th></tr>";
    for (const auto& s : r.steps) {
      f << "<tr><td>" << xml_escape(s.label) << "</td><td>" << xml_escape(s.where) << "</td><td>"
        << fmt("%.3f ms", ticks_to_us(s.start) / 1000) << "</td><td>" << fmt("%.3f ms", ticks_to_us(s.end) / 1000)
        << "</td><td class='" << (s.ok ? "PASS" : "FAIL") << "'>" << (s.ok ? "ok" : "FAIL") << "</td><td>"
        << xml_escape(s.detail) << "</td></tr>";
    }
    f << "</table>";
    {
      const UartRxCounts& c = r.module_rx;
      f << "<table><tr><th>module UART (" << xml_escape(r.serial_model) << ") received</th><th>framing errors</th>"
        << "<th>parity errors</th><th>breaks</th><th>overruns</th><th>noise bits flipped</th></tr><tr><td>" << c.chars
        << "</td><td>" << c.framing << "</td><td>" << c.parity << "</td><td>" << c.brk << "</td><td>" << c.overrun
        << "</td><td>" << c.noise_bits << "</td></tr></table>";
    }
    if (!r.measures.empty()) {
      f << "<table><tr><th>measure</th><th>value</th><th>min</th><th>max</th></tr>";
      for (const auto& m : r.measures)
        f << "<tr><td>" << xml_escape(m.name) << "</td><td>" << xml_escape(format_figure(m.value)) << "</td><td>"
          << (m.min ? xml_escape(format_figure(*m.min)) : "") << "</td><td>"
          << (m.max ? xml_escape(format_figure(*m.max)) : "") << "</td></tr>";
      f << "</table>";
    }
    if (!r.console.empty()) {
      f << "<details><summary>console</summary><pre>";
      for (const auto& l : r.console) f << fmt("[%10.3f ms] ", ticks_to_us(l.at) / 1000) << xml_escape(l.text) << "\n";
      f << "</pre></details>";
    }
    f << "</section>";
  }
  f << "</body></html>\n";
}

}  // namespace k7sim
