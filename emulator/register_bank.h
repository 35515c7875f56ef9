// Declarative register tables for device models (the shape of Renode's register collections):
// each register is declared once with its name, offset, reset value and optional read/write
// behaviour, and the bank does dispatch, reset, sub-word access and unknown-offset logging.
//
//   bank_.define({"IBRD", 0x024, 0x0}).mask(0xFFFF);
//   bank_.define({"DR", 0x000}).on_read([this] { return pop_rx(); }).on_write([this](uint32_t v) { push_tx(v); });
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

namespace k7sim {

class Register {
 public:
  using ReadFn = std::function<std::uint32_t()>;
  using WriteFn = std::function<void(std::uint32_t value)>;

  Register(std::string name, std::uint32_t offset, std::uint32_t reset = 0)
      : name_(std::move(name)), offset_(offset), reset_(reset), value_(reset) {}

  // Bits that software can change with a plain write (others keep their value). Default: all.
  Register& mask(std::uint32_t writable) { writable_ = writable; return *this; }
  Register& read_only() { read_only_ = true; return *this; }
  // Replace the plain read of the stored value.
  Register& on_read(ReadFn fn) { read_ = std::move(fn); return *this; }
  // Called with the value written (already merged for sub-word writes). When set, the stored
  // value is NOT updated automatically: the callback decides (use set()).
  Register& on_write(WriteFn fn) { write_ = std::move(fn); return *this; }

  const std::string& name() const { return name_; }
  std::uint32_t offset() const { return offset_; }
  std::uint32_t reset_value() const { return reset_; }
  std::uint32_t value() const { return value_; }
  void set(std::uint32_t v) { value_ = v; }
  void reset() { value_ = reset_; }

  std::uint32_t read() const { return read_ ? read_() : value_; }
  void write(std::uint32_t v) {
    if (read_only_) return;
    if (write_) { write_(v); return; }
    value_ = (value_ & ~writable_) | (v & writable_);
  }

 private:
  std::string name_;
  std::uint32_t offset_;
  std::uint32_t reset_;
  std::uint32_t value_;
  std::uint32_t writable_ = 0xFFFFFFFFu;
  bool read_only_ = false;
  ReadFn read_;
  WriteFn write_;
};

class RegisterBank {
 public:
  explicit RegisterBank(std::string device_name) : device_(std::move(device_name)) {}

  Register& define(Register r) {
    auto [it, inserted] = regs_.insert_or_assign(r.offset(), std::move(r));
    return it->second;
  }
  Register* find(std::uint32_t offset) {
    auto it = regs_.find(offset);
    return it == regs_.end() ? nullptr : &it->second;
  }
  const Register* find(std::uint32_t offset) const {
    auto it = regs_.find(offset);
    return it == regs_.end() ? nullptr : &it->second;
  }
  // Stored value of a declared register, 0 for an undeclared offset (no side effects, no logging).
  std::uint32_t value_of(std::uint32_t offset) const {
    const Register* r = find(offset);
    return r ? r->value() : 0;
  }
  Register& at(std::uint32_t offset);  // throws std::out_of_range for an undeclared offset

  // Sub-word accesses act on the containing word: a read extracts the lanes, a write merges the
  // new lanes into the current value before the register's write behaviour runs.
  std::uint32_t read(std::uint32_t offset, unsigned size);
  void write(std::uint32_t offset, std::uint32_t value, unsigned size);
  void reset();

  // Offsets accessed that no register declares: read as 0, writes ignored, each logged once.
  const std::set<std::uint32_t>& unknown_offsets() const { return unknown_; }

 private:
  void note_unknown(std::uint32_t offset, bool is_write);

  std::string device_;
  std::map<std::uint32_t, Register> regs_;
  std::set<std::uint32_t> unknown_;
};

}  // namespace k7sim
