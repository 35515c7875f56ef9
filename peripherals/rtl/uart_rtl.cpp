#include "peripherals/rtl/uart_rtl.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "Vuart_pl011.h"
#include "Vuart_pl011_trace.h"
#include "verilated_vcd_c.h"

namespace k7sim {

// The ports of the verilated RTL, whichever of the two builds runs: Vuart_pl011 (no trace code at
// all, the fast one) or Vuart_pl011_trace (--trace, for `k7sim run --trace-rtl`). Both come from the
// same SystemVerilog, so their ports have the same names and types; the wrapper sees them through
// references to the model's own port variables.
#define K7_RTL_PORTS(X)                                                                                 \
  X(CData, clk) X(CData, rst) X(CData, tick) X(IData, cycles) X(CData, phase_rst) X(CData, tick_tx)      \
  X(IData, cycles_tx) X(CData, tick_rx) X(IData, cycles_rx) X(CData, tick_rt) X(IData, cycles_rt)       \
  X(CData, past) X(CData, past_tx) X(CData, past_rx) X(CData, past_rt)         \
  X(CData, skip) X(CData, skip_frac) X(IData, skip_cnt) X(CData, rd) X(CData, wr) X(SData, addr)        \
  X(SData, wdata) X(IData, rdata) X(CData, rxd) X(CData, cts_n) X(CData, txd) X(CData, rts_n)           \
  X(CData, irq) X(IData, cyc_to_tick) X(IData, cyc_to_act) X(IData, cyc_to_act_tx) X(IData, cyc_to_act_rx)  \
  X(IData, cyc_to_act_rt) X(CData, rx_wait_line) X(CData, baud_valid) X(SData, ibrd_o) X(CData, fbrd_o)           \
  X(CData, cc_o) X(CData, lcrh_o) X(CData, hse_o) X(CData, phase_reset_o) X(CData, tx_sl)              \
  X(CData, rx_sl) X(CData, rt_sl) X(IData, cyc_to_tick_tx) X(IData, cyc_to_tick_rx)                    \
  X(IData, cyc_to_tick_rt) X(CData, load_tx_o) X(CData, load_rx_o) X(CData, load_rt_o)                 \
  X(CData, rt_from_rx_o) X(CData, quiet) X(CData, tx_start_o) X(CData, tx_data_o) X(CData, tx_lcrh_o)  \
  X(CData, tx_hse_o) X(CData, tx_break_o) X(CData, rx_done_o) X(SData, rx_ch_o) X(CData, rx_lost_o)

struct UartRtl::Model {
#define K7_RTL_PORT_REF(type, name) type& name;
  K7_RTL_PORTS(K7_RTL_PORT_REF)
#undef K7_RTL_PORT_REF
  virtual ~Model() = default;
  virtual void eval() = 0;
  virtual void final() = 0;

 protected:
#define K7_RTL_PORT_INIT(type, name) name(v.name),
  template <class V>
  explicit Model(V& v) : K7_RTL_PORTS(K7_RTL_PORT_INIT) unused_(0) {}
#undef K7_RTL_PORT_INIT
  int unused_;
};

namespace {

class PlainModel final : public UartRtl::Model {
 public:
  PlainModel() : PlainModel(std::make_unique<Vuart_pl011>()) {}
  void eval() override { v_->eval(); }
  void final() override { v_->final(); }

