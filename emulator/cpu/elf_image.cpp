#include "emulator/cpu/elf_image.h"

#include <cstring>
#include <fstream>
#include <iterator>

namespace k7sim {

namespace {

struct Reader {
  const std::vector<std::uint8_t>& b;
  const std::string& name;
  void need(std::uint64_t off, std::uint64_t len) const {
    if (off + len > b.size()) throw ElfError(name + ": truncated ELF file (needs bytes up to " + std::to_string(off + len) + ")");
  }
  std::uint32_t u32(std::uint64_t off) const {
    need(off, 4);
    return std::uint32_t(b[off]) | std::uint32_t(b[off + 1]) << 8 | std::uint32_t(b[off + 2]) << 16 | std::uint32_t(b[off + 3]) << 24;
  }
  std::uint16_t u16(std::uint64_t off) const {
    need(off, 2);
    return std::uint16_t(b[off] | b[off + 1] << 8);
  }
};

constexpr std::uint32_t kPtLoad = 1;
constexpr std::uint32_t kShtSymtab = 2;
constexpr unsigned kSttObject = 1, kSttFunc = 2;
constexpr std::uint16_t kEmArm = 40;

}  // namespace

ElfImage ElfImage::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ElfError(path + ": cannot open firmware image");
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse(bytes, path);
}

ElfImage ElfImage::parse(const std::vector<std::uint8_t>& b, const std::string& name) {
  ElfImage img;
  img.path_ = name;
  Reader r{b, name};
  r.need(0, 52);
  if (std::memcmp(b.data(), "\x7f" "ELF", 4) != 0) throw ElfError(name + ": not an ELF file");
  if (b[4] != 1 || b[5] != 1) throw ElfError(name + ": not a 32-bit little-endian ELF (an ARM Cortex-M image is expected)");
  if (r.u16(18) != kEmArm) throw ElfError(name + ": ELF machine is " + std::to_string(r.u16(18)) + ", not ARM (40)");
  img.entry_ = r.u32(24);
  const std::uint32_t phoff = r.u32(28), shoff = r.u32(32);
  const std::uint16_t phentsize = r.u16(42), phnum = r.u16(44), shentsize = r.u16(46), shnum = r.u16(48);

  for (unsigned i = 0; i < phnum; ++i) {
    const std::uint64_t ph = std::uint64_t(phoff) + std::uint64_t(i) * phentsize;
    if (r.u32(ph) != kPtLoad) continue;
    const std::uint32_t offset = r.u32(ph + 4), paddr = r.u32(ph + 12), filesz = r.u32(ph + 16), memsz = r.u32(ph + 20);
    if (filesz == 0 && memsz == 0) continue;
    r.need(offset, filesz);
    ElfSegment seg{paddr, memsz, std::vector<std::uint8_t>(b.begin() + offset, b.begin() + offset + filesz)};
    img.segments_.push_back(std::move(seg));
  }
  if (img.segments_.empty()) throw ElfError(name + ": no loadable segment");

  for (unsigned i = 0; i < shnum; ++i) {
    const std::uint64_t sh = std::uint64_t(shoff) + std::uint64_t(i) * shentsize;
    if (r.u32(sh + 4) != kShtSymtab) continue;
    const std::uint32_t symoff = r.u32(sh + 16), symsize = r.u32(sh + 20), link = r.u32(sh + 24), entsize = r.u32(sh + 36);
    const std::uint64_t strsh = std::uint64_t(shoff) + std::uint64_t(link) * shentsize;
    const std::uint32_t stroff = r.u32(strsh + 16), strsize = r.u32(strsh + 20);
    r.need(stroff, strsize);
    if (entsize == 0) break;
    for (std::uint32_t s = 0; s + entsize <= symsize; s += entsize) {
      const std::uint64_t e = std::uint64_t(symoff) + s;
      const std::uint32_t name_off = r.u32(e), value = r.u32(e + 4), size = r.u32(e + 8);
      r.need(e + 12, 4);
      const unsigned type = b[e + 12] & 0xF;
      if (type != kSttFunc && type != kSttObject) continue;
      if (name_off >= strsize) continue;
      const char* str = reinterpret_cast<const char*>(b.data() + stroff + name_off);
      const std::string sym_name(str, strnlen(str, strsize - name_off));
      if (sym_name.empty()) continue;
      ElfSymbol sym{sym_name, type == kSttFunc ? (value & ~1u) : value, size, type == kSttFunc};
      img.by_name_.emplace(sym.name, sym);
      img.by_address_.emplace(sym.address, sym);
    }
  }
  return img;
}

std::optional<ElfSymbol> ElfImage::symbol(const std::string& name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::string ElfImage::describe(std::uint32_t address) const {
  auto it = by_address_.upper_bound(address);
  if (it == by_address_.begin()) return {};
  --it;
  const ElfSymbol& s = it->second;
  const std::uint32_t span = s.size ? s.size : 1;
  if (address - s.address >= span) return {};
  if (address == s.address) return s.name;
  char buf[16];
  std::snprintf(buf, sizeof buf, "+0x%x", address - s.address);
  return s.name + buf;
}

}  // namespace k7sim
