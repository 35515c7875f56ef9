// Non-volatile state of the board: the 1 MB flash array and the 6 KB EEPROM, and the file that
// holds them between runs (the scenario's device.flash image, written by flash.save).
//
// The flash bytes belong to the CPU (it executes from them); the EEPROM words belong to this
// image. NvImage loads into and saves from those buffers; the flash controller and the EEPROM
// model change them in place while the firmware runs.
//
// File format (all integers little-endian):
//   offset  size  field
//   0       8     magic "K7SIMNV1"
//   8       4     format version (1)
//   12      4     flash size in bytes
//   16      4     EEPROM size in 32-bit words
//   20      4     CRC-32 (IEEE 802.3, reflected, as zlib) of the payload
//   24      8     reserved, 0
//   32      ...   payload: flash bytes, then EEPROM words (4 bytes each)
//
// NvOpCounter numbers every program/erase operation of the flash controller and the EEPROM in one
// sequence, so "the Nth non-volatile operation from now" (scenario step power.cut during_flash_op)
// is well defined across both models.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "emulator/time.h"

namespace k7sim {

// One program or erase operation, reported when it starts.
struct NvOp {
  enum class Kind { FlashProgram, FlashBufferedProgram, FlashSectorErase, FlashMassErase, EepromWrite };
  Kind kind = Kind::FlashProgram;
  std::uint32_t address = 0;  // flash byte address, or EEPROM word index (block * 16 + offset)
  Cycles start = 0;           // tick the operation began
  Cycles end = 0;             // tick it completes unless power goes first
  std::uint64_t index = 0;    // 1-based position in the shared sequence (NvOpCounter)
};
using FlashOp = NvOp;
const char* to_string(NvOp::Kind kind);

class NvOpCounter {
 public:
  using Observer = std::function<void(const NvOp&)>;

  // Number of operations started so far (the index of the most recent one).
  std::uint64_t count() const { return count_; }
  // Called by the models when an operation starts: numbers it and tells every observer.
  NvOp begin(NvOp::Kind kind, std::uint32_t address, Cycles start, Cycles end);
  // Every operation of every model that shares this counter.
  void on_operation_start(Observer fn) { observers_.push_back(std::move(fn)); }

 private:
  std::uint64_t count_ = 0;
  std::vector<Observer> observers_;
};

class NvImageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class NvImage {
 public:
  static constexpr std::size_t kFlashBytes = 1u << 20;   // 1 MB
  static constexpr std::size_t kEepromWords = 96 * 16;   // 96 blocks x 16 words = 6 KB
  static constexpr std::uint32_t kVersion = 1;
  static constexpr std::size_t kHeaderBytes = 32;

  // `flash` is the CPU's flash array; the EEPROM words are owned here.
  explicit NvImage(std::vector<std::uint8_t>& flash);

  std::vector<std::uint8_t>& flash() { return flash_; }
  std::vector<std::uint32_t>& eeprom() { return eeprom_; }

  // Factory state: flash erased (0xFF), EEPROM erased (0xFFFFFFFF). The board then programs the
  // firmware ELF into flash.
  void factory_reset();
  void load(const std::string& path) { load(path, flash_, eeprom_); }
  void save(const std::string& path) const { save(path, flash_, eeprom_); }

  // Load a file into the given buffers. Throws NvImageError ("<path>: <reason>") when the file is
  // missing, unreadable, short, has a bad magic/version, sizes that differ from the buffers, or a
  // CRC mismatch; the buffers are untouched on error.
  static void load(const std::string& path, std::vector<std::uint8_t>& flash, std::vector<std::uint32_t>& eeprom);
  // Write atomically: a temporary file next to `path`, then rename over it.
  static void save(const std::string& path, const std::vector<std::uint8_t>& flash,
                   const std::vector<std::uint32_t>& eeprom);

  static std::uint32_t crc32(const std::uint8_t* data, std::size_t len, std::uint32_t crc = 0);

 private:
  std::vector<std::uint8_t>& flash_;
  std::vector<std::uint32_t> eeprom_;
};

}  // namespace k7sim
