// The Cortex-M4 core of the TM4C1294 on Unicorn (Thumb, CPU model Cortex-M4, not MCLASS mode).
// Unicorn executes instructions; everything M-profile around them is ours: exception entry and
// return (with FP frames and every EXC_RETURN value), tail-chaining, priorities, WFI/WFE sleep,
// the memory map (1 MB flash, 256 KB SRAM, bit-band aliases, peripheral and PPB windows) and
// cycle accounting per translated block. Faults end the run with a FaultInfo; they never crash
// the host.
//
// Time: one UC_HOOK_BLOCK callback per executed block charges the previous block's cycles to the
// virtual clock, fires device events that are due, and takes a pending interrupt by redirecting
// the PC (the block then does not execute, and its address is the stacked return address).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unicorn/unicorn.h>

#include "emulator/cpu/bus.h"
#include "emulator/cpu/cycle_model.h"
#include "emulator/cpu/nvic.h"
#include "emulator/cpu/scb.h"
#include "emulator/event_queue.h"

namespace k7sim {

struct FaultInfo {
  std::string kind;    // "bus fault", "usage fault", "hard fault", "lockup", "runaway PC"
  std::string detail;  // what happened, with addresses
  std::uint32_t pc = 0;
  std::array<std::uint32_t, 16> regs{};
  std::uint32_t xpsr = 0;
  Cycles at = 0;
};

class CortexM4 {
 public:
  static constexpr std::uint32_t kFlashBase = 0x00000000, kFlashSize = 0x00100000;
  static constexpr std::uint32_t kSramBase = 0x20000000, kSramSize = 0x00040000;
  static constexpr std::uint32_t kSramBitBand = 0x22000000, kPeriphBase = 0x40000000, kPeriphSize = 0x00100000;
  static constexpr std::uint32_t kPeriphBitBand = 0x42000000, kPpbBase = 0xE0000000, kPpbSize = 0x00100000;

  enum class Exit { Deadline, Stopped, Sleeping, Fault };

  CortexM4(EventQueue& events, Bus& bus, Nvic& nvic, Scb& scb);
  ~CortexM4();
  CortexM4(const CortexM4&) = delete;
  CortexM4& operator=(const CortexM4&) = delete;

  // Host views of the memories (flash content persists across resets and power cycles).
  std::vector<std::uint8_t>& flash() { return flash_; }
  std::vector<std::uint8_t>& sram() { return sram_; }
  // Flash content changed behind the CPU's back: drop translated code of that range.
  void invalidate_code(std::uint32_t begin, std::uint32_t end);

  // Core reset: registers to their reset values, MSP and PC from the vector table at address 0.
  void reset();
  // Run until virtual time `deadline`, a stop request, sleep (WFI/WFE) or a fault.
  Exit run(Cycles deadline);
  void request_stop();
  bool sleeping() const { return sleeping_; }
  // An exception is pending that would wake the core from WFI (PRIMASK does not block wake-up).
  bool wake_pending();
  void wake() { sleeping_ = false; }

  const std::optional<FaultInfo>& fault() const { return fault_; }
  // Devices report a bus error on the access in progress; the run ends after the current block.
  void raise_bus_fault(std::uint32_t address, bool is_write, const std::string& why);

  // Core clock (SYSCTL) → how many ticks one core cycle lasts.
  void set_clock_hz(std::uint64_t hz);
  std::uint64_t clock_hz() const { return clock_hz_; }
  // Core cycles executed since construction (DWT CYCCNT source).
  std::uint64_t cycles() const { return cycles_; }

  // Register access for tests and reports (r0..r15).
  std::uint32_t reg(int n) const;
  void set_reg(int n, std::uint32_t value);
  std::uint32_t xpsr() const;
  std::uint32_t control() const;
  std::uint32_t ipsr() const;
  std::uint32_t msp() const;
  std::uint32_t psp() const;
  // Memory access through the system bus (flash, SRAM, bit-band; peripherals too).
  bool read_memory(std::uint32_t address, void* out, std::size_t len) const;
  bool write_memory(std::uint32_t address, const void* data, std::size_t len);

  std::uint64_t exceptions_taken() const { return exceptions_taken_; }
  // Instructions of the blocks the core started (for MIPS figures; an aborted block counts).
  std::uint64_t instructions() const { return instructions_; }

