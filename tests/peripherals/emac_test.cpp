// EMAC0 model (tm4c1294-facts.md section 8, Synopsys DWC MAC + DMA). The tests drive the model
// only through its registers, a fake SRAM behind the DmaBus and the EventQueue, and state every
// expected time as a number worked out from the wire rule in the comment next to it:
//   wire ticks = ceil(bits * 1.2) at 100 Mb/s (10 ns per bit, 120 ticks per us),
//   bits = (8 preamble+SFD + frame + 4 FCS) * 8, next frame no earlier than + 96 bit times (IFG).
#include "peripherals/emac.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

namespace k7sim {
namespace {

using E = Emac;
constexpr std::uint32_t kSram = 0x20000000, kSramSize = 0x40000;

struct Sent {
  std::vector<std::uint8_t> frame;
  Cycles start, end;
};

struct RecordingPort : EthernetPort {
  void transmit(const std::vector<std::uint8_t>& frame, Cycles start, Cycles end) override {
    sent.push_back({frame, start, end});
  }
  std::vector<Sent> sent;
};

// Independent bitwise CRC-32 (no table) for the expectations.
std::uint32_t crc32_bitwise(const std::uint8_t* p, std::size_t n) {
  std::uint32_t c = 0xFFFFFFFF;
  for (std::size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}

class EmacTest : public ::testing::Test {
 protected:
  EmacTest() : sram(kSramSize, 0) {
    DmaBus bus;
    bus.read = [this](std::uint32_t a, void* out, std::size_t n) {
      if (a < kSram || std::uint64_t{a} + n > std::uint64_t{kSram} + kSramSize) return false;
      std::memcpy(out, sram.data() + (a - kSram), n);
      return true;
    };
    bus.write = [this](std::uint32_t a, const void* in, std::size_t n) {
      if (a < kSram || std::uint64_t{a} + n > std::uint64_t{kSram} + kSramSize) return false;
      std::memcpy(sram.data() + (a - kSram), in, n);
      return true;
    };
    emac = std::make_unique<Emac>(events, bus, phy);
    emac->attach_port(&port);
    emac->set_sysclk_hz(120'000'000);
    events.advance_to(1000);
  }

  // Fire every event up to t in order (each at its own tick), then stand at t.
  void run_to(Cycles t) { events.run_until(t); }
  void run_for(Cycles d) { run_to(events.now() + d); }

  std::uint32_t rd(std::uint32_t off) { return emac->read(off, 4); }
  void wr(std::uint32_t off, std::uint32_t v) { emac->write(off, v, 4); }
  std::uint32_t m32(std::uint32_t a) {
    std::uint32_t v;
    std::memcpy(&v, sram.data() + (a - kSram), 4);
    return v;
  }
  void m32(std::uint32_t a, std::uint32_t v) { std::memcpy(sram.data() + (a - kSram), &v, 4); }
  void desc(std::uint32_t a, std::uint32_t d0, std::uint32_t d1, std::uint32_t d2, std::uint32_t d3) {
    m32(a, d0), m32(a + 4, d1), m32(a + 8, d2), m32(a + 12, d3);
  }
  std::vector<std::uint8_t> mem(std::uint32_t a, std::size_t n) {
    return {sram.begin() + (a - kSram), sram.begin() + (a - kSram) + n};
  }
  // A buffer of `n` bytes at `a` with a recognisable pattern (first byte `seed`).
  std::vector<std::uint8_t> fill(std::uint32_t a, std::size_t n, std::uint8_t seed) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(seed + i);
    std::memcpy(sram.data() + (a - kSram), v.data(), n);
    return v;
  }
  static std::vector<std::uint8_t> eth(const std::uint8_t dst[6], std::size_t len, std::uint16_t type = 0x0800) {
    std::vector<std::uint8_t> f(len, 0);
    std::memcpy(f.data(), dst, 6);
    const std::uint8_t src[6] = {0x02, 0, 0, 0, 0, 0x99};
    std::memcpy(f.data() + 6, src, 6);
    f[12] = static_cast<std::uint8_t>(type >> 8), f[13] = static_cast<std::uint8_t>(type);
    for (std::size_t i = 14; i < len; ++i) f[i] = static_cast<std::uint8_t>(i * 7);
    return f;
  }
  void set_mac() {
    wr(E::kAddr0H, 0x0000BBAA);  // bytes 4,5
    wr(E::kAddr0L, 0x44332210);  // bytes 0..3 (latches)
  }
  void start_tx(std::uint32_t list) {
    wr(E::kCfg, rd(E::kCfg) | E::kCfgTe | E::kCfgFes);
    wr(E::kTxDlAddr, list);
    wr(E::kDmaOpMode, rd(E::kDmaOpMode) | E::kOpSt);
  }
  void start_rx(std::uint32_t list) {
    set_mac();
    wr(E::kCfg, rd(E::kCfg) | E::kCfgRe | E::kCfgFes);
    wr(E::kRxDlAddr, list);
    wr(E::kDmaOpMode, rd(E::kDmaOpMode) | E::kOpSr);
  }
  std::uint32_t ts() { return (rd(E::kDmaRis) >> 20) & 7; }
  std::uint32_t rs() { return (rd(E::kDmaRis) >> 17) & 7; }

  static constexpr std::uint8_t kOwnMac[6] = {0x10, 0x22, 0x33, 0x44, 0xAA, 0xBB};
  static constexpr std::uint8_t kBcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

  std::vector<std::uint8_t> sram;
  EventQueue events;
  Ephy phy{events};
  RecordingPort port;
  std::unique_ptr<Emac> emac;
};

constexpr std::uint32_t kOwn = E::kOwn, kIc = E::kTdesIc, kLs = E::kTdesLs, kFs = E::kTdesFs,
                        kTer = E::kTdesTer, kTch = E::kTdesTch;
constexpr std::uint32_t kRls = E::kRdesLs, kRfs = E::kRdesFs;

// ---- reset values and unknown offsets ------------------------------------------------------------

TEST_F(EmacTest, ResetValues) {
  EXPECT_EQ(rd(E::kCfg), 0x00008000u);
  EXPECT_EQ(rd(E::kAddr0H), 0x8000FFFFu);
  EXPECT_EQ(rd(E::kAddr0L), 0xFFFFFFFFu);
  EXPECT_EQ(rd(E::kDmaBusMod), 0x00020100u);
  EXPECT_EQ(rd(E::kDmaRis), 0u);
  EXPECT_EQ(rd(E::kDmaOpMode), 0u);
  EXPECT_EQ(rd(E::kPp), 0x103u);  // PHYTYPE 3: internal PHY
  EXPECT_EQ(rd(E::kPc), 0x0080040Eu);
  EXPECT_EQ(rd(E::kVersion), 0x1037u);
  EXPECT_FALSE(emac->irq().level());
}

TEST_F(EmacTest, UnknownOffsetsReadZeroAndIgnoreWrites) {
  wr(0x0A0, 0xFFFFFFFF);
  EXPECT_EQ(rd(0x0A0), 0u);
  EXPECT_EQ(emac->read(0xE00, 1), 0u);
}

// ---- TX DMA ---------------------------------------------------------------------------------------

// Facts 8: ring mode, OWN hand-off, TI on IC, TU when the DMA meets OWN = 0; 100 Mb/s wire time.
TEST_F(EmacTest, TxRingTwoFramesOwnHandOffAndExactSerializationTimes) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  auto f1 = fill(b, 100, 1);
  auto f2 = fill(b + 0x200, 60, 50);
  desc(d, kOwn | kIc | kFs | kLs, 100, b, 0);
  desc(d + 16, kOwn | kIc | kFs | kLs, 60, b + 0x200, 0);
  desc(d + 32, 0, 0, 0, 0);
  wr(E::kDmaIm, E::kTi | E::kNis);
  const Cycles t0 = events.now();
  start_tx(d);
  ASSERT_EQ(port.sent.size(), 1u);
  EXPECT_EQ(port.sent[0].frame, f1);
  EXPECT_EQ(port.sent[0].start, t0);
  EXPECT_EQ(port.sent[0].end, t0 + 1076);  // (8+100+4)*8 = 896 bits -> 1075.2 -> 1076 ticks
  EXPECT_EQ(ts(), E::kTsWaitStatus);
  run_to(t0 + 1075);
  EXPECT_EQ(m32(d) & kOwn, kOwn);
  EXPECT_EQ(rd(E::kDmaRis) & E::kTi, 0u);
  run_to(t0 + 1076);
  EXPECT_EQ(m32(d), kIc | kFs | kLs);  // OWN cleared, status 0 (no error)
  EXPECT_EQ(rd(E::kDmaRis) & E::kTi, E::kTi);
  EXPECT_TRUE(emac->irq().level());
  // Second frame waits for the IFG: (896 + 96) bits = 1190.4 -> line free at t0 + 1191.
  ASSERT_EQ(port.sent.size(), 1u);
  run_to(t0 + 1190);
  ASSERT_EQ(port.sent.size(), 1u);
  run_to(t0 + 1191);
  ASSERT_EQ(port.sent.size(), 2u);
  EXPECT_EQ(port.sent[1].frame, f2);
  EXPECT_EQ(port.sent[1].start, t0 + 1191);
  EXPECT_EQ(port.sent[1].end, t0 + 1191 + 692);  // 72*8 = 576 bits -> 691.2 -> 692
  run_to(t0 + 1191 + 692);
  EXPECT_EQ(m32(d + 16), kIc | kFs | kLs);
  // Third descriptor not owned: TU, suspended, current descriptor = the third.
  EXPECT_EQ(rd(E::kDmaRis) & E::kTu, E::kTu);
  EXPECT_EQ(ts(), E::kTsSuspended);
  EXPECT_EQ(rd(E::kHosTxDesc), d + 32);
  EXPECT_EQ(emac->stats().tx_frames, 2u);
}

TEST_F(EmacTest, TxChainedFrameAcrossTwoDescriptors) {
  const std::uint32_t d0 = kSram + 0x100, d1 = kSram + 0x400, d2 = kSram + 0x800, b = kSram + 0x2000;
  auto p1 = fill(b, 40, 1);
  auto p2 = fill(b + 0x100, 30, 100);
  desc(d0, kOwn | kFs | kTch, 40, b, d1);
  desc(d1, kOwn | kLs | kIc | kTch, 30, b + 0x100, d2);
  desc(d2, 0, 0, 0, 0);
  start_tx(d0);
  ASSERT_EQ(port.sent.size(), 1u);
  std::vector<std::uint8_t> want = p1;
  want.insert(want.end(), p2.begin(), p2.end());
  EXPECT_EQ(port.sent[0].frame, want);
  run_for(port.sent[0].end - events.now());
  EXPECT_EQ(m32(d0), kFs | kTch);
  EXPECT_EQ(m32(d1), kLs | kIc | kTch);
  EXPECT_EQ(rd(E::kHosTxDesc), d2);
  EXPECT_EQ(rd(E::kDmaRis) & (E::kTi | E::kTu), E::kTi | E::kTu);
}

TEST_F(EmacTest, TxRingModeUsesBuffer2AndTbs2) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  auto p1 = fill(b, 64, 1);
  auto p2 = fill(b + 0x300, 36, 200);
  desc(d, kOwn | kFs | kLs | kTer, 64 | (36u << 16), b, b + 0x300);
  start_tx(d);
  ASSERT_EQ(port.sent.size(), 1u);
  std::vector<std::uint8_t> want = p1;
  want.insert(want.end(), p2.begin(), p2.end());
  EXPECT_EQ(port.sent[0].frame, want);
  run_for(2000);
  // TER: the next descriptor is the list base again, which the host now owns -> TU.
  EXPECT_EQ(rd(E::kHosTxDesc), d);
  EXPECT_EQ(ts(), E::kTsSuspended);
}

