#include "peripherals/uart.h"

#include <algorithm>
#include <cmath>

namespace k7sim {
namespace {

using u128 = unsigned __int128;

// ---- register offsets ---------------------------------------------------------------------------
constexpr std::uint32_t kDr = 0x000;
constexpr std::uint32_t kRsr = 0x004;  // RSR on read, ECR on write
constexpr std::uint32_t kFr = 0x018;
constexpr std::uint32_t kIlpr = 0x020;
constexpr std::uint32_t kIbrd = 0x024;
constexpr std::uint32_t kFbrd = 0x028;
constexpr std::uint32_t kLcrh = 0x02C;
constexpr std::uint32_t kCtl = 0x030;
constexpr std::uint32_t kIfls = 0x034;
constexpr std::uint32_t kIm = 0x038;
constexpr std::uint32_t kRis = 0x03C;
constexpr std::uint32_t kMis = 0x040;
constexpr std::uint32_t kIcr = 0x044;
constexpr std::uint32_t kDmaCtl = 0x048;
constexpr std::uint32_t k9BitAddr = 0x0A4;
constexpr std::uint32_t k9BitAmask = 0x0A8;
constexpr std::uint32_t kPp = 0xFC0;
constexpr std::uint32_t kCc = 0xFC8;

// ---- reset values -------------------------------------------------------------------------------
constexpr std::uint32_t kCtlReset = 0x300;   // TXE | RXE, disabled
constexpr std::uint32_t kIflsReset = 0x12;   // RX 1/2, TX 1/2
constexpr std::uint32_t kPpValue = 0x3;      // SC (smart card) and NB (9-bit) supported
// PeriphID4..7, PeriphID0..3, PCellID0..3 at 0xFD0..0xFFC (TI's values for the UART).
constexpr std::uint32_t kIdWords[12] = {0x00, 0x00, 0x00, 0x00, 0x60, 0x00, 0x18, 0x01, 0x0D, 0xF0, 0x05, 0xB1};

// ---- fields -------------------------------------------------------------------------------------
constexpr std::uint32_t kLcrhBrk = 1u << 0;
constexpr std::uint32_t kLcrhPen = 1u << 1;
constexpr std::uint32_t kLcrhEps = 1u << 2;
constexpr std::uint32_t kLcrhStp2 = 1u << 3;
constexpr std::uint32_t kLcrhFen = 1u << 4;
constexpr std::uint32_t kLcrhSps = 1u << 7;

constexpr std::uint32_t kCtlUartEn = 1u << 0;
constexpr std::uint32_t kCtlEot = 1u << 4;
constexpr std::uint32_t kCtlHse = 1u << 5;
constexpr std::uint32_t kCtlLbe = 1u << 7;
constexpr std::uint32_t kCtlTxe = 1u << 8;
constexpr std::uint32_t kCtlRxe = 1u << 9;
constexpr std::uint32_t kCtlRts = 1u << 11;
constexpr std::uint32_t kCtlRtsEn = 1u << 14;
constexpr std::uint32_t kCtlCtsEn = 1u << 15;
constexpr std::uint32_t kCtlMask = 0xCFBF;

constexpr std::uint32_t kIntCts = 1u << 1;
constexpr std::uint32_t kIntRx = 1u << 4;
constexpr std::uint32_t kIntTx = 1u << 5;
constexpr std::uint32_t kIntRt = 1u << 6;
constexpr std::uint32_t kIntFe = 1u << 7;
constexpr std::uint32_t kIntPe = 1u << 8;
constexpr std::uint32_t kIntBe = 1u << 9;
constexpr std::uint32_t kIntOe = 1u << 10;
constexpr std::uint32_t kIntEot = 1u << 11;
constexpr std::uint32_t kIntMask = 0x1FFF;

constexpr std::uint16_t kDrFe = 1u << 8;
constexpr std::uint16_t kDrPe = 1u << 9;
constexpr std::uint16_t kDrBe = 1u << 10;
constexpr std::uint16_t kDrOe = 1u << 11;

constexpr std::uint32_t kFrCts = 1u << 0;
constexpr std::uint32_t kFrBusy = 1u << 3;
constexpr std::uint32_t kFrRxfe = 1u << 4;
constexpr std::uint32_t kFrTxff = 1u << 5;
constexpr std::uint32_t kFrRxff = 1u << 6;
constexpr std::uint32_t kFrTxfe = 1u << 7;

// IFLS selections 0..4 = 1/8, 1/4, 1/2, 3/4, 7/8 of a 16-entry FIFO (5..7 reserved: 7/8).
constexpr std::size_t kTriggerLevels[5] = {2, 4, 8, 12, 14};
std::size_t trigger_of(std::uint32_t sel) { return kTriggerLevels[std::min<std::uint32_t>(sel, 4)]; }

// Earliest tick >= t at which frame f holds the line low (kNever when it never does again).
Cycles next_low(const SerialFrame& f, Cycles t) {
  if (t < f.start) t = f.start;
  if (t >= f.end()) return kNever;
  if (f.is_break) return t;  // low until the end of the break
  const unsigned n = f.format.bits_per_frame();
  auto idx = static_cast<unsigned>(std::floor(static_cast<double>(t - f.start) / f.bit_ticks));
  for (; idx < n; ++idx) {
    const Cycles begin = f.start + static_cast<Cycles>(std::ceil(idx * f.bit_ticks));
    const Cycles cand = std::max(t, begin);
    if (!f.level_at(cand)) return cand;
  }
  return kNever;
}

// Earliest tick >= t at which the line is high with frame f on it.
Cycles next_high(const SerialFrame& f, Cycles t) {
  if (t < f.start || t >= f.end()) return t;
  if (f.is_break) return f.end();
  const unsigned n = f.format.bits_per_frame();
  auto idx = static_cast<unsigned>(std::floor(static_cast<double>(t - f.start) / f.bit_ticks));
  for (; idx < n; ++idx) {
    const Cycles begin = f.start + static_cast<Cycles>(std::ceil(idx * f.bit_ticks));
    const Cycles cand = std::max(t, begin);
    if (f.level_at(cand)) return cand;
  }
  return f.end();
}

}  // namespace

// ---- the baud-enable grid -----------------------------------------------------------------------

Cycles UartModel::Grid::tick(std::uint64_t k) const {
  const u128 cycles = static_cast<u128>(k) * div64 / 64;  // k*IBRD + floor(k*FBRD/64)
  return t0 + static_cast<Cycles>(cycles * kTickHz / clk_hz);
}

std::uint64_t UartModel::Grid::first_at_or_after(Cycles t) const {
  if (t <= t0) return 0;
  // tick(k) >= t  <=>  floor(k*D/64) >= ceil((t-t0)*U/H)  <=>  k >= ceil(64*c/D).
  const u128 c = (static_cast<u128>(t - t0) * clk_hz + kTickHz - 1) / kTickHz;
  return static_cast<std::uint64_t>((c * 64 + div64 - 1) / div64);
}

// ---- construction and registers -----------------------------------------------------------------

UartModel::UartModel(std::string name, EventQueue& events)
    : name_(std::move(name)), events_(events), bank_(name_), irq_(name_ + ".irq"), rts_(name_ + ".rts", true) {
  define_registers();
  reset();
}

std::uint32_t UartModel::reg(std::uint32_t offset) const { return bank_.value_of(offset); }

void UartModel::define_registers() {
  bank_.define({"DR", kDr, 0})
      .on_read([this] { return pop_rx(); })
      .on_write([this](std::uint32_t v) { push_tx(static_cast<std::uint8_t>(v)); });
  // RSR: error bits of the last character read; ECR: any write clears them.
  bank_.define({"RSR", kRsr, 0}).on_read([this] { return rsr_; }).on_write([this](std::uint32_t) { rsr_ = 0; });
  bank_.define({"FR", kFr, kFrRxfe | kFrTxfe}).read_only().on_read([this] { return read_fr(); });
  bank_.define({"ILPR", kIlpr, 0}).mask(0xFF);  // IrDA low-power divisor: stored (SIR not modelled)
  // IBRD/FBRD are only stored here; write_lcrh() latches them into the baud generator.
  bank_.define({"IBRD", kIbrd, 0}).mask(0xFFFF);
  bank_.define({"FBRD", kFbrd, 0}).mask(0x3F);
  bank_.define({"LCRH", kLcrh, 0}).on_write([this](std::uint32_t v) { write_lcrh(v & 0xFF); });
  bank_.define({"CTL", kCtl, kCtlReset}).on_write([this](std::uint32_t v) { write_ctl(v & kCtlMask); });
  bank_.define({"IFLS", kIfls, kIflsReset}).on_write([this](std::uint32_t v) {
    bank_.at(kIfls).set(v & 0x3F);
    if (rx_fifo_.size() < rx_trigger()) ris_ &= ~kIntRx;
    update_rts();
    update_irq();
  });
  bank_.define({"IM", kIm, 0}).on_write([this](std::uint32_t v) {
    bank_.at(kIm).set(v & kIntMask);
    update_irq();
  });
  bank_.define({"RIS", kRis, 0}).read_only().on_read([this] { return ris_; });
  bank_.define({"MIS", kMis, 0}).read_only().on_read([this] { return ris_ & reg(kIm); });
  bank_.define({"ICR", kIcr, 0}).on_write([this](std::uint32_t v) {
    ris_ &= ~v;  // write 1 to clear
    update_irq();
  });
  bank_.define({"DMACTL", kDmaCtl, 0}).mask(0x7);  // stored; uDMA requests are not modelled
  bank_.define({"9BITADDR", k9BitAddr, 0}).mask(0x80FF);
  bank_.define({"9BITAMASK", k9BitAmask, 0xFF}).mask(0xFF);
  bank_.define({"PP", kPp, kPpValue}).read_only();
  bank_.define({"CC", kCc, 0}).on_write([this](std::uint32_t v) {
    const std::uint64_t before = uart_clock_hz();
    bank_.at(kCc).set(v & 0xF);
    if (uart_clock_hz() != before) {
      clock_tick_ = events_.now();
      timing_changed();
    }
  });
  for (unsigned i = 0; i < 12; ++i) bank_.define({"ID", 0xFD0 + 4 * i, kIdWords[i]}).read_only();
}

std::uint32_t UartModel::read(std::uint32_t offset, unsigned size) { return bank_.read(offset, size); }
void UartModel::write(std::uint32_t offset, std::uint32_t value, unsigned size) { bank_.write(offset, value, size); }

void UartModel::reset() {
  for (EventId* id : {&tx_start_ev_, &tx_end_ev_, &rx_ev_, &rt_ev_}) {
    events_.cancel(*id);
    *id = kNoEvent;
  }
  bank_.reset();
  ibrd_latched_ = fbrd_latched_ = 0;
  lcrh_tick_ = enable_tick_ = clock_tick_ = events_.now();
  rebuild_grid();
  ris_ = 0;
  rsr_ = 0;
  tx_fifo_.clear();
  tx_state_ = TxState::Idle;
  rx_fifo_.clear();
  overrun_pending_ = false;
  rx_state_ = RxState::Idle;
  rx_line_.clear();
  update_rts();
  update_irq();
}

// ---- configuration ------------------------------------------------------------------------------

std::uint64_t UartModel::uart_clock_hz() const { return (reg(kCc) & 0xF) == 5 ? kPioscHz : sysclk_hz_; }

void UartModel::set_sysclk_hz(std::uint64_t hz) {
  const std::uint64_t before = uart_clock_hz();
  sysclk_hz_ = hz;
  if (uart_clock_hz() != before) {
    clock_tick_ = events_.now();
    timing_changed();
  }
}

unsigned UartModel::enables_per_bit() const { return (reg(kCtl) & kCtlHse) ? 8 : 16; }
std::size_t UartModel::capacity() const { return (reg(kLcrh) & kLcrhFen) ? kFifoDepth : 1; }
// TX: "at or below" this level. Without FIFOs: when the holding register empties (level 0).
std::size_t UartModel::tx_trigger() const { return (reg(kLcrh) & kLcrhFen) ? trigger_of(reg(kIfls) & 7) : 0; }
// RX: "at or above" this level. Without FIFOs: any character.
std::size_t UartModel::rx_trigger() const { return (reg(kLcrh) & kLcrhFen) ? trigger_of((reg(kIfls) >> 3) & 7) : 1; }

SerialFormat UartModel::format_for(std::uint32_t lcrh, const Grid& g) const {
  SerialFormat f;
  f.data_bits = 5 + ((lcrh >> 5) & 3);
  f.stop_bits = (lcrh & kLcrhStp2) ? 2 : 1;
  if (!(lcrh & kLcrhPen)) f.parity = 'N';
  else if (lcrh & kLcrhSps) f.parity = (lcrh & kLcrhEps) ? 'S' : 'M';  // stick parity: EPS=1 -> 0
  else f.parity = (lcrh & kLcrhEps) ? 'E' : 'O';
  f.baud = g.valid() ? static_cast<std::uint32_t>(std::llround(static_cast<double>(g.clk_hz) * 64.0 /
                                                              (enables_per_bit() * static_cast<double>(g.div64))))
                     : 0;
  return f;
}

SerialFormat UartModel::format() const { return format_for(reg(kLcrh), grid_); }

double UartModel::bit_ticks() const {
  if (!grid_.valid()) return 0;
  return enables_per_bit() * static_cast<double>(grid_.div64) / 64.0 * static_cast<double>(kTickHz) /
         static_cast<double>(grid_.clk_hz);
}

void UartModel::rebuild_grid() {
  // Phase reference: the later of the last LCRH write, the UART enable and a clock change.
  grid_.t0 = std::max({lcrh_tick_, enable_tick_, clock_tick_});
  grid_.div64 = 64ull * ibrd_latched_ + fbrd_latched_;
  grid_.clk_hz = uart_clock_hz();
}

// The enable grid moved: characters in flight finish on their own timing, anything not yet
// started is planned again on the new grid.
void UartModel::timing_changed() {
  rebuild_grid();
  replan_tx();
  if (rx_state_ == RxState::Idle) hunt(events_.now());
}

void UartModel::write_lcrh(std::uint32_t value) {
  Register& r = bank_.at(kLcrh);
  const std::uint32_t old = r.value();
  r.set(value);
  // IBRD, FBRD and LCRH take effect together, now.
  ibrd_latched_ = reg(kIbrd);
  fbrd_latched_ = reg(kFbrd);
  lcrh_tick_ = events_.now();
  // Clearing FEN flushes the transmit FIFO (the datasheet's way to flush it). RX keeps its data.
  if ((old & kLcrhFen) && !(value & kLcrhFen)) tx_fifo_.clear();
  if (rx_fifo_.size() < rx_trigger()) ris_ &= ~kIntRx;
  if ((old & kLcrhBrk) && !(value & kLcrhBrk)) end_break();
  update_rts();
  update_irq();
  timing_changed();
}

void UartModel::write_ctl(std::uint32_t value) {
  Register& r = bank_.at(kCtl);
  const std::uint32_t old = r.value();
  r.set(value);
  if (!(old & kCtlUartEn) && (value & kCtlUartEn)) enable_tick_ = events_.now();
  rebuild_grid();
  update_rts();
  // Disabling lets a character in flight finish (PL011); nothing new starts.
  replan_tx();
  if (!rx_enabled()) {
    if (rx_state_ != RxState::Sampling) {
      events_.cancel(rx_ev_);
      rx_ev_ = kNoEvent;
      rx_state_ = RxState::Idle;
    }
  } else if (rx_state_ == RxState::Idle) {
    hunt(events_.now());
  }
}

std::uint32_t UartModel::read_fr() const {
  std::uint32_t fr = 0;
  if (cts_asserted_) fr |= kFrCts;
  if (tx_busy()) fr |= kFrBusy;
  if (rx_fifo_.empty()) fr |= kFrRxfe;
  if (tx_fifo_.size() >= capacity()) fr |= kFrTxff;
  if (rx_fifo_.size() >= capacity()) fr |= kFrRxff;
  if (tx_fifo_.empty()) fr |= kFrTxfe;
  return fr;
}

// Loopback of a break. Breaks are reported (emit) only when BRK is cleared, with their length; the
// receiver must see the line go low when the break begins. So in loopback a break that begins
// puts a break of open length on the receiver's line (`length` kOpenBreak); when BRK is cleared
// the reported frame (same start, real length) replaces it, and a break re-planned or cleared
// before it began is replaced by one of length 0 (the line stays high).
void UartModel::loop_break(Cycles start, Cycles length) {
  if (!(reg(kCtl) & kCtlLbe) || !rx_enabled()) return;
  SerialFrame f;
  f.start = start;
  f.is_break = true;
  f.break_ticks = length;
  f.format = format();
  f.bit_ticks = bit_ticks();
  accept_frame(f);
}

void UartModel::emit(const SerialFrame& f) {
  // Loopback (LBE): TX is fed to our own receiver instead of RX.
  if ((reg(kCtl) & kCtlLbe) && rx_enabled()) accept_frame(f);
  notify_tx_frame(f);
}

// ---- transmit -----------------------------------------------------------------------------------

bool UartModel::tx_allowed() const {
  const std::uint32_t ctl = reg(kCtl);
  return (ctl & kCtlUartEn) && (ctl & kCtlTxe) && grid_.valid();
}

void UartModel::push_tx(std::uint8_t data) {
  if (tx_fifo_.size() >= capacity()) return;  // full: the write is lost, as on the part
  tx_fifo_.push_back(data);
  // TXRIS clears when new data lifts the level above the trigger (with EOT: any new data).
  if ((reg(kCtl) & kCtlEot) || tx_fifo_.size() > tx_trigger()) ris_ &= ~kIntTx;
  ris_ &= ~kIntEot;
  update_irq();
  if (tx_start_ev_ == kNoEvent) replan_tx();
}

void UartModel::replan_tx() {
  events_.cancel(tx_start_ev_);
  tx_start_ev_ = kNoEvent;
  // A break that is planned but has not begun (it starts at the next enable) is re-planned like a
  // character that has not started: a new baud timing or a disabled UART moves it.
  if (tx_state_ == TxState::Break && break_start_ > events_.now()) {
    tx_state_ = TxState::Idle;
    loop_break(break_start_, 0);  // in loopback: the line does not go low after all
  }
  if (tx_state_ != TxState::Idle || !tx_allowed()) return;
  const Cycles now = events_.now();
  const std::uint64_t k = grid_.first_at_or_after(now);
  if (reg(kLcrh) & kLcrhBrk) {
    // Break: TX goes low from the next enable and stays low until BRK is cleared.
    tx_state_ = TxState::Break;
    break_start_ = grid_.tick(k);
    loop_break(break_start_, kOpenBreak);
    return;
  }
  if (tx_fifo_.empty()) return;
  if ((reg(kCtl) & kCtlCtsEn) && !cts_asserted_) return;  // flow control holds the next character
  const Grid g = grid_;
  if (g.tick(k) <= now) {
    start_tx(g, k);
  } else {
    tx_start_ev_ = events_.schedule_at(g.tick(k), [this, g, k] {
      tx_start_ev_ = kNoEvent;
      start_tx(g, k);
    });
  }
}

void UartModel::start_tx(const Grid& g, std::uint64_t k) {
  // The character moves from the FIFO into the shifter as its start bit begins.
  const std::uint8_t data = tx_fifo_.front();
  tx_fifo_.pop_front();
  const std::size_t level = tx_fifo_.size();
  if (!(reg(kCtl) & kCtlEot) && level + 1 > tx_trigger() && level <= tx_trigger()) ris_ |= kIntTx;

  const unsigned eb = enables_per_bit();
  SerialFrame f;
  f.start = g.tick(k);
  f.bit_ticks = eb * static_cast<double>(g.div64) / 64.0 * static_cast<double>(kTickHz) / static_cast<double>(g.clk_hz);
  f.format = format_for(reg(kLcrh), g);
  f.data = static_cast<std::uint8_t>(data & ((1u << f.format.data_bits) - 1u));
  f.parity_bit = SerialFrame::compute_parity(f.data, f.format);
  const std::uint64_t k_end = k + static_cast<std::uint64_t>(eb) * f.format.bits_per_frame();
  tx_state_ = TxState::Char;
  tx_end_ev_ = events_.schedule_at(g.tick(k_end), [this] {
    tx_end_ev_ = kNoEvent;
    end_tx();
  });
  update_irq();
  emit(f);
}

void UartModel::end_tx() {
  // The last stop bit has left the shifter.
  tx_state_ = TxState::Idle;
  if (tx_fifo_.empty()) {
    ris_ |= kIntEot;
    if (reg(kCtl) & kCtlEot) ris_ |= kIntTx;
  }
  update_irq();
  replan_tx();
}

void UartModel::end_break() {
  if (tx_state_ != TxState::Break) return;
  tx_state_ = TxState::Idle;
  const Cycles now = events_.now();
  if (now <= break_start_) {  // cleared before the line went low
    loop_break(break_start_, 0);
    return;
  }
  SerialFrame f;
  f.start = break_start_;
  f.is_break = true;
  f.break_ticks = now - break_start_;
  f.format = format();
  f.bit_ticks = bit_ticks();
  emit(f);
}

void UartModel::set_cts(bool pin_level) {
  const bool asserted = !pin_level;
  if (asserted == cts_asserted_) return;
  cts_asserted_ = asserted;
  ris_ |= kIntCts;  // modem status change
  update_irq();
  replan_tx();
}

// ---- receive ------------------------------------------------------------------------------------

bool UartModel::rx_enabled() const {
  const std::uint32_t ctl = reg(kCtl);
  return (ctl & kCtlUartEn) && (ctl & kCtlRxe) && grid_.valid();
}

void UartModel::receive(const SerialFrame& frame) {
  if (reg(kCtl) & kCtlLbe) return;  // loopback: the RX pin is not connected to the receiver
  if (!rx_enabled()) return;
  accept_frame(frame);
}

void UartModel::accept_frame(const SerialFrame& f) {
  rx_line_.push_back(f);  // from f.start on, the line is this frame's waveform
  switch (rx_state_) {
    case RxState::Idle:
      hunt(events_.now());
      break;
    case RxState::Sampling:
      break;  // the remaining samples read the new waveform
    case RxState::WaitMark:
      // Still waiting for the line to return high after a break (had it done so before this
      // frame began, the mark event would already have fired): look for the mark in the new frame.
      wait_mark(events_.now());
      break;
  }
}

bool UartModel::line_level(Cycles t) const {
  for (auto it = rx_line_.rbegin(); it != rx_line_.rend(); ++it)
    if (it->start <= t) return it->level_at(t);
  return true;  // idle
}

void UartModel::hunt(Cycles from) {
  // Idle receiver: look for a low line at a baud enable (start-bit detection).
  events_.cancel(rx_ev_);
  rx_ev_ = kNoEvent;
  if (!rx_enabled() || rx_line_.empty()) return;
  if (rx_line_.size() > 1) rx_line_.erase(rx_line_.begin(), rx_line_.end() - 1);  // only the newest matters
  const SerialFrame& f = rx_line_.back();
  const Grid g = grid_;
  Cycles t = from;
  for (;;) {
    const Cycles low = next_low(f, t);
    if (low == kNever) return;  // the line stays idle until the next frame
    const std::uint64_t k = g.first_at_or_after(low);
    const Cycles te = g.tick(k);
    if (!f.level_at(te)) {
      if (te <= events_.now()) {
        detect(g, k);
      } else {
        rx_ev_ = events_.schedule_at(te, [this, g, k] {
          rx_ev_ = kNoEvent;
          detect(g, k);
        });
      }
      return;
    }
    t = te + 1;  // the low stretch ended between two enables: keep looking
  }
}

void UartModel::detect(const Grid& g, std::uint64_t k) {
  // Start bit seen at enable k; it is checked again half a bit later.
  rx_state_ = RxState::Sampling;
  rx_grid_ = g;
  rx_k_ = k;
  rx_eb_ = enables_per_bit();
  rx_lcrh_ = reg(kLcrh);
  rx_ev_ = events_.schedule_at(g.tick(k + rx_eb_ / 2), [this] {
    rx_ev_ = kNoEvent;
    start_check();
  });
}

void UartModel::start_check() {
  if (line_level(events_.now())) {
    // High again at mid start bit: a glitch, not a character. Hunt from the next enable.
    rx_state_ = RxState::Idle;
    hunt(events_.now() + 1);
    return;
  }
  const unsigned data_bits = 5 + ((rx_lcrh_ >> 5) & 3);
  const unsigned nbits = 1 + data_bits + ((rx_lcrh_ & kLcrhPen) ? 1 : 0) + 1;  // up to the first stop bit
  const std::uint64_t k_stop = rx_k_ + rx_eb_ / 2 + static_cast<std::uint64_t>(rx_eb_) * (nbits - 1);
  rx_ev_ = events_.schedule_at(rx_grid_.tick(k_stop), [this] {
    rx_ev_ = kNoEvent;
    finish_char();
  });
}

void UartModel::finish_char() {
  // Every sample of this character is now in the past: read them off the recorded waveform.
  const unsigned data_bits = 5 + ((rx_lcrh_ >> 5) & 3);
  const bool pen = rx_lcrh_ & kLcrhPen;
  const unsigned half = rx_eb_ / 2;
  auto sample = [this, half](unsigned bit) {
    return line_level(rx_grid_.tick(rx_k_ + half + static_cast<std::uint64_t>(rx_eb_) * bit));
  };
  std::uint8_t data = 0;
  for (unsigned i = 0; i < data_bits; ++i)
    if (sample(1 + i)) data |= static_cast<std::uint8_t>(1u << i);
  const bool parity = pen ? sample(1 + data_bits) : false;
  const unsigned stop_index = 1 + data_bits + (pen ? 1 : 0);
  const bool stop = sample(stop_index);
  const std::uint64_t k_stop = rx_k_ + half + static_cast<std::uint64_t>(rx_eb_) * stop_index;

  std::uint16_t ch;
  const bool all_low = data == 0 && !parity && !stop;
  if (all_low) {
    ch = kDrBe | kDrFe;  // break: one 0 character with BE and FE
  } else {
    ch = data;
    if (!stop) ch |= kDrFe;
    if (pen) {
      SerialFormat fmt = format_for(rx_lcrh_, rx_grid_);
      if (parity != SerialFrame::compute_parity(data, fmt)) ch |= kDrPe;
    }
  }
  push_rx(ch, rx_grid_, k_stop);
  if (all_low) {
    wait_mark(events_.now());  // no new start bit until the line has returned high
  } else {
    rx_state_ = RxState::Idle;
    hunt(events_.now() + 1);
  }
}

void UartModel::wait_mark(Cycles from) {
  events_.cancel(rx_ev_);
  rx_ev_ = kNoEvent;
  rx_state_ = RxState::WaitMark;
  if (rx_line_.size() > 1) rx_line_.erase(rx_line_.begin(), rx_line_.end() - 1);
  const Cycles high = rx_line_.empty() ? from : next_high(rx_line_.back(), from);
  auto resume = [this] {
    rx_ev_ = kNoEvent;
    rx_state_ = RxState::Idle;
    hunt(events_.now());
  };
  if (high <= events_.now()) {
    rx_state_ = RxState::Idle;
    hunt(events_.now());
  } else {
    rx_ev_ = events_.schedule_at(high, resume);
  }
}

void UartModel::notify_rx(std::uint16_t ch, bool lost) {
  if (observes_rx_chars()) notify_rx_char(UartRxStatus::from_fifo_entry(events_.now(), ch, lost));
}

void UartModel::push_rx(std::uint16_t ch, const Grid& g, std::uint64_t k_stop) {
  notify_rx(ch, rx_fifo_.size() >= capacity());
  if (rx_fifo_.size() >= capacity()) {
    // Overrun: the character is lost; the next character read carries OE.
    overrun_pending_ = true;
    ris_ |= kIntOe;
    update_irq();
    return;
  }
  rx_fifo_.push_back(ch);
  if (ch & kDrFe) ris_ |= kIntFe;
  if (ch & kDrPe) ris_ |= kIntPe;
  if (ch & kDrBe) ris_ |= kIntBe;
  if (rx_fifo_.size() >= rx_trigger()) ris_ |= kIntRx;
  // Receive timeout: 32 bit periods (512 enables) after this character entered the FIFO.
  events_.cancel(rt_ev_);
  rt_ev_ = events_.schedule_at(g.tick(k_stop + kRtEnables), [this] {
    rt_ev_ = kNoEvent;
    if (!rx_fifo_.empty()) {
      ris_ |= kIntRt;
      update_irq();
    }
  });
  update_rts();
  update_irq();
}

std::uint32_t UartModel::pop_rx() {
  if (rx_fifo_.empty()) return 0;  // decision: an empty FIFO reads 0 and leaves RSR alone
  std::uint16_t ch = rx_fifo_.front();
  rx_fifo_.pop_front();
  if (overrun_pending_) {
    ch |= kDrOe;
    overrun_pending_ = false;
  }
  rsr_ = (ch >> 8) & 0xF;
  if (rx_fifo_.size() < rx_trigger()) ris_ &= ~kIntRx;
  if (rx_fifo_.empty()) {
    ris_ &= ~kIntRt;
    events_.cancel(rt_ev_);
    rt_ev_ = kNoEvent;
  }
  update_rts();
  update_irq();
  return ch;
}

// ---- lines --------------------------------------------------------------------------------------

void UartModel::update_rts() {
  const std::uint32_t ctl = reg(kCtl);
  bool asserted;
  if (ctl & kCtlRtsEn) asserted = rx_fifo_.size() < rx_trigger();  // room below the trigger level
  else asserted = (ctl & kCtlRts) != 0;
  rts_.set(!asserted);  // active low
}

void UartModel::update_irq() { irq_.set((ris_ & reg(kIm)) != 0); }

}  // namespace k7sim
