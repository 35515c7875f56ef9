// The K7 module board: a TM4C1294NCPDT (core, NVIC/SCB/SysTick/DWT, SYSCTL, GPIO A..Q, UART0..7)
// wired to the module pins. This file only wires models together through lines and callbacks;
// the behaviour lives in the models.
//
// Module pin map (docs/board.md, firmware/README.md):
//   RXD  = PB0 (U1RX, PCTL 1)   TXD = PB1 (U1TX, PCTL 1)
//   RTS  = PN0 (U1RTS, PCTL 1)  CTS = PN1 (U1CTS, PCTL 1)
//   Reload = PJ0 (input, external pull-up on the module)
//   RST  = the chip's nRST through the module's reset supervisor (glitches < 10 ms filtered)
//   Console (not a module pin) = UART0 on PA0/PA1 (PCTL 1)
#include "peripherals/board.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <sstream>
#include <stdexcept>

#include "emulator/cpu/cortex_m4.h"
#include "emulator/cpu/elf_image.h"
#include "emulator/cpu/systick.h"
#include "emulator/log.h"
#include "peripherals/eeprom.h"
#include "peripherals/emac.h"
#include "peripherals/ephy.h"
#include "peripherals/flash_ctrl.h"
#include "peripherals/gpio.h"
#include "peripherals/gptm.h"
#include "peripherals/nv_image.h"
#include "peripherals/sysctl.h"
#include "peripherals/uart.h"
#ifdef K7SIM_HAVE_UART_RTL
#include "peripherals/rtl/uart_rtl.h"
#endif
#include "peripherals/watchdog.h"