// Facts 8: "meeting OWN=0 suspends TX and sets TU; TXPOLLD resumes".
TEST_F(EmacTest, TxUnavailableSuspendsUntilPollDemand) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  fill(b, 60, 9);
  desc(d, 0, 60, b, 0);
  start_tx(d);
  EXPECT_EQ(rd(E::kDmaRis) & E::kTu, E::kTu);
  EXPECT_EQ(ts(), E::kTsSuspended);
  EXPECT_TRUE(port.sent.empty());
  wr(E::kDmaRis, E::kTu);
  m32(d, kOwn | kFs | kLs | kTer);
  run_for(100000);  // giving the descriptor back alone does nothing
  EXPECT_TRUE(port.sent.empty());
  const Cycles t = events.now();
  wr(E::kTxPollD, 1);
  ASSERT_EQ(port.sent.size(), 1u);
  EXPECT_EQ(port.sent[0].start, t);
  EXPECT_EQ(port.sent[0].end, t + 692);
}

// Facts 8: next descriptor = current + 16 (32 with ATDS) + DSL*4.
TEST_F(EmacTest, TxDescriptorSkipLength) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  fill(b, 60, 1);
  wr(E::kDmaBusMod, 0x00020100 | (2u << 2));  // DSL = 2 words
  desc(d, kOwn | kFs | kLs, 60, b, 0);
  desc(d + 24, kOwn | kFs | kLs, 60, b, 0);
  desc(d + 48, 0, 0, 0, 0);
  start_tx(d);
  run_for(5000);
  EXPECT_EQ(port.sent.size(), 2u);
  EXPECT_EQ(rd(E::kHosTxDesc), d + 48);
}

