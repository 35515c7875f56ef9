// Peripheral address decoding for the core: which device answers an address in the peripheral
// region (0x4000_0000-0x400F_FFFF) and the private peripheral bus (0xE000_0000-0xE00F_FFFF),
// with optional clock gating (an access to an un-clocked peripheral is a bus fault on the
// TM4C1294). Bit-band aliases are folded onto the same decoding by the core.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "emulator/mmio.h"

namespace k7sim {

class Bus {
 public:
  // True when the device may be accessed now (e.g. its RCGC/PR bit is set); the string explains
  // why not, for the fault report.
  using Gate = std::function<bool(std::string& why_not)>;

  // `device` answers [base, base+size) with offsets relative to `device_base` (a device may be
  // mapped in several windows, e.g. the GPIO legacy and AHB apertures, or split SCS ranges).
  void map(std::uint32_t base, std::uint32_t size, MmioDevice& device, std::uint32_t device_base, Gate gate = {});

  struct Target {
    MmioDevice* device = nullptr;
    std::uint32_t offset = 0;
    const Gate* gate = nullptr;
  };
  std::optional<Target> decode(std::uint32_t address) const;

  // Every mapped device once (for resets), in mapping order.
  std::vector<MmioDevice*> devices() const;

 private:
  struct Window {
    std::uint32_t base, size, device_base;
    MmioDevice* device;
    Gate gate;
  };
  std::vector<Window> windows_;
  // Page index (4 KB) of the peripheral region → windows_ index + 1 (0 = none), rebuilt on map().
  std::vector<std::uint16_t> periph_pages_ = std::vector<std::uint16_t>(256, 0);
};

}  // namespace k7sim
