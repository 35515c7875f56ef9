// Platform functions of the host lwIP: sys_now() reads the virtual clock (never the host's),
// LWIP_RAND() and the TCP initial sequence numbers come from a std::mt19937 seeded with the
// scenario seed. HostStack binds them (one lwIP instance per process at a time).
#include "harness/net/lwip_sys.h"

#include <random>

#include "lwip/arch.h"

namespace k7sim::net_detail {
namespace {
const EventQueue* g_clock = nullptr;
std::mt19937 g_rng;
}  // namespace

void bind_lwip_platform(const EventQueue* clock, std::uint64_t seed) {
  g_clock = clock;
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32), 0x6c77u};
  g_rng.seed(seq);
}

std::uint32_t lwip_now_ms() {
  return g_clock ? static_cast<std::uint32_t>(g_clock->now() / (kTickHz / 1000)) : 0;
}

}  // namespace k7sim::net_detail

extern "C" {
u32_t sys_now(void) { return k7sim::net_detail::lwip_now_ms(); }
unsigned int k7_lwip_rand(void) { return static_cast<unsigned int>(k7sim::net_detail::g_rng()); }
unsigned int k7_lwip_tcp_isn(void) { return static_cast<unsigned int>(k7sim::net_detail::g_rng()); }
}
