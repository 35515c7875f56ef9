// TM4C1294 Ethernet controller EMAC0 (0x400E_C000): the Synopsys DWC MAC with its DMA, as in
// tm4c1294-facts.md section 8. Frames leave through an EthernetPort (ethernet_port.h) and arrive
// through receive_frame(); the internal PHY (Ephy) sits on the MAC's MDIO bus.
//
// DMA: descriptors and buffers are read and written through a DmaBus the board restricts to SRAM;
// an access the bus refuses is a fatal bus error (DMARIS.FBI + EB bits) and stops that DMA engine,
// as on the silicon. Both descriptor sizes (4 words; 8 words with DMABUSMOD.ATDS), ring (TER/RER,
// DSL skip) and chained (TCH/RCH) lists, OWN hand-off, TU/RU suspend and poll-demand resume.
//
// Timing (virtual, deterministic): a TX frame is fetched from memory at once when the DMA meets it,
// goes on the wire at max(now, end of the previous frame + IFG) and takes (8 + length + 4) * 8 bit
// times (10 ns at 100 Mb/s, CFG.FES = 1; 100 ns otherwise). Its descriptors are closed (OWN cleared,
// TI) at the tick its last bit leaves. A received frame is written to memory at the tick it arrived.
// An MDIO transaction keeps MIIADDR.MIIB set for 64 MDC cycles (MDC = sysclk / divider(CR)).
//
// The board connects: irq() -> NVIC IRQ 40 (vector 56), attach_port() -> the network side,
// receive_frame() <- the network side, set_sysclk_hz() <- SysCtl::on_sysclk_change, reset() <-
// SYSCTL SREMAC and system reset. The PHY (passed to the constructor) is the EMAC's MDIO peer and
// its interrupt output feeds EPHYRIS.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "emulator/event_queue.h"
#include "emulator/line.h"
#include "emulator/mmio.h"
#include "emulator/register_bank.h"
#include "peripherals/ephy.h"
#include "peripherals/ethernet_port.h"

namespace k7sim {

// Bus-master access for the EMAC's DMA. The board backs it with SRAM only
// (0x2000_0000-0x2003_FFFF); an access (partly) outside returns false and moves nothing.
struct DmaBus {
  std::function<bool(std::uint32_t addr, void* out, std::size_t len)> read;
  std::function<bool(std::uint32_t addr, const void* data, std::size_t len)> write;
};

class Emac : public MmioDevice {
 public:
  static constexpr std::uint32_t kBase = 0x400EC000;
  static constexpr unsigned kIrq = 40;  // vector 56

  // Register offsets (the tests and the board use the same names).
  static constexpr std::uint32_t kCfg = 0x000, kFrameFltr = 0x004, kHashTblH = 0x008, kHashTblL = 0x00C,
                                 kMiiAddr = 0x010, kMiiData = 0x014, kFlowCtl = 0x018, kVersion = 0x020,
                                 kMacIm = 0x03C, kAddr0H = 0x040, kAddr0L = 0x044;
  static constexpr std::uint32_t kDmaBusMod = 0xC00, kTxPollD = 0xC04, kRxPollD = 0xC08, kRxDlAddr = 0xC0C,
                                 kTxDlAddr = 0xC10, kDmaRis = 0xC14, kDmaOpMode = 0xC18, kDmaIm = 0xC1C,
                                 kMfBoc = 0xC20, kHosTxDesc = 0xC48, kHosRxDesc = 0xC4C, kHosTxBa = 0xC50,
                                 kHosRxBa = 0xC54;
  static constexpr std::uint32_t kPp = 0xFC0, kPc = 0xFC4, kCc = 0xFC8, kEphyRis = 0xFD0, kEphyIm = 0xFD4,
                                 kEphyMisc = 0xFD8;

