// Nested Vectored Interrupt Controller of the Cortex-M4 (ARMv7-M ARM B3.4), plus the state of the
// system exceptions (their priorities come from the SCB's SHPR registers, which write through here).
// 111 external interrupts on the TM4C1294, 3 implemented priority bits (bits [7:5]).
// The NVIC holds pending/active/enabled state and answers "which exception should the core take
// now"; the core (CortexM4) performs entry and return.
#pragma once
#include <array>
#include <bitset>
#include <cstdint>
#include <string>

#include "emulator/mmio.h"
#include "emulator/register_bank.h"

namespace k7sim {

namespace exc {
inline constexpr unsigned kReset = 1, kNmi = 2, kHardFault = 3, kMemManage = 4, kBusFault = 5,
                          kUsageFault = 6, kSvCall = 11, kDebugMonitor = 12, kPendSv = 14, kSysTick = 15;
inline constexpr unsigned kFirstIrq = 16;
}  // namespace exc

class Nvic : public MmioDevice {
 public:
  static constexpr unsigned kNumIrqs = 111;
  static constexpr unsigned kNumExceptions = exc::kFirstIrq + kNumIrqs;  // 127
  static constexpr unsigned kPriorityBits = 3;
  static constexpr std::uint8_t kPriorityMask = 0xE0;  // implemented bits of a priority byte
  static constexpr int kThreadPriority = 256;          // execution priority with nothing active

  Nvic();
  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;   // offsets from 0xE000E100
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
  void reset() override;

  // Level of an external interrupt request line (IRQn = vector - 16). A high level pends the
  // interrupt; a level still high when its handler returns pends it again (level-sensitive).
  void set_irq_line(unsigned irq, bool level);
  bool irq_line(unsigned irq) const { return lines_[irq]; }

  void set_pending(unsigned exception);
  void clear_pending(unsigned exception);
  bool pending(unsigned exception) const { return pending_[exception]; }
  bool active(unsigned exception) const { return active_[exception]; }
  bool enabled(unsigned exception) const;
  void set_irq_enabled(unsigned irq, bool on) {
    enabled_[exc::kFirstIrq + irq] = on;
    update_pending_count();
  }
  // Fault handler enables (SHCSR MEMFAULTENA/BUSFAULTENA/USGFAULTENA).
  void set_fault_enabled(unsigned exception, bool on);

  // Raw priority byte (implemented bits only); negative fixed priorities for Reset/NMI/HardFault.
  int priority(unsigned exception) const;
  void set_priority_byte(unsigned exception, std::uint8_t value);
  std::uint8_t priority_byte(unsigned exception) const { return prio_[exception]; }
  // AIRCR.PRIGROUP: which priority bits are group priority.
  void set_prigroup(unsigned prigroup) { prigroup_ = prigroup & 7; }
  unsigned prigroup() const { return prigroup_; }
  int group_priority(unsigned exception) const;
  int group_of(int priority) const;  // group priority of a raw priority value

  // Execution priority (ARMv7-M B1.5.4): the group priority of the most urgent active exception,
  // boosted by BASEPRI, PRIMASK (→ 0) and FAULTMASK (→ -1).
  int execution_priority(std::uint32_t primask, std::uint32_t basepri, std::uint32_t faultmask) const;
  // Highest-priority pending and enabled exception (lowest priority value, then lowest number),
  // 0 when none.
  unsigned pending_candidate() const;
  // Any pending and enabled exception (cheap check for the per-block hook).
  bool any_pending() const { return any_pending_; }
  // Number of active exceptions (for return-to-thread checks).
  unsigned active_count() const { return static_cast<unsigned>(active_.count()); }

  // Pending → active (exception entry).
  void activate(unsigned exception);
  // Active → inactive (exception return); a still-high IRQ line pends again.
  void deactivate(unsigned exception);

  // ICSR fields.
  unsigned vect_pending() const { return pending_candidate(); }
  bool isr_pending() const;  // any external interrupt pending

 private:
  void update_pending_count();

  std::string name_ = "NVIC";
  RegisterBank bank_{"NVIC"};
  std::bitset<kNumExceptions> pending_, active_;
  // Exceptions that can be taken when pending: external interrupts per ISER, the fault handlers
  // per SHCSR, the other system exceptions always.
  std::bitset<kNumExceptions> enabled_;
  std::bitset<kNumIrqs> lines_;
  std::array<std::uint8_t, kNumExceptions> prio_{};
  unsigned prigroup_ = 0;
  bool any_pending_ = false;
};

}  // namespace k7sim
