// The scenario runner end to end on the reference firmware (scenario-format.md "Time semantics",
// "Steps", "Results"), plus determinism: same inputs → same bytes at the same virtual times.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "harness/runner.h"
#include "harness/scenario.h"

using namespace k7sim;

namespace {

ScenarioResult run_text(const std::string& yaml, const std::string& firmware = K7SIM_FIRMWARE_ELF) {
  std::vector<Scenario> s = load_scenario_text(yaml, "inline.yaml");
  EXPECT_EQ(s.size(), 1u);
  RunOptions opts;
  opts.default_firmware = firmware;
  return run_scenario(s.front(), opts);
}

// The run ended with `status` and its failure text contains every one of `parts`.
void expect_failure(const ScenarioResult& r, std::initializer_list<const char*> parts,
                    RunStatus status = RunStatus::Failed) {
  EXPECT_EQ(r.status, status) << r.failure;
  for (const char* part : parts) {
    EXPECT_NE(r.failure.find(part), std::string::npos) << "no \"" << part << "\" in: " << r.failure;
  }
}

const char* kEscape = R"(scenario: escape-for-test
timeline:
  - wait: 20ms
  - mark: t0
  - serial.write: {data: "+++"}
  - expect.serial: {data: "a", within: 5ms}
    mark: got-a
  - serial.write: {data: "a"}
  - expect.serial: {data: "+ok", within: 5ms}
  - serial.write: {data: "AT+VER\r"}
  - expect.serial: {data: {match: "^AT\\+VER\\r\\r\\n\\+OK=[^\\r]+\\r\\n$"}, within: 50ms}
  - measure: {name: escape_reply, from: t0, to: got-a, max: 2ms}
)";

}  // namespace

// Determinism (architecture.md): two runs give identical serial bytes, timestamps and console.
TEST(Runner, TwoRunsAreIdenticalToTheTick) {
  const ScenarioResult a = run_text(kEscape);
  const ScenarioResult b = run_text(kEscape);
  ASSERT_EQ(a.status, RunStatus::Passed) << a.failure;
  ASSERT_EQ(a.serial.size(), b.serial.size());
  ASSERT_GT(a.serial.size(), 10u);
  for (std::size_t i = 0; i < a.serial.size(); ++i) {
    EXPECT_EQ(a.serial[i].value, b.serial[i].value) << i;
    EXPECT_EQ(a.serial[i].start, b.serial[i].start) << i;
    EXPECT_EQ(a.serial[i].end, b.serial[i].end) << i;
  }
  ASSERT_EQ(a.console.size(), b.console.size());
  for (std::size_t i = 0; i < a.console.size(); ++i) {
    EXPECT_EQ(a.console[i].text, b.console[i].text);
    EXPECT_EQ(a.console[i].at, b.console[i].at);
  }
  EXPECT_EQ(a.virtual_time, b.virtual_time);
  ASSERT_EQ(a.measures.size(), 1u);
  EXPECT_EQ(a.measures[0].value, b.measures[0].value);
  EXPECT_TRUE(a.measures[0].ok);
  EXPECT_GT(a.measures[0].value, 0u);
}

// measure min:/max: (a two-sided rule, extension of scenario-format.md "measure"): the same interval
// passes inside [min, max] and fails below min and above max, with the value in the failure.
TEST(Runner, MeasureChecksMinAndMax) {
  auto run_with = [](const std::string& bounds) {
    return run_text("scenario: m\ntimeline:\n  - mark: t0\n  - wait: 10ms\n    mark: t1\n  - measure: {name: gap, from: t0, to: t1, " +
                    bounds + "}\n");
  };
  const ScenarioResult inside = run_with("min: 9ms, max: 11ms");
  EXPECT_EQ(inside.status, RunStatus::Passed) << inside.failure;
  ASSERT_EQ(inside.measures.size(), 1u);
  EXPECT_EQ(*inside.measures[0].min, ticks_from_ms(9));
  const ScenarioResult below = run_with("min: 10100us");
  EXPECT_EQ(below.status, RunStatus::Failed);
  EXPECT_NE(below.failure.find("gap = 10ms is below min 10100us"), std::string::npos) << below.failure;
  const ScenarioResult above = run_with("max: 9900us");
  EXPECT_EQ(above.status, RunStatus::Failed);
  EXPECT_NE(above.failure.find("exceeds max"), std::string::npos) << above.failure;
}

