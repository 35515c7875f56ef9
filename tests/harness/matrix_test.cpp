// matrix: one scenario per combination of values, with ${var} substituted in every string value
// before it is read as a typed value (shared/spec/scenario-format.md "Top level", matrix:).
#include <gtest/gtest.h>

#include "harness/scenario.h"

namespace k7sim {
namespace {

constexpr Cycles kMs = kTickHz / 1'000;

std::string load_error(const std::string& text) {
  try {
    load_scenario_text(text, "m.yaml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(loaded without error)";
}

// scenario-format.md: "run the scenario once per combination" and "use as ${baud} anywhere in
// string values" -- the spec's own example, with the variable used as an integer.
TEST(MatrixExpansion, SpecExampleOneScenarioPerValue) {
  auto list = load_scenario_text(R"yaml(
scenario: packing-by-time
serial:
  baud: ${baud}
timeline:
  - wait: 10ms
matrix:
  baud: [9600, 115200, 921600]
)yaml", "m.yaml");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].name, "packing-by-time[baud=9600]");
  EXPECT_EQ(list[1].name, "packing-by-time[baud=115200]");
  EXPECT_EQ(list[2].name, "packing-by-time[baud=921600]");
  EXPECT_EQ(list[0].serial.line.baud, 9600u);
  EXPECT_EQ(list[2].serial.line.baud, 921600u);
  for (const auto& sc : list) EXPECT_EQ(sc.id, "packing-by-time");
  EXPECT_EQ(list[1].params, (std::vector<std::pair<std::string, std::string>>{{"baud", "115200"}}));
}

// Decision (docs/scenarios.md matrix): cartesian product in file order, the first variable
// varying slowest (like nested loops written in file order).
TEST(MatrixExpansion, CartesianProductInFileOrder) {
  auto list = load_scenario_text(R"yaml(
scenario: grid
matrix:
  format: [8N1, 7E2]
  gap: [1ms, 2ms, 3ms]
serial: {format: "${format}"}
timeline:
  - serial.write: {data: "x", gap: "${gap}"}
)yaml", "m.yaml");
  ASSERT_EQ(list.size(), 6u);
  std::vector<std::string> names;
  for (const auto& sc : list) names.push_back(sc.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "grid[format=8N1,gap=1ms]", "grid[format=8N1,gap=2ms]", "grid[format=8N1,gap=3ms]",
                       "grid[format=7E2,gap=1ms]", "grid[format=7E2,gap=2ms]", "grid[format=7E2,gap=3ms]"}));
  EXPECT_EQ(list[4].serial.line.data_bits, 7u);
  EXPECT_EQ(list[4].timeline[0].get<SerialWriteArgs>().gap, 2 * kMs);
}

// scenario-format.md: "${var} anywhere in string values": inside text, data, nested steps,
// durations built from pieces, the title; substitution comes before typed parsing.
TEST(MatrixSubstitution, EveryStringValueBeforeTypedParsing) {
  auto list = load_scenario_text(R"yaml(
scenario: sweep
title: cut during flash operation ${n}
timeout: ${limit}
setup:
  at:
    - AT+UARTTL=${n}0,512
timeline:
  - power.cut: {during_flash_op: "${n}"}
  - wait: ${n}00ms
  - repeat:
      count: ${n}
      steps:
        - serial.write: "n=${n}\r"
        - expect.serial: {data: {match: "^${n}$"}, within: "${n}ms"}
  - serial.write: "cost $$${n} and $${literal}"
matrix:
  n: [1, 2]
  limit: [60s]
)yaml", "m.yaml");
  ASSERT_EQ(list.size(), 2u);
  const Scenario& sc = list[1];
  EXPECT_EQ(sc.name, "sweep[n=2,limit=60s]");
  EXPECT_EQ(sc.title, "cut during flash operation 2");
  EXPECT_EQ(sc.timeout, 60 * kTickHz);
  EXPECT_EQ(sc.setup.at[0], "AT+UARTTL=20,512");
  EXPECT_EQ(sc.timeline[0].get<PowerCutArgs>().during_flash_op, 2u);
  EXPECT_EQ(sc.timeline[1].get<WaitArgs>().duration, 200 * kMs);
  const auto& rep = sc.timeline[2].get<RepeatArgs>();
  EXPECT_EQ(rep.count, 2u);
  auto w = rep.steps[0].get<SerialWriteArgs>().data.fixed_bytes();
  EXPECT_EQ(std::string(w.begin(), w.end()), "n=2\r");
  EXPECT_EQ(rep.steps[1].get<ExpectSerialArgs>().data.pattern, "^2$");
  EXPECT_EQ(rep.steps[1].within, 2 * kMs);
  auto lit = sc.timeline[3].get<SerialWriteArgs>().data.fixed_bytes();
  EXPECT_EQ(std::string(lit.begin(), lit.end()), "cost $${n} and ${literal}")
      << "$${ is a literal ${; a lone $ stays";
}

// Decision (docs/scenarios.md matrix): matrix values are taken literally (no ${...} inside them).
TEST(MatrixSubstitution, MatrixValuesAreLiteral) {
  auto list = load_scenario_text("scenario: lit\ntitle: ${v}\nmatrix:\n  v: [\"${x}\"]\n", "m.yaml");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].title, "${x}");
  EXPECT_EQ(list[0].name, "lit[v=${x}]");
}