namespace k7sim {

namespace {

constexpr unsigned kNumGpio = 15;  // A B C D E F G H J K L M N P Q
constexpr char kGpioLetters[kNumGpio + 1] = "ABCDEFGHJKLMNPQ";
constexpr std::uint32_t kGpioAhbBase[kNumGpio] = {0x40058000, 0x40059000, 0x4005A000, 0x4005B000, 0x4005C000,
                                                  0x4005D000, 0x4005E000, 0x4005F000, 0x40060000, 0x40061000,
                                                  0x40062000, 0x40063000, 0x40064000, 0x40065000, 0x40066000};
// Legacy (APB) apertures of ports A-H and J map onto the same port state.
constexpr std::uint32_t kGpioApbBase[kNumGpio] = {0x40004000, 0x40005000, 0x40006000, 0x40007000, 0x40024000,
                                                  0x40025000, 0x40026000, 0x40027000, 0x4003D000, 0,
                                                  0,          0,          0,          0,          0};
// IRQ numbers (vector − 16) of the GPIO ports; P and Q have per-pin vectors, pin 0's is used
// for the port summary.
constexpr unsigned kGpioIrq[kNumGpio] = {0, 1, 2, 3, 4, 30, 31, 32, 51, 52, 53, 72, 73, 76, 84};
constexpr unsigned kPortA = 0, kPortB = 1, kPortF = 5, kPortJ = 8, kPortN = 12;
constexpr unsigned kPctlEthLed = 5;  // PF0 = EN0LED0 (link), PF4 = EN0LED1 (activity)

constexpr unsigned kNumUart = 8;
constexpr unsigned kUartIrq[kNumUart] = {5, 6, 33, 56, 57, 58, 59, 60};
constexpr unsigned kSysCtlIrq = 28;
constexpr unsigned kFlashIrq = 29;     // FLASH and EEPROM (vector 45)
constexpr unsigned kWatchdogIrq = 18;  // WDT0 and WDT1 (vector 34)
constexpr unsigned kEmacIrq = 40;     // EMAC0 incl. the PHY interrupt (vector 56)
constexpr unsigned kNumTimers = 8;
constexpr std::uint32_t kTimerBase[kNumTimers] = {0x40030000, 0x40031000, 0x40032000, 0x40033000,
                                                  0x40034000, 0x40035000, 0x400E0000, 0x400E1000};
constexpr unsigned kTimerIrqA[kNumTimers] = {19, 21, 23, 35, 63, 65, 98, 100};  // B = A + 1
constexpr unsigned kPctlUart = 1;

// The module's reset supervisor filters glitches on RST: the chip is held in reset only once RST
// has been low for 10 ms (k7-behaviour.md "Pins": < 10 ms does not reset, >= 200 ms does).
constexpr Cycles kRstFilterTicks = ticks_from_ms(10);
constexpr std::size_t kTraceDepth = 32;

}  // namespace

const char* to_string(ModulePin p) {
  switch (p) {
    case ModulePin::Rxd: return "rxd";
    case ModulePin::Txd: return "txd";
    case ModulePin::Rst: return "rst";
    case ModulePin::Reload: return "reload";
    case ModulePin::Cts: return "cts";
    case ModulePin::Rts: return "rts";
    case ModulePin::LedLink: return "led_link";
    case ModulePin::LedActivity: return "led_activity";
  }
  return "?";
}

std::optional<ModulePin> module_pin_from_string(const std::string& name) {
  for (int i = 0; i < kNumModulePins; ++i)
    if (name == to_string(static_cast<ModulePin>(i))) return static_cast<ModulePin>(i);
  return std::nullopt;
}

std::string FaultReport::text() const {
  std::ostringstream o;
  char buf[160];
  std::snprintf(buf, sizeof buf, "firmware %s at t=%.3f us: %s\n", kind.c_str(), ticks_to_us(at), detail.c_str());
  o << buf;
  std::snprintf(buf, sizeof buf, "  PC  0x%08X%s%s\n", pc, symbol.empty() ? "" : "  in ", symbol.c_str());
  o << buf;
  static const char* names[16] = {"R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "SP", "LR", "PC"};
  for (int i = 0; i < 16; i += 4) {
    std::snprintf(buf, sizeof buf, "  %-4s0x%08X  %-4s0x%08X  %-4s0x%08X  %-4s0x%08X\n", names[i], regs[i], names[i + 1],
                  regs[i + 1], names[i + 2], regs[i + 2], names[i + 3], regs[i + 3]);
    o << buf;
  }
  std::snprintf(buf, sizeof buf, "  xPSR 0x%08X (IPSR %u)\n", xpsr, xpsr & 0x1FF);
  o << buf;
  if (!last_events.empty()) {
    o << "  last events:\n";
    for (const auto& e : last_events) o << "    " << e << "\n";
  }
  return o.str();
}

struct Board::Impl {
  explicit Impl(const Config& config);

  // --- models ---
  EventQueue events;
  Bus bus;
  Nvic nvic;
  std::unique_ptr<Scb> scb;
  std::unique_ptr<SysTick> systick;
  std::unique_ptr<CortexM4> cpu;
  std::unique_ptr<Dwt> dwt;
  std::unique_ptr<SysCtl> sysctl;
  std::vector<std::unique_ptr<GpioPort>> gpio;
  std::vector<std::unique_ptr<UartDevice>> uart;
  std::vector<std::unique_ptr<Gptm>> timers;
  std::unique_ptr<Watchdog> wdt0, wdt1;
  std::unique_ptr<Ephy> phy;
  std::unique_ptr<Emac> emac;
  NvOpCounter nv_ops;
  std::unique_ptr<NvImage> nv;
  std::unique_ptr<FlashController> flash;
  std::unique_ptr<Eeprom> eeprom;
  std::uint64_t power_cut_at_op = 0;  // 0 = none pending
  std::uint64_t power_cuts = 0;

  // --- image ---
  std::unique_ptr<ElfImage> elf;
  std::vector<ElfSegment> sram_segments;  // segments linked to load into SRAM (loaded at power-on)

  // --- board state ---
  bool powered = false;
  bool in_reset = false;     // nRST held low by the supervisor
  bool halted = false;       // the firmware faulted: the core no longer runs
  bool stop_requested = false;
  bool reset_pending = false;
  std::uint32_t reset_cause = 0;
  std::optional<FaultReport> fault;

  std::array<std::unique_ptr<Line>, kNumModulePins> pins;
  std::optional<bool> rst_drive;
  EventId rst_filter_event = kNoEvent;
  std::vector<std::function<void(const SerialFrame&)>> module_tx_observers, console_tx_observers;
  std::vector<std::function<void(std::uint32_t)>> reset_observers;
  std::vector<std::function<void(bool)>> power_observers;
  std::deque<std::string> trace;

  void note(const std::string& what) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "t=%.3fus ", ticks_to_us(events.now()));
    trace.push_back(buf + what);
    if (trace.size() > kTraceDepth) trace.pop_front();
  }

