// Non-volatile image file (architecture.md "Flash/EEPROM are files"; format in peripherals/nv_image.h
// and docs/board.md "Flash controller and EEPROM").
#include "peripherals/nv_image.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace k7sim {
namespace {

namespace fs = std::filesystem;

class NvImageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = fs::temp_directory_path() / ("k7sim-nvimage-" + std::string(info->name()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    path = (dir / "device.flash").string();
    for (std::size_t i = 0; i < flash.size(); ++i) flash[i] = static_cast<std::uint8_t>(i * 7 + (i >> 12));
    for (std::size_t i = 0; i < eeprom.size(); ++i) eeprom[i] = 0xE0000000u + static_cast<std::uint32_t>(i * 3);
  }
  void TearDown() override { fs::remove_all(dir); }

  std::vector<std::uint8_t> read_file() const {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  void write_file(const std::vector<std::uint8_t>& d) const {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(d.data()), static_cast<std::streamsize>(d.size()));
  }
  // Load into fresh buffers and return the error message ("" when it loaded).
  std::string load_error() {
    std::vector<std::uint8_t> f(NvImage::kFlashBytes, 0x11);
    std::vector<std::uint32_t> e(NvImage::kEepromWords, 0x22);
    try {
      NvImage::load(path, f, e);
    } catch (const NvImageError& err) {
      EXPECT_EQ(f, std::vector<std::uint8_t>(NvImage::kFlashBytes, 0x11)) << "buffers touched on error";
      return err.what();
    }
    return "";
  }

  fs::path dir;
  std::string path;
  std::vector<std::uint8_t> flash = std::vector<std::uint8_t>(NvImage::kFlashBytes);
  std::vector<std::uint32_t> eeprom = std::vector<std::uint32_t>(NvImage::kEepromWords);
};

// CRC-32 (IEEE, reflected): the standard check value of "123456789".
TEST(NvImageCrc, CheckValue) {
  const char* s = "123456789";
  EXPECT_EQ(NvImage::crc32(reinterpret_cast<const std::uint8_t*>(s), 9), 0xCBF43926u);
  // Chaining gives the same result as one pass.
  const auto* p = reinterpret_cast<const std::uint8_t*>(s);
  EXPECT_EQ(NvImage::crc32(p + 4, 5, NvImage::crc32(p, 4)), 0xCBF43926u);
}

// Save then load restores flash and EEPROM exactly; the header is as documented.
TEST_F(NvImageTest, RoundTrip) {
  NvImage::save(path, flash, eeprom);
  const auto d = read_file();
  ASSERT_EQ(d.size(), 32u + (1u << 20) + 6144u);
  EXPECT_EQ(std::memcmp(d.data(), "K7SIMNV1", 8), 0);
  EXPECT_EQ(d[8], 1);   // version
  EXPECT_EQ(d[14], 0x10);  // flash size 0x00100000, little-endian
  EXPECT_EQ(d[16], 0x00);  // EEPROM words 0x600
  EXPECT_EQ(d[17], 0x06);
  EXPECT_EQ(d[32 + (1u << 20)], 0x00);  // first EEPROM word 0xE0000000, little-endian
  EXPECT_EQ(d[32 + (1u << 20) + 3], 0xE0);
  EXPECT_FALSE(fs::exists(path + ".tmp"));

  std::vector<std::uint8_t> f(NvImage::kFlashBytes, 0);
  std::vector<std::uint32_t> e(NvImage::kEepromWords, 0);
  NvImage::load(path, f, e);
  EXPECT_EQ(f, flash);
  EXPECT_EQ(e, eeprom);
}

// Saving over an existing image replaces it (temp file + rename).
TEST_F(NvImageTest, SaveReplacesExisting) {
  NvImage::save(path, flash, eeprom);
  eeprom[5] = 0x12345678;
  NvImage::save(path, flash, eeprom);
  std::vector<std::uint8_t> f(NvImage::kFlashBytes);
  std::vector<std::uint32_t> e(NvImage::kEepromWords);
  NvImage::load(path, f, e);
  EXPECT_EQ(e[5], 0x12345678u);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST_F(NvImageTest, MissingFileNamesPath) {
  const std::string err = load_error();
  EXPECT_EQ(err, path + ": no such file");
}

TEST_F(NvImageTest, ShortFile) {
  write_file({'K', '7'});
  EXPECT_EQ(load_error(), path + ": file too short for a k7sim NV image header (2 bytes)");
}

TEST_F(NvImageTest, BadMagic) {
  NvImage::save(path, flash, eeprom);
  auto d = read_file();
  d[0] = 'X';
  write_file(d);
  EXPECT_EQ(load_error(), path + ": not a k7sim NV image (bad magic)");
}

TEST_F(NvImageTest, BadVersion) {
  NvImage::save(path, flash, eeprom);
  auto d = read_file();
  d[8] = 9;
  write_file(d);
  EXPECT_EQ(load_error(), path + ": unsupported NV image version 9");
}

TEST_F(NvImageTest, TruncatedPayload) {
  NvImage::save(path, flash, eeprom);
  auto d = read_file();
  d.resize(d.size() - 1);
  write_file(d);
  EXPECT_NE(load_error().find("truncated"), std::string::npos);
}

TEST_F(NvImageTest, CorruptPayloadFailsCrc) {
  NvImage::save(path, flash, eeprom);
  auto d = read_file();
  d[32 + 1000] ^= 0x01;
  write_file(d);
  const std::string err = load_error();
  EXPECT_EQ(err.rfind(path + ": CRC mismatch", 0), 0u) << err;
}

TEST_F(NvImageTest, SizeMismatch) {
  std::vector<std::uint8_t> small(4096, 0xFF);
  NvImage::save(path, small, eeprom);
  EXPECT_EQ(load_error(), path + ": flash size 4096 bytes, expected 1048576");
}

// Factory state: flash all 0xFF, EEPROM all 0xFFFFFFFF; the image object loads/saves in place.
TEST_F(NvImageTest, FactoryResetAndObjectInterface) {
  NvImage img(flash);
  img.factory_reset();
  EXPECT_EQ(flash, std::vector<std::uint8_t>(NvImage::kFlashBytes, 0xFF));
  EXPECT_EQ(img.eeprom(), std::vector<std::uint32_t>(NvImage::kEepromWords, 0xFFFFFFFFu));
  flash[10] = 0x42;
  img.eeprom()[7] = 7;
  img.save(path);
  img.factory_reset();
  img.load(path);
  EXPECT_EQ(flash[10], 0x42);
  EXPECT_EQ(img.eeprom()[7], 7u);
  EXPECT_EQ(&img.flash(), &flash);
}

TEST_F(NvImageTest, UnwritableDirectory) {
  const std::string bad = (dir / "no-such-dir" / "x.flash").string();
  try {
    NvImage::save(bad, flash, eeprom);
    FAIL() << "expected NvImageError";
  } catch (const NvImageError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(bad + ": cannot open", 0), 0u) << e.what();
  }
}

// NvOpCounter numbers operations from 1 and tells its observers.
TEST(NvImageOpCounter, NumbersOperations) {
  NvOpCounter c;
  std::vector<std::uint64_t> seen;
  c.on_operation_start([&](const NvOp& op) { seen.push_back(op.index); });
  const NvOp a = c.begin(NvOp::Kind::FlashMassErase, 0, 10, 20);
  const NvOp b = c.begin(NvOp::Kind::EepromWrite, 5, 30, 40);
  EXPECT_EQ(a.index, 1u);
  EXPECT_EQ(b.index, 2u);
  EXPECT_EQ(b.address, 5u);
  EXPECT_EQ(c.count(), 2u);
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{1, 2}));
}

}  // namespace
}  // namespace k7sim
