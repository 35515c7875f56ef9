// The host end of the module's TTL serial line (the user's side): sends characters on RXD with
// its own baud, format and clock error, and receives what the module puts on TXD by sampling the
// module's waveform at its own mid-bit points, so mismatched settings give the errors a real
// USB-serial adapter would report.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "harness/result.h"
#include "peripherals/board.h"
#include "peripherals/serial_frame.h"

namespace k7sim {

class SerialHost {
 public:
  // `t0`: the virtual time the timeline starts at (records are relative to it).
  SerialHost(Board& board, SerialFormat format, double baud_error_percent, Cycles t0);

  // Queue characters on RXD: the first starts at max(now, line free), each next one after the
  // previous stop bit plus `gap`. Returns the absolute time the last stop bit ends.
  Cycles send(const std::vector<std::uint8_t>& bytes, Cycles gap);
  // Hold the line low for `duration` (a break), after anything queued. Returns its end.
  Cycles send_break(Cycles duration);
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

 private:
  void deliver(const SerialFrame& frame);
  SerialRecord decode(const SerialFrame& frame) const;

  Board& board_;
  SerialFormat format_;
  double bit_ticks_;
  Cycles t0_;
  Cycles line_free_ = 0;
  std::vector<SerialRecord> received_, log_;
  std::function<void()> on_receive_;
  bool attached_ = true;
};

}  // namespace k7sim
