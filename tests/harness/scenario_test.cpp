// Valid scenario files load unchanged and become the model the runner executes
// (shared/spec/scenario-format.md: "Everything below MUST be accepted exactly as written").
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "harness/scenario.h"
#include "harness/serial_host.h"
#include "tests/harness/test_units.h"

namespace k7sim {
namespace {

using namespace test_units;

Scenario load_one(const std::string& text) {
  try {
    auto list = load_scenario_text(text, "t.yaml");
    EXPECT_EQ(list.size(), 1u);
    return list.at(0);
  } catch (const ScenarioError& e) {
    ADD_FAILURE() << "unexpected error:\n" << e.all();
    throw;
  }
}

// The top-level example of scenario-format.md "Top level", verbatim except for the timeline
// placeholder `- ...`.
const char* kTopLevelExample = R"yaml(scenario: packing-by-time          # required: identifier [a-z0-9-]+
title: Serial bytes are framed by the pack time (000_f07c2e1ebe076025.txt §4.3.3)
tags: [packing, conformance]       # optional, for --tag filters
timeout: 60s                       # optional hard limit of virtual time (default 600s)
seed: 1                            # optional: seeds every random source of the run

device:
  profile: k7                      # optional, default k7: which product's defaults and dialect
  firmware: default                # "default" = the reference firmware built by the project; or a path to an ELF
  flash: factory                   # factory (erased; firmware writes its defaults) | path to a saved flash image

setup:                             # optional: configuration before t=0, done the way a user would
  baud: 115200                     # line settings used during setup (default: the factory 115200 8N1)
  at:                              # entered over the serial port: "+++", "a", each command, then AT+Z,
    - AT+UARTTL=10,512             # and the harness waits until the device is up again.
    - AT+SOCKA1=TCPS,192.168.0.201,23   # Any reply other than +OK fails the scenario in setup.
                                   # The `serial:` settings below apply from t=0, after setup.

serial:                            # the host side of the TTL line (may differ from the device on purpose)
  baud: 115200                     # default 115200
  format: 8N1                      # data bits 5..8, parity N/O/E/M/S, stop 1|2
  baud_error: 0%                   # optional: host clock error, e.g. 2.5% or -4%
  model: fast                      # fast (C++ UART model, default) | rtl (bit-level line, UART RTL under Verilator)

network:
  peers:                           # hosts on the same virtual Ethernet segment as the device
    - name: pc
      ip: 192.168.0.201            # mask /24 unless given as 192.168.0.201/16
      mac: 02:00:00:00:00:01       # optional, derived from the name when absent
  dhcp: false                      # optional: true runs a DHCP server peer on the segment

timeline:                          # steps, run in order; see below
  - wait: 10ms

matrix:                            # optional: run the scenario once per combination
  baud: [9600, 115200, 921600]     # use as ${baud} anywhere in string values
)yaml";

// scenario-format.md "Top level": the full example loads, every key lands in the model.
TEST(ScenarioTopLevel, SpecExampleLoadsWithEveryKey) {
  auto list = load_scenario_text(kTopLevelExample, "spec/top.yaml");
  ASSERT_EQ(list.size(), 3u) << "matrix: baud has three values";
  const Scenario& sc = list[0];
  EXPECT_EQ(sc.id, "packing-by-time");
  EXPECT_EQ(sc.name, "packing-by-time[baud=9600]");
  EXPECT_EQ(sc.title, "Serial bytes are framed by the pack time (000_f07c2e1ebe076025.txt §4.3.3)");
  EXPECT_EQ(sc.tags, (std::vector<std::string>{"packing", "conformance"}));
  EXPECT_EQ(sc.timeout, 60 * kS);
  EXPECT_EQ(sc.seed, 1u);
  EXPECT_TRUE(sc.seed_given);
  EXPECT_EQ(sc.device.profile, "k7");
  EXPECT_EQ(sc.device.firmware, "default");
  EXPECT_EQ(sc.device.firmware_path, "");
  EXPECT_EQ(sc.device.flash, "factory");
  EXPECT_EQ(sc.device.flash_path, "");
  EXPECT_TRUE(sc.setup.present);
  EXPECT_EQ(sc.setup.line.baud, 115200u);
  EXPECT_EQ(sc.setup.at, (std::vector<std::string>{"AT+UARTTL=10,512", "AT+SOCKA1=TCPS,192.168.0.201,23"}));
  ASSERT_EQ(sc.setup.at_locs.size(), 2u);
  EXPECT_EQ(sc.setup.at_locs[1].line, 16);
  EXPECT_EQ(sc.setup.at_locs[1].column, 7);
  EXPECT_EQ(sc.serial.line.baud, 115200u);
  EXPECT_EQ(format_serial_format(sc.serial.line), "8N1");
  EXPECT_EQ(sc.serial.baud_error_percent, 0.0);
  EXPECT_EQ(sc.serial.model, SerialModel::Fast);
  ASSERT_EQ(sc.network.peers.size(), 1u);
  const Peer& pc = sc.network.peers[0];
  EXPECT_EQ(pc.name, "pc");
  EXPECT_EQ(pc.ip.str(), "192.168.0.201");
  EXPECT_EQ(pc.prefix, 24u);
  EXPECT_TRUE(pc.mac_given);
  EXPECT_EQ(format_mac(pc.mac), "02:00:00:00:00:01");
  EXPECT_FALSE(sc.network.dhcp);
  ASSERT_EQ(sc.timeline.size(), 1u);
  EXPECT_EQ(sc.timeline[0].kind, StepKind::Wait);
  EXPECT_EQ(sc.file, "spec/top.yaml");
  EXPECT_EQ(sc.base_dir, "spec");
  EXPECT_EQ(sc.loc.str(), "spec/top.yaml:1:11");
}

// scenario-format.md "Top level": optional keys and their defaults.
TEST(ScenarioTopLevel, DefaultsOfOptionalKeys) {
  Scenario sc = load_one("scenario: minimal\ntimeline:\n  - wait: 1s\n");
  EXPECT_EQ(sc.name, "minimal");
  EXPECT_EQ(sc.timeout, 600 * kS) << "default timeout 600s";
  EXPECT_FALSE(sc.seed_given);
  EXPECT_EQ(sc.device.profile, "k7");
  EXPECT_EQ(sc.device.firmware, "default");
  EXPECT_EQ(sc.device.flash, "factory");
  EXPECT_FALSE(sc.setup.present);
  EXPECT_EQ(sc.setup.line.baud, 115200u) << "setup default: the factory 115200 8N1";
  EXPECT_EQ(sc.serial.line.baud, 115200u);
  EXPECT_EQ(format_serial_format(sc.serial.line), "8N1");
  EXPECT_EQ(sc.serial.model, SerialModel::Fast);
  EXPECT_TRUE(sc.network.peers.empty());
  EXPECT_FALSE(sc.network.dhcp);
  EXPECT_EQ(sc.min_duration, 1 * kS);
}

// scenario-format.md "Top level": firmware/flash paths; peers with /prefix and derived MAC.
TEST(ScenarioTopLevel, PathsPrefixesAndDerivedMac) {
  auto list = load_scenario_text(R"yaml(
scenario: paths
device: {firmware: ../fw/k7.elf, flash: images/saved.bin}
serial: {baud: 9600, format: 7E2, baud_error: -4%, model: rtl}
network:
  peers:
    - {name: pc, ip: 192.168.0.201/16}
    - {name: server, ip: 10.0.0.2}
  dhcp: true
)yaml", "suite/reset/paths.yaml");
  const Scenario& sc = list.at(0);
  EXPECT_EQ(sc.device.firmware_path, "suite/fw/k7.elf");
  EXPECT_EQ(sc.device.flash_path, "suite/reset/images/saved.bin");
  EXPECT_EQ(sc.serial.line.baud, 9600u);
  EXPECT_EQ(sc.serial.line.parity, 'E');
  EXPECT_EQ(sc.serial.baud_error_percent, -4.0);
  EXPECT_EQ(sc.serial.model, SerialModel::Rtl);
  EXPECT_EQ(sc.network.peers[0].prefix, 16u);
  EXPECT_FALSE(sc.network.peers[1].mac_given);
  EXPECT_EQ(sc.network.peers[1].mac, derive_mac("server"));
  EXPECT_TRUE(sc.network.dhcp);
  EXPECT_TRUE(sc.timeline.empty()) << "timeline: is optional (a setup-only scenario)";
}

// Every example of the table in scenario-format.md "Steps", as written there (D and N filled in).
const char* kEveryStep = R"yaml(scenario: every-step
timeout: 120s
network:
  peers:
    - name: pc
      ip: 192.168.0.201
timeline:
  - wait: 10ms
  - power: on
  - power: off
  - power: cycle
  - power.cut: {during_flash_op: 3}
  - pin.set: {reload: low}
  - pin.set: {rst: high}
  - pin.set: {cts: low}
  - pin.pulse: {pin: rst, level: low, for: 250ms}
  - expect.pin: {pin: rts, level: high, within: 1ms}
  - serial.write: {data: "AT+VER\r", gap: 0}
  - serial.break: {for: 10ms}
  - expect.serial: {data: "\r\n+OK\r\n", within: 50ms, after: 1ms}
  - expect.serial: {data: {match: "^\\r\\n\\+OK=\\d+\\r\\n$"}, within: 50ms}
  - expect.none: {on: serial, during: 100ms}
  - tcp.connect: {from: pc, to: 23, as: c1, port: 0}
  - tcp.listen: {peer: pc, port: 8234, as: srv}
  - expect.tcp.accept: {listener: srv, as: c1, within: 2s}
  - expect.tcp.connected: {conn: c1, within: 1s}
  - tcp.send: {conn: c1, data: {hex: "55 AA 55 01 C2 00 83 46"}}
  - expect.tcp: {conn: c1, data: {repeat: "A", count: 1460}, within: 100ms}
  - expect.tcp: {conn: c1, segments: ["ab", "cd"], within: 100ms}
  - expect.none: {on: tcp:c1, during: 100ms}
  - tcp.close: {conn: c1}
  - expect.tcp.closed: {conn: c1, within: 1s}
  - tcp.reset: {conn: c1}
  - expect.tcp.reset: {conn: c1, within: 1s}
  - tcp.vanish: {conn: c1}
  - udp.bind: {peer: pc, port: 20108, as: u1}
  - udp.send: {from: u1, to: 23, data: {random: 2048}, dst_ip: 255.255.255.255}
  - expect.udp: {on: u1, data: "\x55\xAA", from_port: 23, within: 10ms}
  - expect.none: {on: udp:pc:20108, during: 100ms}
  - link: down
  - link: up
  - net.fault: {loss: 5%, delay: 20ms, duplicate: 1%, for: 10s}
  - mark: t0
  - serial.write: {data: "abc", gap: 0}
    mark: t1
  - measure: {name: ser2net_ms, from: t0, to: t1, max: 10ms}
  - parallel:
    - - serial.write: {data: "x"}
    - - wait: 5ms
      - expect.serial: {data: "y", within: 1s}
  - repeat: {count: 3, steps: [{wait: 1ms}, {serial.write: {data: "z"}}]}
  - flash.save: images/after.bin
  - serial.noise: {ber: 1e-4, for: 1s}
serial: {model: rtl}
)yaml";

