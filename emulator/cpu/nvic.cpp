#include "emulator/cpu/nvic.h"

namespace k7sim {

namespace {
// Register blocks of the NVIC relative to 0xE000E100 (ARMv7-M ARM B3.4.3).
constexpr std::uint32_t kIser = 0x000, kIcer = 0x080, kIspr = 0x100, kIcpr = 0x180, kIabr = 0x200;
constexpr std::uint32_t kIpr = 0x300;   // 0xE000E400, one byte per IRQ
constexpr std::uint32_t kStir = 0xE00;  // 0xE000EF00
constexpr unsigned kWords = (Nvic::kNumIrqs + 31) / 32;  // 4
}  // namespace

Nvic::Nvic() {
  // Declarative table: the set/clear register pairs act on the bitsets; nothing is stored.
  for (unsigned w = 0; w < kWords; ++w) {
    const unsigned first = w * 32;
    auto bits_of = [this, first](auto getter) {
      std::uint32_t v = 0;
      for (unsigned b = 0; b < 32 && first + b < kNumIrqs; ++b)
        if (getter(first + b)) v |= 1u << b;
      return v;
    };
    auto for_bits = [first](std::uint32_t v, auto fn) {
      for (unsigned b = 0; b < 32 && first + b < kNumIrqs; ++b)
        if (v & (1u << b)) fn(first + b);
    };
    const std::string n = std::to_string(w);
    bank_.define({"ISER" + n, kIser + 4 * w})
        .on_read([=, this] { return bits_of([this](unsigned i) { return bool(enabled_[exc::kFirstIrq + i]); }); })
        .on_write([=, this](std::uint32_t v) { for_bits(v, [this](unsigned i) { enabled_[exc::kFirstIrq + i] = true; }); update_pending_count(); });
    bank_.define({"ICER" + n, kIcer + 4 * w})
        .on_read([=, this] { return bits_of([this](unsigned i) { return bool(enabled_[exc::kFirstIrq + i]); }); })
        .on_write([=, this](std::uint32_t v) { for_bits(v, [this](unsigned i) { enabled_[exc::kFirstIrq + i] = false; }); update_pending_count(); });
    bank_.define({"ISPR" + n, kIspr + 4 * w})
        .on_read([=, this] { return bits_of([this](unsigned i) { return bool(pending_[exc::kFirstIrq + i]); }); })
        .on_write([=, this](std::uint32_t v) { for_bits(v, [this](unsigned i) { set_pending(exc::kFirstIrq + i); }); });
    bank_.define({"ICPR" + n, kIcpr + 4 * w})
        .on_read([=, this] { return bits_of([this](unsigned i) { return bool(pending_[exc::kFirstIrq + i]); }); })
        .on_write([=, this](std::uint32_t v) { for_bits(v, [this](unsigned i) { clear_pending(exc::kFirstIrq + i); }); });
    bank_.define({"IABR" + n, kIabr + 4 * w})
        .on_read([=, this] { return bits_of([this](unsigned i) { return bool(active_[exc::kFirstIrq + i]); }); })
        .read_only();
  }
  for (unsigned w = 0; w < (kNumIrqs + 3) / 4; ++w) {
    bank_.define({"IPR" + std::to_string(w), kIpr + 4 * w})
        .on_read([=, this] {
          std::uint32_t v = 0;
          for (unsigned b = 0; b < 4; ++b) {
            const unsigned irq = 4 * w + b;
            if (irq < kNumIrqs) v |= std::uint32_t(prio_[exc::kFirstIrq + irq]) << (8 * b);
          }
          return v;
        })
        .on_write([=, this](std::uint32_t v) {
          for (unsigned b = 0; b < 4; ++b) {
            const unsigned irq = 4 * w + b;
            if (irq < kNumIrqs) set_priority_byte(exc::kFirstIrq + irq, std::uint8_t(v >> (8 * b)));
          }
        });
  }
  // STIR: software trigger of an external interrupt (write-only, reads 0).
  bank_.define({"STIR", kStir}).on_read([] { return 0u; }).on_write([this](std::uint32_t v) {
    const unsigned irq = v & 0x1FF;
    if (irq < kNumIrqs) set_pending(exc::kFirstIrq + irq);
  });
  reset();
}

std::uint32_t Nvic::read(std::uint32_t offset, unsigned size) { return bank_.read(offset, size); }
void Nvic::write(std::uint32_t offset, std::uint32_t value, unsigned size) { bank_.write(offset, value, size); }

void Nvic::reset() {
  pending_.reset();
  active_.reset();
  enabled_.reset();
  for (unsigned e : {exc::kReset, exc::kNmi, exc::kHardFault, exc::kSvCall, exc::kDebugMonitor, exc::kPendSv, exc::kSysTick})
    enabled_[e] = true;
  prio_.fill(0);
  prigroup_ = 0;
  // Lines keep their level: the devices driving them are reset separately and lower them.
  for (unsigned i = 0; i < kNumIrqs; ++i)
    if (lines_[i]) pending_[exc::kFirstIrq + i] = true;
  update_pending_count();
}

void Nvic::set_irq_line(unsigned irq, bool level) {
  if (irq >= kNumIrqs) return;
  lines_[irq] = level;
  // A rising request pends the interrupt unless it is already active (it re-pends on return).
  if (level && !active_[exc::kFirstIrq + irq]) set_pending(exc::kFirstIrq + irq);
}

void Nvic::set_pending(unsigned exception) {
  if (exception == 0 || exception >= kNumExceptions) return;
  pending_[exception] = true;
  update_pending_count();
}

void Nvic::clear_pending(unsigned exception) {
  if (exception >= kNumExceptions) return;
  pending_[exception] = false;
  // A level-sensitive line that is still high pends again at once.
  if (exception >= exc::kFirstIrq && lines_[exception - exc::kFirstIrq] && !active_[exception]) pending_[exception] = true;
  update_pending_count();
}

bool Nvic::enabled(unsigned exception) const { return exception < kNumExceptions && enabled_[exception]; }

void Nvic::set_fault_enabled(unsigned exception, bool on) {
  if (exception == exc::kMemManage || exception == exc::kBusFault || exception == exc::kUsageFault) {
    enabled_[exception] = on;
    update_pending_count();
  }
}

int Nvic::priority(unsigned exception) const {
  switch (exception) {
    case exc::kReset: return -3;
    case exc::kNmi: return -2;
    case exc::kHardFault: return -1;
    default: return prio_[exception];
  }
}

void Nvic::set_priority_byte(unsigned exception, std::uint8_t value) {
  if (exception < exc::kMemManage || exception >= kNumExceptions) return;
  prio_[exception] = value & kPriorityMask;
}

int Nvic::group_of(int priority) const {
  if (priority < 0) return priority;
  // Group priority = bits [7:PRIGROUP+1] of the priority byte.
  const unsigned sub_bits = prigroup_ + 1;
  return (priority >> sub_bits) << sub_bits;
}

int Nvic::group_priority(unsigned exception) const { return group_of(priority(exception)); }

int Nvic::execution_priority(std::uint32_t primask, std::uint32_t basepri, std::uint32_t faultmask) const {
  int prio = kThreadPriority;
  for (std::size_t e = active_._Find_first(); e < kNumExceptions; e = active_._Find_next(e))
    prio = std::min(prio, group_priority(unsigned(e)));
  if ((basepri & kPriorityMask) != 0) prio = std::min(prio, group_of(int(basepri & kPriorityMask)));
  if (primask & 1) prio = std::min(prio, 0);
  if (faultmask & 1) prio = std::min(prio, -1);
  return prio;
}

unsigned Nvic::pending_candidate() const {
  if (!any_pending_) return 0;
  unsigned best = 0;
  int best_prio = 1 << 20;
  const auto takeable = pending_ & enabled_;
  for (std::size_t e = takeable._Find_first(); e < kNumExceptions; e = takeable._Find_next(e)) {
    const int p = priority(unsigned(e));
    if (p < best_prio) {  // strict: ties go to the lowest exception number
      best = unsigned(e);
      best_prio = p;
    }
  }
  return best;
}

bool Nvic::isr_pending() const { return (pending_ >> exc::kFirstIrq).any(); }

void Nvic::activate(unsigned exception) {
  pending_[exception] = false;
  active_[exception] = true;
  update_pending_count();
}

void Nvic::deactivate(unsigned exception) {
  active_[exception] = false;
  if (exception >= exc::kFirstIrq && lines_[exception - exc::kFirstIrq]) pending_[exception] = true;
  update_pending_count();
}

void Nvic::update_pending_count() { any_pending_ = (pending_ & enabled_).any(); }

}  // namespace k7sim
