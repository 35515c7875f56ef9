#include "harness/net/dns_server.h"

#include <cctype>

namespace k7sim {
namespace {

constexpr std::size_t kHeader = 12;
constexpr std::uint16_t kTypeA = 1, kClassIn = 1;
constexpr std::uint32_t kTtl = 60;
enum : std::uint8_t { kNoError = 0, kFormErr = 1, kNxDomain = 3 };

std::uint16_t rd16(const std::vector<std::uint8_t>& m, std::size_t at) {
  return static_cast<std::uint16_t>((m[at] << 8) | m[at + 1]);
}
void put16(std::vector<std::uint8_t>& v, std::uint16_t x) {
  v.push_back(static_cast<std::uint8_t>(x >> 8));
  v.push_back(static_cast<std::uint8_t>(x));
}

}  // namespace

std::string dns_normal_name(const std::string& name) {
  std::string n;
  for (char c : name) n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (!n.empty() && n.back() == '.') n.pop_back();
  return n;
}

DnsServer::DnsServer(HostStack& stack, const DnsServerConfig& config) : hs_(stack), cfg_(config) {
  sock_ = hs_.udp_bind(cfg_.peer, 53);
  if (sock_ < 0) return;
  hs_.set_udp_handler(sock_, [this](const UdpDatagram& d) {
    ++seen_;
    const std::vector<std::uint8_t> reply = answer(d.bytes);
    if (!reply.empty()) hs_.udp_send(sock_, d.src_ip, d.src_port, reply);
  });
}

std::vector<std::uint8_t> DnsServer::answer(const std::vector<std::uint8_t>& q) const {
  if (q.size() < kHeader) return {};
  const std::uint16_t flags = rd16(q, 2);
  if (flags & 0x8000) return {};  // a response, not a query
  auto reply_header = [&](std::uint8_t rcode, std::uint16_t qd, std::uint16_t an) {
    std::vector<std::uint8_t> r(q.begin(), q.begin() + 2);       // same id
    put16(r, static_cast<std::uint16_t>(0x8000 | (flags & 0x0100) | 0x0080 | rcode));  // QR, RD copied, RA
    put16(r, qd);
    put16(r, an);
    put16(r, 0);
    put16(r, 0);
    return r;
  };
  const unsigned opcode = (flags >> 11) & 0xF;
  if (opcode != 0 || rd16(q, 4) != 1) return reply_header(kFormErr, 0, 0);

  // The question: labels, then type and class.
  std::size_t i = kHeader;
  std::string name;
  for (;;) {
    if (i >= q.size()) return reply_header(kFormErr, 0, 0);
    const std::size_t len = q[i];
    if (len == 0) {
      ++i;
      break;
    }
    if (len > 63 || i + 1 + len > q.size()) return reply_header(kFormErr, 0, 0);  // or a pointer
    if (!name.empty()) name.push_back('.');
    name.append(reinterpret_cast<const char*>(q.data() + i + 1), len);
    i += 1 + len;
  }
  if (i + 4 > q.size()) return reply_header(kFormErr, 0, 0);
  const std::uint16_t type = rd16(q, i), klass = rd16(q, i + 2);
  const std::size_t question_end = i + 4;

  auto it = cfg_.records.find(dns_normal_name(name));
  const bool known = it != cfg_.records.end();
  const bool give = known && type == kTypeA && klass == kClassIn;
  std::vector<std::uint8_t> r = reply_header(known ? kNoError : kNxDomain, 1, give ? 1 : 0);
  r.insert(r.end(), q.begin() + kHeader, q.begin() + static_cast<std::ptrdiff_t>(question_end));
  if (give) {
    put16(r, 0xC00C);  // the name of the question
    put16(r, kTypeA);
    put16(r, kClassIn);
    put16(r, static_cast<std::uint16_t>(kTtl >> 16));
    put16(r, static_cast<std::uint16_t>(kTtl));
    put16(r, 4);
    for (int s = 24; s >= 0; s -= 8) r.push_back(static_cast<std::uint8_t>(it->second.value >> s));
  }
  return r;
}

}  // namespace k7sim