  // CFG
  static constexpr std::uint32_t kCfgRe = 1u << 2, kCfgTe = 1u << 3, kCfgFes = 1u << 14, kCfgPs = 1u << 15;
  // FRAMEFLTR
  static constexpr std::uint32_t kFltPr = 1u << 0, kFltHuc = 1u << 1, kFltHmc = 1u << 2, kFltDaif = 1u << 3,
                                 kFltPm = 1u << 4, kFltDbf = 1u << 5, kFltHpf = 1u << 10, kFltRa = 1u << 31;
  // MIIADDR
  static constexpr std::uint32_t kMiiB = 1u << 0, kMiiW = 1u << 1;
  // DMABUSMOD
  static constexpr std::uint32_t kBusSwr = 1u << 0, kBusAtds = 1u << 7;
  // DMAOPMODE
  static constexpr std::uint32_t kOpSr = 1u << 1, kOpSt = 1u << 13, kOpFtf = 1u << 20;
  // DMARIS / DMAIM
  static constexpr std::uint32_t kTi = 1u << 0, kTps = 1u << 1, kTu = 1u << 2, kTjt = 1u << 3, kOvf = 1u << 4,
                                 kUnf = 1u << 5, kRi = 1u << 6, kRu = 1u << 7, kRps = 1u << 8, kRwt = 1u << 9,
                                 kEti = 1u << 10, kFbi = 1u << 13, kEri = 1u << 14, kAis = 1u << 15,
                                 kNis = 1u << 16;
  static constexpr std::uint32_t kNormalBits = kTi | kTu | kRi | kEri;
  static constexpr std::uint32_t kAbnormalBits = kTps | kTjt | kOvf | kUnf | kRu | kRps | kRwt | kEti | kFbi;
  // DMARIS error bits (valid with FBI): 1 = TX DMA / read / descriptor access.
  static constexpr std::uint32_t kEbTx = 1u << 23, kEbRead = 1u << 24, kEbDesc = 1u << 25;
  static constexpr unsigned kRsShift = 17, kTsShift = 20;
  // Process states (DMARIS RS / TS).
  static constexpr std::uint32_t kTsStopped = 0, kTsFetching = 1, kTsWaitStatus = 2, kTsReading = 3,
                                 kTsSuspended = 6, kTsClosing = 7;
  static constexpr std::uint32_t kRsStopped = 0, kRsFetching = 1, kRsWaiting = 3, kRsSuspended = 4,
                                 kRsClosing = 5, kRsTransferring = 7;

  // Descriptor bits. TX DES0
  static constexpr std::uint32_t kOwn = 1u << 31, kTdesIc = 1u << 30, kTdesLs = 1u << 29, kTdesFs = 1u << 28,
                                 kTdesDc = 1u << 27, kTdesDp = 1u << 26, kTdesTer = 1u << 21,
                                 kTdesTch = 1u << 20, kTdesEs = 1u << 15;
  // RX DES0
  static constexpr std::uint32_t kRdesEs = 1u << 15, kRdesDe = 1u << 14, kRdesFs = 1u << 9, kRdesLs = 1u << 8,
                                 kRdesFt = 1u << 5;
  static constexpr unsigned kRdesFlShift = 16;
  // RX DES1
  static constexpr std::uint32_t kRdesDic = 1u << 31, kRdesRer = 1u << 15, kRdesRch = 1u << 14;

  // Reset values of the registers that are not zero.
  static constexpr std::uint32_t kCfgReset = kCfgPs;            // 0x0000_8000
  static constexpr std::uint32_t kAddr0HReset = 0x8000FFFF;     // AE reads 1
  static constexpr std::uint32_t kAddr0LReset = 0xFFFFFFFF;
  static constexpr std::uint32_t kDmaBusModReset = 0x00020100;  // PBL 1, RPBL 1
  static constexpr std::uint32_t kVersionValue = 0x00001037;
  static constexpr std::uint32_t kPpValue = 0x00000103;         // MACTYPE 1, PHYTYPE 3 (internal)
  static constexpr std::uint32_t kPcReset = 0x0080040E;

  // Timing.
  static constexpr Cycles kSwrTicks = ticks_from_us(1);  // DMABUSMOD.SWR reads 1 this long
  static constexpr unsigned kMdioFrameMdc = 64;          // 32 preamble + 32 frame bits

  // Counters for the harness (not registers).
  struct Stats {
    std::uint64_t tx_frames = 0;
    std::uint64_t rx_frames = 0;        // delivered into descriptors
    std::uint64_t rx_filtered = 0;      // dropped by the address filter
    std::uint64_t rx_missed = 0;        // dropped: no descriptor owned by the DMA (MFBOC)
    std::uint64_t rx_truncated = 0;     // cut short: ran out of descriptors mid-frame (DE)
    std::uint64_t rx_not_ready = 0;     // dropped: RE = 0, RX DMA stopped or failed
  };

  Emac(EventQueue& events, DmaBus bus, Ephy& phy, std::string name = "EMAC0");

  const std::string& name() const override { return name_; }
  std::uint32_t read(std::uint32_t offset, unsigned size) override;
  void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
  // SYSCTL SREMAC or system reset: every register to its reset value, DMA stopped, pending
  // transmission, MDIO transaction and SWR cancelled. The PHY is reset separately (SREPHY).
  void reset() override;

