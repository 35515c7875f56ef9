#include "peripherals/nv_image.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "emulator/log.h"

namespace k7sim {
namespace {

constexpr char kMagic[8] = {'K', '7', 'S', 'I', 'M', 'N', 'V', '1'};

void put32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t get32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

const std::array<std::uint32_t, 256>& crc_table() {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

std::vector<std::uint8_t> eeprom_bytes(const std::vector<std::uint32_t>& eeprom) {
  std::vector<std::uint8_t> out(eeprom.size() * 4);
  for (std::size_t i = 0; i < eeprom.size(); ++i) put32(&out[4 * i], eeprom[i]);
  return out;
}

}  // namespace

const char* to_string(NvOp::Kind kind) {
  switch (kind) {
    case NvOp::Kind::FlashProgram: return "flash-program";
    case NvOp::Kind::FlashBufferedProgram: return "flash-buffered-program";
    case NvOp::Kind::FlashSectorErase: return "flash-sector-erase";
    case NvOp::Kind::FlashMassErase: return "flash-mass-erase";
    case NvOp::Kind::EepromWrite: return "eeprom-write";
  }
  return "?";
}

NvOp NvOpCounter::begin(NvOp::Kind kind, std::uint32_t address, Cycles start, Cycles end) {
  NvOp op{kind, address, start, end, ++count_};
  for (auto& fn : observers_) fn(op);
  return op;
}

NvImage::NvImage(std::vector<std::uint8_t>& flash) : flash_(flash), eeprom_(kEepromWords, 0xFFFFFFFFu) {}

void NvImage::factory_reset() {
  std::fill(flash_.begin(), flash_.end(), std::uint8_t{0xFF});
  std::fill(eeprom_.begin(), eeprom_.end(), 0xFFFFFFFFu);
}

std::uint32_t NvImage::crc32(const std::uint8_t* data, std::size_t len, std::uint32_t crc) {
  const auto& t = crc_table();
  crc = ~crc;
  for (std::size_t i = 0; i < len; ++i) crc = t[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

void NvImage::load(const std::string& path, std::vector<std::uint8_t>& flash, std::vector<std::uint32_t>& eeprom) {
  auto fail = [&](const std::string& why) { throw NvImageError(path + ": " + why); };
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail("no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot open for reading");
  std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail("read error");
  if (data.size() < kHeaderBytes)
    fail("file too short for a k7sim NV image header (" + std::to_string(data.size()) + " bytes)");
  if (std::memcmp(data.data(), kMagic, sizeof kMagic) != 0) fail("not a k7sim NV image (bad magic)");
  const std::uint32_t version = get32(&data[8]);
  if (version != kVersion) fail("unsupported NV image version " + std::to_string(version));
  const std::uint32_t flash_bytes = get32(&data[12]);
  const std::uint32_t eeprom_words = get32(&data[16]);
  const std::uint32_t crc = get32(&data[20]);
  if (flash_bytes != flash.size())
    fail("flash size " + std::to_string(flash_bytes) + " bytes, expected " + std::to_string(flash.size()));
  if (eeprom_words != eeprom.size())
    fail("EEPROM size " + std::to_string(eeprom_words) + " words, expected " + std::to_string(eeprom.size()));
  const std::size_t payload = std::size_t{flash_bytes} + std::size_t{eeprom_words} * 4;
  if (data.size() != kHeaderBytes + payload)
    fail("file is " + std::to_string(data.size()) + " bytes, header says " + std::to_string(kHeaderBytes + payload) +
         " (truncated or trailing data)");
  const std::uint32_t actual = crc32(data.data() + kHeaderBytes, payload);
  if (actual != crc) fail("CRC mismatch (header 0x" + hex32(crc) + ", payload 0x" + hex32(actual) + "): corrupt image");
  std::copy_n(data.begin() + kHeaderBytes, flash_bytes, flash.begin());
  const std::uint8_t* e = data.data() + kHeaderBytes + flash_bytes;
  for (std::size_t i = 0; i < eeprom_words; ++i) eeprom[i] = get32(e + 4 * i);
}

void NvImage::save(const std::string& path, const std::vector<std::uint8_t>& flash,
                   const std::vector<std::uint32_t>& eeprom) {
  auto fail = [&](const std::string& why) { throw NvImageError(path + ": " + why); };
  const std::vector<std::uint8_t> ee = eeprom_bytes(eeprom);
  std::uint32_t crc = crc32(flash.data(), flash.size());
  crc = crc32(ee.data(), ee.size(), crc);
  std::uint8_t header[kHeaderBytes] = {};
  std::memcpy(header, kMagic, sizeof kMagic);
  put32(&header[8], kVersion);
  put32(&header[12], static_cast<std::uint32_t>(flash.size()));
  put32(&header[16], static_cast<std::uint32_t>(eeprom.size()));
  put32(&header[20], crc);

  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) fail("cannot open " + tmp + " for writing");
    out.write(reinterpret_cast<const char*>(header), sizeof header);
    out.write(reinterpret_cast<const char*>(flash.data()), static_cast<std::streamsize>(flash.size()));
    out.write(reinterpret_cast<const char*>(ee.data()), static_cast<std::streamsize>(ee.size()));
    out.flush();
    if (!out) {
      out.close();
      std::remove(tmp.c_str());
      fail("write error on " + tmp);
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    fail("cannot rename " + tmp + ": " + ec.message());
  }
}

}  // namespace k7sim
