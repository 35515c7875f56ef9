// k7sim benchmarks: printed figures, not tests. `make bench` runs this.
//   cpu_mips            the benchmark kernel on k7sim (cycle accounting, 1 ms SysTick interrupt on)
//   cpu_mips_raw        the same kernel on bare Unicorn with no hooks (the physical limit here)
//   cpu_overhead_ratio  cpu_mips / cpu_mips_raw
//   idle_rtf            virtual seconds per wall second, firmware asleep in WFI with a 1 ms SysTick
//   net_rtf             virtual seconds per wall second while a TCP peer streams into the reference
//                       firmware's TCP server (which forwards to the 115200 baud serial port)
//   net_stream_mbps     the rate the firmware accepts that stream at (bounded by the serial side)
//   net_throughput_mbps serial-free TCP echo through the firmware's network path (bench image
//                       k7-netecho: same board support, EMAC driver and lwIP options): echoed Mb/s
//   net_echo_rtf        virtual seconds per wall second during that echo
//   rtl_uart_rtf_115200 virtual seconds per wall second of a continuous full-duplex stream through
//   rtl_uart_rtf_1m     the UART RTL under Verilator (a polling driver keeps both FIFOs busy)
//   uart_model_rtf_*    the same stream through the C++ UART model, for comparison
#include <unicorn/unicorn.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "emulator/cpu/cortex_m4.h"
#include "emulator/cpu/elf_image.h"
#include "harness/net/host_stack.h"
#include "harness/net/segment.h"
#include "peripherals/uart.h"
#ifdef K7SIM_HAVE_UART_RTL
#include "peripherals/rtl/uart_rtl.h"
#endif
#include "peripherals/board.h"

using namespace k7sim;
using Clock = std::chrono::steady_clock;

namespace {

std::string guest(const char* name) { return std::string(K7SIM_GUEST_DIR) + "/" + name + ".elf"; }

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct CoreRun {
  double wall = 0;
  std::uint64_t instructions = 0;
  std::uint32_t result = 0;
};

CoreRun run_on_k7sim() {
  Board::Config config;
  config.firmware_elf = guest("bench_kernel");
  Board board(config);
  bool done = false;
  board.line(ModulePin::Rts).on_change([&](bool level) {
    if (level) {
      done = true;
      board.request_stop();
    }
  });
  board.power_on();
  const auto t = Clock::now();
  while (!done && !board.fault()) board.run_until(board.now() + ticks_from_ms(1000));
  CoreRun r;
  r.wall = seconds_since(t);
  r.instructions = board.cpu().instructions();
  if (board.fault()) std::fprintf(stderr, "bench: %s\n", board.fault()->text().c_str());
  std::uint32_t v = 0;
  board.read_memory(*board.symbol_address("result"), &v, 4);
  r.result = v;
  return r;
}

// The same kernel function on Unicorn alone: flash and SRAM mapped, no hooks, no peripherals.
CoreRun run_raw() {
  const ElfImage img = ElfImage::load(guest("bench_kernel"));
  std::vector<std::uint8_t> flash(CortexM4::kFlashSize, 0xFF), sram(CortexM4::kSramSize, 0);
  for (const auto& s : img.segments())
    if (s.load_address < flash.size()) std::memcpy(flash.data() + s.load_address, s.data.data(), s.data.size());
  uc_engine* uc = nullptr;
  uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc);
  uc_ctl_set_cpu_model(uc, UC_CPU_ARM_CORTEX_M4);
  uc_mem_map_ptr(uc, 0, flash.size(), UC_PROT_READ | UC_PROT_EXEC, flash.data());
  uc_mem_map_ptr(uc, CortexM4::kSramBase, sram.size(), UC_PROT_ALL, sram.data());
  const std::uint32_t entry = img.symbol("bench_kernel")->address, stop = img.symbol("bench_stop")->address;
  std::uint32_t sp = CortexM4::kSramBase + CortexM4::kSramSize, lr = stop | 1u;
  uc_reg_write(uc, UC_ARM_REG_SP, &sp);
  uc_reg_write(uc, UC_ARM_REG_LR, &lr);
  const auto t = Clock::now();
  const uc_err err = uc_emu_start(uc, entry | 1u, stop, 0, 0);
  CoreRun r;
  r.wall = seconds_since(t);
  if (err != UC_ERR_OK) std::fprintf(stderr, "bench: raw run: %s\n", uc_strerror(err));
  uc_reg_read(uc, UC_ARM_REG_R0, &r.result);
  uc_close(uc);
  return r;
}