TEST_F(EmacTest, TxEnhancedDescriptorStrideWithAtds) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  fill(b, 60, 1);
  wr(E::kDmaBusMod, 0x00020100 | E::kBusAtds | (1u << 2));  // 8-word descriptors, DSL 1
  desc(d, kOwn | kFs | kLs, 60, b, 0);
  m32(d + 16, 0xDEADBEEF);  // DES4..7 belong to the descriptor: not a descriptor start
  desc(d + 36, kOwn | kFs | kLs, 60, b, 0);
  desc(d + 72, 0, 0, 0, 0);
  start_tx(d);
  run_for(5000);
  EXPECT_EQ(port.sent.size(), 2u);
  EXPECT_EQ(rd(E::kHosTxDesc), d + 72);
  EXPECT_EQ(m32(d + 16), 0xDEADBEEFu);
}

// CFG.IFG [19:17] shortens the gap: 96 - 8*IFG bit times; IFG = 7 -> 40 bits.
TEST_F(EmacTest, TxInterFrameGapFromCfg) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  fill(b, 60, 1);
  desc(d, kOwn | kFs | kLs, 60, b, 0);
  desc(d + 16, kOwn | kFs | kLs, 60, b, 0);
  desc(d + 32, 0, 0, 0, 0);
  wr(E::kCfg, 0x8000 | (7u << 17));
  const Cycles t0 = events.now();
  start_tx(d);
  run_for(5000);
  ASSERT_EQ(port.sent.size(), 2u);
  EXPECT_EQ(port.sent[1].start, t0 + 740);  // (576 + 40) bits = 739.2 -> 740 ticks
}

TEST_F(EmacTest, TxShortFrameIsPaddedUnlessDp) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  auto p = fill(b, 20, 1);
  desc(d, kOwn | kFs | kLs, 20, b, 0);
  desc(d + 16, kOwn | kFs | kLs | E::kTdesDp, 20, b, 0);
  desc(d + 32, 0, 0, 0, 0);
  start_tx(d);
  run_for(5000);
  ASSERT_EQ(port.sent.size(), 2u);
  std::vector<std::uint8_t> padded = p;
  padded.resize(60, 0);
  EXPECT_EQ(port.sent[0].frame, padded);
  EXPECT_EQ(port.sent[0].end - port.sent[0].start, 692u);
  EXPECT_EQ(port.sent[1].frame, p);
  EXPECT_EQ(port.sent[1].end - port.sent[1].start, 308u);  // (8+20+4)*8 = 256 bits -> 307.2 -> 308
}

TEST_F(EmacTest, TxWaitsForTransmitterEnableAndUses10MbitWithoutFes) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  fill(b, 60, 1);
  desc(d, kOwn | kFs | kLs | kTer, 60, b, 0);
  wr(E::kTxDlAddr, d);
  wr(E::kDmaOpMode, E::kOpSt);
  run_for(1000);
  EXPECT_TRUE(port.sent.empty());
  const Cycles t = events.now();
  wr(E::kCfg, 0x8000 | E::kCfgTe);  // FES = 0: 10 Mb/s
  ASSERT_EQ(port.sent.size(), 1u);
  EXPECT_EQ(port.sent[0].start, t);
  EXPECT_EQ(port.sent[0].end, t + 6912);  // 576 bits * 100 ns = 57.6 us
}

