// System control block of the TM4C1294 (SYSCTL, 0x400F_E000): device identification, reset
// causes, the clock tree (PIOSC / MOSC / PLL -> system clock) and the per-peripheral clock-gating
// and reset arrays. Offsets are relative to the SYSCTL base. See docs/board.md for what is modelled.
//
// The model never touches another device: the board subscribes to on_sysclk_change() (to retime
// UARTs, timers, SysTick) and on_peripheral_reset() (to reset a device when its SR bit is set),
// and asks clocked()/in_reset() before letting the CPU access a peripheral.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "emulator/event_queue.h"
#include "emulator/line.h"
#include "emulator/mmio.h"
#include "emulator/register_bank.h"

namespace k7sim {

// Peripheral classes of the PP/SR/RCGC/SCGC/DCGC/PC/PR arrays; the value is the register suffix
// (e.g. RCGCUART = 0x600 + 0x18).
enum class PeriphClass : std::uint32_t {
  Wd = 0x00, Timer = 0x04, Gpio = 0x08, Dma = 0x0C, Hib = 0x14, Uart = 0x18, Ssi = 0x1C,
  I2c = 0x20, Usb = 0x28, Ephy = 0x30, Can = 0x34, Adc = 0x38, Acmp = 0x3C, Pwm = 0x40,
  Qei = 0x44, Eeprom = 0x58, Ccm = 0x74, Lcd = 0x90, Owire = 0x98, Emac = 0x9C,
};
const char* to_string(PeriphClass c);

class SysCtl : public MmioDevice {
 public:
  // RESC bits (sticky reset causes).
  static constexpr std::uint32_t kRescExt = 1u << 0;
  static constexpr std::uint32_t kRescPor = 1u << 1;
  static constexpr std::uint32_t kRescBor = 1u << 2;
  static constexpr std::uint32_t kRescWdt0 = 1u << 3;
  static constexpr std::uint32_t kRescSw = 1u << 4;
  static constexpr std::uint32_t kRescWdt1 = 1u << 5;
  static constexpr std::uint32_t kRescHssr = 1u << 12;
  static constexpr std::uint32_t kRescMoscFail = 1u << 16;

  static constexpr std::uint64_t kPioscHz = 16'000'000;
  static constexpr std::uint64_t kMoscHz = 25'000'000;  // the board's crystal
  static constexpr Cycles kPllLockTicks = ticks_from_us(128);
  static constexpr Cycles kPeripheralReadyTicks = 16;

  explicit SysCtl(EventQueue& events, std::string name = "SYSCTL");

  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
  // System reset (not power-on): registers and clock tree back to reset values, pending lock and
  // ready events cancelled. RESC and the non-volatile USERREG values survive.
  void reset() override;

  // Reset causes. Adding kRescPor first clears every other cause (a power-on reset forgets the past).
  void add_reset_cause(std::uint32_t bits);
  std::uint32_t reset_causes() const { return resc_; }

  // Non-volatile user registers (USERREG0..3; USERREG0/1 hold the board's MAC address).
  // set_user_reg() is configuration: it sets the stored value and the visible value.
  void set_user_reg(unsigned n, std::uint32_t value);
  std::uint32_t user_reg(unsigned n) const;  // the visible (possibly written, uncommitted) value
  // Make the values software wrote into USERREGn non-volatile (the flash controller's COMT command).
  void commit_user_regs();

  // Clock tree.
  std::uint64_t sysclk_hz() const { return sysclk_hz_; }
  bool pll_locked() const { return pll_locked_; }
  // Called with the new frequency each time the effective system clock changes (see docs/board.md:
  // recomputed after writes to RSCLKCFG, PLLFREQ0/1, MOSCCTL, at PLL lock and at reset; called only
  // when the value differs from the previous one).
  void on_sysclk_change(std::function<void(std::uint64_t hz)> fn) { sysclk_cbs_.push_back(std::move(fn)); }

  // Peripheral gating.
  std::uint32_t present(PeriphClass c) const;  // the PPxxx value
  bool clocked(PeriphClass c, unsigned instance) const;   // PRxxx bit
  bool in_reset(PeriphClass c, unsigned instance) const;  // SRxxx bit
  // Fired when an SRxxx bit goes 0 -> 1: the board resets that device (it stays in reset while 1).
  void on_peripheral_reset(std::function<void(PeriphClass, unsigned instance)> fn) {
    reset_cbs_.push_back(std::move(fn));
  }

  // System control interrupt (vector 44): RIS & IMC != 0.
  Line& irq() { return irq_; }

 private:
  static constexpr std::size_t kNumClasses = 20;
  struct PllParams {
    std::uint64_t fin = 0;
    std::uint32_t mint = 0, mfrac = 0, n = 0, q = 0;
  };

  void define_registers();
  static int class_index(PeriphClass c);
  void write_rcgc(std::size_t ci, std::uint32_t value);
  void write_sr(std::size_t ci, std::uint32_t value);
  void schedule_ready(std::size_t ci, unsigned bit);
  void cancel_ready(std::size_t ci, unsigned bit);
  void write_rsclkcfg(std::uint32_t value);
  void write_pllfreq0(std::uint32_t value);
  void write_moscctl(std::uint32_t value);
  void start_pll_lock();
  void stop_pll();
  std::uint64_t osc_hz(std::uint32_t src) const;
  void update_sysclk();
  void update_irq();
  void sync_shadows();

  std::string name_;
  EventQueue& events_;
  RegisterBank bank_;

  std::uint32_t resc_ = 0;  // sticky across system resets; not a bank value for that reason
  std::array<std::uint32_t, 4> user_nv_{0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
  std::array<std::uint32_t, 4> user_{0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};

  std::array<std::uint32_t, kNumClasses> pr_{};
  std::array<std::array<EventId, 32>, kNumClasses> ready_ev_{};

  bool pll_locked_ = false;
  PllParams pll_;  // latched when the PLL starts locking
  EventId lock_ev_ = kNoEvent;
  std::uint64_t sysclk_hz_ = kPioscHz;
  bool warned_mosc_off_ = false;

  Line irq_;
  std::vector<std::function<void(std::uint64_t)>> sysclk_cbs_;
  std::vector<std::function<void(PeriphClass, unsigned)>> reset_cbs_;
};

}  // namespace k7sim