// scenario-format.md "Steps": every step of the table loads as written, in order, with its arguments.
TEST(ScenarioSteps, EveryStepOfTheSpecTableLoads) {
  auto list = load_scenario_text(kEveryStep, "dir/every.yaml");
  ASSERT_EQ(list.size(), 1u);
  const StepList& t = list[0].timeline;
  std::vector<StepKind> kinds;
  for (const Step& s : t) kinds.push_back(s.kind);
  using K = StepKind;
  std::vector<StepKind> want = {
      K::Wait, K::Power, K::Power, K::Power, K::PowerCut, K::PinSet, K::PinSet, K::PinSet,
      K::PinPulse, K::ExpectPin, K::SerialWrite, K::SerialBreak, K::ExpectSerial, K::ExpectSerial,
      K::ExpectNone, K::TcpConnect, K::TcpListen, K::ExpectTcpAccept, K::ExpectTcpConnected,
      K::TcpSend, K::ExpectTcp, K::ExpectTcp, K::ExpectNone, K::TcpClose, K::ExpectTcpClosed,
      K::TcpReset, K::ExpectTcpReset, K::TcpVanish, K::UdpBind, K::UdpSend, K::ExpectUdp,
      K::ExpectNone, K::Link, K::Link, K::NetFault, K::Mark, K::SerialWrite, K::Measure,
      K::Parallel, K::Repeat, K::FlashSave, K::SerialNoise};
  ASSERT_EQ(kinds, want);

  EXPECT_EQ(t[0].get<WaitArgs>().duration, 10 * kMs);
  EXPECT_EQ(t[1].get<PowerArgs>().action, PowerAction::On);
  EXPECT_EQ(t[3].get<PowerArgs>().action, PowerAction::Cycle);
  EXPECT_EQ(t[4].get<PowerCutArgs>().during_flash_op, 3u);
  ASSERT_EQ(t[5].get<PinSetArgs>().pins.size(), 1u);
  EXPECT_EQ(t[5].get<PinSetArgs>().pins[0], std::make_pair(Pin::Reload, PinDrive::Low));
  EXPECT_EQ(t[6].get<PinSetArgs>().pins[0], std::make_pair(Pin::Rst, PinDrive::High));
  const auto& pulse = t[8].get<PinPulseArgs>();
  EXPECT_EQ(pulse.pin, Pin::Rst);
  EXPECT_EQ(pulse.level, Level::Low);
  EXPECT_EQ(pulse.duration, 250 * kMs);
  EXPECT_EQ(t[9].get<ExpectPinArgs>().pin, Pin::Rts);
  EXPECT_EQ(t[9].get<ExpectPinArgs>().level, Level::High);
  EXPECT_EQ(t[9].within, 1 * kMs);
  EXPECT_EQ(t[10].get<SerialWriteArgs>().data.fixed_bytes(), bytes("AT+VER\r"));
  EXPECT_EQ(t[10].get<SerialWriteArgs>().gap, 0u);
  EXPECT_EQ(t[11].get<SerialBreakArgs>().duration, 10 * kMs);
  EXPECT_EQ(t[12].get<ExpectSerialArgs>().data.fixed_bytes(), bytes("\r\n+OK\r\n"));
  EXPECT_EQ(t[12].within, 50 * kMs);
  EXPECT_EQ(t[12].after, 1 * kMs);
  const DataSpec& match = t[13].get<ExpectSerialArgs>().data;
  ASSERT_TRUE(match.is_match());
  EXPECT_EQ(match.pattern, "^\\r\\n\\+OK=\\d+\\r\\n$");
  EXPECT_TRUE(std::regex_match(std::string("\r\n+OK=115200\r\n"), *match.regex));
  EXPECT_EQ(t[14].get<ExpectNoneArgs>().channel, ExpectNoneArgs::Channel::Serial);
  EXPECT_EQ(t[14].get<ExpectNoneArgs>().during, 100 * kMs);
  const auto& connect = t[15].get<TcpConnectArgs>();
  EXPECT_EQ(connect.from, "pc");
  EXPECT_EQ(connect.to, 23);
  EXPECT_EQ(connect.as, "c1");
  EXPECT_EQ(connect.port, 0);
  EXPECT_FALSE(connect.dst_ip);
  EXPECT_EQ(t[16].get<TcpListenArgs>().port, 8234);
  EXPECT_EQ(t[17].get<ExpectTcpAcceptArgs>().listener, "srv");
  EXPECT_EQ(t[17].get<ExpectTcpAcceptArgs>().as, "c1");
  EXPECT_EQ(t[18].get<ConnArgs>().conn, "c1");
  EXPECT_EQ(t[19].get<TcpSendArgs>().data.fixed_bytes(),
            (std::vector<std::uint8_t>{0x55, 0xAA, 0x55, 0x01, 0xC2, 0x00, 0x83, 0x46}));
  EXPECT_EQ(t[20].get<ExpectTcpArgs>().data->fixed_bytes(), std::vector<std::uint8_t>(1460, 'A'));
  const auto& segs = t[21].get<ExpectTcpArgs>();
  EXPECT_FALSE(segs.data);
  ASSERT_EQ(segs.segments.size(), 2u);
  EXPECT_EQ(segs.segments[1].fixed_bytes(), bytes("cd"));
  EXPECT_EQ(t[22].get<ExpectNoneArgs>().channel, ExpectNoneArgs::Channel::Tcp);
  EXPECT_EQ(t[22].get<ExpectNoneArgs>().conn, "c1");
  EXPECT_EQ(t[28].get<UdpBindArgs>().port, 20108);
  const auto& send = t[29].get<UdpSendArgs>();
  EXPECT_EQ(send.from, "u1");
  EXPECT_EQ(send.to, 23);
  EXPECT_EQ(send.dst_ip->value, 0xFFFFFFFFu);
  EXPECT_EQ(send.data.size(), 2048u);
  EXPECT_TRUE(send.data.has_random());
  const auto& eudp = t[30].get<ExpectUdpArgs>();
  EXPECT_EQ(eudp.on, "u1");
  EXPECT_EQ(eudp.data.fixed_bytes(), (std::vector<std::uint8_t>{0x55, 0xAA}));
  EXPECT_EQ(eudp.from_port, 23);
  const auto& none_udp = t[31].get<ExpectNoneArgs>();
  EXPECT_EQ(none_udp.channel, ExpectNoneArgs::Channel::Udp);
  EXPECT_EQ(none_udp.peer, "pc");
  EXPECT_EQ(none_udp.port, 20108);
  EXPECT_FALSE(t[32].get<LinkArgs>().up);
  EXPECT_TRUE(t[33].get<LinkArgs>().up);
  const auto& fault = t[34].get<NetFaultArgs>();
  EXPECT_DOUBLE_EQ(fault.loss_percent, 5.0);
  EXPECT_EQ(fault.delay, 20 * kMs);
  EXPECT_DOUBLE_EQ(fault.duplicate_percent, 1.0);
  EXPECT_EQ(fault.duration, 10 * kS);
  EXPECT_EQ(t[35].get<MarkArgs>().name, "t0");
  EXPECT_EQ(t[36].mark, "t1");
  const auto& measure = t[37].get<MeasureArgs>();
  EXPECT_EQ(measure.name, "ser2net_ms");
  EXPECT_EQ(measure.from, "t0");
  EXPECT_EQ(measure.to, "t1");
  EXPECT_EQ(measure.max, 10 * kMs);
  const auto& par = t[38].get<ParallelArgs>();
  ASSERT_EQ(par.branches.size(), 2u);
  EXPECT_EQ(par.branches[0].size(), 1u);
  EXPECT_EQ(par.branches[1].size(), 2u);
  EXPECT_EQ(par.branches[1][1].kind, StepKind::ExpectSerial);
  const auto& rep = t[39].get<RepeatArgs>();
  EXPECT_EQ(rep.count, 3u);
  ASSERT_EQ(rep.steps.size(), 2u);
  EXPECT_EQ(rep.steps[1].kind, StepKind::SerialWrite);
  EXPECT_EQ(t[40].get<FlashSaveArgs>().path, "images/after.bin");
  EXPECT_EQ(t[40].get<FlashSaveArgs>().resolved_path, "dir/images/after.bin");
  EXPECT_DOUBLE_EQ(t[41].get<SerialNoiseArgs>().ber, 1e-4);
  EXPECT_EQ(t[41].get<SerialNoiseArgs>().duration, 1 * kS);
}

