// Internal Ethernet PHY (tm4c1294-facts.md section 8, "Internal PHY at MDIO address 0"): ID
// registers, BMCR self-clearing bits, BMSR link latch-low, STS, MISR1 interrupts, auto-negotiation
// delay and resolution. Register access is direct (mdio_read/mdio_write); the MDIO timing through
// the EMAC's MIIADDR is in emac_test.cpp.
#include "peripherals/ephy.h"

#include <gtest/gtest.h>

namespace k7sim {
namespace {

constexpr unsigned kBmcr = 0x00, kBmsr = 0x01, kId1 = 0x02, kId2 = 0x03, kAnar = 0x04, kAnlpar = 0x05,
                   kSts = 0x10, kScr = 0x11, kMisr1 = 0x12, kMisr2 = 0x13, kRcr = 0x1F;
constexpr std::uint16_t kLinkStat = 1u << 2, kAnc = 1u << 5;
constexpr std::uint16_t kStsLink = 1u << 0, kStsSpeed10 = 1u << 1, kStsDuplex = 1u << 2, kStsAns = 1u << 4;
constexpr std::uint16_t kIntEn = 1u << 1;
constexpr std::uint16_t kLinkStatEn = 1u << 5, kAncEn = 1u << 2;
constexpr std::uint16_t kMisrLinkStat = 1u << 13, kMisrAnc = 1u << 10;
constexpr Cycles kAn = ticks_from_ms(3);  // documented auto-negotiation time (docs/board.md)

class EphyTest : public ::testing::Test {
 protected:
  // Fire every event up to t in order (each at its own tick), then stand at t.
  void run_to(Cycles t) { events.run_until(t); }
  void run_for(Cycles d) { run_to(events.now() + d); }