  Line& pin(ModulePin p) { return *pins[static_cast<int>(p)]; }
  GpioPort& port(unsigned i) { return *gpio[i]; }

  Bus::Gate gate_for(PeriphClass cls, unsigned instance, std::string reg_name) {
    return [this, cls, instance, reg_name](std::string& why) {
      if (!sysctl->clocked(cls, instance)) {
        why = "its clock is gated (" + reg_name + " bit " + std::to_string(instance) + " not ready)";
        return false;
      }
      if (sysctl->in_reset(cls, instance)) {
        why = "it is held in reset (SR bit " + std::to_string(instance) + " set)";
        return false;
      }
      return true;
    };
  }

  void load_image(const std::string& path);
  void reset_chip(std::uint32_t cause);
  void request_reset(std::uint32_t cause);
  void apply_pending();
  void set_rst(std::optional<bool> level);
  bool cpu_may_run() const { return powered && !in_reset && !halted; }
  void power_off();
  // Observers only hear changes: after construction and every reset, bring the pads and the
  // module pin lines to the levels the models now drive.
  void sync_pins();
  void update_sysclk(std::uint64_t hz);
};

Board::Impl::Impl(const Config& config) {
  for (int i = 0; i < kNumModulePins; ++i) pins[i] = std::make_unique<Line>(to_string(static_cast<ModulePin>(i)), true);

  scb = std::make_unique<Scb>(nvic, Scb::Hooks{
                                        [this] { return cpu->ipsr(); },
                                        [this] { return nvic.active_count() <= 1; },
                                        [this] { request_reset(SysCtl::kRescSw); },
                                    });
  systick = std::make_unique<SysTick>(events, [this] { nvic.set_pending(exc::kSysTick); });
  cpu = std::make_unique<CortexM4>(events, bus, nvic, *scb);
  dwt = std::make_unique<Dwt>([this] { return cpu->cycles(); }, [this] { return scb->trace_enabled(); });
  sysctl = std::make_unique<SysCtl>(events);

  // Private peripheral bus: SCS split between SCB, SysTick and NVIC; DWT.
  bus.map(0xE000E000, 0x010, *scb, 0xE000E000);
  bus.map(0xE000E010, 0x010, *systick, 0xE000E010);
  bus.map(0xE000E100, 0x400, nvic, 0xE000E100);
  bus.map(0xE000ED00, 0x200, *scb, 0xE000E000);
  bus.map(0xE000EF00, 0x004, nvic, 0xE000E100);
  bus.map(0xE000EF04, 0x0FC, *scb, 0xE000E000);
  bus.map(0xE0001000, 0x1000, *dwt, 0xE0001000);

  // SYSCTL (always clocked).
  bus.map(0x400FE000, 0x1000, *sysctl, 0x400FE000);
  sysctl->irq().on_change([this](bool l) { nvic.set_irq_line(kSysCtlIrq, l); });
  sysctl->on_sysclk_change([this](std::uint64_t hz) { update_sysclk(hz); });

  for (unsigned i = 0; i < kNumGpio; ++i) {
    const std::string name = std::string("GPIO") + kGpioLetters[i];
    if (i == 2) gpio.push_back(std::make_unique<GpioPort>(name, events, GpioPort::port_c_resets()));
    else if (i == 3) gpio.push_back(std::make_unique<GpioPort>(name, events, GpioPort::port_d_resets()));
    else gpio.push_back(std::make_unique<GpioPort>(name, events));
    GpioPort& g = *gpio.back();
    bus.map(kGpioAhbBase[i], 0x1000, g, kGpioAhbBase[i], gate_for(PeriphClass::Gpio, i, "PRGPIO"));
    if (kGpioApbBase[i]) bus.map(kGpioApbBase[i], 0x1000, g, kGpioApbBase[i], gate_for(PeriphClass::Gpio, i, "PRGPIO"));
    const unsigned irq = kGpioIrq[i];
    g.irq().on_change([this, irq](bool l) { nvic.set_irq_line(irq, l); });
  }
  for (unsigned n = 0; n < kNumUart; ++n) {
    const std::string name = "UART" + std::to_string(n);
    if (n == 1 && config.module_uart_rtl) {
#ifdef K7SIM_HAVE_UART_RTL
      uart.push_back(std::make_unique<UartRtl>(name, events, UartRtl::Clocking::FastForward, config.module_uart_rtl_trace));
#else
      throw std::runtime_error("serial model rtl: this k7sim was built without the UART RTL (K7SIM_UART_RTL=OFF)");
#endif
    } else {
      uart.push_back(std::make_unique<UartModel>(name, events));
    }
    UartDevice& u = *uart.back();
    const std::uint32_t base = 0x4000C000 + n * 0x1000;
    bus.map(base, 0x1000, u, base, gate_for(PeriphClass::Uart, n, "PRUART"));
    const unsigned irq = kUartIrq[n];
    u.irq().on_change([this, irq](bool l) { nvic.set_irq_line(irq, l); });
  }

  for (unsigned n = 0; n < kNumTimers; ++n) {
    timers.push_back(std::make_unique<Gptm>("TIMER" + std::to_string(n), events));
    Gptm& t = *timers.back();
    bus.map(kTimerBase[n], 0x1000, t, kTimerBase[n], gate_for(PeriphClass::Timer, n, "PRTIMER"));
    const unsigned irq = kTimerIrqA[n];
    t.irq_a().on_change([this, irq](bool l) { nvic.set_irq_line(irq, l); });
    t.irq_b().on_change([this, irq](bool l) { nvic.set_irq_line(irq + 1, l); });
  }
  // GPTMSYNC of Timer0 reloads the timers it names (bits 2n / 2n+1 = Timer n A / B).
  timers[0]->on_sync([this](std::uint32_t v) {
    for (unsigned n = 0; n < kNumTimers; ++n)
      if (v & (3u << (2 * n))) timers[n]->sync(v & (1u << (2 * n)), v & (2u << (2 * n)));
  });
  // WDT0 runs from the system clock, WDT1 from PIOSC; both share one interrupt and the NMI.
  wdt0 = std::make_unique<Watchdog>("WDT0", events, false);
  wdt1 = std::make_unique<Watchdog>("WDT1", events, true);
  bus.map(0x40000000, 0x1000, *wdt0, 0x40000000, gate_for(PeriphClass::Wd, 0, "PRWD"));
  bus.map(0x40001000, 0x1000, *wdt1, 0x40001000, gate_for(PeriphClass::Wd, 1, "PRWD"));
  auto wdt_irq = [this](bool) { nvic.set_irq_line(kWatchdogIrq, wdt0->irq().level() || wdt1->irq().level()); };
  wdt0->irq().on_change(wdt_irq);
  wdt1->irq().on_change(wdt_irq);
  wdt0->nmi().on_change([this](bool l) { if (l) nvic.set_pending(exc::kNmi); });
  wdt1->nmi().on_change([this](bool l) { if (l) nvic.set_pending(exc::kNmi); });
  wdt0->on_reset_request([this] { request_reset(SysCtl::kRescWdt0); });
  wdt1->on_reset_request([this] { request_reset(SysCtl::kRescWdt1); });

  // EMAC0 with the internal PHY on its MDIO bus; its DMA reaches SRAM only.
  phy = std::make_unique<Ephy>(events);
  DmaBus dma{[this](std::uint32_t a, void* out, std::size_t n) {
               return a - CortexM4::kSramBase < CortexM4::kSramSize && cpu->read_memory(a, out, n);
             },
             [this](std::uint32_t a, const void* data, std::size_t n) { return cpu->write_memory(a, data, n); }};
  emac = std::make_unique<Emac>(events, dma, *phy);
  bus.map(Emac::kBase, 0x1000, *emac, Emac::kBase, gate_for(PeriphClass::Emac, 0, "PREMAC"));
  emac->irq().on_change([this](bool l) { nvic.set_irq_line(kEmacIrq, l); });
  phy->link().on_change([this](bool up) { port(kPortF).drive_alternate(0, up); });

  // Non-volatile memories: the flash array is the CPU's; the image owns the EEPROM words.
  nv = std::make_unique<NvImage>(cpu->flash());
  flash = std::make_unique<FlashController>(events, nv_ops, cpu->flash(),
                                            [this](std::uint32_t b, std::uint32_t e) { cpu->invalidate_code(b, e); });
  eeprom = std::make_unique<Eeprom>(events, nv_ops, nv->eeprom());
  bus.map(FlashController::kBase, 0x1000, *flash, FlashController::kBase);
  bus.map(Eeprom::kBase, 0x1000, *eeprom, Eeprom::kBase, gate_for(PeriphClass::Eeprom, 0, "PREEPROM"));
  flash->irq().on_change([this](bool l) { nvic.set_irq_line(kFlashIrq, l); });
  eeprom->on_interrupt([this] { flash->raise_eeprom_interrupt(); });
  flash->on_commit([this] { sysctl->commit_user_regs(); });
  nv_ops.on_operation_start([this](const NvOp& op) {
    if (power_cut_at_op == 0 || op.index != power_cut_at_op) return;
    power_cut_at_op = 0;
    note(std::string("power cut during ") + to_string(op.kind) + " #" + std::to_string(op.index));
    events.schedule_at(op.start + (op.end - op.start) / 2, [this] {
      ++power_cuts;
      power_off();
    });
  });

  sysctl->on_peripheral_reset([this](PeriphClass cls, unsigned instance) {
    if (cls == PeriphClass::Gpio && instance < gpio.size()) gpio[instance]->reset();
    if (cls == PeriphClass::Uart && instance < uart.size()) uart[instance]->reset();
    if (cls == PeriphClass::Timer && instance < timers.size()) timers[instance]->reset();
    if (cls == PeriphClass::Wd) (instance == 0 ? wdt0 : wdt1)->reset();
    if (cls == PeriphClass::Eeprom) eeprom->reset();
    if (cls == PeriphClass::Emac) emac->reset();
    if (cls == PeriphClass::Ephy) phy->reset();
  });

  // --- module pins ---
  // TXD: UART1 frames reach the pin only while PB1 is muxed to U1TX.
  uart[1]->on_tx_frame([this](const SerialFrame& f) {
    if (!port(kPortB).alternate(1, kPctlUart)) return;
    for (auto& o : module_tx_observers) o(f);
  });
  uart[0]->on_tx_frame([this](const SerialFrame& f) {
    if (!port(kPortA).alternate(1, kPctlUart)) return;
    for (auto& o : console_tx_observers) o(f);
  });
  // RTS (PN0): the UART's RTS output when muxed, else whatever the GPIO drives.
  uart[1]->rts().on_change([this](bool level) { port(kPortN).drive_alternate(0, level); });
  port(kPortN).pad(0).on_change([this](bool level) { pin(ModulePin::Rts).set(level); });
  // CTS (PN1): the host drives the pad and the UART's CTS input follows it (it only matters
  // with CTSEN, which firmware sets after muxing PN1 to U1CTS).
  port(kPortN).pad(1).on_change([this](bool level) {
    pin(ModulePin::Cts).set(level);
    uart[1]->set_cts(level);
  });
  // Jack LEDs: PF0/PF4 as GPIO outputs, or driven by the PHY when muxed to EN0LED0/EN0LED1 (link
  // LED on while the link is up; the activity LED is not driven by the PHY model: it stays off).
  port(kPortF).pad(0).on_change([this](bool level) { pin(ModulePin::LedLink).set(level); });
  port(kPortF).pad(4).on_change([this](bool level) { pin(ModulePin::LedActivity).set(level); });
  // Reload (PJ0) has an external pull-up on the module: released = high.
  port(kPortJ).drive(0, true);
  port(kPortJ).pad(0).on_change([this](bool level) { pin(ModulePin::Reload).set(level); });
  sync_pins();

  // USERREG0/1: the factory MAC, bytes 0..2 and 3..5, low byte first (tm4c1294-facts.md §6).
  const std::uint8_t* m = config.factory_mac;
  sysctl->set_user_reg(0, std::uint32_t(m[0]) | std::uint32_t(m[1]) << 8 | std::uint32_t(m[2]) << 16);
  sysctl->set_user_reg(1, std::uint32_t(m[3]) | std::uint32_t(m[4]) << 8 | std::uint32_t(m[5]) << 16);
  sysctl->commit_user_regs();

  if (config.flash_image.empty()) nv->factory_reset();
  else nv->load(config.flash_image);
  load_image(config.firmware_elf);
}

