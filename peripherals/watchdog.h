// TM4C1294 watchdog timers (tm4c1294-facts.md section 10). WDT0 (0x4000_0000) counts on the system
// clock; WDT1 (0x4000_1000) counts on PIOSC (16 MHz) and shows a short write-busy time in CTL.WRC.
// Behaviour: setting CTL.INTEN (sticky until reset) loads the counter from LOAD and starts it; it
// counts down, and on reaching 0 (LOAD counts after a reload) it times out and reloads. The first
// time-out sets RIS (the interrupt, or the NMI with INTTYPE); a time-out while RIS is still set
// requests a system reset when RESEN = 1. Writing ICR clears RIS and reloads; writing LOAD reloads.
// LOCK: 0x1ACCE551 unlocks, any other value locks; while locked every other write is ignored.
//
// Event driven: one event per time-out; VALUE is computed from now(). Count n of the watchdog
// clock falls at tick anchor + ceil(n * kTickHz / clock_hz) (WDT1: 7.5 ticks per count).
//
// The board connects: irq() -> NVIC IRQ 18 (vector 34, shared by WDT0 and WDT1; OR both lines),
// nmi() -> NMI, on_reset_request() -> system reset with SYSCTL RESC.WDT0 (b3) or RESC.WDT1 (b5),
// set_sysclk_hz() <- SysCtl (WDT0 only uses it).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "emulator/event_queue.h"
#include "emulator/line.h"
#include "emulator/mmio.h"
#include "emulator/register_bank.h"

namespace k7sim {

class Watchdog : public MmioDevice {
 public:
  static constexpr std::uint64_t kPioscHz = 16'000'000;
  static constexpr std::uint32_t kUnlockKey = 0x1ACCE551;
  // WDT1 only: CTL.WRC reads 0 for this many PIOSC clocks after a register write (the write
  // crosses into the PIOSC domain). UNCONFIRMED duration; a product decision, see docs/board.md.
  static constexpr std::uint64_t kWriteBusyPioscClocks = 3;

  Watchdog(std::string name, EventQueue& events, bool piosc_clocked);

  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
  // Registers back to reset values (INTEN cleared, unlocked), counter stopped, event cancelled.
  void reset() override;

  // System clock in Hz (the board forwards every SysCtl change). Default: PIOSC, 16 MHz.
  void set_sysclk_hz(std::uint64_t hz);
  std::uint64_t clock_hz() const { return piosc_clocked_ ? kPioscHz : sysclk_hz_; }
  bool piosc_clocked() const { return piosc_clocked_; }

  Line& irq() { return irq_; }  // MIS != 0 with CTL.INTTYPE = 0
  Line& nmi() { return nmi_; }  // MIS != 0 with CTL.INTTYPE = 1
  // Called at a time-out that finds RIS still set while RESEN = 1. The model's own state is
  // updated before the callbacks run, so a callback may reset() this device.
  void on_reset_request(std::function<void()> fn) { reset_cbs_.push_back(std::move(fn)); }

  bool running() const { return running_; }
  bool locked() const { return locked_; }

 private:
  void define_registers();
  std::uint32_t reg(std::uint32_t offset) const;
  std::uint64_t counts_at(Cycles t) const;
  Cycles tick_of(std::uint64_t n) const;
  std::uint32_t value() const;
  void reload();  // counter = LOAD from now
  void schedule();
  void on_timeout();
  void update_lines();

  std::string name_;
  EventQueue& events_;
  const bool piosc_clocked_;
  RegisterBank bank_;
  std::uint64_t sysclk_hz_ = 16'000'000;

  bool running_ = false;
  bool ris_ = false;
  bool locked_ = false;
  Cycles busy_until_ = 0;  // WDT1: CTL.WRC reads 0 before this tick
  // While running: at count index n0_ after anchor_ the counter held c0_; it times out d0_ counts
  // after n0_ (c0_ counts, at least one after a time-out).
  Cycles anchor_ = 0;
  std::uint64_t n0_ = 0;
  std::uint32_t c0_ = 0;
  std::uint64_t d0_ = 0;
  std::uint32_t held_ = 0xFFFFFFFF;
  EventId timeout_ev_ = kNoEvent;

  Line irq_;
  Line nmi_;
  std::vector<std::function<void()>> reset_cbs_;
};

}  // namespace k7sim