 private:
  explicit PlainModel(std::unique_ptr<Vuart_pl011> v) : Model(*v), v_(std::move(v)) {}
  std::unique_ptr<Vuart_pl011> v_;
};

// The traced build: every eval() is followed by a VCD sample at the virtual time the wrapper sets.
// VCD time is in picoseconds (a tick is 8333.3 ps); two evals in one tick get successive
// picoseconds so that no change is lost.
class TracedModel final : public UartRtl::Model {
 public:
  explicit TracedModel(const std::string& path) : TracedModel(make_model(), path) {}
  ~TracedModel() override { vcd_.close(); }
  void eval() override {
    v_->eval();
    std::uint64_t t = time_ps_;
    if (dumped_ && t <= last_) t = last_ + 1;
    vcd_.dump(t);
    last_ = t;
    dumped_ = true;
  }
  void final() override {
    v_->final();
    vcd_.flush();
  }
  void set_time(Cycles tick) { time_ps_ = tick * 25'000 / 3; }  // 1e12 / kTickHz

 private:
  static std::unique_ptr<Vuart_pl011_trace> make_model() {
    Verilated::traceEverOn(true);
    return std::make_unique<Vuart_pl011_trace>();
  }
  TracedModel(std::unique_ptr<Vuart_pl011_trace> v, const std::string& path) : Model(*v), v_(std::move(v)) {
    v_->trace(&vcd_, 99);
    vcd_.set_time_unit("1ps");
    vcd_.set_time_resolution("1ps");
    vcd_.open(path.c_str());
    if (!vcd_.isOpen()) throw std::runtime_error(path + ": cannot write the RTL trace");
  }
  std::unique_ptr<Vuart_pl011_trace> v_;
  VerilatedVcdC vcd_;
  std::uint64_t time_ps_ = 0, last_ = 0;
  bool dumped_ = false;
};

}  // namespace

namespace {

using u128 = unsigned __int128;

constexpr std::uint32_t kDr = 0x000;
constexpr std::uint32_t kCc = 0xFC8;

SerialFormat format_of(std::uint32_t lcrh, std::uint64_t div64, std::uint64_t clk_hz, unsigned eb) {
  SerialFormat f;
  f.data_bits = 5 + ((lcrh >> 5) & 3);
  f.stop_bits = (lcrh & 0x08) ? 2 : 1;
  if (!(lcrh & 0x02)) f.parity = 'N';
  else if (lcrh & 0x80) f.parity = (lcrh & 0x04) ? 'S' : 'M';
  else f.parity = (lcrh & 0x04) ? 'E' : 'O';
  f.baud = (div64 >= 64 && clk_hz > 0)
               ? static_cast<std::uint32_t>(std::llround(static_cast<double>(clk_hz) * 64.0 /
                                                         (eb * static_cast<double>(div64))))
               : 0;
  return f;
}

double bit_ticks_of(std::uint64_t div64, std::uint64_t clk_hz, unsigned eb) {
  if (div64 < 64 || clk_hz == 0) return 0;
  return eb * static_cast<double>(div64) / 64.0 * static_cast<double>(kTickHz) / static_cast<double>(clk_hz);
}

}  // namespace

UartRtl::UartRtl(std::string name, EventQueue& events, Clocking clocking, const std::string& trace_vcd)
    : name_(std::move(name)),
      events_(events),
      clocking_(clocking),
      m_(trace_vcd.empty() ? std::unique_ptr<Model>(std::make_unique<PlainModel>())
                           : std::unique_ptr<Model>(std::make_unique<TracedModel>(trace_vcd))),
      irq_(name_ + ".irq"),
      rts_(name_ + ".rts", true) {
  traced_ = !trace_vcd.empty();
  m_->clk = 0;
  m_->cts_n = 1;
  m_->rxd = 1;
  m_->eval();
  reset();
}

UartRtl::~UartRtl() {
  events_.cancel(timer_);
  for (EventId id : wakes_) events_.cancel(id);
  m_->final();
}

// ---- time base ----------------------------------------------------------------------------------

std::uint64_t UartRtl::div64() const { return 64ull * m_->ibrd_o + m_->fbrd_o; }

bool UartRtl::slot_active(int i) const { return (i == 0 ? m_->tx_sl : i == 1 ? m_->rx_sl : m_->rt_sl) != 0; }

std::uint64_t UartRtl::slot_cnt(int i) const {
  return i == 0 ? m_->cyc_to_tick_tx : i == 1 ? m_->cyc_to_tick_rx : m_->cyc_to_tick_rt;
}

std::uint64_t UartRtl::slot_act(int i) const {
  return i == 0 ? m_->cyc_to_act_tx : i == 1 ? m_->cyc_to_act_rx : m_->cyc_to_act_rt;
}

// A UART clock equal to the tick rate (120 MHz, the usual system clock) maps cycles to ticks one
// to one: no 128-bit division at every edge.
Cycles UartRtl::Grid::tick_of(std::uint64_t c) const {
  if (clk_hz == kTickHz) return t0 + c;
  return t0 + static_cast<Cycles>(static_cast<u128>(c) * kTickHz / clk_hz);
}

std::uint64_t UartRtl::Grid::cycle_at(Cycles t) const {
  if (t < t0) return 0;
  if (clk_hz == kTickHz) return t - t0;
  return static_cast<std::uint64_t>((static_cast<u128>(t - t0 + 1) * clk_hz - 1) / kTickHz);
}

std::uint64_t UartRtl::Grid::cycle_ceil(Cycles t) const {
  if (t <= t0) return 0;
  if (clk_hz == kTickHz) return t - t0;
  return static_cast<std::uint64_t>((static_cast<u128>(t - t0) * clk_hz + kTickHz - 1) / kTickHz);
}

std::uint64_t UartRtl::uart_clock_hz() const { return (m_->cc_o & 0xF) == 5 ? kPioscHz : sysclk_hz_; }

// ---- edges --------------------------------------------------------------------------------------

std::uint32_t UartRtl::edge(const Edge& e) {
  prev_div64_ = div64();
  prev_clk_hz_ = cur_.clk_hz;
  Model& m = *m_;
  m.rst = e.rst;
  m.tick = e.tick;
  m.cycles = static_cast<std::uint32_t>(e.cycles);
  m.tick_tx = e.slot_tick[0];
  m.cycles_tx = static_cast<std::uint32_t>(e.slot_cycles[0]);
  m.tick_rx = e.slot_tick[1];
  m.cycles_rx = static_cast<std::uint32_t>(e.slot_cycles[1]);
  m.tick_rt = e.slot_tick[2];
  m.cycles_rt = static_cast<std::uint32_t>(e.slot_cycles[2]);
  m.phase_rst = e.phase_rst;
  m.past = e.past;
  m.past_tx = e.slot_past[0];
  m.past_rx = e.slot_past[1];
  m.past_rt = e.slot_past[2];
  m.skip = e.skip;
  m.skip_frac = e.skip_frac;
  m.skip_cnt = static_cast<std::uint32_t>(e.skip_cnt);
  m.rd = e.rd;
  m.wr = e.wr;
  m.addr = e.addr & 0xFFC;
  m.wdata = e.wdata & 0xFFFF;
  m.rxd = rx_level_at(now());
  m.cts_n = cts_pin_;
  if (traced_) static_cast<TracedModel&>(m).set_time(now());
  // The RTL acts on both directions of clk, so an edge is one toggle and one eval(). Only a read
  // needs the combinational rdata before the edge (an eval without a clock change).
  std::uint32_t rdata = 0;
  if (e.rd) {
    m.eval();
    rdata = m.rdata;
  }
  m.clk = !m.clk;
  m.eval();
  ++edges_;
  after_edge();
  return rdata;
}

void UartRtl::after_edge() {
  Model& m = *m_;
  const Cycles now = this->now();
  if (m.rt_from_rx_o) slot_[2] = slot_[1];  // the timeout runs on its character's grid
  if (m.phase_reset_o) {
    // Work in flight keeps the grid it started on.
    if (m.load_tx_o) slot_[0] = cur_;
    if (m.load_rx_o) slot_[1] = cur_;
    if (m.load_rt_o) slot_[2] = cur_;
    cur_.t0 = now;
    cur_.c_last = 0;
  }

  const bool txd = m.txd != 0;
  // A break that ended at this edge (reported with the divisor it ran on, as UartModel does).
  if (in_break_ && !m.tx_break_o) {
    in_break_ = false;
    if (now > break_start_) {
      SerialFrame f;
      f.start = break_start_;
      f.is_break = true;
      f.break_ticks = now - break_start_;
      // As UartModel: the live format and HSE, the divisor and clock the break ran on.
      const unsigned eb = m.hse_o ? 8 : 16;
      f.format = format_of(m.lcrh_o, prev_div64_, prev_clk_hz_, eb);
      f.bit_ticks = bit_ticks_of(prev_div64_, prev_clk_hz_, eb);
      notify_tx_frame(f);
    }
  }
  if (!in_break_ && m.tx_break_o) {
    in_break_ = true;
    break_start_ = now;
  }
  if (txd != txd_) {
    txd_ = txd;
    for (auto& cb : tx_line_cbs_) cb(txd, now);
  }
  if (m.tx_start_o) {
    const unsigned eb = m.tx_hse_o ? 8 : 16;
    SerialFrame f;
    f.start = now;
    f.bit_ticks = bit_ticks_of(div64(), cur_.clk_hz, eb);
    f.format = format_of(m.tx_lcrh_o, div64(), cur_.clk_hz, eb);
    f.data = m.tx_data_o;
    f.parity_bit = SerialFrame::compute_parity(f.data, f.format);
    notify_tx_frame(f);
  }
  if (m.rx_done_o && observes_rx_chars())
    notify_rx_char(UartRxStatus::from_fifo_entry(now, static_cast<std::uint16_t>(m.rx_ch_o), m.rx_lost_o != 0));
  irq_.set(m.irq != 0);
  rts_.set(m.rts_n != 0);
}

UartRtl::Edge UartRtl::timed_edge(bool allow_tick) {
  const Cycles now = this->now();
  Edge e;
  const std::uint64_t c = cur_.cycle_at(now);
  e.cycles = c > cur_.c_last ? c - cur_.c_last : 0;
  cur_.c_last = std::max(c, cur_.c_last);
  // The RTL finds the enables passed since the last edge; `tick` lets it take one falling on this
  // edge (otherwise the edge that follows at once does).
  e.tick = allow_tick;
  // An edge after the moment of its last cycle (between two cycles' ticks: a slot's enable on
  // another clock, a line change): an enable on that cycle was earlier, silently.
  e.past = cur_.tick_of(c) < now;
  for (int i = 0; i < kSlots; ++i) {
    if (!slot_active(i)) continue;
    Grid& g = slot_[i];
    const std::uint64_t co = g.cycle_at(now);
    e.slot_cycles[i] = co > g.c_last ? co - g.c_last : 0;
    g.c_last = std::max(co, g.c_last);
    e.slot_tick[i] = allow_tick;
    e.slot_past[i] = g.tick_of(co) < now;
  }
  return e;
}

// Enables whose events have not run although their tick is before now (a caller that advanced
// the clock without running the queue): run them in order first.
void UartRtl::run_due() {
  while (timer_ != kNoEvent && timer_at_ < events_.now()) {
    events_.cancel(timer_);
    timer_ = kNoEvent;
    // Evaluate the overdue edge as of its own tick.
    now_override_ = timer_at_;
    on_timer();
    now_override_ = kNever;
  }
}

void UartRtl::wake() {
  run_due();
  if (!sleeping_) return;
  sleeping_ = false;
  if (!m_->baud_valid) return;
  // Nothing happened at the enables slept through: load the generator state of the first enable
  // at or after now, as if every one of them had been clocked.
  const Cycles now = this->now();
  const std::uint64_t d = div64();
  const std::uint64_t c_now = cur_.cycle_at(now);
  const std::uint64_t c_first = cur_.cycle_ceil(now);
  const std::uint64_t k = static_cast<std::uint64_t>((static_cast<u128>(c_first) * 64 + d - 1) / d);
  const std::uint64_t c_k = static_cast<std::uint64_t>(static_cast<u128>(k) * d / 64);
  Edge e;
  e.skip = true;
  e.skip_frac = static_cast<std::uint32_t>((static_cast<u128>(k) * m_->fbrd_o) % 64);
  e.skip_cnt = c_k - c_now;
  cur_.c_last = c_now;
  edge(e);
}

void UartRtl::on_timer() {
  timer_ = kNoEvent;
  edge(timed_edge(true));
  schedule_next();
}

void UartRtl::schedule_next() {
  events_.cancel(timer_);
  timer_ = kNoEvent;
  // A receiver waiting for a level saw the line as at the last edge. When the line is already
  // otherwise now (a frame put on the line from now on), the RTL must see it now.
  const bool ff = clocking_ == Clocking::FastForward;
  if (ff && m_->rx_wait_line && rx_level_at(now()) != (m_->rxd != 0)) edge(timed_edge(false));
  // An enable due now (just after a phase reset, or after an access on an enable's cycle) runs
  // at once.
  for (;;) {
    Edge e;
    e.tick = m_->baud_valid && m_->cyc_to_tick == 0;
    bool any = e.tick;
    for (int i = 0; i < kSlots; ++i) {
      e.slot_tick[i] = slot_active(i) && slot_cnt(i) == 0;
      any = any || e.slot_tick[i];
    }
    if (!any) break;
    e.tick = true;
    for (int i = 0; i < kSlots; ++i) e.slot_tick[i] = slot_active(i);
    edge(e);
  }
  Cycles at = kNever;
  bool slots = false;
  for (int i = 0; i < kSlots; ++i) {
    if (!slot_active(i)) continue;
    slots = true;
    // Fast-forward: the next enable at which something can act; the enables before it pass
    // silently, counted by the RTL at that edge.
    const std::uint64_t step = clocking_ == Clocking::FastForward ? slot_act(i) : slot_cnt(i);
    at = std::min(at, slot_[i].tick_of(slot_[i].c_last + step));
  }
  if (m_->baud_valid) {
    if (ff && m_->quiet && !slots && rx_settled()) {
      sleeping_ = true;
      return;
    }
    const std::uint64_t step = clocking_ == Clocking::EveryCycle ? 1 : ff ? m_->cyc_to_act : m_->cyc_to_tick;
    at = std::min(at, cur_.tick_of(cur_.c_last + step));
    // A receiver waiting for a level acts at the first enable after the line changes: an edge at
    // the change.
    if (ff && m_->rx_wait_line) at = std::min(at, next_rx_change(now()));
  }
  if (at == kNever) return;
  timer_at_ = at;
  timer_ = events_.schedule_at(at, [this] { on_timer(); });
}

// ---- RX line ------------------------------------------------------------------------------------

bool UartRtl::rx_level_at(Cycles t) const {
  for (auto it = rx_.rbegin(); it != rx_.rend(); ++it)
    if (it->start <= t) return it->is_frame ? it->frame.level_at(t) : it->level;
  return true;
}

// The first tick after t at which the RX line's level differs from its level at t (kNever: none
// planned).
Cycles UartRtl::next_rx_change(Cycles t) const {
  const bool level = rx_level_at(t);
  Cycles from = t;
  for (;;) {
    // The next tick after `from` at which the line may change: a segment start, or a bit
    // boundary of the frame on the line.
    // Segments are in order of their starts; the one in force is the last that began by `from`.
    const auto next = std::upper_bound(rx_.begin(), rx_.end(), from,
                                       [](Cycles x, const Segment& seg) { return x < seg.start; });
    Cycles cand = next != rx_.end() ? next->start : kNever;
    const Segment* cur = next != rx_.begin() ? &*(next - 1) : nullptr;
    if (cur && cur->is_frame) {
      const SerialFrame& f = cur->frame;
      Cycles b = kNever;
      if (f.is_break) {
        if (from < f.start + f.break_ticks) b = f.start + f.break_ticks;
      } else if (f.bit_ticks > 0) {
        const double bt = f.bit_ticks;
        const unsigned n = f.format.bits_per_frame();
        auto index = [&](Cycles x) { return std::floor(static_cast<double>(x - f.start) / bt); };
        const double i = index(from) + 1;
        if (i <= n) {
          b = f.start + static_cast<Cycles>(std::ceil(i * bt));
          while (b - 1 > from && index(b - 1) >= i) --b;
          while (index(b) < i) ++b;
        }
      }
      cand = std::min(cand, b);
    }
    if (cand == kNever) return kNever;
    if (rx_level_at(cand) != level) return cand;
    from = cand;
  }
}

bool UartRtl::rx_settled() const {
  const Cycles now = this->now();
  if (!rx_level_at(now)) return false;
  if (rx_.empty()) return true;
  const Segment& last = rx_.back();
  if (last.start > now) return false;
  return !last.is_frame || now >= last.frame.end();
}

std::uint32_t UartRtl::comb_read(std::uint32_t word) {
  Model& m = *m_;
  m.rd = 1;  // selects rdata; without a clock edge nothing is popped
  m.wr = 0;
  m.tick = 0;
  m.skip = 0;
  m.phase_rst = 0;
  m.rst = 0;
  m.addr = word & 0xFFC;
  if (traced_) static_cast<TracedModel&>(m).set_time(now());
  m.eval();
  return m.rdata;
}

void UartRtl::receive(const SerialFrame& frame) {
  const std::uint32_t ctl = comb_read(0x030);
  const bool enabled = (ctl & 0x1) && (ctl & 0x200) && m_->baud_valid;
  if ((ctl & 0x80) || !enabled) return;  // loopback, or the receiver off: not seen (as UartModel)
  wake();
  const Cycles now = this->now();
  // Keep only what is still needed: the newest segment that began at or before now.
  while (rx_.size() > 1 && rx_[1].start <= now) rx_.erase(rx_.begin());
  while (!rx_.empty() && rx_.back().start >= frame.start && rx_.back().start > now) rx_.pop_back();
  rx_.push_back({frame.start, true, true, frame});
  if (frame.start > now) {
    wakes_.push_back(events_.schedule_at(frame.start, [this] {
      if (!wakes_.empty()) wakes_.erase(wakes_.begin());
      if (sleeping_) {
        wake();
        schedule_next();
      }
    }));
  }
  schedule_next();
}

bool UartRtl::drive_rx_line(const std::vector<LineEdge>& edges) {
  if (edges.empty()) return true;
  wake();
  const Cycles now = this->now();
  while (rx_.size() > 1 && rx_[1].start <= now) rx_.erase(rx_.begin());
  // What was planned from the first edge on is replaced.
  const Cycles from = std::max(edges.front().at, now);
  while (!rx_.empty() && rx_.back().start >= from) rx_.pop_back();
  for (const LineEdge& e : edges) {
    const Cycles at = std::max(e.at, now);
    if (!rx_.empty() && rx_.back().start == at) rx_.pop_back();
    rx_.push_back({at, false, e.level, SerialFrame{}});
  }
  schedule_next();
  return true;
}

void UartRtl::set_rx_line(bool level) {
  wake();
  const Cycles now = this->now();
  while (!rx_.empty() && rx_.back().start >= now) rx_.pop_back();
  while (rx_.size() > 1 && rx_[1].start <= now) rx_.erase(rx_.begin());
  rx_.push_back({now, false, level, SerialFrame{}});
  schedule_next();
}

// ---- pins, clock, bus ---------------------------------------------------------------------------

void UartRtl::set_cts(bool pin_level) {
  if (pin_level == cts_pin_) return;
  wake();
  cts_pin_ = pin_level;
  edge(timed_edge(false));
  schedule_next();
}

void UartRtl::set_sysclk_hz(std::uint64_t hz) {
  const std::uint64_t before = uart_clock_hz();
  if (hz == sysclk_hz_) return;
  wake();
  sysclk_hz_ = hz;
  if (uart_clock_hz() == before) {  // the UART runs on PIOSC
    schedule_next();
    return;
  }
  Edge e = timed_edge(false);
  e.phase_rst = true;
  edge(e);
  cur_.clk_hz = uart_clock_hz();
  schedule_next();
}

std::uint32_t UartRtl::read(std::uint32_t offset, unsigned size) {
  const std::uint32_t word = offset & ~3u;
  std::uint32_t v;
  if (word == kDr) {
    wake();
    Edge e = timed_edge(false);
    e.rd = true;
    e.addr = word;
    v = edge(e);
    schedule_next();
  } else {
    // No side effects: a combinational read, no clock edge.
    run_due();
    v = comb_read(word);
  }
  if (size < 4) {
    const unsigned shift = (offset & 3u) * 8;
    v = (v >> shift) & (size == 1 ? 0xFFu : 0xFFFFu);
  }
  return v;
}

void UartRtl::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
  const std::uint32_t word = offset & ~3u;
  wake();
  if (size < 4) {
    const unsigned shift = (offset & 3u) * 8;
    const std::uint32_t lane = (size == 1 ? 0xFFu : 0xFFFFu) << shift;
    const std::uint32_t cur = word != kDr ? comb_read(word) : 0;
    value = (cur & ~lane) | ((value << shift) & lane);
  }
  const std::uint64_t clock_before = uart_clock_hz();
  Edge e = timed_edge(false);
  e.wr = true;
  e.addr = word;
  e.wdata = value;
  edge(e);
  if (word == kCc && uart_clock_hz() != clock_before) {
    Edge p;
    p.phase_rst = true;
    edge(p);
    cur_.clk_hz = uart_clock_hz();
  }
  schedule_next();
}

void UartRtl::reset() {
  wake();
  events_.cancel(timer_);
  timer_ = kNoEvent;
  Edge e;
  e.rst = true;
  edge(e);
  in_break_ = false;
  cur_.clk_hz = uart_clock_hz();
  sleeping_ = false;
  schedule_next();
}

}  // namespace k7sim
