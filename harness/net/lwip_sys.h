// Binding of the host lwIP's platform functions (sys_now, LWIP_RAND, TCP ISN) to the virtual
// clock and the scenario seed. Internal to harness/net.
#pragma once
#include <cstdint>

#include "emulator/event_queue.h"

namespace k7sim::net_detail {
void bind_lwip_platform(const EventQueue* clock, std::uint64_t seed);
// Virtual milliseconds (truncated), what lwIP's sys_now() returns.
std::uint32_t lwip_now_ms();
}  // namespace k7sim::net_detail
