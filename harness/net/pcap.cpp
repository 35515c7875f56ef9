#include "harness/net/pcap.h"

#include <fstream>
#include <iterator>

namespace k7sim {
namespace {

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}

constexpr std::uint32_t kMagicUs = 0xa1b2c3d4;
constexpr std::uint32_t kMagicNs = 0xa1b23c4d;
constexpr std::uint32_t kSnapLen = 65535;
constexpr std::uint32_t kLinkEthernet = 1;

}  // namespace

std::vector<std::uint8_t> encode_pcap(const std::vector<PcapFrame>& frames) {
  std::vector<std::uint8_t> out;
  put32(out, kMagicUs);
  put16(out, 2);
  put16(out, 4);
  put32(out, 0);  // thiszone
  put32(out, 0);  // sigfigs
  put32(out, kSnapLen);
  put32(out, kLinkEthernet);
  for (const PcapFrame& f : frames) {
    const std::uint64_t us = f.tick / (kTickHz / 1'000'000);
    const std::uint32_t len = static_cast<std::uint32_t>(f.bytes.size());
    const std::uint32_t caplen = len < kSnapLen ? len : kSnapLen;
    put32(out, static_cast<std::uint32_t>(us / 1'000'000));
    put32(out, static_cast<std::uint32_t>(us % 1'000'000));
    put32(out, caplen);
    put32(out, len);
    out.insert(out.end(), f.bytes.begin(), f.bytes.begin() + caplen);
  }
  return out;
}

bool write_pcap(const std::string& path, const std::vector<PcapFrame>& frames, std::string* error) {
  const std::vector<std::uint8_t> image = encode_pcap(frames);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (file) file.write(reinterpret_cast<const char*>(image.data()), static_cast<std::streamsize>(image.size()));
  if (!file) {
    if (error) *error = "cannot write " + path;
    return false;
  }
  return true;
}

std::optional<std::vector<PcapFrame>> decode_pcap(const std::vector<std::uint8_t>& image,
                                                  std::string* error) {
  auto fail = [&](const char* why) -> std::optional<std::vector<PcapFrame>> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (image.size() < 24) return fail("pcap: file shorter than the global header");
  bool swap = false;
  auto rd32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const std::uint32_t b = image[at + static_cast<std::size_t>(swap ? 3 - i : i)];
      v |= b << (8 * i);
    }
    return v;
  };
  std::uint32_t magic = rd32(0);
  if (magic != kMagicUs && magic != kMagicNs) {
    swap = true;
    magic = rd32(0);
    if (magic != kMagicUs && magic != kMagicNs) return fail("pcap: bad magic number");
  }
  const bool nanos = magic == kMagicNs;
  if (rd32(20) != kLinkEthernet) return fail("pcap: link type is not Ethernet (1)");
  std::vector<PcapFrame> frames;
  std::size_t at = 24;
  while (at < image.size()) {
    if (image.size() - at < 16) return fail("pcap: truncated record header");
    const std::uint64_t sec = rd32(at), frac = rd32(at + 4);
    const std::uint32_t caplen = rd32(at + 8);
    at += 16;
    if (image.size() - at < caplen) return fail("pcap: truncated record data");
    PcapFrame f;
    f.tick = sec * kTickHz + (nanos ? frac * (kTickHz / 1'000'000) / 1000 : frac * (kTickHz / 1'000'000));
    f.bytes.assign(image.begin() + static_cast<std::ptrdiff_t>(at),
                   image.begin() + static_cast<std::ptrdiff_t>(at + caplen));
    at += caplen;
    frames.push_back(std::move(f));
  }
  return frames;
}

std::optional<std::vector<PcapFrame>> read_pcap(const std::string& path, std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (error) *error = "cannot read " + path;
    return std::nullopt;
  }
  std::vector<std::uint8_t> image((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return decode_pcap(image, error);
}

}  // namespace k7sim