  EventQueue events;
  Ephy phy{events};
};

TEST_F(EphyTest, IdRegistersIdentifyTheTiPhy) {
  EXPECT_EQ(phy.mdio_read(kId1), 0x2000);
  EXPECT_EQ(phy.mdio_read(kId2), 0xA221);
  phy.mdio_write(kId1, 0x1234);  // read-only
  EXPECT_EQ(phy.mdio_read(kId1), 0x2000);
}

TEST_F(EphyTest, ResetValuesWithNoCable) {
  EXPECT_EQ(phy.mdio_read(kBmcr), 0x3100);  // 100 Mb/s, AN enabled, full duplex
  EXPECT_EQ(phy.mdio_read(kBmsr), 0x7849);  // capabilities, AN able, no link, AN not complete
  EXPECT_EQ(phy.mdio_read(kAnar), 0x01E1);
  EXPECT_EQ(phy.mdio_read(kAnlpar), 0);
  EXPECT_EQ(phy.mdio_read(kSts), 0);
  EXPECT_EQ(phy.mdio_read(kScr), 0);
  EXPECT_EQ(phy.mdio_read(kMisr1), 0);
  EXPECT_FALSE(phy.irq().level());
}

TEST_F(EphyTest, AutoNegotiationCompletesAfterItsDelayAt100Full) {
  events.advance_to(1000);
  phy.set_link(true);
  run_to(1000 + kAn - 1);
  EXPECT_EQ(phy.mdio_read(kSts), 0);
  EXPECT_FALSE(phy.link_up());
  run_to(1000 + kAn);
  EXPECT_TRUE(phy.link_up());
  EXPECT_EQ(phy.mdio_read(kSts), kStsLink | kStsDuplex | kStsAns);  // SPEED 0 = 100 Mb/s
  EXPECT_EQ(phy.mdio_read(kAnlpar), 0x41E1);                        // partner: 10/100 H/F + ACK
  EXPECT_TRUE(phy.speed_100());
  EXPECT_TRUE(phy.full_duplex());
}

TEST_F(EphyTest, BmsrLinkStatusIsLatchLow) {
  phy.set_link(true);
  run_for(kAn);
  // The link was down since reset: the first read reports the failure, the next the live state.
  EXPECT_EQ(phy.mdio_read(kBmsr), 0x7849 | kAnc);
  EXPECT_EQ(phy.mdio_read(kBmsr), 0x7849 | kAnc | kLinkStat);
  // A drop that heals before software looks is still reported once.
  phy.set_link(false);
  EXPECT_EQ(phy.mdio_read(kSts) & kStsLink, 0);
  phy.set_link(true);
  run_for(kAn);
  EXPECT_EQ(phy.mdio_read(kSts) & kStsLink, kStsLink);
  EXPECT_EQ(phy.mdio_read(kBmsr) & kLinkStat, 0);
  EXPECT_EQ(phy.mdio_read(kBmsr) & kLinkStat, kLinkStat);
  // While the link is down, every read returns 0 and ANC is cleared.
  phy.set_link(false);
  EXPECT_EQ(phy.mdio_read(kBmsr), 0x7849);
  EXPECT_EQ(phy.mdio_read(kBmsr), 0x7849);
}

TEST_F(EphyTest, LinkInterruptThroughMisr1AndScrIntEn) {
  phy.mdio_write(kScr, kIntEn);
  phy.mdio_write(kMisr1, kLinkStatEn);
  phy.set_link(true);
  run_for(kAn - 1);
  EXPECT_FALSE(phy.irq().level());
  run_for(1);
  EXPECT_TRUE(phy.irq().level());
  EXPECT_EQ(phy.mdio_read(kSts) & (1u << 7), 1u << 7);  // MIIINT
  // Status bits are set whether enabled or not (ANC here); the read clears them and the output.
  EXPECT_EQ(phy.mdio_read(kMisr1), kMisrLinkStat | kMisrAnc | kLinkStatEn);
  EXPECT_FALSE(phy.irq().level());
  EXPECT_EQ(phy.mdio_read(kMisr1), kLinkStatEn);
  // Link loss raises it again at once.
  phy.set_link(false);
  EXPECT_TRUE(phy.irq().level());
  EXPECT_EQ(phy.mdio_read(kMisr1), kMisrLinkStat | kLinkStatEn);
  EXPECT_FALSE(phy.irq().level());
}

TEST_F(EphyTest, NoInterruptOutputWithoutIntEnOrEnable) {
  phy.mdio_write(kMisr1, kLinkStatEn);  // SCR.INTEN = 0
  phy.set_link(true);
  run_for(kAn);
  EXPECT_FALSE(phy.irq().level());
  EXPECT_EQ(phy.mdio_read(kMisr1) & kMisrLinkStat, kMisrLinkStat);
  // INTEN set but only ANC enabled and pending: ANC interrupt.
  phy.mdio_write(kScr, kIntEn);
  phy.mdio_write(kMisr1, kAncEn);
  phy.set_link(false);
  EXPECT_FALSE(phy.irq().level());  // link-down status is not enabled
  phy.set_link(true);
  run_for(kAn);
  EXPECT_TRUE(phy.irq().level());
}

TEST_F(EphyTest, MiiResetIsSelfClearingAndRestoresDefaults) {
  phy.mdio_write(kAnar, 0x0061);
  phy.mdio_write(kMisr1, 0x00FF);
  phy.mdio_write(kBmcr, 0x8000);
  EXPECT_EQ(phy.mdio_read(kBmcr), 0x3100);
  EXPECT_EQ(phy.mdio_read(kAnar), 0x01E1);
  EXPECT_EQ(phy.mdio_read(kMisr1), 0);
}

TEST_F(EphyTest, RcrSoftwareResetRestoresDefaults) {
  phy.mdio_write(kScr, kIntEn);
  phy.mdio_write(kRcr, 0x8000);
  EXPECT_EQ(phy.mdio_read(kScr), 0);
  EXPECT_EQ(phy.mdio_read(kRcr), 0);
}

TEST_F(EphyTest, RestartAutoNegotiationDropsLinkAndSelfClears) {
  phy.set_link(true);
  run_for(kAn);
  ASSERT_TRUE(phy.link_up());
  phy.mdio_write(kBmcr, 0x3100 | (1u << 9));
  EXPECT_EQ(phy.mdio_read(kBmcr), 0x3100);
  EXPECT_FALSE(phy.link_up());
  EXPECT_EQ(phy.mdio_read(kSts), 0);
  run_for(kAn);
  EXPECT_TRUE(phy.link_up());
}

TEST_F(EphyTest, AutoNegotiationResolvesBestCommonMode) {
  phy.mdio_write(kAnar, 0x0041);  // advertise 10 Mb/s full duplex only
  phy.set_link(true);
  run_for(kAn);
  EXPECT_EQ(phy.mdio_read(kSts), kStsLink | kStsSpeed10 | kStsDuplex | kStsAns);
  // A partner limited to 100 half against our 10 full: no common mode, no link.
  phy.set_link(false);
  phy.set_link_partner(0x4081);
  phy.set_link(true);
  run_for(kAn);
  EXPECT_FALSE(phy.link_up());
}

TEST_F(EphyTest, ForcedModeLinksAfterShortDelayWithBmcrSpeed) {
  phy.mdio_write(kBmcr, 0x0000);  // ANEN 0, 10 Mb/s, half duplex
  phy.set_link(true);
  run_for(Ephy::kForcedLinkDelay - 1);
  EXPECT_FALSE(phy.link_up());
  run_for(1);
  EXPECT_TRUE(phy.link_up());
  EXPECT_EQ(phy.mdio_read(kSts), kStsLink | kStsSpeed10);
  EXPECT_EQ(phy.mdio_read(kBmsr) & kAnc, 0);
}

TEST_F(EphyTest, ResetKeepsTheCableAndRenegotiates) {
  phy.set_link(true);
  run_for(kAn);
  phy.reset();
  EXPECT_FALSE(phy.link_up());
  EXPECT_TRUE(phy.cable_connected());
  run_for(kAn);
  EXPECT_TRUE(phy.link_up());
}

TEST_F(EphyTest, UnknownRegistersReadZero) {
  EXPECT_EQ(phy.mdio_read(0x1A), 0);
  phy.mdio_write(0x1A, 0xFFFF);
  EXPECT_EQ(phy.mdio_read(0x1A), 0);
  EXPECT_EQ(phy.mdio_read(kMisr2), 0);
}

}  // namespace
}  // namespace k7sim
