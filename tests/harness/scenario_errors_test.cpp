// Invalid scenario files are rejected before anything runs, with `file:line:column: message`
// pointing at the offending node (shared/spec/scenario-format.md, first paragraph: "Unknown keys,
// bad values, unknown step names and out-of-range times are rejected before the run starts").
#include <gtest/gtest.h>

#include <regex>

#include "harness/scenario.h"

namespace k7sim {
namespace {

struct Case {
  const char* text;
  const char* where;    // "t.yaml:L:C"
  const char* message;  // a part of the message
};

std::string load_error(const std::string& text) {
  try {
    load_scenario_text(text, "t.yaml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(loaded without error)";
}

void check(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string("scenario text:\n") + c.text);
    std::string got = load_error(c.text);
    std::string prefix = std::string(c.where) + ": ";
    EXPECT_EQ(got.substr(0, prefix.size()), prefix) << "full error: " << got;
    EXPECT_NE(got.find(c.message), std::string::npos) << "full error: " << got;
  }
}

// scenario-format.md: "Unknown keys ... are rejected" (top level and every section).
TEST(ScenarioErrors, UnknownKeys) {
  check({
      {"scenario: x\ntitel: T\n", "t.yaml:2:1", "unknown key 'titel' in the scenario (did you mean 'title'?)"},
      {"scenario: x\nfoo: 1\n", "t.yaml:2:1", "unknown key 'foo' in the scenario (known keys: scenario, title"},
      {"scenario: x\nserial:\n  baud: 9600\n  parity: E\n", "t.yaml:4:3", "unknown key 'parity' in serial"},
      {"scenario: x\ndevice: {profile: k7, firmwre: a.elf}\n", "t.yaml:2:23", "unknown key 'firmwre' in device (did you mean 'firmware'?)"},
      {"scenario: x\nsetup: {bauds: 9600}\n", "t.yaml:2:9", "unknown key 'bauds' in setup (did you mean 'baud'?)"},
      {"scenario: x\nnetwork:\n  peers:\n    - {name: pc, ip: 10.0.0.2, port: 1}\n", "t.yaml:4:32", "unknown key 'port' in a peer"},
      {"scenario: x\nnetwork: {dchp: true}\n", "t.yaml:2:11", "did you mean 'dhcp'?"},
  });
}

// scenario-format.md: "unknown step names ... are rejected"; arguments are checked per step.
TEST(ScenarioErrors, UnknownStepsAndArguments) {
  check({
      {"scenario: x\ntimeline:\n  - serial.wirte: {data: a}\n", "t.yaml:3:5", "unknown step 'serial.wirte' (did you mean 'serial.write'?)"},
      {"scenario: x\ntimeline:\n  - sleep: 1s\n", "t.yaml:3:5", "unknown step 'sleep'"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: a, gapp: 0}\n", "t.yaml:3:29", "unknown key 'gapp' in serial.write (did you mean 'gap'?)"},
      {"scenario: x\ntimeline:\n  - pin.pulse: {pin: rst, lvl: low, for: 1ms}\n", "t.yaml:3:27", "unknown key 'lvl' in pin.pulse"},
      {"scenario: x\ntimeline:\n  - wait: 1s\n    within: 1s\n", "t.yaml:4:5", "within: applies to expect.* steps only"},
      {"scenario: x\ntimeline:\n  - expect.none: {on: serial, during: 1s, within: 2s}\n", "t.yaml:3:43", "unknown key 'within' in expect.none"},
      {"scenario: x\ntimeline:\n  - wait: 1s\n    serial.write: a\n", "t.yaml:4:5", "two steps in one timeline item"},
      {"scenario: x\ntimeline:\n  - name: lonely\n", "t.yaml:3:5", "this timeline item has no step"},
      {"scenario: x\ntimeline:\n  - wait 1s\n", "t.yaml:3:5", "a timeline item is one step"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: a, name: n}\n    name: m\n", "t.yaml:3:29", "name: is given both next to the step and inside it"},
      {"scenario: x\ntimeline:\n  - wait: 1s\n    wait: 2s\n", "t.yaml:4:5", "'wait' is given twice in one timeline item"},
      {"scenario: x\nserial: {baud: 9600, baud: 4800}\n", "t.yaml:2:22", "'baud' is given twice in serial (first on line 2)"},
  });
}

// scenario-format.md "Values": wrong types and bad units.
TEST(ScenarioErrors, WrongTypesAndBadUnits) {
  check({
      {"scenario: x\ntimeline:\n  - wait: 10\n", "t.yaml:3:11", "wait: '10' has no unit"},
      {"scenario: x\ntimeline:\n  - wait: -5ms\n", "t.yaml:3:11", "a duration cannot be negative"},
      {"scenario: x\ntimeline:\n  - wait: 10sec\n", "t.yaml:3:11", "unknown unit 'sec'"},
      {"scenario: x\ntimeline:\n  - wait: {for: 1s}\n", "t.yaml:3:11", "wait takes a duration"},
      {"scenario: x\ntimeline:\n  - wait:\n", "t.yaml:3:5", "wait: expected a duration such as 10ms, got nothing"},
      {"scenario: x\ntimeout: 60\n", "t.yaml:2:10", "timeout: '60' has no unit"},
      {"scenario: x\ntimeout: 0s\n", "t.yaml:2:10", "timeout: must be longer than 0"},
      {"scenario: x\ntimeline:\n  - wait: 1ns\n", "t.yaml:3:11", "shorter than one tick"},
      {"scenario: x\ntimeline:\n  - power: On\n", "t.yaml:3:12", "expected one of on, off, cycle, got 'On' (did you mean 'on'?)"},
      {"scenario: x\ntimeline:\n  - link: plugged\n", "t.yaml:3:11", "expected one of up, down"},
      {"scenario: x\nserial: {baud_error: 2.5}\n", "t.yaml:2:22", "baud_error: '2.5' has no % sign"},
      {"scenario: x\nserial: {model: verilog}\n", "t.yaml:2:17", "model: expected one of fast, rtl"},
      {"scenario: x\ntags: packing\n", "t.yaml:2:7", "tags: expected a list of tags"},
      {"scenario: x\nseed: -1\n", "t.yaml:2:7", "seed: expected a number of 0 or more"},
      {"scenario: x\nseed: 1.5\n", "t.yaml:2:7", "seed: expected a whole number"},
      {"scenario: x\nnetwork: {dhcp: maybe}\n", "t.yaml:2:17", "dhcp: expected true or false"},
      {"scenario: x\ntimeline:\n  - expect.serial: {data: a, skip: 2}\n", "t.yaml:3:36", "skip: expected true or false"},
      {"scenario: x\ntimeline: {wait: 1s}\n", "t.yaml:2:11", "expected a list of steps"},
      {"scenario: x\ndevice: k7\n", "t.yaml:2:9", "expected a mapping with profile:"},
      {"scenario: x\ndevice: {profile: k9}\n", "t.yaml:2:19", "profile: expected one of k7, got 'k9'"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: [a, ~]}\n", "t.yaml:3:30", "expected data: a string"},
  });
}

// scenario-format.md "Top level": identifier [a-z0-9-]+, required.
TEST(ScenarioErrors, ScenarioIdentifier) {
  check({
      {"title: no id\n", "t.yaml:1:1", "missing scenario:"},
      {"scenario: Packing_By\n", "t.yaml:1:11", "'Packing_By' is not a valid identifier"},
      {"scenario: [a]\n", "t.yaml:1:11", "scenario: expected an identifier"},
  });
}

// scenario-format.md: "bad values ... are rejected": out-of-range numbers.
TEST(ScenarioErrors, OutOfRangeValues) {
  check({
      {"scenario: x\nserial: {baud: 0}\n", "t.yaml:2:16", "baud: 0 is out of range (50..15000000)"},
      {"scenario: x\nsetup: {baud: 99999999}\n", "t.yaml:2:15", "baud: 99999999 is out of range"},
      {"scenario: x\nserial:\n  format: 9N1\n", "t.yaml:3:11", "format: expected a line format such as 8N1"},
      {"scenario: x\nserial: {format: 8X1}\n", "t.yaml:2:18", "got '8X1'"},
      {"scenario: x\nserial: {format: 8N3}\n", "t.yaml:2:18", "got '8N3'"},
      {"scenario: x\nserial: {baud_error: 60%}\n", "t.yaml:2:22", "baud_error: 60% is out of range (-50%..50%)"},
      {"scenario: x\ntimeline:\n  - net.fault: {loss: 150%}\n", "t.yaml:3:23", "loss: 150% is out of range (0%..100%)"},
      {"scenario: x\ntimeline:\n  - net.fault: {duplicate: -1%}\n", "t.yaml:3:28", "duplicate: -1% is out of range"},
      {"scenario: x\ntimeline:\n  - repeat: {count: -1, steps: [{wait: 1s}]}\n", "t.yaml:3:21", "count: expected a number of 0 or more"},
      {"scenario: x\ntimeline:\n  - repeat: {count: 0, steps: [{wait: 1s}]}\n", "t.yaml:3:21", "count: 0 is out of range"},
      {"scenario: x\ntimeline:\n  - repeat: {count: 2, steps: []}\n", "t.yaml:3:31", "steps: needs at least one step"},
      {"scenario: x\ntimeline:\n  - power.cut: {during_flash_op: 0}\n", "t.yaml:3:34", "during_flash_op: 0 is out of range"},
      {"scenario: x\ntimeline:\n  - serial.noise: {ber: 2}\n", "t.yaml:3:25", "ber: 2 is out of range (0..1)"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: {random: 0}}\n", "t.yaml:3:35", "random: 0 is out of range"},
      {"scenario: x\ntimeline:\n  - serial.break: {for: 0}\n", "t.yaml:3:25", "for: a break lasts longer than 0"},
      {"scenario: x\nnetwork: {peers: [{name: pc, ip: 10.0.0.2}]}\ntimeline:\n  - tcp.connect: {from: pc, to: 0, as: c}\n", "t.yaml:4:33", "expected a port number 1..65535"},
      {"scenario: x\nnetwork: {peers: [{name: pc, ip: 10.0.0.2}]}\ntimeline:\n  - tcp.listen: {peer: pc, port: 70000, as: s}\n", "t.yaml:4:34", "got '70000'"},
  });
}

// Extensions of the bit-level line (docs/scenarios.md "Serial line extensions"): serial.noise and
// serial.glitch need serial: {model: rtl}; on the fast model they are rejected at load time, at the
// step, never run as something else. expect.serial.errors takes counts or {min, max}.
TEST(ScenarioErrors, BitLevelLineSteps) {
  check({
      {"scenario: x\ntimeline:\n  - serial.noise: {ber: 1e-4, for: 1s}\n", "t.yaml:3:5",
       "serial.noise needs the bit-level serial line: add serial: {model: rtl}"},
      {"scenario: x\nserial: {model: fast}\ntimeline:\n  - wait: 1ms\n  - serial.glitch: {width: 2us}\n", "t.yaml:5:5",
       "serial.glitch needs the bit-level serial line"},
      {"scenario: x\nserial: {model: rtl}\ntimeline:\n  - serial.glitch: {width: 0us}\n", "t.yaml:4:28",
       "width: a glitch lasts longer than 0"},
      {"scenario: x\nserial: {model: rtl}\ntimeline:\n  - serial.glitch: {width: 2}\n", "t.yaml:4:28", "width: '2' has no unit"},
      {"scenario: x\nserial: {model: rtl}\ntimeline:\n  - serial.glitch: {wide: 2us}\n", "t.yaml:4:20", "serial.glitch: missing width:"},
      {"scenario: x\ntimeline:\n  - expect.serial.errors: {framing: -1}\n", "t.yaml:3:37", "framing:"},
      {"scenario: x\ntimeline:\n  - expect.serial.errors: {parity: {min: 5, max: 2}}\n", "t.yaml:3:50",
       "max: 2 is below min: 5"},
      {"scenario: x\ntimeline:\n  - expect.serial.errors: {parity: {}}\n", "t.yaml:3:36", "give min:, max: or both"},
      {"scenario: x\ntimeline:\n  - expect.serial.errors: {within: 1s}\n", "t.yaml:3:27",
       "expect.serial.errors needs at least one count"},
      {"scenario: x\ntimeline:\n  - expect.serial.errors: {framin: 1}\n", "t.yaml:3:28", "did you mean 'framing'"},
  });
}

// scenario-format.md: "out-of-range times are rejected before the run starts".
TEST(ScenarioErrors, TimesBeyondTheTimeout) {
  check({
      {"scenario: x\ntimeline:\n  - expect.serial: {data: a, within: 2h}\n", "t.yaml:3:38", "within: 2h is longer than the scenario timeout (10min)"},
      {"scenario: x\ntimeout: 1s\ntimeline:\n  - wait: 2s\n", "t.yaml:4:11", "wait: 2s is longer than the scenario timeout (1s)"},
      {"scenario: x\ntimeout: 1s\ntimeline:\n  - wait: 500ms\n  - wait: 600ms\n  - wait: 1ms\n", "t.yaml:5:5", "cannot finish this step before 1100ms, later than the scenario timeout (1s)"},
      {"scenario: x\ntimeout: 10s\ntimeline:\n  - repeat: {count: 100, steps: [{wait: 1s}]}\n", "t.yaml:4:5", "cannot finish this step before 100s"},
      {"scenario: x\ntimeline:\n  - wait: 5s\n  - wait: 1s\n    at: 2s\n", "t.yaml:5:9", "at: 2s is earlier than this step can start (5s at the earliest)"},
      {"scenario: x\ntimeout: 1min\ntimeline:\n  - mark: late\n    at: 2min\n", "t.yaml:5:9", "at: 2min is longer than the scenario timeout (1min)"},
      {"scenario: x\ntimeline:\n  - expect.serial: {data: a, within: 10ms, after: 20ms}\n", "t.yaml:3:51", "after: 20ms is later than within: 10ms"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: a, gap: 11min}\n", "t.yaml:3:34", "gap: 11min is longer than the scenario timeout"},
  });
}

// scenario-format.md "Steps": connection, listener and socket names come from an earlier `as:`;
// peers come from network.peers.
TEST(ScenarioErrors, UnknownConnectionsAndPeers) {
  const std::string net = "scenario: x\nnetwork:\n  peers:\n    - {name: pc, ip: 192.168.0.201}\ntimeline:\n";
  check({
      {(net + "  - tcp.send: {conn: c1, data: a}\n").c_str(), "t.yaml:6:22", "conn: unknown TCP connection 'c1' (no earlier step made it with as:)"},
      {(net + "  - tcp.close: {conn: c1}\n  - tcp.connect: {from: pc, to: 23, as: c1}\n").c_str(), "t.yaml:6:23", "unknown TCP connection 'c1'"},
      {(net + "  - tcp.connect: {from: laptop, to: 23, as: c1}\n").c_str(), "t.yaml:6:25", "from: 'laptop' is not a peer of network.peers"},
      {(net + "  - tcp.connect: {from: pd, to: 23, as: c1}\n").c_str(), "t.yaml:6:25", "(did you mean 'pc'?)"},
      {"scenario: x\ntimeline:\n  - udp.bind: {peer: pc, port: 1, as: u}\n", "t.yaml:3:22", "(there are no peers: add them under network: peers:)"},
      {(net + "  - tcp.listen: {peer: pc, port: 8234, as: srv}\n  - tcp.send: {conn: srv, data: a}\n").c_str(), "t.yaml:7:22", "conn: 'srv' is a TCP listener (line 6), not a TCP connection"},
      {(net + "  - tcp.listen: {peer: pc, port: 8234, as: srv}\n  - udp.bind: {peer: pc, port: 1, as: srv}\n").c_str(), "t.yaml:7:39", "as: 'srv' already names a TCP listener"},
      {(net + "  - expect.tcp.accept: {listener: srv, as: c1}\n").c_str(), "t.yaml:6:35", "listener: unknown TCP listener 'srv'"},
      {(net + "  - udp.send: {from: u1, to: 23, data: a}\n").c_str(), "t.yaml:6:22", "from: unknown UDP socket 'u1'"},
      {(net + "  - expect.udp: {on: u2, data: a}\n").c_str(), "t.yaml:6:22", "on: unknown UDP socket 'u2'"},
      {(net + "  - expect.none: {on: tcp:c9, during: 1s}\n").c_str(), "t.yaml:6:23", "on: unknown TCP connection 'c9'"},
      {(net + "  - expect.none: {on: udp:srv:1, during: 1s}\n").c_str(), "t.yaml:6:23", "on: 'srv' is not a peer"},
      {(net + "  - expect.none: {on: console, during: 1s}\n").c_str(), "t.yaml:6:23", "on: expected serial, tcp:<conn>"},
      {(net + "  - tcp.connect: {from: pc, to: 23, as: 1c}\n").c_str(), "t.yaml:6:41", "'1c' is not a valid name"},
      {(net + "  - expect.tcp: {conn: c1, data: a}\n").c_str(), "t.yaml:6:24", "unknown TCP connection 'c1'"},
  });
}

// scenario-format.md "Steps": argument checks of individual steps.
TEST(ScenarioErrors, StepArguments) {
  const std::string net = "scenario: x\nnetwork: {peers: [{name: pc, ip: 192.168.0.201}]}\ntimeline:\n  - tcp.connect: {from: pc, to: 23, as: c1}\n";
  check({
      {"scenario: x\ntimeline:\n  - pin.set: {rts: low}\n", "t.yaml:3:15", "rts is an output of the module"},
      {"scenario: x\ntimeline:\n  - pin.set: {reload: down}\n", "t.yaml:3:23", "expected one of low, high, release"},
      {"scenario: x\ntimeline:\n  - pin.pulse: {pin: rst, level: low}\n", "t.yaml:3:16", "pin.pulse: missing for:"},
      {"scenario: x\ntimeline:\n  - pin.pulse: {pin: txd, for: 1ms}\n", "t.yaml:3:22", "txd is an output of the module"},
      {"scenario: x\ntimeline:\n  - expect.pin: {pin: led, level: high}\n", "t.yaml:3:23", "pin: expected one of rst, reload, cts, rts, txd, rxd"},
      {"scenario: x\ntimeline:\n  - expect.pin: {pin: rts, level: 1}\n", "t.yaml:3:35", "level: expected one of low, high"},
      {"scenario: x\ntimeline:\n  - expect.none: {on: serial}\n", "t.yaml:3:18", "expect.none: missing during:"},
      {"scenario: x\ntimeline:\n  - serial.write: {gap: 1ms}\n", "t.yaml:3:19", "serial.write: missing data:"},
      {(net + "  - expect.tcp: {conn: c1, data: a, segments: [a]}\n").c_str(), "t.yaml:5:17", "expect.tcp needs either data: or segments:"},
      {(net + "  - expect.tcp: {conn: c1}\n").c_str(), "t.yaml:5:17", "expect.tcp needs either data: or segments:"},
      {(net + "  - expect.tcp: {conn: c1, segments: []}\n").c_str(), "t.yaml:5:38", "segments: needs at least one segment"},
      {"scenario: x\ntimeline:\n  - parallel: {a: 1}\n", "t.yaml:3:15", "expected a list of branches"},
      {"scenario: x\ntimeline:\n  - flash.save: \"\"\n", "t.yaml:3:17", "flash.save: needs a file path"},
      {"scenario: x\ntimeline:\n  - mark: \"t 0\"\n", "t.yaml:3:11", "'t 0' is not a valid mark name"},
      {"scenario: x\ntimeline:\n  - measure: {from: a}\n", "t.yaml:3:14", "measure: missing to:"},
  });
}

// scenario-format.md Values: data forms and regular expressions are checked at load time.
TEST(ScenarioErrors, DataAndRegularExpressions) {
  check({
      {"scenario: x\ntimeline:\n  - expect.serial: {data: {match: \"a(\"}}\n", "t.yaml:3:35", "match: invalid regular expression (unmatched ( or ))"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: {match: \"a\"}}\n", "t.yaml:3:27", "{match: ...} is only allowed where data is expected, in an expect.* step"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: [a, {match: \"a\"}]}\n", "t.yaml:3:30", "must be the whole value"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: {hex: \"55 A\"}}\n", "t.yaml:3:32", "hex: hex data must be whole bytes"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: {hex: \"GG\"}}\n", "t.yaml:3:32", "hex data may hold only hex digits"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: {hex: \"55\", random: 2}}\n", "t.yaml:3:26", "use only one of hex:, repeat:, random:, match:"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: {repeat: \"A\"}}\n", "t.yaml:3:26", "data: missing count:"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: {repeat: \"A\", count: 99999999}}\n", "t.yaml:3:47", "count: 99999999 is out of range"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: {repeat: {random: 4}, count: 2}}\n", "t.yaml:3:35", "repeat: takes fixed bytes"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: {bytes: \"A\"}}\n", "t.yaml:3:27", "unknown key 'bytes' in data"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: a\\qb}\n", "t.yaml:3:26", "data: unknown escape '\\q'"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: '\\777'}\n", "t.yaml:3:26", "octal escape \\777 is larger than one byte"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: \"\\777\"}\n", "t.yaml:3:26", "octal escape \\777 is larger than one byte"},
      {"scenario: x\ntimeline:\n  - serial.write: {data: \"\\q\"}\n", "t.yaml:3:29", "invalid YAML: unknown escape character: q"},
  });
}

// scenario-format.md "Steps": "mark: NAME (names the time it completed; <step-name>.start and
// .end are marks too)"; measure refers to marks.
TEST(ScenarioErrors, MarksAndMeasures) {
  check({
      {"scenario: x\ntimeline:\n  - mark: t0\n  - wait: 1ms\n    mark: t0\n", "t.yaml:5:11", "mark 't0' is already set on line 3"},
      {"scenario: x\ntimeline:\n  - mark: t0\n  - measure: {from: t0, to: t1}\n", "t.yaml:4:29", "to: unknown mark 't1' (did you mean 't0'?)"},
      {"scenario: x\ntimeline:\n  - measure: {from: a, to: b}\n", "t.yaml:3:21", "(no step sets a mark; use '- mark: NAME' or mark: on a step)"},
      {"scenario: x\ntimeline:\n  - measure: {from: t0, to: t0}\n  - mark: t0\n", "t.yaml:3:21", "from: mark 't0' is only set after this step (line 4)"},
      {"scenario: x\ntimeline:\n  - wait: 1ms\n    name: w\n  - wait: 1ms\n    name: w\n  - measure: {from: w.start, to: w.end}\n", "t.yaml:7:21", "mark 'w.start' is ambiguous: 2 steps have that name"},
      {"scenario: x\ntimeline:\n  - mark: w.end\n  - wait: 1ms\n    name: w\n", "t.yaml:5:11", "name: 'w' makes the mark 'w.end', which is already set on line 3"},
      {"scenario: x\ntimeline:\n  - repeat:\n      count: 2\n      steps: [{measure: {from: r.end, to: r.start}}]\n    name: r\n", "t.yaml:5:32", "mark 'r.end' is only set after this step"},
      {"scenario: x\ntimeline:\n  - mark: t0\n  - mark: t1\n  - measure: {from: t0, to: t1, min: 2ms, max: 1ms}\n", "t.yaml:5:48", "max is below min"},
  });
}

// scenario-format.md "Top level" network and setup sections.
TEST(ScenarioErrors, NetworkAndSetup) {
  check({
      {"scenario: x\nnetwork:\n  peers:\n    - {name: pc, ip: 192.168.0.201}\n    - {name: pc, ip: 192.168.0.202}\n", "t.yaml:5:14", "there is already a peer named 'pc'"},
      {"scenario: x\nnetwork:\n  peers:\n    - {name: a, ip: 192.168.0.201}\n    - {name: b, ip: 192.168.0.201}\n", "t.yaml:5:21", "ip: 192.168.0.201 is already the address of peer 'a'"},
      {"scenario: x\nnetwork:\n  peers:\n    - {name: a, ip: 192.168.0.300}\n", "t.yaml:4:21", "ip: expected an IPv4 address"},
      {"scenario: x\nnetwork:\n  peers:\n    - {name: a, ip: 192.168.0.255}\n", "t.yaml:4:21", "is not a usable host address"},
      {"scenario: x\nnetwork:\n  peers:\n    - {name: a, ip: 10.0.0.1/40}\n", "t.yaml:4:21", "prefix length"},
      {"scenario: x\nnetwork:\n  peers:\n    - {name: a, ip: 10.0.0.1, mac: 01:00:5e:00:00:01}\n", "t.yaml:4:36", "is a multicast address"},
      {"scenario: x\nnetwork:\n  peers:\n    - {name: a, ip: 10.0.0.1, mac: 02:00:00:00:00}\n", "t.yaml:4:36", "mac: expected a MAC address"},
      {"scenario: x\nnetwork:\n  peers:\n    - {ip: 10.0.0.1}\n", "t.yaml:4:7", "a peer: missing name:"},
      {"scenario: x\nnetwork:\n  peers:\n    - pc\n", "t.yaml:4:7", "expected a peer such as"},
      {"scenario: x\nsetup:\n  at:\n    - +++\n", "t.yaml:4:7", "at: '+++' is not an AT command"},
      {"scenario: x\nsetup:\n  at:\n    - \"AT+Z\\r\"\n", "t.yaml:4:7", "without CR/LF"},
      {"scenario: x\nsetup:\n  at: AT+Z\n", "t.yaml:3:7", "at: expected a list of AT commands"},
  });
}

// scenario-format.md: every problem is `file:line:column: message`, YAML syntax errors included.
TEST(ScenarioErrors, YamlSyntaxAndFileShape) {
  check({
      {"scenario: x\ntimeline:\n  - wait: [1,\n", "t.yaml:4:1", "invalid YAML: end of sequence flow not found"},
      {"scenario: x\n  title: y\n", "t.yaml:2:8", "invalid YAML"},
      {"scenario: x\ntimeline:\n- wait: 1s\n  - wait: 2s\n", "t.yaml:4:3", "invalid YAML"},
      {"scenario: x: y\n", "t.yaml:1:12", "invalid YAML: illegal map value"},
      {"scenario: x\n\ttitle: y\n", "t.yaml:2:1", "invalid YAML: illegal tab when looking for indentation"},
      {"scenario: x\ntitle: *nope\n", "t.yaml:2:8", "invalid YAML: the referenced anchor is not defined"},
      {"scenario: x\nmatrix: {b: [1]}\nserial: {baud: ${b}}\n", "t.yaml:3:17", "write ${var} in quotes"},
      {"", "t.yaml:1:1", "empty scenario file"},
      {"# only a comment\n", "t.yaml:1:1", "empty scenario file"},
      {"- scenario: x\n", "t.yaml:1:1", "a scenario file is a mapping"},
      {"scenario: x\n---\nscenario: y\n", "t.yaml:3:1", "a scenario file holds one YAML document"},
      {"scenario: x\n[a]: 1\n", "t.yaml:2:1", "keys in the scenario must be plain names"},
  });
}

// The message is exactly `file:line:column: message`; every problem is kept, sorted by position.
TEST(ScenarioErrors, ExactMessageAndAllDiagnostics) {
  try {
    load_scenario_text("scenario: x\nserial: {baud: 0}\ntimeline:\n  - wait: 10\n  - bogus: 1\n", "dir/t.yaml");
    FAIL() << "loaded";
  } catch (const ScenarioError& e) {
    EXPECT_STREQ(e.what(), "dir/t.yaml:2:16: baud: 0 is out of range (50..15000000)");
    ASSERT_EQ(e.diagnostics().size(), 3u);
    EXPECT_EQ(e.diagnostics()[1].str(),
              "dir/t.yaml:4:11: wait: '10' has no unit; write e.g. 10ms (units: us, ms, s, min, h)");
    EXPECT_EQ(e.diagnostics()[2].str(), "dir/t.yaml:5:5: unknown step 'bogus'");
    EXPECT_EQ(e.first().loc.line, 2);
    EXPECT_EQ(e.all(),
              "dir/t.yaml:2:16: baud: 0 is out of range (50..15000000)\n"
              "dir/t.yaml:4:11: wait: '10' has no unit; write e.g. 10ms (units: us, ms, s, min, h)\n"
              "dir/t.yaml:5:5: unknown step 'bogus'\n");
  }
}

// Columns count characters, not bytes, and CRLF files and a byte order mark do not shift positions.
TEST(ScenarioErrors, ColumnsCountCharactersAcrossEncodingsDetails) {
  check({
      {"scenario: x\ntitle: \"é\"\ntimeline:\n  - wait: {a: 1}\n", "t.yaml:4:11", "wait takes a duration"},
      {"scenario: x\r\ntimeline:\r\n  - wait: 10\r\n", "t.yaml:3:11", "has no unit"},
      {"\xEF\xBB\xBFscenario: x\ntimeline:\n  - wait: 10\n", "t.yaml:3:11", "has no unit"},
      {"scenario: x\ntimeline: [{serial.write: \"é\"}, {wait: 1}]\n", "t.yaml:2:40", "has no unit"},
  });
}

// Self-referencing aliases and deep nesting are reported, not followed forever.
TEST(ScenarioErrors, AliasLoopsAndDeepNestingAreBounded) {
  std::string loop = load_error("scenario: x\ntimeline: &t\n  - parallel: [*t]\n");
  EXPECT_TRUE(std::regex_search(loop, std::regex("^t\\.yaml:\\d+:\\d+: "))) << loop;
  std::string data_loop = load_error("scenario: x\ntimeline:\n  - serial.write: &d [a, *d]\n");
  EXPECT_TRUE(std::regex_search(data_loop, std::regex("^t\\.yaml:3:\\d+: "))) << data_loop;
  std::string deep = "scenario: x\ntimeline: ";
  for (int i = 0; i < 40; ++i) deep += "[{parallel: [";
  deep += "[]";
  for (int i = 0; i < 40; ++i) deep += "]}]";
  std::string err = load_error(deep + "\n");
  EXPECT_NE(err.find("nested more than 16 deep"), std::string::npos) << err;
}

}  // namespace
}  // namespace k7sim
