// Report writers for a whole run: junit.xml (CI test reporters), report.json (every step,
// expectation, mark and measure with virtual times) and report.html (one self-contained page).
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "harness/result.h"

namespace k7sim {

struct RunSummary {
  std::vector<ScenarioResult> results;
  std::string firmware;  // ELF used (default one)
  std::string version;
};

void write_junit(const RunSummary& run, const std::string& path);
void write_json(const RunSummary& run, const std::string& path);
void write_html(const RunSummary& run, const std::string& path);

// Measured figures: "name = 30.4997 s [29.5 s .. 31 s]", and all of a run's, grouped per rule
// (scenario file), for the end of `k7sim run`.
std::string format_figure(Cycles ticks);
std::string measure_limits(const MeasureRecord& m);
std::string measure_figure(const MeasureRecord& m);
void print_figures(const RunSummary& run, std::ostream& out);
// Pass counts and number of figures per suite (the folder of the scenario files).
void print_families(const RunSummary& run, std::ostream& out);

std::string xml_escape(const std::string& s);
std::string json_escape(const std::string& s);

}  // namespace k7sim
