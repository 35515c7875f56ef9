#include "harness/runner.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <cmath>
#include <memory>
#include <random>
#include <map>
#include <regex>
#include <stdexcept>
#include <sstream>

#include "harness/net/dhcp_server.h"
#include "harness/net/dns_server.h"
#include "harness/net/host_stack.h"
#include "harness/net/segment.h"
#include "harness/recorders.h"
#include "harness/serial_host.h"
#include "harness/values.h"

namespace k7sim {

const char* to_string(RunStatus s) {
  switch (s) {
    case RunStatus::Passed: return "PASS";
    case RunStatus::Failed: return "FAIL";
    case RunStatus::Error: return "ERROR";
  }
  return "?";
}

namespace {

std::string us(Cycles t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3f ms", ticks_to_us(t) / 1000.0);
  return buf;
}

std::string hex_and_text(const std::vector<std::uint8_t>& bytes, std::size_t max = 64) {
  std::ostringstream o;
  const std::size_t n = std::min(bytes.size(), max);
  for (std::size_t i = 0; i < n; ++i) {
    char b[4];
    std::snprintf(b, sizeof b, "%02X", bytes[i]);
    o << (i ? " " : "") << b;
  }
  if (bytes.size() > max) o << " ...";
  o << "  \"" << escape_bytes(bytes.data(), n) << (bytes.size() > max ? "..." : "") << "\"";
  if (bytes.empty()) return "nothing";
  return o.str();
}

std::optional<ModulePin> board_pin(Pin p) {
  switch (p) {
    case Pin::Rst: return ModulePin::Rst;
    case Pin::Reload: return ModulePin::Reload;
    case Pin::Cts: return ModulePin::Cts;
    case Pin::Rts: return ModulePin::Rts;
    case Pin::Txd: return ModulePin::Txd;
    case Pin::Rxd: return ModulePin::Rxd;
  }
  return std::nullopt;
}

// What the module's receiver made of each host character, for NAME.serial.log: a status belongs
// to the last host>dev record that began before it (its stop-bit sample comes after the start
// bit). A second status for one record (noise that split a character) or one before any record
// becomes a record of its own, marked module_only.
void attach_module_status(std::vector<SerialRecord>& log, const std::vector<SerialRecord::ModuleRx>& statuses) {
  std::vector<std::size_t> host;
  for (std::size_t i = 0; i < log.size(); ++i)
    if (log[i].dir == SerialRecord::Dir::HostToDevice) host.push_back(i);
  std::sort(host.begin(), host.end(), [&](std::size_t a, std::size_t b) { return log[a].start < log[b].start; });
  std::vector<SerialRecord> extra;
  std::size_t h = 0;  // statuses come in time order
  for (const auto& m : statuses) {
    while (h < host.size() && log[host[h]].start < m.at) ++h;
    SerialRecord* owner = h > 0 ? &log[host[h - 1]] : nullptr;
    if (owner && !owner->module) {
      owner->module = m;
      continue;
    }
    SerialRecord r;
    r.dir = SerialRecord::Dir::HostToDevice;
    r.module_only = true;
    r.start = r.end = m.at;
    r.value = m.data;
    r.module = m;
    extra.push_back(r);
  }
  log.insert(log.end(), extra.begin(), extra.end());
}

// One thread of steps: the timeline, a parallel branch or a repeat body.
struct Cursor {
  struct Frame {
    const StepList* list;
    std::size_t index = 0;
    std::uint64_t remaining = 1;  // repeat passes left, this one included
  };
  std::vector<Frame> frames;
  bool done() const { return frames.empty(); }
};

class Engine {
 public:
  Engine(const Scenario& s, const RunOptions& o) : sc_(s), opts_(o) {}
  ScenarioResult run();

 private:
  struct Active;
  // What starting a step did.
  enum class Start { Running, Finished, Descended, Failed };
  bool advance(Cursor& c);                 // start/finish steps; true when something happened
  Start start_step(Cursor& c, const Step& st);
  bool poll(Active& a);                    // true when the active step finished (ok or failed)
  Cycles wake_time(const Cursor& c) const;
  void finish(Active& a, bool ok, const std::string& detail, Cycles at);
  void fail(const Step& st, const std::string& text);
  void record_mark(const std::string& name, Cycles abs);
  Cycles rel(Cycles abs) const { return abs - t0_; }
  std::string label(const Step& st) const {
    return st.name.empty() ? std::string(step_name(st.kind)) : st.name;
  }

  // Serial expectations.
  bool check_expect_serial(Active& a);
  // Values of the module's characters received from index `from` on.
  std::vector<std::uint8_t> serial_bytes_since(std::size_t from) const {
    std::vector<std::uint8_t> out;
    const auto& rx = serial_->received();
    for (std::size_t i = from; i < rx.size(); ++i) out.push_back(rx[i].value);
    return out;
  }
  // setup: the configuration a user would type before t=0. Returns "" or what went wrong.
  std::string run_setup();
  // Run until `done()` holds or `limit` passes; false on timeout or a firmware fault.
  bool run_while(const std::function<bool()>& done, Cycles limit);

  const Scenario& sc_;
  const RunOptions& opts_;
  std::unique_ptr<Board> board_;
  std::unique_ptr<SerialHost> serial_;
  std::unique_ptr<SerialHost> setup_serial_;  // lives as long as the board: the board keeps its observer
  // The virtual Ethernet segment and the scenario's peers (when it declares any).
  std::unique_ptr<Segment> segment_;
  std::unique_ptr<HostStack> hosts_;
  std::unique_ptr<DhcpServer> dhcp_;
  std::unique_ptr<DnsServer> dns_;
  Ipv4 device_ip_{0xC0A80007};  // the factory address; the harness does not set it
  std::map<std::string, int> conns_, listeners_, sockets_;
  std::map<std::string, std::size_t> tcp_consumed_, tcp_segments_consumed_, udp_consumed_;
  std::map<int, std::size_t> accepts_taken_;
  void setup_network();
  int conn_id(const Step& st, const std::string& name);
  bool check_expect_tcp(Active& a);
  std::size_t reset_count_ = 0;
  // Random data: one stream for what the host sends and one, seeded the same, for what it expects,
  // so that the random bytes expected are the random bytes sent, in order (an echo test), however
  // the sends and the expectations cut them.
  RandomBytes send_rng_, expect_rng_;
  Cycles t0_ = 0;
  std::size_t serial_consumed_ = 0;  // received characters consumed by expect.serial
  // The module UART's receiver, as seen through the board's observer (from t=0 on).
  bool counting_rx_ = false;
  std::vector<SerialRecord::ModuleRx> module_rx_;
  int rx_status_waiters_ = 0;  // active expect.serial.errors steps (they want to be woken)
  bool check_expect_serial_errors(Active& a);
  std::string rx_counts_text() const;
  void attach_module_rx();
  ScenarioResult res_;
  bool failed_ = false;

