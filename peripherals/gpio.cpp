#include "peripherals/gpio.h"

#include <stdexcept>

namespace k7sim {
namespace {

// ---- register offsets (relative to the port base) -----------------------------------------------
constexpr std::uint32_t kDataFirst = 0x000;  // 0x000..0x3FC: DATA, address bits [9:2] = pin mask
constexpr std::uint32_t kDataLast = 0x3FC;
constexpr std::uint32_t kDir = 0x400;
constexpr std::uint32_t kIs = 0x404;
constexpr std::uint32_t kIbe = 0x408;
constexpr std::uint32_t kIev = 0x40C;
constexpr std::uint32_t kIm = 0x410;
constexpr std::uint32_t kRis = 0x414;
constexpr std::uint32_t kMis = 0x418;
constexpr std::uint32_t kIcr = 0x41C;
constexpr std::uint32_t kAfsel = 0x420;
constexpr std::uint32_t kDr2r = 0x500;
constexpr std::uint32_t kDr4r = 0x504;
constexpr std::uint32_t kDr8r = 0x508;
constexpr std::uint32_t kOdr = 0x50C;
constexpr std::uint32_t kPur = 0x510;
constexpr std::uint32_t kPdr = 0x514;
constexpr std::uint32_t kSlr = 0x518;
constexpr std::uint32_t kDen = 0x51C;
constexpr std::uint32_t kLock = 0x520;
constexpr std::uint32_t kCr = 0x524;
constexpr std::uint32_t kAmsel = 0x528;
constexpr std::uint32_t kPctl = 0x52C;
constexpr std::uint32_t kAdcCtl = 0x530;
constexpr std::uint32_t kDmaCtl = 0x534;
constexpr std::uint32_t kSi = 0x538;
constexpr std::uint32_t kDr12r = 0x53C;
constexpr std::uint32_t kWakePen = 0x540;
constexpr std::uint32_t kWakeLvl = 0x544;
constexpr std::uint32_t kWakeStat = 0x548;
constexpr std::uint32_t kPp = 0xFC0;
constexpr std::uint32_t kPc = 0xFC4;

constexpr std::uint32_t kUnlockKey = 0x4C4F434B;  // "LOCK"
constexpr std::uint32_t kPpValue = 0x1;           // EDE: extended drive available

// PeriphID4..7, PeriphID0..3, PCellID0..3 at 0xFD0..0xFFC.
constexpr std::uint32_t kIdWords[12] = {0x00, 0x00, 0x00, 0x00, 0x61, 0x00, 0x18, 0x01, 0x0D, 0xF0, 0x05, 0xB1};

void check_pin(unsigned pin) {
  if (pin >= 8) throw std::out_of_range("GPIO pin " + std::to_string(pin));
}

}  // namespace

GpioPort::GpioPort(std::string name, EventQueue& events, std::uint8_t commit_reset)
    : GpioPort(std::move(name), events, ResetValues{commit_reset}) {}

GpioPort::GpioPort(std::string name, EventQueue& events, const ResetValues& resets)
    : name_(std::move(name)),
      events_(events),
      bank_(name_),
      resets_(resets),
      pad_lines_{{Line{name_ + ".pad0"}, Line{name_ + ".pad1"}, Line{name_ + ".pad2"}, Line{name_ + ".pad3"},
                  Line{name_ + ".pad4"}, Line{name_ + ".pad5"}, Line{name_ + ".pad6"}, Line{name_ + ".pad7"}}},
      irq_(name_ + ".irq") {
  define_registers();
  reset();
}

std::uint8_t GpioPort::reg8(std::uint32_t offset) const {
  const Register* r = const_cast<RegisterBank&>(bank_).find(offset);
  return r ? static_cast<std::uint8_t>(r->value()) : 0;
}

void GpioPort::set8(std::uint32_t offset, std::uint8_t v) { bank_.at(offset).set(v); }

std::uint8_t GpioPort::dir() const { return reg8(kDir); }
std::uint8_t GpioPort::den() const { return reg8(kDen); }
std::uint8_t GpioPort::afsel() const { return reg8(kAfsel); }

void GpioPort::define_registers() {
  // DATA: 256 aliases of one latch. Address bits [9:2] select the pins a read or write touches.
  for (std::uint32_t off = kDataFirst; off <= kDataLast; off += 4) {
    const auto mask = static_cast<std::uint8_t>(off >> 2);
    bank_.define({"DATA", off, 0})
        .on_read([this, mask] { return static_cast<std::uint32_t>(read_data(mask)); })
        .on_write([this, mask](std::uint32_t v) {
          // Decision: the latch keeps the masked bits of every pin; only output pins put them on
          // the pad, so pre-setting an output level before DIR works as firmware expects.
          data_ = static_cast<std::uint8_t>((data_ & ~mask) | (v & mask));
          update();
        });
  }

  // Plain 8-bit registers whose change can move a pad or the interrupt logic.
  auto pin_reg = [this](const char* name, std::uint32_t off, std::uint8_t reset) {
    bank_.define({name, off, reset}).on_write([this, off](std::uint32_t v) {
      set8(off, static_cast<std::uint8_t>(v));
      update();
    });
  };
  pin_reg("DIR", kDir, 0);
  pin_reg("IS", kIs, 0);
  pin_reg("IBE", kIbe, 0);
  pin_reg("IEV", kIev, 0);
  pin_reg("IM", kIm, 0);
  pin_reg("ODR", kOdr, 0);

  bank_.define({"RIS", kRis, 0}).read_only().on_read([this] { return static_cast<std::uint32_t>(ris_); });
  bank_.define({"MIS", kMis, 0}).read_only().on_read([this] {
    return static_cast<std::uint32_t>(ris_ & reg8(kIm));
  });
  bank_.define({"ICR", kIcr, 0}).on_write([this](std::uint32_t v) {
    // Write 1 to clear. A level interrupt whose level persists is re-asserted by update().
    ris_ = static_cast<std::uint8_t>(ris_ & ~v);
    update();
  });

  // Commit-gated registers: bits whose CR bit is 0 keep their value.
  bank_.define({"AFSEL", kAfsel, resets_.afsel}).on_write([this](std::uint32_t v) { write_gated(kAfsel, v); });
  bank_.define({"PUR", kPur, resets_.pur}).on_write([this](std::uint32_t v) { write_gated(kPur, v); });
  bank_.define({"PDR", kPdr, resets_.pdr}).on_write([this](std::uint32_t v) { write_gated(kPdr, v); });
  bank_.define({"DEN", kDen, resets_.den}).on_write([this](std::uint32_t v) { write_gated(kDen, v); });

  // Drive strength: setting a bit in one of DR2R/DR4R/DR8R clears it in the other two.
  for (std::uint32_t off : {kDr2r, kDr4r, kDr8r}) {
    const char* nm = off == kDr2r ? "DR2R" : off == kDr4r ? "DR4R" : "DR8R";
    bank_.define({nm, off, off == kDr2r ? 0xFFu : 0u}).on_write([this, off](std::uint32_t v) {
      const auto set = static_cast<std::uint8_t>(v);
      for (std::uint32_t other : {kDr2r, kDr4r, kDr8r})
        if (other != off) set8(other, static_cast<std::uint8_t>(reg8(other) & ~set));
      set8(off, set);
    });
  }
  bank_.define({"SLR", kSlr, 0}).mask(0xFF);
  bank_.define({"DR12R", kDr12r, 0}).mask(0xFF);

  bank_.define({"LOCK", kLock, 0})
      .on_read([this] { return locked_ ? 1u : 0u; })
      .on_write([this](std::uint32_t v) { locked_ = v != kUnlockKey; });  // anything else re-locks
  bank_.define({"CR", kCr, resets_.commit}).on_write([this](std::uint32_t v) {
    if (!locked_) set8(kCr, static_cast<std::uint8_t>(v));
  });

  // Stored only: analog mode, mux, ADC/DMA triggers, summary interrupt, hibernation wake.
  bank_.define({"AMSEL", kAmsel, 0}).mask(0xFF);
  bank_.define({"PCTL", kPctl, resets_.pctl});
  bank_.define({"ADCCTL", kAdcCtl, 0}).mask(0xFF);
  bank_.define({"DMACTL", kDmaCtl, 0}).mask(0xFF);
  bank_.define({"SI", kSi, 0}).mask(0x1);
  bank_.define({"WAKEPEN", kWakePen, 0}).mask(0xFF);
  bank_.define({"WAKELVL", kWakeLvl, 0}).mask(0xFF);
  bank_.define({"WAKESTAT", kWakeStat, 0}).read_only();
  bank_.define({"PP", kPp, kPpValue}).read_only();
  bank_.define({"PC", kPc, 0}).mask(0xFFFF);
  for (unsigned i = 0; i < 12; ++i) bank_.define({"ID", 0xFD0 + 4 * i, kIdWords[i]}).read_only();
}

void GpioPort::write_gated(std::uint32_t offset, std::uint32_t value) {
  const std::uint8_t cr = reg8(kCr);
  const auto v = static_cast<std::uint8_t>((reg8(offset) & ~cr) | (value & cr));
  set8(offset, v);
  // A pin has at most one pull: enabling one disables the other.
  if (offset == kPur) set8(kPdr, static_cast<std::uint8_t>(reg8(kPdr) & ~(v & cr)));
  if (offset == kPdr) set8(kPur, static_cast<std::uint8_t>(reg8(kPur) & ~(v & cr)));
  update();
}

std::uint32_t GpioPort::read(std::uint32_t offset, unsigned size) { return bank_.read(offset, size); }
void GpioPort::write(std::uint32_t offset, std::uint32_t value, unsigned size) { bank_.write(offset, value, size); }

void GpioPort::reset() {
  bank_.reset();
  data_ = 0;
  ris_ = 0;
  locked_ = true;
  // Re-resolve the pads against the external drives without inventing edges: the interrupt logic
  // starts from the inputs as they are after reset.
  inputs_ = static_cast<std::uint8_t>(resolve_pads() & reg8(kDen));
  update();
}

// ---- pads ---------------------------------------------------------------------------------------

std::uint8_t GpioPort::resolve_pads() const {
  const std::uint8_t dir = reg8(kDir), den = reg8(kDen), afsel = reg8(kAfsel), odr = reg8(kOdr);
  const std::uint8_t pur = reg8(kPur);
  std::uint8_t pads = 0;
  for (unsigned pin = 0; pin < 8; ++pin) {
    const std::uint8_t m = static_cast<std::uint8_t>(1u << pin);
    std::optional<bool> level;
    // The chip drives the pad only with the digital function enabled (DEN), from the GPIO latch
    // (DIR=1, AFSEL=0) or from the selected peripheral (AFSEL=1). An open-drain pin (ODR) only
    // pulls low; writing 1 releases it.
    if (den & m) {
      std::optional<bool> out;
      if (!(afsel & m) && (dir & m)) out = (data_ & m) != 0;
      else if (afsel & m) out = alternate_[pin];
      if (out && !((odr & m) && *out)) level = out;
    }
    if (!level) level = external_[pin];
    if (!level) level = (pur & m) ? true : false;  // PDR or nothing: low (a floating pad reads 0)
    if (*level) pads |= m;
  }
  return pads;
}

std::uint8_t GpioPort::read_data(std::uint8_t mask) const {
  // Output pins read back the latch; everything else reads the pad through the digital input,
  // which is off (reads 0) unless DEN is set.
  const std::uint8_t out = reg8(kDir) & ~reg8(kAfsel);
  const std::uint8_t v = static_cast<std::uint8_t>((data_ & out) | (pads_ & reg8(kDen) & ~out));
  return v & mask;
}

void GpioPort::update() {
  if (updating_) {  // an observer of a pad called back into the port: loop once more
    dirty_ = true;
    return;
  }
  updating_ = true;
  do {
    dirty_ = false;
    const std::uint8_t pads = resolve_pads();
    const std::uint8_t in = pads & reg8(kDen);
    // Interrupts watch input pins (everything but a GPIO output).
    const std::uint8_t eligible = static_cast<std::uint8_t>(~(reg8(kDir) & ~reg8(kAfsel)));
    const std::uint8_t is = reg8(kIs), ibe = reg8(kIbe), iev = reg8(kIev);
    const std::uint8_t changed = (in ^ inputs_) & eligible;
    const std::uint8_t rising = changed & in, falling = changed & ~in;
    const std::uint8_t edge = (ibe & (rising | falling)) | (~ibe & ((iev & rising) | (~iev & falling)));
    ris_ |= edge & ~is;
    // Level-sensitive pins: RIS follows the level (set while it persists, clears when it goes).
    const std::uint8_t level_on = is & eligible & ((iev & in) | (~iev & ~in));
    ris_ = static_cast<std::uint8_t>((ris_ & ~is) | level_on);
    inputs_ = in;
    pads_ = pads;
    for (unsigned pin = 0; pin < 8; ++pin) pad_lines_[pin].set((pads >> pin) & 1u);
    irq_.set((ris_ & reg8(kIm)) != 0);
  } while (dirty_);
  updating_ = false;
}

void GpioPort::drive(unsigned pin, std::optional<bool> level) {
  check_pin(pin);
  external_[pin] = level;
  update();
}

void GpioPort::drive_alternate(unsigned pin, bool level) {
  check_pin(pin);
  alternate_[pin] = level;
  update();
}

void GpioPort::release_alternate(unsigned pin) {
  check_pin(pin);
  alternate_[pin].reset();
  update();
}

bool GpioPort::alternate(unsigned pin, unsigned pctl_function) const {
  check_pin(pin);
  const std::uint8_t m = static_cast<std::uint8_t>(1u << pin);
  const Register* pctl = const_cast<RegisterBank&>(bank_).find(kPctl);
  const unsigned fn = (pctl->value() >> (4 * pin)) & 0xFu;
  return (reg8(kAfsel) & m) && (reg8(kDen) & m) && fn == pctl_function;
}

Line& GpioPort::pad(unsigned pin) {
  check_pin(pin);
  return pad_lines_[pin];
}

bool GpioPort::level(unsigned pin) const {
  check_pin(pin);
  return (pads_ >> pin) & 1u;
}

}  // namespace k7sim