double idle_rtf() {
  Board::Config config;
  config.firmware_elf = guest("idle_wfi");
  Board board(config);
  board.power_on();
  const Cycles span = ticks_from_ms(20'000);
  const auto t = Clock::now();
  board.run_until(span);
  return ticks_to_seconds(board.now()) / seconds_since(t);
}

struct NetRun {
  double rtf = 0, mbps = 0;
};

// The board with one TCP peer "pc" (192.168.0.201) on the virtual segment, the cable plugged.
struct NetBench {
  explicit NetBench(const std::string& elf) : board(config_for(elf)), segment(board.events(), 1), hosts(board.events(), segment, 1) {
    board.attach_ethernet(&segment.device_port());
    segment.set_device_receiver([this](const std::vector<std::uint8_t>& f) { board.ethernet_receive(f); });
    pc = hosts.add_peer("pc", Ipv4{0xC0A800C9}, 24, derive_mac("pc"));
    board.set_link(true);
    board.power_on();
  }
  // Runs `span` more of virtual time: virtual seconds per wall second, and the Mb/s by which
  // `bytes()` (a byte counter of the peer's connection) grew over it.
  NetRun measure(Cycles span, const std::function<std::size_t()>& bytes) {
    const Cycles start = board.now();
    const std::size_t before = bytes();
    const auto t = Clock::now();
    board.run_until(start + span);
    NetRun r;
    r.rtf = ticks_to_seconds(span) / seconds_since(t);
    r.mbps = double(bytes() - before) * 8 / ticks_to_seconds(span) / 1e6;
    if (board.fault()) std::fprintf(stderr, "bench: %s\n", board.fault()->text().c_str());
    return r;
  }
  static Board::Config config_for(const std::string& elf) {
    Board::Config c;
    c.firmware_elf = elf;
    return c;
  }
  Board board;
  Segment segment;
  HostStack hosts;
  int pc = -1;
};

// A peer connects to the image's TCP `port` at 100 ms and streams `bytes` at it; after `warm` (past
// slow start: the steady state is what is measured) the figure is taken over `span`.
enum class Counted { AckedBySerialSide, EchoedBack };
NetRun tcp_stream(const char* elf, std::uint16_t port, std::size_t bytes, Cycles warm, Cycles span, Counted counted) {
  NetBench n(elf);
  n.board.run_until(ticks_from_ms(100));
  const int conn = n.hosts.tcp_connect(n.pc, Ipv4{0xC0A80007}, port);
  n.board.run_until(ticks_from_ms(150));
  n.hosts.tcp_send(conn, std::vector<std::uint8_t>(bytes, 'x'));
  n.board.run_until(warm);
  return n.measure(span, [&] {
    const TcpConnInfo& c = n.hosts.conn(conn);
    return counted == Counted::EchoedBack ? c.rx.size() : c.bytes_acked;
  });
}

// The reference firmware's TCP server takes the stream (and forwards it to its 115200 baud port).
NetRun net_stream() {
  return tcp_stream(K7SIM_FIRMWARE_ELF, 23, 1u << 20, ticks_from_ms(1150), ticks_from_ms(10'000), Counted::AckedBySerialSide);
}

// Serial-free TCP echo through the firmware's network path: the bench image k7-netecho (the K7
// board support, EMAC driver and lwIP configuration with an echo service on port 7) echoes what a
// peer streams at it; the figure is the echoed payload the peer receives per virtual second.
NetRun net_echo() {
  return tcp_stream(K7SIM_NETECHO_ELF, 7, 64u << 20, ticks_from_ms(650), ticks_from_ms(2'000), Counted::EchoedBack);
}

// A full-duplex stream at `baud` from a 120 MHz UART clock for `span` of virtual time: the host
// sends back to back, a driver polls every 4 character times, drains RX and refills TX.
template <class Uart>
double uart_stream_rtf(std::uint32_t baud, Cycles span) {
  EventQueue ev;
  Uart uart("UART1", ev);
  uart.set_sysclk_hz(120'000'000);
  const double brd = 120e6 / (16.0 * baud);
  const auto ibrd = static_cast<std::uint32_t>(brd);
  const auto fbrd = static_cast<std::uint32_t>((brd - ibrd) * 64 + 0.5);
  uart.write(0x024, ibrd, 4);
  uart.write(0x028, fbrd, 4);
  uart.write(0x02C, (3u << 5) | (1u << 4), 4);  // 8 bits, FIFOs on
  uart.write(0x030, 0x301, 4);                   // UARTEN, TXE, RXE
  const double bit = 120e6 / baud;
  const Cycles frame = static_cast<Cycles>(10 * bit) + 1;
  std::uint64_t sent = 0;
  std::function<void()> host = [&] {
    SerialFrame f;
    f.start = ev.now();
    f.bit_ticks = bit;
    f.data = std::uint8_t(sent++);
    uart.receive(f);
    ev.schedule_at(ev.now() + frame, host);
  };
  std::function<void()> driver = [&] {
    while (!(uart.read(0x018, 4) & (1u << 4))) uart.read(0x000, 4);        // drain RX
    while (!(uart.read(0x018, 4) & (1u << 5))) uart.write(0x000, 0x5A, 4);  // fill TX
    ev.schedule_at(ev.now() + 4 * frame, driver);
  };
  ev.schedule_at(100, host);
  ev.schedule_at(100, driver);
  const auto t = Clock::now();
  ev.run_until(span);
  return ticks_to_seconds(span) / seconds_since(t);
}

// The UART stream figures, best of `runs` (load from other processes only ever slows a run down).
void uart_figures(int runs, double scale, bool rtl_only = false) {
  auto best = [runs](auto fn) {
    double b = 0;
    for (int i = 0; i < runs; ++i) b = std::max(b, fn());
    return b;
  };
  const auto span115 = static_cast<Cycles>(ticks_from_ms(2000) * scale), span1m = static_cast<Cycles>(ticks_from_ms(200) * scale);
#ifdef K7SIM_HAVE_UART_RTL
  std::printf("rtl_uart_rtf_115200: %.2f\n", best([&] { return uart_stream_rtf<UartRtl>(115200, span115); }));
  std::printf("rtl_uart_rtf_1m: %.3f\n", best([&] { return uart_stream_rtf<UartRtl>(1'000'000, span1m); }));
#endif
  if (rtl_only) return;
  std::printf("uart_model_rtf_115200: %.1f\n", best([&] { return uart_stream_rtf<UartModel>(115200, span115); }));
  std::printf("uart_model_rtf_1m: %.2f\n", best([&] { return uart_stream_rtf<UartModel>(1'000'000, span1m); }));
}

}  // namespace

// `k7sim_bench` prints every figure; `k7sim_bench GROUP` one group: cpu, idle, net, uart.
// `k7sim_bench uart SCALE` / `uart-rtl SCALE`: the UART stream figures (`uart-rtl`: only the RTL's)
// with the virtual spans multiplied by SCALE (e.g. 0.05 for a short run under valgrind
// --tool=callgrind, whose instruction counts do not depend on the machine's load).
int main(int argc, char** argv) {
  if (argc >= 2 && (std::string(argv[1]) == "uart" || std::string(argv[1]) == "uart-rtl")) {
    const double scale = argc >= 3 ? std::atof(argv[2]) : 1.0;
    uart_figures(scale < 1.0 ? 1 : 3, scale, std::string(argv[1]) == "uart-rtl");
    return 0;
  }
  auto want = [&](const char* group) { return argc < 2 || std::strcmp(argv[1], group) == 0; };
  if (want("cpu")) {
  // Each figure is the best of three runs, k7sim and bare Unicorn alternating, so that load from
  // other processes on the machine does not skew the ratio.
  CoreRun sim, raw;
  for (int i = 0; i < 3; ++i) {
    const CoreRun s = run_on_k7sim();
    const CoreRun r = run_raw();
    if (i == 0 || s.wall < sim.wall) sim = s;
    if (i == 0 || r.wall < raw.wall) raw = r;
  }
  if (sim.result != raw.result) std::fprintf(stderr, "bench: kernel results differ (%08X vs %08X)\n", sim.result, raw.result);
  const double mips = sim.instructions / sim.wall / 1e6;
  const double mips_raw = sim.instructions / raw.wall / 1e6;  // same instruction stream, minus a few handler runs
  std::printf("cpu_instructions: %llu\n", static_cast<unsigned long long>(sim.instructions));
  std::printf("cpu_mips: %.1f\n", mips);
  std::printf("cpu_mips_raw: %.1f\n", mips_raw);
  std::printf("cpu_overhead_ratio: %.3f\n", mips / mips_raw);
  }
  if (want("idle")) {
  double idle = 0;
  for (int i = 0; i < 3; ++i) idle = std::max(idle, idle_rtf());
  std::printf("idle_rtf: %.0f\n", idle);
  }
  if (want("net")) {
  const NetRun net = net_stream();
  std::printf("net_rtf: %.1f\n", net.rtf);
  std::printf("net_stream_mbps: %.3f\n", net.mbps);
  const NetRun echo = net_echo();
  std::printf("net_throughput_mbps: %.2f\n", echo.mbps);
  std::printf("net_echo_rtf: %.2f\n", echo.rtf);
  }
  if (argc < 2) uart_figures(3, 1.0);
  return 0;
}
