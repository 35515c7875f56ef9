#include "harness/net/dhcp_server.h"

#include <algorithm>

namespace k7sim {
namespace {

constexpr std::size_t kFixed = 236;  // BOOTP header up to the options
constexpr std::uint8_t kMagic[4] = {99, 130, 83, 99};
enum : std::uint8_t { kDiscover = 1, kOffer = 2, kRequest = 3, kDecline = 4, kAck = 5, kNak = 6, kRelease = 7, kInform = 8 };

std::uint32_t rd32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
void put32(std::vector<std::uint8_t>& v, std::size_t at, std::uint32_t x) {
  for (int i = 0; i < 4; ++i) v[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(x >> (24 - 8 * i));
}
void opt32(std::vector<std::uint8_t>& v, std::uint8_t code, std::uint32_t x) {
  v.push_back(code);
  v.push_back(4);
  for (int i = 0; i < 4; ++i) v.push_back(static_cast<std::uint8_t>(x >> (24 - 8 * i)));
}

// Option `code` of a request ({} when absent).
std::vector<std::uint8_t> option(const std::vector<std::uint8_t>& m, std::uint8_t code) {
  std::size_t i = kFixed + 4;
  while (i < m.size()) {
    const std::uint8_t c = m[i];
    if (c == 255) break;
    if (c == 0) {
      ++i;
      continue;
    }
    if (i + 1 >= m.size()) break;
    const std::size_t len = m[i + 1];
    if (i + 2 + len > m.size()) break;
    if (c == code) return {m.begin() + static_cast<std::ptrdiff_t>(i + 2), m.begin() + static_cast<std::ptrdiff_t>(i + 2 + len)};
    i += 2 + len;
  }
  return {};
}

}  // namespace

DhcpServer::DhcpServer(EventQueue& queue, HostStack& stack, const DhcpServerConfig& config)
    : queue_(queue), hs_(stack), cfg_(config) {
  // The socket sends the replies; requests are taken from the peer's input before lwIP (a client
  // without an address sends from 0.0.0.0, which lwIP's IPv4 input would drop).
  sock_ = hs_.udp_bind(cfg_.peer, 67);
  if (sock_ < 0) return;
  hs_.set_frame_tap(cfg_.peer, [this](const std::vector<std::uint8_t>& f) {
    if (f.size() < 14 + 20 + 8 || f[12] != 0x08 || f[13] != 0x00) return false;
    const std::uint8_t* ip = f.data() + 14;
    const std::size_t ihl = static_cast<std::size_t>(ip[0] & 0x0f) * 4;
    if ((ip[0] >> 4) != 4 || ip[9] != 17 || ihl < 20 || f.size() < 14 + ihl + 8) return false;
    if ((ip[6] & 0x3f) != 0 || ip[7] != 0) return false;  // fragments: leave them to lwIP
    const std::uint8_t* udp = ip + ihl;
    if (udp[2] != 0 || udp[3] != 67) return false;
    const std::size_t ulen = (std::size_t{udp[4]} << 8) | udp[5];
    if (ulen < 8 || 14 + ihl + ulen > f.size()) return true;
    UdpDatagram d;
    d.at = hs_now();
    d.src_ip = Ipv4{rd32(ip + 12)};
    d.src_port = static_cast<std::uint16_t>((udp[0] << 8) | udp[1]);
    d.dst_ip = Ipv4{rd32(ip + 16)};
    d.bytes.assign(udp + 8, udp + ulen);
    on_datagram(d);
    return true;
  });
}

DhcpLease* DhcpServer::lease_for(const MacAddress& mac, bool allocate) {
  for (DhcpLease& l : leases_)
    if (l.mac == mac) return &l;
  if (!allocate) return nullptr;
  for (unsigned i = 0; i < cfg_.pool_size; ++i) {
    const std::uint32_t ip = cfg_.pool_start.value + i;
    const bool used = std::any_of(leases_.begin(), leases_.end(), [&](const DhcpLease& l) { return l.ip.value == ip; }) ||
                      std::find(retired_.begin(), retired_.end(), ip) != retired_.end();
    if (!used) {
      leases_.push_back(DhcpLease{mac, Ipv4{ip}, false, 0});
      return &leases_.back();
    }
  }
  return nullptr;  // pool exhausted
}

void DhcpServer::on_datagram(const UdpDatagram& d) {
  const std::vector<std::uint8_t>& m = d.bytes;
  if (m.size() < kFixed + 4 || m[0] != 1 || m[1] != 1 || m[2] != 6) return;  // BOOTREQUEST, Ethernet
  if (!std::equal(std::begin(kMagic), std::end(kMagic), m.begin() + kFixed)) return;
  const auto type = option(m, 53);
  if (type.size() != 1) return;
  ++seen_;
  MacAddress mac{};
  std::copy_n(m.begin() + 28, 6, mac.begin());
  const Ipv4 self = hs_.peer_ip(cfg_.peer);
  const auto server_id = option(m, 54);
  const bool for_us = server_id.size() != 4 || rd32(server_id.data()) == self.value;
  switch (type[0]) {
    case kDiscover:
      if (DhcpLease* l = lease_for(mac, true)) reply(m, kOffer, l->ip);
      break;
    case kRequest: {
      if (!for_us) {  // the client chose another server
        if (DhcpLease* l = lease_for(mac, false); l && !l->bound)
          leases_.erase(leases_.begin() + (l - leases_.data()));
        break;
      }
      const auto req = option(m, 50);
      const std::uint32_t wanted = req.size() == 4 ? rd32(req.data()) : rd32(m.data() + 12);  // ciaddr
      DhcpLease* l = lease_for(mac, true);
      if (l && l->ip.value == wanted) {
        l->bound = true;
        l->acked_at = d.at;
        reply(m, kAck, l->ip);
      } else {
        reply(m, kNak, Ipv4{0});
      }
      break;
    }
    case kDecline:
      if (DhcpLease* l = lease_for(mac, false)) {
        retired_.push_back(l->ip.value);
        leases_.erase(leases_.begin() + (l - leases_.data()));
      }
      break;
    case kRelease:
      if (DhcpLease* l = lease_for(mac, false)) l->bound = false;
      break;
    case kInform:
      reply(m, kAck, Ipv4{0});
      break;
    default:
      break;
  }
}

void DhcpServer::reply(const std::vector<std::uint8_t>& req, std::uint8_t type, Ipv4 yiaddr) {
  std::vector<std::uint8_t> r(kFixed, 0);
  r[0] = 2;  // BOOTREPLY
  r[1] = 1;
  r[2] = 6;
  std::copy_n(req.begin() + 4, 4, r.begin() + 4);    // xid
  std::copy_n(req.begin() + 10, 2, r.begin() + 10);  // flags
  std::copy_n(req.begin() + 12, 4, r.begin() + 12);  // ciaddr
  put32(r, 16, yiaddr.value);
  if (type != kNak) put32(r, 20, hs_.peer_ip(cfg_.peer).value);  // siaddr
  std::copy_n(req.begin() + 24, 4, r.begin() + 24);   // giaddr
  std::copy_n(req.begin() + 28, 16, r.begin() + 28);  // chaddr
  r.insert(r.end(), std::begin(kMagic), std::end(kMagic));
  r.insert(r.end(), {53, 1, type});
  opt32(r, 54, hs_.peer_ip(cfg_.peer).value);
  if (type != kNak) {
    if (type != kAck || yiaddr.value != 0) {
      opt32(r, 51, cfg_.lease_seconds);
      opt32(r, 58, cfg_.lease_seconds / 2);
      opt32(r, 59, cfg_.lease_seconds / 8 * 7);
    }
    opt32(r, 1, cfg_.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - cfg_.prefix));
    if (cfg_.router.value) opt32(r, 3, cfg_.router.value);
    if (cfg_.dns.value) opt32(r, 6, cfg_.dns.value);
  }
  r.push_back(255);
  if (r.size() < 300) r.resize(300, 0);  // BOOTP minimum message size
  hs_.udp_send(sock_, Ipv4{0xffffffffu}, 68, r);
}

}  // namespace k7sim
