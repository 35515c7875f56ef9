#include "peripherals/eeprom.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "emulator/log.h"

namespace k7sim {

Eeprom::Eeprom(EventQueue& events, NvOpCounter& counter, std::vector<std::uint32_t>& words, std::string name)
    : name_(std::move(name)), events_(events), counter_(counter), words_(words), bank_(name_) {
  if (words_.size() != kWords)
    throw std::invalid_argument(name_ + ": EEPROM store must hold " + std::to_string(kWords) + " words, got " +
                                std::to_string(words_.size()));
  define_registers();
  reset();
}

void Eeprom::define_registers() {
  bank_.define({"EESIZE", kEesize, kEesizeValue}).read_only();
  // EEBLOCK: a block number beyond the last one is ignored (the register keeps its value).
  bank_.define({"EEBLOCK", kEeblock, 0}).on_read([this] { return block_; }).on_write([this](std::uint32_t v) {
    v &= 0xFFFF;
    if (v >= kBlocks) {
      if (!warned_block_) {
        warned_block_ = true;
        log_warning(name_ + ": EEBLOCK " + std::to_string(v) + " out of range ignored (logged once)");
      }
      return;
    }
    block_ = v;
  });
  bank_.define({"EEOFFSET", kEeoffset, 0}).on_read([this] { return offset_; }).on_write([this](std::uint32_t v) {
    offset_ = v & 0xF;
  });
  // Reads return the stored word; while a write is in flight that word still holds its old value.
  bank_.define({"EERDWR", kEerdwr, 0}).on_read([this] { return words_[index()]; }).on_write([this](std::uint32_t v) {
    start_write(v);
  });
  bank_.define({"EERDWRINC", kEerdwrinc, 0})
      .on_read([this] {
        const std::uint32_t v = words_[index()];
        offset_ = (offset_ + 1) & 0xF;  // wraps within the block; the block does not advance
        return v;
      })
      .on_write([this](std::uint32_t v) {
        const bool accepted = !working();  // a rejected write leaves the offset where it was
        start_write(v);
        if (accepted) offset_ = (offset_ + 1) & 0xF;
      });
  bank_.define({"EEDONE", kEedone, 0}).read_only().on_read([this] { return done_; });
  bank_.define({"EESUPP", kEesupp, 0}).on_read([] { return 0u; }).on_write([](std::uint32_t) {});
  // No password is ever set in this model: EEUNLOCK reads 1 (unlocked), writes are ignored.
  bank_.define({"EEUNLOCK", kEeunlock, 1}).read_only();
  bank_.define({"EEPROT", kEeprot, 0}).mask(0xF);  // stored, not enforced
  for (unsigned i = 0; i < 3; ++i) bank_.define({"EEPASS" + std::to_string(i), kEepass0 + 4 * i, 0});
  bank_.define({"EEINT", kEeint, 0}).mask(kEeintInt);
  bank_.define({"EEHIDE", kEehide, 0});  // stored, hiding not enforced
}

std::uint32_t Eeprom::read(std::uint32_t offset, unsigned size) { return bank_.read(offset, size); }
void Eeprom::write(std::uint32_t offset, std::uint32_t value, unsigned size) { bank_.write(offset, value, size); }

void Eeprom::start_write(std::uint32_t value) {
  if (working()) {
    // A write while WORKING is dropped and flagged in EEDONE.WRBUSY (cleared by the next accepted write).
    done_ |= kWrBusy;
    if (!warned_busy_) {
      warned_busy_ = true;
      log_warning(name_ + ": write while WORKING ignored (EEDONE.WRBUSY; logged once)");
    }
    return;
  }
  done_ = kWorking;
  writing_ = true;
  new_value_ = value;
  const Cycles now = events_.now();
  op_ = NvOp{NvOp::Kind::EepromWrite, index(), now, now + kWordWriteTicks, 0};
  ev_ = events_.schedule_at(op_.end, [this] {
    ev_ = kNoEvent;
    finish_write();
  });
  // Observers may cut power right here (synchronously); the write is fully set up by now.
  const NvOp numbered = counter_.begin(op_.kind, op_.address, op_.start, op_.end);
  if (!writing_) return;
  op_.index = numbered.index;
  for (auto& fn : op_cbs_) fn(op_);
}

void Eeprom::finish_write() {
  words_[op_.address] = new_value_;
  writing_ = false;
  done_ &= ~kWorking;
  if (bank_.at(kEeint).value() & kEeintInt)
    for (auto& fn : int_cbs_) fn();
}

void Eeprom::abort_in_flight() {
  events_.cancel(ev_);
  ev_ = kNoEvent;
  if (!writing_) return;
  // The bits that differ take their new value in ascending bit order, in proportion to the time
  // the write ran.
  const Cycles now = events_.now();
  const Cycles dur = op_.end - op_.start;
  const Cycles elapsed = now > op_.start ? std::min(now - op_.start, dur) : 0;
  const std::uint32_t old = words_[op_.address];
  std::uint32_t diff = old ^ new_value_;
  const auto k = static_cast<unsigned>(static_cast<std::uint64_t>(std::popcount(diff)) * elapsed / dur);
  std::uint32_t v = old;
  for (unsigned i = 0; i < k; ++i) {
    const std::uint32_t lowest = diff & (~diff + 1);
    v ^= lowest;
    diff &= ~lowest;
  }
  words_[op_.address] = v;
  writing_ = false;
}

void Eeprom::power_loss() {
  abort_in_flight();
  bank_.reset();
  block_ = offset_ = 0;
  done_ = 0;
}

void Eeprom::reset() {
  abort_in_flight();
  bank_.reset();
  block_ = offset_ = 0;
  done_ = kWorking;  // the module loads its state after reset
  ev_ = events_.schedule_in(kInitTicks, [this] {
    ev_ = kNoEvent;
    done_ &= ~kWorking;
  });
}

}  // namespace k7sim
