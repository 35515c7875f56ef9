#include "peripherals/ephy.h"

#include <string>

#include "emulator/log.h"

namespace k7sim {
namespace {

// The declared PHY registers: number, name, reset value, bits software can write. Everything the
// PHY computes (BMSR, STS, ANLPAR, MISR status) is produced on read.
struct PhyRegDef {
  unsigned reg;
  const char* name;
  std::uint16_t reset;
  std::uint16_t writable;
};

constexpr std::uint16_t kBmcrReset = Ephy::kBmcrSpeed | Ephy::kBmcrAnEn | Ephy::kBmcrDuplex;  // 0x3100

constexpr PhyRegDef kRegs[] = {
    {Ephy::kBmcr, "BMCR", kBmcrReset, 0x7D80},  // self-clearing MIIRESET/RESTARTAN handled on write
    {Ephy::kBmsr, "BMSR", Ephy::kBmsrStatic, 0},
    {Ephy::kId1, "ID1", Ephy::kId1Value, 0},
    {Ephy::kId2, "ID2", Ephy::kId2Value, 0},
    {Ephy::kAnar, "ANAR", Ephy::kAnarReset, 0x2DE1},  // selector, abilities, pause, RF
    {Ephy::kAnlpar, "ANLPAR", 0, 0},
    {Ephy::kSts, "STS", 0, 0},
    {Ephy::kScr, "SCR", 0, 0xFFFF},
    {Ephy::kMisr1, "MISR1", 0, 0x00FF},  // enables only; status is read-to-clear
    {Ephy::kMisr2, "MISR2", 0, 0x00FF},
    {Ephy::kRcr, "RCR", 0, 0},  // both bits self-clearing, handled on write
};

const PhyRegDef* find_reg(unsigned reg) {
  for (const auto& d : kRegs)
    if (d.reg == reg) return &d;
  return nullptr;
}

}  // namespace

Ephy::Ephy(EventQueue& events) : events_(events) { soft_reset(); }

void Ephy::reset() { soft_reset(); }

void Ephy::soft_reset() {
  events_.cancel(link_ev_);
  link_ev_ = kNoEvent;
  regs_.fill(0);
  for (const auto& d : kRegs) regs_[d.reg] = d.reset;
  link_ = false;
  link_line_.set(false);
  link_latched_ = false;
  anc_ = false;
  speed100_ = true;
  full_duplex_ = true;
  update_irq();
  start_link();
}

std::uint16_t Ephy::mdio_read(unsigned reg) {
  reg &= 0x1F;
  switch (reg) {
    case kBmsr: {
      std::uint16_t v = kBmsrStatic;
      if (anc_) v |= kBmsrAnc;
      if (link_latched_) v |= kBmsrLinkStat;
      link_latched_ = link_;  // latch-low: the read re-arms the latch with the current state
      return v;
    }
    case kAnlpar:
      return anc_ ? partner_ : 0;
    case kSts: {
      std::uint16_t v = 0;
      if (link_) {
        v |= kStsLink;
        if (!speed100_) v |= kStsSpeed10;
        if (full_duplex_) v |= kStsDuplex;
      }
      if (anc_) v |= kStsAns;
      if (irq_.level()) v |= kStsMiiInt;
      return v;
    }
    case kMisr1:
    case kMisr2: {
      const std::uint16_t v = regs_[reg];
      regs_[reg] &= 0x00FF;  // status bits clear on read
      update_irq();
      return v;
    }
    default:
      break;
  }
  if (!find_reg(reg)) {
    if (unknown_.insert(reg).second)
      log_warning("EPHY: read of unmodelled PHY register 0x" + hex32(reg).substr(6) + " (reads 0; logged once)");
    return 0;
  }
  return regs_[reg];
}

void Ephy::mdio_write(unsigned reg, std::uint16_t value) {
  reg &= 0x1F;
  const PhyRegDef* d = find_reg(reg);
  if (!d) {
    if (unknown_.insert(reg).second)
      log_warning("EPHY: write to unmodelled PHY register 0x" + hex32(reg).substr(6) + " (ignored; logged once)");
    return;
  }
  if (reg == kBmcr) {
    if (value & kBmcrMiiReset) {  // self-clearing: completes within the MDIO frame
      soft_reset();
      return;
    }
    const std::uint16_t before = regs_[kBmcr];
    regs_[kBmcr] = static_cast<std::uint16_t>((before & ~d->writable) | (value & d->writable));
    const std::uint16_t after = regs_[kBmcr];
    const bool relink = (value & kBmcrRestartAn) != 0 || ((before ^ after) & kBmcrAnEn) != 0 ||
                        (!(after & kBmcrAnEn) && ((before ^ after) & (kBmcrSpeed | kBmcrDuplex)) != 0);
    if (relink) {
      take_link_down();
      start_link();
    }
    return;
  }
  if (reg == kRcr) {
    if (value & kRcrSwReset) {
      soft_reset();
    } else if (value & kRcrSwRestart) {  // restart the PHY, keeping register contents
      take_link_down();
      start_link();
    }
    return;
  }
  regs_[reg] = static_cast<std::uint16_t>((regs_[reg] & ~d->writable) | (value & d->writable));
  update_irq();
}

void Ephy::set_link(bool up) {
  if (up == cable_) return;
  cable_ = up;
  if (up) {
    start_link();
  } else {
    take_link_down();
  }
}

void Ephy::take_link_down() {
  events_.cancel(link_ev_);
  link_ev_ = kNoEvent;
  const bool was_up = link_;
  link_ = false;
  link_line_.set(false);
  link_latched_ = false;
  anc_ = false;
  if (was_up) raise(kMisr1LinkStat);
}

void Ephy::start_link() {
  events_.cancel(link_ev_);
  link_ev_ = kNoEvent;
  if (!cable_ || link_) return;
  const Cycles delay = (regs_[kBmcr] & kBmcrAnEn) ? autoneg_delay_ : kForcedLinkDelay;
  link_ev_ = events_.schedule_in(delay, [this] {
    link_ev_ = kNoEvent;
    link_established();
  });
}

void Ephy::link_established() {
  const bool old_speed = speed100_, old_duplex = full_duplex_;
  std::uint16_t status = 0;
  if (regs_[kBmcr] & kBmcrAnEn) {
    const std::uint16_t common = regs_[kAnar] & partner_;
    anc_ = true;
    status |= kMisr1Anc;
    if (common & kAn100Full) {
      speed100_ = true, full_duplex_ = true;
    } else if (common & kAn100Half) {
      speed100_ = true, full_duplex_ = false;
    } else if (common & kAn10Full) {
      speed100_ = false, full_duplex_ = true;
    } else if (common & kAn10Half) {
      speed100_ = false, full_duplex_ = false;
    } else {
      raise(status);  // negotiation finished without a common mode: no link
      return;
    }
  } else {
    speed100_ = (regs_[kBmcr] & kBmcrSpeed) != 0;
    full_duplex_ = (regs_[kBmcr] & kBmcrDuplex) != 0;
  }
  link_ = true;
  link_line_.set(true);
  status |= kMisr1LinkStat;
  if (speed100_ != old_speed) status |= kMisr1Speed;
  if (full_duplex_ != old_duplex) status |= kMisr1Duplex;
  raise(status);
}

void Ephy::raise(std::uint16_t misr1_status) {
  regs_[kMisr1] |= misr1_status;
  update_irq();
}

void Ephy::update_irq() {
  auto pending = [this](unsigned r) { return ((regs_[r] >> 8) & regs_[r] & 0xFF) != 0; };
  irq_.set((regs_[kScr] & kScrIntEn) != 0 && (pending(kMisr1) || pending(kMisr2)));
}

}  // namespace k7sim
