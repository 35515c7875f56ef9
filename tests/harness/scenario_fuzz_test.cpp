// Robustness of the loader: mutated scenario files either load or are rejected with a
// well-formed `name:line:column: message` -- never another exception, a crash or a hang
// (shared/spec/scenario-format.md: "rejected before the run starts, with file:line:column: message").
// Deterministic: every text comes from a fixed seed.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <regex>
#include <sstream>

#include "harness/scenario.h"

namespace k7sim {
namespace {

const char* kSeedFiles[] = {
    R"yaml(scenario: packing-by-time          # required: identifier [a-z0-9-]+
title: Serial bytes are framed by the pack time (§4.3.3)
tags: [packing, conformance]
timeout: 60s
seed: 1
device:
  profile: k7
  firmware: default
  flash: factory
setup:
  baud: 115200
  at:
    - AT+UARTTL=10,512
    - AT+SOCKA1=TCPS,192.168.0.201,23
serial:
  baud: ${baud}
  format: 8N1
  baud_error: 0%
  model: fast
network:
  peers:
    - name: pc
      ip: 192.168.0.201
      mac: 02:00:00:00:00:01
  dhcp: false
timeline:
  - tcp.connect: {from: pc, to: 23, as: c1}
  - expect.tcp.connected: {conn: c1, within: 1s}
  - serial.write: {data: "abc", gap: 0}
    mark: sent
  - expect.tcp: {conn: c1, data: "abc", within: 20ms}
    mark: got
  - measure: {name: ser2net_ms, from: sent, to: got, max: 10ms}
matrix:
  baud: [9600, 115200, 921600]
)yaml",
    R"yaml(scenario: every-step
timeout: 120s
serial: {model: rtl}
network:
  peers:
    - name: pc
      ip: 192.168.0.201
timeline:
  - wait: 10ms
  - power: cycle
  - power.cut: {during_flash_op: 3}
  - pin.set: {reload: low}
  - pin.pulse: {pin: rst, level: low, for: 250ms}
  - expect.pin: {pin: rts, level: high, within: 1ms}
  - serial.write: {data: "AT+VER\r", gap: 0}
  - serial.break: {for: 10ms}
  - expect.serial: {data: {match: "^\\r\\n\\+OK=\\d+\\r\\n$"}, within: 50ms}
  - expect.none: {on: serial, during: 100ms}
  - tcp.listen: {peer: pc, port: 8234, as: srv}
  - expect.tcp.accept: {listener: srv, as: c1, within: 2s}
  - tcp.send: {conn: c1, data: {hex: "55 AA 55 01 C2 00 83 46"}}
  - expect.tcp: {conn: c1, segments: ["ab", "cd"], within: 100ms}
  - expect.none: {on: tcp:c1, during: 100ms}
  - tcp.close: {conn: c1}
  - expect.tcp.closed: {conn: c1, within: 1s}
  - udp.bind: {peer: pc, port: 20108, as: u1}
  - udp.send: {from: u1, to: 23, data: {random: 2048}, dst_ip: 255.255.255.255}
  - expect.udp: {on: u1, data: "\x55\xAA", from_port: 23, within: 10ms}
  - expect.none: {on: udp:pc:20108, during: 100ms}
  - link: down
  - net.fault: {loss: 5%, delay: 20ms, duplicate: 1%, for: 10s}
  - mark: t0
  - parallel:
    - - serial.write: "x"
        name: tx
    - - expect.serial: {data: "y", within: 1s}
  - repeat: {count: 3, steps: [{wait: 1ms}, {serial.write: {data: {repeat: "A", count: 4}}}]}
  - measure: {from: t0, to: tx.end}
  - flash.save: images/after.bin
  - serial.noise: {ber: 1e-4, for: 1s}
)yaml",
    R"yaml(# escapes, anchors, block scalars
scenario: escapes
matrix:
  n: [1, 2]
timeline:
  - serial.write: &w "\101\x42\0\377"
  - serial.write: *w
  - serial.write: '\x55\xAA\r\n'
  - serial.write: |-
      line ${n}\r
  - serial.write: "first
      second\
      third"
  - expect.serial: {data: [a, {hex: "0D 0A"}], skip: true, within: "${n}00ms"}
  - wait: 1s
    at: 5s
    name: late
)yaml",
};

const char* kTokens[] = {
    "0", "-1", "1e99", "10", "10ms", "-5ms", "1h", "99999999999999999999h", "${x}", "${baud}",
    "\"${baud}\"", "[]", "{}", "[[[]]]", "\"\\x\"", "'\\777'", "\"\\101\"", "*a", "&a x", "~",
    "null", "tcp:c9", "udp:pc:0", "{match: \"(\"}", "{match: \"a{99999}\"}", "{hex: \"5\"}",
    "{random: 999999999}", "{repeat: x, count: 99999999}", "on", "cycle", "\"é\"", "\t", "|",
    ">-", "!!binary x", "? a", "- a", "&a [*a]", "1.5s", "250us", "2min", "low", "rts", "c1",
    "srv", "u1", "t0", "pc", "\"", "'", "{", "}", "[", "]", ",", ":", "#", "%YAML 1.2", "---",
    "...", "\\", "$${", "${", "a: b: c", "{data: x}", "[{wait: 1s}]", "\xFF\xFE", "\r"};

