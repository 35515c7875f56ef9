// TM4C1294 EEPROM module (0x400A_F000): 96 blocks x 16 words, accessed one word at a time through
// EEBLOCK/EEOFFSET and EERDWR/EERDWRINC. A write programs the word for a fixed virtual time with
// EEDONE.WORKING set; the module is also WORKING for a short time after reset (the driver's init
// polls it). The words live in the board's NvImage, so they persist in the image file.
// See docs/board.md, "Flash controller and EEPROM".
//
// The board connects: on_interrupt() -> FlashController::raise_eeprom_interrupt() (FCRIS.ERIS,
// vector 45), power_loss() and reset() from its power/reset logic and the SYSCTL SREEPROM bit.
#pragma once
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "emulator/event_queue.h"
#include "emulator/mmio.h"
#include "emulator/register_bank.h"
#include "peripherals/nv_image.h"

namespace k7sim {

class Eeprom : public MmioDevice {
 public:
  static constexpr std::uint32_t kBase = 0x400AF000;
  static constexpr std::uint32_t kBlocks = 96;
  static constexpr std::uint32_t kWordsPerBlock = 16;
  static constexpr std::uint32_t kWords = kBlocks * kWordsPerBlock;

  // Register offsets.
  static constexpr std::uint32_t kEesize = 0x000, kEeblock = 0x004, kEeoffset = 0x008, kEerdwr = 0x010,
                                 kEerdwrinc = 0x014, kEedone = 0x018, kEesupp = 0x01C, kEeunlock = 0x020,
                                 kEeprot = 0x030, kEepass0 = 0x034, kEeint = 0x040, kEehide = 0x050;
  // EEDONE bits.
  static constexpr std::uint32_t kWorking = 1u << 0, kWkErase = 1u << 2, kWkCopy = 1u << 3, kNoPerm = 1u << 4,
                                 kWrBusy = 1u << 5;
  static constexpr std::uint32_t kEeintInt = 1u << 0;
  static constexpr std::uint32_t kEesizeValue = (kBlocks << 16) | kWords;  // 0x0060_0600

  // Virtual durations (product decisions, see docs/board.md).
  static constexpr Cycles kWordWriteTicks = ticks_from_us(110);
  static constexpr Cycles kInitTicks = ticks_from_us(20);  // WORKING after reset

  // `words` must hold kWords words (the NvImage's EEPROM).
  Eeprom(EventQueue& events, NvOpCounter& counter, std::vector<std::uint32_t>& words, std::string name = "EEPROM");

  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
  // System or SREEPROM reset: a write in flight is interrupted like a power loss, registers return
  // to reset values and the module is WORKING for kInitTicks.
  void reset() override;
  // Power goes: a write in flight leaves its deterministic partial result, pending events are
  // cancelled. The board calls reset() when power returns.
  void power_loss();

  // An operation completed while EEINT.INT is set (FCRIS.ERIS in the flash controller).
  void on_interrupt(std::function<void()> fn) { int_cbs_.push_back(std::move(fn)); }
  // Every EEPROM write as it starts (numbered in the shared NvOpCounter sequence).
  void on_operation_start(NvOpCounter::Observer fn) { op_cbs_.push_back(std::move(fn)); }

  bool working() const { return (done_ & kWorking) != 0; }
  const NvOp* in_flight() const { return writing_ ? &op_ : nullptr; }
  const std::set<std::uint32_t>& unknown_offsets() const { return bank_.unknown_offsets(); }

 private:
  void define_registers();
  std::uint32_t index() const { return block_ * kWordsPerBlock + offset_; }
  void start_write(std::uint32_t value);
  void finish_write();
  void abort_in_flight();

  std::string name_;
  EventQueue& events_;
  NvOpCounter& counter_;
  std::vector<std::uint32_t>& words_;
  RegisterBank bank_;

  std::uint32_t block_ = 0, offset_ = 0;
  std::uint32_t done_ = 0;
  bool writing_ = false;
  NvOp op_;
  std::uint32_t new_value_ = 0;
  EventId ev_ = kNoEvent;
  bool warned_busy_ = false, warned_block_ = false;

  std::vector<std::function<void()>> int_cbs_;
  std::vector<NvOpCounter::Observer> op_cbs_;
};

}  // namespace k7sim
