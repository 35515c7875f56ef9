#include "emulator/cpu/systick.h"

#include <cmath>

namespace k7sim {

namespace {
constexpr std::uint32_t kCtrl = 0x0, kLoad = 0x4, kVal = 0x8, kCalib = 0xC;
constexpr std::uint32_t kEnable = 1u << 0, kTickInt = 1u << 1, kClkSource = 1u << 2, kCountFlag = 1u << 16;
}  // namespace

SysTick::SysTick(EventQueue& events, std::function<void()> pend) : events_(events), pend_(std::move(pend)) {
  bank_.define({"STCTRL", kCtrl})
      .on_read([this] {
        std::uint32_t v = (enabled_ ? kEnable : 0) | (inten_ ? kTickInt : 0) | (core_clock_ ? kClkSource : 0) |
                          (countflag_ ? kCountFlag : 0);
        countflag_ = false;  // COUNT clears on read
        return v;
      })
      .on_write([this](std::uint32_t v) {
        const std::uint32_t cur = current_value();
        const bool was = enabled_;
        inten_ = v & kTickInt;
        const bool clk = v & kClkSource;
        enabled_ = v & kEnable;
        const bool clock_changed = clk != core_clock_;
        core_clock_ = clk;
        if (enabled_ && (!was || clock_changed)) restart_from(was ? cur : stopped_value_);
        if (!enabled_ && was) {
          stopped_value_ = cur;
          events_.cancel(wrap_event_);
          wrap_event_ = kNoEvent;
        }
      });
  bank_.define({"STRELOAD", kLoad}).on_read([this] { return reload_; }).on_write([this](std::uint32_t v) {
    reload_ = v & 0xFFFFFF;
  });
  // Any write clears the counter (and COUNT); it reloads on the next clock.
  bank_.define({"STCURRENT", kVal}).on_read([this] { return current_value(); }).on_write([this](std::uint32_t) {
    countflag_ = false;
    if (enabled_) restart_from(0);
    else stopped_value_ = 0;
  });
  // No exact 10 ms reference on this part: NOREF=1, SKEW=1 (value as the TM4C1294 datasheet lists).
  bank_.define({"STCALIB", kCalib, 0xC0000000}).read_only();
}

std::uint32_t SysTick::read(std::uint32_t offset, unsigned size) { return bank_.read(offset, size); }
void SysTick::write(std::uint32_t offset, std::uint32_t value, unsigned size) { bank_.write(offset, value, size); }

void SysTick::reset() {
  events_.cancel(wrap_event_);
  wrap_event_ = kNoEvent;
  enabled_ = inten_ = core_clock_ = countflag_ = false;
  reload_ = 0;
  stopped_value_ = 0;
  anchor_ = 0;
  anchor_value_ = 0;
  bank_.reset();
}

std::uint64_t SysTick::counter_hz() const { return core_clock_ ? core_hz_ : kPioscHz / 4; }

void SysTick::set_core_clock_hz(std::uint64_t hz) {
  if (hz == core_hz_) return;
  const std::uint32_t cur = current_value();
  core_hz_ = hz;
  if (enabled_ && core_clock_) restart_from(cur);
}

std::uint32_t SysTick::current_value() const {
  if (!enabled_) return stopped_value_;
  // Counts elapsed since the anchor; the counter goes anchor_value_ → 0 → reload → ...
  const std::uint64_t counts =
      static_cast<std::uint64_t>(std::floor(double(events_.now() - anchor_) / ticks_per_count()));
  if (counts <= anchor_value_) return anchor_value_ - std::uint32_t(counts);
  if (reload_ == 0) return 0;
  const std::uint64_t after = counts - anchor_value_ - 1;  // counts after the first reload
  return reload_ - std::uint32_t(after % (std::uint64_t(reload_) + 1));
}

void SysTick::restart_from(std::uint32_t value) {
  events_.cancel(wrap_event_);
  wrap_event_ = kNoEvent;
  anchor_ = events_.now();
  anchor_value_ = value;
  // The counter reaches 0 after `value` counts (value 0: it reloads on the next count and
  // first reaches 0 after reload+1 counts; COUNTFLAG and the interrupt fire on the 1 → 0 step).
  const std::uint64_t counts = value != 0 ? value : std::uint64_t(reload_) + 1;
  if (reload_ == 0 && value == 0) return;  // a zero reload value disables the counter
  const Cycles at = anchor_ + static_cast<Cycles>(std::llround(double(counts) * ticks_per_count()));
  wrap_event_ = events_.schedule_at(at, [this] { on_wrap(); });
}

void SysTick::on_wrap() {
  wrap_event_ = kNoEvent;
  countflag_ = true;
  if (inten_) pend_();
  // Next wrap: reload_+1 counts later, anchored at this exact tick so errors never accumulate.
  anchor_ = events_.now();
  anchor_value_ = 0;
  if (reload_ == 0) return;
  const Cycles at = anchor_ + static_cast<Cycles>(std::llround(double(reload_ + 1) * ticks_per_count()));
  wrap_event_ = events_.schedule_at(at, [this] { on_wrap(); });
}

}  // namespace k7sim