TEST_F(EmacTest, TxStopAfterCurrentFrameSetsTps) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  fill(b, 60, 1);
  desc(d, kOwn | kFs | kLs, 60, b, 0);
  desc(d + 16, kOwn | kFs | kLs, 60, b, 0);
  start_tx(d);
  wr(E::kDmaOpMode, 0);  // stop while the first frame is on the wire
  EXPECT_EQ(rd(E::kDmaRis) & E::kTps, 0u);
  run_for(5000);
  EXPECT_EQ(port.sent.size(), 1u);
  EXPECT_EQ(m32(d) & kOwn, 0u);
  EXPECT_EQ(rd(E::kDmaRis) & E::kTps, E::kTps);
  EXPECT_EQ(ts(), E::kTsStopped);
  // Restart continues from the current position, not the list base.
  wr(E::kDmaOpMode, E::kOpSt);
  EXPECT_EQ(port.sent.size(), 2u);
}

// ---- RX DMA ---------------------------------------------------------------------------------------

// Facts 8: FL includes the 4-byte FCS; FS/LS; OWN cleared; RI.
TEST_F(EmacTest, RxRingFrameWithFcsAndFrameLength) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  desc(d, kOwn, 1536, b, 0);
  desc(d + 16, kOwn, E::kRdesRer | 1536, b + 0x800, 0);
  start_rx(d);
  EXPECT_EQ(rs(), E::kRsWaiting);
  auto f = eth(kOwnMac, 60);
  ASSERT_TRUE(emac->receive_frame(f));
  EXPECT_EQ(m32(d), kRfs | kRls | E::kRdesFt | (64u << 16));
  auto got = mem(b, 64);
  EXPECT_TRUE(std::equal(f.begin(), f.end(), got.begin()));
  const std::uint32_t fcs = crc32_bitwise(f.data(), f.size());
  EXPECT_EQ(got[60] | got[61] << 8 | got[62] << 16 | static_cast<std::uint32_t>(got[63]) << 24, fcs);
  EXPECT_EQ(crc32_bitwise(got.data(), 64), 0x2144DF1Cu);  // CRC-32 residue over frame + FCS
  EXPECT_EQ(rd(E::kDmaRis) & E::kRi, E::kRi);
  EXPECT_EQ(rd(E::kHosRxDesc), d + 16);
  // RER wraps to the base.
  ASSERT_TRUE(emac->receive_frame(f));
  EXPECT_EQ(m32(d + 16) >> 16, 64u);
  EXPECT_EQ(rd(E::kHosRxDesc), d);
}

TEST_F(EmacTest, EthernetCrc32KnownValue) {
  const char* s = "123456789";
  EXPECT_EQ(ethernet_crc32(reinterpret_cast<const std::uint8_t*>(s), 9), 0xCBF43926u);
}

TEST_F(EmacTest, RxFrameSpanningTwoDescriptors) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  desc(d, kOwn, 64, b, 0);
  desc(d + 16, kOwn, 64, b + 0x100, 0);
  desc(d + 32, kOwn, 64, b + 0x200, 0);
  start_rx(d);
  auto f = eth(kOwnMac, 100);
  ASSERT_TRUE(emac->receive_frame(f));
  EXPECT_EQ(m32(d), kRfs);                                        // first: FS only, no FL
  EXPECT_EQ(m32(d + 16), kRls | E::kRdesFt | (104u << 16));       // last: LS, FL = 100 + 4
  EXPECT_TRUE(std::equal(f.begin(), f.begin() + 64, mem(b, 64).begin()));
  EXPECT_TRUE(std::equal(f.begin() + 64, f.end(), mem(b + 0x100, 36).begin()));
  EXPECT_EQ(m32(d + 32), kOwn);
  EXPECT_EQ(rd(E::kHosRxDesc), d + 32);
}

TEST_F(EmacTest, RxChainedDescriptorsAndBuffer2InRingMode) {
  const std::uint32_t d0 = kSram + 0x40, d1 = kSram + 0x300, b = kSram + 0x1000;
  desc(d0, kOwn, E::kRdesRch | 32 | (500u << 16), b, d1);  // RCH: RBS2 ignored, DES3 = next
  desc(d1, kOwn, 16 | (80u << 16), b + 0x100, b + 0x200);  // ring: buffer 2 used
  start_rx(d0);
  auto f = eth(kOwnMac, 100);
  ASSERT_TRUE(emac->receive_frame(f));
  EXPECT_EQ(m32(d0), kRfs);
  EXPECT_EQ(m32(d1), kRls | E::kRdesFt | (104u << 16));
  EXPECT_TRUE(std::equal(f.begin(), f.begin() + 32, mem(b, 32).begin()));
  EXPECT_TRUE(std::equal(f.begin() + 32, f.begin() + 48, mem(b + 0x100, 16).begin()));
  EXPECT_TRUE(std::equal(f.begin() + 48, f.end(), mem(b + 0x200, 52).begin()));
  EXPECT_EQ(rd(E::kHosRxDesc), d1 + 16);
}

