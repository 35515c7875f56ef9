// Report writers for a whole run: junit.xml (CI test reporters), report.json (every step,
// expectation, mark and measure with virtual times) and report.html (one self-contained page).
#pragma once
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

std::string xml_escape(const std::string& s);
std::string json_escape(const std::string& s);

}  // namespace k7sim
