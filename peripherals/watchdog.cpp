#include "peripherals/watchdog.h"

#include <algorithm>

namespace k7sim {
namespace {

using u128 = unsigned __int128;

// ---- register offsets ---------------------------------------------------------------------------
constexpr std::uint32_t kLoad = 0x000;
constexpr std::uint32_t kValue = 0x004;
constexpr std::uint32_t kCtl = 0x008;
constexpr std::uint32_t kIcr = 0x00C;
constexpr std::uint32_t kRis = 0x010;
constexpr std::uint32_t kMis = 0x014;
constexpr std::uint32_t kTest = 0x418;
constexpr std::uint32_t kLock = 0xC00;

// ---- fields -------------------------------------------------------------------------------------
constexpr std::uint32_t kCtlInten = 1u << 0;
constexpr std::uint32_t kCtlResen = 1u << 1;
constexpr std::uint32_t kCtlInttype = 1u << 2;
constexpr std::uint32_t kCtlWrc = 1u << 31;
constexpr std::uint32_t kTestStall = 1u << 8;
constexpr std::uint32_t kLockLocked = 1;

// ---- reset values -------------------------------------------------------------------------------
constexpr std::uint32_t kLoadReset = 0xFFFFFFFF;
constexpr std::uint32_t kValueReset = 0xFFFFFFFF;
// PeriphID4..7, PeriphID0..3, PCellID0..3 at 0xFD0..0xFFC (UNCONFIRMED: the values TI lists for
// the Stellaris/Tiva watchdog).
constexpr std::uint32_t kIdWords[12] = {0x00, 0x00, 0x00, 0x00, 0x05, 0x18, 0x18, 0x01, 0x0D, 0xF0, 0x05, 0xB1};

}  // namespace

Watchdog::Watchdog(std::string name, EventQueue& events, bool piosc_clocked)
    : name_(std::move(name)),
      events_(events),
      piosc_clocked_(piosc_clocked),
      bank_(name_),
      irq_(name_ + ".irq"),
      nmi_(name_ + ".nmi") {
  define_registers();
  reset();
}

std::uint32_t Watchdog::reg(std::uint32_t offset) const { return bank_.value_of(offset); }

void Watchdog::define_registers() {
  bank_.define({"LOAD", kLoad, kLoadReset}).on_write([this](std::uint32_t v) {
    bank_.at(kLoad).set(v);
    reload();  // writing LOAD loads the counter at once
  });
  bank_.define({"VALUE", kValue, kValueReset}).read_only().on_read([this] { return value(); });
  bank_.define({"CTL", kCtl, 0})
      .on_read([this] {
        std::uint32_t v = reg(kCtl);
        if (piosc_clocked_ && events_.now() >= busy_until_) v |= kCtlWrc;
        return v;
      })
      .on_write([this](std::uint32_t v) {
        const std::uint32_t old = reg(kCtl);
        // INTEN can only be cleared by a reset; RESEN and INTTYPE follow the write.
        const std::uint32_t now = (old & kCtlInten) | (v & (kCtlInten | kCtlResen | kCtlInttype));
        bank_.at(kCtl).set(now);
        if ((now & kCtlInten) && !(old & kCtlInten)) reload();  // enabling starts the count from LOAD
        update_lines();
      });
  // Any write clears the interrupt and reloads the counter from LOAD.
  bank_.define({"ICR", kIcr, 0}).on_write([this](std::uint32_t) {
    ris_ = false;
    if (running_) reload();
    update_lines();
  });
  bank_.define({"RIS", kRis, 0}).read_only().on_read([this] { return ris_ ? 1u : 0u; });
  bank_.define({"MIS", kMis, 0}).read_only().on_read([this] {
    return (ris_ && (reg(kCtl) & kCtlInten)) ? 1u : 0u;
  });
  bank_.define({"TEST", kTest, 0}).mask(kTestStall);  // STALL stored; no debugger halts the core
  bank_.define({"LOCK", kLock, 0})
      .on_read([this] { return locked_ ? kLockLocked : 0u; })
      .on_write([this](std::uint32_t v) { locked_ = v != kUnlockKey; });
  for (unsigned i = 0; i < 12; ++i) bank_.define({"ID", 0xFD0 + 4 * i, kIdWords[i]}).read_only();
}

std::uint32_t Watchdog::read(std::uint32_t offset, unsigned size) { return bank_.read(offset, size); }

void Watchdog::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
  if (piosc_clocked_) {
    const std::uint64_t busy = (kWriteBusyPioscClocks * kTickHz + kPioscHz - 1) / kPioscHz;
    busy_until_ = events_.now() + busy;
  }
  if (locked_ && (offset & ~3u) != kLock) return;  // write-protected while locked
  bank_.write(offset, value, size);
}