// scenario-format.md "Steps": each step keeps where it was written (for reports and errors).
TEST(ScenarioSteps, StepsKeepTheirSourceLocation) {
  auto list = load_scenario_text(kEveryStep, "dir/every.yaml");
  const StepList& t = list[0].timeline;
  EXPECT_EQ(t[0].loc.str(), "dir/every.yaml:8:5");
  EXPECT_EQ(t[36].loc.str(), "dir/every.yaml:44:5");
  const auto& par = t[38].get<ParallelArgs>();
  EXPECT_EQ(par.branches[1][1].loc.str(), "dir/every.yaml:50:9");
  EXPECT_EQ(t[39].get<RepeatArgs>().steps[1].loc.str(), "dir/every.yaml:51:46");
}

// scenario-format.md "Time semantics": the loader's lower bound of the time a timeline needs
// (waits, pulses, after:, during:, power cycle, repeat and parallel).
TEST(ScenarioTime, MinimumDurationOfTheTimeline) {
  Scenario sc = load_one(R"yaml(
scenario: bound
timeline:
  - wait: 10ms
  - power: cycle
  - pin.pulse: {pin: rst, for: 250ms}
  - expect.serial: {data: "x", after: 5ms, within: 1s}
  - expect.none: {on: serial, during: 35ms}
  - parallel:
    - [{wait: 100ms}]
    - [{wait: 300ms}, {wait: 1ms}]
  - repeat: {count: 4, steps: [{wait: 50ms}, {serial.break: {for: 50ms}}]}
)yaml");
  EXPECT_EQ(sc.min_duration, (10 + 100 + 250 + 5 + 35 + 301 + 400) * kMs);
}

