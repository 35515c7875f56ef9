// TM4C1294 internal flash memory controller (0x400F_D000): single-word program (FMA/FMD/FMC),
// 32-word buffered program (FMC2/FWBVAL/FWB0..31), 16 KB sector erase, mass erase, the USERREG
// commit (FMC.COMT) and the FCRIS/FCIM/FCMISC interrupt registers (vector 45, shared with the
// EEPROM). Offsets are relative to the controller's base. See docs/board.md, "Flash controller
// and EEPROM", for timing and for what power loss leaves behind.
//
// Flash cells only go 1 -> 0 when programmed (new = old & data); only an erase brings them back to
// 0xFF. An operation takes a fixed virtual time; its change is applied when it completes, so while
// it is in flight the affected words read their old content. If power goes (power_loss()) or the
// chip is reset (reset()) while an operation is in flight, a deterministic part of it is applied.
//
// The board connects: the CPU's flash array and invalidate_code() (code_changed), irq() -> NVIC
// IRQ 29 (vector 45), raise_eeprom_interrupt() <- Eeprom::on_interrupt(), on_commit() -> SysCtl::
// commit_user_regs(), power_loss() and reset() from the board's power/reset logic.
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
#include "peripherals/nv_image.h"

namespace k7sim {

class FlashController : public MmioDevice {
 public:
  using CodeChanged = std::function<void(std::uint32_t begin, std::uint32_t end)>;  // [begin, end)

  static constexpr std::uint32_t kBase = 0x400FD000;
  static constexpr std::uint32_t kSectorBytes = 16 * 1024;
  static constexpr std::uint32_t kRowBytes = 32 * 4;  // the FWB write buffer covers one 128-byte row
  static constexpr std::uint16_t kKey = 0xA442;

  // Register offsets.
  static constexpr std::uint32_t kFma = 0x000, kFmd = 0x004, kFmc = 0x008, kFcris = 0x00C, kFcim = 0x010,
                                 kFcmisc = 0x014, kFmc2 = 0x020, kFwbval = 0x030, kFwb0 = 0x100, kPp = 0xFC0,
                                 kSsize = 0xFC4, kConf = 0xFC8, kRomSwMap = 0xFCC;
  // FMC / FMC2 command bits.
  static constexpr std::uint32_t kFmcWrite = 1u << 0, kFmcErase = 1u << 1, kFmcMerase = 1u << 2,
                                 kFmcComt = 1u << 3, kFmc2Wrbuf = 1u << 0;
  // FCRIS / FCIM / FCMISC bits.
  static constexpr std::uint32_t kIntAccess = 1u << 0, kIntProgram = 1u << 1, kIntEeprom = 1u << 2,
                                 kIntVolt = 1u << 9, kIntInvalidData = 1u << 10, kIntEraseVerify = 1u << 11,
                                 kIntProgramVerify = 1u << 13;
  static constexpr std::uint32_t kIntMask = 0x2E07;
  static constexpr std::uint32_t kPpValue = 0x1FFu | (4u << 16);  // SIZE 0x1FF (1 MB), MAINSS 4 (16 KB)
  static constexpr std::uint32_t kSsizeValue = 0x3FF;            // 256 KB SRAM

  // Virtual durations (product decisions of the order of the datasheet's typical values).
  static constexpr Cycles kWordProgramTicks = ticks_from_us(30);
  static constexpr Cycles kRowProgramTicks = ticks_from_us(100);  // FMC2.WRBUF, any number of valid words
  static constexpr Cycles kSectorEraseTicks = ticks_from_ms(15);
  static constexpr Cycles kMassEraseTicks = ticks_from_ms(250);
  static constexpr Cycles kCommitTicks = ticks_from_us(30);       // FMC.COMT (USERREG commit)

  FlashController(EventQueue& events, NvOpCounter& counter, std::vector<std::uint8_t>& flash,
                  CodeChanged code_changed, std::string name = "FLASH");

  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
  // System reset: an operation in flight is interrupted like a power loss (its partial result is
  // applied), then every register returns to its reset value.
  void reset() override;
  // Power goes: the operation in flight leaves its deterministic partial result (docs/board.md),
  // its completion event is cancelled, registers return to reset values.
  void power_loss();

  // FLASH/EEPROM interrupt (vector 45): (FCRIS & FCIM) != 0.
  Line& irq() { return irq_; }
  // The EEPROM reports a completed operation (FCRIS.ERIS).
  void raise_eeprom_interrupt();
  // FMC.COMT completed: the board makes SysCtl's USERREG values non-volatile.
  void on_commit(std::function<void()> fn) { commit_cbs_.push_back(std::move(fn)); }
  // Every flash program/erase operation as it starts (numbered in the shared NvOpCounter sequence).
  void on_operation_start(NvOpCounter::Observer fn) { op_cbs_.push_back(std::move(fn)); }

  bool busy() const { return active_; }
  const NvOp* in_flight() const { return active_ ? &op_ : nullptr; }
  const std::set<std::uint32_t>& unknown_offsets() const { return bank_.unknown_offsets(); }

 private:
  struct WordWrite {
    std::uint32_t address;
    std::uint32_t data;
  };

  void define_registers();
  void write_fmc(std::uint32_t value);
  void write_fmc2(std::uint32_t value);
  void start(NvOp::Kind kind, std::uint32_t address, Cycles duration);
  void complete();
  void abort_in_flight();
  void apply(Cycles elapsed);  // apply the part of the operation done after `elapsed` ticks
  void set_ris(std::uint32_t bits);
  void update_irq();
  std::uint32_t word(std::uint32_t address) const;
  void set_word(std::uint32_t address, std::uint32_t value);
  void warn_once(bool& flag, const std::string& msg);

  std::string name_;
  EventQueue& events_;
  NvOpCounter& counter_;
  std::vector<std::uint8_t>& flash_;
  CodeChanged code_changed_;
  RegisterBank bank_;

  std::uint32_t fcris_ = 0;
  std::uint32_t fwbval_ = 0;
  std::array<std::uint32_t, 32> fwb_{};

  // The operation in flight.
  bool active_ = false;
  bool commit_pending_ = false;
  NvOp op_;
  std::uint32_t busy_fmc_ = 0, busy_fmc2_ = 0;  // command bits that read back while busy
  std::vector<WordWrite> words_;                // program operations: ascending addresses
  std::uint32_t erase_begin_ = 0, erase_end_ = 0;
  EventId ev_ = kNoEvent;

  bool warned_busy_ = false, warned_key_ = false;
  Line irq_;
  std::vector<std::function<void()>> commit_cbs_;
  std::vector<NvOpCounter::Observer> op_cbs_;
};

}  // namespace k7sim
