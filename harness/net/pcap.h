// Classic pcap files of the virtual segment (harness/net).
//
// Format: libpcap 2.4, little-endian magic 0xa1b2c3d4, microsecond timestamps, snaplen 65535,
// link type 1 (LINKTYPE_ETHERNET). Frames are stored as seen on the wire WITHOUT preamble, SFD and
// FCS (what Wireshark and tcpdump expect for LINKTYPE_ETHERNET). Timestamps come from virtual time
// only: seconds = tick / 120e6, microseconds = (tick % 120e6) / 120, i.e. truncated (rounded down)
// to the microsecond; the reader converts back with usec * 120 (so a frame read back carries the
// tick of its microsecond, not the exact tick).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/time.h"

namespace k7sim {

struct PcapFrame {
  Cycles tick = 0;                  // first bit on the wire (virtual time)
  std::vector<std::uint8_t> bytes;  // destination MAC .. end of payload, no FCS
  friend bool operator==(const PcapFrame&, const PcapFrame&) = default;
};

// The whole file image (global header + records).
std::vector<std::uint8_t> encode_pcap(const std::vector<PcapFrame>& frames);
// Write NAME.pcap; false (and *error) when the file cannot be written.
bool write_pcap(const std::string& path, const std::vector<PcapFrame>& frames,
                std::string* error = nullptr);

// Reader (for tests and tools): accepts the classic format in either byte order with microsecond
// (0xa1b2c3d4) or nanosecond (0xa1b23c4d) timestamps, link type 1 only.
std::optional<std::vector<PcapFrame>> decode_pcap(const std::vector<std::uint8_t>& image,
                                                  std::string* error = nullptr);
std::optional<std::vector<PcapFrame>> read_pcap(const std::string& path, std::string* error = nullptr);

}  // namespace k7sim