// Facts 8: "no owned descriptor -> RU, suspend; RXPOLLD resumes". The look-ahead after a frame
// meets OWN = 0 and raises RU at once; a frame arriving then is dropped and counted in MFBOC.
TEST_F(EmacTest, RxUnavailableDropsCountsAndPollDemandResumes) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  desc(d, kOwn, E::kRdesRer | 1536, b, 0);
  start_rx(d);
  auto f = eth(kOwnMac, 60);
  ASSERT_TRUE(emac->receive_frame(f));
  EXPECT_EQ(rd(E::kDmaRis) & E::kRu, E::kRu);
  EXPECT_EQ(rs(), E::kRsSuspended);
  m32(b, 0xCAFEF00D);
  EXPECT_FALSE(emac->receive_frame(f));
  EXPECT_FALSE(emac->receive_frame(f));
  EXPECT_EQ(m32(b), 0xCAFEF00Du);  // nothing written
  EXPECT_EQ(rd(E::kMfBoc), 2u);    // missed frames, cleared by the read
  EXPECT_EQ(rd(E::kMfBoc), 0u);
  EXPECT_EQ(emac->stats().rx_missed, 2u);
  wr(E::kDmaRis, E::kRu | E::kRi);
  m32(d, kOwn);
  wr(E::kRxPollD, 1);
  EXPECT_EQ(rs(), E::kRsWaiting);
  EXPECT_EQ(rd(E::kDmaRis) & E::kRu, 0u);
  ASSERT_TRUE(emac->receive_frame(f));
  EXPECT_EQ(m32(d), kRfs | kRls | E::kRdesFt | (64u << 16));
  // RXPOLLD while the host still owns the descriptor: RU again, still suspended.
  wr(E::kDmaRis, E::kRu);
  wr(E::kRxPollD, 1);
  EXPECT_EQ(rd(E::kDmaRis) & E::kRu, E::kRu);
  EXPECT_EQ(rs(), E::kRsSuspended);
}

// Synopsys: a suspended receive DMA also re-reads its descriptor when the next frame arrives.
TEST_F(EmacTest, RxSuspendedRefetchesOnFrameArrival) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  desc(d, 0, E::kRdesRer | 1536, b, 0);
  start_rx(d);
  EXPECT_EQ(rs(), E::kRsSuspended);
  m32(d, kOwn);
  EXPECT_TRUE(emac->receive_frame(eth(kOwnMac, 60)));
  EXPECT_EQ(m32(d) >> 16, 64u);
}

TEST_F(EmacTest, RxTruncatedWhenNextDescriptorNotOwned) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  desc(d, kOwn, 64, b, 0);
  desc(d + 16, 0, 64, b + 0x100, 0);
  start_rx(d);
  EXPECT_FALSE(emac->receive_frame(eth(kOwnMac, 100)));
  EXPECT_EQ(m32(d), kRfs | kRls | E::kRdesDe | E::kRdesEs | (64u << 16));
  EXPECT_EQ(rd(E::kDmaRis) & (E::kRu | E::kRi), E::kRu | E::kRi);
  EXPECT_EQ(rs(), E::kRsSuspended);
  EXPECT_EQ(emac->stats().rx_truncated, 1u);
}

TEST_F(EmacTest, RxDisableInterruptOnCompletion) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  desc(d, kOwn, E::kRdesDic | 1536, b, 0);
  desc(d + 16, kOwn, 1536, b, 0);
  start_rx(d);
  ASSERT_TRUE(emac->receive_frame(eth(kOwnMac, 60)));
  EXPECT_EQ(rd(E::kDmaRis) & E::kRi, 0u);
  ASSERT_TRUE(emac->receive_frame(eth(kOwnMac, 60)));
  EXPECT_EQ(rd(E::kDmaRis) & E::kRi, E::kRi);
}

TEST_F(EmacTest, RxEnhancedDescriptorsStrideAndExtraWordsUntouched) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  wr(E::kDmaBusMod, 0x00020100 | E::kBusAtds);
  desc(d, kOwn, 1536, b, 0);
  for (std::uint32_t w = 4; w < 8; ++w) m32(d + 4 * w, 0xA5A50000 | w);
  desc(d + 32, kOwn, 1536, b + 0x800, 0);
  start_rx(d);
  ASSERT_TRUE(emac->receive_frame(eth(kOwnMac, 60)));
  EXPECT_EQ(rd(E::kHosRxDesc), d + 32);
  for (std::uint32_t w = 4; w < 8; ++w) EXPECT_EQ(m32(d + 4 * w), 0xA5A50000 | w);
  ASSERT_TRUE(emac->receive_frame(eth(kOwnMac, 60)));
  EXPECT_EQ(m32(d + 32) >> 16, 64u);
}

TEST_F(EmacTest, RxDroppedWhenReceiverOrDmaDisabled) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  desc(d, kOwn, 1536, b, 0);
  set_mac();
  wr(E::kRxDlAddr, d);
  wr(E::kDmaOpMode, E::kOpSr);
  EXPECT_FALSE(emac->receive_frame(eth(kOwnMac, 60)));  // CFG.RE = 0
  wr(E::kDmaOpMode, 0);
  EXPECT_EQ(rd(E::kDmaRis) & E::kRps, E::kRps);  // RX process stopped
  wr(E::kCfg, 0x8000 | E::kCfgRe);
  EXPECT_FALSE(emac->receive_frame(eth(kOwnMac, 60)));  // DMA stopped
  EXPECT_EQ(m32(d), kOwn);
  EXPECT_EQ(emac->stats().rx_not_ready, 2u);
}

// ---- frame filter ---------------------------------------------------------------------------------

TEST_F(EmacTest, FilterOwnAndOtherUnicastBroadcastAndDbf) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  for (std::uint32_t i = 0; i < 8; ++i) desc(d + 16 * i, kOwn, (i == 7 ? E::kRdesRer : 0) | 1536, b, 0);
  start_rx(d);
  const std::uint8_t other[6] = {0x10, 0x22, 0x33, 0x44, 0xAA, 0xBC};
  EXPECT_TRUE(emac->receive_frame(eth(kOwnMac, 60)));
  EXPECT_FALSE(emac->receive_frame(eth(other, 60)));
  EXPECT_TRUE(emac->receive_frame(eth(kBcast, 60)));
  wr(E::kFrameFltr, E::kFltDbf);
  EXPECT_FALSE(emac->receive_frame(eth(kBcast, 60)));
  wr(E::kFrameFltr, E::kFltPr);  // promiscuous
  EXPECT_TRUE(emac->receive_frame(eth(other, 60)));
  wr(E::kFrameFltr, E::kFltRa | E::kFltDbf);  // receive all overrides everything
  EXPECT_TRUE(emac->receive_frame(eth(kBcast, 60)));
  wr(E::kFrameFltr, E::kFltDaif);  // inverse: everything but our own address
  EXPECT_TRUE(emac->receive_frame(eth(other, 60)));
  EXPECT_FALSE(emac->receive_frame(eth(kOwnMac, 60)));
  EXPECT_EQ(emac->stats().rx_filtered, 3u);
  EXPECT_EQ(emac->stats().rx_frames, 5u);
}

