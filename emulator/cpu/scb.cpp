#include "emulator/cpu/scb.h"

namespace k7sim {

namespace {
constexpr std::uint32_t kIctr = 0x004, kActlr = 0x008;
constexpr std::uint32_t kCpuid = 0xD00, kIcsr = 0xD04, kVtor = 0xD08, kAircr = 0xD0C, kScr = 0xD10, kCcr = 0xD14,
                        kShpr1 = 0xD18, kShpr2 = 0xD1C, kShpr3 = 0xD20, kShcsr = 0xD24, kCfsr = 0xD28,
                        kHfsr = 0xD2C, kDfsr = 0xD30, kMmfar = 0xD34, kBfar = 0xD38, kAfsr = 0xD3C,
                        kCpacr = 0xD88, kDhcsr = 0xDF0, kDemcr = 0xDFC, kFpccr = 0xF34, kFpcar = 0xF38,
                        kFpdscr = 0xF3C;
constexpr std::uint32_t kVectKey = 0x05FA;
// ICSR bits
constexpr std::uint32_t kPendStClr = 1u << 25, kPendStSet = 1u << 26, kPendSvClr = 1u << 27, kPendSvSet = 1u << 28,
                        kNmiPendSet = 1u << 31, kIsrPending = 1u << 22, kRetToBase = 1u << 11;
}  // namespace

Scb::Scb(Nvic& nvic, Hooks hooks) : nvic_(nvic), hooks_(std::move(hooks)) {
  // 111 interrupts → INTLINESNUM = 3 (up to 128 lines).
  bank_.define({"ICTR", kIctr, 3}).read_only();
  bank_.define({"ACTLR", kActlr, 0}).mask(0x307);
  // Cortex-M4 r0p1.
  bank_.define({"CPUID", kCpuid, 0x410FC241}).read_only();
  bank_.define({"ICSR", kIcsr})
      .on_read([this] {
        std::uint32_t v = hooks_.active_exception ? hooks_.active_exception() & 0x1FF : 0;
        v |= (nvic_.vect_pending() & 0x1FF) << 12;
        if (nvic_.isr_pending()) v |= kIsrPending;
        if (hooks_.return_to_base && hooks_.return_to_base()) v |= kRetToBase;
        if (nvic_.pending(exc::kSysTick)) v |= kPendStSet;
        if (nvic_.pending(exc::kPendSv)) v |= kPendSvSet;
        if (nvic_.pending(exc::kNmi)) v |= kNmiPendSet;
        return v;
      })
      .on_write([this](std::uint32_t v) {
        if (v & kNmiPendSet) nvic_.set_pending(exc::kNmi);
        if (v & kPendSvSet) nvic_.set_pending(exc::kPendSv);
        else if (v & kPendSvClr) nvic_.clear_pending(exc::kPendSv);
        if (v & kPendStSet) nvic_.set_pending(exc::kSysTick);
        else if (v & kPendStClr) nvic_.clear_pending(exc::kSysTick);
      });
  // TBLOFF [29:7]: the table must be 128-word aligned for 111 IRQs (bits [9:0] ignored would be
  // stricter; we keep [6:0] as zero like the architecture requires at minimum).
  bank_.define({"VTOR", kVtor}).on_read([this] { return vtor_; }).on_write([this](std::uint32_t v) {
    vtor_ = v & 0xFFFFFF80u;
  });
  bank_.define({"AIRCR", kAircr})
      .on_read([this] { return (0xFA05u << 16) | (nvic_.prigroup() << 8); })  // VECTKEYSTAT, little endian
      .on_write([this](std::uint32_t v) {
        if ((v >> 16) != kVectKey) return;  // writes without the key are ignored
        nvic_.set_prigroup((v >> 8) & 7);
        if ((v & (1u << 2)) || (v & 1u)) {  // SYSRESETREQ (or VECTRESET, debug-only: treated alike)
          if (hooks_.system_reset_request) hooks_.system_reset_request();
        }
        if (v & (1u << 1)) nvic_.clear_pending(exc::kNmi);  // VECTCLRACTIVE (debug): best effort
      });
  bank_.define({"SCR", kScr}).on_read([this] { return scr_; }).on_write([this](std::uint32_t v) { scr_ = v & 0x16; });
  // Reset: STKALIGN = 1 (8-byte stack alignment on exception entry).
  bank_.define({"CCR", kCcr}).on_read([this] { return ccr_; }).on_write([this](std::uint32_t v) { ccr_ = v & 0x31B; });
  for (std::uint32_t r = 0; r < 3; ++r) {
    const std::uint32_t off = kShpr1 + 4 * r;
    bank_.define({"SHPR" + std::to_string(r + 1), off})
        .on_read([this, r] {
          std::uint32_t v = 0;
          for (unsigned b = 0; b < 4; ++b) v |= std::uint32_t(nvic_.priority_byte(4 + 4 * r + b)) << (8 * b);
          return v;
        })
        .on_write([this, r](std::uint32_t v) {
          for (unsigned b = 0; b < 4; ++b) {
            const unsigned e = 4 + 4 * r + b;
            // Only MemManage, BusFault, UsageFault, SVCall, DebugMonitor, PendSV, SysTick exist.
            if (e == 4 || e == 5 || e == 6 || e == 11 || e == 12 || e == 14 || e == 15)
              nvic_.set_priority_byte(e, std::uint8_t(v >> (8 * b)));
          }
        });
  }
  bank_.define({"SHCSR", kShcsr})
      .on_read([this] {
        std::uint32_t v = 0;
        v |= nvic_.active(exc::kMemManage) ? 1u << 0 : 0;
        v |= nvic_.active(exc::kBusFault) ? 1u << 1 : 0;
        v |= nvic_.active(exc::kUsageFault) ? 1u << 3 : 0;
        v |= nvic_.active(exc::kSvCall) ? 1u << 7 : 0;
        v |= nvic_.active(exc::kDebugMonitor) ? 1u << 8 : 0;
        v |= nvic_.active(exc::kPendSv) ? 1u << 10 : 0;
        v |= nvic_.active(exc::kSysTick) ? 1u << 11 : 0;
        v |= nvic_.pending(exc::kUsageFault) ? 1u << 12 : 0;
        v |= nvic_.pending(exc::kMemManage) ? 1u << 13 : 0;
        v |= nvic_.pending(exc::kBusFault) ? 1u << 14 : 0;
        v |= nvic_.pending(exc::kSvCall) ? 1u << 15 : 0;
        v |= nvic_.enabled(exc::kMemManage) ? 1u << 16 : 0;
        v |= nvic_.enabled(exc::kBusFault) ? 1u << 17 : 0;
        v |= nvic_.enabled(exc::kUsageFault) ? 1u << 18 : 0;
        return v;
      })
      .on_write([this](std::uint32_t v) {
        nvic_.set_fault_enabled(exc::kMemManage, v & (1u << 16));
        nvic_.set_fault_enabled(exc::kBusFault, v & (1u << 17));
        nvic_.set_fault_enabled(exc::kUsageFault, v & (1u << 18));
      });
  // Fault status registers are write-one-to-clear.
  bank_.define({"CFSR", kCfsr}).on_read([this] { return cfsr_; }).on_write([this](std::uint32_t v) { cfsr_ &= ~v; });
  bank_.define({"HFSR", kHfsr}).on_read([this] { return hfsr_; }).on_write([this](std::uint32_t v) { hfsr_ &= ~v; });
  bank_.define({"DFSR", kDfsr}).mask(0x1F);
  bank_.define({"MMFAR", kMmfar}).on_read([this] { return mmfar_; }).on_write([this](std::uint32_t v) { mmfar_ = v; });
  bank_.define({"BFAR", kBfar}).on_read([this] { return bfar_; }).on_write([this](std::uint32_t v) { bfar_ = v; });
  bank_.define({"AFSR", kAfsr});
  // CP10/CP11 access; the emulated FPU works regardless (see docs/board.md).
  bank_.define({"CPACR", kCpacr}).mask(0x00F00000);
  bank_.define({"DHCSR", kDhcsr}).on_read([] { return 0u; }).on_write([](std::uint32_t) {});
  bank_.define({"DEMCR", kDemcr}).on_read([this] { return demcr_; }).on_write([this](std::uint32_t v) {
    demcr_ = v & 0x010F07F1;
  });
  // ASPEN | LSPEN at reset; lazy stacking is performed eagerly by the core (same program-visible result).
  bank_.define({"FPCCR", kFpccr, 0xC0000000}).mask(0xC0000000);
  bank_.define({"FPCAR", kFpcar}).mask(0xFFFFFFF8);
  bank_.define({"FPDSCR", kFpdscr}).mask(0x07C00000);
  reset();
}

std::uint32_t Scb::read(std::uint32_t offset, unsigned size) { return bank_.read(offset, size); }
void Scb::write(std::uint32_t offset, std::uint32_t value, unsigned size) { bank_.write(offset, value, size); }

void Scb::reset() {
  bank_.reset();
  vtor_ = 0;
  scr_ = 0;
  ccr_ = 1u << 9;  // STKALIGN
  cfsr_ = hfsr_ = bfar_ = mmfar_ = 0;
  // DEMCR is reset only by a power-on reset on real parts; a system reset keeps it. The board
  // calls reset() for both, which is close enough for firmware that sets TRCENA at start-up.
  demcr_ = 0;
}

void Scb::record_fault(std::uint32_t cfsr_bits, std::uint32_t hfsr_bits, std::uint32_t bfar, bool bfar_valid) {
  cfsr_ |= cfsr_bits;
  hfsr_ |= hfsr_bits;
  if (bfar_valid) bfar_ = bfar;
}

Dwt::Dwt(std::function<std::uint64_t()> cycles, std::function<bool()> trace_enabled)
    : cycles_(std::move(cycles)), trace_enabled_(std::move(trace_enabled)) {
  // CTRL: NUMCOMP = 4 comparators reported, CYCCNTENA b0.
  bank_.define({"DWT_CTRL", 0x000})
      .on_read([this] { return 0x40000000u | (running_ ? 1u : 0u); })
      .on_write([this](std::uint32_t v) {
        const bool run = v & 1u;
        if (run == running_) return;
        base_value_ = cyccnt();
        base_cycles_ = cycles_();
        running_ = run;
      });
  bank_.define({"DWT_CYCCNT", 0x004}).on_read([this] { return cyccnt(); }).on_write([this](std::uint32_t v) {
    base_value_ = v;
    base_cycles_ = cycles_();
  });
  bank_.define({"DWT_LAR", 0xFB0}).on_read([] { return 0u; }).on_write([](std::uint32_t) {});
  bank_.define({"DWT_LSR", 0xFB4}).read_only();
}

std::uint32_t Dwt::cyccnt() const {
  if (!running_ || !trace_enabled_()) return base_value_;
  return base_value_ + static_cast<std::uint32_t>(cycles_() - base_cycles_);
}

void Dwt::reset() {
  bank_.reset();
  running_ = false;
  base_value_ = 0;
  base_cycles_ = cycles_();
}

}  // namespace k7sim
