#include "harness/serial_host.h"

#include <cmath>

namespace k7sim {

SerialHost::SerialHost(Board& board, SerialFormat format, double baud_error_percent, Cycles t0)
    : board_(board), format_(format), t0_(t0) {
  // A host clock that runs fast by e% makes every bit shorter by that factor.
  bit_ticks_ = double(kTickHz) / (double(format.baud) * (1.0 + baud_error_percent / 100.0));
  line_free_ = board.now();
  board_.on_module_tx([this](const SerialFrame& f) {
    // The module's character is complete when its last stop bit ends; look at it then.
    if (attached_) board_.events().schedule_at(f.end(), [this, f] { deliver(f); });
  });
}

Cycles SerialHost::send(const std::vector<std::uint8_t>& bytes, Cycles gap) {
  EventQueue& ev = board_.events();
  Cycles t = std::max(line_free_, ev.now());
  const double frame_ticks = bit_ticks_ * format_.bits_per_frame();
  bool first = true;
  double exact = double(t);
  for (std::uint8_t b : bytes) {
    if (!first) exact += double(gap);
    first = false;
    SerialFrame f;
    f.start = static_cast<Cycles>(std::llround(exact));
    f.bit_ticks = bit_ticks_;
    f.format = format_;
    f.data = std::uint8_t(b & ((1u << format_.data_bits) - 1));
    f.parity_bit = SerialFrame::compute_parity(f.data, format_);
    SerialRecord r;
    r.dir = SerialRecord::Dir::HostToDevice;
    r.start = f.start - t0_;
    r.end = f.end() - t0_;
    r.value = f.data;
    r.bit_ticks = bit_ticks_;
    r.bits = format_.bits_per_frame();
    r.wire = f.data;
    r.parity_bit = f.parity_bit;
    r.data_bits = format_.data_bits;
    r.parity = format_.parity;
    log_.push_back(r);
    ev.schedule_at(f.start, [this, f] { board_.module_rx(f); });
    // Successive characters are placed on exact (fractional) bit boundaries of the host clock.
    exact += frame_ticks;
    t = static_cast<Cycles>(std::llround(exact));
  }
  line_free_ = t;
  return t;
}

Cycles SerialHost::send_break(Cycles duration) {
  EventQueue& ev = board_.events();
  SerialFrame f;
  f.start = std::max(line_free_, ev.now());
  f.bit_ticks = bit_ticks_;
  f.format = format_;
  f.is_break = true;
  f.break_ticks = duration;
  SerialRecord r;
  r.dir = SerialRecord::Dir::HostToDevice;
  r.start = f.start - t0_;
  r.end = f.end() - t0_;
  r.is_break = true;
  r.bit_ticks = bit_ticks_;
  log_.push_back(r);
  ev.schedule_at(f.start, [this, f] { board_.module_rx(f); });
  line_free_ = f.end() + static_cast<Cycles>(std::llround(bit_ticks_));  // one idle bit after the break
  return f.end();
}

SerialRecord SerialHost::decode(const SerialFrame& f) const {
  SerialRecord r;
  r.dir = SerialRecord::Dir::DeviceToHost;
  r.start = f.start - t0_;
  r.end = f.end() - t0_;
  r.bit_ticks = f.bit_ticks;
  r.bits = f.format.bits_per_frame();
  r.wire = f.data;
  r.parity_bit = f.parity_bit;
  r.data_bits = f.format.data_bits;
  r.parity = f.format.parity;
  auto sample = [&](double bit_index) {
    return f.level_at(f.start + static_cast<Cycles>(std::llround((bit_index + 0.5) * bit_ticks_)));
  };
  // Sample the module's waveform with the host's own bit clock, starting at the falling edge.
  std::uint8_t value = 0;
  bool all_low = !sample(0);
  for (unsigned i = 0; i < format_.data_bits; ++i) {
    const bool bit = sample(1 + i);
    if (bit) value |= std::uint8_t(1u << i);
    all_low = all_low && !bit;
  }
  unsigned next = 1 + format_.data_bits;
  if (format_.parity != 'N') {
    const bool p = sample(next++);
    r.parity_error = p != SerialFrame::compute_parity(value, format_);
    all_low = all_low && !p;
  }
  const bool stop = sample(next);
  r.framing_error = !stop;
  r.is_break = f.is_break || (all_low && !stop);
  r.value = r.is_break ? 0 : value;
  return r;
}

void SerialHost::deliver(const SerialFrame& f) {
  if (!attached_) return;
  SerialRecord r = decode(f);
  received_.push_back(r);
  log_.push_back(r);
  if (on_receive_) on_receive_();
}

}  // namespace k7sim