// Hash index = upper 6 bits of the bit-reversed CRC-32 of the destination address (Synopsys);
// 01:00:5E:00:00:01 -> 32 (HASHTBLH bit 0), 01:00:5E:00:00:FB -> 48 (HASHTBLH bit 16).
TEST_F(EmacTest, FilterMulticastHashAndPassAllMulticast) {
  const std::uint8_t m1[6] = {0x01, 0x00, 0x5E, 0x00, 0x00, 0x01};
  const std::uint8_t mfb[6] = {0x01, 0x00, 0x5E, 0x00, 0x00, 0xFB};
  EXPECT_EQ(Emac::hash_index(m1), 32u);
  EXPECT_EQ(Emac::hash_index(mfb), 48u);
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  for (std::uint32_t i = 0; i < 4; ++i) desc(d + 16 * i, kOwn, (i == 3 ? E::kRdesRer : 0) | 1536, b, 0);
  start_rx(d);
  EXPECT_FALSE(emac->receive_frame(eth(m1, 60)));  // perfect filter only: not ours
  wr(E::kFrameFltr, E::kFltHmc);
  wr(E::kHashTblH, 1u << 0);
  EXPECT_TRUE(emac->receive_frame(eth(m1, 60)));
  EXPECT_FALSE(emac->receive_frame(eth(mfb, 60)));
  wr(E::kHashTblH, 1u << 16);
  EXPECT_FALSE(emac->receive_frame(eth(m1, 60)));
  EXPECT_TRUE(emac->receive_frame(eth(mfb, 60)));
  wr(E::kHashTblH, 0);
  wr(E::kFrameFltr, E::kFltPm);
  EXPECT_TRUE(emac->receive_frame(eth(m1, 60)));
  EXPECT_TRUE(emac->receive_frame(eth(mfb, 60)));
}

// HUC: unicast through the hash table; with HPF the perfect match passes as well.
TEST_F(EmacTest, FilterUnicastHashAndHashOrPerfect) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  for (std::uint32_t i = 0; i < 4; ++i) desc(d + 16 * i, kOwn, (i == 3 ? E::kRdesRer : 0) | 1536, b, 0);
  start_rx(d);
  const std::uint8_t other[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x07};
  const unsigned h = Emac::hash_index(other);
  wr(E::kFrameFltr, E::kFltHuc);
  wr(h & 0x20 ? E::kHashTblH : E::kHashTblL, 1u << (h & 31));
  EXPECT_TRUE(emac->receive_frame(eth(other, 60)));
  EXPECT_EQ(emac->receive_frame(eth(kOwnMac, 60)), Emac::hash_index(kOwnMac) == h);
  wr(E::kFrameFltr, E::kFltHuc | E::kFltHpf);
  EXPECT_TRUE(emac->receive_frame(eth(kOwnMac, 60)));
}

// The host took back a descriptor the DMA had already found owned: the frame is missed (MFBOC).
TEST_F(EmacTest, RxDescriptorTakenBackIsCountedAsMissed) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  desc(d, kOwn, E::kRdesRer | 1536, b, 0);
  start_rx(d);
  m32(d, 0);
  EXPECT_FALSE(emac->receive_frame(eth(kOwnMac, 60)));
  EXPECT_EQ(rd(E::kMfBoc), 1u);
  EXPECT_EQ(rd(E::kDmaRis) & E::kRu, E::kRu);
  EXPECT_EQ(rs(), E::kRsSuspended);
}

TEST_F(EmacTest, DmarisStateFieldsAreReadOnly) {
  wr(E::kDmaRis, 0xFFFFFFFF);
  EXPECT_EQ(rd(E::kDmaRis), 0u);
  desc(kSram, 0, 0, 0, 0);
  start_tx(kSram);
  wr(E::kDmaRis, 0x00FE0000);  // RS/TS: ignored
  EXPECT_EQ(rd(E::kDmaRis), (E::kTsSuspended << 20) | E::kTu);
}

// Facts 8: ADDR0L write latches the address (ADDR0H alone has no effect on the filter yet).
TEST_F(EmacTest, Addr0LatchedOnLowWrite) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  for (std::uint32_t i = 0; i < 4; ++i) desc(d + 16 * i, kOwn, (i == 3 ? E::kRdesRer : 0) | 1536, b, 0);
  start_rx(d);
  const std::uint8_t next_mac[6] = {0x10, 0x22, 0x33, 0x44, 0xCC, 0xDD};
  wr(E::kAddr0H, 0x0000DDCC);
  EXPECT_EQ(rd(E::kAddr0H), 0x8000DDCCu);  // AE reads 1
  EXPECT_FALSE(emac->receive_frame(eth(next_mac, 60)));
  EXPECT_TRUE(emac->receive_frame(eth(kOwnMac, 60)));
  wr(E::kAddr0L, 0x44332210);
  EXPECT_TRUE(emac->receive_frame(eth(next_mac, 60)));
  EXPECT_FALSE(emac->receive_frame(eth(kOwnMac, 60)));
}

// ---- interrupts -----------------------------------------------------------------------------------

