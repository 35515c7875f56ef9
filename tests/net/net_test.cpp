// Host network without the firmware: two or three lwIP peers on the virtual segment.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "harness/net/host_stack.h"
#include "harness/net/pcap.h"
#include "harness/net/segment.h"

namespace k7sim {
namespace {

Ipv4 ip(unsigned a, unsigned b, unsigned c, unsigned d) { return Ipv4{(a << 24) | (b << 16) | (c << 8) | d}; }
MacAddress mac(std::uint8_t last) { return MacAddress{0x02, 0x00, 0x00, 0x00, 0x00, last}; }
std::vector<std::uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }
std::string text(const std::vector<std::uint8_t>& v) { return {v.begin(), v.end()}; }
std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 g(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(g());
  return v;
}

// Peer "a" (10.0.0.1) and peer "b" (10.0.0.2) on one segment; a listens on 7000, b connects.
struct Net {
  explicit Net(std::uint64_t seed = 1) : seg(q, seed), hs(std::make_unique<HostStack>(q, seg, seed)) {
    a = hs->add_peer("a", ip(10, 0, 0, 1), 24, mac(1));
    b = hs->add_peer("b", ip(10, 0, 0, 2), 24, mac(2));
  }
  void run_ms(std::uint64_t ms) { q.run_until(q.now() + ticks_from_ms(ms)); }
  template <class Pred>
  bool run_until(Pred done, std::uint64_t max_ms, std::uint64_t step_ms = 5) {
    for (std::uint64_t t = 0; t < max_ms; t += step_ms) {
      if (done()) return true;
      run_ms(step_ms);
    }
    return done();
  }
  // Returns {connection at a, connection at b}.
  std::pair<int, int> connect() {
    const int lid = hs->tcp_listen(a, 7000);
    EXPECT_GE(lid, 0);
    const int cb = hs->tcp_connect(b, ip(10, 0, 0, 1), 7000);
    EXPECT_GE(cb, 0);
    EXPECT_TRUE(run_until([&] { return !hs->accepted(lid).empty() && hs->conn(cb).state == TcpState::kConnected; }, 100, 1));
    return {hs->accepted(lid).empty() ? -1 : hs->accepted(lid)[0], cb};
  }
  EventQueue q;
  Segment seg;
  std::unique_ptr<HostStack> hs;
  int a = -1, b = -1;
};

TEST(NetSegment, SerializationAndFlooding) {
  EventQueue q;
  Segment seg(q, 7);
  std::vector<std::pair<Cycles, std::size_t>> at2, atdev;
  const int p1 = seg.add_port("p1", [&](const std::vector<std::uint8_t>&) {});
  const int p2 = seg.add_port("p2", [&](const std::vector<std::uint8_t>& f) { at2.push_back({q.now(), f.size()}); });
  seg.set_device_receiver([&](const std::vector<std::uint8_t>& f) { atdev.push_back({q.now(), f.size()}); });
  EXPECT_EQ(wire_time(60), 691u);     // (8 + 64) bytes * 80 ns = 5.76 us
  EXPECT_EQ(wire_time(1514), 14650u);  // (8 + 1518) bytes * 80 ns = 122.08 us = 14649.6 ticks
  std::vector<std::uint8_t> f(100, 0);
  for (int i = 0; i < 6; ++i) f[i] = 0x02, f[6 + i] = 0x04;  // unknown unicast -> flooded
  seg.send(p1, f);
  seg.send(p1, f);  // queued behind the first one (+ IFG)
  q.run_until(ticks_from_ms(1));
  const Cycles w = wire_time(100);
  ASSERT_EQ(at2.size(), 2u);
  ASSERT_EQ(atdev.size(), 2u);
  EXPECT_EQ(at2[0].first, 2 * w);
  EXPECT_EQ(at2[1].first, 2 * w + w + kInterFrameGap);
  // Learned: a frame to 04:.. from p2 goes only to p1.
  std::vector<std::uint8_t> g(60, 0);
  for (int i = 0; i < 6; ++i) g[i] = 0x04, g[6 + i] = 0x02;
  g[0] = 0x04;
  seg.send(p2, g);
  q.run_until(ticks_from_ms(2));
  EXPECT_EQ(atdev.size(), 2u);
  ASSERT_EQ(seg.log().size(), 3u);
  EXPECT_EQ(seg.log()[2].to, std::vector<int>{p1});
}

TEST(NetTcp, EchoBothWays) {
  Net n;
  auto [ca, cb] = n.connect();
  ASSERT_GE(ca, 0);
  n.hs->tcp_send(cb, bytes("hello from b"));
  ASSERT_TRUE(n.run_until([&] { return n.hs->conn(ca).rx.size() == 12; }, 100, 1));
  EXPECT_EQ(text(n.hs->conn(ca).rx), "hello from b");
  ASSERT_EQ(n.hs->conn(ca).segments.size(), 1u);
  n.hs->tcp_send(ca, n.hs->conn(ca).rx);
  ASSERT_TRUE(n.run_until([&] { return n.hs->conn(cb).rx.size() == 12; }, 100, 1));
  EXPECT_EQ(text(n.hs->conn(cb).rx), "hello from b");
  // Two sends far apart arrive as two segments with their own boundaries.
  n.hs->tcp_send(cb, bytes("ab"));
  n.run_ms(10);
  n.hs->tcp_send(cb, bytes("cd"));
  n.run_ms(10);
  const auto& segs = n.hs->conn(ca).segments;
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_EQ(text(segs[1].bytes), "ab");
  EXPECT_EQ(text(segs[2].bytes), "cd");
  EXPECT_LT(segs[1].at, segs[2].at);
  // Orderly close from b: a sees FIN (closed) and closes its half too.
  n.hs->tcp_close(cb);
  n.run_ms(50);
  EXPECT_EQ(n.hs->conn(ca).state, TcpState::kClosed);
  EXPECT_TRUE(n.hs->conn(ca).fin_received);
  EXPECT_TRUE(n.hs->conn(cb).local_closed);
  // Both FINs are on the wire.
  int fins = 0;
  for (const auto& f : n.seg.log()) {
    std::uint8_t flags = 0;
    if (f.bytes.size() >= 54 && f.bytes[12] == 0x08 && f.bytes[23] == 6) {
      flags = f.bytes[14 + (f.bytes[14] & 0x0f) * 4u + 13];
      fins += (flags & 0x01) != 0;
    }
  }
  EXPECT_EQ(fins, 2);
}

TEST(NetTcp, OneMiBTransferIntactAndPacedAt100Mbps) {
  Net n;
  auto [ca, cb] = n.connect();
  ASSERT_GE(ca, 0);
  const auto data = random_bytes(1 << 20, 42);
  const Cycles t0 = n.q.now();
  n.hs->tcp_send(cb, data);
  ASSERT_TRUE(n.run_until([&] { return n.hs->conn(ca).rx.size() >= data.size(); }, 5000, 2));
  EXPECT_TRUE(n.hs->conn(ca).rx == data);
  const double secs = ticks_to_seconds(n.q.now() - t0);
  EXPECT_GT(secs, 8.0 * (1 << 20) / 100e6);  // cannot beat the wire
  EXPECT_LT(secs, 1.0);
}

TEST(NetTcp, ResetIsSeenByTheOtherSide) {
  Net n;
  auto [ca, cb] = n.connect();
  ASSERT_GE(ca, 0);
  n.hs->tcp_reset(cb);
  n.run_ms(10);
  EXPECT_EQ(n.hs->conn(ca).state, TcpState::kReset);
}

TEST(NetUdp, UnicastAndBroadcast) {
  Net n;
  const int c = n.hs->add_peer("c", ip(10, 0, 0, 3), 24, mac(3));
  const int ua = n.hs->udp_bind(n.a, 20108);
  const int ub = n.hs->udp_bind(n.b, 20108);
  const int uc = n.hs->udp_bind(c, 20108);
  ASSERT_GE(ua, 0);
  ASSERT_TRUE(n.hs->udp_send(ub, ip(10, 0, 0, 1), 20108, bytes("unicast")));
  n.run_ms(10);
  ASSERT_EQ(n.hs->udp(ua).rx.size(), 1u);
  EXPECT_EQ(text(n.hs->udp(ua).rx[0].bytes), "unicast");
  EXPECT_EQ(n.hs->udp(ua).rx[0].src_ip, ip(10, 0, 0, 2));
  EXPECT_EQ(n.hs->udp(ua).rx[0].src_port, 20108);
  EXPECT_EQ(n.hs->udp(uc).rx.size(), 0u);
  ASSERT_TRUE(n.hs->udp_send(ua, ip(255, 255, 255, 255), 20108, bytes("bcast")));
  n.run_ms(10);
  ASSERT_EQ(n.hs->udp(ub).rx.size(), 1u);
  ASSERT_EQ(n.hs->udp(uc).rx.size(), 1u);
  EXPECT_EQ(text(n.hs->udp(uc).rx[0].bytes), "bcast");
  EXPECT_EQ(n.hs->udp(uc).rx[0].dst_ip, ip(255, 255, 255, 255));
  EXPECT_EQ(n.hs->udp(ua).rx.size(), 1u);  // no loopback to the sender
}

TEST(NetTcp, LinkDownStallsAndRetransmissionResumes) {
  Net n;
  auto [ca, cb] = n.connect();
  ASSERT_GE(ca, 0);
  const auto data = random_bytes(300000, 3);
  n.hs->tcp_send(cb, data);
  n.run_ms(5);
  n.seg.set_link(n.hs->peer_port(n.b), false);
  n.run_ms(20);
  const std::size_t stalled = n.hs->conn(ca).rx.size();
  EXPECT_LT(stalled, data.size());
  n.run_ms(800);
  EXPECT_EQ(n.hs->conn(ca).rx.size(), stalled);
  n.seg.set_link(n.hs->peer_port(n.b), true);
  ASSERT_TRUE(n.run_until([&] { return n.hs->conn(ca).rx.size() >= data.size(); }, 30000, 20));
  EXPECT_TRUE(n.hs->conn(ca).rx == data);
}

TEST(NetFault, FivePercentLossStillDeliversEverything) {
  Net n;
  auto [ca, cb] = n.connect();
  ASSERT_GE(ca, 0);
  n.seg.set_fault(NetFault{5.0, 0, 0}, ticks_from_ms(60000));
  const auto data = random_bytes(200000, 5);
  n.hs->tcp_send(cb, data);
  n.hs->tcp_send(ca, data);
  ASSERT_TRUE(n.run_until([&] { return n.hs->conn(ca).rx.size() >= data.size() && n.hs->conn(cb).rx.size() >= data.size(); },
                          60000, 20));
  EXPECT_TRUE(n.hs->conn(ca).rx == data);
  EXPECT_TRUE(n.hs->conn(cb).rx == data);
  std::size_t lost = 0;
  for (const auto& f : n.seg.log()) lost += f.lost;
  EXPECT_GT(lost, 0u);
}

TEST(NetFault, DelayAndDuplicate) {
  Net n;
  auto [ca, cb] = n.connect();
  ASSERT_GE(ca, 0);
  n.seg.set_fault(NetFault{0, ticks_from_ms(20), 100.0}, ticks_from_ms(1000));
  const Cycles t0 = n.q.now();
  n.hs->tcp_send(cb, bytes("x"));
  ASSERT_TRUE(n.run_until([&] { return n.hs->conn(ca).rx.size() == 1; }, 200, 1));
  EXPECT_GE(n.q.now() - t0, ticks_from_ms(20));
  n.run_ms(100);
  EXPECT_EQ(text(n.hs->conn(ca).rx), "x");  // duplicates are discarded by TCP
  std::size_t dups = 0;
  for (const auto& f : n.seg.log()) dups += f.duplicate;
  EXPECT_GT(dups, 0u);
}

bool is_tcp(const std::vector<std::uint8_t>& f, std::uint8_t* flags) {
  if (f.size() < 54 || f[12] != 0x08 || f[13] != 0 || f[23] != 6) return false;
  const std::size_t ihl = (f[14] & 0x0f) * 4u;
  *flags = f[14 + ihl + 13];
  return true;
}

TEST(NetTcp, VanishedPeerLeavesOnlyKeepaliveProbes) {
  Net n;
  auto [ca, cb] = n.connect();
  ASSERT_GE(ca, 0);
  n.hs->tcp_keepalive(ca, ticks_from_ms(1000), ticks_from_ms(500), 3);
  n.run_ms(10);
  const std::size_t mark = n.seg.log().size();
  n.hs->tcp_vanish(cb);
  n.run_ms(4000);
  int probes_from_a = 0, from_b = 0;
  for (std::size_t i = mark; i < n.seg.log().size(); ++i) {
    const auto& f = n.seg.log()[i];
    std::uint8_t flags = 0;
    if (!is_tcp(f.bytes, &flags)) continue;
    if (f.from == n.hs->peer_port(n.a)) ++probes_from_a;
    if (f.from == n.hs->peer_port(n.b)) ++from_b;
  }
  EXPECT_GE(probes_from_a, 3);
  EXPECT_EQ(from_b, 0);  // no FIN, no RST, no ACK
  EXPECT_EQ(n.hs->conn(ca).state, TcpState::kError);  // keepalive gave up
}

TEST(NetPcap, ReaderReadsBackLoggedFrames) {
  Net n;
  auto [ca, cb] = n.connect();
  ASSERT_GE(ca, 0);
  n.hs->tcp_send(cb, random_bytes(5000, 9));
  n.run_ms(50);
  const auto frames = n.seg.pcap_frames();
  ASSERT_GT(frames.size(), 5u);
  const std::string path = ::testing::TempDir() + "net_pcap_test.pcap";
  ASSERT_TRUE(write_pcap(path, frames));
  auto back = read_pcap(path);
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->size(), frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ((*back)[i].bytes, frames[i].bytes);
    EXPECT_EQ((*back)[i].tick, frames[i].tick / 120 * 120);
    if (i) {
      EXPECT_GE(frames[i].tick, frames[i - 1].tick);
    }
  }
  // tcpdump, where installed, reads it too.
  if (std::system("command -v tcpdump >/dev/null 2>&1") == 0) {
    const std::string cmd = "tcpdump -nn -r " + path + " 2>/dev/null | wc -l > " + path + ".count";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(path + ".count");
    std::size_t lines = 0;
    in >> lines;
    EXPECT_EQ(lines, frames.size());
  }
}

