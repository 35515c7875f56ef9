// Units and byte helpers shared by the scenario-format tests.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "emulator/time.h"

namespace k7sim::test_units {

constexpr Cycles kUs = kTickHz / 1'000'000;
constexpr Cycles kMs = kTickHz / 1'000;
constexpr Cycles kS = kTickHz;

inline std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

}  // namespace k7sim::test_units