void Board::Impl::power_off() {
  if (!powered) return;
  powered = false;
  // Everything stops: models drop their pending work (a flash/EEPROM operation in flight leaves
  // its partial result), the core no longer runs.
  for (MmioDevice* d : bus.devices()) d->reset();
  phy->reset();
  cpu->request_stop();
  note("power off");
  for (auto& o : power_observers) o(false);
}

void Board::Impl::sync_pins() {
  port(kPortA).drive_alternate(1, true);  // UART TX pins idle high (frames carry the bits)
  port(kPortB).drive_alternate(1, true);
  port(kPortN).drive_alternate(0, uart[1]->rts().level());
  uart[1]->set_cts(port(kPortN).level(1));
  pin(ModulePin::Rts).set(port(kPortN).level(0));
  pin(ModulePin::Cts).set(port(kPortN).level(1));
  pin(ModulePin::Reload).set(port(kPortJ).level(0));
  port(kPortF).drive_alternate(0, phy->link_up());
  port(kPortF).drive_alternate(4, false);
  pin(ModulePin::LedLink).set(port(kPortF).level(0));
  pin(ModulePin::LedActivity).set(port(kPortF).level(4));
}

void Board::Impl::load_image(const std::string& path) {
  elf = std::make_unique<ElfImage>(ElfImage::load(path));
  auto& flash_bytes = cpu->flash();
  std::vector<const ElfSegment*> to_flash;
  for (const ElfSegment& s : elf->segments()) {
    if (s.data.empty()) continue;
    const std::uint32_t a = s.load_address;
    if (a < CortexM4::kFlashSize && s.data.size() <= CortexM4::kFlashSize - a) {
      to_flash.push_back(&s);
    } else if (a - CortexM4::kSramBase < CortexM4::kSramSize && s.data.size() <= CortexM4::kSramSize - (a - CortexM4::kSramBase)) {
      sram_segments.push_back(s);
    } else {
      throw ElfError(path + ": segment at 0x" + hex32(a) + " (" + std::to_string(s.data.size()) +
                     " bytes) lies outside the TM4C1294's flash (0x00000000-0x000FFFFF) and SRAM (0x20000000-0x2003FFFF)");
    }
  }
  // As a programmer does it: erase every 16 KB sector the image touches, then write the segments
  // (segments may share a sector, e.g. .text and the load image of .data).
  for (const ElfSegment* s : to_flash) {
    const std::uint32_t first = s->load_address & ~(FlashController::kSectorBytes - 1);
    const std::uint32_t end = std::min<std::uint32_t>(
        (s->load_address + std::uint32_t(s->data.size()) + FlashController::kSectorBytes - 1) & ~(FlashController::kSectorBytes - 1),
        CortexM4::kFlashSize);
    std::fill(flash_bytes.begin() + first, flash_bytes.begin() + end, 0xFF);
  }
  for (const ElfSegment* s : to_flash) std::memcpy(flash_bytes.data() + s->load_address, s->data.data(), s->data.size());
}

