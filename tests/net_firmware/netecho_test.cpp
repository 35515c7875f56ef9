// The bench image k7-netecho (firmware/bench/netecho.c): the firmware's board support, EMAC driver
// and lwIP port with a TCP echo service on port 7. bench/ measures net_throughput_mbps with it; this
// checks that what it measures is a correct echo (every byte back, in order), so the figure cannot
// come from a broken path.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "harness/net/host_stack.h"
#include "harness/net/segment.h"
#include "peripherals/board.h"

namespace k7sim::test {
namespace {

TEST(NetEchoImage, EchoesAStreamByteForByte) {
  Board::Config config;
  config.firmware_elf = K7SIM_NETECHO_ELF;
  Board board(config);
  Segment segment(board.events(), 3);
  board.attach_ethernet(&segment.device_port());
  segment.set_device_receiver([&](const std::vector<std::uint8_t>& f) { board.ethernet_receive(f); });
  HostStack hosts(board.events(), segment, 3);
  const int pc = hosts.add_peer("pc", Ipv4{0xC0A800C9}, 24, MacAddress{0x02, 0x00, 0x00, 0x00, 0x00, 0xC9});
  board.set_link(true);
  board.power_on();
  board.run_until(ticks_from_ms(100));

  const int conn = hosts.tcp_connect(pc, Ipv4{0xC0A80007}, 7);
  std::vector<std::uint8_t> data(256 * 1024);
  std::uint32_t x = 12345;
  for (auto& b : data) {  // xorshift: bytes that a skipped or repeated segment would not hide
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = std::uint8_t(x);
  }
  hosts.tcp_send(conn, data);
  for (int i = 0; i < 200 && hosts.conn(conn).rx.size() < data.size() && !board.fault(); ++i)
    board.run_until(board.now() + ticks_from_ms(10));
  ASSERT_FALSE(board.fault()) << board.fault()->text();
  EXPECT_EQ(hosts.conn(conn).rx, data);
}

}  // namespace
}  // namespace k7sim::test
