#include "harness/serial_host.h"

#include <bit>
#include <cmath>
#include <stdexcept>

namespace k7sim {

namespace {

// The bit index SerialFrame::level_at uses at tick t (the same arithmetic, so edges agree).
double bit_index(const SerialFrame& f, Cycles t) { return std::floor(static_cast<double>(t - f.start) / f.bit_ticks); }

// First tick at which bit `i` of the frame has begun, as level_at sees it.
Cycles bit_boundary(const SerialFrame& f, unsigned i) {
  if (i == 0) return f.start;
  Cycles t = f.start + static_cast<Cycles>(std::ceil(double(i) * f.bit_ticks - 1e-9));
  while (t > f.start && bit_index(f, t - 1) >= double(i)) --t;
  while (bit_index(f, t) < double(i)) ++t;
  return t;
}

// A uniform draw in [0, 1) from the generator's bits (not std::uniform_real_distribution, whose
// algorithm the standard leaves open: the same seed must give the same run everywhere).
double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

}  // namespace

SerialHost::SerialHost(Board& board, SerialFormat format, double baud_error_percent, Cycles t0, bool bit_level)
    : board_(board), format_(format), t0_(t0), bit_level_(bit_level) {
  if (bit_level_ && !board_.module_rx_has_line())
    throw std::runtime_error("the bit-level serial line needs a module UART with a bit-level receiver (serial: {model: rtl})");
  // A host clock that runs fast by e% makes every bit shorter by that factor.
  bit_ticks_ = double(kTickHz) / (double(format.baud) * (1.0 + baud_error_percent / 100.0));
  line_free_ = board.now();
  board_.on_module_tx([this](const SerialFrame& f) {
    // The module's character is complete when its last stop bit ends; look at it then.
    if (attached_) board_.events().schedule_at(f.end(), [this, f] { deliver(f); });
  });
}

std::vector<LineEdge> SerialHost::frame_edges(const SerialFrame& f, std::uint16_t flipped) {
  std::vector<LineEdge> edges;
  if (f.is_break) {
    edges.push_back({f.start, false});
    edges.push_back({f.start + f.break_ticks, true});
    return edges;
  }
  const unsigned n = f.format.bits_per_frame();
  bool level = true;  // idle before the start bit
  for (unsigned i = 0; i <= n; ++i) {
    bool bit = true;  // idle after the last stop bit
    if (i < n) {
      bit = f.level_at(bit_boundary(f, i));
      if ((flipped >> i) & 1u) bit = !bit;
    }
    if (bit != level) {
      edges.push_back({bit_boundary(f, i), bit});
      level = bit;
    }
  }
  return edges;
}

void SerialHost::put_edges(std::vector<LineEdge> edges) {
  if (edges.empty()) return;
  const Cycles at = edges.front().at;  // (the lambda below takes the vector)
  board_.events().schedule_at(at, [this, edges = std::move(edges)] { board_.module_rx_line(edges); });
}

void SerialHost::put_on_line(const SerialFrame& f, std::uint16_t flipped) {
  if (bit_level_) put_edges(frame_edges(f, flipped));
  else board_.events().schedule_at(f.start, [this, f] { board_.module_rx(f); });
}

void SerialHost::set_noise(double ber, Cycles until, std::uint64_t seed) {
  if (!bit_level_) throw std::runtime_error("line noise needs the bit-level serial line (serial: {model: rtl})");
  if (!noise_seeded_) {
    // A stream of its own, apart from the data generators that also start from the seed.
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32), 0x6E6F6973u};
    noise_rng_.seed(seq);
    noise_seeded_ = true;
  }
  ber_ = ber;
  noise_until_ = until;
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
    std::uint16_t flipped = 0;
    if (ber_ > 0 && f.start < noise_until_) {
      for (unsigned i = 0; i < format_.bits_per_frame(); ++i)
        if (unit(noise_rng_) < ber_) flipped |= std::uint16_t(1u << i);
      bits_flipped_ += static_cast<std::uint64_t>(std::popcount(flipped));
    }
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
    r.flipped = flipped;
    log_.push_back(r);
    put_on_line(f, flipped);
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
  put_on_line(f, 0);
  line_free_ = f.end() + static_cast<Cycles>(std::llround(bit_ticks_));  // one idle bit after the break
  return f.end();
}

Cycles SerialHost::send_glitch(Cycles width) {
  if (!bit_level_) throw std::runtime_error("a glitch needs the bit-level serial line (serial: {model: rtl})");
  const Cycles start = std::max(line_free_, board_.events().now());
  SerialRecord r;
  r.dir = SerialRecord::Dir::HostToDevice;
  r.start = start - t0_;
  r.end = start + width - t0_;
  r.is_glitch = true;
  r.bit_ticks = bit_ticks_;
  log_.push_back(r);
  put_edges({{start, false}, {start + width, true}});
  line_free_ = start + width + static_cast<Cycles>(std::llround(bit_ticks_));
  return start + width;
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