void Board::Impl::update_sysclk(std::uint64_t hz) {
  cpu->set_clock_hz(hz);
  systick->set_core_clock_hz(hz);
  for (auto& u : uart) u->set_sysclk_hz(hz);
  for (auto& t : timers) t->set_sysclk_hz(hz);
  emac->set_sysclk_hz(hz);
  wdt0->set_sysclk_hz(hz);
  wdt1->set_sysclk_hz(hz);
}

// A reset of the whole chip (power-on, nRST, SYSRESETREQ, watchdog): every model returns to its
// reset state; SRAM keeps its content (a power-on reset clears it first); RESC records the cause.
void Board::Impl::reset_chip(std::uint32_t cause) {
  for (MmioDevice* d : bus.devices()) d->reset();
  phy->reset();  // on the EMAC's MDIO bus, not the CPU's
  if (cause & SysCtl::kRescPor) {
    // Power-on: RESC starts afresh; our SRAM powers up as zeros (deterministic stand-in for the
    // undefined content of real SRAM).
    std::fill(cpu->sram().begin(), cpu->sram().end(), 0);
    for (const ElfSegment& s : sram_segments)
      std::memcpy(cpu->sram().data() + (s.load_address - CortexM4::kSramBase), s.data.data(), s.data.size());
  }
  sysctl->add_reset_cause(cause);
  update_sysclk(sysctl->sysclk_hz());
  sync_pins();
  halted = false;
  fault.reset();
  cpu->reset();
  if (cpu->fault()) {
    halted = true;
    const FaultInfo& f = *cpu->fault();
    FaultReport r;
    r.kind = f.kind;
    r.detail = f.detail;
    r.pc = f.pc;
    r.at = f.at;
    fault = r;
  }
  note(std::string("reset (") + ((cause & SysCtl::kRescPor) ? "power-on" : (cause & SysCtl::kRescExt) ? "RST pin" : "software") + ")");
  for (auto& o : reset_observers) o(cause);
}

