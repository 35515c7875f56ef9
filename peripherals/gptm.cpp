#include "peripherals/gptm.h"

#include <algorithm>

namespace k7sim {
namespace {

using u128 = unsigned __int128;

// ---- register offsets (A/B pairs) ---------------------------------------------------------------
constexpr std::uint32_t kCfg = 0x000;
constexpr std::uint32_t kTamr = 0x004, kTbmr = 0x008;
constexpr std::uint32_t kCtl = 0x00C;
constexpr std::uint32_t kSync = 0x010;
constexpr std::uint32_t kImr = 0x018, kRis = 0x01C, kMis = 0x020, kIcr = 0x024;
constexpr std::uint32_t kTailr = 0x028, kTbilr = 0x02C;
constexpr std::uint32_t kTamatchr = 0x030, kTbmatchr = 0x034;
constexpr std::uint32_t kTapr = 0x038, kTbpr = 0x03C;
constexpr std::uint32_t kTapmr = 0x040, kTbpmr = 0x044;
constexpr std::uint32_t kTar = 0x048, kTbr = 0x04C;
constexpr std::uint32_t kTav = 0x050, kTbv = 0x054;
constexpr std::uint32_t kRtcpd = 0x058;
constexpr std::uint32_t kTaps = 0x05C, kTbps = 0x060;
constexpr std::uint32_t kTapv = 0x064, kTbpv = 0x068;
constexpr std::uint32_t kDmaev = 0x06C, kAdcev = 0x070;
constexpr std::uint32_t kPp = 0xFC0;
constexpr std::uint32_t kCc = 0xFC8;

struct HalfRegs {
  std::uint32_t mr, ilr, matchr, pr, pmr, r, v, ps, pv;
  std::uint32_t en;             // CTL TnEN
  std::uint32_t to_int, m_int;  // RIS TnTORIS, TnMRIS
};
constexpr HalfRegs kRegs[2] = {
    {kTamr, kTailr, kTamatchr, kTapr, kTapmr, kTar, kTav, kTaps, kTapv, 1u << 0, 1u << 0, 1u << 4},
    {kTbmr, kTbilr, kTbmatchr, kTbpr, kTbpmr, kTbr, kTbv, kTbps, kTbpv, 1u << 8, 1u << 8, 1u << 11},
};

// ---- fields -------------------------------------------------------------------------------------
// CFG
constexpr std::uint32_t kCfg32 = 0x0, kCfgRtc = 0x1, kCfgSplit = 0x4;
// TnMR
constexpr std::uint32_t kMrMode = 0x3;  // 1 one-shot, 2 periodic, 3 capture
constexpr std::uint32_t kModeOneShot = 1, kModePeriodic = 2;
constexpr std::uint32_t kMrAms = 1u << 3;     // alternate mode (PWM): not modelled
constexpr std::uint32_t kMrCdir = 1u << 4;    // count up
constexpr std::uint32_t kMrMie = 1u << 5;     // match interrupt enable
constexpr std::uint32_t kMrIld = 1u << 8;     // TnILR write takes effect at the next time-out
constexpr std::uint32_t kMrCintd = 1u << 12;  // time-out interrupt disable
constexpr std::uint32_t kMrMask = 0xFFFF;
// CTL: TAEN b0, TASTALL b1, TAEVENT [3:2], RTCEN b4, TAOTE b5, TAPWML b6, TBEN b8, TBSTALL b9,
// TBEVENT [11:10], TBOTE b13, TBPWML b14.
constexpr std::uint32_t kCtlMask = 0x6F7F;
// IMR/RIS/MIS/ICR: TATO b0, CAM b1, CAE b2, RTC b3, TAM b4, DMAA b5, TBTO b8, CBM b9, CBE b10,
// TBM b11, DMAB b13, WUE b16 (the write-update-error flag is reported on the timer A line).
constexpr std::uint32_t kIntMask = 0x12F3F;
constexpr std::uint32_t kIntA = 0x1003F;
constexpr std::uint32_t kIntB = 0x02F00;

// ---- reset values -------------------------------------------------------------------------------
constexpr std::uint32_t kIlrReset[2] = {0xFFFFFFFF, 0x0000FFFF};
constexpr std::uint32_t kRtcpdReset = 0x7FFF;
// PP: SIZE 0 (16/32-bit timer), CHAIN b4, SYNCCNT b5, ALTCLK b6 (UNCONFIRMED exact value).
constexpr std::uint32_t kPpValue = 0x70;
constexpr std::uint32_t kCcAltclk = 1u << 0;

}  // namespace

Gptm::Gptm(std::string name, EventQueue& events)
    : name_(std::move(name)), events_(events), bank_(name_), irq_a_(name_ + ".irq_a"), irq_b_(name_ + ".irq_b") {
  half_[0].index = 0;
  half_[1].index = 1;
  define_registers();
  reset();
}

std::uint32_t Gptm::reg(std::uint32_t offset) const { return bank_.value_of(offset); }

void Gptm::define_registers() {
  bank_.define({"CFG", kCfg, kCfg32}).on_write([this](std::uint32_t v) { write_cfg(v & 0x7); });
  for (Half& h : half_) {
    const HalfRegs& r = kRegs[h.index];
    const char* ab = h.index == 0 ? "A" : "B";
    bank_.define({std::string("T") + ab + "MR", r.mr, 0}).on_write([this, &h](std::uint32_t v) {
      write_mode(h, v & kMrMask);
    });
    bank_.define({std::string("T") + ab + "ILR", r.ilr, kIlrReset[h.index]}).on_write([this, &h](std::uint32_t v) {
      write_ilr(h, v);
    });
    bank_.define({std::string("T") + ab + "MATCHR", r.matchr, kIlrReset[h.index]})
        .on_write([this, &h, off = r.matchr](std::uint32_t v) {
          set_reg(off, v);
          if (h.running) plan_match(h, counts_at(h, events_.now()) + 1);
        });
    bank_.define({std::string("T") + ab + "PR", r.pr, 0}).on_write([this, &h, off = r.pr](std::uint32_t v) {
      write_prescale(h, off, v & 0xFF);
    });
    bank_.define({std::string("T") + ab + "PMR", r.pmr, 0}).on_write([this, &h, off = r.pmr](std::uint32_t v) {
      set_reg(off, v & 0xFF);
      if (h.running) plan_match(h, counts_at(h, events_.now()) + 1);
    });
    bank_.define({std::string("T") + ab + "R", r.r, kIlrReset[h.index]}).read_only().on_read([this, &h] {
      return read_value(h);
    });
    bank_.define({std::string("T") + ab + "V", r.v, kIlrReset[h.index]})
        .on_read([this, &h] { return read_value(h); })
        .on_write([this, &h](std::uint32_t v) { write_value(h, v); });
    bank_.define({std::string("T") + ab + "PS", r.ps, 0}).read_only();  // snapshot: not modelled
    bank_.define({std::string("T") + ab + "PV", r.pv, 0}).read_only().on_read([this, &h] {
      return read_prescaler(h);
    });
  }
  bank_.define({"CTL", kCtl, 0}).on_write([this](std::uint32_t v) { write_ctl(v & kCtlMask); });
  bank_.define({"SYNC", kSync, 0}).on_write([this](std::uint32_t v) {
    set_reg(kSync, v & 0xFFFF);
    if (sync_cb_) sync_cb_(v & 0xFFFF);
  });
  bank_.define({"IMR", kImr, 0}).on_write([this](std::uint32_t v) {
    set_reg(kImr, v & kIntMask);
    update_irq();
  });
  bank_.define({"RIS", kRis, 0}).read_only().on_read([this] { return ris_; });
  bank_.define({"MIS", kMis, 0}).read_only().on_read([this] { return ris_ & reg(kImr); });
  bank_.define({"ICR", kIcr, 0}).on_write([this](std::uint32_t v) {
    ris_ &= ~v;  // write 1 to clear
    update_irq();
  });
  bank_.define({"RTCPD", kRtcpd, kRtcpdReset}).read_only();
  bank_.define({"DMAEV", kDmaev, 0}).mask(0xFFFFFFFF);  // stored; uDMA triggers are not modelled
  bank_.define({"ADCEV", kAdcev, 0}).mask(0xFFFFFFFF);  // stored; ADC triggers are not modelled
  bank_.define({"PP", kPp, kPpValue}).read_only();
  bank_.define({"CC", kCc, 0}).on_write([this](std::uint32_t v) {
    const std::uint64_t old_hz = timer_clock_hz();
    std::uint64_t held[2] = {current(half_[0]), current(half_[1])};
    set_reg(kCc, v & kCcAltclk);
    if (timer_clock_hz() != old_hz) {
      for (Half& h : half_)
        if (h.running) start(h, held[h.index]);
    }
  });
}

std::uint32_t Gptm::read(std::uint32_t offset, unsigned size) { return bank_.read(offset, size); }
void Gptm::write(std::uint32_t offset, std::uint32_t value, unsigned size) { bank_.write(offset, value, size); }

void Gptm::reset() {
  for (Half& h : half_) {
    events_.cancel(h.timeout_ev);
    events_.cancel(h.match_ev);
    h.timeout_ev = h.match_ev = kNoEvent;
    h.running = false;
    h.anchor = 0;
    h.n0 = h.c0 = 0;
    h.d0 = 1;
    h.matched = false;
    h.last_match = 0;
  }
  bank_.reset();
  ris_ = 0;
  for (Half& h : half_) h.held = initial_value(h);
  update_irq();
}

void Gptm::set_sysclk_hz(std::uint64_t hz) {
  if (hz == 0 || hz == sysclk_hz_) return;
  const std::uint64_t old_hz = timer_clock_hz();
  std::uint64_t held[2] = {current(half_[0]), current(half_[1])};
  sysclk_hz_ = hz;
  if (timer_clock_hz() != old_hz) {
    for (Half& h : half_)
      if (h.running) start(h, held[h.index]);
  }
}

std::uint64_t Gptm::timer_clock_hz() const { return (reg(kCc) & kCcAltclk) ? kPioscHz : sysclk_hz_; }

// ---- geometry of a half -------------------------------------------------------------------------

std::uint32_t Gptm::mode_reg(const Half& h) const { return reg(kRegs[h.index].mr); }

bool Gptm::half_can_run(const Half& h) const {
  const std::uint32_t cfg = reg(kCfg) & 0x7;
  const std::uint32_t mr = mode_reg(h);
  const std::uint32_t mode = mr & kMrMode;
  if (mode != kModeOneShot && mode != kModePeriodic) return false;  // capture: not modelled
  if (mr & kMrAms) return false;                                     // PWM: not modelled
  if (cfg == kCfg32) return h.index == 0;  // 32-bit: timer A runs the concatenated counter
  if (cfg == kCfgRtc) return false;        // RTC mode: not modelled
  return cfg >= kCfgSplit;
}

bool Gptm::half_enabled(const Half& h) const { return (reg(kCtl) & kRegs[h.index].en) != 0; }

Gptm::Geometry Gptm::geometry(const Half& h) const {
  const HalfRegs& r = kRegs[h.index];
  const std::uint32_t mr = mode_reg(h);
  Geometry g;
  g.up = mr & kMrCdir;
  g.one_shot = (mr & kMrMode) == kModeOneShot;
  g.split = (reg(kCfg) & 0x7) >= kCfgSplit;
  const std::uint64_t ilr = reg(r.ilr);
  if (!g.split) {
    g.modulus = std::uint64_t{1} << 32;
    g.limit = ilr;
    g.start = g.up ? 0 : ilr;
    g.period = ilr + 1;
    return g;
  }
  const std::uint64_t p = reg(r.pr) & 0xFF;
  const std::uint64_t ilr16 = ilr & 0xFFFF;
  if (g.up) {  // the prescaler extends the count: a 24-bit counter 0 .. PR:ILR
    g.modulus = std::uint64_t{1} << 24;
    g.limit = (p << 16) | ilr16;
    g.start = 0;
    g.period = g.limit + 1;
  } else {  // the prescaler divides the clock: each timer count lasts PR+1 clocks
    g.prescale = p + 1;
    g.modulus = 0x10000 * g.prescale;
    g.start = ilr16 * g.prescale + p;
    g.period = (ilr16 + 1) * g.prescale;
  }
  return g;
}

std::uint64_t Gptm::initial_value(const Half& h) const {
  const Geometry g = geometry(h);
  return g.up ? 0 : g.start;
}

std::uint64_t Gptm::first_distance(const Geometry& g, std::uint64_t c) const {
  if (!g.up) return c + 1;  // c, c-1, ..., 0, then the time-out reloads
  if (c <= g.limit) return g.limit - c + 1;
  return g.modulus - c + g.limit + 1;  // above the limit: wraps through 0 first
}

std::uint64_t Gptm::value_at(const Half& h, const Geometry& g, std::uint64_t n) const {
  if (n < h.n0) return h.tail;  // the time-out count just before a reload
  const std::uint64_t k = n - h.n0;
  if (g.up) {
    if (k < h.d0) return (h.c0 + k) % g.modulus;
    return g.one_shot ? 0 : (k - h.d0) % g.period;
  }
  if (k < h.d0) return h.c0 - k;
  return g.one_shot ? g.start : g.start - (k - h.d0) % g.period;
}

std::uint64_t Gptm::counts_at(const Half& h, Cycles t) const {
  if (t <= h.anchor) return 0;
  return static_cast<std::uint64_t>(static_cast<u128>(t - h.anchor) * timer_clock_hz() / kTickHz);
}

Cycles Gptm::tick_of(const Half& h, std::uint64_t n) const {
  const std::uint64_t hz = timer_clock_hz();
  return h.anchor + static_cast<Cycles>((static_cast<u128>(n) * kTickHz + hz - 1) / hz);
}

std::uint64_t Gptm::current(const Half& h) const {
  if (!h.running) return h.held;
  return value_at(h, geometry(h), counts_at(h, events_.now()));
}

std::uint32_t Gptm::to_register(const Geometry& g, std::uint64_t c) const {
  if (!g.split) return static_cast<std::uint32_t>(c);
  if (g.up) return static_cast<std::uint32_t>(c & 0xFFFFFF);
  // Down: bits [15:0] the timer, bits [23:16] the prescaler (its current count).
  return static_cast<std::uint32_t>(((c % g.prescale) << 16) | (c / g.prescale));
}

std::uint64_t Gptm::from_register(const Geometry& g, std::uint32_t v) const {
  if (!g.split) return v;
  if (g.up) return v & 0xFFFFFF;
  const std::uint64_t pre = std::min<std::uint64_t>((v >> 16) & 0xFF, g.prescale - 1);
  return (v & 0xFFFF) * g.prescale + pre;
}

std::uint32_t Gptm::read_value(const Half& h) const { return to_register(geometry(h), current(h)); }

std::uint32_t Gptm::read_prescaler(const Half& h) const {
  const Geometry g = geometry(h);
  if (!g.split) return 0;
  const std::uint64_t c = current(h);
  return static_cast<std::uint32_t>(g.up ? (c >> 16) & 0xFF : c % g.prescale);
}

// ---- running the counter ------------------------------------------------------------------------

void Gptm::start(Half& h, std::uint64_t c) {
  const Geometry g = geometry(h);
  h.running = true;
  h.anchor = events_.now();
  h.n0 = 0;
  h.c0 = c % g.modulus;
  h.d0 = first_distance(g, h.c0);
  h.tail = h.c0;
  h.matched = false;
  schedule(h);
}

void Gptm::stop(Half& h) {
  h.held = current(h);
  h.running = false;
  events_.cancel(h.timeout_ev);
  events_.cancel(h.match_ev);
  h.timeout_ev = h.match_ev = kNoEvent;
}

void Gptm::load(Half& h, std::uint64_t c) {
  if (h.running) start(h, c);
  else h.held = c;
}

void Gptm::refresh(Half& h) {
  const bool should_run = half_enabled(h) && half_can_run(h);
  if (should_run && !h.running) start(h, h.held);
  else if (!should_run && h.running) stop(h);
}

void Gptm::schedule(Half& h) {
  events_.cancel(h.timeout_ev);
  h.timeout_ev = events_.schedule_at(tick_of(h, h.n0 + h.d0 - 1), [this, &h] { on_timeout(h); });
  plan_match(h, counts_at(h, events_.now()) + 1);
}

// The next count index >= n_from at which the counter takes the match value (counting into it,
// not being loaded with it), and posts an event for it.
void Gptm::plan_match(Half& h, std::uint64_t n_from) {
  events_.cancel(h.match_ev);
  h.match_ev = kNoEvent;
  if (!h.running || !(mode_reg(h) & kMrMie)) return;
  if (h.matched) n_from = std::max(n_from, h.last_match + 1);
  const HalfRegs& r = kRegs[h.index];
  const Geometry g = geometry(h);
  std::uint64_t cm = reg(r.matchr);
  if (g.split) {
    const std::uint64_t pm = reg(r.pmr) & 0xFF;
    cm = g.up ? ((pm << 16) | (cm & 0xFFFF)) : (cm & 0xFFFF) * g.prescale + std::min(pm, g.prescale - 1);
  }
  std::uint64_t found = kNever;
  // The current segment: the counter moves monotonically from c0 for d0 counts.
  if (g.up) {
    if (cm < g.modulus) {
      const std::uint64_t k = (cm + g.modulus - h.c0) % g.modulus;
      if (k < h.d0 && h.n0 + k >= n_from) found = h.n0 + k;
    }
  } else if (cm <= h.c0 && h.n0 + (h.c0 - cm) >= n_from) {
    found = h.n0 + (h.c0 - cm);
  }
  // Later periods (periodic mode): the value at offset j after each time-out.
  if (found == kNever && !g.one_shot) {
    const bool reachable = g.up ? cm <= g.limit : cm <= g.start;
    if (reachable) {
      const std::uint64_t j = g.up ? cm : g.start - cm;
      std::uint64_t n = h.n0 + h.d0 + j;
      if (n < n_from) n += (n_from - n + g.period - 1) / g.period * g.period;
      found = n;
    }
  }
  if (found == kNever) return;
  h.match_n = found;
  h.match_ev = events_.schedule_at(tick_of(h, found), [this, &h, found] { on_match(h, found); });
}

void Gptm::on_match(Half& h, std::uint64_t n) {
  h.match_ev = kNoEvent;
  h.matched = true;
  h.last_match = n;
  ris_ |= kRegs[h.index].m_int;
  update_irq();
  plan_match(h, n + 1);
}

// The time-out event: the counter has reached 0 (down) or its limit (up). It reloads on the next
// count (down: from TnILR/TnPR; up: to 0).
void Gptm::on_timeout(Half& h) {
  h.timeout_ev = kNoEvent;
  const HalfRegs& r = kRegs[h.index];
  const Geometry g = geometry(h);
  const std::uint64_t n_to = h.n0 + h.d0 - 1;
  if (!(mode_reg(h) & kMrCintd)) ris_ |= r.to_int;
  // A match due at this same count stays posted; later ones are re-planned.
  const bool keep_match = h.match_ev != kNoEvent && h.match_n <= n_to;
  if (g.one_shot) {
    // One-shot: the counter stops (holding its reload value) and TnEN clears.
    h.running = false;
    h.held = g.up ? 0 : g.start;
    if (!keep_match) {
      events_.cancel(h.match_ev);
      h.match_ev = kNoEvent;
    }
    set_reg(kCtl, reg(kCtl) & ~r.en);
  } else {
    // Periodic: reload from TnILR as it is now (so a TnILD write takes effect here) and go on.
    h.tail = value_at(h, g, n_to);
    h.n0 = n_to + 1;
    h.c0 = g.up ? 0 : g.start;
    h.d0 = g.period;
    h.timeout_ev = events_.schedule_at(tick_of(h, h.n0 + h.d0 - 1), [this, &h] { on_timeout(h); });
    if (!keep_match) plan_match(h, n_to + 1);
  }
  update_irq();
}

// ---- register writes ----------------------------------------------------------------------------

void Gptm::write_cfg(std::uint32_t v) {
  // The configuration changes the counter's shape: both counters restart from their initial value.
  for (Half& h : half_)
    if (h.running) stop(h);
  set_reg(kCfg, v);
  for (Half& h : half_) {
    h.held = initial_value(h);
    refresh(h);
  }
}

void Gptm::write_mode(Half& h, std::uint32_t v) {
  const std::uint32_t old = mode_reg(h);
  set_reg(kRegs[h.index].mr, v);
  if (!h.running) {
    // Configuring a stopped timer loads its initial value (down: TnILR; up: 0).
    h.held = initial_value(h);
    refresh(h);
    return;
  }
  refresh(h);
  if (!h.running) return;
  if ((old ^ v) & kMrCdir) start(h, initial_value(h));
  else plan_match(h, counts_at(h, events_.now()) + 1);
}

void Gptm::write_ctl(std::uint32_t v) {
  set_reg(kCtl, v);
  for (Half& h : half_) refresh(h);
}

void Gptm::write_ilr(Half& h, std::uint32_t v) {
  const std::uint64_t before = current(h);
  set_reg(kRegs[h.index].ilr, v);
  const Geometry g = geometry(h);
  if (!h.running) {
    if (!g.up) h.held = g.start;  // a stopped down-counter loads TnILR
    return;
  }
  if (mode_reg(h) & kMrIld) {  // TnILD: the new value is used at the next time-out
    plan_match(h, counts_at(h, events_.now()) + 1);
    return;
  }
  if (g.up) start(h, before);  // keeps counting, now up to the new limit
  else start(h, g.start);      // down: counts on from the new value
}

void Gptm::write_prescale(Half& h, std::uint32_t offset, std::uint32_t v) {
  const Geometry before = geometry(h);
  const std::uint32_t as_reg = to_register(before, current(h));
  const bool at_start = !h.running && !before.up && h.held == before.start;
  set_reg(offset, v);
  const Geometry g = geometry(h);
  if (!g.split) return;
  if (at_start) h.held = g.start;
  else load(h, from_register(g, as_reg));
}

void Gptm::write_value(Half& h, std::uint32_t v) { load(h, from_register(geometry(h), v)); }

void Gptm::sync(bool timer_a, bool timer_b) {
  const bool sel[2] = {timer_a, timer_b};
  for (Half& h : half_) {
    if (!sel[h.index]) continue;
    load(h, initial_value(h));
  }
}

void Gptm::update_irq() {
  const std::uint32_t mis = ris_ & reg(kImr);
  irq_a_.set((mis & kIntA) != 0);
  irq_b_.set((mis & kIntB) != 0);
}

}  // namespace k7sim