// scenario-format.md "Time semantics": at: is absolute; the next step starts after it.
TEST(ScenarioTime, AtIsAbsolute) {
  Scenario sc = load_one(R"yaml(
scenario: at
timeline:
  - wait: 1s
  - serial.write: "a"
    at: 5s
  - wait: 1s
)yaml");
  EXPECT_EQ(sc.timeline[1].at, 5 * kS);
  EXPECT_EQ(sc.min_duration, 6 * kS);
}

// scenario-format.md "Steps": "Every step may carry name: and mark:". Decision: they can be
// written next to the step (sibling keys) or inside its argument mapping.
TEST(ScenarioSteps, NameMarkAtWithinAfterNextToOrInsideTheStep) {
  Scenario sc = load_one(R"yaml(
scenario: common-keys
timeline:
  - serial.write: {data: "a"}
    name: send
    mark: sent
    at: 1s
  - serial.write: {data: "b", name: send2, mark: sent2, at: 2s}
  - expect.serial: {data: "ab"}
    within: 10ms
    after: 1ms
  - wait: 1ms
    name: pause
  - mark: t0
    name: the mark
  - measure: {from: send.start, to: send2.end}
    name: how long
)yaml");
  const StepList& t = sc.timeline;
  EXPECT_EQ(t[0].name, "send");
  EXPECT_EQ(t[0].mark, "sent");
  EXPECT_EQ(t[0].at, 1 * kS);
  EXPECT_EQ(t[1].name, "send2");
  EXPECT_EQ(t[1].mark, "sent2");
  EXPECT_EQ(t[1].at, 2 * kS);
  EXPECT_EQ(t[2].within, 10 * kMs);
  EXPECT_EQ(t[2].after, 1 * kMs);
  EXPECT_EQ(t[3].name, "pause");
  EXPECT_EQ(t[4].kind, StepKind::Mark);
  EXPECT_EQ(t[4].name, "the mark");
  EXPECT_EQ(t[4].get<MarkArgs>().name, "t0");
  EXPECT_EQ(t[5].name, "how long");
  EXPECT_EQ(t[5].get<MeasureArgs>().name, "send.start..send2.end") << "measure name defaults";
}