void Board::Impl::request_reset(std::uint32_t cause) {
  reset_pending = true;
  reset_cause |= cause;
  cpu->request_stop();
}

void Board::Impl::apply_pending() {
  if (!reset_pending) return;
  reset_pending = false;
  const std::uint32_t cause = reset_cause;
  reset_cause = 0;
  if (powered && !in_reset) reset_chip(cause);
}

void Board::Impl::set_rst(std::optional<bool> level) {
  rst_drive = level;
  const bool low = level.has_value() && !*level;
  pin(ModulePin::Rst).set(!low);
  if (low) {
    if (rst_filter_event == kNoEvent && !in_reset) {
      rst_filter_event = events.schedule_in(kRstFilterTicks, [this] {
        rst_filter_event = kNoEvent;
        in_reset = true;
        note("RST held low: chip in reset");
        cpu->request_stop();
      });
    }
    return;
  }
  events.cancel(rst_filter_event);
  rst_filter_event = kNoEvent;
  if (in_reset) {
    in_reset = false;
    request_reset(SysCtl::kRescExt);
  }
}

// ---- Board ---------------------------------------------------------------------------------------

Board::Board(const Config& config) : impl_(std::make_unique<Impl>(config)) {}
Board::~Board() = default;

void Board::power_on() {
  if (impl_->powered) return;
  impl_->powered = true;
  for (auto& o : impl_->power_observers) o(true);
  impl_->reset_chip(SysCtl::kRescPor);
}

