// Virtual time of the whole simulation: one 64-bit counter of 120 MHz ticks.
// The core clock of the TM4C1294 after PLL setup is 120 MHz, so at full speed one tick is
// one CPU cycle. Every model and the harness express time in these ticks; nothing in the
// simulation path reads the host's clock.
#pragma once
#include <cstdint>

namespace k7sim {

using Cycles = std::uint64_t;

inline constexpr std::uint64_t kTickHz = 120'000'000;
inline constexpr Cycles kNever = ~Cycles{0};

constexpr Cycles ticks_from_ns(std::uint64_t ns) { return ns * (kTickHz / 1'000'000) / 1000; }
constexpr Cycles ticks_from_us(std::uint64_t us) { return us * (kTickHz / 1'000'000); }
constexpr Cycles ticks_from_ms(std::uint64_t ms) { return ms * (kTickHz / 1'000); }
constexpr double ticks_to_us(Cycles t) { return static_cast<double>(t) / (kTickHz / 1'000'000); }
constexpr double ticks_to_seconds(Cycles t) { return static_cast<double>(t) / kTickHz; }

}  // namespace k7sim