// scenario-format.md "Steps": "<step-name>.start and .end are marks too"; measure may use a mark
// set in another branch of the same parallel (both run at once).
TEST(ScenarioSteps, MarksFromStepNamesAndFromParallelBranches) {
  Scenario sc = load_one(R"yaml(
scenario: marks
timeline:
  - parallel:
    - - expect.serial: {data: "x", within: 1s}
        mark: rx
      - measure: {name: a, from: tx, to: rx, max: 10ms}
    - - serial.write: "x"
        mark: tx
  - repeat:
      count: 10
      steps:
        - serial.write: "q"
          name: q
        - expect.serial: {data: "q", within: 10ms}
          mark: echoed
        - measure: {name: echo, from: q.start, to: echoed}
)yaml");
  EXPECT_EQ(sc.timeline.size(), 2u);
}

// Extension (docs/scenarios.md): shorthand data for serial.write / expect.serial, lists of data,
// a one-step parallel branch, pin.set with several pins and release, net.fault without for.
TEST(ScenarioSteps, Extensions) {
  Scenario sc = load_one(R"yaml(
scenario: extensions
network: {peers: [{name: pc, ip: 192.168.0.201}]}
timeline:
  - serial.write: "AT\r"
  - serial.write: {hex: "41 42"}
  - serial.write: ["AT", {hex: "0D"}, {repeat: "\x00", count: 2}]
  - expect.serial: "\r\n+OK\r\n"
    within: 1s
  - expect.serial: {match: "^ok$"}
  - parallel:
    - wait: 1ms
    - [{wait: 2ms}]
  - pin.set: {reload: low, rst: release}
  - net.fault: {loss: 1%}
  - tcp.connect: {from: pc, to: 23, as: c1, dst_ip: 192.168.0.7}
  - expect.tcp: {conn: c1, data: "x", skip: true}
  - udp.bind: {peer: pc, port: 0, as: u1}
  - expect.udp: {on: u1, data: "x", from_ip: 192.168.0.7}
  - expect.none: {on: udp:u1, during: 1ms}
)yaml");
  const StepList& t = sc.timeline;
  EXPECT_EQ(t[0].get<SerialWriteArgs>().data.fixed_bytes(), bytes("AT\r"));
  EXPECT_EQ(t[1].get<SerialWriteArgs>().data.fixed_bytes(), bytes("AB"));
  EXPECT_EQ(t[2].get<SerialWriteArgs>().data.fixed_bytes(), (std::vector<std::uint8_t>{'A', 'T', 0x0D, 0, 0}));
  EXPECT_EQ(t[3].get<ExpectSerialArgs>().data.fixed_bytes(), bytes("\r\n+OK\r\n"));
  EXPECT_EQ(t[3].within, 1 * kS);
  EXPECT_TRUE(t[4].get<ExpectSerialArgs>().data.is_match());
  EXPECT_EQ(t[5].get<ParallelArgs>().branches.size(), 2u);
  const auto& pins = t[6].get<PinSetArgs>().pins;
  ASSERT_EQ(pins.size(), 2u);
  EXPECT_EQ(pins[1], std::make_pair(Pin::Rst, PinDrive::Release));
  EXPECT_FALSE(t[7].get<NetFaultArgs>().duration);
  EXPECT_EQ(t[8].get<TcpConnectArgs>().dst_ip->str(), "192.168.0.7");
  EXPECT_TRUE(t[9].get<ExpectTcpArgs>().skip);
  EXPECT_EQ(t[11].get<ExpectUdpArgs>().from_ip->str(), "192.168.0.7");
  EXPECT_EQ(t[12].get<ExpectNoneArgs>().conn, "u1");
}

