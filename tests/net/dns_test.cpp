// The optional DNS server peer: answers built from hand-made queries, and one query end to end
// between two host peers.
#include <gtest/gtest.h>

#include <memory>

#include "harness/net/dns_server.h"
#include "harness/net/host_stack.h"
#include "harness/net/segment.h"

namespace k7sim {
namespace {

std::vector<std::uint8_t> query(const std::string& name, std::uint16_t type = 1, std::uint16_t id = 0x1234) {
  std::vector<std::uint8_t> q = {std::uint8_t(id >> 8), std::uint8_t(id), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    q.push_back(std::uint8_t(dot - start));
    q.insert(q.end(), name.begin() + long(start), name.begin() + long(dot));
    start = dot + 1;
  }
  q.push_back(0);
  q.insert(q.end(), {std::uint8_t(type >> 8), std::uint8_t(type), 0, 1});
  return q;
}

struct Fixture {
  EventQueue q;
  Segment seg{q, 1};
  std::unique_ptr<HostStack> hs = std::make_unique<HostStack>(q, seg, 1);
  int server_peer = hs->add_peer("dns", Ipv4{0xC0A80001}, 24, MacAddress{2, 0, 0, 0, 0, 0x53});
  std::unique_ptr<DnsServer> dns;
  Fixture() {
    DnsServerConfig cfg;
    cfg.peer = server_peer;
    cfg.records[dns_normal_name("Server.Example.")] = Ipv4{0xC0A800C9};
    dns = std::make_unique<DnsServer>(*hs, cfg);
  }
};

TEST(NetDns, KnownNameGetsOneARecord) {
  Fixture f;
  ASSERT_TRUE(f.dns->ok());
  const auto q = query("SERVER.example");
  const auto r = f.dns->answer(q);
  ASSERT_EQ(r.size(), q.size() + 16);
  EXPECT_EQ(r[0], 0x12);
  EXPECT_EQ(r[1], 0x34);
  EXPECT_EQ(r[2], 0x81);          // QR, RD
  EXPECT_EQ(r[3] & 0x0F, 0);      // NOERROR
  EXPECT_EQ(r[7], 1);             // one answer
  const std::size_t a = q.size();
  EXPECT_EQ(r[a], 0xC0);
  EXPECT_EQ(r[a + 1], 0x0C);
  EXPECT_EQ(r[a + 3], 1);         // type A
  EXPECT_EQ(r[a + 11], 4);        // rdlength
  EXPECT_EQ(r[a + 12], 192);
  EXPECT_EQ(r[a + 15], 201);
}

TEST(NetDns, UnknownNameIsNxdomainAndOtherTypesHaveNoAnswer) {
  Fixture f;
  auto r = f.dns->answer(query("nowhere.example"));
  ASSERT_GE(r.size(), 12u);
  EXPECT_EQ(r[3] & 0x0F, 3);
  EXPECT_EQ(r[7], 0);
  r = f.dns->answer(query("server.example", 28));  // AAAA
  ASSERT_GE(r.size(), 12u);
  EXPECT_EQ(r[3] & 0x0F, 0);
  EXPECT_EQ(r[7], 0);
  r = f.dns->answer({0x12, 0x34, 0x01});  // truncated header
  EXPECT_TRUE(r.empty());
}

TEST(NetDns, AnswersAPeerOverUdp) {
  Fixture f;
  const int client = f.hs->add_peer("pc", Ipv4{0xC0A800C9}, 24, MacAddress{2, 0, 0, 0, 0, 0x01});
  const int sock = f.hs->udp_bind(client, 40000);
  ASSERT_GE(sock, 0);
  f.hs->udp_send(sock, Ipv4{0xC0A80001}, 53, query("server.example"));
  f.q.run_until(f.q.now() + ticks_from_ms(10));
  EXPECT_EQ(f.dns->queries_seen(), 1u);
  ASSERT_EQ(f.hs->udp(sock).rx.size(), 1u);
  const auto& d = f.hs->udp(sock).rx[0];
  EXPECT_EQ(d.src_port, 53);
  ASSERT_GE(d.bytes.size(), 4u);
  EXPECT_EQ(d.bytes[d.bytes.size() - 1], 201);
}

}  // namespace
}  // namespace k7sim