const char kSpecial[] = ":-{}[]\"'#&*!|>%$\\\t\n ,?@`0123456789abcxyz.~";

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// One random edit of the kinds a person or a broken tool makes.
std::string mutate(const std::string& text, std::mt19937& rng) {
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  std::vector<std::string> lines = split_lines(text);
  if (lines.empty()) lines.push_back("");
  const std::size_t ntok = sizeof kTokens / sizeof kTokens[0];
  switch (pick(10)) {
    case 0:  // delete a line
      lines.erase(lines.begin() + static_cast<long>(pick(lines.size())));
      break;
    case 1: {  // duplicate a line
      std::size_t i = pick(lines.size());
      lines.insert(lines.begin() + static_cast<long>(i), lines[i]);
      break;
    }
    case 2:  // swap two lines
      std::swap(lines[pick(lines.size())], lines[pick(lines.size())]);
      break;
    case 3: {  // flip a character
      std::string t = join_lines(lines);
      if (!t.empty()) t[pick(t.size())] = kSpecial[pick(sizeof kSpecial - 1)];
      return t;
    }
    case 4: {  // a random byte somewhere
      std::string t = join_lines(lines);
      t.insert(t.begin() + static_cast<long>(pick(t.size() + 1)), static_cast<char>(pick(256)));
      return t;
    }
    case 5: {  // indentation
      std::string& l = lines[pick(lines.size())];
      std::size_t k = pick(5);
      if (pick(2) == 0) l.insert(0, std::string(k, pick(8) == 0 ? '\t' : ' '));
      else l.erase(0, std::min(k, l.find_first_not_of(' ') == std::string::npos ? l.size() : l.find_first_not_of(' ')));
      break;
    }
    case 6: {  // replace a value with a random token
      std::string& l = lines[pick(lines.size())];
      auto colon = l.find(": ");
      if (colon != std::string::npos) l = l.substr(0, colon + 2) + kTokens[pick(ntok)];
      break;
    }
    case 7: {  // a token inside a line
      std::string& l = lines[pick(lines.size())];
      l.insert(pick(l.size() + 1), kTokens[pick(ntok)]);
      break;
    }
    case 8: {  // a line of another file
      std::string other = kSeedFiles[pick(sizeof kSeedFiles / sizeof kSeedFiles[0])];
      auto more = split_lines(other);
      lines.insert(lines.begin() + static_cast<long>(pick(lines.size() + 1)), more[pick(more.size())]);
      break;
    }
    default: {  // truncate
      std::string t = join_lines(lines);
      return t.substr(0, pick(t.size() + 1));
    }
  }
  return join_lines(lines);
}

struct Outcome {
  int loaded = 0;
  int rejected = 0;
};

void load_and_check(const std::string& text, Outcome& outcome) {
  static const std::regex kWellFormed("^fuzz\\.yaml:([0-9]+):([0-9]+): [^\\n]+$");
  try {
    auto list = load_scenario_text(text, "fuzz.yaml");
    ASSERT_FALSE(list.empty());
    for (const auto& sc : list) ASSERT_FALSE(sc.name.empty());
    outcome.loaded++;
  } catch (const ScenarioError& e) {
    std::cmatch m;
    std::string what = e.what();
    ASSERT_TRUE(std::regex_match(what.c_str(), m, kWellFormed)) << what << "\n--- text ---\n" << text;
    int line = std::stoi(m[1].str());
    int column = std::stoi(m[2].str());
    int lines = static_cast<int>(split_lines(text).size());
    EXPECT_GE(line, 1) << what;
    EXPECT_LE(line, lines + 1) << what << "\n--- text ---\n" << text;
    EXPECT_GE(column, 1) << what;
    for (const auto& d : e.diagnostics()) EXPECT_EQ(d.loc.file, "fuzz.yaml");
    outcome.rejected++;
  } catch (const std::exception& e) {
    FAIL() << "unexpected exception " << e.what() << "\n--- text ---\n" << text;
  } catch (...) {
    FAIL() << "unexpected non-standard exception\n--- text ---\n" << text;
  }
}

// 3000 mutations of valid files (1 to 4 edits each) load or fail cleanly, in well under 10 s.
TEST(ScenarioFuzz, MutatedFilesLoadOrFailWithPosition) {
  auto start = std::chrono::steady_clock::now();
  std::mt19937 rng(20240611);
  Outcome outcome;
  const std::size_t nseeds = sizeof kSeedFiles / sizeof kSeedFiles[0];
  for (int i = 0; i < 3000; ++i) {
    std::string text = kSeedFiles[static_cast<std::size_t>(i) % nseeds];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) text = mutate(text, rng);
    load_and_check(text, outcome);
    if (HasFatalFailure()) return;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 10.0);
  EXPECT_GT(outcome.loaded, 100) << "mutations should not all break the file";
  EXPECT_GT(outcome.rejected, 1000) << "mutations should mostly be caught";
  std::cout << "[ fuzz ] loaded " << outcome.loaded << ", rejected " << outcome.rejected << " in "
            << seconds << " s\n";
}

// The seed files themselves are valid.
TEST(ScenarioFuzz, SeedFilesAreValid) {
  for (const char* text : kSeedFiles) {
    try {
      EXPECT_FALSE(load_scenario_text(text, "seed.yaml").empty());
    } catch (const ScenarioError& e) {
      ADD_FAILURE() << e.all();
    }
  }
}

// Noise: random bytes drawn mostly from YAML's punctuation never escape as anything but ScenarioError.
TEST(ScenarioFuzz, RandomNoiseFailsCleanly) {
  std::mt19937 rng(7);
  Outcome outcome;
  for (int i = 0; i < 500; ++i) {
    std::string text = "scenario: noise\ntimeline:\n  - ";
    int n = static_cast<int>(rng() % 120);
    for (int k = 0; k < n; ++k) {
      text += (rng() % 4 == 0) ? static_cast<char>(rng() % 256) : kSpecial[rng() % (sizeof kSpecial - 1)];
    }
    load_and_check(text, outcome);
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(outcome.loaded + outcome.rejected, 500);
}

}  // namespace
}  // namespace k7sim