// scenario-format.md Values: data strings in every YAML style; C escapes give bytes, \xHH is one byte.
TEST(ScenarioData, EscapesInEveryYamlQuotingStyle) {
  Scenario sc = load_one(R"yaml(
scenario: escapes
timeline:
  - serial.write: "\x55\xAA\r\n"
  - serial.write: '\x55\xAA\r\n'
  - serial.write: \x55\xAA\r\n
  - serial.write: "\101\102\0\377"
  - serial.write: "caf\u00e9 \t|"
  - serial.write: "first
      second\
      third"
  - serial.write: |-
      line\r
  - serial.write: "é"
  - serial.write: &x "\xFF"
  - serial.write: *x
  - serial.write: !!str "\xFE"
)yaml");
  const StepList& t = sc.timeline;
  auto b = [&](int i) { return t[i].get<SerialWriteArgs>().data.fixed_bytes(); };
  std::vector<std::uint8_t> want = {0x55, 0xAA, '\r', '\n'};
  EXPECT_EQ(b(0), want) << "double quotes";
  EXPECT_EQ(b(1), want) << "single quotes";
  EXPECT_EQ(b(2), want) << "plain";
  EXPECT_EQ(b(3), (std::vector<std::uint8_t>{'A', 'B', 0, 0xFF})) << "octal inside double quotes";
  EXPECT_EQ(b(4), bytes("caf\xC3\xA9 \t|"));
  EXPECT_EQ(b(5), bytes("first secondthird")) << "YAML line folding";
  EXPECT_EQ(b(6), bytes("line\r")) << "block scalar";
  EXPECT_EQ(b(7), bytes("\xC3\xA9")) << "literal UTF-8 text stays UTF-8";
  EXPECT_EQ(b(8), (std::vector<std::uint8_t>{0xFF})) << "anchored";
  EXPECT_EQ(b(9), (std::vector<std::uint8_t>{0xFF})) << "alias";
  EXPECT_EQ(b(10), (std::vector<std::uint8_t>{0xFE})) << "tagged";
}