  struct Active {
    const Step* step = nullptr;
    Cycles start = 0;       // absolute
    Cycles until = kNever;  // absolute: a wait's end, a send's end, an expectation's deadline
    int phase = 0;
    std::size_t count_at_start = 0;  // bytes/datagrams received or power cuts done when the step began
    std::vector<std::uint8_t> expected;
    std::size_t verified = 0;  // leading bytes of `expected` already seen to match
    std::vector<std::vector<std::uint8_t>> expected_segments;
    std::vector<std::unique_ptr<Cursor>> branches;
  };
  std::map<const Cursor*, Active> active_;
};

void Engine::record_mark(const std::string& name, Cycles abs) {
  if (!name.empty()) res_.marks[name] = rel(abs);
}

void Engine::fail(const Step& st, const std::string& text) {
  if (failed_) return;
  failed_ = true;
  res_.status = RunStatus::Failed;
  res_.failure = text;
  res_.failure_where = st.loc.str();
}

void Engine::finish(Active& a, bool ok, const std::string& detail_in, Cycles at) {
  const Step& st = *a.step;
  std::string detail = detail_in;
  // `after:` on any expectation: met earlier than that is a failure.
  if (ok && st.after && is_expectation(st.kind) && at < a.start + *st.after) {
    ok = false;
    detail = "met after " + format_duration(at - a.start) + ", earlier than after: " + format_duration(*st.after) +
             " (expected not before " + format_duration(*st.after) + ": " + detail_in + ")";
  }
  StepRecord r;
  r.label = label(st);
  r.kind = step_name(st.kind);
  r.where = st.loc.str();
  r.start = rel(a.start);
  r.end = rel(at);
  r.ok = ok;
  r.is_expectation = is_expectation(st.kind);
  r.detail = detail;
  res_.steps.push_back(r);
  if (!ok) {
    std::ostringstream o;
    o << st.loc.str() << ": " << r.label << " failed at t=" << us(rel(at)) << ": " << detail;
    fail(st, o.str());
    return;
  }
  record_mark(st.mark, at);
  if (!st.name.empty()) {
    record_mark(st.name + ".start", a.start);
    record_mark(st.name + ".end", at);
  }
}

Engine::Start Engine::start_step(Cursor& c, const Step& st) {
  EventQueue& ev = board_->events();
  const Cycles now = ev.now();
  Active a;
  a.step = &st;
  a.start = now;
  switch (st.kind) {
    case StepKind::Wait:
      a.until = now + st.get<WaitArgs>().duration;
      break;
    case StepKind::Power: {
      const auto act = st.get<PowerArgs>().action;
      if (act == PowerAction::On) board_->power_on();
      if (act == PowerAction::Off) board_->power_off();
      if (act == PowerAction::Cycle) {
        board_->power_off();
        a.until = now + kPowerCycleOffTime;
        a.phase = 1;
      }
      break;
    }
    case StepKind::PowerCut:
      board_->cut_power_during_flash_op(st.get<PowerCutArgs>().during_flash_op);
      a.until = t0_ + sc_.timeout;
      a.count_at_start = board_->power_cuts();  // the step ends when this cut has happened
      break;
    case StepKind::FlashSave: {
      const auto& f = st.get<FlashSaveArgs>();
      try {
        board_->save_flash(f.resolved_path);
      } catch (const std::exception& e) {
        fail(st, st.loc.str() + ": flash.save: " + e.what());
        return Start::Failed;
      }
      break;
    }
    case StepKind::TcpConnect: {
      const auto& c = st.get<TcpConnectArgs>();
      std::string err;
      const int id = hosts_->tcp_connect(hosts_->find_peer(c.from), c.dst_ip.value_or(device_ip_), c.to, c.port, &err);
      if (id < 0) {
        fail(st, st.loc.str() + ": tcp.connect: " + err);
        return Start::Failed;
      }
      conns_[c.as] = id;
      tcp_consumed_[c.as] = 0;
      tcp_segments_consumed_[c.as] = 0;
      break;
    }
    case StepKind::TcpListen: {
      const auto& l = st.get<TcpListenArgs>();
      std::string err;
      const int id = hosts_->tcp_listen(hosts_->find_peer(l.peer), l.port, &err);
      if (id < 0) {
        fail(st, st.loc.str() + ": tcp.listen: " + err);
        return Start::Failed;
      }
      listeners_[l.as] = id;
      break;
    }
    case StepKind::ExpectTcpAccept:
    case StepKind::ExpectTcpConnected:
    case StepKind::ExpectTcpClosed:
    case StepKind::ExpectTcpReset:
    case StepKind::ExpectUdp:
      a.until = st.within ? now + *st.within : t0_ + sc_.timeout;
      break;
    case StepKind::ExpectTcp: {
      const auto& e = st.get<ExpectTcpArgs>();
      if (e.data && !e.data->is_match()) a.expected = expand(*e.data, expect_rng_);
      for (const auto& seg : e.segments) a.expected_segments.push_back(expand(seg, expect_rng_));
      a.until = st.within ? now + *st.within : t0_ + sc_.timeout;
      break;
    }
    case StepKind::TcpSend: {
      const auto& t = st.get<TcpSendArgs>();
      hosts_->tcp_send(conn_id(st, t.conn), expand(t.data, send_rng_));
      break;
    }
    case StepKind::TcpClose:
      hosts_->tcp_close(conn_id(st, st.get<ConnArgs>().conn));
      break;
    case StepKind::TcpReset:
      hosts_->tcp_reset(conn_id(st, st.get<ConnArgs>().conn));
      break;
    case StepKind::TcpVanish:
      hosts_->tcp_vanish(conn_id(st, st.get<ConnArgs>().conn));
      break;
    case StepKind::UdpBind: {
      const auto& u = st.get<UdpBindArgs>();
      std::string err;
      const int id = hosts_->udp_bind(hosts_->find_peer(u.peer), u.port, &err);
      if (id < 0) {
        fail(st, st.loc.str() + ": udp.bind: " + err);
        return Start::Failed;
      }
      sockets_[u.as] = id;
      udp_consumed_[u.as] = 0;
      break;
    }
    case StepKind::UdpSend: {
      const auto& u = st.get<UdpSendArgs>();
      hosts_->udp_send(sockets_.at(u.from), u.dst_ip.value_or(device_ip_), u.to, expand(u.data, send_rng_));
      break;
    }
    case StepKind::Link: {
      const bool up = st.get<LinkArgs>().up;
      segment_->set_link(segment_->device_port_index(), up);
      board_->set_link(up);
      break;
    }
    case StepKind::NetFault: {
      const auto& f = st.get<NetFaultArgs>();
      segment_->set_fault(NetFault{f.loss_percent, f.delay, f.duplicate_percent}, f.duration.value_or(sc_.timeout));
      break;
    }
    case StepKind::PinSet:
      for (const auto& [pin, drive] : st.get<PinSetArgs>().pins) {
        const auto bp = board_pin(pin);
        if (drive == PinDrive::Release) board_->release(*bp);
        else board_->drive(*bp, drive == PinDrive::High);
      }
      break;
    case StepKind::PinPulse: {
      const auto& p = st.get<PinPulseArgs>();
      board_->drive(*board_pin(p.pin), p.level == Level::High);
      a.until = now + p.duration;
      a.phase = 1;
      break;
    }
    case StepKind::SerialWrite: {
      const auto& w = st.get<SerialWriteArgs>();
      a.until = serial_->send(expand(w.data, send_rng_), w.gap);
      break;
    }
    case StepKind::SerialBreak:
      a.until = serial_->send_break(st.get<SerialBreakArgs>().duration);
      break;
    case StepKind::SerialGlitch:
      a.until = serial_->send_glitch(st.get<SerialGlitchArgs>().width);
      break;
    case StepKind::SerialNoise: {
      // Like net.fault: the step only switches the noise on; it lasts for: D (or until the next
      // serial.noise) while the timeline goes on.
      const auto& n = st.get<SerialNoiseArgs>();
      serial_->set_noise(n.ber, n.duration ? now + *n.duration : kNever, sc_.seed);
      finish(a, true, "ber " + std::to_string(n.ber), now);
      return Start::Finished;
    }
    case StepKind::ExpectSerialErrors:
      ++rx_status_waiters_;
      a.phase = st.after ? 0 : 1;
      a.until = st.after ? now + *st.after : st.within ? now + *st.within : now;
      break;
    case StepKind::ExpectSerial: {
      const auto& e = st.get<ExpectSerialArgs>();
      if (!e.data.is_match()) a.expected = expand(e.data, expect_rng_);
      a.until = st.within ? now + *st.within : t0_ + sc_.timeout;
      break;
    }
    case StepKind::ExpectNone: {
      const auto& n = st.get<ExpectNoneArgs>();
      if (n.channel == ExpectNoneArgs::Channel::Serial) a.count_at_start = serial_->received().size();
      else if (n.channel == ExpectNoneArgs::Channel::Tcp) a.count_at_start = hosts_->conn(conn_id(st, n.conn)).rx.size();
      else if (!n.conn.empty()) a.count_at_start = hosts_->udp(sockets_.at(n.conn)).rx.size();
      else {
        fail(st, st.loc.str() + ": expect.none on udp:<peer>:<port> needs a socket bound with udp.bind; use udp:<socket>");
        return Start::Failed;
      }
      a.until = now + n.during;
      break;
    }
    case StepKind::ExpectPin:
      a.until = st.within ? now + *st.within : t0_ + sc_.timeout;
      break;
    case StepKind::Mark:
      record_mark(st.get<MarkArgs>().name, now);
      break;
    case StepKind::Measure: {
      const auto& m = st.get<MeasureArgs>();
      MeasureRecord mr{m.name, m.from, m.to, 0, m.max, m.min, true};
      auto from = res_.marks.find(m.from), to = res_.marks.find(m.to);
      std::string problem;
      if (from == res_.marks.end()) problem = "mark '" + m.from + "' was never reached";
      else if (to == res_.marks.end()) problem = "mark '" + m.to + "' was never reached";
      else {
        mr.value = to->second >= from->second ? to->second - from->second : 0;
        if (to->second < from->second) problem = "mark '" + m.to + "' comes before '" + m.from + "'";
        else if (m.max && mr.value > *m.max)
          problem = m.name + " = " + format_duration(mr.value) + " exceeds max " + format_duration(*m.max);
        else if (m.min && mr.value < *m.min)
          problem = m.name + " = " + format_duration(mr.value) + " is below min " + format_duration(*m.min);
      }
      mr.ok = problem.empty();
      res_.measures.push_back(mr);
      finish(a, mr.ok, mr.ok ? m.name + " = " + format_duration(mr.value) : problem, now);
      return Start::Finished;
    }
    case StepKind::Parallel:
      for (const StepList& branch : st.get<ParallelArgs>().branches) {
        auto cur = std::make_unique<Cursor>();
        if (!branch.empty()) cur->frames.push_back({&branch, 0, 1});
        a.branches.push_back(std::move(cur));
      }
      break;
    case StepKind::Repeat: {
      const auto& r = st.get<RepeatArgs>();
      // The repeat's own record is written now; its body runs as a nested frame of this cursor.
      finish(a, true, "x" + std::to_string(r.count), now);
      c.frames.back().index++;
      if (r.count > 0 && !r.steps.empty()) c.frames.push_back({&r.steps, 0, r.count});
      return Start::Descended;
    }
    default:
      fail(st, st.loc.str() + ": step '" + std::string(step_name(st.kind)) +
                   "' is valid scenario syntax but this version of k7sim cannot run it yet");
      return Start::Failed;
  }
  active_[&c] = std::move(a);
  return Start::Running;
}

bool Engine::check_expect_serial(Active& a) {
  const Step& st = *a.step;
  const auto& e = st.get<ExpectSerialArgs>();
  const auto& rx = serial_->received();
  auto met = [&](std::size_t begin, std::size_t len) {
    const SerialRecord& last = rx[serial_consumed_ + begin + len - 1];
    const Cycles at = t0_ + last.end;
    serial_consumed_ += begin + len;
    finish(a, true, "got " + e.data.describe() + " after " + format_duration(at - a.start), at);
    return true;
  };
  if (!e.data.is_match()) {
    const auto& want = a.expected;
    if (want.empty()) return met(0, 0), true;
    const std::size_t avail = rx.size() - serial_consumed_;
    if (e.skip) {
      // Runs ending in bytes that arrived since the last check are the only new candidates.
      for (std::size_t end = std::max(a.verified, want.size()); end <= avail; ++end) {
        const std::size_t begin = end - want.size();
        bool same = true;
        for (std::size_t i = 0; i < want.size() && same; ++i) same = rx[serial_consumed_ + begin + i].value == want[i];
        if (same) return met(begin, want.size());
      }
      a.verified = avail;
    } else {
      // Only the bytes that arrived since the last check are compared: long random streams
      // (hundreds of KB) would otherwise cost a full comparison per received byte.
      const std::size_t n = std::min(avail, want.size());
      for (std::size_t i = a.verified; i < n; ++i) {
        if (rx[serial_consumed_ + i].value != want[i]) {
          finish(a, false, "expected " + hex_and_text(want) + ", seen " + hex_and_text(serial_bytes_since(serial_consumed_)),
                 board_->now());
          return true;
        }
      }
      a.verified = n;
      if (avail >= want.size()) return met(0, want.size());
    }
    return false;
  }
  // A match: the first run of the next bytes (or, with skip, of any later bytes) that the expression
  // matches as a whole, in the order the runs complete: the shortest one, and among runs ending at
  // the same byte the earliest. Runs ending in bytes already checked cannot match any more, so only
  // the new end positions are tried (with skip, every start for each: keep skip+match for short output).
  if (rx.size() - serial_consumed_ < std::max<std::size_t>(a.verified, 1)) return false;  // no new end position
  const std::vector<std::uint8_t> seen = serial_bytes_since(serial_consumed_);
  const std::string text(seen.begin(), seen.end());
  for (std::size_t end = std::max<std::size_t>(a.verified, 1); end <= text.size(); ++end) {
    const std::size_t last_start = e.skip ? end - 1 : 0;
    for (std::size_t s = 0; s <= last_start; ++s)
      if (std::regex_match(text.begin() + long(s), text.begin() + long(end), *e.data.regex)) return met(s, end - s);
  }
  a.verified = text.size() + 1;
  return false;
}

std::string Engine::rx_counts_text() const {
  const UartRxCounts& c = res_.module_rx;
  return std::to_string(c.chars) + " characters, " + std::to_string(c.framing) + " framing, " +
         std::to_string(c.parity) + " parity, " + std::to_string(c.brk) + " break, " + std::to_string(c.overrun) +
         " overrun";
}

// expect.serial.errors: the module UART's counts since t=0 lie in the ranges (checked from after:
// on, met as soon as they do, failed when within: ends first or at once without within:).
bool Engine::check_expect_serial_errors(Active& a) {
  const Step& st = *a.step;
  const auto& e = st.get<ExpectSerialErrorsArgs>();
  const UartRxCounts& c = res_.module_rx;
  std::string wrong;
  auto check = [&](const char* what, const std::optional<CountRange>& want, std::uint64_t have) {
    if (!want || want->contains(have)) return;
    wrong += std::string(wrong.empty() ? "" : ", ") + what + " " + std::to_string(have) + " (expected " + want->describe() + ")";
  };
  check("characters", e.chars, c.chars);
  check("framing errors", e.framing, c.framing);
  check("parity errors", e.parity, c.parity);
  check("breaks", e.brk, c.brk);
  check("overruns", e.overrun, c.overrun);
  const Cycles now = board_->now();
  if (wrong.empty()) {
    finish(a, true, "module UART received " + rx_counts_text(), now);
    return true;
  }
  if (now < a.until) return false;
  finish(a, false, "module UART: " + wrong + "; received " + rx_counts_text(), now);
  return true;
}

void Engine::attach_module_rx() {
  board_->on_module_rx_char([this](const UartRxStatus& s) {
    if (!counting_rx_) return;
    SerialRecord::ModuleRx m;
    m.at = rel(s.at);
    m.data = s.data;
    m.framing = s.framing && !s.brk;
    m.parity = s.parity;
    m.brk = s.brk;
    m.overrun = s.overrun;
    module_rx_.push_back(m);
    UartRxCounts& c = res_.module_rx;
    ++c.chars;
    c.framing += m.framing;
    c.parity += m.parity;
    c.brk += m.brk;
    c.overrun += m.overrun;
    if (rx_status_waiters_ > 0) board_->request_stop();
  });
}

// Returns true when the step is over (its record written).
bool Engine::poll(Active& a) {
  const Step& st = *a.step;
  const Cycles now = board_->now();
  switch (st.kind) {
    case StepKind::Power:
      if (a.phase == 1) {
        if (now < a.until) return false;
        board_->power_on();
        a.phase = 0;
      }
      finish(a, true, "", now);
      return true;
    case StepKind::PowerCut: {
      // The step ends when this cut has switched the power off (mid-operation, see Board).
      if (board_->power_cuts() > a.count_at_start) {
        finish(a, true, "power cut during flash/EEPROM operation #" + std::to_string(board_->flash_operations()), now);
        return true;
      }
      if (now >= a.until) {
        finish(a, false, "the flash/EEPROM operation to cut power in never started", now);
        return true;
      }
      return false;
    }
    case StepKind::PinPulse:
      if (now < a.until) return false;
      board_->release(*board_pin(st.get<PinPulseArgs>().pin));
      finish(a, true, "", now);
      return true;
    case StepKind::ExpectSerialErrors:
      if (a.phase == 0) {
        if (now < a.until) return false;
        a.phase = 1;
        a.until = st.within ? a.start + *st.within : now;
      }
      if (check_expect_serial_errors(a)) {
        --rx_status_waiters_;
        return true;
      }
      return false;
    case StepKind::Wait:
    case StepKind::SerialWrite:
    case StepKind::SerialBreak:
    case StepKind::SerialGlitch:
      if (now < a.until) return false;
      finish(a, true, "", a.until);
      return true;
    case StepKind::ExpectSerial: {
      if (check_expect_serial(a)) return true;
      if (now >= a.until) {
        const std::vector<std::uint8_t> seen = serial_bytes_since(serial_consumed_);
        const auto& e = st.get<ExpectSerialArgs>();
        finish(a, false,
               "expected " + (e.data.is_match() ? e.data.describe() : hex_and_text(a.expected)) + " within " +
                   format_duration(a.until - a.start) + ", seen " + hex_and_text(seen),
               now);
        return true;
      }
      return false;
    }
    case StepKind::ExpectNone: {
      const auto& n = st.get<ExpectNoneArgs>();
      if (n.channel == ExpectNoneArgs::Channel::Serial) {
        const auto& rx = serial_->received();
        for (std::size_t i = a.count_at_start; i < rx.size(); ++i) {
          if (t0_ + rx[i].end < a.until) {
            finish(a, false, "expected silence on serial for " + format_duration(n.during) + ", seen " +
                                 hex_and_text(serial_bytes_since(i)),
                   t0_ + rx[i].end);
            return true;
          }
        }
      } else if (n.channel == ExpectNoneArgs::Channel::Tcp) {
        const TcpConnInfo& c = hosts_->conn(conns_.at(n.conn));
        if (c.rx.size() > a.count_at_start) {
          std::vector<std::uint8_t> seen(c.rx.begin() + long(a.count_at_start), c.rx.end());
          finish(a, false, "expected no data on tcp:" + n.conn + " for " + format_duration(n.during) + ", seen " + hex_and_text(seen), now);
          return true;
        }
      } else {
        const UdpSocketInfo& u = hosts_->udp(sockets_.at(n.conn));
        if (u.rx.size() > a.count_at_start) {
          finish(a, false, "expected no datagram on udp:" + n.conn + " for " + format_duration(n.during) + ", seen " +
                               hex_and_text(u.rx[a.count_at_start].bytes), u.rx[a.count_at_start].at);
          return true;
        }
      }
      if (now < a.until) return false;
      finish(a, true, "", a.until);
      return true;
    }
    case StepKind::ExpectTcpAccept: {
      const auto& e = st.get<ExpectTcpAcceptArgs>();
      const int listener = listeners_.at(e.listener);
      const auto& accepted = hosts_->accepted(listener);
      std::size_t& taken = accepts_taken_[listener];
      if (accepted.size() > taken) {
        conns_[e.as] = accepted[taken++];
        tcp_consumed_[e.as] = 0;
        tcp_segments_consumed_[e.as] = 0;
        finish(a, true, "the device connected to " + e.listener, now);
        return true;
      }
      if (now >= a.until) {
        finish(a, false, "the device did not connect to " + e.listener + " within " + format_duration(a.until - a.start), now);
        return true;
      }
      return false;
    }
    case StepKind::ExpectTcpConnected:
    case StepKind::ExpectTcpClosed:
    case StepKind::ExpectTcpReset: {
      const std::string& name = st.get<ConnArgs>().conn;
      const TcpConnInfo& c = hosts_->conn(conn_id(st, name));
      const bool met = st.kind == StepKind::ExpectTcpConnected ? c.state == TcpState::kConnected || c.connected_at != 0
                       : st.kind == StepKind::ExpectTcpClosed  ? c.state == TcpState::kClosed || c.fin_received
                                                               : c.state == TcpState::kReset;
      if (met) {
        finish(a, true, name + " " + tcp_state_name(c.state), now);
        return true;
      }
      if (now >= a.until) {
        finish(a, false, name + " is " + tcp_state_name(c.state) + " after " + format_duration(a.until - a.start), now);
        return true;
      }
      return false;
    }
    case StepKind::ExpectTcp: {
      if (check_expect_tcp(a)) return true;
      if (now >= a.until) {
        const std::string& name = st.get<ExpectTcpArgs>().conn;
        const TcpConnInfo& c = hosts_->conn(conns_.at(name));
        std::vector<std::uint8_t> seen(c.rx.begin() + long(tcp_consumed_[name]), c.rx.end());
        finish(a, false, "expected " + hex_and_text(a.expected) + " on tcp:" + name + " within " +
                             format_duration(a.until - a.start) + ", seen " + hex_and_text(seen),
               now);
        return true;
      }
      return false;
    }
    case StepKind::ExpectUdp: {
      const auto& e = st.get<ExpectUdpArgs>();
      const UdpSocketInfo& u = hosts_->udp(sockets_.at(e.on));
      std::size_t& taken = udp_consumed_[e.on];
      if (u.rx.size() > taken) {
        const UdpDatagram& d = u.rx[taken++];
        const std::vector<std::uint8_t> want = e.data.is_match() ? std::vector<std::uint8_t>{} : expand(e.data, expect_rng_);
        const bool data_ok = e.data.is_match() ? std::regex_match(std::string(d.bytes.begin(), d.bytes.end()), *e.data.regex)
                                               : d.bytes == want;
        const bool port_ok = !e.from_port || d.src_port == *e.from_port;
        const bool ip_ok = !e.from_ip || d.src_ip == *e.from_ip;
        if (data_ok && port_ok && ip_ok) {
          finish(a, true, "datagram from " + d.src_ip.str() + ":" + std::to_string(d.src_port), d.at);
        } else {
          finish(a, false, "expected " + e.data.describe() + (e.from_port ? " from port " + std::to_string(*e.from_port) : "") +
                               ", got " + hex_and_text(d.bytes) + " from " + d.src_ip.str() + ":" + std::to_string(d.src_port),
                 d.at);
        }
        return true;
      }
      if (now >= a.until) {
        finish(a, false, "no datagram on " + e.on + " within " + format_duration(a.until - a.start), now);
        return true;
      }
      return false;
    }
    case StepKind::ExpectPin: {
      const auto& p = st.get<ExpectPinArgs>();
      const bool want = p.level == Level::High;
      if (board_->level(*board_pin(p.pin)) == want) {
        finish(a, true, std::string(pin_name(p.pin)) + (want ? " high" : " low"), now);
        return true;
      }
      if (now >= a.until) {
        finish(a, false, std::string(pin_name(p.pin)) + " stayed " + (want ? "low" : "high") + " for " +
                             format_duration(a.until - a.start),
               now);
        return true;
      }
      return false;
    }
    case StepKind::Parallel: {
      bool all = true;
      for (auto& b : a.branches) {
        while (advance(*b)) {
          if (failed_) return true;
        }
        all = all && b->done();
      }
      if (!all) return false;
      finish(a, true, "", now);
      return true;
    }
    default:
      finish(a, true, "", now);
      return true;
  }
}

bool Engine::advance(Cursor& c) {
  if (failed_ || c.done()) return false;
  auto it = active_.find(&c);
  if (it != active_.end()) {
    if (!poll(it->second)) return false;
    active_.erase(&c);
    c.frames.back().index++;
    return true;
  }
  Cursor::Frame& f = c.frames.back();
  if (f.index >= f.list->size()) {
    if (--f.remaining > 0) {
      f.index = 0;
    } else {
      c.frames.pop_back();
    }
    return true;
  }
  const Step& st = (*f.list)[f.index];
  if (st.at && board_->now() < t0_ + *st.at) return false;  // not yet
  switch (start_step(c, st)) {
    case Start::Running: return true;      // polled on the next pass
    case Start::Finished: f.index++; return true;
    case Start::Descended: return true;    // the repeat body is the new innermost frame
    case Start::Failed: return false;
  }
  return false;
}

Cycles Engine::wake_time(const Cursor& c) const {
  if (c.done()) return kNever;
  auto it = active_.find(&c);
  if (it == active_.end()) {
    const Cursor::Frame& f = c.frames.back();
    if (f.index < f.list->size()) {
      const Step& st = (*f.list)[f.index];
      if (st.at) return t0_ + *st.at;
    }
    return kNever;
  }
  const Active& a = it->second;
  Cycles t = a.until;
  for (const auto& b : a.branches) t = std::min(t, wake_time(*b));
  return t;
}

int Engine::conn_id(const Step& st, const std::string& name) {
  auto it = conns_.find(name);
  if (it == conns_.end()) throw std::runtime_error(st.loc.str() + ": connection '" + name + "' was never opened");
  return it->second;
}

// expect.tcp: the next bytes received on the connection (data), or the next TCP segments with
// exactly these payloads, as the device cut them (segments).
bool Engine::check_expect_tcp(Active& a) {
  const Step& st = *a.step;
  const auto& e = st.get<ExpectTcpArgs>();
  const TcpConnInfo& c = hosts_->conn(conns_.at(e.conn));
  if (!e.segments.empty()) {
    std::size_t& next = tcp_segments_consumed_[e.conn];
    const std::size_t have = c.segments.size() - next;
    for (std::size_t i = 0; i < std::min(have, a.expected_segments.size()); ++i) {
      if (c.segments[next + i].bytes != a.expected_segments[i]) {
        finish(a, false, "segment " + std::to_string(i + 1) + " on tcp:" + e.conn + ": expected " +
                             hex_and_text(a.expected_segments[i]) + ", seen " + hex_and_text(c.segments[next + i].bytes),
               c.segments[next + i].at);
        return true;
      }
    }
    if (have < a.expected_segments.size()) return false;
    const Cycles at = c.segments[next + a.expected_segments.size() - 1].at;
    std::size_t bytes = 0;
    for (const auto& sgm : a.expected_segments) bytes += sgm.size();
    next += a.expected_segments.size();
    tcp_consumed_[e.conn] += bytes;
    finish(a, true, std::to_string(a.expected_segments.size()) + " segments as expected", at);
    return true;
  }
  std::size_t& consumed = tcp_consumed_[e.conn];
  auto arrival = [&](std::size_t byte_index) {  // when byte `byte_index` of the stream arrived
    std::size_t total = 0;
    for (const auto& sgm : c.segments) {
      total += sgm.bytes.size();
      if (total > byte_index) return sgm.at;
    }
    return board_->now();
  };
  if (e.data->is_match()) {
    const std::string text(c.rx.begin() + long(consumed), c.rx.end());
    for (std::size_t len = 1; len <= text.size(); ++len)
      if (std::regex_match(text.begin(), text.begin() + long(len), *e.data->regex)) {
        const Cycles at = arrival(consumed + len - 1);
        consumed += len;
        finish(a, true, "got " + e.data->describe(), at);
        return true;
      }
    return false;
  }
  const auto& want = a.expected;
  const std::size_t avail = c.rx.size() - consumed;
  const std::size_t n = std::min(avail, want.size());
  for (std::size_t i = a.verified; i < n; ++i) {  // only what arrived since the last check
    if (c.rx[consumed + i] != want[i]) {
      const std::vector<std::uint8_t> seen(c.rx.begin() + long(consumed), c.rx.end());
      finish(a, false, "expected " + hex_and_text(want) + " on tcp:" + e.conn + ", seen " + hex_and_text(seen), board_->now());
      return true;
    }
  }
  a.verified = n;
  if (avail < want.size()) return false;
  const Cycles at = arrival(consumed + want.size() - 1);
  consumed += want.size();
  finish(a, true, "got " + std::to_string(want.size()) + " bytes", at);
  return true;
}

// The segment with the device's port and one port per peer; the device's cable is plugged.
void Engine::setup_network() {
  if (sc_.network.peers.empty() && !sc_.network.dhcp && !sc_.network.dns) return;
  segment_ = std::make_unique<Segment>(board_->events(), sc_.seed);
  board_->attach_ethernet(&segment_->device_port());
  segment_->set_device_receiver([this](const std::vector<std::uint8_t>& f) { board_->ethernet_receive(f); });
  hosts_ = std::make_unique<HostStack>(board_->events(), *segment_, sc_.seed);
  for (const Peer& p : sc_.network.peers) hosts_->add_peer(p.name, p.ip, p.prefix, p.mac_given ? p.mac : derive_mac(p.name));
  if (sc_.network.dhcp) {
    DhcpServerConfig cfg;
    cfg.peer = hosts_->add_peer("dhcp-server", Ipv4{0xC0A80001}, 24, derive_mac("dhcp-server"));
    cfg.pool_start = Ipv4{0xC0A80064};
    cfg.router = Ipv4{0xC0A80001};
    cfg.dns = Ipv4{0xC0A80001};
    dhcp_ = std::make_unique<DhcpServer>(board_->events(), *hosts_, cfg);
  }
  if (sc_.network.dns) {
    // At the factory DNS address, on the DHCP server's peer when there is one.
    DnsServerConfig cfg;
    cfg.peer = sc_.network.dhcp ? hosts_->find_peer("dhcp-server")
                                : hosts_->add_peer("dns-server", Ipv4{0xC0A80001}, 24, derive_mac("dns-server"));
    for (const auto& [name, ip] : sc_.network.dns_records) cfg.records[dns_normal_name(name)] = ip;
    dns_ = std::make_unique<DnsServer>(*hosts_, cfg);
    if (!dns_->ok()) throw std::runtime_error("network: the DNS server peer could not bind UDP port 53");
  }
  hosts_->set_on_activity([this] { board_->request_stop(); });
  board_->set_link(true);
}

bool Engine::run_while(const std::function<bool()>& done, Cycles limit) {
  while (!done()) {
    if (board_->now() >= limit) return false;
    if (board_->run_until(limit) == Board::StopReason::Fault) return false;
  }
  return true;
}

// setup: (scenario-format.md "Top level"): entered over the serial port the way a user would:
// "+++", "a", each command (each must answer +OK), then AT+Z, and wait until the module is up again.
std::string Engine::run_setup() {
  constexpr Cycles kBootAllowance = 200 * (kTickHz / 1000);  // before "+++" and after the restart
  constexpr Cycles kReplyLimit = 2 * kTickHz;
  setup_serial_ = std::make_unique<SerialHost>(*board_, sc_.setup.line, 0.0, board_->now(), sc_.serial.model == SerialModel::Rtl);
  SerialHost& host = *setup_serial_;
  host.on_receive([this] { board_->request_stop(); });
  auto text_since = [&host](std::size_t from) {
    std::string t;
    for (std::size_t i = from; i < host.received().size(); ++i) t.push_back(char(host.received()[i].value));
    return t;
  };
  auto seen = [&](std::size_t from) { return "seen \"" + escape_bytes(reinterpret_cast<const std::uint8_t*>(text_since(from).data()), text_since(from).size()) + "\""; };
  auto fault_text = [this]() {
    std::string t;  // (appended, not "\n" + text: GCC 12 reports a false -Wrestrict on that once inlined)
    if (board_->fault()) t.append("\n").append(board_->fault()->text());
    return t;
  };
  auto exchange = [&](const std::string& send, const std::string& want, const std::string& what) -> std::string {
    const std::size_t from = host.received().size();
    host.send(std::vector<std::uint8_t>(send.begin(), send.end()), 0);
    const Cycles limit = board_->now() + kReplyLimit;
    const bool ok = run_while([&] { return text_since(from).find(want) != std::string::npos; }, limit);
    if (!ok) return "setup: " + what + ": expected \"" + escape_bytes(reinterpret_cast<const std::uint8_t*>(want.data()), want.size()) +
                    "\" within 2s, " + seen(from) + fault_text();
    return "";
  };
  run_while([] { return false; }, board_->now() + kBootAllowance);
  if (board_->fault()) return "setup: the firmware faulted while booting" + fault_text();
  std::string problem = exchange("+++", "a", "entering AT mode (+++)");
  if (problem.empty()) problem = exchange("a", "+ok", "entering AT mode (a)");
  if (!problem.empty()) return problem;
  std::vector<std::string> commands = sc_.setup.at;
  commands.push_back("AT+Z");
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const std::string where = i < sc_.setup.at_locs.size() ? sc_.setup.at_locs[i].str() + ": " : "";
    const std::size_t from = host.received().size();
    const std::string cmd = commands[i] + "\r";
    host.send(std::vector<std::uint8_t>(cmd.begin(), cmd.end()), 0);
    const Cycles limit = board_->now() + kReplyLimit;
    auto answered = [&] {
      const std::string t = text_since(from);
      return t.find("\r\n+OK") != std::string::npos || t.find("\r\n+ERR") != std::string::npos;
    };
    if (!run_while(answered, limit)) return where + "setup: " + commands[i] + " got no reply within 2s, " + seen(from) + fault_text();
    // Let the rest of the reply line arrive.
    run_while([&] { return text_since(from).rfind("\r\n") > text_since(from).find("\r\n+"); }, board_->now() + kReplyLimit);
    if (text_since(from).find("\r\n+OK") == std::string::npos)
      return where + "setup: " + commands[i] + " was refused, " + seen(from);
  }
  // AT+Z: the module restarts once its reply is out; wait for the reset, then for it to boot.
  const std::size_t resets_before = reset_count_;
  if (!run_while([&] { return reset_count_ > resets_before; }, board_->now() + kReplyLimit))
    return "setup: AT+Z answered +OK but the module did not restart within 2s" + fault_text();
  run_while([] { return false; }, board_->now() + kBootAllowance);
  if (board_->fault()) return "setup: the firmware faulted after AT+Z" + fault_text();
  host.detach();
  return "";
}

ScenarioResult Engine::run() {
  const auto wall_start = std::chrono::steady_clock::now();
  res_.name = sc_.name;
  res_.file = sc_.file;
  res_.title = sc_.title;
  res_.tags = sc_.tags;
  send_rng_.reseed(sc_.seed);
  expect_rng_.reseed(sc_.seed);

  std::string fw = sc_.device.firmware_path.empty() ? opts_.default_firmware : sc_.device.firmware_path;
  if (!opts_.firmware_override.empty()) fw = opts_.firmware_override;
  try {
    Board::Config config;
    config.firmware_elf = fw;
    config.flash_image = sc_.device.flash_path;
    config.module_uart_rtl = sc_.serial.model == SerialModel::Rtl;
    if (config.module_uart_rtl && !opts_.trace_rtl_dir.empty()) {
      std::filesystem::create_directories(opts_.trace_rtl_dir);
      config.module_uart_rtl_trace = opts_.trace_rtl_dir + "/" + artefact_stem(sc_.name) + ".rtl.vcd";
    }
    board_ = std::make_unique<Board>(config);
  } catch (const std::exception& e) {
    res_.status = RunStatus::Error;
    res_.failure = e.what();
    return res_;
  }

  try {
    setup_network();
  } catch (const std::exception& e) {
    res_.status = RunStatus::Error;
    res_.failure = e.what();
    return res_;
  }
  board_->on_reset([this](std::uint32_t) { ++reset_count_; });
  attach_module_rx();
  // The supply as a signal of its own (reports, VCD); a change also wakes the runner (power.cut).
  board_->on_power([this](bool on) {
    res_.pins.push_back({board_->now() >= t0_ ? rel(board_->now()) : 0, "power", on});
    board_->request_stop();
  });
  if (sc_.setup.present) {
    board_->power_on();
    const std::string problem = run_setup();
    if (!problem.empty()) {
      res_.status = board_->fault() ? RunStatus::Failed : RunStatus::Error;
      res_.failure = problem;
      res_.failure_where = sc_.loc.str();
      if (board_->fault()) res_.fault = *board_->fault();
      res_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
      return res_;
    }
  }
  t0_ = board_->now();
  SerialFormat line = sc_.serial.line;
  serial_ = std::make_unique<SerialHost>(*board_, line, sc_.serial.baud_error_percent, t0_, sc_.serial.model == SerialModel::Rtl);
  res_.serial_format = std::to_string(line.baud) + " " + line.to_string();
  res_.serial_model = sc_.serial.model == SerialModel::Rtl ? "rtl" : "fast";
  counting_rx_ = true;
  serial_->on_receive([this] { board_->request_stop(); });
  for (ModulePin p : {ModulePin::Rst, ModulePin::Reload, ModulePin::Cts, ModulePin::Rts, ModulePin::LedLink,
                      ModulePin::LedActivity}) {
    res_.pins.push_back({0, to_string(p), board_->level(p)});
    board_->line(p).on_change([this, p](bool level) {
      res_.pins.push_back({rel(board_->now()), to_string(p), level});
      board_->request_stop();
    });
  }
  std::string console_partial;
  Cycles console_line_start = 0;
  board_->on_console_tx([&](const SerialFrame& f) {
    if (console_partial.empty()) console_line_start = rel(f.start);
    const char ch = char(f.data);
    if (ch == '\n') {
      res_.console.push_back({console_line_start, console_partial});
      console_partial.clear();
    } else if (ch != '\r') {
      console_partial.push_back(ch);
    }
  });

  if (!sc_.setup.present) board_->power_on();
  Cursor root;
  if (!sc_.timeline.empty()) root.frames.push_back({&sc_.timeline, 0, 1});
  const Cycles hard_end = t0_ + sc_.timeout;
  for (;;) {
    while (advance(root)) {
    }
    if (failed_ || root.done()) break;
    const Cycles wake = std::min(wake_time(root), hard_end);
    if (board_->now() >= hard_end) {
      const Step* st = active_.count(&root) ? active_[&root].step : nullptr;
      std::string what = st ? label(*st) + " (" + st->loc.str() + ")" : std::string("the timeline");
      res_.status = RunStatus::Failed;
      res_.failure = "scenario timeout: " + what + " still running at t=" + us(rel(board_->now())) +
                     " (timeout " + format_duration(sc_.timeout) + ")";
      res_.failure_where = st ? st->loc.str() : sc_.loc.str();
      failed_ = true;
      break;
    }
    if (board_->run_until(wake) == Board::StopReason::Fault) {
      res_.fault = *board_->fault();
      res_.status = RunStatus::Failed;
      res_.failure = board_->fault()->text();
      failed_ = true;
      break;
    }
  }
  if (!console_partial.empty()) res_.console.push_back({console_line_start, console_partial});
  res_.virtual_time = rel(board_->now());
  res_.serial = serial_->log();
  res_.module_rx.noise_bits = serial_->bits_flipped();
  attach_module_status(res_.serial, module_rx_);
  if (segment_) {
    // Like every record of the result, frames are timed from t=0 (setup traffic at 0).
    res_.frames = segment_->pcap_frames();
    for (PcapFrame& f : res_.frames) f.tick = f.tick > t0_ ? f.tick - t0_ : 0;
  }
  std::stable_sort(res_.serial.begin(), res_.serial.end(),
                   [](const SerialRecord& a, const SerialRecord& b) { return a.start < b.start; });
  if (failed_ && res_.status == RunStatus::Passed) res_.status = RunStatus::Failed;
  res_.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return res_;
}

}  // namespace

ScenarioResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  Engine e(scenario, options);
  try {
    return e.run();
  } catch (const std::exception& ex) {
    // Whatever goes wrong in the harness ends this scenario with an error, never the run.
    ScenarioResult r;
    r.name = scenario.name;
    r.file = scenario.file;
    r.title = scenario.title;
    r.status = RunStatus::Error;
    r.failure = std::string("k7sim: ") + ex.what();
    return r;
  }
}

}  // namespace k7sim
