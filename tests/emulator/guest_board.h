// A board running one of the guest programs of tests/guest (built into K7SIM_GUEST_DIR).
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "emulator/cpu/cortex_m4.h"
#include "peripherals/board.h"

namespace k7sim::test {

inline std::string guest_elf(const std::string& name) { return std::string(K7SIM_GUEST_DIR) + "/" + name + ".elf"; }

struct GuestBoard {
  Board board;
  explicit GuestBoard(const std::string& name) : board(config(name)) { board.power_on(); }
  static Board::Config config(const std::string& name) {
    Board::Config c;
    c.firmware_elf = guest_elf(name);
    return c;
  }

  Board::StopReason run_us(double us) { return board.run_until(board.now() + Cycles(us * (kTickHz / 1'000'000))); }
  std::uint32_t u32(const std::string& symbol, unsigned index = 0) {
    auto a = board.symbol_address(symbol);
    EXPECT_TRUE(a.has_value()) << "no symbol " << symbol;
    std::uint32_t v = 0;
    if (a) {
      EXPECT_TRUE(board.read_memory(*a + 4 * index, &v, 4));
    }
    return v;
  }
};

}  // namespace k7sim::test
