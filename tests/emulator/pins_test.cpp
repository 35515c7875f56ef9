// Module pins and supply (k7-behaviour.md "Pins", 000_f07c2e1ebe076025.txt §3.1; docs/board.md
// "Module pins and board wiring").
#include <gtest/gtest.h>

#include <string>

#include "guest_board.h"

using namespace k7sim;
using k7sim::test::GuestBoard;

namespace {
// Number of boots seen on the console of hello_console (it prints "hello\n" once per boot).
struct BootCounter {
  int hellos = 0;
  std::string line;
  explicit BootCounter(Board& b) {
    b.on_console_tx([this](const SerialFrame& f) {
      if (f.data == '\n') {
        hellos += line == "hello";
        line.clear();
      } else {
        line.push_back(char(f.data));
      }
    });
  }
};

void pulse_rst(GuestBoard& g, double ms) {
  g.board.drive(ModulePin::Rst, false);
  g.run_us(ms * 1000);
  g.board.release(ModulePin::Rst);
  g.run_us(20'000);
}
}  // namespace

// RST: a low pulse >= 200 ms reboots the module; a glitch < 10 ms does not (k7-behaviour.md).
TEST(PinsRst, GlitchIgnoredLongPulseReboots) {
  GuestBoard g("hello_console");
  BootCounter boots(g.board);
  g.run_us(20'000);
  ASSERT_EQ(boots.hellos, 1);
  pulse_rst(g, 9.9);
  EXPECT_EQ(boots.hellos, 1) << "a 9.9 ms glitch must not reset";
  pulse_rst(g, 200);
  EXPECT_EQ(boots.hellos, 2) << "a 200 ms pulse resets";
  pulse_rst(g, 10.1);
  EXPECT_EQ(boots.hellos, 3) << "the supervisor's threshold is 10 ms (docs/board.md)";
}

// While RST is held low the chip stays in reset: nothing runs until it is released.
TEST(PinsRst, HeldLowKeepsTheChipInReset) {
  GuestBoard g("hello_console");
  BootCounter boots(g.board);
  g.run_us(20'000);
  g.board.drive(ModulePin::Rst, false);
  g.run_us(2'000'000);
  EXPECT_EQ(boots.hellos, 1);
  g.board.release(ModulePin::Rst);
  g.run_us(20'000);
  EXPECT_EQ(boots.hellos, 2);
}

// Reload is a GPIO input with the module's pull-up; CTS reaches PN1; RTS is PN0's output.
TEST(PinsGpio, ReloadAndCtsInputsRtsOutput) {
  GuestBoard g("pin_mirror");
  g.run_us(1000);
  EXPECT_TRUE(g.board.level(ModulePin::Reload)) << "released Reload reads high (pull-up)";
  EXPECT_TRUE(g.board.level(ModulePin::Rts)) << "the guest mirrors Reload onto RTS";
  g.board.drive(ModulePin::Reload, false);
  g.run_us(100);
  EXPECT_FALSE(g.board.level(ModulePin::Rts));
  EXPECT_EQ(g.u32("reload_falls"), 1u) << "falling edge interrupt on PJ0";
  g.board.release(ModulePin::Reload);
  g.run_us(100);
  EXPECT_TRUE(g.board.level(ModulePin::Rts));
  g.board.drive(ModulePin::Cts, true);
  g.run_us(100);
  EXPECT_TRUE(g.board.level(ModulePin::LedActivity)) << "CTS mirrored onto PF4";
  g.board.drive(ModulePin::Cts, false);
  g.run_us(100);
  EXPECT_FALSE(g.board.level(ModulePin::LedActivity));
}

// The jack's link LED (PF0 as EN0LED0) follows the PHY's link: up after auto-negotiation.
TEST(PinsLed, LinkLedFollowsThePhy) {
  GuestBoard g("pin_mirror");
  g.run_us(1000);
  EXPECT_FALSE(g.board.level(ModulePin::LedLink));
  g.board.set_link(true);
  g.run_us(10'000);
  EXPECT_TRUE(g.board.level(ModulePin::LedLink));
  g.board.set_link(false);
  g.run_us(100);
  EXPECT_FALSE(g.board.level(ModulePin::LedLink));
}

// power off / on: a power-on reset (RESC.POR); nothing runs while off.
TEST(PinsPower, OffStopsEverythingOnBootsAgain) {
  GuestBoard g("hello_console");
  BootCounter boots(g.board);
  g.run_us(20'000);
  g.board.power_off();
  g.run_us(500'000);
  EXPECT_EQ(boots.hellos, 1);
  EXPECT_FALSE(g.board.powered());
  g.board.power_on();
  g.run_us(20'000);
  EXPECT_EQ(boots.hellos, 2);
}

// Power loss at an arbitrary cycle through the API: the board stops at that tick.
TEST(PinsPower, PowerLossAtAnyCycle) {
  GuestBoard g("systick_wfi");
  const Cycles cut = 1'234'567;
  g.board.events().schedule_at(cut, [&] { g.board.power_off(); });
  g.run_us(20'000);
  EXPECT_FALSE(g.board.powered());
  const std::uint32_t ticks_at_cut = g.u32("ticks");
  g.run_us(20'000);
  EXPECT_EQ(g.u32("ticks"), ticks_at_cut) << "no code runs after the cut";
  EXPECT_LE(ticks_at_cut, 11u);
}
