#include "harness/result_io.h"

#include <cstring>
#include <stdexcept>

namespace k7sim {

namespace {

constexpr std::uint32_t kMagic = 0x4B375231;  // "K7R1"

class Writer {
 public:
  void u64(std::uint64_t v) { out_.append(reinterpret_cast<const char*>(&v), 8); }
  void f64(double v) { out_.append(reinterpret_cast<const char*>(&v), 8); }
  void b(bool v) { out_.push_back(v ? 1 : 0); }
  void str(const std::string& s) {
    u64(s.size());
    out_ += s;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint64_t u64() {
    std::uint64_t v;
    std::memcpy(&v, need(8), 8);
    return v;
  }
  double f64() {
    double v;
    std::memcpy(&v, need(8), 8);
    return v;
  }
  bool b() { return *need(1) != 0; }
  std::string str() {
    const std::uint64_t n = u64();
    return std::string(need(n), n);
  }
  std::size_t count() {
    const std::uint64_t n = u64();
    if (n > in_.size()) throw std::runtime_error("scenario result: bad element count");
    return n;
  }

 private:
  const char* need(std::uint64_t n) {
    if (n > in_.size() - pos_) throw std::runtime_error("scenario result: truncated");
    const char* p = in_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string serialize_result(const ScenarioResult& r) {
  Writer w;
  w.u64(kMagic);
  w.str(r.name);
  w.str(r.file);
  w.str(r.title);
  w.u64(r.tags.size());
  for (const auto& t : r.tags) w.str(t);
  w.u64(static_cast<std::uint64_t>(r.status));
  w.str(r.failure);
  w.str(r.failure_where);
  w.u64(r.virtual_time);
  w.f64(r.wall_seconds);
  w.u64(r.steps.size());
  for (const auto& s : r.steps) {
    w.str(s.label);
    w.str(s.kind);
    w.str(s.where);
    w.u64(s.start);
    w.u64(s.end);
    w.b(s.ok);
    w.b(s.is_expectation);
    w.str(s.detail);
  }
  w.u64(r.marks.size());
  for (const auto& [k, v] : r.marks) {
    w.str(k);
    w.u64(v);
  }
  w.u64(r.measures.size());
  for (const auto& m : r.measures) {
    w.str(m.name);
    w.str(m.from);
    w.str(m.to);
    w.u64(m.value);
    w.b(m.max.has_value());
    w.u64(m.max.value_or(0));
    w.b(m.min.has_value());
    w.u64(m.min.value_or(0));
    w.b(m.ok);
  }
  w.u64(r.serial.size());
  for (const auto& s : r.serial) {
    w.u64(static_cast<std::uint64_t>(s.dir));
    w.u64(s.start);
    w.u64(s.end);
    w.u64(s.value);
    w.b(s.framing_error);
    w.b(s.parity_error);
    w.b(s.is_break);
    w.f64(s.bit_ticks);
    w.u64(s.bits);
    w.u64(s.wire);
    w.b(s.parity_bit);
    w.u64(s.data_bits);
    w.u64(static_cast<std::uint64_t>(s.parity));
    w.b(s.is_glitch);
    w.u64(s.flipped);
    w.b(s.module_only);
    w.b(s.module.has_value());
    if (s.module) {
      w.u64(s.module->data);
      w.b(s.module->framing);
      w.b(s.module->parity);
      w.b(s.module->brk);
      w.b(s.module->overrun);
      w.u64(s.module->at);
    }
  }
  w.u64(r.pins.size());
  for (const auto& p : r.pins) {
    w.u64(p.at);
    w.str(p.pin);
    w.b(p.level);
  }
  w.u64(r.console.size());
  for (const auto& c : r.console) {
    w.u64(c.at);
    w.str(c.text);
  }
  w.b(r.fault.has_value());
  if (r.fault) {
    const FaultReport& f = *r.fault;
    w.str(f.kind);
    w.str(f.detail);
    w.u64(f.pc);
    w.str(f.symbol);
    for (std::uint32_t reg : f.regs) w.u64(reg);
    w.u64(f.xpsr);
    w.u64(f.at);
    w.u64(f.last_events.size());
    for (const auto& e : f.last_events) w.str(e);
  }
  w.str(r.serial_format);
  w.str(r.serial_model);
  for (std::uint64_t n : {r.module_rx.chars, r.module_rx.framing, r.module_rx.parity, r.module_rx.brk,
                          r.module_rx.overrun, r.module_rx.noise_bits})
    w.u64(n);
  w.u64(r.frames.size());
  for (const auto& f : r.frames) {
    w.u64(f.tick);
    w.str(std::string(f.bytes.begin(), f.bytes.end()));
  }
  return w.take();
}

ScenarioResult deserialize_result(std::string_view bytes) {
  Reader rd(bytes);
  if (rd.u64() != kMagic) throw std::runtime_error("scenario result: bad magic");
  ScenarioResult r;
  r.name = rd.str();
  r.file = rd.str();
  r.title = rd.str();
  for (std::size_t i = 0, n = rd.count(); i < n; ++i) r.tags.push_back(rd.str());
  r.status = static_cast<RunStatus>(rd.u64());
  r.failure = rd.str();
  r.failure_where = rd.str();
  r.virtual_time = rd.u64();
  r.wall_seconds = rd.f64();
  for (std::size_t i = 0, n = rd.count(); i < n; ++i) {
    StepRecord s;
    s.label = rd.str();
    s.kind = rd.str();
    s.where = rd.str();
    s.start = rd.u64();
    s.end = rd.u64();
    s.ok = rd.b();
    s.is_expectation = rd.b();
    s.detail = rd.str();
    r.steps.push_back(std::move(s));
  }
  for (std::size_t i = 0, n = rd.count(); i < n; ++i) {
    std::string k = rd.str();
    r.marks[k] = rd.u64();
  }
  for (std::size_t i = 0, n = rd.count(); i < n; ++i) {
    MeasureRecord m;
    m.name = rd.str();
    m.from = rd.str();
    m.to = rd.str();
    m.value = rd.u64();
    const bool has_max = rd.b();
    const std::uint64_t max = rd.u64();
    if (has_max) m.max = max;
    const bool has_min = rd.b();
    const std::uint64_t min = rd.u64();
    if (has_min) m.min = min;
    m.ok = rd.b();
    r.measures.push_back(std::move(m));
  }
  for (std::size_t i = 0, n = rd.count(); i < n; ++i) {
    SerialRecord s;
    s.dir = static_cast<SerialRecord::Dir>(rd.u64());
    s.start = rd.u64();
    s.end = rd.u64();
    s.value = std::uint8_t(rd.u64());
    s.framing_error = rd.b();
    s.parity_error = rd.b();
    s.is_break = rd.b();
    s.bit_ticks = rd.f64();
    s.bits = unsigned(rd.u64());
    s.wire = std::uint16_t(rd.u64());
    s.parity_bit = rd.b();
    s.data_bits = unsigned(rd.u64());
    s.parity = char(rd.u64());
    s.is_glitch = rd.b();
    s.flipped = std::uint16_t(rd.u64());
    s.module_only = rd.b();
    if (rd.b()) {
      SerialRecord::ModuleRx m;
      m.data = std::uint8_t(rd.u64());
      m.framing = rd.b();
      m.parity = rd.b();
      m.brk = rd.b();
      m.overrun = rd.b();
      m.at = rd.u64();
      s.module = m;
    }
    r.serial.push_back(s);
  }
  for (std::size_t i = 0, n = rd.count(); i < n; ++i) {
    PinRecord p;
    p.at = rd.u64();
    p.pin = rd.str();
    p.level = rd.b();
    r.pins.push_back(std::move(p));
  }
  for (std::size_t i = 0, n = rd.count(); i < n; ++i) {
    ConsoleLine c;
    c.at = rd.u64();
    c.text = rd.str();
    r.console.push_back(std::move(c));
  }
  if (rd.b()) {
    FaultReport f;
    f.kind = rd.str();
    f.detail = rd.str();
    f.pc = std::uint32_t(rd.u64());
    f.symbol = rd.str();
    for (auto& reg : f.regs) reg = std::uint32_t(rd.u64());
    f.xpsr = std::uint32_t(rd.u64());
    f.at = rd.u64();
    for (std::size_t i = 0, n = rd.count(); i < n; ++i) f.last_events.push_back(rd.str());
    r.fault = std::move(f);
  }
  r.serial_format = rd.str();
  r.serial_model = rd.str();
  for (std::uint64_t* n : {&r.module_rx.chars, &r.module_rx.framing, &r.module_rx.parity, &r.module_rx.brk,
                           &r.module_rx.overrun, &r.module_rx.noise_bits})
    *n = rd.u64();
  for (std::size_t i = 0, n = rd.count(); i < n; ++i) {
    PcapFrame f;
    f.tick = rd.u64();
    const std::string b = rd.str();
    f.bytes.assign(b.begin(), b.end());
    r.frames.push_back(std::move(f));
  }
  return r;
}

}  // namespace k7sim