// Facts 8: NIS = OR of enabled TI,TU,RI,ERI; AIS = OR of enabled abnormal bits;
// IRQ = (NIS & NIE) | (AIS & AIE) | EPHYMISC. Summary bits are sticky until written 1.
TEST_F(EmacTest, NormalSummaryDmaimAndIrqLine) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  desc(d, kOwn, E::kRdesRer | 1536, b, 0);
  start_rx(d);
  ASSERT_TRUE(emac->receive_frame(eth(kOwnMac, 60)));  // RI, then RU (look-ahead)
  EXPECT_EQ(rd(E::kDmaRis) & 0x1FFFF, E::kRi | E::kRu);  // nothing enabled: no summary
  EXPECT_FALSE(emac->irq().level());
  wr(E::kDmaIm, E::kRi);  // enabling a pending cause sets NIS; NIE still 0
  EXPECT_EQ(rd(E::kDmaRis) & E::kNis, E::kNis);
  EXPECT_FALSE(emac->irq().level());
  wr(E::kDmaIm, E::kRi | E::kNis);
  EXPECT_TRUE(emac->irq().level());
  wr(E::kDmaRis, E::kNis);  // RI still set: NIS stays
  EXPECT_TRUE(emac->irq().level());
  wr(E::kDmaRis, E::kRi);  // cause cleared, NIS sticky
  EXPECT_EQ(rd(E::kDmaRis) & E::kNis, E::kNis);
  EXPECT_TRUE(emac->irq().level());
  wr(E::kDmaRis, E::kNis);
  EXPECT_EQ(rd(E::kDmaRis) & (E::kNis | E::kRi), 0u);
  EXPECT_FALSE(emac->irq().level());
}

TEST_F(EmacTest, AbnormalSummaryWithAie) {
  const std::uint32_t d = kSram;
  desc(d, 0, 1536, kSram + 0x1000, 0);
  wr(E::kDmaIm, E::kRu | E::kAis);  // AIE = bit 15
  start_rx(d);
  EXPECT_EQ(rd(E::kDmaRis) & (E::kRu | E::kAis | E::kNis), E::kRu | E::kAis);
  EXPECT_TRUE(emac->irq().level());
  wr(E::kDmaRis, E::kRu | E::kAis);
  EXPECT_FALSE(emac->irq().level());
}

TEST_F(EmacTest, PhyInterruptThroughEphyMisc) {
  // PHY: SCR.INTEN, MISR1.LINKSTATEN, written directly (MDIO timing is tested below).
  phy.mdio_write(Ephy::kScr, Ephy::kScrIntEn);
  phy.mdio_write(Ephy::kMisr1, Ephy::kMisr1LinkStatEn);
  phy.set_link(true);
  run_for(Ephy::kDefaultAutonegDelay);
  EXPECT_EQ(rd(E::kEphyRis), 1u);
  EXPECT_EQ(rd(E::kEphyMisc), 0u);  // masked
  EXPECT_FALSE(emac->irq().level());
  wr(E::kEphyIm, 1);
  EXPECT_EQ(rd(E::kEphyMisc), 1u);
  EXPECT_TRUE(emac->irq().level());
  wr(E::kEphyMisc, 1);  // PHY output still asserted: re-latches
  EXPECT_TRUE(emac->irq().level());
  phy.mdio_read(Ephy::kMisr1);  // clears the PHY's status
  wr(E::kEphyMisc, 1);
  EXPECT_EQ(rd(E::kEphyRis), 0u);
  EXPECT_FALSE(emac->irq().level());
}

// ---- bus errors -----------------------------------------------------------------------------------

// Facts 8: "Buffers must be in SRAM (flash pointer = bus error)". FBI + EB, engine stopped.
TEST_F(EmacTest, FatalBusErrorOnTxDescriptorOutsideSram) {
  wr(E::kDmaIm, E::kFbi | E::kAis);
  start_tx(0x00001000);  // descriptor list in flash
  EXPECT_EQ(rd(E::kDmaRis) & (E::kFbi | E::kAis), E::kFbi | E::kAis);
  EXPECT_EQ(rd(E::kDmaRis) & (7u << 23), E::kEbTx | E::kEbRead | E::kEbDesc);
  EXPECT_EQ(ts(), E::kTsStopped);
  EXPECT_TRUE(emac->irq().level());
  EXPECT_TRUE(port.sent.empty());
  wr(E::kTxPollD, 1);  // a stopped engine ignores poll demands
  EXPECT_EQ(ts(), E::kTsStopped);
}

TEST_F(EmacTest, FatalBusErrorOnTxBufferOutsideSram) {
  desc(kSram, kOwn | kFs | kLs, 60, 0x00000400, 0);
  start_tx(kSram);
  EXPECT_EQ(rd(E::kDmaRis) & (E::kFbi | (7u << 23)), E::kFbi | E::kEbTx | E::kEbRead);
  EXPECT_EQ(ts(), E::kTsStopped);
  EXPECT_EQ(m32(kSram) & kOwn, kOwn);
  EXPECT_TRUE(port.sent.empty());
}

TEST_F(EmacTest, FatalBusErrorOnRxBufferOutsideSram) {
  desc(kSram, kOwn, 1536, 0x000F0000, 0);
  start_rx(kSram);
  EXPECT_FALSE(emac->receive_frame(eth(kOwnMac, 60)));
  EXPECT_EQ(rd(E::kDmaRis) & (E::kFbi | (7u << 23)), E::kFbi);  // RX DMA, write, buffer: EB = 0
  EXPECT_EQ(rs(), E::kRsStopped);
  wr(E::kDmaRis, E::kFbi);
  EXPECT_EQ(rd(E::kDmaRis) & (E::kFbi | (7u << 23)), 0u);
}