void Watchdog::reset() {
  events_.cancel(timeout_ev_);
  timeout_ev_ = kNoEvent;
  bank_.reset();
  running_ = false;
  ris_ = false;
  locked_ = false;
  busy_until_ = 0;
  anchor_ = 0;
  n0_ = 0;
  c0_ = 0;
  d0_ = 0;
  held_ = kValueReset;
  update_lines();
}

void Watchdog::set_sysclk_hz(std::uint64_t hz) {
  if (hz == 0 || hz == sysclk_hz_) return;
  if (piosc_clocked_ || !running_) {
    sysclk_hz_ = hz;
    return;
  }
  // Keep the count: restart the segment from the current value on the new clock.
  const std::uint32_t v = value();
  sysclk_hz_ = hz;
  anchor_ = events_.now();
  n0_ = 0;
  c0_ = v;
  d0_ = v;
  schedule();
}

std::uint64_t Watchdog::counts_at(Cycles t) const {
  if (t <= anchor_) return 0;
  return static_cast<std::uint64_t>(static_cast<u128>(t - anchor_) * clock_hz() / kTickHz);
}

Cycles Watchdog::tick_of(std::uint64_t n) const {
  const std::uint64_t hz = clock_hz();
  return anchor_ + static_cast<Cycles>((static_cast<u128>(n) * kTickHz + hz - 1) / hz);
}

std::uint32_t Watchdog::value() const {
  if (!running_) return held_;
  const std::uint64_t n = counts_at(events_.now());
  if (n < n0_) return c0_;
  const std::uint64_t k = n - n0_;
  if (k < d0_) return static_cast<std::uint32_t>(c0_ - k);
  // Past a time-out whose event has not run yet: the counter reloaded from LOAD.
  const std::uint32_t load = reg(kLoad);
  const std::uint64_t period = std::max<std::uint64_t>(load, 1);
  return static_cast<std::uint32_t>(load - (k - d0_) % period);
}

void Watchdog::reload() {
  const std::uint32_t load = reg(kLoad);
  if (!(reg(kCtl) & kCtlInten)) {
    held_ = load;  // not counting yet: VALUE shows the loaded value
    return;
  }
  running_ = true;
  anchor_ = events_.now();
  n0_ = 0;
  c0_ = load;
  d0_ = load;  // LOAD 0: times out at once
  schedule();
}

void Watchdog::schedule() {
  events_.cancel(timeout_ev_);
  timeout_ev_ = events_.schedule_at(tick_of(n0_ + d0_), [this] { on_timeout(); });
}

void Watchdog::on_timeout() {
  timeout_ev_ = kNoEvent;
  const bool second = ris_;
  ris_ = true;
  // Reload from LOAD on the count grid and go on counting (at least one count per period, so a
  // LOAD of 0 cannot time out twice in the same tick).
  const std::uint32_t load = reg(kLoad);
  n0_ += d0_;
  c0_ = load;
  d0_ = std::max<std::uint64_t>(load, 1);
  schedule();
  update_lines();
  if (second && (reg(kCtl) & kCtlResen)) {
    const auto cbs = reset_cbs_;  // a callback may reset this device
    for (const auto& cb : cbs) cb();
  }
}

void Watchdog::update_lines() {
  const bool mis = ris_ && (reg(kCtl) & kCtlInten);
  const bool nmi = reg(kCtl) & kCtlInttype;
  irq_.set(mis && !nmi);
  nmi_.set(mis && nmi);
}

}  // namespace k7sim
