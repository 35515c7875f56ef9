// The TM4C1294's internal 10/100 Ethernet PHY (tm4c1294-facts.md section 8), reached only through
// the EMAC's MDIO bus at PHY address 0. It has no memory-mapped registers of its own: the EMAC's
// MIIADDR/MIIDATA transactions end in mdio_read()/mdio_write().
//
// The cable and the link partner are outside the chip: the board (scenario `link` step) calls
// set_link(up). With auto-negotiation enabled (BMCR.ANEN, the reset state) the link comes up
// autoneg_delay() after the cable is connected, resolved to the best mode both sides advertise
// (ANAR & ANLPAR; the partner advertises 10/100 half/full by default: 100 Mb/s full duplex). With
// ANEN = 0 the forced BMCR speed/duplex come up after kForcedLinkDelay. Link loss is immediate.
//
// Registers (16 bit, by MDIO register number): BMCR 0x00, BMSR 0x01 (LINKSTAT latch-low), ID1/ID2
// 0x02/0x03, ANAR 0x04, ANLPAR 0x05, STS 0x10, SCR 0x11, MISR1 0x12, MISR2 0x13, RCR 0x1F. Others
// read 0, ignore writes and are logged once. See docs/board.md.
//
// irq() is the PHY interrupt output: SCR.INTEN and any MISR1/MISR2 status bit whose enable is set.
// Status bits are set by their event whether or not enabled, and clear when the MISR is read.
#pragma once
#include <array>
#include <cstdint>
#include <set>

#include "emulator/event_queue.h"
#include "emulator/line.h"

namespace k7sim {

class Ephy {
 public:
  // Register numbers.
  static constexpr unsigned kBmcr = 0x00, kBmsr = 0x01, kId1 = 0x02, kId2 = 0x03, kAnar = 0x04, kAnlpar = 0x05,
                            kSts = 0x10, kScr = 0x11, kMisr1 = 0x12, kMisr2 = 0x13, kRcr = 0x1F;
  // BMCR
  static constexpr std::uint16_t kBmcrDuplex = 1u << 8, kBmcrRestartAn = 1u << 9, kBmcrAnEn = 1u << 12,
                                 kBmcrSpeed = 1u << 13, kBmcrMiiReset = 1u << 15;
  // BMSR
  static constexpr std::uint16_t kBmsrLinkStat = 1u << 2, kBmsrAnc = 1u << 5;
  static constexpr std::uint16_t kBmsrStatic = 0x7849;  // 100/10 full/half, MF preamble, AN able, ext
  // STS
  static constexpr std::uint16_t kStsLink = 1u << 0, kStsSpeed10 = 1u << 1, kStsDuplex = 1u << 2,
                                 kStsAns = 1u << 4, kStsMiiInt = 1u << 7;
  // SCR
  static constexpr std::uint16_t kScrIntEn = 1u << 1;
  // MISR1: enables in [7:0], the matching status 8 bits higher.
  static constexpr std::uint16_t kMisr1AncEn = 1u << 2, kMisr1DuplexEn = 1u << 3, kMisr1SpeedEn = 1u << 4,
                                 kMisr1LinkStatEn = 1u << 5;
  static constexpr std::uint16_t kMisr1Anc = 1u << 10, kMisr1Duplex = 1u << 11, kMisr1Speed = 1u << 12,
                                 kMisr1LinkStat = 1u << 13;
  // RCR
  static constexpr std::uint16_t kRcrSwRestart = 1u << 14, kRcrSwReset = 1u << 15;
  // ANAR/ANLPAR abilities
  static constexpr std::uint16_t kAnSelector = 0x0001, kAn10Half = 1u << 5, kAn10Full = 1u << 6,
                                 kAn100Half = 1u << 7, kAn100Full = 1u << 8, kAnAck = 1u << 14;
  static constexpr std::uint16_t kAnarReset = kAn100Full | kAn100Half | kAn10Full | kAn10Half | kAnSelector;
  static constexpr std::uint16_t kDefaultPartner = kAnarReset | kAnAck;

  static constexpr std::uint16_t kId1Value = 0x2000, kId2Value = 0xA221;

  static constexpr Cycles kDefaultAutonegDelay = ticks_from_ms(3);
  static constexpr Cycles kForcedLinkDelay = ticks_from_us(500);

  explicit Ephy(EventQueue& events);

  // MDIO register access (PHY address 0; the EMAC filters other addresses).
  std::uint16_t mdio_read(unsigned reg);
  void mdio_write(unsigned reg, std::uint16_t value);

  // The cable: true = a link partner is connected. Kept across reset().
  void set_link(bool up);
  // What the link partner advertises in auto-negotiation (ANLPAR once negotiated).
  void set_link_partner(std::uint16_t abilities) { partner_ = abilities; }
  void set_autoneg_delay(Cycles d) { autoneg_delay_ = d; }
  Cycles autoneg_delay() const { return autoneg_delay_; }

  bool cable_connected() const { return cable_; }
  bool link_up() const { return link_; }
  bool speed_100() const { return speed100_; }
  bool full_duplex() const { return full_duplex_; }

  // SYSCTL SREPHY or system reset: registers to their reset values, negotiation restarts if the
  // cable is connected (the link drops meanwhile).
  void reset();

  Line& irq() { return irq_; }
  // The link state as a line (the jack's link LED follows it), whatever the interrupt enables.
  Line& link() { return link_line_; }

 private:
  void soft_reset();       // registers to reset values + relink
  void take_link_down();   // link lost (events raised)
  void start_link();       // schedule link-up (AN or forced) if the cable is in
  void link_established();
  void raise(std::uint16_t misr1_status);
  void update_irq();

  EventQueue& events_;
  std::array<std::uint16_t, 32> regs_{};
  std::set<unsigned> unknown_;
  bool cable_ = false;
  bool link_ = false;
  bool link_latched_ = false;  // BMSR.LINKSTAT latch-low state
  bool anc_ = false;
  bool speed100_ = true;
  bool full_duplex_ = true;
  std::uint16_t partner_ = kDefaultPartner;
  Cycles autoneg_delay_ = kDefaultAutonegDelay;
  EventId link_ev_ = kNoEvent;
  Line irq_{"EPHY.irq"};
  Line link_line_{"EPHY.link"};
};

}  // namespace k7sim
