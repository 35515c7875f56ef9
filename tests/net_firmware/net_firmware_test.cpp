// The reference firmware's network side on the emulated board: ARP, ICMP echo, the TCP server on
// port 23 bridging to the module's serial port, and PHY link changes. The test is the network: it
// captures the frames the EMAC sends and injects hand-built frames with Board::ethernet_receive().
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "peripherals/board.h"

namespace k7sim::test {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Mac = std::array<std::uint8_t, 6>;
using Ip = std::array<std::uint8_t, 4>;

const Mac kBoardMac = {0xD8, 0xB0, 0x4C, 0x00, 0x00, 0x07};
const Mac kHostMac = {0x02, 0x00, 0x00, 0x00, 0x00, 0xC9};
const Mac kBroadcast = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
const Ip kBoardIp = {192, 168, 0, 7};
const Ip kHostIp = {192, 168, 0, 201};

// ---- a tiny frame builder / parser ------------------------------------------------------------------

void put16(Bytes& b, std::uint16_t v) {
  b.push_back(std::uint8_t(v >> 8));
  b.push_back(std::uint8_t(v));
}
void put32(Bytes& b, std::uint32_t v) {
  put16(b, std::uint16_t(v >> 16));
  put16(b, std::uint16_t(v));
}
std::uint16_t get16(const Bytes& b, std::size_t at) { return std::uint16_t(b[at] << 8 | b[at + 1]); }
std::uint32_t get32(const Bytes& b, std::size_t at) { return std::uint32_t(get16(b, at)) << 16 | get16(b, at + 2); }

// One's complement sum folded to 16 bits (the Internet checksum before the final inversion).
std::uint32_t sum16(const std::uint8_t* p, std::size_t n, std::uint32_t acc = 0) {
  for (std::size_t i = 0; i + 1 < n; i += 2) acc += std::uint32_t(p[i] << 8 | p[i + 1]);
  if (n & 1) acc += std::uint32_t(p[n - 1] << 8);
  while (acc >> 16) acc = (acc & 0xFFFF) + (acc >> 16);
  return acc;
}
std::uint16_t checksum(const std::uint8_t* p, std::size_t n, std::uint32_t acc = 0) {
  return std::uint16_t(~sum16(p, n, acc) & 0xFFFF);
}

Bytes ethernet(const Mac& dst, const Mac& src, std::uint16_t type, const Bytes& payload) {
  Bytes f(dst.begin(), dst.end());
  f.insert(f.end(), src.begin(), src.end());
  put16(f, type);
  f.insert(f.end(), payload.begin(), payload.end());
  while (f.size() < 60) f.push_back(0);
  return f;
}

Bytes ipv4(const Ip& src, const Ip& dst, std::uint8_t proto, const Bytes& payload) {
  static std::uint16_t id = 0x1000;
  Bytes h;
  h.push_back(0x45);
  h.push_back(0);
  put16(h, std::uint16_t(20 + payload.size()));
  put16(h, id++);
  put16(h, 0x4000);  // DF
  h.push_back(64);
  h.push_back(proto);
  put16(h, 0);
  h.insert(h.end(), src.begin(), src.end());
  h.insert(h.end(), dst.begin(), dst.end());
  const std::uint16_t c = checksum(h.data(), h.size());
  h[10] = std::uint8_t(c >> 8);
  h[11] = std::uint8_t(c);
  h.insert(h.end(), payload.begin(), payload.end());
  return h;
}

Bytes arp_request(const Ip& target) {
  Bytes a;
  put16(a, 1);       // Ethernet
  put16(a, 0x0800);  // IPv4
  a.push_back(6);
  a.push_back(4);
  put16(a, 1);  // request
  a.insert(a.end(), kHostMac.begin(), kHostMac.end());
  a.insert(a.end(), kHostIp.begin(), kHostIp.end());
  for (int i = 0; i < 6; ++i) a.push_back(0);
  a.insert(a.end(), target.begin(), target.end());
  return ethernet(kBroadcast, kHostMac, 0x0806, a);
}

Bytes icmp_echo(std::uint16_t id, std::uint16_t seq, const std::string& data) {
  Bytes m;
  m.push_back(8);
  m.push_back(0);
  put16(m, 0);
  put16(m, id);
  put16(m, seq);
  m.insert(m.end(), data.begin(), data.end());
  const std::uint16_t c = checksum(m.data(), m.size());
  m[2] = std::uint8_t(c >> 8);
  m[3] = std::uint8_t(c);
  return ethernet(kBoardMac, kHostMac, 0x0800, ipv4(kHostIp, kBoardIp, 1, m));
}

enum : std::uint8_t { FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10 };

std::uint32_t pseudo_sum(const Ip& src, const Ip& dst, std::uint8_t proto, std::size_t len) {
  Bytes p(src.begin(), src.end());
  p.insert(p.end(), dst.begin(), dst.end());
  p.push_back(0);
  p.push_back(proto);
  put16(p, std::uint16_t(len));
  return sum16(p.data(), p.size());
}

Bytes tcp(std::uint16_t sport, std::uint16_t dport, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
          const std::string& data = "", std::uint16_t window = 8192) {
  Bytes t;
  put16(t, sport);
  put16(t, dport);
  put32(t, seq);
  put32(t, ack);
  const bool mss = flags & SYN;
  t.push_back(std::uint8_t((mss ? 6 : 5) << 4));
  t.push_back(flags);
  put16(t, window);
  put16(t, 0);
  put16(t, 0);
  if (mss) {
    t.push_back(2);
    t.push_back(4);
    put16(t, 1460);
  }
  t.insert(t.end(), data.begin(), data.end());
  const std::uint16_t c = checksum(t.data(), t.size(), pseudo_sum(kHostIp, kBoardIp, 6, t.size()));
  t[16] = std::uint8_t(c >> 8);
  t[17] = std::uint8_t(c);
  return ethernet(kBoardMac, kHostMac, 0x0800, ipv4(kHostIp, kBoardIp, 6, t));
}

// A frame the board sent, decoded as far as the test needs.
struct Parsed {
  bool ok = false;
  std::uint16_t type = 0;
  Mac dst{}, src{};
  // ARP
  std::uint16_t arp_op = 0;
  Mac arp_sha{};
  Ip arp_spa{}, arp_tpa{};
  // IPv4
  std::uint8_t proto = 0;
  Ip ip_src{}, ip_dst{};
  bool ip_checksum_ok = false;
  // ICMP
  std::uint8_t icmp_type = 0;
  std::uint16_t icmp_id = 0, icmp_seq = 0;
  // TCP
  std::uint16_t sport = 0, dport = 0;
  std::uint32_t seq = 0, ack = 0;
  std::uint8_t flags = 0;
  std::uint16_t window = 0;
  bool l4_checksum_ok = false;
  std::string payload;
};

Parsed parse(const Bytes& f) {
  Parsed p;
  if (f.size() < 14) return p;
  std::copy(f.begin(), f.begin() + 6, p.dst.begin());
  std::copy(f.begin() + 6, f.begin() + 12, p.src.begin());
  p.type = get16(f, 12);
  if (p.type == 0x0806 && f.size() >= 42) {
    p.arp_op = get16(f, 20);
    std::copy(f.begin() + 22, f.begin() + 28, p.arp_sha.begin());
    std::copy(f.begin() + 28, f.begin() + 32, p.arp_spa.begin());
    std::copy(f.begin() + 38, f.begin() + 42, p.arp_tpa.begin());
    p.ok = true;
    return p;
  }
  if (p.type != 0x0800 || f.size() < 34) return p;
  const std::size_t ip = 14, ihl = (f[ip] & 0xF) * 4u, total = get16(f, ip + 2);
  if (f.size() < ip + total) return p;
  p.ip_checksum_ok = checksum(&f[ip], ihl) == 0;
  p.proto = f[ip + 9];
  std::copy(f.begin() + ip + 12, f.begin() + ip + 16, p.ip_src.begin());
  std::copy(f.begin() + ip + 16, f.begin() + ip + 20, p.ip_dst.begin());
  const std::size_t l4 = ip + ihl, l4len = total - ihl;
  if (p.proto == 1) {
    p.icmp_type = f[l4];
    p.icmp_id = get16(f, l4 + 4);
    p.icmp_seq = get16(f, l4 + 6);
    p.l4_checksum_ok = checksum(&f[l4], l4len) == 0;
    p.payload.assign(f.begin() + l4 + 8, f.begin() + l4 + l4len);
  } else if (p.proto == 6) {
    p.sport = get16(f, l4);
    p.dport = get16(f, l4 + 2);
    p.seq = get32(f, l4 + 4);
    p.ack = get32(f, l4 + 8);
    p.flags = f[l4 + 13];
    p.window = get16(f, l4 + 14);
    const std::size_t off = (f[l4 + 12] >> 4) * 4u;
    p.l4_checksum_ok = checksum(&f[l4], l4len, pseudo_sum(p.ip_src, p.ip_dst, 6, l4len)) == 0;
    p.payload.assign(f.begin() + l4 + off, f.begin() + l4 + l4len);
  }
  p.ok = true;
  return p;
}

// ---- the board with the test as its network -----------------------------------------------------------

std::string firmware_elf() {
  if (const char* e = std::getenv("K7SIM_FIRMWARE_ELF")) return e;
#ifdef K7SIM_FIRMWARE_ELF
  return K7SIM_FIRMWARE_ELF;
#else
  return "";
#endif
}

class NetBoard : public EthernetPort {
 public:
  NetBoard() : board_(config()) {
    board_.attach_ethernet(this);
    board_.on_console_tx([this](const SerialFrame& f) { console += char(f.data); });
    board_.on_module_tx([this](const SerialFrame& f) { module_tx += char(f.data); });
    board_.power_on();
  }
  static Board::Config config() {
    Board::Config c;
    c.firmware_elf = firmware_elf();
    return c;
  }
  void transmit(const std::vector<std::uint8_t>& frame, Cycles, Cycles) override { sent.push_back(frame); }

