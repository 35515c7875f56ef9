// SysTick timer (ARMv7-M ARM B3.3): a 24-bit down-counter clocked by the core clock (CLK_SRC=1)
// or by PIOSC/4 = 4 MHz on the TM4C1294 (CLK_SRC=0). Event driven: instead of counting, it
// remembers when it was (re)loaded and schedules one event per wrap, so idle time costs nothing.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "emulator/event_queue.h"
#include "emulator/mmio.h"
#include "emulator/register_bank.h"

namespace k7sim {

class SysTick : public MmioDevice {
 public:
  static constexpr std::uint64_t kPioscHz = 16'000'000;

  SysTick(EventQueue& events, std::function<void()> pend_exception);
  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;  // offsets from 0xE000E010
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
  void reset() override;

  // The core clock changed (SYSCTL): keeps the counter value and re-times the next wrap.
  void set_core_clock_hz(std::uint64_t hz);

 private:
  std::uint64_t counter_hz() const;
  double ticks_per_count() const { return double(kTickHz) / double(counter_hz()); }
  std::uint32_t current_value() const;
  void restart_from(std::uint32_t value);  // counter holds `value` now
  void on_wrap();

  std::string name_ = "SysTick";
  EventQueue& events_;
  std::function<void()> pend_;
  RegisterBank bank_{"SysTick"};
  std::uint64_t core_hz_ = kPioscHz;
  bool enabled_ = false, inten_ = false, core_clock_ = false, countflag_ = false;
  std::uint32_t reload_ = 0;
  // While running: the counter value at `anchor_` ticks is `anchor_value_`.
  Cycles anchor_ = 0;
  std::uint32_t anchor_value_ = 0;
  std::uint32_t stopped_value_ = 0;
  EventId wrap_event_ = kNoEvent;
};

}  // namespace k7sim
