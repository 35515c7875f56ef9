// Measured figures: every `measure` of a run, by rule. The HTML report puts them next to each
// scenario's title (the rule it checks); `k7sim run` prints them at the end of the run, grouped so
// that a matrix or repeat shows its range instead of one line per run.
#include <algorithm>
#include <cstdio>
#include <map>
#include <ostream>
#include <vector>

#include "reports/reports.h"

namespace k7sim {

std::string format_figure(Cycles ticks) {
  const double us = ticks_to_us(ticks);
  char buf[32];
  if (us >= 1e6) std::snprintf(buf, sizeof buf, "%.6g s", us / 1e6);
  else if (us >= 1e3) std::snprintf(buf, sizeof buf, "%.6g ms", us / 1e3);
  else std::snprintf(buf, sizeof buf, "%.6g us", us);
  return buf;
}

std::string measure_limits(const MeasureRecord& m) {
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "literal" + std::string.
  std::string s;
  if (!m.min && !m.max) return s;
  s += '[';
  if (m.min && m.max) s.append(format_figure(*m.min)).append(" .. ").append(format_figure(*m.max));
  else if (m.max) s.append("max ").append(format_figure(*m.max));
  else s.append("min ").append(format_figure(*m.min));
  s += ']';
  return s;
}

std::string measure_figure(const MeasureRecord& m) {
  std::string s = m.name + " = " + format_figure(m.value);
  const std::string limits = measure_limits(m);
  if (!limits.empty()) s.append(" ").append(limits);
  if (!m.ok) s += " FAIL";
  return s;
}

namespace {

// "packing-gap-splits[gap=1ms]" -> "packing-gap-splits": the runs of one file share a rule.
std::string rule_of(const ScenarioResult& r) { return r.name.substr(0, r.name.find('[')); }

}  // namespace

void print_families(const RunSummary& run, std::ostream& out) {
  struct Family {
    std::size_t runs = 0, passed = 0, figures = 0;
  };
  std::map<std::string, Family> families;  // by the folder the scenario file is in
  for (const auto& r : run.results) {
    const std::size_t slash = r.file.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : r.file.substr(0, slash);
    Family& f = families[dir.substr(dir.find_last_of('/') + 1)];
    f.runs++;
    f.passed += r.status == RunStatus::Passed;
    f.figures += r.measures.size();
  }
  std::size_t width = 6;
  for (const auto& [name, f] : families) width = std::max(width, name.size());
  out << "\n  " << "suite" << std::string(width - 3, ' ') << "passed  figures\n";
  for (const auto& [name, f] : families) {
    char counts[48];
    std::snprintf(counts, sizeof counts, "%3zu/%-3zu %7zu", f.passed, f.runs, f.figures);
    out << "  " << name << std::string(width - name.size() + 2, ' ') << counts << (f.passed < f.runs ? "  FAILED" : "") << "\n";
  }
}

void print_figures(const RunSummary& run, std::ostream& out) {
  struct Figure {
    std::string rule, name;
    Cycles lo = 0, hi = 0;
    std::size_t runs = 0, failed = 0;
    MeasureRecord limits;
  };
  std::vector<Figure> figures;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (const auto& r : run.results)
    for (const auto& m : r.measures) {
      const auto key = std::make_pair(rule_of(r), m.name);
      auto it = index.find(key);
      if (it == index.end()) {
        it = index.emplace(key, figures.size()).first;
        figures.push_back({key.first, m.name, m.value, m.value, 0, 0, m});
      }
      Figure& f = figures[it->second];
      f.lo = std::min(f.lo, m.value);
      f.hi = std::max(f.hi, m.value);
      f.runs++;
      f.failed += !m.ok;
    }
  if (figures.empty()) return;
  std::size_t width = 0;
  for (const auto& f : figures) width = std::max(width, f.rule.size());
  out << "\nmeasured figures (" << figures.size() << "):\n";
  for (const auto& f : figures) {
    std::string value = format_figure(f.lo);
    if (f.hi != f.lo) value.append(" .. ").append(format_figure(f.hi));
    if (f.runs > 1) value.append(" (").append(std::to_string(f.runs)).append(" runs)");
    std::string line(2, ' ');
    line.append(f.rule).append(width - f.rule.size() + 2, ' ').append(f.name).append(" = ").append(value);
    const std::string limits = measure_limits(f.limits);
    if (!limits.empty()) line.append("  ").append(limits);
    if (f.failed) line.append("  FAILED in ").append(std::to_string(f.failed));
    out << line << "\n";
  }
}

}  // namespace k7sim
