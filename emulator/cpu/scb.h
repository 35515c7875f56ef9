// System Control Block and the other SCS registers that are not NVIC or SysTick (ARMv7-M ARM
// B3.2): CPUID, ICSR, VTOR, AIRCR, SCR, CCR, SHPR1-3, SHCSR, fault status registers, CPACR,
// debug DEMCR, FP context registers. Offsets are relative to 0xE000E000.
// The core reads VTOR live at every exception entry; SYSRESETREQ and VECTRESET ask the board for
// a system reset through a callback (the board decides what a reset means).
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "emulator/cpu/nvic.h"
#include "emulator/mmio.h"
#include "emulator/register_bank.h"

namespace k7sim {

class Scb : public MmioDevice {
 public:
  struct Hooks {
    std::function<unsigned()> active_exception;  // IPSR of the core, for ICSR.VECTACTIVE
    std::function<bool()> return_to_base;        // ICSR.RETTOBASE
    std::function<void()> system_reset_request;  // AIRCR.SYSRESETREQ
  };

  Scb(Nvic& nvic, Hooks hooks);
  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
  void reset() override;

  std::uint32_t vtor() const { return vtor_; }
  bool sleep_deep() const { return scr_ & (1u << 2); }
  bool sevonpend() const { return scr_ & (1u << 4); }
  bool unaligned_trap() const { return ccr_ & (1u << 3); }
  bool div0_trap() const { return ccr_ & (1u << 4); }
  bool stack_align8() const { return ccr_ & (1u << 9); }
  bool nonbase_thread_enable() const { return ccr_ & 1u; }
  bool trace_enabled() const { return demcr_ & (1u << 24); }  // DEMCR.TRCENA gates the DWT

  // Fault status as the core records it before it ends the run (for the fault report).
  void record_fault(std::uint32_t cfsr_bits, std::uint32_t hfsr_bits, std::uint32_t bfar, bool bfar_valid);
  std::uint32_t cfsr() const { return cfsr_; }

 private:
  std::string name_ = "SCB";
  Nvic& nvic_;
  Hooks hooks_;
  RegisterBank bank_{"SCB"};
  std::uint32_t vtor_ = 0, scr_ = 0, ccr_ = 0, demcr_ = 0;
  std::uint32_t cfsr_ = 0, hfsr_ = 0, bfar_ = 0, mmfar_ = 0;
};

// Data Watchpoint and Trace unit, the part firmware uses to time itself: CTRL.CYCCNTENA and
// CYCCNT counting core cycles (only while DEMCR.TRCENA is set). Offsets from 0xE0001000.
class Dwt : public MmioDevice {
 public:
  // cycles(): the core's cycle counter; trace_enabled(): DEMCR.TRCENA.
  Dwt(std::function<std::uint64_t()> cycles, std::function<bool()> trace_enabled);
  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override { return bank_.read(offset, size); }
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override { bank_.write(offset, value, size); }
  void reset() override;

 private:
  std::uint32_t cyccnt() const;
  std::string name_ = "DWT";
  std::function<std::uint64_t()> cycles_;
  std::function<bool()> trace_enabled_;
  RegisterBank bank_{"DWT"};
  bool running_ = false;
  std::uint32_t base_value_ = 0;   // CYCCNT when it last started/was written
  std::uint64_t base_cycles_ = 0;  // core cycles at that moment
};

}  // namespace k7sim
