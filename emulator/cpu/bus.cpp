#include "emulator/cpu/bus.h"

#include <algorithm>

namespace k7sim {

namespace {
constexpr std::uint32_t kPeriphBase = 0x40000000, kPeriphSize = 0x00100000;
}

void Bus::map(std::uint32_t base, std::uint32_t size, MmioDevice& device, std::uint32_t device_base, Gate gate) {
  windows_.push_back(Window{base, size, device_base, &device, std::move(gate)});
  const auto index = static_cast<std::uint16_t>(windows_.size());
  if (base >= kPeriphBase && base - kPeriphBase < kPeriphSize && (base & 0xFFF) == 0 && (size & 0xFFF) == 0) {
    for (std::uint32_t a = base; a < base + size; a += 0x1000) periph_pages_[(a - kPeriphBase) >> 12] = index;
  }
}

std::optional<Bus::Target> Bus::decode(std::uint32_t address) const {
  if (address - kPeriphBase < kPeriphSize) {
    const std::uint16_t w = periph_pages_[(address - kPeriphBase) >> 12];
    if (w != 0) {
      const Window& win = windows_[w - 1];
      return Target{win.device, address - win.device_base, win.gate ? &win.gate : nullptr};
    }
  }
  for (const Window& win : windows_) {
    if (address - win.base < win.size) return Target{win.device, address - win.device_base, win.gate ? &win.gate : nullptr};
  }
  return std::nullopt;
}

std::vector<MmioDevice*> Bus::devices() const {
  std::vector<MmioDevice*> out;
  for (const Window& w : windows_)
    if (std::find(out.begin(), out.end(), w.device) == out.end()) out.push_back(w.device);
  return out;
}

}  // namespace k7sim