void Board::power_off() { impl_->power_off(); }

void Board::save_flash(const std::string& path) const { impl_->nv->save(path); }

void Board::cut_power_during_flash_op(std::uint64_t n) { impl_->power_cut_at_op = impl_->nv_ops.count() + (n == 0 ? 1 : n); }

std::uint64_t Board::flash_operations() const { return impl_->nv_ops.count(); }
std::uint64_t Board::power_cuts() const { return impl_->power_cuts; }

void Board::attach_ethernet(EthernetPort* port) { impl_->emac->attach_port(port); }
bool Board::ethernet_receive(const std::vector<std::uint8_t>& frame) {
  return impl_->powered && impl_->emac->receive_frame(frame);
}
void Board::set_link(bool up) {
  impl_->phy->set_link(up);
  impl_->note(up ? "link up" : "link down");
}

bool Board::powered() const { return impl_->powered; }
EventQueue& Board::events() { return impl_->events; }
Cycles Board::now() const { return impl_->events.now(); }

void Board::request_stop() {
  impl_->stop_requested = true;
  impl_->cpu->request_stop();
}

const FaultReport* Board::fault() const { return impl_->fault ? &*impl_->fault : nullptr; }

Board::StopReason Board::run_until(Cycles until) {
  Impl& b = *impl_;
  EventQueue& ev = b.events;
  b.stop_requested = false;
  for (;;) {
    b.apply_pending();
    if (b.fault) return StopReason::Fault;
    if (b.stop_requested) return StopReason::Requested;
    if (ev.now() >= until) return StopReason::Deadline;
    if (!b.cpu_may_run() || b.cpu->sleeping()) {
      if (b.cpu_may_run() && b.cpu->wake_pending()) {
        b.cpu->wake();
      } else {
        ev.run_until(std::min(ev.next_time(), until));
        continue;
      }
    }
    const CortexM4::Exit exit = b.cpu->run(until);
    if (exit == CortexM4::Exit::Fault) {
      const FaultInfo& f = *b.cpu->fault();
      FaultReport r;
      r.kind = f.kind;
      r.detail = f.detail;
      r.pc = f.pc;
      r.symbol = b.elf->describe(f.pc);
      std::copy(f.regs.begin(), f.regs.end(), r.regs);
      r.xpsr = f.xpsr;
      r.at = f.at;
      r.last_events.assign(b.trace.begin(), b.trace.end());
      b.fault = r;
      b.halted = true;
    }
  }
}

