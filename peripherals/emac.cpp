#include "peripherals/emac.h"

#include <algorithm>
#include <array>

#include "emulator/log.h"

namespace k7sim {
namespace {

using u128 = unsigned __int128;

// ---- fields -------------------------------------------------------------------------------------
constexpr std::uint32_t kCfgIfgShift = 17;
constexpr std::uint32_t kCfgIfgMask = 7u << kCfgIfgShift;
constexpr std::uint32_t kFltMask = 0x800107FF;          // PR..HPF, VTFE, RA
constexpr std::uint32_t kDmaImMask = 0x0001E7FF;        // TI..ETI, FBI, ERI, AIE, NIE
constexpr std::uint32_t kDmaRisW1c = 0x0001E7FF;        // status bits software can clear
constexpr std::uint32_t kTdesCtrlKeep = 0x7FFC0000;     // TX DES0 control bits kept at write-back
constexpr std::uint32_t kBufLenMask = 0x1FFF;
constexpr std::size_t kMinFrame = 60;                   // without FCS
constexpr std::size_t kMaxTxDescsPerFrame = 1024;       // guard against a ring of FS-less buffers

// MDC divider for MIIADDR.CR (TM4C: 0 = /42, 1 = /62, 2 = /16, 3 = /26; 4, 5 as on the Synopsys
// core /102, /124; 8..15 the core's fast range /4../18; 6, 7 reserved -> /42).
constexpr std::array<unsigned, 16> kMdcDivider = {42, 62, 16, 26, 102, 124, 42, 42, 4, 6, 8, 10, 12, 14, 16, 18};

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto kCrcTable = make_crc_table();

std::uint32_t bit_reverse32(std::uint32_t v) {
  std::uint32_t r = 0;
  for (int i = 0; i < 32; ++i) {
    r = (r << 1) | (v & 1);
    v >>= 1;
  }
  return r;
}

// Ticks for `bits` bit times of `ns_per_bit` ns each, rounded up to a whole tick.
Cycles bits_to_ticks(std::uint64_t bits, std::uint64_t ns_per_bit) {
  const std::uint64_t num = bits * ns_per_bit * (kTickHz / 1'000'000);  // tick-ns
  return (num + 999) / 1000;
}

}  // namespace

std::uint32_t ethernet_crc32(const std::uint8_t* data, std::size_t len) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < len; ++i) c = kCrcTable[(c ^ data[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

unsigned Emac::hash_index(const std::uint8_t mac[6]) { return bit_reverse32(ethernet_crc32(mac, 6)) >> 26; }

// ---- construction and registers -----------------------------------------------------------------

Emac::Emac(EventQueue& events, DmaBus bus, Ephy& phy, std::string name)
    : name_(std::move(name)), events_(events), bus_(std::move(bus)), phy_(phy), bank_(name_), irq_(name_ + ".irq") {
  define_registers();
  phy_.irq().on_change([this](bool level) {
    if (level) ephy_ris_ = true;
    update_irq();
  });
  reset();
}

std::uint32_t Emac::reg(std::uint32_t offset) const {
  const Register* r = const_cast<RegisterBank&>(bank_).find(offset);
  return r ? r->value() : 0;
}
void Emac::set_reg(std::uint32_t offset, std::uint32_t v) { bank_.at(offset).set(v); }

void Emac::define_registers() {
  // MAC
  bank_.define({"CFG", kCfg, kCfgReset}).on_write([this](std::uint32_t v) { write_cfg(v); });
  bank_.define({"FRAMEFLTR", kFrameFltr, 0}).mask(kFltMask);
  bank_.define({"HASHTBLH", kHashTblH, 0});
  bank_.define({"HASHTBLL", kHashTblL, 0});
  bank_.define({"MIIADDR", kMiiAddr, 0}).on_write([this](std::uint32_t v) { write_miiaddr(v); });
  bank_.define({"MIIDATA", kMiiData, 0}).on_write([this](std::uint32_t v) {
    if (reg(kMiiAddr) & kMiiB) return;  // the shift register is busy: ignored
    set_reg(kMiiData, v & 0xFFFF);
  });
  bank_.define({"FLOWCTL", kFlowCtl, 0}).mask(0xFFFF00BF);  // stored; pause frames not modelled
  bank_.define({"VERSION", kVersion, kVersionValue}).read_only();
  bank_.define({"IM", kMacIm, 0}).mask(0x608);               // stored; MAC-level interrupts not modelled
  bank_.define({"ADDR0H", kAddr0H, kAddr0HReset}).on_write([this](std::uint32_t v) {
    set_reg(kAddr0H, 0x80000000u | (v & 0xFFFF));  // AE of address 0 is always 1
  });
  bank_.define({"ADDR0L", kAddr0L, kAddr0LReset}).on_write([this](std::uint32_t v) {
    set_reg(kAddr0L, v);
    addr_hi_active_ = reg(kAddr0H);  // the L write latches the whole address into the filter
    addr_lo_active_ = v;
  });
  // DMA
  bank_.define({"DMABUSMOD", kDmaBusMod, kDmaBusModReset}).on_write([this](std::uint32_t v) { write_busmod(v); });
  bank_.define({"TXPOLLD", kTxPollD, 0}).on_read([] { return 0u; }).on_write([this](std::uint32_t) {
    if (tx_phase_ == TxPhase::Suspended) {
      tx_phase_ = TxPhase::Running;
      tx_process();
    }
  });
  bank_.define({"RXPOLLD", kRxPollD, 0}).on_read([] { return 0u; }).on_write([this](std::uint32_t) {
    if (rx_phase_ == RxPhase::Suspended) rx_fetch();
  });
  bank_.define({"RXDLADDR", kRxDlAddr, 0}).on_write([this](std::uint32_t v) {
    set_reg(kRxDlAddr, v & ~3u);
    rx_cur_ = v & ~3u;
  });
  bank_.define({"TXDLADDR", kTxDlAddr, 0}).on_write([this](std::uint32_t v) {
    set_reg(kTxDlAddr, v & ~3u);
    tx_cur_ = v & ~3u;
  });
  bank_.define({"DMARIS", kDmaRis, 0}).on_read([this] { return read_dmaris(); }).on_write([this](std::uint32_t v) {
    write_dmaris(v);
  });
  bank_.define({"DMAOPMODE", kDmaOpMode, 0}).on_write([this](std::uint32_t v) { write_opmode(v); });
  bank_.define({"DMAIM", kDmaIm, 0}).on_write([this](std::uint32_t v) {
    set_reg(kDmaIm, v & kDmaImMask);
    update_summary();
    update_irq();
  });
  // Missed frames: MISFRMCNT [15:0] (no descriptor), MISCNTOVF b16; cleared by the read.
  bank_.define({"MFBOC", kMfBoc, 0}).read_only().on_read([this] {
    const std::uint32_t v = (mfboc_missed_ & 0xFFFF) | (mfboc_overflow_ ? 1u << 16 : 0);
    mfboc_missed_ = 0;
    mfboc_overflow_ = false;
    return v;
  });
  bank_.define({"HOSTXDESC", kHosTxDesc, 0}).read_only().on_read([this] { return tx_cur_; });
  bank_.define({"HOSRXDESC", kHosRxDesc, 0}).read_only().on_read([this] { return rx_cur_; });
  bank_.define({"HOSTXBA", kHosTxBa, 0}).read_only();
  bank_.define({"HOSRXBA", kHosRxBa, 0}).read_only();
  // TI wrapper registers
  bank_.define({"PP", kPp, kPpValue}).read_only();
  bank_.define({"PC", kPc, kPcReset});  // stored; the internal PHY's strap options are not modelled
  bank_.define({"CC", kCc, 0}).mask(0x00070000);
  bank_.define({"EPHYRIS", kEphyRis, 0}).read_only().on_read([this] { return ephy_ris_ ? 1u : 0u; });
  bank_.define({"EPHYIM", kEphyIm, 0}).on_write([this](std::uint32_t v) {
    set_reg(kEphyIm, v & 1);
    update_irq();
  });
  bank_.define({"EPHYMISC", kEphyMisc, 0})
      .on_read([this] { return (ephy_ris_ && (reg(kEphyIm) & 1)) ? 1u : 0u; })
      .on_write([this](std::uint32_t v) {
        if (v & 1) ephy_ris_ = phy_.irq().level();  // a still-asserted PHY output re-latches at once
        update_irq();
      });
}

std::uint32_t Emac::read(std::uint32_t offset, unsigned size) { return bank_.read(offset, size); }
void Emac::write(std::uint32_t offset, std::uint32_t value, unsigned size) { bank_.write(offset, value, size); }

void Emac::reset() {
  events_.cancel(swr_ev_);
  swr_ev_ = kNoEvent;
  bank_.reset();
  reset_core();
  ephy_ris_ = phy_.irq().level();
  update_irq();
}

void Emac::reset_core() {
  // Keep the TI wrapper registers (SWR resets the Synopsys core only); reset() resets them first.
  const std::uint32_t pc = reg(kPc), cc = reg(kCc), im = reg(kEphyIm);
  for (EventId* id : {&tx_start_ev_, &tx_end_ev_, &mdio_ev_}) {
    events_.cancel(*id);
    *id = kNoEvent;
  }
  bank_.reset();
  set_reg(kPc, pc);
  set_reg(kCc, cc);
  set_reg(kEphyIm, im);
  dmaris_ = 0;
  nis_latched_ = ais_latched_ = false;
  addr_hi_active_ = kAddr0HReset;
  addr_lo_active_ = kAddr0LReset;
  mfboc_missed_ = 0;
  mfboc_overflow_ = false;
  tx_phase_ = TxPhase::Stopped;
  tx_cur_ = 0;
  tx_frame_.clear();
  tx_descs_.clear();
  tx_line_free_ = events_.now();
  tx_stop_pending_ = false;
  rx_phase_ = RxPhase::Stopped;
  rx_cur_ = 0;
  update_irq();
}

// ---- status and interrupts ----------------------------------------------------------------------

std::uint32_t Emac::read_dmaris() const {
  std::uint32_t ts = kTsStopped;
  switch (tx_phase_) {
    case TxPhase::Stopped: ts = kTsStopped; break;
    case TxPhase::Running: ts = kTsFetching; break;
    case TxPhase::WaitTe: ts = kTsReading; break;
    case TxPhase::Suspended: ts = kTsSuspended; break;
    case TxPhase::Busy: ts = kTsWaitStatus; break;
  }
  std::uint32_t rs = kRsStopped;
  switch (rx_phase_) {
    case RxPhase::Stopped: rs = kRsStopped; break;
    case RxPhase::Running: rs = kRsWaiting; break;
    case RxPhase::Suspended: rs = kRsSuspended; break;
  }
  return dmaris_ | (nis_latched_ ? kNis : 0) | (ais_latched_ ? kAis : 0) | (rs << kRsShift) | (ts << kTsShift);
}

void Emac::write_dmaris(std::uint32_t v) {
  dmaris_ &= ~(v & kDmaRisW1c & ~(kNis | kAis));
  if (v & kFbi) dmaris_ &= ~(kEbTx | kEbRead | kEbDesc);
  if (v & kNis) nis_latched_ = false;
  if (v & kAis) ais_latched_ = false;
  update_summary();  // a summary bit whose enabled cause is still set stays set
  update_irq();
}

void Emac::set_status(std::uint32_t bits) {
  dmaris_ |= bits;
  update_summary();
  update_irq();
}

void Emac::update_summary() {
  const std::uint32_t enabled = dmaris_ & reg(kDmaIm);
  if (enabled & kNormalBits) nis_latched_ = true;
  if (enabled & kAbnormalBits) ais_latched_ = true;
}

void Emac::update_irq() {
  const std::uint32_t im = reg(kDmaIm);
  const bool dma = (nis_latched_ && (im & kNis)) || (ais_latched_ && (im & kAis));
  const bool phy = ephy_ris_ && (reg(kEphyIm) & 1);
  irq_.set(dma || phy);
}

void Emac::fatal_bus_error(bool tx, bool read, bool descriptor) {
  log_warning(name_ + ": " + (tx ? "TX" : "RX") + " DMA " + (descriptor ? "descriptor " : "buffer ") +
              (read ? "read" : "write") + " outside SRAM: fatal bus error, DMA engine stopped");
  dmaris_ &= ~(kEbTx | kEbRead | kEbDesc);
  dmaris_ |= (tx ? kEbTx : 0) | (read ? kEbRead : 0) | (descriptor ? kEbDesc : 0);
  if (tx) {
    events_.cancel(tx_start_ev_);
    events_.cancel(tx_end_ev_);
    tx_start_ev_ = tx_end_ev_ = kNoEvent;
    tx_phase_ = TxPhase::Stopped;
    tx_frame_.clear();
    tx_descs_.clear();
    tx_stop_pending_ = false;
  } else {
    rx_phase_ = RxPhase::Stopped;
  }
  set_status(kFbi);
}

// ---- MAC configuration and MDIO -----------------------------------------------------------------

void Emac::write_cfg(std::uint32_t v) {
  const std::uint32_t before = reg(kCfg);
  set_reg(kCfg, (v & ~kCfgPs) | kCfgPs);  // PS (MII port) is fixed on this part
  if (!(before & kCfgTe) && (v & kCfgTe) && tx_phase_ == TxPhase::WaitTe) {
    tx_phase_ = TxPhase::Running;
    tx_process();
  }
}

Cycles Emac::mdio_ticks(unsigned cr) const {
  const u128 sys_cycles = static_cast<u128>(kMdioFrameMdc) * kMdcDivider[cr & 0xF];
  return static_cast<Cycles>((sys_cycles * kTickHz + sysclk_hz_ - 1) / sysclk_hz_);
}

void Emac::write_miiaddr(std::uint32_t v) {
  if (reg(kMiiAddr) & kMiiB) return;  // a transaction is in progress: the write is ignored
  set_reg(kMiiAddr, v & 0xFFFF);
  if (!(v & kMiiB)) return;
  mdio_ev_ = events_.schedule_in(mdio_ticks((v >> 2) & 0xF), [this] {
    mdio_ev_ = kNoEvent;
    const std::uint32_t a = reg(kMiiAddr);
    const unsigned pla = (a >> 11) & 0x1F, mii_reg = (a >> 6) & 0x1F;
    if (a & kMiiW) {
      if (pla == 0) phy_.mdio_write(mii_reg, static_cast<std::uint16_t>(reg(kMiiData)));
    } else {
      // No PHY answers at other addresses: MDIO stays pulled up.
      set_reg(kMiiData, pla == 0 ? phy_.mdio_read(mii_reg) : 0xFFFF);
    }
    set_reg(kMiiAddr, a & ~kMiiB);
  });
}

// ---- DMA control --------------------------------------------------------------------------------

void Emac::write_busmod(std::uint32_t v) {
  if (v & kBusSwr) {
    events_.cancel(swr_ev_);
    reset_core();
    set_reg(kDmaBusMod, kDmaBusModReset | kBusSwr);
    swr_ev_ = events_.schedule_in(kSwrTicks, [this] {
      swr_ev_ = kNoEvent;
      set_reg(kDmaBusMod, reg(kDmaBusMod) & ~kBusSwr);
    });
    return;
  }
  set_reg(kDmaBusMod, (reg(kDmaBusMod) & kBusSwr) | (v & 0x0FFFFFFE));
}

void Emac::write_opmode(std::uint32_t v) {
  const std::uint32_t before = reg(kDmaOpMode);
  set_reg(kDmaOpMode, v & ~kOpFtf & 0x073FFFFE);  // FTF flushes at once (the FIFO is empty here)
  // RX
  if (!(before & kOpSr) && (v & kOpSr)) {
    if (rx_phase_ == RxPhase::Stopped) {
      rx_phase_ = RxPhase::Running;
      rx_fetch();
    }
  } else if ((before & kOpSr) && !(v & kOpSr)) {
    if (rx_phase_ != RxPhase::Stopped) {
      rx_phase_ = RxPhase::Stopped;
      set_status(kRps);
    }
  }
  // TX
  if (!(before & kOpSt) && (v & kOpSt)) {
    tx_stop_pending_ = false;
    if (tx_phase_ == TxPhase::Stopped) {
      tx_phase_ = TxPhase::Running;
      tx_process();
    }
  } else if ((before & kOpSt) && !(v & kOpSt)) {
    if (tx_phase_ == TxPhase::Busy) {
      tx_stop_pending_ = true;  // the frame on the wire completes first
    } else if (tx_phase_ != TxPhase::Stopped) {
      tx_stop();
    }
  }
}

unsigned Emac::desc_words() const { return (reg(kDmaBusMod) & kBusAtds) ? 8 : 4; }

std::uint32_t Emac::next_desc(std::uint32_t cur, bool end_of_ring, bool chained, std::uint32_t des3,
                              std::uint32_t base) const {
  if (end_of_ring) return base;
  if (chained) return des3 & ~3u;
  const std::uint32_t dsl = (reg(kDmaBusMod) >> 2) & 0x1F;
  return cur + desc_words() * 4 + dsl * 4;
}

bool Emac::read_word(std::uint32_t addr, std::uint32_t& v) {
  std::uint8_t b[4];
  if (!bus_.read || !bus_.read(addr, b, 4)) return false;
  v = std::uint32_t{b[0]} | std::uint32_t{b[1]} << 8 | std::uint32_t{b[2]} << 16 | std::uint32_t{b[3]} << 24;
  return true;
}

bool Emac::write_word(std::uint32_t addr, std::uint32_t v) {
  const std::uint8_t b[4] = {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
                             static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)};
  return bus_.write && bus_.write(addr, b, 4);
}

// ---- transmit -----------------------------------------------------------------------------------

void Emac::tx_stop() {
  tx_phase_ = TxPhase::Stopped;
  tx_stop_pending_ = false;
  tx_frame_.clear();
  tx_descs_.clear();
  set_status(kTps);
}

void Emac::tx_process() {
  if (tx_phase_ != TxPhase::Running) return;
  if (!(reg(kCfg) & kCfgTe)) {
    tx_phase_ = TxPhase::WaitTe;  // the DMA waits for the transmitter
    return;
  }
  const std::uint32_t base = reg(kTxDlAddr);
  for (;;) {
    std::uint32_t d[4];
    for (unsigned i = 0; i < 4; ++i) {
      if (!read_word(tx_cur_ + 4 * i, d[i])) {
        fatal_bus_error(true, true, true);
        return;
      }
    }
    if (!(d[0] & kOwn) || tx_descs_.size() >= kMaxTxDescsPerFrame) {
      if (tx_descs_.size() >= kMaxTxDescsPerFrame)
        log_warning(name_ + ": TX frame spans more than 1024 descriptors without LS; DMA suspended");
      tx_phase_ = TxPhase::Suspended;
      set_status(kTu);
      return;
    }
    const bool chained = (d[0] & kTdesTch) != 0;
    const std::uint32_t len1 = d[1] & kBufLenMask;
    const std::uint32_t len2 = chained ? 0 : (d[1] >> 16) & kBufLenMask;
    for (auto [addr, len] : {std::pair{d[2], len1}, std::pair{d[3], len2}}) {
      if (!len) continue;
      const std::size_t at = tx_frame_.size();
      tx_frame_.resize(at + len);
      if (!bus_.read || !bus_.read(addr, tx_frame_.data() + at, len)) {
        fatal_bus_error(true, true, false);
        return;
      }
      set_reg(kHosTxBa, addr + len);
    }
    tx_descs_.emplace_back(tx_cur_, d[0]);
    tx_cur_ = next_desc(tx_cur_, (d[0] & kTdesTer) != 0, chained, d[3], base);
    if (d[0] & kTdesLs) break;
  }
  tx_start_frame();
}

void Emac::tx_start_frame() {
  const std::uint32_t first = tx_descs_.front().second;
  std::vector<std::uint8_t> wire = tx_frame_;
  if (!(first & kTdesDp) && wire.size() < kMinFrame) {
    wire.resize(kMinFrame, 0);  // automatic padding; the CRC is added regardless of DC
  } else if ((first & kTdesDc) && wire.size() >= 4) {
    wire.resize(wire.size() - 4);  // software supplied the FCS: it goes on the wire as is
  }
  const std::uint64_t ns_per_bit = (reg(kCfg) & kCfgFes) ? 10 : 100;
  const std::uint64_t ifg_bits = 96 - 8 * ((reg(kCfg) & kCfgIfgMask) >> kCfgIfgShift);
  const std::uint64_t frame_bits = (8 + wire.size() + 4) * 8;
  tx_start_ = std::max(events_.now(), tx_line_free_);
  tx_end_ = tx_start_ + bits_to_ticks(frame_bits, ns_per_bit);
  tx_line_free_ = tx_start_ + bits_to_ticks(frame_bits + ifg_bits, ns_per_bit);
  tx_phase_ = TxPhase::Busy;
  auto deliver = [this, w = std::move(wire)] {
    tx_start_ev_ = kNoEvent;
    ++stats_.tx_frames;
    if (port_) port_->transmit(w, tx_start_, tx_end_);
  };
  if (tx_start_ == events_.now()) {
    deliver();
  } else {
    tx_start_ev_ = events_.schedule_at(tx_start_, std::move(deliver));
  }
  tx_end_ev_ = events_.schedule_at(tx_end_, [this] {
    tx_end_ev_ = kNoEvent;
    tx_end_frame();
  });
}

Cycles Emac::frame_ticks(std::size_t len) const {
  const std::uint64_t ns_per_bit = (reg(kCfg) & kCfgFes) ? 10 : 100;
  return bits_to_ticks((8 + std::max(len, kMinFrame) + 4) * 8, ns_per_bit);
}

void Emac::tx_end_frame() {
  // Close the frame's descriptors: OWN back to the host; the status (no error in this model) goes
  // into the last one.
  bool ic = false;
  for (std::size_t i = 0; i < tx_descs_.size(); ++i) {
    const auto [addr, d0] = tx_descs_[i];
    if (!write_word(addr, d0 & kTdesCtrlKeep)) {
      fatal_bus_error(true, false, true);
      return;
    }
    if (i + 1 == tx_descs_.size()) ic = (d0 & kTdesIc) != 0;
  }
  tx_descs_.clear();
  tx_frame_.clear();
  tx_phase_ = TxPhase::Running;
  if (ic) set_status(kTi);
  if (tx_stop_pending_) {
    tx_stop();
    return;
  }
  tx_process();
}

// ---- receive ------------------------------------------------------------------------------------

bool Emac::rx_fetch() {
  std::uint32_t d0 = 0;
  if (!read_word(rx_cur_, d0)) {
    fatal_bus_error(false, true, true);
    return false;
  }
  if (d0 & kOwn) {
    rx_phase_ = RxPhase::Running;
    return true;
  }
  rx_phase_ = RxPhase::Suspended;
  set_status(kRu);
  return false;
}

void Emac::count_missed() {
  ++stats_.rx_missed;
  if (mfboc_missed_ == 0xFFFF) mfboc_overflow_ = true;  // MISFRMCNT saturates, MISCNTOVF sticks
  else ++mfboc_missed_;
}

bool Emac::address_filter(const std::vector<std::uint8_t>& f) const {
  const std::uint32_t flt = reg(kFrameFltr);
  if (flt & (kFltRa | kFltPr)) return true;
  if (f.size() < 6) return false;
  const bool bcast = std::all_of(f.begin(), f.begin() + 6, [](std::uint8_t b) { return b == 0xFF; });
  if (bcast) return !(flt & kFltDbf);
  const std::uint8_t own[6] = {
      static_cast<std::uint8_t>(addr_lo_active_), static_cast<std::uint8_t>(addr_lo_active_ >> 8),
      static_cast<std::uint8_t>(addr_lo_active_ >> 16), static_cast<std::uint8_t>(addr_lo_active_ >> 24),
      static_cast<std::uint8_t>(addr_hi_active_), static_cast<std::uint8_t>(addr_hi_active_ >> 8)};
  const bool perfect = std::equal(own, own + 6, f.begin());
  const unsigned h = hash_index(f.data());
  const std::uint32_t table = (h & 0x20) ? reg(kHashTblH) : reg(kHashTblL);
  const bool hash = ((table >> (h & 0x1F)) & 1) != 0;
  const bool multicast = (f[0] & 1) != 0;
  if (multicast && (flt & kFltPm)) return true;
  const bool use_hash = (flt & (multicast ? kFltHmc : kFltHuc)) != 0;
  bool pass = use_hash ? (hash || ((flt & kFltHpf) && perfect)) : perfect;
  if (flt & kFltDaif) pass = !pass;
  return pass;
}

bool Emac::receive_frame(const std::vector<std::uint8_t>& frame) {
  if (!(reg(kCfg) & kCfgRe)) {
    ++stats_.rx_not_ready;
    return false;
  }
  if (!address_filter(frame)) {
    ++stats_.rx_filtered;
    return false;
  }
  if (rx_phase_ == RxPhase::Stopped) {
    ++stats_.rx_not_ready;
    return false;
  }
  // A suspended receive DMA looks at its descriptor again when a frame arrives.
  if (rx_phase_ == RxPhase::Suspended && !rx_fetch()) {
    if (rx_phase_ == RxPhase::Suspended) {
      count_missed();
    } else {
      ++stats_.rx_not_ready;  // the fetch hit a bus error
    }
    return false;
  }

  std::vector<std::uint8_t> data = frame;
  const std::uint32_t fcs = ethernet_crc32(frame.data(), frame.size());
  for (int i = 0; i < 4; ++i) data.push_back(static_cast<std::uint8_t>(fcs >> (8 * i)));
  const std::uint32_t fl = static_cast<std::uint32_t>(data.size()) & 0x3FFF;
  const bool type_frame = frame.size() >= 14 && ((frame[12] << 8) | frame[13]) >= 0x0600;

  const std::uint32_t base = reg(kRxDlAddr);
  std::size_t off = 0;
  bool first = true;
  std::uint32_t prev = 0, prev_d1 = 0;
  bool prev_first = false;
  for (;;) {
    std::uint32_t d[4];
    for (unsigned i = 0; i < 4; ++i) {
      if (!read_word(rx_cur_ + 4 * i, d[i])) {
        fatal_bus_error(false, true, true);
        return false;
      }
    }
    if (!(d[0] & kOwn)) {
      // Out of descriptors mid-frame: the previous one is closed as the last with DE (descriptor
      // error, frame truncated) and ES; FL holds what was stored. RU, and the DMA suspends.
      if (!first) {
        ++stats_.rx_truncated;
        const std::uint32_t st = (prev_first ? kRdesFs : 0) | kRdesLs | kRdesDe | kRdesEs |
                                 ((static_cast<std::uint32_t>(off) & 0x3FFF) << kRdesFlShift);
        if (!write_word(prev, st)) {
          fatal_bus_error(false, false, true);
          return false;
        }
        if (!(prev_d1 & kRdesDic)) dmaris_ |= kRi;
      } else {  // the host took the descriptor back after the look-ahead: nothing stored
        count_missed();
      }
      rx_phase_ = RxPhase::Suspended;
      set_status(kRu);
      return false;
    }
    const bool chained = (d[1] & kRdesRch) != 0;
    const std::size_t cap1 = d[1] & kBufLenMask;
    const std::size_t cap2 = chained ? 0 : (d[1] >> 16) & kBufLenMask;
    const bool was_first = first;
    for (auto [addr, cap] : {std::pair{d[2], cap1}, std::pair{d[3], cap2}}) {
      const std::size_t n = std::min(cap, data.size() - off);
      if (!n) continue;
      if (!bus_.write || !bus_.write(addr, data.data() + off, n)) {
        fatal_bus_error(false, false, false);
        return false;
      }
      set_reg(kHosRxBa, addr + static_cast<std::uint32_t>(n));
      off += n;
    }
    const std::uint32_t next = next_desc(rx_cur_, (d[1] & kRdesRer) != 0, chained, d[3], base);
    if (off == data.size()) {
      const std::uint32_t st = (was_first ? kRdesFs : 0) | kRdesLs | (fl << kRdesFlShift) | (type_frame ? kRdesFt : 0);
      if (!write_word(rx_cur_, st)) {
        fatal_bus_error(false, false, true);
        return false;
      }
      rx_cur_ = next;
      ++stats_.rx_frames;
      if (!(d[1] & kRdesDic)) set_status(kRi);
      rx_fetch();  // look ahead: no owned descriptor -> RU now
      return true;
    }
    if (!write_word(rx_cur_, was_first ? kRdesFs : 0)) {
      fatal_bus_error(false, false, true);
      return false;
    }
    first = false;
    prev = rx_cur_;
    prev_d1 = d[1];
    prev_first = was_first;
    rx_cur_ = next;
  }
}

}  // namespace k7sim
