// The optional DHCP server peer, driven by hand-made client messages from a raw segment port.
#include <gtest/gtest.h>

#include <memory>

#include "harness/net/dhcp_server.h"
#include "harness/net/host_stack.h"
#include "harness/net/segment.h"

namespace k7sim {
namespace {

const MacAddress kClient{0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

std::vector<std::uint8_t> dhcp_frame(std::uint8_t type, std::uint32_t requested, std::uint32_t server) {
  std::vector<std::uint8_t> bootp(236, 0);
  bootp[0] = 1, bootp[1] = 1, bootp[2] = 6;
  bootp[4] = 0xde, bootp[5] = 0xad, bootp[6] = 0xbe, bootp[7] = 0xef;
  bootp[10] = 0x80;  // broadcast flag
  std::copy(kClient.begin(), kClient.end(), bootp.begin() + 28);
  bootp.insert(bootp.end(), {99, 130, 83, 99, 53, 1, type});
  auto opt32 = [&](std::uint8_t code, std::uint32_t v) {
    bootp.insert(bootp.end(), {code, 4, std::uint8_t(v >> 24), std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)});
  };
  if (requested) opt32(50, requested);
  if (server) opt32(54, server);
  bootp.push_back(255);
  bootp.resize(300, 0);
  std::vector<std::uint8_t> f(14 + 20 + 8, 0);
  for (int i = 0; i < 6; ++i) f[static_cast<std::size_t>(i)] = 0xff;
  std::copy(kClient.begin(), kClient.end(), f.begin() + 6);
  f[12] = 0x08;
  const std::size_t ip_len = 20 + 8 + bootp.size();
  std::uint8_t* ip = f.data() + 14;
  ip[0] = 0x45, ip[2] = std::uint8_t(ip_len >> 8), ip[3] = std::uint8_t(ip_len), ip[8] = 64, ip[9] = 17;
  for (int i = 16; i < 20; ++i) ip[i] = 0xff;
  std::uint32_t sum = 0;
  for (int i = 0; i < 20; i += 2) sum += (ip[i] << 8) | ip[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  ip[10] = std::uint8_t(~sum >> 8), ip[11] = std::uint8_t(~sum);
  std::uint8_t* udp = ip + 20;
  udp[1] = 68, udp[3] = 67;
  udp[4] = std::uint8_t((8 + bootp.size()) >> 8), udp[5] = std::uint8_t(8 + bootp.size());
  const std::size_t head = f.size();
  f.resize(head + bootp.size());
  std::copy(bootp.begin(), bootp.end(), f.begin() + static_cast<std::ptrdiff_t>(head));
  return f;
}

struct Reply {
  std::uint8_t type = 0;
  std::uint32_t yiaddr = 0;
};
std::vector<Reply> replies(const std::vector<std::vector<std::uint8_t>>& frames) {
  std::vector<Reply> out;
  for (const auto& f : frames) {
    if (f.size() < 42 + 240 || f[23] != 17 || f[36] != 0 || f[37] != 68) continue;
    const std::uint8_t* b = f.data() + 42;
    Reply r;
    r.yiaddr = (std::uint32_t{b[16]} << 24) | (b[17] << 16) | (b[18] << 8) | b[19];
    if (b[240] == 53) r.type = b[242];
    out.push_back(r);
  }
  return out;
}

TEST(NetDhcp, DiscoverOfferRequestAck) {
  EventQueue q;
  Segment seg(q, 1);
  auto hs = std::make_unique<HostStack>(q, seg, 1);
  const int srv = hs->add_peer("dhcp", Ipv4{0xC0A80001}, 24, MacAddress{2, 0, 0, 0, 0, 0x67});
  DhcpServerConfig cfg;
  cfg.peer = srv;
  cfg.pool_start = Ipv4{0xC0A80064};  // 192.168.0.100
  cfg.router = Ipv4{0xC0A80001};
  DhcpServer server(q, *hs, cfg);
  ASSERT_TRUE(server.ok());
  std::vector<std::vector<std::uint8_t>> got;
  const int raw = seg.add_port("client", [&](const std::vector<std::uint8_t>& f) { got.push_back(f); });

  seg.send(raw, dhcp_frame(1, 0, 0));
  q.run_until(q.now() + ticks_from_ms(5));
  auto r = replies(got);
  EXPECT_EQ(server.messages_seen(), 1u);
  ASSERT_EQ(r.size(), 1u) << got.size() << " frames";
  EXPECT_EQ(r[0].type, 2);  // OFFER
  EXPECT_EQ(r[0].yiaddr, 0xC0A80064u);

  seg.send(raw, dhcp_frame(3, 0xC0A80064, 0xC0A80001));
  q.run_until(q.now() + ticks_from_ms(5));
  r = replies(got);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].type, 5);  // ACK
  ASSERT_EQ(server.leases().size(), 1u);
  EXPECT_TRUE(server.leases()[0].bound);

  seg.send(raw, dhcp_frame(3, 0xC0A80099, 0xC0A80001));  // not its address
  q.run_until(q.now() + ticks_from_ms(5));
  r = replies(got);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[2].type, 6);  // NAK
}

}  // namespace
}  // namespace k7sim