// scenario-format.md "Results": a scenario file on disk; a missing one is a file error.
TEST(ScenarioFiles, LoadFromDiskAndFindFiles) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("k7scen_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "packing");
  fs::create_directories(dir / "escape");
  fs::create_directories(dir / ".hidden");
  auto write = [&](const fs::path& p, const std::string& text) {
    std::ofstream(p) << text;
  };
  write(dir / "packing" / "b.yaml", "scenario: b\n");
  write(dir / "packing" / "a.yml", "scenario: a\n");
  write(dir / "escape" / "c.yaml", "scenario: c\n");
  write(dir / "escape" / "notes.txt", "not a scenario");
  write(dir / ".hidden" / "d.yaml", "scenario: d\n");
  write(dir / "top.yaml", "scenario: top\n");

  auto files = find_scenario_files({dir.string(), (dir / "top.yaml").string()});
  std::vector<std::string> want = {(dir / "escape" / "c.yaml").string(),
                                   (dir / "packing" / "a.yml").string(),
                                   (dir / "packing" / "b.yaml").string(), (dir / "top.yaml").string()};
  EXPECT_EQ(files, want) << "recursive, sorted, hidden skipped, duplicates dropped";
  auto single = find_scenario_files({(dir / "escape" / "notes.txt").string()});
  EXPECT_EQ(single.size(), 1u) << "a file named explicitly is taken as given";

  auto loaded = load_scenario_file((dir / "packing" / "b.yaml").string());
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].id, "b");
  EXPECT_EQ(loaded[0].file, (dir / "packing" / "b.yaml").string());

  try {
    find_scenario_files({(dir / "nope").string()});
    ADD_FAILURE() << "missing path accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "nope").string() + ": no such file or directory");
  }
  try {
    load_scenario_file((dir / "nope.yaml").string());
    ADD_FAILURE() << "missing file accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "nope.yaml").string() + ": no such file");
  }
  fs::remove_all(dir);
}

// docs/scenarios.md: every YAML example of the scenario reference loads (step snippets are placed
// in a timeline that declares the peer pc and the names c1, srv and u1 they use).
TEST(ScenarioDocs, EveryExampleOfTheReferenceLoads) {
  std::ifstream in(std::string(K7SIM_SOURCE_DIR) + "/docs/scenarios.md");
  ASSERT_TRUE(in) << "docs/scenarios.md not found";
  std::string line, block;
  bool inside = false;
  int examples = 0;
  int block_line = 0, line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!inside && line == "```yaml") {
      inside = true;
      block.clear();
      block_line = line_no;
      continue;
    }
    if (inside && line == "```") {
      inside = false;
      std::string text = block;
      if (text.rfind("scenario:", 0) != 0) {
        std::string steps;
        std::istringstream lines(block);
        for (std::string l; std::getline(lines, l);) steps += "  " + l + "\n";
        // The bit-level line (serial.noise, serial.glitch) needs the RTL model.
        text = "scenario: doc-example\n"
               "serial: {model: rtl}\n"
               "network: {peers: [{name: pc, ip: 192.168.0.201}]}\n"
               "timeline:\n"
               "  - tcp.connect: {from: pc, to: 23, as: c1}\n"
               "  - tcp.listen: {peer: pc, port: 8234, as: srv}\n"
               "  - udp.bind: {peer: pc, port: 20108, as: u1}\n" + steps;
      }
      try {
        load_scenario_text(text, "docs/scenarios.md@" + std::to_string(block_line));
      } catch (const ScenarioError& e) {
        ADD_FAILURE() << "example at docs/scenarios.md line " << block_line << ":\n" << e.all() << text;
      }
      ++examples;
      continue;
    }
    if (inside) block += line + "\n";
  }
  EXPECT_GE(examples, 10);
}