// expect.serial: other bytes before the expected ones fail the step, and the failure says what
// was expected, what was seen (hex and text) and when.
TEST(Runner, UnexpectedBytesFailWithExpectedAndSeen) {
  const ScenarioResult r = run_text(R"(scenario: wrong-reply
timeline:
  - wait: 20ms
  - serial.write: {data: "+++"}
  - expect.serial: {data: "b", within: 5ms}
)");
  expect_failure(r, {"expected 62", "seen 61", "inline.yaml:5:", "t="});
}

// within: the expectation must be complete no later than D after the step started.
TEST(Runner, WithinDeadlineMissed) {
  const ScenarioResult r = run_text(R"(scenario: too-slow
timeline:
  - wait: 20ms
  - serial.write: {data: "+++"}
  - expect.serial: {data: "a", within: 10us}
)");
  expect_failure(r, {"within 10us"});
}

// after: and not earlier than D after the step started.
TEST(Runner, AfterRejectsAnEarlyReply) {
  const ScenarioResult r = run_text(R"(scenario: too-fast
timeline:
  - wait: 20ms
  - serial.write: {data: "+++"}
  - expect.serial: {data: "a", within: 5ms, after: 3ms}
)");
  expect_failure(r, {"not before 3ms"});
}

// expect.none: silence for D; a byte inside the window fails.
TEST(Runner, ExpectNoneSeesAByte) {
  const ScenarioResult ok = run_text(R"(scenario: quiet
timeline:
  - expect.none: {on: serial, during: 500ms}
)");
  EXPECT_EQ(ok.status, RunStatus::Passed) << ok.failure;
  const ScenarioResult bad = run_text(R"(scenario: noisy
timeline:
  - wait: 20ms
  - serial.write: {data: "+++"}
  - expect.none: {on: serial, during: 100ms}
)");
  expect_failure(bad, {"silence"});
}

// The scenario timeout bounds every wait.
TEST(Runner, ScenarioTimeout) {
  const ScenarioResult r = run_text(R"(scenario: never
timeout: 1s
timeline:
  - expect.serial: {data: "never"}
)");
  EXPECT_EQ(r.status, RunStatus::Failed);
  EXPECT_LE(r.virtual_time, 120'000'000u + 1'000'000u);
}

// parallel: branches run at once; the step ends when all have.
TEST(Runner, ParallelBranches) {
  const ScenarioResult r = run_text(R"(scenario: both-at-once
timeline:
  - wait: 20ms
  - parallel:
      - - serial.write: {data: "+++"}
      - - expect.serial: {data: "a", within: 10ms}
  - mark: done
)");
  EXPECT_EQ(r.status, RunStatus::Passed) << r.failure;
  ASSERT_TRUE(r.marks.count("done"));
}

// Pins (k7-behaviour.md "Pins"): RST low for 250 ms reboots the module (second boot on the
// console with the external reset cause); a 5 ms glitch does not.
TEST(Runner, RstPulseRebootsAndGlitchDoesNot) {
  auto boots = [](const ScenarioResult& r) {
    int n = 0;
    for (const auto& l : r.console) n += l.text.find("reset cause") != std::string::npos;
    return n;
  };
  const ScenarioResult glitch = run_text(R"(scenario: rst-glitch
timeline:
  - wait: 60ms
  - pin.pulse: {pin: rst, level: low, for: 5ms}
  - wait: 100ms
)");
  ASSERT_EQ(glitch.status, RunStatus::Passed) << glitch.failure;
  EXPECT_EQ(boots(glitch), 1);
  const ScenarioResult reset = run_text(R"(scenario: rst-reset
timeline:
  - wait: 60ms
  - pin.pulse: {pin: rst, level: low, for: 250ms}
  - wait: 100ms
)");
  ASSERT_EQ(reset.status, RunStatus::Passed) << reset.failure;
  EXPECT_EQ(boots(reset), 2);
  bool ext = false;
  for (const auto& l : reset.console) ext = ext || l.text.find("EXT") != std::string::npos;
  EXPECT_TRUE(ext) << "the second boot reports the external (RST pin) reset";
}

// A firmware fault under a scenario fails the scenario with the fault report; the harness goes on.
TEST(Runner, FirmwareFaultFailsTheScenario) {
  const ScenarioResult r = run_text(R"(scenario: faulty
timeline:
  - wait: 10ms
)", std::string(K7SIM_GUEST_DIR) + "/fault_unmapped_write.elf");
  EXPECT_EQ(r.status, RunStatus::Failed);
  ASSERT_TRUE(r.fault.has_value());
  EXPECT_EQ(r.fault->kind, "bus fault");
  EXPECT_NE(r.failure.find("write_to_nowhere"), std::string::npos) << r.failure;
}

