// Optional DHCP server peer (scenario `network: dhcp: true`): answers DHCPDISCOVER / DHCPREQUEST
// from the device (RFC 2131 subset) on UDP port 67 of one host peer, through the HostStack.
// Replies (OFFER, ACK, NAK) are always broadcast to 255.255.255.255:68, which every client
// accepts. Leases are handed out from a pool in the order clients first appear (deterministic);
// a client keeps its address for the whole run. DHCPRELEASE / DECLINE free / retire the address;
// DHCPINFORM gets an ACK with the options only.
#pragma once
#include <cstdint>
#include <map>
#include <vector>

#include "harness/net/host_stack.h"

namespace k7sim {

struct DhcpServerConfig {
  int peer = -1;          // the HostStack peer that runs the server (its IP is the server id)
  Ipv4 pool_start;        // first address handed out
  unsigned pool_size = 50;
  unsigned prefix = 24;   // subnet mask option
  Ipv4 router;            // option 3 (omitted when 0)
  Ipv4 dns;               // option 6 (omitted when 0)
  std::uint32_t lease_seconds = 86400;
};

struct DhcpLease {
  MacAddress mac{};
  Ipv4 ip;
  bool bound = false;     // ACKed at least once
  Cycles acked_at = 0;
};

class DhcpServer {
 public:
  DhcpServer(EventQueue& queue, HostStack& stack, const DhcpServerConfig& config);
  bool ok() const { return sock_ >= 0; }
  const std::vector<DhcpLease>& leases() const { return leases_; }
  std::size_t messages_seen() const { return seen_; }

 private:
  void on_datagram(const UdpDatagram& d);
  DhcpLease* lease_for(const MacAddress& mac, bool allocate);
  void reply(const std::vector<std::uint8_t>& request, std::uint8_t type, Ipv4 yiaddr);

  Cycles hs_now() const { return queue_.now(); }

  EventQueue& queue_;
  HostStack& hs_;
  DhcpServerConfig cfg_;
  int sock_ = -1;
  std::vector<DhcpLease> leases_;
  std::vector<std::uint32_t> retired_;
  std::size_t seen_ = 0;
};

}  // namespace k7sim
