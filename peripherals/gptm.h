// TM4C1294 general-purpose timer module (GPTM, Timer0..7; tm4c1294-facts.md section 10), one
// instance per timer. Modelled: 32-bit concatenated (CFG 0) and 16-bit split (CFG 4) one-shot and
// periodic modes, counting down or up, the 8-bit prescaler of the split mode (a clock divider when
// counting down, the upper 8 bits of a 24-bit count when counting up), time-out and match
// interrupts, live TnR/TnV, TnV writes, TnILR reload semantics (TnILD), and the SYNC register.
// Capture, PWM, RTC and wait-on-trigger modes store their registers but do not count.
//
// Time-out rule (datasheet, one-shot/periodic mode): the time-out event is the count at which the
// counter reaches 0 (down) or TnILR (up); it reloads on the next count, so a period is TnILR + 1
// clocks and a timer enabled at T first times out at T + TnILR clocks.
//
// Event driven like SysTick: a running half remembers a segment (at count index n0 after its
// anchor tick the counter held c0 and it reloads d0 counts later; the time-out is count
// n0 + d0 - 1) and posts one event per time-out and one per match; values are computed from now().
// Count n of the timer clock falls at tick anchor + ceil(n * kTickHz / clock_hz). See
// docs/board.md "Timers (GPTM) and watchdogs".
//
// The board connects: irq_a()/irq_b() -> NVIC (Timer0A/B IRQ 19/20, 1A/B 21/22, 2A/B 23/24,
// 3A/B 35/36, 4A/B 63/64, 5A/B 65/66, 6A/B 98/99, 7A/B 100/101), set_sysclk_hz() <- SysCtl,
// Timer0's on_sync() -> sync() of every timer.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "emulator/event_queue.h"
#include "emulator/line.h"
#include "emulator/mmio.h"
#include "emulator/register_bank.h"

namespace k7sim {

class Gptm : public MmioDevice {
 public:
  static constexpr std::uint64_t kPioscHz = 16'000'000;  // ALTCLK source (SYSCTL ALTCLKCFG reset: PIOSC)

  Gptm(std::string name, EventQueue& events);

  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
  // Registers and counters back to reset values; pending events cancelled. The system clock and
  // the sync handler (both from outside) are kept.
  void reset() override;

  // System clock in Hz (the board forwards every SysCtl change). Default: PIOSC, 16 MHz.
  void set_sysclk_hz(std::uint64_t hz);
  // The clock the counters run on: the system clock, or ALTCLK (PIOSC, 16 MHz) when CC.ALTCLK = 1.
  std::uint64_t timer_clock_hz() const;

  Line& irq_a() { return irq_a_; }  // (MIS & timer A bits) != 0
  Line& irq_b() { return irq_b_; }  // (MIS & timer B bits) != 0

  // GPTMSYNC (only meaningful in Timer0): each write is reported with the value written, so the
  // board can forward it to every timer's sync(). A device never reaches into another one.
  void on_sync(std::function<void(std::uint32_t value)> fn) { sync_cb_ = std::move(fn); }
  // Apply a SYNC request: a time-out event for timer A and/or B (the counter reloads, as at a
  // time-out; the interrupt status is not touched).
  void sync(bool timer_a, bool timer_b);

 private:
  struct Geometry {
    bool up = false;
    bool one_shot = false;
    std::uint64_t start = 0;    // combined value after a reload (down: from TnILR; up: 0)
    std::uint64_t limit = 0;    // up: last value before the time-out
    std::uint64_t period = 1;   // counts from one time-out to the next
    std::uint64_t modulus = 1;  // size of the combined count space
    std::uint64_t prescale = 1; // 16-bit down: timer-clock counts per timer count (PR + 1)
    bool split = false;
  };
  struct Half {
    unsigned index = 0;  // 0 = A, 1 = B
    bool running = false;
    Cycles anchor = 0;
    std::uint64_t n0 = 0, c0 = 0, d0 = 1;
    std::uint64_t tail = 0;  // value at count n0 - 1 (the time-out count before a reload)
    std::uint64_t held = 0;  // combined value while not running
    std::uint64_t last_match = 0;
    std::uint64_t match_n = 0;  // count of the pending match event
    bool matched = false;
    EventId timeout_ev = kNoEvent;
    EventId match_ev = kNoEvent;
  };

  void define_registers();
  std::uint32_t reg(std::uint32_t offset) const;
  void set_reg(std::uint32_t offset, std::uint32_t v) { bank_.at(offset).set(v); }

  std::uint32_t mode_reg(const Half& h) const;
  bool half_can_run(const Half& h) const;
  bool half_enabled(const Half& h) const;
  Geometry geometry(const Half& h) const;
  std::uint64_t initial_value(const Half& h) const;
  std::uint64_t first_distance(const Geometry& g, std::uint64_t c) const;
  std::uint64_t value_at(const Half& h, const Geometry& g, std::uint64_t n) const;
  std::uint64_t counts_at(const Half& h, Cycles t) const;
  Cycles tick_of(const Half& h, std::uint64_t n) const;
  std::uint64_t current(const Half& h) const;
  std::uint32_t to_register(const Geometry& g, std::uint64_t c) const;
  std::uint64_t from_register(const Geometry& g, std::uint32_t v) const;
  std::uint32_t read_value(const Half& h) const;
  std::uint32_t read_prescaler(const Half& h) const;

  void start(Half& h, std::uint64_t c);
  void stop(Half& h);
  void load(Half& h, std::uint64_t c);  // counter holds c from now, running or not
  void refresh(Half& h);                // enable/mode state changed: start or stop as needed
  void schedule(Half& h);
  void plan_match(Half& h, std::uint64_t n_from);
  void on_timeout(Half& h);
  void on_match(Half& h, std::uint64_t n);

  void write_cfg(std::uint32_t v);
  void write_mode(Half& h, std::uint32_t v);
  void write_ctl(std::uint32_t v);
  void write_ilr(Half& h, std::uint32_t v);
  void write_prescale(Half& h, std::uint32_t offset, std::uint32_t v);
  void write_value(Half& h, std::uint32_t v);
  void update_irq();

  std::string name_;
  EventQueue& events_;
  RegisterBank bank_;
  std::uint64_t sysclk_hz_ = 16'000'000;
  std::uint32_t ris_ = 0;
  Half half_[2];
  Line irq_a_;
  Line irq_b_;
  std::function<void(std::uint32_t)> sync_cb_;
};

}  // namespace k7sim
