// Memory-mapped device interface. The bus hands each device offsets relative to its base.
// Accesses are 1, 2 or 4 bytes; `offset` is the byte address relative to the device base.
#pragma once
#include <cstdint>
#include <string>

namespace k7sim {

class MmioDevice {
 public:
  virtual ~MmioDevice() = default;
  virtual const std::string& name() const = 0;
  virtual std::uint32_t read(std::uint32_t offset, unsigned size) = 0;
  virtual void write(std::uint32_t offset, std::uint32_t value, unsigned size) = 0;
  // Return every register to its reset value and cancel pending work (system or SR reset).
  virtual void reset() = 0;
};

}  // namespace k7sim
