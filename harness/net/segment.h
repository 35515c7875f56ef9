// The virtual Ethernet segment: a store-and-forward switch with one port per host peer plus one
// port for the device (the board's EthernetPort). Every port is a 100 Mb/s full-duplex link:
//   wire time of a frame = (8 preamble/SFD + max(len + 4 FCS, 64)) bytes x 8 bits x 10 ns,
//   and a 12-byte inter-frame gap before the next frame in the same direction of that port.
// A frame sent by a host peer is serialized on its port's ingress (queued behind earlier frames),
// forwarded when its last bit reached the switch, queued on the egress port, and delivered when its
// last bit arrives (the device receives it through the callback given to set_device_receiver()).
// The device's EMAC already serialized its frames: they reach the switch at `end`.
// The switch learns source MACs; unknown unicast, broadcast and multicast are flooded.
// Fault injection (loss %, added delay, duplicate %) applies to every frame entering the switch
// while active, drawn from a std::mt19937 seeded with the scenario seed. A port whose link is down
// drops everything it would send or receive.
// Every frame put on a sender's wire is logged (tick of its first bit), with the switch's verdict;
// duplicates made by the fault injector are logged again at their egress start.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "emulator/event_queue.h"
#include "harness/net/pcap.h"
#include "peripherals/ethernet_port.h"

namespace k7sim {

struct SegmentFrame {
  Cycles tick = 0;       // first bit on the sender's wire
  Cycles end = 0;        // last bit at the switch
  int from = -1;         // port index
  std::vector<int> to;   // ports it was forwarded to (empty: dropped)
  bool lost = false;     // dropped by fault injection or a link that is down
  bool duplicate = false;
  std::vector<std::uint8_t> bytes;  // no FCS
};

struct NetFault {
  double loss_percent = 0;
  Cycles delay = 0;
  double duplicate_percent = 0;
};

// 100 Mb/s wire time of a frame of `len` bytes (without FCS), preamble to last FCS bit.
Cycles wire_time(std::size_t len);
inline constexpr Cycles kInterFrameGap = 115;  // 12 bytes at 100 Mb/s = 960 ns = 115.2 ticks

class Segment {
 public:
  using Receiver = std::function<void(const std::vector<std::uint8_t>& frame)>;

  Segment(EventQueue& queue, std::uint64_t seed);
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;

  // A host port; `rx` gets each frame at the tick its last bit arrives. Returns the port index.
  int add_port(std::string name, Receiver rx);
  // A host sends a frame now (queued behind its earlier frames on the port's wire).
  void send(int port, std::vector<std::uint8_t> frame);

  // The device port: hand device_port() to Board::attach_ethernet(); frames for the device go to
  // the receiver (wire it to Board::ethernet_receive). Index: device_port_index().
  EthernetPort& device_port() { return device_; }
  int device_port_index() const { return 0; }
  void set_device_receiver(Receiver rx) { ports_[0].rx = std::move(rx); }

  // Link state of a port (the device port's cable: also tell the board, Board::set_link()).
  void set_link(int port, bool up);
  bool link(int port) const { return ports_.at(static_cast<std::size_t>(port)).link_up; }

  // Impairment for `duration` from now (a later call replaces it); clear_fault() ends it.
  void set_fault(const NetFault& fault, Cycles duration);
  void clear_fault() { fault_until_ = 0; }

  const std::vector<SegmentFrame>& log() const { return log_; }
  // The log as pcap records, ordered by first-bit time (stable).
  std::vector<PcapFrame> pcap_frames() const;
  const std::string& port_name(int port) const { return ports_.at(static_cast<std::size_t>(port)).name; }
  std::size_t port_count() const { return ports_.size(); }

 private:
  struct Port {
    std::string name;
    Receiver rx;
    bool link_up = true;
    Cycles ingress_free = 0;  // when this port's wire toward the switch is free again
    Cycles egress_free = 0;   // when the switch's wire toward this port is free again
  };
  class DevicePort : public EthernetPort {
   public:
    explicit DevicePort(Segment& s) : seg_(s) {}
    void transmit(const std::vector<std::uint8_t>& frame, Cycles start, Cycles end) override;
   private:
    Segment& seg_;
  };

  void arrive(int from, std::vector<std::uint8_t> frame, Cycles start, Cycles end);
  void egress(int to, const std::vector<std::uint8_t>& frame, Cycles ready, bool duplicate, int from);
  bool chance(double percent);

  EventQueue& q_;
  std::mt19937_64 rng_;
  std::vector<Port> ports_;
  DevicePort device_;
  std::map<std::array<std::uint8_t, 6>, int> mac_table_;
  NetFault fault_;
  Cycles fault_until_ = 0;
  std::vector<SegmentFrame> log_;
};

}  // namespace k7sim
