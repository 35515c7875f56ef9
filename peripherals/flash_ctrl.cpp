#include "peripherals/flash_ctrl.h"

#include <algorithm>
#include <bit>

#include "emulator/log.h"

namespace k7sim {
namespace {

constexpr std::uint32_t kFmaMask = 0x000FFFFF;  // OFFSET [19:0]

// Clear the k lowest set bits of `bits` in `value` (the order in which a partial program lands).
std::uint32_t clear_lowest(std::uint32_t value, std::uint32_t bits, unsigned k) {
  for (unsigned i = 0; i < k && bits != 0; ++i) {
    const std::uint32_t lowest = bits & (~bits + 1);
    value &= ~lowest;
    bits &= ~lowest;
  }
  return value;
}

}  // namespace

FlashController::FlashController(EventQueue& events, NvOpCounter& counter, std::vector<std::uint8_t>& flash,
                                 CodeChanged code_changed, std::string name)
    : name_(std::move(name)),
      events_(events),
      counter_(counter),
      flash_(flash),
      code_changed_(std::move(code_changed)),
      bank_(name_),
      irq_(name_ + ".irq") {
  define_registers();
}

void FlashController::define_registers() {
  bank_.define({"FMA", kFma, 0}).mask(kFmaMask);
  bank_.define({"FMD", kFmd, 0});
  // Command bits read 1 while their operation runs; WRKEY reads 0.
  bank_.define({"FMC", kFmc, 0}).on_read([this] { return busy_fmc_; }).on_write([this](std::uint32_t v) {
    write_fmc(v);
  });
  bank_.define({"FCRIS", kFcris, 0}).read_only().on_read([this] { return fcris_; });
  bank_.define({"FCIM", kFcim, 0}).on_write([this](std::uint32_t v) {
    bank_.at(kFcim).set(v & kIntMask);
    update_irq();
  });
  bank_.define({"FCMISC", kFcmisc, 0})
      .on_read([this] { return fcris_ & bank_.at(kFcim).value(); })
      .on_write([this](std::uint32_t v) {
        fcris_ &= ~(v & kIntMask);  // write 1 to clear the raw and masked status
        update_irq();
      });
  bank_.define({"FMC2", kFmc2, 0}).on_read([this] { return busy_fmc2_; }).on_write([this](std::uint32_t v) {
    write_fmc2(v);
  });
  // FWBVAL: bit n set by a write to FWBn, cleared when a buffered program completes; software may
  // also write it directly (bits written 0 drop a buffered word).
  bank_.define({"FWBVAL", kFwbval, 0}).on_read([this] { return fwbval_; }).on_write([this](std::uint32_t v) {
    if (!busy_fmc2_) fwbval_ = v;
  });
  for (unsigned i = 0; i < 32; ++i) {
    bank_.define({"FWB" + std::to_string(i), kFwb0 + 4 * i, 0})
        .on_read([this, i] { return fwb_[i]; })
        .on_write([this, i](std::uint32_t v) {
          if (busy_fmc2_) return;  // the buffer is being programmed
          fwb_[i] = v;
          fwbval_ |= 1u << i;
        });
  }
  bank_.define({"FLASHPP", kPp, kPpValue}).read_only();
  bank_.define({"SSIZE", kSsize, kSsizeValue}).read_only();
  bank_.define({"FLASHCONF", kConf, 0});  // stored; prefetch/mirror not modelled
  bank_.define({"ROMSWMAP", kRomSwMap, 0}).read_only();
}

std::uint32_t FlashController::read(std::uint32_t offset, unsigned size) { return bank_.read(offset, size); }
void FlashController::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
  bank_.write(offset, value, size);
}

void FlashController::warn_once(bool& flag, const std::string& msg) {
  if (flag) return;
  flag = true;
  log_warning(name_ + ": " + msg + " (logged once)");
}

std::uint32_t FlashController::word(std::uint32_t a) const {
  return std::uint32_t{flash_[a]} | std::uint32_t{flash_[a + 1]} << 8 | std::uint32_t{flash_[a + 2]} << 16 |
         std::uint32_t{flash_[a + 3]} << 24;
}