void Board::drive(ModulePin pin, bool level) {
  Impl& b = *impl_;
  switch (pin) {
    case ModulePin::Rst: b.set_rst(level); break;
    case ModulePin::Reload: b.port(kPortJ).drive(0, level); break;
    case ModulePin::Cts: b.port(kPortN).drive(1, level); break;
    default: break;  // RXD is driven by module_rx(); TXD and RTS are outputs
  }
  b.note(std::string("pin ") + to_string(pin) + (level ? " high" : " low"));
}

void Board::release(ModulePin pin) {
  Impl& b = *impl_;
  switch (pin) {
    case ModulePin::Rst: b.set_rst(std::nullopt); break;
    case ModulePin::Reload: b.port(kPortJ).drive(0, true); break;  // the module's pull-up
    case ModulePin::Cts: b.port(kPortN).drive(1, std::nullopt); break;
    default: break;
  }
}

bool Board::level(ModulePin pin) const { return impl_->pin(pin).level(); }
Line& Board::line(ModulePin pin) { return impl_->pin(pin); }

void Board::on_module_tx(std::function<void(const SerialFrame&)> fn) { impl_->module_tx_observers.push_back(std::move(fn)); }
void Board::on_reset(std::function<void(std::uint32_t)> fn) { impl_->reset_observers.push_back(std::move(fn)); }
void Board::on_power(std::function<void(bool)> fn) { impl_->power_observers.push_back(std::move(fn)); }
void Board::on_console_tx(std::function<void(const SerialFrame&)> fn) { impl_->console_tx_observers.push_back(std::move(fn)); }

void Board::module_rx(const SerialFrame& frame) {
  Impl& b = *impl_;
  if (!b.cpu_may_run()) return;  // an unpowered or reset chip receives nothing
  if (!b.port(kPortB).alternate(0, kPctlUart)) return;  // PB0 is not U1RX: the byte goes nowhere
  b.uart[1]->receive(frame);
}

bool Board::module_rx_line(const std::vector<LineEdge>& edges) {
  Impl& b = *impl_;
  if (!module_rx_has_line()) return false;
  if (!b.cpu_may_run()) return true;  // an unpowered or reset chip receives nothing
  if (!b.port(kPortB).alternate(0, kPctlUart)) return true;  // PB0 is not U1RX
  return b.uart[1]->drive_rx_line(edges);
}

bool Board::module_rx_has_line() const { return impl_->uart[1]->drive_rx_line({}); }

void Board::on_module_rx_char(std::function<void(const UartRxStatus&)> fn) { impl_->uart[1]->on_rx_char(std::move(fn)); }

std::string Board::symbol_at(std::uint32_t address) const { return impl_->elf->describe(address); }

std::optional<std::uint32_t> Board::symbol_address(const std::string& name) const {
  auto s = impl_->elf->symbol(name);
  if (!s) return std::nullopt;
  return s->address;
}

bool Board::read_memory(std::uint32_t address, void* out, std::size_t len) const {
  return impl_->cpu->read_memory(address, out, len);
}

CortexM4& Board::cpu() { return *impl_->cpu; }

}  // namespace k7sim
