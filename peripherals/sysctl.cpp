#include "peripherals/sysctl.h"

#include <stdexcept>

#include "emulator/log.h"

namespace k7sim {
namespace {

// ---- register offsets (relative to 0x400F_E000) -------------------------------------------------
constexpr std::uint32_t kDid0 = 0x000;
constexpr std::uint32_t kDid1 = 0x004;
constexpr std::uint32_t kRis = 0x050;
constexpr std::uint32_t kImc = 0x054;
constexpr std::uint32_t kMisc = 0x058;
constexpr std::uint32_t kResc = 0x05C;
constexpr std::uint32_t kMoscCtl = 0x07C;
constexpr std::uint32_t kRsClkCfg = 0x0B0;
constexpr std::uint32_t kMemTim0 = 0x0C0;
constexpr std::uint32_t kRvp = 0x0D4;
constexpr std::uint32_t kAltClkCfg = 0x138;
constexpr std::uint32_t kDsClkCfg = 0x144;
constexpr std::uint32_t kPllFreq0 = 0x160;
constexpr std::uint32_t kPllFreq1 = 0x164;
constexpr std::uint32_t kPllStat = 0x168;
constexpr std::uint32_t kBootCfg = 0x1D0;
constexpr std::uint32_t kUserReg0 = 0x1E0;
// Per-peripheral arrays; the class suffix is added to these.
constexpr std::uint32_t kPpBase = 0x300;
constexpr std::uint32_t kSrBase = 0x500;
constexpr std::uint32_t kRcgcBase = 0x600;
constexpr std::uint32_t kScgcBase = 0x700;
constexpr std::uint32_t kDcgcBase = 0x800;
constexpr std::uint32_t kPcBase = 0x900;
constexpr std::uint32_t kPrBase = 0xA00;

// ---- identification -----------------------------------------------------------------------------
// DID0: VER=1 [30:28], CLASS=0x0A (TM4C129) [23:16], MAJ=0 (rev A), MIN=2 -> silicon A2 (product
// decision: the latest production revision of the TM4C1294NCPDT; only the class is checked by code).
constexpr std::uint32_t kDid0Value = 0x100A0002;
// DID1: VER=1, FAM=0 (Tiva), PRTNO=0x1F (TM4C1294NCPDT), PINCNT=6 (128 pins), TEMP=1 (industrial),
// PKG=1 (LQFP), ROHS=1, QUAL=2 (fully qualified).
constexpr std::uint32_t kDid1Value = (1u << 28) | (0x1Fu << 16) | (6u << 13) | (1u << 5) | (1u << 3) | (1u << 2) | 2u;
// BOOTCFG of an erased (never committed) part: every bit 1 except DBG0. EN (b8) = 1 means the GPIO
// boot override is disabled, so the part always runs the application in flash.
constexpr std::uint32_t kBootCfgValue = 0xFFFFFFFE;
// RVP: the ROM vector table pointer (ROM base). Product decision: the ROM is not modelled.
constexpr std::uint32_t kRvpValue = 0x01000000;

// ---- fields -------------------------------------------------------------------------------------
constexpr std::uint32_t kRescMask = SysCtl::kRescExt | SysCtl::kRescPor | SysCtl::kRescBor | SysCtl::kRescWdt0 |
                                    SysCtl::kRescSw | SysCtl::kRescWdt1 | SysCtl::kRescHssr | SysCtl::kRescMoscFail;

constexpr std::uint32_t kRisPllL = 1u << 6;    // PLL lock
constexpr std::uint32_t kRisMoscPup = 1u << 8; // MOSC powered up
constexpr std::uint32_t kRisMask = (1u << 1) | (1u << 3) | (1u << 6) | (1u << 7) | (1u << 8) | (1u << 10) | (1u << 11);

constexpr std::uint32_t kMoscNoXtal = 1u << 2;
constexpr std::uint32_t kMoscPwrDn = 1u << 3;
constexpr std::uint32_t kMoscCtlReset = kMoscNoXtal | kMoscPwrDn;  // MOSC off until software starts it

constexpr std::uint32_t kUsePll = 1u << 28;
constexpr std::uint32_t kNewFreq = 1u << 30;
constexpr std::uint32_t kMemTimU = 1u << 31;
constexpr std::uint32_t kRsClkCfgStored = 0x3FFFFFFF;  // NEWFREQ/MEMTIMU are actions, they read 0

constexpr std::uint32_t kPllPwr = 1u << 23;

enum OscSource : std::uint32_t { kSrcPiosc = 0, kSrcLfiosc = 2, kSrcMosc = 3, kSrcRtc = 4 };

// What a TM4C1294NCPDT has (PPxxx). LCD and 1-Wire: product decision that this part has neither
// (UNCONFIRMED; no firmware of this product uses them).
struct ClassInfo {
  PeriphClass cls;
  const char* name;
  std::uint32_t present;
};
constexpr ClassInfo kClasses[] = {
    {PeriphClass::Wd, "WD", 0x3},          {PeriphClass::Timer, "TIMER", 0xFF},
    {PeriphClass::Gpio, "GPIO", 0x7FFF},   {PeriphClass::Dma, "DMA", 0x1},
    {PeriphClass::Hib, "HIB", 0x1},        {PeriphClass::Uart, "UART", 0xFF},
    {PeriphClass::Ssi, "SSI", 0xF},        {PeriphClass::I2c, "I2C", 0x3FF},
    {PeriphClass::Usb, "USB", 0x1},        {PeriphClass::Ephy, "EPHY", 0x1},
    {PeriphClass::Can, "CAN", 0x3},        {PeriphClass::Adc, "ADC", 0x3},
    {PeriphClass::Acmp, "ACMP", 0x1},      {PeriphClass::Pwm, "PWM", 0x1},
    {PeriphClass::Qei, "QEI", 0x1},        {PeriphClass::Eeprom, "EEPROM", 0x1},
    {PeriphClass::Ccm, "CCM", 0x1},        {PeriphClass::Lcd, "LCD", 0x0},
    {PeriphClass::Owire, "OWIRE", 0x0},    {PeriphClass::Emac, "EMAC", 0x1},
};
static_assert(sizeof(kClasses) / sizeof(kClasses[0]) == 20);

}  // namespace

const char* to_string(PeriphClass c) {
  for (const auto& info : kClasses)
    if (info.cls == c) return info.name;
  return "?";
}

int SysCtl::class_index(PeriphClass c) {
  for (std::size_t i = 0; i < kNumClasses; ++i)
    if (kClasses[i].cls == c) return static_cast<int>(i);
  return -1;
}

SysCtl::SysCtl(EventQueue& events, std::string name)
    : name_(std::move(name)), events_(events), bank_(name_), irq_(name_ + ".irq") {
  define_registers();
  sync_shadows();
}

void SysCtl::define_registers() {
  bank_.define({"DID0", kDid0, kDid0Value}).read_only();
  bank_.define({"DID1", kDid1, kDid1Value}).read_only();

  // Raw interrupt status: set by the clock tree (PLL lock, MOSC power-up), cleared through MISC.
  bank_.define({"RIS", kRis, 0}).read_only();
  bank_.define({"IMC", kImc, 0}).on_write([this](std::uint32_t v) {
    bank_.at(kImc).set(v & kRisMask);
    update_irq();
  });
  bank_.define({"MISC", kMisc, 0})
      .on_read([this] { return bank_.at(kRis).value() & bank_.at(kImc).value(); })
      .on_write([this](std::uint32_t v) {  // write 1 to clear
        Register& ris = bank_.at(kRis);
        ris.set(ris.value() & ~v);
        update_irq();
      });

  // RESC lives outside the bank's reset: causes accumulate across system resets.
  bank_.define({"RESC", kResc, 0}).on_read([this] { return resc_; }).on_write([this](std::uint32_t v) {
    resc_ &= (v | ~kRescMask);  // a bit written as 0 is cleared, a 1 leaves it as it is
    sync_shadows();
  });

  bank_.define({"MOSCCTL", kMoscCtl, kMoscCtlReset}).on_write([this](std::uint32_t v) { write_moscctl(v); });
  bank_.define({"RSCLKCFG", kRsClkCfg, 0}).on_write([this](std::uint32_t v) { write_rsclkcfg(v); });
  // Flash/EEPROM wait states: stored only (the CPU cost model does not depend on them).
  bank_.define({"MEMTIM0", kMemTim0, 0}).mask(0x03EF03EF);
  bank_.define({"RVP", kRvp, kRvpValue}).read_only();
  bank_.define({"ALTCLKCFG", kAltClkCfg, 0}).mask(0xF);
  bank_.define({"DSCLKCFG", kDsClkCfg, 0}).mask(0x80F003FF);
  bank_.define({"PLLFREQ0", kPllFreq0, 0}).on_write([this](std::uint32_t v) { write_pllfreq0(v); });
  bank_.define({"PLLFREQ1", kPllFreq1, 0}).mask(0x1F1F);  // N, Q: latched when the PLL (re)locks
  bank_.define({"PLLSTAT", kPllStat, 0}).read_only().on_read([this] { return pll_locked_ ? 1u : 0u; });
  bank_.define({"BOOTCFG", kBootCfg, kBootCfgValue}).read_only();
  for (unsigned n = 0; n < 4; ++n) {
    bank_.define({"USERREG" + std::to_string(n), kUserReg0 + 4 * n, 0})
        .on_read([this, n] { return user_[n]; })
        .on_write([this, n](std::uint32_t v) {
          user_[n] = v;
          sync_shadows();
        });
  }

  for (std::size_t ci = 0; ci < kNumClasses; ++ci) {
    const auto sfx = static_cast<std::uint32_t>(kClasses[ci].cls);
    const std::string cname = kClasses[ci].name;
    const std::uint32_t present = kClasses[ci].present;
    bank_.define({"PP" + cname, kPpBase + sfx, present}).read_only();
    bank_.define({"SR" + cname, kSrBase + sfx, 0}).on_write([this, ci](std::uint32_t v) { write_sr(ci, v); });
    bank_.define({"RCGC" + cname, kRcgcBase + sfx, 0}).on_write([this, ci](std::uint32_t v) { write_rcgc(ci, v); });
    // Sleep / deep-sleep gating and power control: stored, no effect (sleep modes are not modelled).
    bank_.define({"SCGC" + cname, kScgcBase + sfx, 0}).mask(present);
    bank_.define({"DCGC" + cname, kDcgcBase + sfx, 0}).mask(present);
    bank_.define({"PC" + cname, kPcBase + sfx, present}).mask(present);  // decision: all powered at reset
    bank_.define({"PR" + cname, kPrBase + sfx, 0}).read_only().on_read([this, ci] { return pr_[ci]; });
  }
}

std::uint32_t SysCtl::read(std::uint32_t offset, unsigned size) { return bank_.read(offset, size); }
void SysCtl::write(std::uint32_t offset, std::uint32_t value, unsigned size) { bank_.write(offset, value, size); }

void SysCtl::reset() {
  for (auto& cls : ready_ev_)
    for (auto& id : cls) {
      events_.cancel(id);
      id = kNoEvent;
    }
  events_.cancel(lock_ev_);
  lock_ev_ = kNoEvent;
  bank_.reset();
  pr_.fill(0);
  pll_locked_ = false;
  pll_ = {};
  user_ = user_nv_;  // uncommitted USERREG writes are lost, committed values stay
  sync_shadows();
  update_sysclk();
  update_irq();
}

// ---- reset causes and user registers ------------------------------------------------------------

void SysCtl::add_reset_cause(std::uint32_t bits) {
  if (bits & kRescPor) resc_ = 0;
  resc_ |= bits & kRescMask;
  sync_shadows();
}

// RESC and USERREG keep their values outside the bank (they survive reset()). The bank's copy is
// kept equal so that a byte or halfword write merges with the real value of the other lanes.
void SysCtl::sync_shadows() {
  bank_.at(kResc).set(resc_);
  for (unsigned n = 0; n < 4; ++n) bank_.at(kUserReg0 + 4 * n).set(user_[n]);
}

void SysCtl::set_user_reg(unsigned n, std::uint32_t value) {
  if (n >= 4) throw std::out_of_range("USERREG index");
  user_nv_[n] = value;
  user_[n] = value;
  sync_shadows();
}

std::uint32_t SysCtl::user_reg(unsigned n) const {
  if (n >= 4) throw std::out_of_range("USERREG index");
  return user_[n];
}

void SysCtl::commit_user_regs() { user_nv_ = user_; }

// ---- peripheral gating --------------------------------------------------------------------------

std::uint32_t SysCtl::present(PeriphClass c) const {
  const int ci = class_index(c);
  return ci < 0 ? 0 : kClasses[ci].present;
}

bool SysCtl::clocked(PeriphClass c, unsigned instance) const {
  const int ci = class_index(c);
  return ci >= 0 && instance < 32 && ((pr_[ci] >> instance) & 1u);
}

bool SysCtl::in_reset(PeriphClass c, unsigned instance) const {
  const int ci = class_index(c);
  if (ci < 0 || instance >= 32) return false;
  const Register* sr = const_cast<RegisterBank&>(bank_).find(kSrBase + static_cast<std::uint32_t>(c));
  return sr && ((sr->value() >> instance) & 1u);
}

void SysCtl::schedule_ready(std::size_t ci, unsigned bit) {
  // The clock needs a few ticks to reach the peripheral: PR rises kPeripheralReadyTicks after RCGC
  // (or after the SR release), which is what firmware polling PR after setting RCGC expects.
  events_.cancel(ready_ev_[ci][bit]);
  ready_ev_[ci][bit] = events_.schedule_in(kPeripheralReadyTicks, [this, ci, bit] {
    ready_ev_[ci][bit] = kNoEvent;
    const auto sfx = static_cast<std::uint32_t>(kClasses[ci].cls);
    const bool gated = (bank_.at(kRcgcBase + sfx).value() >> bit) & 1u;
    const bool held = (bank_.at(kSrBase + sfx).value() >> bit) & 1u;
    if (gated && !held) pr_[ci] |= 1u << bit;
  });
}

void SysCtl::cancel_ready(std::size_t ci, unsigned bit) {
  events_.cancel(ready_ev_[ci][bit]);
  ready_ev_[ci][bit] = kNoEvent;
  pr_[ci] &= ~(1u << bit);
}

void SysCtl::write_rcgc(std::size_t ci, std::uint32_t value) {
  const auto sfx = static_cast<std::uint32_t>(kClasses[ci].cls);
  Register& rcgc = bank_.at(kRcgcBase + sfx);
  const std::uint32_t sr = bank_.at(kSrBase + sfx).value();
  value &= kClasses[ci].present;  // instances the part does not have stay 0
  const std::uint32_t old = rcgc.value();
  rcgc.set(value);
  for (unsigned bit = 0; bit < 32; ++bit) {
    const std::uint32_t m = 1u << bit;
    if ((value & m) && !(old & m) && !(sr & m)) schedule_ready(ci, bit);
    if (!(value & m) && (old & m)) cancel_ready(ci, bit);  // clock removed: not ready at once
  }
}

void SysCtl::write_sr(std::size_t ci, std::uint32_t value) {
  const auto sfx = static_cast<std::uint32_t>(kClasses[ci].cls);
  Register& sr = bank_.at(kSrBase + sfx);
  const std::uint32_t rcgc = bank_.at(kRcgcBase + sfx).value();
  value &= kClasses[ci].present;
  const std::uint32_t old = sr.value();
  sr.set(value);
  const std::uint32_t entering = value & ~old;
  const std::uint32_t leaving = old & ~value;
  for (unsigned bit = 0; bit < 32; ++bit) {
    const std::uint32_t m = 1u << bit;
    // A peripheral in reset is not ready (PR reads 0 "while completing a reset sequence").
    if (entering & m) cancel_ready(ci, bit);
    if ((leaving & m) && (rcgc & m)) schedule_ready(ci, bit);
  }
  // State first, then the board: its reset handlers may already query in_reset().
  for (unsigned bit = 0; bit < 32; ++bit)
    if (entering & (1u << bit))
      for (auto& cb : reset_cbs_) cb(kClasses[ci].cls, bit);
}

// ---- clock tree ---------------------------------------------------------------------------------

std::uint64_t SysCtl::osc_hz(std::uint32_t src) const {
  switch (src) {
    case kSrcPiosc: return kPioscHz;
    case kSrcLfiosc: return 33'000;
    case kSrcRtc: return 32'768;
    case kSrcMosc: return kMoscHz;
    default: return kPioscHz;  // reserved encodings: stay on PIOSC
  }
}

void SysCtl::write_moscctl(std::uint32_t value) {
  Register& r = bank_.at(kMoscCtl);
  r.set(value & 0x1F);
  // Product decision: the crystal starts at once (no start-up delay); MOSCPUPRIS is raised in the
  // same write so the usual "wait for MOSCPUPRIS" loop ends on its first poll.
  if (!(value & (kMoscPwrDn | kMoscNoXtal))) {
    Register& ris = bank_.at(kRis);
    ris.set(ris.value() | kRisMoscPup);
  }
  update_sysclk();
  update_irq();
}

void SysCtl::start_pll_lock() {
  // The PLL (re)starts from the parameters and input present now; LOCK drops until it settles.
  const std::uint32_t f0 = bank_.at(kPllFreq0).value();
  const std::uint32_t f1 = bank_.at(kPllFreq1).value();
  const std::uint32_t cfg = bank_.at(kRsClkCfg).value();
  pll_.fin = osc_hz((cfg >> 24) & 0xF);
  pll_.mint = f0 & 0x3FF;
  pll_.mfrac = (f0 >> 10) & 0x3FF;
  pll_.n = f1 & 0x1F;
  pll_.q = (f1 >> 8) & 0x1F;
  pll_locked_ = false;
  events_.cancel(lock_ev_);
  lock_ev_ = events_.schedule_in(kPllLockTicks, [this] {
    lock_ev_ = kNoEvent;
    pll_locked_ = true;
    Register& ris = bank_.at(kRis);
    ris.set(ris.value() | kRisPllL);
    update_sysclk();
    update_irq();
  });
}

void SysCtl::stop_pll() {
  events_.cancel(lock_ev_);
  lock_ev_ = kNoEvent;
  pll_locked_ = false;
}

void SysCtl::write_pllfreq0(std::uint32_t value) {
  Register& r = bank_.at(kPllFreq0);
  const std::uint32_t old = r.value();
  value &= 0x008FFFFF;  // MINT, MFRAC, PLLPWR
  r.set(value);
  if ((value & kPllPwr) && !(old & kPllPwr)) start_pll_lock();  // power-up: lock from scratch
  if (!(value & kPllPwr) && (old & kPllPwr)) stop_pll();
  // MINT/MFRAC changes while powered wait for RSCLKCFG.NEWFREQ, as on the part.
  update_sysclk();
}

void SysCtl::write_rsclkcfg(std::uint32_t value) {
  Register& r = bank_.at(kRsClkCfg);
  r.set(value & kRsClkCfgStored);  // NEWFREQ and MEMTIMU self-clear
  if ((value & kNewFreq) && (bank_.at(kPllFreq0).value() & kPllPwr)) start_pll_lock();
  // MEMTIMU would load MEMTIM0 into the flash/EEPROM timing; wait states are not modelled.
  // Decision: divisor/source/USEPLL changes apply at this write whether or not MEMTIMU is set.
  update_sysclk();
}

void SysCtl::update_sysclk() {
  const std::uint32_t cfg = bank_.at(kRsClkCfg).value();
  std::uint64_t hz = 0;
  const bool pll_on = bank_.at(kPllFreq0).value() & kPllPwr;
  if ((cfg & kUsePll) && pll_locked_ && pll_on) {
    const std::uint64_t psysdiv = cfg & 0x3FF;
    // sysclk = fin * (MINT + MFRAC/1024) / ((N+1)(Q+1)) / (PSYSDIV+1), in integers.
    const unsigned __int128 num = static_cast<unsigned __int128>(pll_.fin) * (pll_.mint * 1024ull + pll_.mfrac);
    const unsigned __int128 den = static_cast<unsigned __int128>(1024) * (pll_.n + 1) * (pll_.q + 1) * (psysdiv + 1);
    hz = static_cast<std::uint64_t>(num / den);
    if (hz == 0) log_warning(name_ + ": PLL programmed to 0 Hz; running from the oscillator");
  }
  if (hz == 0) {
    // Not on the PLL (or PLL still locking): the oscillator through OSYSDIV.
    const std::uint32_t src = (cfg >> 20) & 0xF;
    if (src == kSrcMosc && (bank_.at(kMoscCtl).value() & (kMoscPwrDn | kMoscNoXtal)) && !warned_mosc_off_) {
      warned_mosc_off_ = true;
      log_warning(name_ + ": MOSC selected while MOSCCTL powers it down; modelled as running");
    }
    hz = osc_hz(src) / (((cfg >> 10) & 0x3FF) + 1);
  }
  if (hz == sysclk_hz_) return;
  sysclk_hz_ = hz;
  for (auto& cb : sysclk_cbs_) cb(hz);
}

void SysCtl::update_irq() { irq_.set((bank_.at(kRis).value() & bank_.at(kImc).value()) != 0); }

}  // namespace k7sim