// power: cycle = off 100 ms, then on: the firmware boots twice.
TEST(Runner, PowerCycleBootsAgain) {
  const ScenarioResult r = run_text(R"(scenario: power-cycle
timeline:
  - wait: 60ms
  - power: cycle
  - wait: 60ms
)");
  ASSERT_EQ(r.status, RunStatus::Passed) << r.failure;
  int por = 0;
  for (const auto& l : r.console) por += l.text.find("POR") != std::string::npos;
  EXPECT_EQ(por, 2);
}

// setup: (scenario-format.md "Top level"): "+++", "a", each command checked for +OK, then AT+Z
// and the wait until the module is up again; t=0 of the timeline comes after that.
TEST(Runner, SetupEntersAtModeAndRestarts) {
  const ScenarioResult r = run_text(R"(scenario: with-setup
setup:
  at:
    - AT+E=ON
timeline:
  - wait: 10ms
  - serial.write: {data: "+++"}
  - expect.serial: {data: "a", within: 5ms}
)");
  ASSERT_EQ(r.status, RunStatus::Passed) << r.failure;
  // The module restarted after setup's AT+Z: a software reset, before t=0 of the timeline.
  ASSERT_FALSE(r.serial.empty());
  EXPECT_GE(r.serial.front().start, 10u * 120'000u) << "setup traffic is not part of the timeline's log";
}

TEST(Runner, SetupCommandRefusedNamesTheCommand) {
  const ScenarioResult r = run_text(R"(scenario: bad-setup
setup:
  at:
    - AT+NOSUCH=1
timeline:
  - wait: 10ms
)");
  expect_failure(r, {"inline.yaml:4:7: setup: AT+NOSUCH=1 was refused", "+ERR=-2"}, RunStatus::Error);
}

namespace {
std::string temp_path(const std::string& name) { return std::string(K7SIM_BINARY_DIR) + "/" + name; }
const std::string kCounterFw = std::string(K7SIM_GUEST_DIR) + "/nv_boot_counter.elf";
}  // namespace

// flash.save keeps flash and EEPROM; device.flash starts a later scenario from that image
// (scenario-format.md "Top level" device.flash, "Steps" flash.save).
TEST(Runner, FlashSaveAndDeviceFlashCarryNonVolatileState) {
  const std::string image = temp_path("runner-test-counter.nv");
  std::remove(image.c_str());
  const ScenarioResult first = run_text(R"(scenario: counter-first
timeline:
  - expect.serial: {data: "boot 00000001\n", within: 50ms}
  - power: cycle
  - expect.serial: {data: "boot 00000002\n", within: 50ms}
  - flash.save: )" + image + "\n", kCounterFw);
  ASSERT_EQ(first.status, RunStatus::Passed) << first.failure;
  const ScenarioResult second = run_text(R"(scenario: counter-second
device:
  flash: )" + image + R"(
timeline:
  - expect.serial: {data: "boot 00000003\n", within: 50ms}
)", kCounterFw);
  EXPECT_EQ(second.status, RunStatus::Passed) << second.failure;
  std::remove(image.c_str());
}

// power.cut: power goes off in the middle of the next EEPROM write; the word keeps a partial,
// deterministic value (docs/board.md: the lowest half of the differing bits took the new value).
TEST(Runner, PowerCutInTheMiddleOfAnEepromWrite) {
  const ScenarioResult r = run_text(R"(scenario: counter-cut
timeline:
  - expect.serial: {data: "boot 00000001\n", within: 50ms}
  - power: off
  - parallel:
      - - power.cut: {during_flash_op: 1}
      - - power: on
  - power: on
  - expect.serial: {data: "boot 00000001\n", within: 50ms}
)", kCounterFw);
  EXPECT_EQ(r.status, RunStatus::Passed) << r.failure;
  // 1 → 2 cut at half: of the two differing bits the lowest takes the new value (0), so the word
  // reads 0 and the next boot counts 1 again.
}

namespace {
// A scenario in which the peer "pc" (192.168.0.201) has connected to the module's port 23 as c1,
// then `steps` (timeline lines).
std::string pc_connected(const std::string& name, const std::string& steps) {
  return "scenario: " + name + "\n" + R"(network:
  peers:
    - name: pc
      ip: 192.168.0.201
timeline:
  - wait: 100ms
  - tcp.connect: {from: pc, to: 23, as: c1}
  - expect.tcp.connected: {conn: c1, within: 50ms}
)" + steps;
}

const std::string kNetEcho = pc_connected("net-echo-for-test", R"(  - tcp.send: {conn: c1, data: "ping"}
  - expect.serial: {data: "ping", within: 20ms}
  - serial.write: {data: "abc"}
  - wait: 20ms
  - serial.write: {data: "def"}
  - expect.tcp: {conn: c1, data: "abcdef", within: 50ms}
)");
}  // namespace