 private:
  struct CoreState;
  static void hook_block(uc_engine* uc, std::uint64_t address, std::uint32_t size, void* user);
  static void hook_interrupt(uc_engine* uc, std::uint32_t intno, void* user);
  static bool hook_mem_invalid(uc_engine* uc, uc_mem_type type, std::uint64_t address, int size, std::int64_t value, void* user);
  static bool hook_insn_invalid(uc_engine* uc, void* user);
  static std::uint64_t periph_read_cb(uc_engine* uc, std::uint64_t offset, unsigned size, void* user);
  static void periph_write_cb(uc_engine* uc, std::uint64_t offset, unsigned size, std::uint64_t value, void* user);
  static std::uint64_t periph_bb_read_cb(uc_engine* uc, std::uint64_t offset, unsigned size, void* user);
  static void periph_bb_write_cb(uc_engine* uc, std::uint64_t offset, unsigned size, std::uint64_t value, void* user);
  static std::uint64_t sram_bb_read_cb(uc_engine* uc, std::uint64_t offset, unsigned size, void* user);
  static void sram_bb_write_cb(uc_engine* uc, std::uint64_t offset, unsigned size, std::uint64_t value, void* user);
  static std::uint64_t ppb_read_cb(uc_engine* uc, std::uint64_t offset, unsigned size, void* user);
  static void ppb_write_cb(uc_engine* uc, std::uint64_t offset, unsigned size, std::uint64_t value, void* user);

  std::uint32_t bus_read(std::uint32_t address, unsigned size);
  void bus_write(std::uint32_t address, std::uint32_t value, unsigned size);

  void charge(std::uint64_t core_cycles);
  [[gnu::cold, gnu::noinline]] void charge_scaled(std::uint64_t core_cycles);
  [[gnu::cold, gnu::noinline]] const BlockInfo* analyse_new_block(std::uint32_t address, std::uint32_t size);
  // Everything the block hook must react to (deadline, due event, pending interrupt, stop
  // request) folded into one time: the hook's fast path is a single comparison against it.
  void refresh_stop();
  [[gnu::noinline]] void slow_path(std::uint32_t block_address);
  [[gnu::noinline]] void hook_block_general(std::uint32_t address, std::uint32_t size);
  void try_take_exception(std::uint32_t return_address);
  bool enter_exception(unsigned exception, std::uint32_t return_address);
  void exception_return(std::uint32_t exc_return);
  void take_svc();
  CoreState read_state() const;
  void set_core_state(const CoreState& from, std::uint32_t ipsr, bool spsel, bool npriv, bool fpca, std::uint32_t msp,
                      std::uint32_t psp);
  void read_masks(std::uint32_t& primask, std::uint32_t& basepri, std::uint32_t& faultmask) const;
  bool jump_to_vector(unsigned exception);
  void set_fault(const std::string& kind, const std::string& detail, std::optional<std::uint32_t> pc = std::nullopt);
  void fault_from_error(uc_err err);

  EventQueue& events_;
  Bus& bus_;
  Nvic& nvic_;
  Scb& scb_;
  uc_engine* uc_ = nullptr;
  std::vector<std::uint8_t> flash_, sram_;
  BlockCostCache cache_;

  std::uint64_t clock_hz_ = 16'000'000;
  std::uint64_t ticks_per_cycle_fx_ = 0;  // 16.16 fixed point
  bool unit_ratio_ = false;               // one core cycle = one tick (120 MHz)
  std::uint64_t tick_fraction_ = 0;
  std::uint64_t cycles_ = 0;
  std::uint64_t pending_cycles_ = 0;  // cost of the block now executing, charged at the next hook
  // The core's clock while it runs: ahead of the event queue's by up to one block; the queue is
  // brought up to it at every MMIO access and in the slow path, the only places anything reads it.
  Cycles t_ = 0;
  Cycles next_stop_ = 0;

  Cycles deadline_ = 0;
  bool stop_ = false;
  bool running_ = false;
  bool sleeping_ = false;
  bool stop_issued_ = false;  // we called uc_emu_stop during this run (else Unicorn stopped on its own)
  BlockInfo uncached_block_;
  std::uint64_t exceptions_taken_ = 0;
  std::uint64_t instructions_ = 0;

  struct MemError {
    uc_mem_type type;
    std::uint64_t address;
    int size;
  };
  std::optional<MemError> mem_error_;
  std::optional<FaultInfo> fault_;
};

}  // namespace k7sim