TEST_F(EmacTest, FatalBusErrorOnRxDescriptorPastEndOfSram) {
  const std::uint32_t d = kSram + kSramSize - 8;  // DES0/DES1 inside, DES2/DES3 outside
  m32(d, kOwn);
  start_rx(d);
  EXPECT_EQ(rs(), E::kRsWaiting);
  EXPECT_FALSE(emac->receive_frame(eth(kOwnMac, 60)));
  EXPECT_EQ(rd(E::kDmaRis) & (E::kFbi | (7u << 23)), E::kFbi | E::kEbRead | E::kEbDesc);
  EXPECT_EQ(rs(), E::kRsStopped);
  EXPECT_FALSE(emac->receive_frame(eth(kOwnMac, 60)));  // stopped until restarted
  EXPECT_EQ(emac->stats().rx_not_ready, 1u);
}

// ---- software reset and system reset --------------------------------------------------------------

TEST_F(EmacTest, SoftwareResetSelfClearsAndResetsTheCore) {
  set_mac();
  wr(E::kCfg, 0x8000 | E::kCfgTe | E::kCfgRe);
  wr(E::kDmaIm, E::kTi);
  wr(E::kEphyIm, 1);
  wr(E::kDmaBusMod, 0x00020100 | E::kBusAtds | 1);
  EXPECT_EQ(rd(E::kDmaBusMod), 0x00020101u);  // SWR reads 1, the rest is back at reset
  EXPECT_EQ(rd(E::kCfg), 0x8000u);
  EXPECT_EQ(rd(E::kAddr0L), 0xFFFFFFFFu);
  EXPECT_EQ(rd(E::kDmaIm), 0u);
  EXPECT_EQ(rd(E::kEphyIm), 1u);  // TI wrapper register: not part of the Synopsys core
  run_for(Emac::kSwrTicks - 1);
  EXPECT_EQ(rd(E::kDmaBusMod) & 1, 1u);
  run_for(1);
  EXPECT_EQ(rd(E::kDmaBusMod), 0x00020100u);
  EXPECT_EQ(Emac::kSwrTicks, 120u);  // 1 us
}

TEST_F(EmacTest, ResetMidFrameCancelsTransmissionAndRestoresRegisters) {
  const std::uint32_t d = kSram, b = kSram + 0x1000;
  fill(b, 60, 1);
  desc(d, kOwn | kFs | kLs | kIc, 60, b, 0);
  wr(E::kEphyIm, 1);
  start_tx(d);
  ASSERT_EQ(port.sent.size(), 1u);
  emac->reset();
  run_for(5000);
  EXPECT_EQ(m32(d) & kOwn, kOwn);  // never closed
  EXPECT_EQ(rd(E::kDmaRis), 0u);
  EXPECT_EQ(rd(E::kCfg), 0x8000u);
  EXPECT_EQ(rd(E::kEphyIm), 0u);
  EXPECT_EQ(rd(E::kTxDlAddr), 0u);
  EXPECT_FALSE(emac->irq().level());
}

// ---- MDIO -----------------------------------------------------------------------------------------

// MIIB stays set for 64 MDC cycles; CR = 1 divides the 120 MHz clock by 62: 64 * 62 = 3968 ticks.
TEST_F(EmacTest, MdioReadThroughMiiAddrWithBusyTiming) {
  EXPECT_EQ(emac->mdio_ticks(1), 3968u);
  const Cycles t = events.now();
  wr(E::kMiiAddr, (Ephy::kId1 << 6) | (1u << 2) | E::kMiiB);
  EXPECT_EQ(rd(E::kMiiAddr) & E::kMiiB, E::kMiiB);
  run_to(t + 3967);
  EXPECT_EQ(rd(E::kMiiAddr) & E::kMiiB, E::kMiiB);
  EXPECT_EQ(rd(E::kMiiData), 0u);
  run_to(t + 3968);
  EXPECT_EQ(rd(E::kMiiAddr) & E::kMiiB, 0u);
  EXPECT_EQ(rd(E::kMiiData), 0x2000u);
  // CR = 0 (/42): 64 * 42 = 2688 ticks; ID2.
  wr(E::kMiiAddr, (Ephy::kId2 << 6) | E::kMiiB);
  run_for(2687);
  EXPECT_EQ(rd(E::kMiiAddr) & E::kMiiB, E::kMiiB);
  run_for(1);
  EXPECT_EQ(rd(E::kMiiData), 0xA221u);
}

TEST_F(EmacTest, MdioWriteAndOtherPhyAddresses) {
  wr(E::kMiiData, 0x0041);
  wr(E::kMiiAddr, (Ephy::kAnar << 6) | (1u << 2) | E::kMiiW | E::kMiiB);
  wr(E::kMiiData, 0xFFFF);  // ignored while busy
  wr(E::kMiiAddr, (Ephy::kBmcr << 6) | E::kMiiW | E::kMiiB);  // ignored while busy
  run_for(3968);
  EXPECT_EQ(phy.mdio_read(Ephy::kAnar), 0x0041);
  EXPECT_EQ(phy.mdio_read(Ephy::kBmcr), 0x3100);
  // PHY address 1: nobody answers, MDIO pulled up.
  wr(E::kMiiAddr, (1u << 11) | (Ephy::kId1 << 6) | (1u << 2) | E::kMiiB);
  run_for(3968);
  EXPECT_EQ(rd(E::kMiiData), 0xFFFFu);
}

TEST_F(EmacTest, MdioBusyTimeFollowsSystemClock) {
  emac->set_sysclk_hz(16'000'000);  // PIOSC: 64 * 42 cycles of 7.5 ticks = 20160 ticks
  EXPECT_EQ(emac->mdio_ticks(0), 20160u);
}

}  // namespace
}  // namespace k7sim
