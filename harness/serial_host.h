// The host end of the module's TTL serial line (the user's side): sends characters on RXD with
// its own baud, format and clock error, and receives what the module puts on TXD by sampling the
// module's waveform at its own mid-bit points, so mismatched settings give the errors a real
// USB-serial adapter would report.
//
// Two ways to put characters on RXD. With the C++ UART model the host hands the module whole
// frames (SerialFrame: a waveform the model samples). With a bit-level module UART (the RTL,
// `serial: {model: rtl}`) the host drives RXD itself as levels with virtual-time edges, which is
// what makes line noise (bit errors), glitches and breaks as waveforms possible.
#pragma once
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "harness/result.h"
#include "peripherals/board.h"
#include "peripherals/serial_frame.h"

namespace k7sim {

class SerialHost {
 public:
  // `t0`: the virtual time the timeline starts at (records are relative to it). `bit_level`:
  // drive RXD as a waveform (needs a module UART with a bit-level receiver, see Board).
  SerialHost(Board& board, SerialFormat format, double baud_error_percent, Cycles t0, bool bit_level = false);

  // Queue characters on RXD: the first starts at max(now, line free), each next one after the
  // previous stop bit plus `gap`. Returns the absolute time the last stop bit ends.
  Cycles send(const std::vector<std::uint8_t>& bytes, Cycles gap);
  // Hold the line low for `duration` (a break), after anything queued. Returns its end.
  Cycles send_break(Cycles duration);
  // Bit-level line only: a low pulse of `width` on the idle line after anything queued, then
  // one idle bit. Returns the end of the pulse.
  Cycles send_glitch(Cycles width);
  // Bit-level line only: every bit (start, data, parity, stop) of each character whose start
  // bit begins before `until` (absolute) is inverted with probability `ber`, drawn from a
  // generator seeded with `seed` at the first call (so a run is reproducible from the scenario
  // seed). ber = 0 ends the noise.
  void set_noise(double ber, Cycles until, std::uint64_t seed);
  std::uint64_t bits_flipped() const { return bits_flipped_; }
  bool bit_level() const { return bit_level_; }
  Cycles line_free_at() const { return line_free_; }

  // Characters received from the module (complete ones, in order), and everything both ways.
  const std::vector<SerialRecord>& received() const { return received_; }
  const std::vector<SerialRecord>& log() const { return log_; }
  // Called when a character from the module is complete (so the runner can look at it).
  void on_receive(std::function<void()> fn) { on_receive_ = std::move(fn); }

  double bit_ticks() const { return bit_ticks_; }
  // A detached host no longer listens (the setup phase's host, once the timeline's takes over).
  void detach() { attached_ = false; }
  const SerialFormat& format() const { return format_; }

  // The RXD edges of one character with the bits in `flipped` inverted (bit 0 = start bit); the
  // edges fall where SerialFrame::level_at changes, so an unflipped character drives exactly the
  // waveform of the frame.
  static std::vector<LineEdge> frame_edges(const SerialFrame& frame, std::uint16_t flipped);

 private:
  void deliver(const SerialFrame& frame);
  SerialRecord decode(const SerialFrame& frame) const;
  void put_on_line(const SerialFrame& frame, std::uint16_t flipped);
  void put_edges(std::vector<LineEdge> edges);

  Board& board_;
  SerialFormat format_;
  double bit_ticks_;
  Cycles t0_;
  Cycles line_free_ = 0;
  bool bit_level_ = false;
  std::vector<SerialRecord> received_, log_;
  std::function<void()> on_receive_;
  bool attached_ = true;
  // Line noise.
  double ber_ = 0;
  Cycles noise_until_ = 0;
  bool noise_seeded_ = false;
  std::mt19937_64 noise_rng_;
  std::uint64_t bits_flipped_ = 0;
};

}  // namespace k7sim