  void run_ms(double ms) {
    const auto r = board_.run_until(board_.now() + Cycles(ms * (kTickHz / 1000)));
    ASSERT_EQ(r, Board::StopReason::Deadline) << (board_.fault() ? board_.fault()->text() : "") << "\nconsole:\n"
                                              << console;
  }
  void inject(const Bytes& f) { board_.ethernet_receive(f); }

  // Host bytes on RXD at 115200 8N1, back to back from now.
  void serial_write(const std::string& s) {
    const double bit = double(kTickHz) / 115200.0;
    Cycles t = board_.now() + 10;
    for (char ch : s) {
      SerialFrame f;
      f.start = t;
      f.bit_ticks = bit;
      f.format = SerialFormat{};
      f.data = std::uint8_t(ch);
      board_.events().schedule_at(t, [this, f] { board_.module_rx(f); });
      t += Cycles(10 * bit) + 1;
    }
  }

  // Frames sent since index `from` that match `pred`.
  template <typename Pred>
  std::vector<Parsed> find(std::size_t from, Pred pred) const {
    std::vector<Parsed> out;
    for (std::size_t i = from; i < sent.size(); ++i) {
      Parsed p = parse(sent[i]);
      if (p.ok && pred(p)) out.push_back(p);
    }
    return out;
  }