  // The network side. Frames go out through `port` (may be null: frames are then only counted).
  void attach_port(EthernetPort* port) { port_ = port; }
  // A frame (no FCS) whose last bit arrived now. Returns true when it was written to memory.
  bool receive_frame(const std::vector<std::uint8_t>& frame);

  void set_sysclk_hz(std::uint64_t hz) { sysclk_hz_ = hz ? hz : 1; }
  // MIIB busy time of one MDIO transaction for a CR value at the current system clock.
  Cycles mdio_ticks(unsigned cr) const;
  // Wire time (preamble .. FCS, no IFG) of a frame of `len` bytes without FCS at the current speed.
  Cycles frame_ticks(std::size_t len) const;

  // Synopsys hash-filter index of a destination MAC: the 6 most significant bits of the
  // bit-reversed FCS-style CRC-32 of the 6 address bytes. Bit 5 picks HASHTBLH (1) / HASHTBLL (0),
  // bits [4:0] the bit in it.
  static unsigned hash_index(const std::uint8_t mac[6]);

  Line& irq() { return irq_; }
  const Stats& stats() const { return stats_; }
  bool tx_busy() const { return tx_phase_ == TxPhase::Busy; }

 private:
  enum class TxPhase { Stopped, Running, WaitTe, Suspended, Busy };
  enum class RxPhase { Stopped, Running, Suspended };

  void define_registers();
  std::uint32_t reg(std::uint32_t offset) const;
  void set_reg(std::uint32_t offset, std::uint32_t v);
  void reset_core();  // the Synopsys core (SWR): offsets below 0xFC0

  // Status and interrupts.
  void set_status(std::uint32_t bits);
  std::uint32_t read_dmaris() const;
  void write_dmaris(std::uint32_t v);
  void update_summary();
  void update_irq();
  void fatal_bus_error(bool tx, bool read, bool descriptor);

  // Registers with behaviour.
  void write_cfg(std::uint32_t v);
  void write_miiaddr(std::uint32_t v);
  void write_busmod(std::uint32_t v);
  void write_opmode(std::uint32_t v);

  // Descriptors.
  unsigned desc_words() const;
  std::uint32_t next_desc(std::uint32_t cur, bool end_of_ring, bool chained, std::uint32_t des3,
                          std::uint32_t base) const;
  bool read_word(std::uint32_t addr, std::uint32_t& v);
  bool write_word(std::uint32_t addr, std::uint32_t v);

  // TX.
  void tx_process();
  void tx_start_frame();
  void tx_end_frame();
  void tx_stop();

  // RX.
  bool rx_fetch();  // checks the current descriptor; true when owned (else RU + suspend)
  bool address_filter(const std::vector<std::uint8_t>& frame) const;
  void count_missed();  // a frame dropped for want of a descriptor (MFBOC, stats)

  std::string name_;
  EventQueue& events_;
  DmaBus bus_;
  Ephy& phy_;
  RegisterBank bank_;
  EthernetPort* port_ = nullptr;
  std::uint64_t sysclk_hz_ = 16'000'000;

  std::uint32_t dmaris_ = 0;  // status bits [16:0] and EB [25:23]; RS/TS come from the phases
  bool nis_latched_ = false, ais_latched_ = false;
  bool ephy_ris_ = false;
  // The address the filter uses: ADDR0H/ADDR0L as they were at the last ADDR0L write.
  std::uint32_t addr_hi_active_ = kAddr0HReset, addr_lo_active_ = kAddr0LReset;
  std::uint32_t mfboc_missed_ = 0;
  bool mfboc_overflow_ = false;

  // TX DMA
  TxPhase tx_phase_ = TxPhase::Stopped;
  std::uint32_t tx_cur_ = 0;
  std::vector<std::uint8_t> tx_frame_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> tx_descs_;  // address, DES0 as read
  Cycles tx_line_free_ = 0;
  bool tx_stop_pending_ = false;
  EventId tx_start_ev_ = kNoEvent, tx_end_ev_ = kNoEvent;
  Cycles tx_start_ = 0, tx_end_ = 0;

  // RX DMA
  RxPhase rx_phase_ = RxPhase::Stopped;
  std::uint32_t rx_cur_ = 0;

  // MDIO and SWR
  EventId mdio_ev_ = kNoEvent, swr_ev_ = kNoEvent;

  Stats stats_;
  Line irq_;
};

}  // namespace k7sim
