#include "emulator/register_bank.h"

#include <stdexcept>

#include "emulator/log.h"

namespace k7sim {

Register& RegisterBank::at(std::uint32_t offset) {
  auto it = regs_.find(offset);
  if (it == regs_.end()) throw std::out_of_range(device_ + ": no register at offset " + std::to_string(offset));
  return it->second;
}

std::uint32_t RegisterBank::read(std::uint32_t offset, unsigned size) {
  const std::uint32_t word = offset & ~3u;
  auto it = regs_.find(word);
  if (it == regs_.end()) {
    note_unknown(word, false);
    return 0;
  }
  std::uint32_t v = it->second.read();
  if (size < 4) {
    const unsigned shift = (offset & 3u) * 8;
    const std::uint32_t lane = size == 1 ? 0xFFu : 0xFFFFu;
    v = (v >> shift) & lane;
  }
  return v;
}

void RegisterBank::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
  const std::uint32_t word = offset & ~3u;
  auto it = regs_.find(word);
  if (it == regs_.end()) {
    note_unknown(word, true);
    return;
  }
  if (size < 4) {
    const unsigned shift = (offset & 3u) * 8;
    const std::uint32_t lane = (size == 1 ? 0xFFu : 0xFFFFu) << shift;
    value = (it->second.value() & ~lane) | ((value << shift) & lane);
  }
  it->second.write(value);
}

void RegisterBank::reset() {
  for (auto& [off, r] : regs_) r.reset();
}

void RegisterBank::note_unknown(std::uint32_t offset, bool is_write) {
  if (unknown_.insert(offset).second) {
    log_warning(device_ + ": " + (is_write ? "write to" : "read of") + " unmodelled offset 0x" + hex32(offset) +
                " (reads as 0, writes ignored; logged once)");
  }
}

}  // namespace k7sim