  Board& board() { return board_; }
  std::vector<Bytes> sent;
  std::string console;
  std::string module_tx;

 private:
  Board board_;
};

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class FwNet : public ::testing::Test {
 protected:
  void SetUp() override {
    if (firmware_elf().empty()) GTEST_SKIP() << "no firmware ELF (K7SIM_FIRMWARE_ELF)";
  }
  // Boot, plug the cable and let the PHY negotiate.
  void boot_with_link(NetBoard& nb) {
    nb.run_ms(50);
    nb.board().set_link(true);
    nb.run_ms(100);
    ASSERT_NE(nb.console.find("net: link up 100M full"), std::string::npos) << nb.console;
  }
};

TEST_F(FwNet, BootLogsAndStaysSilentOnTxd) {
  NetBoard nb;
  nb.run_ms(200);
  EXPECT_NE(nb.console.find("net: MAC d8:b0:4c:00:00:07"), std::string::npos) << nb.console;
  EXPECT_NE(nb.console.find("tcp: server on port 23"), std::string::npos) << nb.console;
  EXPECT_NE(nb.console.find("net: 192.168.0.7/24 gateway 192.168.0.1"), std::string::npos) << nb.console;
  EXPECT_EQ(nb.console.find("net: link up"), std::string::npos) << "no cable yet:\n" << nb.console;
  EXPECT_EQ(nb.module_tx, "");
  EXPECT_TRUE(nb.sent.empty()) << "frames sent without a link";
}

TEST_F(FwNet, ArpRequestGetsReplyWithBoardMac) {
  NetBoard nb;
  boot_with_link(nb);
  const std::size_t from = nb.sent.size();
  nb.inject(arp_request(kBoardIp));
  nb.run_ms(5);
  auto replies = nb.find(from, [](const Parsed& p) { return p.type == 0x0806 && p.arp_op == 2; });
  ASSERT_EQ(replies.size(), 1u) << nb.console;
  EXPECT_EQ(replies[0].dst, kHostMac);
  EXPECT_EQ(replies[0].src, kBoardMac);
  EXPECT_EQ(replies[0].arp_sha, kBoardMac);
  EXPECT_EQ(replies[0].arp_spa, kBoardIp);
  EXPECT_EQ(replies[0].arp_tpa, kHostIp);
  // A request for another address is not answered.
  const std::size_t from2 = nb.sent.size();
  nb.inject(arp_request(Ip{192, 168, 0, 8}));
  nb.run_ms(5);
  EXPECT_TRUE(nb.find(from2, [](const Parsed& p) { return p.type == 0x0806 && p.arp_op == 2; }).empty());
}

TEST_F(FwNet, PingGetsEchoReply) {
  NetBoard nb;
  boot_with_link(nb);
  nb.inject(arp_request(kBoardIp));  // the board learns the host's MAC from the request
  nb.run_ms(2);
  const std::size_t from = nb.sent.size();
  nb.inject(icmp_echo(0x4B37, 1, "k7sim ping payload"));
  nb.run_ms(5);
  auto replies = nb.find(from, [](const Parsed& p) { return p.proto == 1 && p.icmp_type == 0; });
  ASSERT_EQ(replies.size(), 1u) << nb.console;
  EXPECT_EQ(replies[0].ip_src, kBoardIp);
  EXPECT_EQ(replies[0].ip_dst, kHostIp);
  EXPECT_TRUE(replies[0].ip_checksum_ok);
  EXPECT_TRUE(replies[0].l4_checksum_ok);
  EXPECT_EQ(replies[0].icmp_id, 0x4B37);
  EXPECT_EQ(replies[0].icmp_seq, 1);
  EXPECT_EQ(replies[0].payload, "k7sim ping payload");
}

TEST_F(FwNet, ReceiveRingWrapsAndRecoversFromOverrun) {
  NetBoard nb;
  boot_with_link(nb);
  nb.inject(arp_request(kBoardIp));
  nb.run_ms(2);
  // 40 pings 20 us apart: the 12-descriptor ring wraps several times.
  std::size_t from = nb.sent.size();
  for (std::uint16_t i = 0; i < 40; ++i) {
    nb.inject(icmp_echo(7, i, "ring"));
    nb.run_ms(0.02);
  }
  nb.run_ms(5);
  auto replies = nb.find(from, [](const Parsed& p) { return p.proto == 1 && p.icmp_type == 0; });
  ASSERT_EQ(replies.size(), 40u);
  for (std::uint16_t i = 0; i < 40; ++i) EXPECT_EQ(replies[i].icmp_seq, i);
  // 30 frames in the same instant: more than the ring holds (RU, the DMA suspends and drops the
  // rest); the driver gives the descriptors back and polls the DMA, so the next ping is answered.
  for (std::uint16_t i = 0; i < 30; ++i) nb.inject(icmp_echo(8, i, "burst"));
  nb.run_ms(5);
  from = nb.sent.size();
  nb.inject(icmp_echo(9, 1, "after"));
  nb.run_ms(5);
  EXPECT_EQ(nb.find(from, [](const Parsed& p) { return p.proto == 1 && p.icmp_type == 0 && p.icmp_id == 9; }).size(),
            1u);
}

TEST_F(FwNet, FifthClientKicksTheOldest) {
  NetBoard nb;
  boot_with_link(nb);
  nb.inject(arp_request(kBoardIp));
  nb.run_ms(2);
  std::uint32_t board_seq[5] = {};
  for (int c = 0; c < 5; ++c) {
    const std::uint16_t port = std::uint16_t(50000 + c);
    const std::size_t from = nb.sent.size();
    nb.inject(tcp(port, 23, 100, 0, SYN));
    nb.run_ms(2);
    auto synack = nb.find(from, [&](const Parsed& p) { return p.proto == 6 && p.dport == port && (p.flags & SYN); });
    ASSERT_EQ(synack.size(), 1u) << c;
    board_seq[c] = synack[0].seq + 1;
    nb.inject(tcp(port, 23, 101, board_seq[c], ACK));
    nb.run_ms(2);
  }
  nb.run_ms(30);
  EXPECT_NE(nb.console.find("tcp: client 192.168.0.201:50000 kicked for 192.168.0.201:50004"), std::string::npos)
      << nb.console;
  auto rst = nb.find(0, [](const Parsed& p) { return p.proto == 6 && p.dport == 50000 && (p.flags & RST); });
  EXPECT_EQ(rst.size(), 1u);
}

TEST_F(FwNet, TcpServerBridgesToTheSerialPort) {
  NetBoard nb;
  boot_with_link(nb);
  // Serial data before any connection waits in the pre-connection buffer.
  nb.serial_write("early ");
  nb.run_ms(5);
  nb.inject(arp_request(kBoardIp));
  nb.run_ms(2);

  const std::uint16_t port = 40123;
  std::uint32_t seq = 1000;
  std::size_t from = nb.sent.size();
  nb.inject(tcp(port, 23, seq, 0, SYN));
  nb.run_ms(5);
  auto synack = nb.find(from, [](const Parsed& p) { return p.proto == 6 && p.sport == 23; });
  ASSERT_EQ(synack.size(), 1u) << nb.console;
  EXPECT_EQ(synack[0].flags, SYN | ACK);
  EXPECT_EQ(synack[0].ack, seq + 1);
  EXPECT_EQ(synack[0].dport, port);
  EXPECT_TRUE(synack[0].l4_checksum_ok);
  seq += 1;
  std::uint32_t their = synack[0].seq + 1;

  // Handshake done: the pre-connection buffer goes to this first client.
  from = nb.sent.size();
  nb.inject(tcp(port, 23, seq, their, ACK));
  nb.run_ms(20);  // the console line takes a few ms at 115200
  EXPECT_NE(nb.console.find("tcp: client 192.168.0.201:40123 connected (1/4)"), std::string::npos) << nb.console;
  std::string received;
  auto collect = [&](std::size_t since) {
    for (const Parsed& p : nb.find(since, [](const Parsed& q) { return q.proto == 6 && q.sport == 23; })) {
      EXPECT_TRUE(p.l4_checksum_ok);
      if (!p.payload.empty() && p.seq == their) {
        received += p.payload;
        their += std::uint32_t(p.payload.size());
      }
    }
  };
  collect(from);
  EXPECT_EQ(received, "early ");

  // Network -> serial.
  from = nb.sent.size();
  nb.inject(tcp(port, 23, seq, their, PSH | ACK, "hello"));
  seq += 5;
  nb.run_ms(5 * 0.087 + 2);
  EXPECT_EQ(nb.module_tx, "hello");
  nb.run_ms(300);  // lwIP acknowledges from its 250 ms fast timer (delayed ACK)
  auto acks = nb.find(from, [&](const Parsed& p) { return p.proto == 6 && p.sport == 23 && (p.flags & ACK); });
  ASSERT_FALSE(acks.empty());
  EXPECT_EQ(acks.back().ack, seq);

  // Serial -> network (the host acknowledges whatever arrives, as a peer would).
  received.clear();
  nb.serial_write("world");
  for (int i = 0; i < 20 && received.size() < 5; ++i) {
    from = nb.sent.size();
    nb.run_ms(1);
    collect(from);
    nb.inject(tcp(port, 23, seq, their, ACK));
  }
  EXPECT_EQ(received, "world") << nb.console;

  // The peer closes: FIN answered, the client slot freed.
  from = nb.sent.size();
  nb.inject(tcp(port, 23, seq, their, FIN | ACK));
  nb.run_ms(20);
  EXPECT_NE(nb.console.find("tcp: client 192.168.0.201:40123 closed by the peer"), std::string::npos) << nb.console;
  auto fin = nb.find(from, [](const Parsed& p) { return p.proto == 6 && p.sport == 23 && (p.flags & FIN); });
  EXPECT_FALSE(fin.empty());
}

TEST_F(FwNet, SlowSerialLineClosesTheTcpWindow) {
  NetBoard nb;
  boot_with_link(nb);
  nb.inject(arp_request(kBoardIp));
  nb.run_ms(2);
  const std::uint16_t port = 41000;
  std::size_t from = nb.sent.size();
  nb.inject(tcp(port, 23, 5000, 0, SYN));
  nb.run_ms(2);
  auto synack = nb.find(from, [&](const Parsed& p) { return p.proto == 6 && p.dport == port; });
  ASSERT_EQ(synack.size(), 1u);
  const std::uint32_t their = synack[0].seq + 1;
  std::uint32_t seq = 5001;
  nb.inject(tcp(port, 23, seq, their, ACK));
  nb.run_ms(2);

  // 8 x 1000 bytes at once: far more than the UART's 1 KB TX ring; at 115200 8N1 the line needs
  // ~700 ms. The board keeps what the ring cannot take and acknowledges it only as it drains.
  std::string all;
  from = nb.sent.size();
  for (int i = 0; i < 8; ++i) {
    std::string chunk(1000, char('A' + i));
    all += chunk;
    nb.inject(tcp(port, 23, seq, their, ACK, chunk, 65535));
    seq += 1000;
    nb.run_ms(0.2);
  }
  nb.run_ms(300);
  auto acks = nb.find(from, [&](const Parsed& p) { return p.proto == 6 && p.dport == port && (p.flags & ACK); });
  ASSERT_FALSE(acks.empty());
  // TCP acknowledges receipt at once, but the window only reopens as the UART takes the data.
  EXPECT_EQ(acks.back().ack, seq);
  std::uint16_t smallest = 0xFFFF;
  for (const Parsed& a : acks) smallest = std::min(smallest, a.window);
  EXPECT_LT(smallest, 16384 - 6000) << "the window should account for data not yet on the serial line";
  nb.run_ms(700);
  EXPECT_EQ(nb.module_tx.size(), all.size());
  EXPECT_EQ(nb.module_tx, all);
  // Everything delivered: a window update reopens the window fully.
  from = nb.sent.size();
  nb.inject(tcp(port, 23, seq, their, ACK, "!", 65535));
  nb.run_ms(300);
  acks = nb.find(from, [&](const Parsed& p) { return p.proto == 6 && p.dport == port && (p.flags & ACK); });
  ASSERT_FALSE(acks.empty());
  EXPECT_EQ(acks.back().ack, seq + 1);
  EXPECT_GE(acks.back().window, 16384 - 1);
}

TEST_F(FwNet, LinkDownAndUpReachTheNetif) {
  NetBoard nb;
  boot_with_link(nb);
  nb.board().set_link(false);
  nb.run_ms(100);
  EXPECT_EQ(count_of(nb.console, "net: link down"), 1u) << nb.console;
  // While the link is down nothing is answered.
  std::size_t from = nb.sent.size();
  nb.inject(arp_request(kBoardIp));
  nb.run_ms(5);
  EXPECT_TRUE(nb.find(from, [](const Parsed& p) { return p.type == 0x0806 && p.arp_op == 2; }).empty());
  nb.board().set_link(true);
  nb.run_ms(100);
  EXPECT_EQ(count_of(nb.console, "net: link up 100M full"), 2u) << nb.console;
  // Link up again: lwIP announces the static address (gratuitous ARP) and answers again.
  auto garp = nb.find(from, [](const Parsed& p) { return p.type == 0x0806 && p.arp_spa == kBoardIp; });
  EXPECT_FALSE(garp.empty());
  from = nb.sent.size();
  nb.inject(arp_request(kBoardIp));
  nb.run_ms(5);
  EXPECT_EQ(nb.find(from, [](const Parsed& p) { return p.type == 0x0806 && p.arp_op == 2; }).size(), 1u);
}

// ---- settings applied at start: AT+USERMAC and AT+WANN (000_f07c2e1ebe076025.txt §5.3.5 7, 32) --------

Bytes arp_request_from(const Ip& sender, const Ip& target) {
  Bytes a;
  put16(a, 1);
  put16(a, 0x0800);
  a.push_back(6);
  a.push_back(4);
  put16(a, 1);
  a.insert(a.end(), kHostMac.begin(), kHostMac.end());
  a.insert(a.end(), sender.begin(), sender.end());
  for (int i = 0; i < 6; ++i) a.push_back(0);
  a.insert(a.end(), target.begin(), target.end());
  return ethernet(kBroadcast, kHostMac, 0x0806, a);
}

Bytes icmp_echo_to(const Mac& dst_mac, const Ip& src, const Ip& dst, std::uint16_t seq) {
  Bytes m;
  m.push_back(8);
  m.push_back(0);
  put16(m, 0);
  put16(m, 0x5A5A);
  put16(m, seq);
  const std::string data = "user mac";
  m.insert(m.end(), data.begin(), data.end());
  const std::uint16_t c = checksum(m.data(), m.size());
  m[2] = std::uint8_t(c >> 8);
  m[3] = std::uint8_t(c);
  return ethernet(dst_mac, kHostMac, 0x0800, ipv4(src, dst, 1, m));
}

TEST_F(FwNet, UserMacAndStaticAddressApplyAfterRestart) {
  const Mac user_mac = {0x02, 0xA0, 0xB0, 0xC0, 0xD0, 0xE0};
  const Ip new_ip = {10, 1, 2, 50};
  const Ip peer_ip = {10, 1, 2, 201};
  NetBoard nb;
  boot_with_link(nb);
  nb.serial_write("+++");
  nb.run_ms(10);
  nb.serial_write("a");
  nb.run_ms(10);
  nb.serial_write("AT+USERMAC=02A0B0C0D0E0\r");
  nb.run_ms(60);
  nb.serial_write("AT+WANN=STATIC,10.1.2.50,255.255.255.0,10.1.2.1\r");
  nb.run_ms(80);
  nb.serial_write("AT+Z\r");
  nb.run_ms(300);  // reply, restart, boot, PHY negotiation
  ASSERT_EQ(count_of(nb.module_tx, "\r\n+OK\r\n"), 3u) << nb.module_tx;
  ASSERT_NE(nb.console.find("net: MAC 02:a0:b0:c0:d0:e0 (user MAC)"), std::string::npos) << nb.console;
  ASSERT_NE(nb.console.find("net: 10.1.2.50/24 gateway 10.1.2.1"), std::string::npos) << nb.console;

  // ARP: the new address answers with the user MAC, in the ARP body and as the frame's source.
  std::size_t from = nb.sent.size();
  nb.inject(arp_request_from(peer_ip, new_ip));
  nb.run_ms(2);
  auto replies = nb.find(from, [](const Parsed& p) { return p.type == 0x0806 && p.arp_op == 2; });
  ASSERT_EQ(replies.size(), 1u) << nb.console;
  EXPECT_EQ(replies[0].arp_sha, user_mac);
  EXPECT_EQ(replies[0].src, user_mac);
  EXPECT_EQ(replies[0].arp_spa, new_ip);

  // The factory address is gone.
  from = nb.sent.size();
  nb.inject(arp_request_from(Ip{192, 168, 0, 201}, kBoardIp));
  nb.run_ms(2);
  EXPECT_TRUE(nb.find(from, [](const Parsed& p) { return p.type == 0x0806 && p.arp_op == 2; }).empty());

  // The EMAC's perfect filter follows: a frame to the user MAC is received and answered, one to the
  // factory MAC is dropped by the hardware.
  from = nb.sent.size();
  nb.inject(icmp_echo_to(user_mac, peer_ip, new_ip, 1));
  nb.inject(icmp_echo_to(kBoardMac, peer_ip, new_ip, 2));
  nb.run_ms(5);
  auto echoes = nb.find(from, [](const Parsed& p) { return p.proto == 1 && p.icmp_type == 0; });
  ASSERT_EQ(echoes.size(), 1u) << nb.console;
  EXPECT_EQ(echoes[0].icmp_seq, 1);
  EXPECT_EQ(echoes[0].src, user_mac);
  EXPECT_EQ(echoes[0].ip_src, new_ip);
}

}  // namespace
}  // namespace k7sim::test