// A file without matrix: is one scenario named by its identifier.
TEST(MatrixExpansion, NoMatrixMeansOneScenario) {
  auto list = load_scenario_text("scenario: single\n", "m.yaml");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].name, "single");
  EXPECT_TRUE(list[0].params.empty());
}

// scenario-format.md: `${var}` must name a matrix variable; errors are positioned at the value and
// say which combination made a value invalid.
TEST(MatrixErrors, UnknownVariablesAndBadValues) {
  EXPECT_EQ(load_error("scenario: x\ntimeline:\n  - wait: ${t}\n"),
            "m.yaml:3:11: wait: ${t} is not a matrix variable (this scenario has no matrix:)");
  EXPECT_EQ(load_error("scenario: x\nmatrix: {baud: [1200]}\ntimeline:\n  - wait: \"${bud}ms\"\n"),
            "m.yaml:4:11: wait: ${bud} is not a matrix variable (matrix variables: baud)");
  EXPECT_EQ(load_error("scenario: x\nmatrix: {baud: [9600, 0]}\nserial:\n  baud: ${baud}\n"),
            "m.yaml:4:9: baud: 0 is out of range (50..15000000) (with baud=0)");
  EXPECT_EQ(load_error("scenario: x\nmatrix: {n: [1]}\ntitle: \"${n\"\n"),
            "m.yaml:3:8: title: unterminated ${ (write ${name}; $${ gives a literal ${)");
}

TEST(MatrixErrors, MalformedMatrix) {
  EXPECT_EQ(load_error("scenario: x\nmatrix: [1, 2]\n"),
            "m.yaml:2:9: matrix: expected a mapping of variables to lists of values, e.g. {baud: [9600, 115200]}, got a list");
  EXPECT_EQ(load_error("scenario: x\nmatrix:\n  baud: 9600\n"),
            "m.yaml:3:9: baud: expected a list of values, e.g. [9600, 115200], got a single value");
  EXPECT_EQ(load_error("scenario: x\nmatrix:\n  baud: []\n"), "m.yaml:3:9: baud: needs at least one value");
  EXPECT_EQ(load_error("scenario: x\nmatrix:\n  baud: [1, [2]]\n"),
            "m.yaml:3:13: baud: expected a single value, got a list");
  EXPECT_EQ(load_error("scenario: x\nmatrix:\n  baud: [1, 1]\n"), "m.yaml:3:13: baud: the value '1' is listed twice");
  EXPECT_EQ(load_error("scenario: x\nmatrix:\n  my-var: [1]\n"),
            "m.yaml:3:3: matrix variable 'my-var' must be a name of letters, digits and '_' (used as ${name})");
  EXPECT_EQ(load_error("scenario: x\nmatrix:\n  a: [1, 2]\n  a: [3]\n"),
            "m.yaml:4:3: 'a' is given twice in matrix (first on line 3)");
  std::string many = "scenario: x\nmatrix:\n";
  for (int v = 0; v < 3; ++v) {
    many += "  v" + std::to_string(v) + ": [";
    for (int i = 0; i < 20; ++i) many += (i ? ", " : "") + std::to_string(i);
    many += "]\n";
  }
  EXPECT_EQ(load_error(many), "m.yaml:5:3: the matrix makes more than 4096 combinations");
}

}  // namespace
}  // namespace k7sim
