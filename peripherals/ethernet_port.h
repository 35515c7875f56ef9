// The board-level Ethernet port: the one place where the EMAC0 model meets the network side
// (the harness's virtual switch, a recorder, a test). The EMAC never knows what is behind it.
//
// Direction board -> network: the EMAC calls EthernetPort::transmit() once per frame, at the tick
// the frame's first preamble bit goes on the wire (`start`), and tells when its last FCS bit has
// left (`end`). `frame` holds the bytes between the SFD and the FCS: destination MAC .. end of the
// (padded) payload, WITHOUT the 4-byte FCS (the MAC computes it; the network side adds it back with
// ethernet_crc32() if a recorder wants it). Frames shorter than 60 bytes are already padded with
// zeros unless the descriptor asked for no padding (DP). end - start is the 100 Mb/s (or 10 Mb/s
// with CFG.FES = 0) serialization time of preamble + SFD + frame + FCS; see docs/board.md.
//
// Direction network -> board: the network side calls Emac::receive_frame(bytes) at the tick the
// last bit of the frame has arrived ("frame arrived at time now()"); bytes again WITHOUT FCS (the
// model appends the CRC-32 so FL and the buffer contents match the silicon). Link state is the
// PHY's business: Ephy::set_link(up) is the cable / link partner.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "emulator/time.h"

namespace k7sim {

class EthernetPort {
 public:
  virtual ~EthernetPort() = default;
  // One frame leaves the board: on the wire from `start` (now) until `end` (ticks, 120 MHz).
  virtual void transmit(const std::vector<std::uint8_t>& frame, Cycles start, Cycles end) = 0;
};

// IEEE 802.3 CRC-32 (reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF), the
// value of the FCS; on the wire and in memory its bytes go least significant first.
std::uint32_t ethernet_crc32(const std::uint8_t* data, std::size_t len);

}  // namespace k7sim