void FlashController::set_word(std::uint32_t a, std::uint32_t v) {
  for (unsigned i = 0; i < 4; ++i) flash_[a + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

void FlashController::write_fmc(std::uint32_t value) {
  const std::uint32_t cmd = value & (kFmcWrite | kFmcErase | kFmcMerase | kFmcComt);
  if (cmd == 0) return;
  if ((value >> 16) != kKey) {
    // Silicon ignores a command written without the key; no status bit reports it.
    warn_once(warned_key_, "FMC command without WRKEY 0xA442 ignored");
    return;
  }
  if (active_) {
    warn_once(warned_busy_, "FMC/FMC2 command while an operation is in flight ignored");
    return;
  }
  const std::uint32_t fma = bank_.at(kFma).value();
  if (cmd & kFmcWrite) {
    const std::uint32_t a = fma & ~3u;
    if (a + 4 > flash_.size()) { set_ris(kIntAccess); return; }
    words_ = {{a, bank_.at(kFmd).value()}};
    busy_fmc_ = kFmcWrite;
    start(NvOp::Kind::FlashProgram, a, kWordProgramTicks);
  } else if (cmd & kFmcErase) {
    const std::uint32_t a = fma & ~(kSectorBytes - 1);
    if (a + kSectorBytes > flash_.size()) { set_ris(kIntAccess); return; }
    erase_begin_ = a;
    erase_end_ = a + kSectorBytes;
    busy_fmc_ = kFmcErase;
    start(NvOp::Kind::FlashSectorErase, a, kSectorEraseTicks);
  } else if (cmd & kFmcMerase) {
    erase_begin_ = 0;
    erase_end_ = static_cast<std::uint32_t>(flash_.size());
    busy_fmc_ = kFmcMerase;
    start(NvOp::Kind::FlashMassErase, 0, kMassEraseTicks);
  } else {
    // COMT: not a program/erase of the main array, so it is not numbered as an NV operation.
    busy_fmc_ = kFmcComt;
    active_ = true;
    commit_pending_ = true;
    op_ = NvOp{};
    ev_ = events_.schedule_in(kCommitTicks, [this] {
      ev_ = kNoEvent;
      active_ = false;
      commit_pending_ = false;
      busy_fmc_ = 0;
      for (auto& fn : commit_cbs_) fn();
    });
  }
}

void FlashController::write_fmc2(std::uint32_t value) {
  if ((value & kFmc2Wrbuf) == 0) return;
  if ((value >> 16) != kKey) {
    warn_once(warned_key_, "FMC2 command without WRKEY 0xA442 ignored");
    return;
  }
  if (active_) {
    warn_once(warned_busy_, "FMC/FMC2 command while an operation is in flight ignored");
    return;
  }
  const std::uint32_t row = bank_.at(kFma).value() & ~(kRowBytes - 1);
  if (row + kRowBytes > flash_.size()) { set_ris(kIntAccess); return; }
  words_.clear();
  for (unsigned i = 0; i < 32; ++i)
    if (fwbval_ & (1u << i)) words_.push_back({row + 4 * i, fwb_[i]});
  busy_fmc2_ = kFmc2Wrbuf;
  start(NvOp::Kind::FlashBufferedProgram, row, kRowProgramTicks);
}

void FlashController::start(NvOp::Kind kind, std::uint32_t address, Cycles duration) {
  const Cycles now = events_.now();
  active_ = true;
  op_ = NvOp{kind, address, now, now + duration, 0};
  ev_ = events_.schedule_at(op_.end, [this] {
    ev_ = kNoEvent;
    complete();
  });
  // Observers may cut power right here (synchronously); the operation is fully set up by now.
  const NvOp numbered = counter_.begin(kind, address, now, now + duration);
  if (!active_) return;
  op_.index = numbered.index;
  for (auto& fn : op_cbs_) fn(op_);
}

void FlashController::complete() {
  const bool program = op_.kind == NvOp::Kind::FlashProgram || op_.kind == NvOp::Kind::FlashBufferedProgram;
  bool invalid = false;
  if (program)
    for (const auto& w : words_) invalid |= (w.data & ~word(w.address)) != 0;  // asks a 0 to become 1
  apply(op_.end - op_.start);
  if (op_.kind == NvOp::Kind::FlashBufferedProgram) fwbval_ = 0;
  active_ = false;
  busy_fmc_ = busy_fmc2_ = 0;
  words_.clear();
  set_ris(kIntProgram | (invalid ? kIntInvalidData : 0));
}

void FlashController::apply(Cycles elapsed) {
  const Cycles dur = op_.end - op_.start;
  if (elapsed > dur) elapsed = dur;
  std::uint32_t begin = 0, end = 0;
  if (op_.kind == NvOp::Kind::FlashProgram || op_.kind == NvOp::Kind::FlashBufferedProgram) {
    if (words_.empty()) return;
    // Words land one after another in ascending address order, each in an equal slice of the time;
    // in the word being programmed, the bits to clear go in ascending bit order, in proportion to
    // the time spent on that word.
    const std::uint64_t n = words_.size();
    const std::uint64_t scaled = elapsed * n;  // words done, times dur
    const std::uint64_t done = dur == 0 ? n : std::min<std::uint64_t>(scaled / dur, n);
    for (std::uint64_t i = 0; i < done; ++i) set_word(words_[i].address, word(words_[i].address) & words_[i].data);
    if (done < n) {
      const auto& w = words_[done];
      const std::uint32_t old = word(w.address);
      const std::uint32_t to_clear = old & ~w.data;
      const std::uint64_t rem = scaled - done * dur;  // in [0, dur)
      const auto k = static_cast<unsigned>(static_cast<std::uint64_t>(std::popcount(to_clear)) * rem / dur);
      set_word(w.address, clear_lowest(old, to_clear, k));
    }
    begin = words_.front().address;
    end = words_.back().address + 4;
  } else {
    // Erase: words return to 0xFFFFFFFF in ascending address order, in proportion to elapsed time.
    const std::uint64_t total = (erase_end_ - erase_begin_) / 4;
    const std::uint64_t k = dur == 0 ? total : total * elapsed / dur;
    std::fill_n(flash_.begin() + erase_begin_, k * 4, std::uint8_t{0xFF});
    begin = erase_begin_;
    end = erase_end_;
  }
  if (code_changed_) code_changed_(begin, end);
}

void FlashController::abort_in_flight() {
  if (!active_) return;
  events_.cancel(ev_);
  ev_ = kNoEvent;
  if (!commit_pending_) {
    const Cycles now = events_.now();
    apply(now > op_.start ? now - op_.start : 0);
  }
  active_ = false;
  commit_pending_ = false;
  busy_fmc_ = busy_fmc2_ = 0;
  words_.clear();
}

void FlashController::reset() {
  abort_in_flight();
  bank_.reset();
  fcris_ = 0;
  fwbval_ = 0;
  fwb_.fill(0);
  update_irq();
}

void FlashController::power_loss() { reset(); }

void FlashController::raise_eeprom_interrupt() { set_ris(kIntEeprom); }

void FlashController::set_ris(std::uint32_t bits) {
  fcris_ |= bits;
  update_irq();
}

void FlashController::update_irq() { irq_.set((fcris_ & bank_.at(kFcim).value()) != 0); }

}  // namespace k7sim
