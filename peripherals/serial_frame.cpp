#include "peripherals/serial_frame.h"

#include <bit>
#include <cctype>
#include <cmath>

namespace k7sim {

bool SerialFormat::parse(const std::string& text, SerialFormat& out) {
  // Exactly three characters: data bits, parity letter, stop bits ("8N1", "7E2").
  if (text.size() != 3) return false;
  const char d = text[0];
  const char p = static_cast<char>(std::toupper(static_cast<unsigned char>(text[1])));
  const char s = text[2];
  if (d < '5' || d > '8') return false;
  if (p != 'N' && p != 'O' && p != 'E' && p != 'M' && p != 'S') return false;
  if (s != '1' && s != '2') return false;
  // Only the character format is parsed; the baud rate of `out` is left as it was.
  out.data_bits = static_cast<unsigned>(d - '0');
  out.parity = p;
  out.stop_bits = static_cast<unsigned>(s - '0');
  return true;
}

std::string SerialFormat::to_string() const {
  std::string s;
  s += static_cast<char>('0' + data_bits);
  s += parity;
  s += static_cast<char>('0' + stop_bits);
  return s;
}

Cycles SerialFrame::end() const {
  if (is_break) return start + break_ticks;
  // The stop bit ends at a real-valued time; the line is idle from the first whole tick at or
  // after it. The small epsilon keeps an exact product (e.g. 10 x 1041.75) from rounding up.
  const double len = static_cast<double>(format.bits_per_frame()) * bit_ticks;
  return start + static_cast<Cycles>(std::ceil(len - 1e-9));
}

bool SerialFrame::level_at(Cycles t) const {
  if (t < start) return true;  // idle before the frame
  if (is_break) return t >= start + break_ticks;
  if (!(bit_ticks > 0)) return true;
  // Bit i occupies [start + i*bit_ticks, start + (i+1)*bit_ticks).
  const double index = std::floor(static_cast<double>(t - start) / bit_ticks);
  const unsigned n = format.bits_per_frame();
  if (index >= static_cast<double>(n)) return true;  // idle after the frame
  const unsigned i = static_cast<unsigned>(index);
  if (i == 0) return false;                                        // start bit
  if (i <= format.data_bits) return ((data >> (i - 1)) & 1u) != 0;  // data, LSB first
  if (format.parity != 'N' && i == format.data_bits + 1) return parity_bit;
  return true;  // stop bit(s)
}

bool SerialFrame::compute_parity(std::uint8_t data, const SerialFormat& format) {
  const unsigned mask = (1u << format.data_bits) - 1u;
  const bool odd_ones = (std::popcount(static_cast<unsigned>(data) & mask) & 1) != 0;
  switch (format.parity) {
    case 'E': return odd_ones;   // the parity bit makes the count of ones even
    case 'O': return !odd_ones;  // ... or odd
    case 'M': return true;       // stick parity 1
    case 'S': return false;      // stick parity 0
    default: return false;       // no parity bit
  }
}

}  // namespace k7sim
