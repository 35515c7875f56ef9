// Optional DNS server peer (scenario `network: dns:`): answers the device's A queries (RFC 1035
// subset) on UDP port 53 of one host peer, through the HostStack, from a fixed table of names.
//   - a name in the table (compared case-insensitively, a trailing dot ignored) gets one A record
//     (TTL 60 s), NOERROR;
//   - a name not in the table gets NXDOMAIN (rcode 3), which resolvers report as "not found";
//   - a query for another type of a known name gets NOERROR without answers;
//   - anything that is not a standard query with one question is answered FORMERR (rcode 1) when
//     its header is readable and ignored otherwise.
// The answer goes back to the query's source address and port. No recursion, no compression in
// questions (answers point back at the question with 0xC00C).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/net/host_stack.h"

namespace k7sim {

struct DnsServerConfig {
  int peer = -1;                              // the HostStack peer that runs the server
  std::map<std::string, Ipv4> records;        // lower-case names without a trailing dot
};

class DnsServer {
 public:
  DnsServer(HostStack& stack, const DnsServerConfig& config);
  bool ok() const { return sock_ >= 0; }
  std::size_t queries_seen() const { return seen_; }

  // The reply to one query message ({} = no reply). Exposed for unit tests.
  std::vector<std::uint8_t> answer(const std::vector<std::uint8_t>& query) const;

 private:
  HostStack& hs_;
  DnsServerConfig cfg_;
  int sock_ = -1;
  std::size_t seen_ = 0;
};

// Lower case, without a trailing dot: the form of DnsServerConfig::records keys.
std::string dns_normal_name(const std::string& name);

}  // namespace k7sim