// The bit-level line's steps load with their arguments (docs/scenarios.md "Serial line extensions").
TEST(ScenarioSteps, BitLevelLineStepsLoad) {
  auto list = load_scenario_text(R"yaml(scenario: line
seed: 7
serial: {model: rtl}
timeline:
  - serial.noise: {ber: 1e-3}
  - serial.noise: {ber: 0, for: 10ms}
  - serial.glitch: {width: 2us}
  - serial.break: {for: 1ms}
  - expect.serial.errors: {chars: 3, framing: {min: 1}, parity: {max: 2}, break: {min: 1, max: 4}, overrun: 0, within: 5ms}
  - expect.serial.errors: {framing: 0, after: 1ms}
)yaml", "line.yaml");
  ASSERT_EQ(list.size(), 1u);
  const StepList& t = list[0].timeline;
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0].kind, StepKind::SerialNoise);
  EXPECT_DOUBLE_EQ(t[0].get<SerialNoiseArgs>().ber, 1e-3);
  EXPECT_FALSE(t[0].get<SerialNoiseArgs>().duration.has_value());
  EXPECT_EQ(t[2].kind, StepKind::SerialGlitch);
  EXPECT_EQ(t[2].get<SerialGlitchArgs>().width, 2 * kTickHz / 1'000'000);
  const auto& e = t[4].get<ExpectSerialErrorsArgs>();
  EXPECT_EQ(e.chars->min, 3u);
  EXPECT_EQ(e.chars->max, 3u);
  EXPECT_EQ(e.framing->min, 1u);
  EXPECT_EQ(e.framing->max, UINT64_MAX);
  EXPECT_EQ(e.parity->describe(), "<= 2");
  EXPECT_EQ(e.brk->describe(), "1..4");
  EXPECT_EQ(e.overrun->describe(), "0");
  EXPECT_EQ(t[4].within, 5 * kTickHz / 1000);
  EXPECT_TRUE(is_expectation(StepKind::ExpectSerialErrors));
  EXPECT_FALSE(t[5].get<ExpectSerialErrorsArgs>().chars.has_value());
}

TEST(ScenarioSteps, StepNamesRoundTrip) {
  EXPECT_EQ(all_step_kinds().size(), 34u);
  for (StepKind k : all_step_kinds()) {
    EXPECT_EQ(step_kind_from_name(step_name(k)), k) << step_name(k);
  }
  EXPECT_FALSE(step_kind_from_name("serial.wirte"));
  EXPECT_TRUE(is_expectation(StepKind::ExpectTcpAccept));
  EXPECT_FALSE(is_expectation(StepKind::TcpSend));
  EXPECT_TRUE(is_input_pin(Pin::Reload));
  EXPECT_FALSE(is_input_pin(Pin::Rts));
  EXPECT_STREQ(pin_name(Pin::Cts), "cts");
}

}  // namespace
}  // namespace k7sim

namespace k7sim {

// The host's bit-level line drives exactly the waveform of a frame (SerialFrame::level_at) at every
// tick, and inverts exactly the bits it is told to.
TEST(SerialLine, FrameEdgesFollowTheWaveform) {
  for (double bit : {1041.67, 1041.75, 120.0, 8.0 * 15.5}) {
    for (const char* fmt : {"8N1", "7E2", "5O1"}) {
      SerialFrame f;
      ASSERT_TRUE(SerialFormat::parse(fmt, f.format));
      f.start = 1000;
      f.bit_ticks = bit;
      for (unsigned data : {0x00u, 0xFFu, 0x5Au, 0x81u}) {
        f.data = std::uint8_t(data & ((1u << f.format.data_bits) - 1));
        f.parity_bit = SerialFrame::compute_parity(f.data, f.format);
        for (std::uint16_t flipped : {std::uint16_t(0), std::uint16_t(0x001), std::uint16_t(0x201), std::uint16_t(0x3FF)}) {
          const auto edges = SerialHost::frame_edges(f, flipped);
          bool level = true;
          std::size_t next = 0;
          for (Cycles t = f.start - 2; t < f.end() + 2 * bit; ++t) {
            while (next < edges.size() && edges[next].at == t) level = edges[next++].level;
            const double index = std::floor(double(t - f.start) / bit);
            bool want = f.level_at(t);
            if (t >= f.start && index < f.format.bits_per_frame() && ((flipped >> unsigned(index)) & 1u)) want = !want;
            ASSERT_EQ(level, want) << fmt << " bit " << bit << " data " << data << " flipped " << flipped << " t " << t;
          }
          EXPECT_EQ(next, edges.size());
        }
      }
    }
  }
}

}  // namespace k7sim
