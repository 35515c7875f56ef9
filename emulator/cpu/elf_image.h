// Minimal ELF32 little-endian reader for ARM firmware images: loadable segments (placed at
// their load address, so initialised data sits in flash where the startup code copies it from)
// and the symbol table (functions and objects) for fault reports and test probes.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace k7sim {

class ElfError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ElfSegment {
  std::uint32_t load_address;     // physical (load) address
  std::uint32_t memory_size;      // bytes in memory (>= data.size(); the rest is zero)
  std::vector<std::uint8_t> data; // bytes from the file
};

struct ElfSymbol {
  std::string name;
  std::uint32_t address;  // Thumb bit cleared for functions
  std::uint32_t size;
  bool is_function;
};

class ElfImage {
 public:
  static ElfImage load(const std::string& path);  // throws ElfError with the path and the reason
  static ElfImage parse(const std::vector<std::uint8_t>& bytes, const std::string& display_name);

  const std::vector<ElfSegment>& segments() const { return segments_; }
  std::uint32_t entry() const { return entry_; }
  const std::string& path() const { return path_; }

  std::optional<ElfSymbol> symbol(const std::string& name) const;
  // "name+0x12" for the function or object containing address, "" when none does.
  std::string describe(std::uint32_t address) const;

 private:
  std::string path_;
  std::uint32_t entry_ = 0;
  std::vector<ElfSegment> segments_;
  std::map<std::string, ElfSymbol> by_name_;
  std::map<std::uint32_t, ElfSymbol> by_address_;
};

}  // namespace k7sim