// Network transport through the module's TCP server, both ways (how the device cuts serial data
// into segments is the packing rule, checked by the packing scenarios).
TEST(RunnerNet, TcpServerBothWays) {
  const ScenarioResult r = run_text(kNetEcho);
  ASSERT_EQ(r.status, RunStatus::Passed) << r.failure;
  EXPECT_GT(r.frames.size(), 10u) << "ARP, handshake and data on the segment";
}

// Determinism (architecture.md): same seed → byte-identical frames at identical ticks.
TEST(RunnerNet, SameSeedGivesIdenticalFrames) {
  const ScenarioResult a = run_text(kNetEcho);
  const ScenarioResult b = run_text(kNetEcho);
  ASSERT_EQ(a.frames.size(), b.frames.size());
  for (std::size_t i = 0; i < a.frames.size(); ++i) {
    EXPECT_EQ(a.frames[i].tick, b.frames[i].tick) << i;
    EXPECT_EQ(a.frames[i].bytes, b.frames[i].bytes) << i;
  }
}

// link: the cable pulled during a connection; data sent meanwhile arrives after it is plugged
// again (TCP retransmission), and the firmware saw the link go down and up.
TEST(RunnerNet, LinkDownDuringAConnection) {
  const ScenarioResult r = run_text(pc_connected("link-pull", R"(  - link: down
  - tcp.send: {conn: c1, data: "while down"}
  - expect.none: {on: serial, during: 500ms}
  - link: up
  - expect.serial: {data: "while down", within: 5s}
)"));
  ASSERT_EQ(r.status, RunStatus::Passed) << r.failure;
  int downs = 0, ups = 0;
  for (const auto& l : r.console) {
    downs += l.text.find("link down") != std::string::npos;
    ups += l.text.find("link up") != std::string::npos;
  }
  EXPECT_EQ(downs, 1);
  EXPECT_EQ(ups, 2);
}

// after: on a network expectation (here expect.tcp): met earlier than that fails the step.
TEST(RunnerNet, AfterRejectsAnEarlyNetworkExpectation) {
  const ScenarioResult r = run_text(pc_connected("early-tcp", R"(  - serial.write: {data: "x"}
  - expect.tcp: {conn: c1, data: "x", after: 30ms, within: 50ms}
)"));
  expect_failure(r, {"earlier than after: 30ms"});
}

// The TCP client's keepalive as the wire shows it (k7-behaviour.md "Transparent transmission"):
// after the server vanished, probes (no payload, seq = snd_nxt - 1) at 15 s and then every 5 s of
// silence, the third unanswered one followed by the abort (RST) at 30 s and a new SYN right away.
TEST(RunnerNet, TcpClientKeepaliveProbesOnTheWire) {
  const ScenarioResult r = run_text(R"(scenario: keepalive-wire
setup:
  at:
    - AT+SOCKA1=TCPC,192.168.0.201,8234
network:
  peers:
    - name: pc
      ip: 192.168.0.201
timeline:
  - tcp.listen: {peer: pc, port: 8234, as: srv}
  - expect.tcp.accept: {listener: srv, as: c1, within: 1500ms}
  - tcp.send: {conn: c1, data: "last"}
  - expect.serial: {data: "last", within: 20ms}
  - tcp.vanish: {conn: c1}
    mark: vanished
  - expect.tcp.accept: {listener: srv, as: c2, within: 32s}
)");
  ASSERT_EQ(r.status, RunStatus::Passed) << r.failure;
  const Cycles vanished = r.marks.at("vanished");
  // Device -> pc:8234 TCP segments after the vanish: (time from the vanish in ms, flags, payload).
  struct Seg { double ms; std::uint8_t flags; std::size_t payload; };
  std::vector<Seg> segs;
  for (const PcapFrame& f : r.frames) {
    const auto& b = f.bytes;
    if (f.tick < vanished || b.size() < 54 || b[12] != 0x08 || b[13] != 0x00 || b[23] != 6) continue;
    if (!(b[6] == 0xD8 && b[7] == 0xB0 && b[8] == 0x4C)) continue;  // from the device's MAC
    const std::size_t ihl = (b[14] & 0x0F) * 4u, tcp = 14 + ihl;
    if (((b[tcp + 2] << 8) | b[tcp + 3]) != 8234) continue;
    const std::size_t total = (std::size_t(b[16]) << 8) | b[17];
    const std::size_t doff = (b[tcp + 12] >> 4) * 4u;
    segs.push_back({ticks_to_us(f.tick - vanished) / 1000.0, b[tcp + 13], total - ihl - doff});
  }
  std::vector<double> probes;
  double rst = -1, syn = -1;
  for (const Seg& s : segs) {
    if ((s.flags & 0x04) && rst < 0) rst = s.ms;
    else if ((s.flags & 0x02) && syn < 0) syn = s.ms;
    // (the device's delayed ACK of "last" may leave just after the vanish: not a probe)
    else if (s.flags == 0x10 && s.payload == 0 && rst < 0 && s.ms > 1000.0) probes.push_back(s.ms);
  }
  for (double p : probes) std::printf("probe at %.3f ms after the vanish\n", p);
  std::printf("RST at %.3f ms, SYN at %.3f ms\n", rst, syn);
  ASSERT_EQ(probes.size(), 3u) << "three unanswered probes";
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_GE(probes[i], 15000.0 + 5000.0 * double(i) - 1.0) << i;
    EXPECT_LE(probes[i], 15500.0 + 5000.0 * double(i) + 1.0) << i;
  }
  EXPECT_GE(rst, 30000.0 - 1.0);
  EXPECT_LE(rst, 30500.0 + 1.0);
  ASSERT_GE(syn, 0.0);
  EXPECT_LE(syn - rst, 1000.0) << "the reconnect starts within 1 s of the abort";
}
#ifdef K7SIM_HAVE_UART_RTL
// serial.noise is seeded from the scenario seed (scenario-format.md `seed:`): the same seed flips
// the same bits and the module's UART counts the same errors; another seed flips others. Errors
// show per byte in the serial log records (module status attached to the host's characters).
TEST(Runner, LineNoiseIsSeededAndCounted) {
  auto noisy = [](int seed) {
    return run_text("scenario: noise\nseed: " + std::to_string(seed) + R"(
timeout: 2s
serial: {model: rtl}
timeline:
  - wait: 20ms
  - serial.noise: {ber: 2e-2, for: 100ms}
  - serial.write: {data: {random: 300}}
  - wait: 1ms
  - expect.serial.errors: {framing: {min: 1}, overrun: 0}
)");
  };
  const ScenarioResult a = noisy(3), b = noisy(3), c = noisy(4);
  ASSERT_EQ(a.status, RunStatus::Passed) << a.failure;
  ASSERT_EQ(c.status, RunStatus::Passed) << c.failure;
  EXPECT_GT(a.module_rx.noise_bits, 20u);
  EXPECT_EQ(a.module_rx.noise_bits, b.module_rx.noise_bits);
  EXPECT_EQ(a.module_rx.framing, b.module_rx.framing);
  EXPECT_EQ(a.module_rx.chars, b.module_rx.chars);
  std::vector<std::uint16_t> fa, fc;
  std::uint64_t fe_in_log = 0;
  for (const SerialRecord& r : a.serial) {
    fa.push_back(r.flipped);
    if (r.module && r.module->framing) ++fe_in_log;
  }
  for (const SerialRecord& r : c.serial) fc.push_back(r.flipped);
  EXPECT_NE(fa, fc);
  EXPECT_EQ(fe_in_log, a.module_rx.framing);
  EXPECT_EQ(a.serial_model, "rtl");
}

// Without noise the same scenario counts nothing but characters; expect.serial.errors fails (with
// the counts) when a count is out of its range.
TEST(Runner, ExpectSerialErrorsFailsOutsideTheRange) {
  const ScenarioResult r = run_text(R"(scenario: counts
timeout: 2s
serial: {model: rtl}
timeline:
  - wait: 20ms
  - serial.write: {data: "abc"}
  - wait: 1ms
  - expect.serial.errors: {chars: 3, framing: 0}
  - expect.serial.errors: {framing: {min: 1}, within: 5ms}
)");
  EXPECT_EQ(r.status, RunStatus::Failed);
  EXPECT_NE(r.failure.find("framing errors 0 (expected >= 1)"), std::string::npos) << r.failure;
  EXPECT_NE(r.failure.find("inline.yaml:9:5"), std::string::npos) << r.failure;
  EXPECT_EQ(r.module_rx.chars, 3u);
}
#endif
