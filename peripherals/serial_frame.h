// One character on an asynchronous serial line, as a waveform: start bit, data bits LSB first,
// optional parity, stop bit(s). Senders describe what they put on the wire with their own bit
// period; a receiver samples that waveform at its own mid-bit points, so a baud mismatch or a
// format mismatch produces the framing/parity errors and wrong data real hardware would see.
#pragma once
#include <cstdint>
#include <string>

#include "emulator/time.h"

namespace k7sim {

struct SerialFormat {
  std::uint32_t baud = 115200;
  unsigned data_bits = 8;   // 5..8
  char parity = 'N';        // N, O, E, M (mark, always 1), S (space, always 0)
  unsigned stop_bits = 1;   // 1 or 2

  unsigned bits_per_frame() const { return 1 + data_bits + (parity == 'N' ? 0 : 1) + stop_bits; }
  // Parse "8N1" style; returns false on a malformed string.
  static bool parse(const std::string& text, SerialFormat& out);
  std::string to_string() const;  // "8N1"
};

struct SerialFrame {
  Cycles start = 0;          // tick at which the start bit begins (line goes low)
  double bit_ticks = 0;      // length of one bit in ticks, as the sender's clock makes it
  SerialFormat format;       // the sender's format (baud is nominal; bit_ticks is the truth)
  std::uint8_t data = 0;     // data bits, LSB first on the wire
  bool parity_bit = false;   // the parity bit actually sent (when format.parity != 'N')
  bool is_break = false;     // the line is held low for break_ticks instead of a character
  Cycles break_ticks = 0;

  // End of the last stop bit (or of the break).
  Cycles end() const;
  // Line level at time t (true = mark/idle). Outside the frame the line is idle (high).
  bool level_at(Cycles t) const;
  // The parity bit a sender computes for `data` in `format`.
  static bool compute_parity(std::uint8_t data, const SerialFormat& format);
};

}  // namespace k7sim