// Runs a small scenario in a child process (fresh lwIP globals, as the runner does) and returns
// the pcap image.
std::vector<std::uint8_t> run_in_child(std::uint64_t seed, double loss) {
  const std::string path = ::testing::TempDir() + "net_det_" + std::to_string(seed) + "_" +
                           std::to_string(static_cast<int>(loss)) + "_" + std::to_string(getpid()) + ".pcap";
  const pid_t pid = fork();
  if (pid == 0) {
    int rc = 1;
    {
      Net n(seed);
      const int lid = n.hs->tcp_listen(n.a, 7000);
      const int cb = n.hs->tcp_connect(n.b, ip(10, 0, 0, 1), 7000);
      n.seg.set_fault(NetFault{loss, 0, loss / 2}, ticks_from_ms(60000));
      n.run_ms(20);
      n.hs->tcp_send(cb, random_bytes(100000, 11));
      n.run_until([&] { return !n.hs->accepted(lid).empty() && n.hs->conn(n.hs->accepted(lid)[0]).rx.size() >= 100000; },
                  20000, 10);
      n.hs->tcp_close(cb);
      n.run_ms(100);
      if (write_pcap(path, n.seg.pcap_frames())) rc = 0;
    }
    std::fflush(nullptr);
    _exit(rc);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  return image;
}

TEST(NetDeterminism, SameSeedSamePcapDifferentSeedDiffers) {
  const auto a1 = run_in_child(1, 5.0);
  const auto a2 = run_in_child(1, 5.0);
  const auto b = run_in_child(2, 5.0);
  ASSERT_GT(a1.size(), 1000u);
  EXPECT_TRUE(a1 == a2);
  EXPECT_FALSE(a1 == b);
}

std::vector<std::uint8_t> run_in_process(std::uint64_t seed) {
  Net n(seed);
  const int lid = n.hs->tcp_listen(n.a, 7000);
  const int cb = n.hs->tcp_connect(n.b, ip(10, 0, 0, 1), 7000);
  n.seg.set_fault(NetFault{3.0, 0, 1.0}, ticks_from_ms(60000));
  n.run_ms(20);
  n.hs->tcp_send(cb, random_bytes(50000, 13));
  n.run_until([&] { return !n.hs->accepted(lid).empty() && n.hs->conn(n.hs->accepted(lid)[0]).rx.size() >= 50000; },
              20000, 10);
  n.hs->tcp_close(cb);
  n.run_ms(100);
  return encode_pcap(n.seg.pcap_frames());
}

TEST(NetDeterminism, SequentialInstancesInOneProcessMatch) {
  const auto a1 = run_in_process(3);
  const auto b = run_in_process(4);
  const auto a2 = run_in_process(3);
  EXPECT_TRUE(a1 == a2);
  EXPECT_FALSE(a1 == b);
}

TEST(NetTime, VirtualClockOnly) {
  // Nothing runs unless the queue is advanced: an hour of virtual idle time is a handful of timer
  // events, and no frame appears without a request.
  Net n;
  n.run_ms(1);
  const std::size_t announced = n.seg.log().size();  // gratuitous ARP of each peer
  EXPECT_EQ(announced, 2u);
  n.run_ms(3'600'000);
  EXPECT_EQ(n.q.now(), ticks_from_ms(3'600'001));
  EXPECT_EQ(n.seg.log().size(), announced);
}

}  // namespace
}  // namespace k7sim
