#include "emulator/cpu/cortex_m4.h"

#include <cstring>
#include <stdexcept>

#include "emulator/log.h"

namespace k7sim {

namespace {

// QEMU exception numbers that reach UC_HOOK_INTR (target/arm/cpu.h).
constexpr std::uint32_t kExcpUdef = 1, kExcpSwi = 2, kExcpPrefetchAbort = 3, kExcpDataAbort = 4, kExcpBkpt = 7,
                        kExcpExceptionExit = 8, kExcpNoCp = 17, kExcpInvState = 18, kExcpUnaligned = 22;

// Cycle costs of the exception mechanism (Cortex-M4 TRM: 12-cycle entry and return latency
// with zero-wait-state memory; 6 cycles between tail-chained handlers).
constexpr std::uint64_t kEntryCycles = 12, kReturnCycles = 10, kTailChainCycles = 6;

constexpr std::uint32_t kXpsrT = 1u << 24;
constexpr std::uint32_t kControlNpriv = 1u << 0, kControlSpsel = 1u << 1, kControlFpca = 1u << 2;

void check(uc_err err, const char* what) {
  if (err != UC_ERR_OK) throw std::runtime_error(std::string("unicorn: ") + what + ": " + uc_strerror(err));
}

std::string hex(std::uint32_t v) { return "0x" + hex32(v); }

}  // namespace

struct CortexM4::CoreState {
  std::uint32_t r[13];
  std::uint32_t sp, lr, pc, xpsr, control, msp, psp, ipsr;
};

CortexM4::CortexM4(EventQueue& events, Bus& bus, Nvic& nvic, Scb& scb)
    : events_(events), bus_(bus), nvic_(nvic), scb_(scb), flash_(kFlashSize, 0xFF), sram_(kSramSize, 0),
      cache_(kFlashSize, kSramBase, kSramSize) {
  check(uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc_), "open");
  // A real v7-M core; UC_MODE_MCLASS would give a Cortex-M33 with TrustZone instead.
  check(uc_ctl_set_cpu_model(uc_, UC_CPU_ARM_CORTEX_M4), "cpu model");
  check(uc_mem_map_ptr(uc_, kFlashBase, kFlashSize, UC_PROT_READ | UC_PROT_EXEC, flash_.data()), "map flash");
  check(uc_mem_map_ptr(uc_, kSramBase, kSramSize, UC_PROT_ALL, sram_.data()), "map sram");
  check(uc_mmio_map(uc_, kPeriphBase, kPeriphSize, periph_read_cb, this, periph_write_cb, this), "map peripherals");
  // Bit-band aliases: 32 alias words per byte; only the part that covers existing SRAM is mapped.
  check(uc_mmio_map(uc_, kSramBitBand, kSramSize * 32, sram_bb_read_cb, this, sram_bb_write_cb, this), "map sram bit-band");
  check(uc_mmio_map(uc_, kPeriphBitBand, kPeriphSize * 32, periph_bb_read_cb, this, periph_bb_write_cb, this),
        "map peripheral bit-band");
  check(uc_mmio_map(uc_, kPpbBase, kPpbSize, ppb_read_cb, this, ppb_write_cb, this), "map PPB");

  uc_hook h;
  check(uc_hook_add(uc_, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(&CortexM4::hook_block), this, 1, 0), "block hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_INTR, reinterpret_cast<void*>(&CortexM4::hook_interrupt), this, 1, 0), "intr hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(&CortexM4::hook_mem_invalid), this, 1, 0),
        "mem hook");
  check(uc_hook_add(uc_, &h, UC_HOOK_INSN_INVALID, reinterpret_cast<void*>(&CortexM4::hook_insn_invalid), this, 1, 0),
        "insn hook");
  set_clock_hz(clock_hz_);
}

CortexM4::~CortexM4() {
  if (uc_) uc_close(uc_);
}

void CortexM4::invalidate_code(std::uint32_t begin, std::uint32_t end) {
  uc_ctl_remove_cache(uc_, begin, end);
  cache_.clear();
}

void CortexM4::set_clock_hz(std::uint64_t hz) {
  if (hz == 0) hz = 1;
  clock_hz_ = hz;
  ticks_per_cycle_fx_ = (std::uint64_t(kTickHz) << 16) / hz;
  unit_ratio_ = hz == kTickHz;
}

void CortexM4::charge(std::uint64_t core_cycles) {
  cycles_ += core_cycles;
  if (unit_ratio_) t_ += core_cycles;
  else charge_scaled(core_cycles);
}

// Core clock other than 120 MHz (e.g. the 16 MHz PIOSC after reset): ticks per cycle in 16.16
// fixed point, remainder carried so that no time is lost.
void CortexM4::charge_scaled(std::uint64_t core_cycles) {
  tick_fraction_ += core_cycles * ticks_per_cycle_fx_;
  t_ += tick_fraction_ >> 16;
  tick_fraction_ &= 0xFFFF;
}

void CortexM4::refresh_stop() {
  if (stop_ || fault_ || nvic_.any_pending()) next_stop_ = 0;
  else next_stop_ = std::min(deadline_, events_.peek_time());
}

// ---- registers ---------------------------------------------------------------------------------

std::uint32_t CortexM4::reg(int n) const {
  static const int ids[16] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2,  UC_ARM_REG_R3,  UC_ARM_REG_R4,  UC_ARM_REG_R5,
                              UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8,  UC_ARM_REG_R9,  UC_ARM_REG_R10, UC_ARM_REG_R11,
                              UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC};
  std::uint32_t v = 0;
  uc_reg_read(uc_, ids[n], &v);
  return v;
}

void CortexM4::set_reg(int n, std::uint32_t value) {
  static const int ids[16] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2,  UC_ARM_REG_R3,  UC_ARM_REG_R4,  UC_ARM_REG_R5,
                              UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8,  UC_ARM_REG_R9,  UC_ARM_REG_R10, UC_ARM_REG_R11,
                              UC_ARM_REG_R12, UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC};
  uc_reg_write(uc_, ids[n], &value);
}

static std::uint32_t read_reg(uc_engine* uc, int id) {
  std::uint32_t v = 0;
  uc_reg_read(uc, id, &v);
  return v;
}
static void write_reg(uc_engine* uc, int id, std::uint32_t v) { uc_reg_write(uc, id, &v); }

std::uint32_t CortexM4::xpsr() const { return read_reg(uc_, UC_ARM_REG_XPSR); }
std::uint32_t CortexM4::control() const { return read_reg(uc_, UC_ARM_REG_CONTROL); }
std::uint32_t CortexM4::ipsr() const { return read_reg(uc_, UC_ARM_REG_IPSR) & 0x1FF; }

// MSP/PSP/PRIMASK/BASEPRI read as 0 from unprivileged thread mode (the MRS rule), so the core
// state is read with IPSR briefly non-zero when the thread is unprivileged.
std::uint32_t CortexM4::msp() const { return read_state().msp; }
std::uint32_t CortexM4::psp() const { return read_state().psp; }

CortexM4::CoreState CortexM4::read_state() const {
  CoreState s{};
  // The registers an exception frame needs, in one call.
  int ids[10] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3,  UC_ARM_REG_R12,
                 UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC, UC_ARM_REG_XPSR, UC_ARM_REG_CONTROL};
  void* vals[10] = {&s.r[0], &s.r[1], &s.r[2], &s.r[3], &s.r[12], &s.sp, &s.lr, &s.pc, &s.xpsr, &s.control};
  uc_reg_read_batch(uc_, ids, vals, 10);
  s.ipsr = s.xpsr & 0x1FF;
  const bool unpriv_thread = s.ipsr == 0 && (s.control & kControlNpriv);
  if (unpriv_thread) write_reg(uc_, UC_ARM_REG_IPSR, 1);
  int sp_ids[2] = {UC_ARM_REG_MSP, UC_ARM_REG_PSP};
  void* sp_vals[2] = {&s.msp, &s.psp};
  uc_reg_read_batch(uc_, sp_ids, sp_vals, 2);
  if (unpriv_thread) write_reg(uc_, UC_ARM_REG_IPSR, 0);
  return s;
}

void CortexM4::read_masks(std::uint32_t& primask, std::uint32_t& basepri, std::uint32_t& faultmask) const {
  std::uint32_t xpsr = 0, control = 0;
  int ids[5] = {UC_ARM_REG_XPSR, UC_ARM_REG_CONTROL, UC_ARM_REG_PRIMASK, UC_ARM_REG_BASEPRI, UC_ARM_REG_FAULTMASK};
  void* vals[5] = {&xpsr, &control, &primask, &basepri, &faultmask};
  uc_reg_read_batch(uc_, ids, vals, 5);
  if ((xpsr & 0x1FF) == 0 && (control & kControlNpriv)) {
    // Unprivileged thread mode reads the masks as 0: look at them from handler mode.
    write_reg(uc_, UC_ARM_REG_IPSR, 1);
    uc_reg_read_batch(uc_, ids + 2, vals + 2, 3);
    write_reg(uc_, UC_ARM_REG_IPSR, 0);
  }
}

// Put the core into mode `ipsr` with the given CONTROL bits and stack pointers. QEMU banks the
// SPs on mode changes (an IPSR write swaps MSP/PSP as needed) and ignores SPSEL writes in handler
// mode and all CONTROL writes when unprivileged. The common case (privileged, main stack before
// and after) needs four writes; anything else passes through privileged handler and thread mode
// so that every write takes effect.
void CortexM4::set_core_state(const CoreState& from, std::uint32_t ipsr, bool spsel, bool npriv, bool fpca,
                              std::uint32_t msp, std::uint32_t psp) {
  const std::uint32_t fp = fpca ? kControlFpca : 0;
  const bool simple = !spsel && !npriv && !(from.control & (kControlSpsel | kControlNpriv));
  if (simple) {
    std::uint32_t zero = 0;
    if (ipsr == 0 && from.ipsr != 0) {
      // Handler → thread: leave handler mode first, then the thread may write MSP/PSP/CONTROL.
      int ids[4] = {UC_ARM_REG_IPSR, UC_ARM_REG_MSP, UC_ARM_REG_PSP, UC_ARM_REG_CONTROL};
      void* vals[4] = {&zero, &msp, &psp, const_cast<std::uint32_t*>(&fp)};
      uc_reg_write_batch(uc_, ids, vals, 4);
    } else {
      int ids[4] = {UC_ARM_REG_MSP, UC_ARM_REG_PSP, UC_ARM_REG_IPSR, UC_ARM_REG_CONTROL};
      void* vals[4] = {&msp, &psp, &ipsr, const_cast<std::uint32_t*>(&fp)};
      uc_reg_write_batch(uc_, ids, vals, 4);
    }
  } else {
    write_reg(uc_, UC_ARM_REG_IPSR, 1);
    write_reg(uc_, UC_ARM_REG_CONTROL, fp);
    write_reg(uc_, UC_ARM_REG_MSP, msp);
    write_reg(uc_, UC_ARM_REG_PSP, psp);
    write_reg(uc_, UC_ARM_REG_IPSR, 0);
    write_reg(uc_, UC_ARM_REG_CONTROL, fp | (spsel ? kControlSpsel : 0));
    if (ipsr != 0) write_reg(uc_, UC_ARM_REG_IPSR, ipsr);
    if (npriv) write_reg(uc_, UC_ARM_REG_CONTROL, fp | (spsel ? kControlSpsel : 0) | kControlNpriv);
  }
  // Mode writes do not rebuild QEMU's cached translation flags; an APSR write does.
  const std::uint32_t nzcv = read_reg(uc_, UC_ARM_REG_APSR_NZCV);
  write_reg(uc_, UC_ARM_REG_APSR_NZCV, nzcv);
}

// ---- memory ------------------------------------------------------------------------------------

bool CortexM4::read_memory(std::uint32_t address, void* out, std::size_t len) const {
  auto* dst = static_cast<std::uint8_t*>(out);
  if (address - kFlashBase < kFlashSize && len <= kFlashSize - (address - kFlashBase)) {
    std::memcpy(dst, flash_.data() + (address - kFlashBase), len);
    return true;
  }
  if (address - kSramBase < kSramSize && len <= kSramSize - (address - kSramBase)) {
    std::memcpy(dst, sram_.data() + (address - kSramBase), len);
    return true;
  }
  return false;
}

bool CortexM4::write_memory(std::uint32_t address, const void* data, std::size_t len) {
  if (address - kSramBase < kSramSize && len <= kSramSize - (address - kSramBase)) {
    std::memcpy(sram_.data() + (address - kSramBase), data, len);
    return true;
  }
  return false;
}

std::uint32_t CortexM4::bus_read(std::uint32_t address, unsigned size) {
  events_.advance_to(t_);
  struct Refresh {
    CortexM4* c;
    ~Refresh() { c->refresh_stop(); }  // the device may have posted an event or raised an IRQ
  } refresh{this};
  const auto t = bus_.decode(address);
  if (!t) {
    raise_bus_fault(address, false, "no peripheral is mapped there");
    return 0;
  }
  if (t->gate) {
    std::string why;
    if (!(*t->gate)(why)) {
      raise_bus_fault(address, false, t->device->name() + " is not accessible: " + why);
      return 0;
    }
  }
  return t->device->read(t->offset, size);
}

void CortexM4::bus_write(std::uint32_t address, std::uint32_t value, unsigned size) {
  events_.advance_to(t_);
  struct Refresh {
    CortexM4* c;
    ~Refresh() { c->refresh_stop(); }
  } refresh{this};
  const auto t = bus_.decode(address);
  if (!t) {
    raise_bus_fault(address, true, "no peripheral is mapped there");
    return;
  }
  if (t->gate) {
    std::string why;
    if (!(*t->gate)(why)) {
      raise_bus_fault(address, true, t->device->name() + " is not accessible: " + why);
      return;
    }
  }
  t->device->write(t->offset, value, size);
}

std::uint64_t CortexM4::periph_read_cb(uc_engine*, std::uint64_t offset, unsigned size, void* user) {
  auto* self = static_cast<CortexM4*>(user);
  return self->bus_read(kPeriphBase + std::uint32_t(offset), size);
}
void CortexM4::periph_write_cb(uc_engine*, std::uint64_t offset, unsigned size, std::uint64_t value, void* user) {
  static_cast<CortexM4*>(user)->bus_write(kPeriphBase + std::uint32_t(offset), std::uint32_t(value), size);
}
std::uint64_t CortexM4::ppb_read_cb(uc_engine*, std::uint64_t offset, unsigned size, void* user) {
  return static_cast<CortexM4*>(user)->bus_read(kPpbBase + std::uint32_t(offset), size);
}
void CortexM4::ppb_write_cb(uc_engine*, std::uint64_t offset, unsigned size, std::uint64_t value, void* user) {
  static_cast<CortexM4*>(user)->bus_write(kPpbBase + std::uint32_t(offset), std::uint32_t(value), size);
}

// Bit-band: alias word n maps to bit (n % 32) of byte n / 32 (ARMv7-M ARM B3.1.3). A write is a
// read-modify-write of the containing word on the bus, as the bus matrix does it.
std::uint64_t CortexM4::periph_bb_read_cb(uc_engine*, std::uint64_t offset, unsigned, void* user) {
  auto* self = static_cast<CortexM4*>(user);
  const std::uint32_t byte = std::uint32_t(offset >> 5), bit = (std::uint32_t(offset >> 2) & 7) + 8 * (byte & 3);
  return (self->bus_read(kPeriphBase + (byte & ~3u), 4) >> bit) & 1u;
}
void CortexM4::periph_bb_write_cb(uc_engine*, std::uint64_t offset, unsigned, std::uint64_t value, void* user) {
  auto* self = static_cast<CortexM4*>(user);
  const std::uint32_t byte = std::uint32_t(offset >> 5), bit = (std::uint32_t(offset >> 2) & 7) + 8 * (byte & 3);
  const std::uint32_t word_addr = kPeriphBase + (byte & ~3u);
  std::uint32_t w = self->bus_read(word_addr, 4);
  w = (w & ~(1u << bit)) | (std::uint32_t(value & 1u) << bit);
  self->bus_write(word_addr, w, 4);
}
std::uint64_t CortexM4::sram_bb_read_cb(uc_engine*, std::uint64_t offset, unsigned, void* user) {
  auto* self = static_cast<CortexM4*>(user);
  const std::uint32_t byte = std::uint32_t(offset >> 5), bit = std::uint32_t(offset >> 2) & 7;
  return (self->sram_[byte] >> bit) & 1u;
}
void CortexM4::sram_bb_write_cb(uc_engine*, std::uint64_t offset, unsigned, std::uint64_t value, void* user) {
  auto* self = static_cast<CortexM4*>(user);
  const std::uint32_t byte = std::uint32_t(offset >> 5), bit = std::uint32_t(offset >> 2) & 7;
  std::uint8_t b = self->sram_[byte];
  b = std::uint8_t((b & ~(1u << bit)) | ((value & 1u) << bit));
  self->sram_[byte] = b;
  // Code may run from SRAM: keep translated blocks coherent with this store.
  uc_ctl_remove_cache(self->uc_, kSramBase + byte, kSramBase + byte + 1);
}

// ---- faults ------------------------------------------------------------------------------------

void CortexM4::set_fault(const std::string& kind, const std::string& detail, std::optional<std::uint32_t> pc) {
  if (fault_) return;  // the first fault is the one that matters
  if (running_) events_.advance_to(t_);
  FaultInfo f;
  f.kind = kind;
  f.detail = detail;
  for (int i = 0; i < 16; ++i) f.regs[i] = reg(i);
  f.pc = pc ? *pc : f.regs[15];
  f.regs[15] = f.pc;
  f.xpsr = xpsr();
  f.at = events_.now();
  fault_ = f;
  if (running_) {
    uc_emu_stop(uc_);
    stop_issued_ = true;
  }
}

void CortexM4::raise_bus_fault(std::uint32_t address, bool is_write, const std::string& why) {
  // CFSR.PRECISERR | BFARVALID (the access is precise on the TM4C's peripheral bus).
  scb_.record_fault((1u << 9) | (1u << 15), 1u << 30, address, true);
  set_fault("bus fault", std::string(is_write ? "write to " : "read of ") + hex(address) + ": " + why +
                              " (PC is the start of the executing block)");
}

void CortexM4::fault_from_error(uc_err err) {
  if (fault_) return;
  if (mem_error_) {
    const MemError& m = *mem_error_;
    const std::uint32_t a = std::uint32_t(m.address);
    switch (m.type) {
      case UC_MEM_FETCH_UNMAPPED:
      case UC_MEM_FETCH_PROT:
        scb_.record_fault(1u << 0, 1u << 30, 0, false);  // IACCVIOL / forced
        set_fault("runaway PC", "instruction fetch from " + hex(a) + ", which holds no executable memory", a);
        return;
      case UC_MEM_WRITE_PROT:
        scb_.record_fault((1u << 9) | (1u << 15), 1u << 30, a, true);
        set_fault("bus fault", "write of " + std::to_string(m.size) + " bytes to flash at " + hex(a) +
                                   " (flash is read-only to the CPU; program it through the flash controller)");
        return;
      case UC_MEM_READ_UNMAPPED:
      case UC_MEM_READ_PROT:
        scb_.record_fault((1u << 9) | (1u << 15), 1u << 30, a, true);
        set_fault("bus fault", "read of " + std::to_string(m.size) + " bytes at unmapped address " + hex(a));
        return;
      default:
        scb_.record_fault((1u << 9) | (1u << 15), 1u << 30, a, true);
        set_fault("bus fault", "write of " + std::to_string(m.size) + " bytes to unmapped address " + hex(a));
        return;
    }
  }
  if (err == UC_ERR_INSN_INVALID) {
    const std::uint32_t pc = reg(15);
    std::uint16_t op[2] = {0, 0};
    read_memory(pc, op, 4);
    scb_.record_fault(1u << 16, 1u << 30, 0, false);  // UNDEFINSTR
    char buf[64];
    if (thumb_is_32bit(op[0])) std::snprintf(buf, sizeof buf, "%04X %04X", op[0], op[1]);
    else std::snprintf(buf, sizeof buf, "%04X", op[0]);
    set_fault("usage fault", std::string("undefined instruction ") + buf + " at " + hex(pc), pc);
    return;
  }
  set_fault("hard fault", std::string("CPU emulation stopped: ") + uc_strerror(err));
}

bool CortexM4::hook_mem_invalid(uc_engine*, uc_mem_type type, std::uint64_t address, int size, std::int64_t, void* user) {
  auto* self = static_cast<CortexM4*>(user);
  if (!self->mem_error_) self->mem_error_ = MemError{type, address, size};
  return false;
}

// WFE and YIELD raise QEMU's EXCP_YIELD, which Unicorn reports as an invalid instruction; they
// are hints, so the run returns normally and the core decides (WFE sleeps). Anything else is a
// real undefined instruction.
bool CortexM4::hook_insn_invalid(uc_engine*, void* user) {
  auto* self = static_cast<CortexM4*>(user);
  const std::uint32_t pc = self->reg(15);
  std::uint16_t before[2] = {0, 0};
  self->read_memory(pc - 4, before, 4);
  const bool hint16 = before[1] == 0xBF20 || before[1] == 0xBF10;
  const bool hint32 = before[0] == 0xF3AF && (before[1] == 0x8002 || before[1] == 0x8001);
  return hint16 || hint32;
}

// ---- run loop ----------------------------------------------------------------------------------

void CortexM4::reset() {
  fault_.reset();
  mem_error_.reset();
  sleeping_ = false;
  pending_cycles_ = 0;
  std::uint32_t vec[2] = {0, 0};
  read_memory(0, vec, 8);  // VTOR is 0 after reset
  for (int i = 0; i <= 12; ++i) set_reg(i, 0);
  for (int i = 0; i < 16; ++i) {
    const double zero = 0;
    uc_reg_write(uc_, UC_ARM_REG_D0 + i, &zero);
  }
  write_reg(uc_, UC_ARM_REG_FPSCR, 0);
  CoreState any{};
  any.control = kControlSpsel;  // unknown previous mode: take the general path
  set_core_state(any, 0, false, false, false, vec[0] & ~3u, 0);
  write_reg(uc_, UC_ARM_REG_PRIMASK, 0);
  write_reg(uc_, UC_ARM_REG_BASEPRI, 0);
  write_reg(uc_, UC_ARM_REG_FAULTMASK, 0);
  write_reg(uc_, UC_ARM_REG_LR, 0xFFFFFFFF);
  write_reg(uc_, UC_ARM_REG_XPSR_NZCVQG, kXpsrT);
  write_reg(uc_, UC_ARM_REG_PC, vec[1] | 1u);
  if ((vec[1] & 1u) == 0 || vec[1] == 0xFFFFFFFF)
    set_fault("hard fault", "reset vector " + hex(vec[1]) + " is not a Thumb address in flash (is a firmware loaded?)",
              vec[1]);
}

void CortexM4::request_stop() {
  stop_ = true;
  next_stop_ = 0;
  if (running_) {
    uc_emu_stop(uc_);
    stop_issued_ = true;
  }
}

bool CortexM4::wake_pending() {
  const unsigned cand = nvic_.pending_candidate();
  if (cand == 0) return false;
  std::uint32_t primask, basepri, faultmask;
  read_masks(primask, basepri, faultmask);
  // WFI wakes for an exception that would preempt if PRIMASK were clear (ARMv7-M B1.5.19).
  return nvic_.group_priority(cand) < nvic_.execution_priority(0, basepri, faultmask);
}

CortexM4::Exit CortexM4::run(Cycles deadline) {
  if (fault_) return Exit::Fault;
  deadline_ = deadline;
  stop_ = false;
  stop_issued_ = false;
  sleeping_ = false;
  mem_error_.reset();
  const std::uint32_t pc = reg(15);
  t_ = events_.now();
  refresh_stop();
  running_ = true;
  // `until` = 0: an address that never executes (it holds the initial SP).
  const uc_err err = uc_emu_start(uc_, pc | 1u, 0, 0, 0);
  running_ = false;
  charge(pending_cycles_);
  pending_cycles_ = 0;
  // Events that fell due while the last block ran still run at their own ticks.
  if (t_ >= events_.peek_time()) events_.run_until(t_);
  else events_.advance_to(t_);
  if (err != UC_ERR_OK) fault_from_error(err);
  if (fault_) return Exit::Fault;
  // Unicorn returns on its own only after WFI, WFE or YIELD (the `until` address never runs); the
  // instruction just before the PC says which. WFI/WFE sleep until an interrupt is pending. (After a
  // stop we asked for, a WFI in the last block is treated as having woken at once, which the
  // architecture allows: WFI may complete early, and firmware waits in a loop around it.)
  if (!stop_issued_) {
    std::uint16_t before[2] = {0, 0};
    const std::uint32_t pc = reg(15);
    read_memory(pc - 4, before, 4);
    const bool wfi_or_wfe = before[1] == 0xBF30 || before[1] == 0xBF20 ||
                            (before[0] == 0xF3AF && (before[1] == 0x8003 || before[1] == 0x8002));
    if (wfi_or_wfe) {
      sleeping_ = true;
      return Exit::Sleeping;
    }
  }
  if (stop_) return Exit::Stopped;
  return events_.now() >= deadline_ ? Exit::Deadline : Exit::Stopped;
}

// The per-block fast path: charge the previous block, look this one up, one comparison. It is a
// leaf function; anything unusual (a block not seen before, a core clock other than 120 MHz)
// goes to hook_block_general, and the slow path is a tail call.
void CortexM4::hook_block(uc_engine*, std::uint64_t address, std::uint32_t size, void* user) {
  auto* self = static_cast<CortexM4*>(user);
  const std::uint32_t addr = std::uint32_t(address);
  const BlockInfo* info = self->cache_.find(addr, size);
  if (__builtin_expect(info == nullptr || !self->unit_ratio_, 0)) return self->hook_block_general(addr, size);
  const std::uint64_t c = self->pending_cycles_;
  self->cycles_ += c;
  self->t_ += c;
  self->pending_cycles_ = info->cycles;
  self->instructions_ += info->instructions;
  if (__builtin_expect(self->t_ >= self->next_stop_, 0)) return self->slow_path(addr);
}

void CortexM4::hook_block_general(std::uint32_t addr, std::uint32_t size) {
  charge(pending_cycles_);
  const BlockInfo* info = cache_.find(addr, size);
  if (info == nullptr) info = analyse_new_block(addr, size);
  pending_cycles_ = info->cycles;
  instructions_ += info->instructions;
  if (t_ >= next_stop_) slow_path(addr);
}

const BlockInfo* CortexM4::analyse_new_block(std::uint32_t addr, std::uint32_t size) {
  std::vector<std::uint8_t> code(size);
  BlockInfo computed;
  if (read_memory(addr, code.data(), size)) computed = analyse_block(code.data(), size);
  else computed.cycles = std::uint16_t(size / 2);
  cache_.store(addr, size, computed);
  if (const BlockInfo* info = cache_.find(addr, size)) return info;
  uncached_block_ = computed;  // outside the cached regions: keep a private copy
  return &uncached_block_;
}

// Something may need attention before this block runs: due events, the deadline, a stop
// request, a pending interrupt.
void CortexM4::slow_path(std::uint32_t block_address) {
  // Due events run at their own ticks (run_until moves the clock event by event, then to t_);
  // advancing the clock first would run them late, with now() already at the CPU's time.
  if (t_ >= events_.peek_time()) events_.run_until(t_);
  else events_.advance_to(t_);
  if (fault_) return;
  if (stop_ || t_ >= deadline_) {
    uc_emu_stop(uc_);
    stop_issued_ = true;
  }
  if (nvic_.any_pending()) try_take_exception(block_address);
  refresh_stop();
  // A pending interrupt that cannot be taken yet (masked, lower priority) keeps next_stop_ at 0
  // so that it is re-examined at every block until the core can take it.
}

void CortexM4::try_take_exception(std::uint32_t return_address) {
  const unsigned cand = nvic_.pending_candidate();
  if (cand == 0) return;
  std::uint32_t primask, basepri, faultmask;
  read_masks(primask, basepri, faultmask);
  if (nvic_.group_priority(cand) >= nvic_.execution_priority(primask, basepri, faultmask)) return;
  if (enter_exception(cand, return_address)) {
    // The block whose hook we are in will not execute: charge the entry latency instead.
    pending_cycles_ = kEntryCycles;
  }
}

bool CortexM4::jump_to_vector(unsigned exception) {
  const std::uint32_t vtor = scb_.vtor();
  std::uint32_t vector = 0;
  if (!read_memory(vtor + 4 * exception, &vector, 4)) {
    set_fault("hard fault", "vector table read at " + hex(vtor + 4 * exception) + " failed (VTOR = " + hex(vtor) + ")");
    return false;
  }
  if ((vector & 1u) == 0) {
    scb_.record_fault(1u << 17, 1u << 30, 0, false);  // INVSTATE
    set_fault("usage fault", "vector " + std::to_string(exception) + " = " + hex(vector) +
                                 " has the Thumb bit clear (the handler is missing or the table is corrupt)",
              vector);
    return false;
  }
  write_reg(uc_, UC_ARM_REG_PC, vector);
  return true;
}

// Exception entry (ARMv7-M ARM B1.5.6, PushStack + ExceptionTaken).
bool CortexM4::enter_exception(unsigned exception, std::uint32_t return_address) {
  const CoreState s = read_state();
  const bool thread = s.ipsr == 0;
  const bool use_psp = thread && (s.control & kControlSpsel);
  const bool fpca = s.control & kControlFpca;
  const std::uint32_t sp = use_psp ? s.psp : s.msp;
  const std::uint32_t framesize = fpca ? 0x68 : 0x20;
  const bool force_align = scb_.stack_align8();
  const std::uint32_t frame = (sp - framesize) & (force_align ? ~7u : ~3u);
  const bool realigned = force_align && (sp & 4u);

  std::uint32_t words[26] = {};
  words[0] = s.r[0];
  words[1] = s.r[1];
  words[2] = s.r[2];
  words[3] = s.r[3];
  words[4] = s.r[12];
  words[5] = s.lr;
  words[6] = return_address & ~1u;
  words[7] = (s.xpsr & ~(1u << 9)) | (realigned ? (1u << 9) : 0);
  if (fpca) {
    for (int d = 0; d < 8; ++d) {
      std::uint64_t v = 0;
      uc_reg_read(uc_, UC_ARM_REG_D0 + d, &v);
      words[8 + 2 * d] = std::uint32_t(v);
      words[9 + 2 * d] = std::uint32_t(v >> 32);
    }
    words[24] = read_reg(uc_, UC_ARM_REG_FPSCR);
  }
  if (!write_memory(frame, words, framesize)) {
    scb_.record_fault(1u << 12, 1u << 30, 0, false);  // STKERR
    set_fault("lockup", std::string("exception ") + std::to_string(exception) + " could not stack its frame: " +
                            (use_psp ? "PSP" : "MSP") + " = " + hex(sp) + " is outside SRAM");
    return false;
  }
  const std::uint32_t exc_return = 0xFFFFFFE1u | (fpca ? 0 : 0x10u) | (thread ? 0x8u : 0) | (use_psp ? 0x4u : 0);
  set_core_state(s, exception, false, s.control & kControlNpriv, false, use_psp ? s.msp : frame, use_psp ? frame : s.psp);
  write_reg(uc_, UC_ARM_REG_LR, exc_return);
  write_reg(uc_, UC_ARM_REG_EPSR, kXpsrT);  // IT state cleared, Thumb
  nvic_.activate(exception);
  ++exceptions_taken_;
  sleeping_ = false;
  return jump_to_vector(exception);
}

// Exception return (ARMv7-M ARM B1.5.8): deactivate, tail-chain to a pending exception that may
// run at the new priority, or pop the frame the EXC_RETURN value names.
void CortexM4::exception_return(std::uint32_t exc_return) {
  // Only the mode and the stack pointers matter here; the frame holds the rest.
  CoreState s{};
  {
    int ids[4] = {UC_ARM_REG_XPSR, UC_ARM_REG_CONTROL, UC_ARM_REG_MSP, UC_ARM_REG_PSP};
    void* vals[4] = {&s.xpsr, &s.control, &s.msp, &s.psp};
    uc_reg_read_batch(uc_, ids, vals, 4);  // in handler mode: privileged, MSP/PSP readable
    s.ipsr = s.xpsr & 0x1FF;
  }
  const std::uint32_t low = exc_return & 0xFF;
  const bool valid = (exc_return >> 8) == 0xFFFFFF &&
                     (low == 0xF1 || low == 0xF9 || low == 0xFD || low == 0xE1 || low == 0xE9 || low == 0xED);
  if (!valid) {
    scb_.record_fault(1u << 18, 1u << 30, 0, false);  // INVPC
    set_fault("usage fault", "exception return with invalid EXC_RETURN " + hex(exc_return), exc_return);
    return;
  }
  const unsigned returning = s.ipsr;
  if (returning == 0 || !nvic_.active(returning)) {
    scb_.record_fault(1u << 18, 1u << 30, 0, false);
    set_fault("usage fault", "exception return from exception " + std::to_string(returning) + ", which is not active",
              exc_return);
    return;
  }
  nvic_.deactivate(returning);
  const bool to_thread = exc_return & 0x8u;
  const bool to_psp = exc_return & 0x4u;
  const bool frame_fp = !(exc_return & 0x10u);
  if (to_thread && nvic_.active_count() != 0 && !scb_.nonbase_thread_enable()) {
    scb_.record_fault(1u << 18, 1u << 30, 0, false);
    set_fault("usage fault", "return to thread mode with other exceptions still active (EXC_RETURN " + hex(exc_return) + ")",
              exc_return);
    return;
  }

  // Tail-chaining: the frame stays on the stack and the next handler gets the same EXC_RETURN.
  const unsigned next = nvic_.pending_candidate();
  if (next != 0) {
    std::uint32_t primask, basepri, faultmask;
    read_masks(primask, basepri, faultmask);
    if (nvic_.group_priority(next) < nvic_.execution_priority(primask, basepri, faultmask)) {
      set_core_state(s, next, false, s.control & kControlNpriv, false, s.msp, s.psp);
      write_reg(uc_, UC_ARM_REG_LR, exc_return);
      write_reg(uc_, UC_ARM_REG_EPSR, kXpsrT);
      nvic_.activate(next);
      ++exceptions_taken_;
      pending_cycles_ += kTailChainCycles;
      jump_to_vector(next);
      return;
    }
  }

  const std::uint32_t sp = to_psp ? s.psp : s.msp;
  const std::uint32_t framesize = frame_fp ? 0x68 : 0x20;
  std::uint32_t words[26] = {};
  if (!read_memory(sp, words, framesize)) {
    scb_.record_fault(1u << 11, 1u << 30, 0, false);  // UNSTKERR
    set_fault("lockup", std::string("exception return could not unstack its frame: ") + (to_psp ? "PSP" : "MSP") +
                            " = " + hex(sp) + " is outside SRAM");
    return;
  }
  const std::uint32_t xpsr = words[7];
  std::uint32_t new_sp = sp + framesize;
  if ((xpsr & (1u << 9)) && scb_.stack_align8()) new_sp += 4;
  const std::uint32_t stacked_ipsr = xpsr & 0x1FF;
  if ((to_thread && stacked_ipsr != 0) || (!to_thread && stacked_ipsr == 0)) {
    scb_.record_fault(1u << 18, 1u << 30, 0, false);
    set_fault("usage fault", "stacked IPSR " + std::to_string(stacked_ipsr) + " does not match EXC_RETURN " + hex(exc_return),
              exc_return);
    return;
  }
  set_core_state(s, stacked_ipsr, to_thread && to_psp, s.control & kControlNpriv, frame_fp, to_psp ? s.msp : new_sp,
                 to_psp ? new_sp : s.psp);
  for (int i = 0; i < 4; ++i) set_reg(i, words[i]);
  set_reg(12, words[4]);
  set_reg(14, words[5]);
  if (frame_fp) {
    for (int d = 0; d < 8; ++d) {
      const std::uint64_t v = std::uint64_t(words[8 + 2 * d]) | (std::uint64_t(words[9 + 2 * d]) << 32);
      uc_reg_write(uc_, UC_ARM_REG_D0 + d, &v);
    }
    write_reg(uc_, UC_ARM_REG_FPSCR, words[24]);
  }
  write_reg(uc_, UC_ARM_REG_XPSR_NZCVQG, xpsr & ~(1u << 9));
  pending_cycles_ += kReturnCycles;
  write_reg(uc_, UC_ARM_REG_PC, words[6] | 1u);
}

void CortexM4::take_svc() {
  // SVC is synchronous: it must be taken now or it escalates to HardFault (B1.5.4).
  nvic_.set_pending(exc::kSvCall);
  std::uint32_t primask, basepri, faultmask;
  read_masks(primask, basepri, faultmask);
  if (nvic_.group_priority(exc::kSvCall) >= nvic_.execution_priority(primask, basepri, faultmask)) {
    nvic_.clear_pending(exc::kSvCall);
    scb_.record_fault(0, 1u << 30, 0, false);  // FORCED
    set_fault("hard fault", "SVC executed at a priority that cannot take SVCall (escalated to HardFault)", reg(15) - 2);
    return;
  }
  if (enter_exception(exc::kSvCall, reg(15))) pending_cycles_ += kEntryCycles;
}

void CortexM4::hook_interrupt(uc_engine* uc, std::uint32_t intno, void* user) {
  auto* self = static_cast<CortexM4*>(user);
  const std::uint32_t pc = self->reg(15);
  struct Refresh {
    CortexM4* c;
    ~Refresh() { c->refresh_stop(); }  // exception entry/return changes what is pending and active
  } refresh{self};
  switch (intno) {
    case kExcpSwi:
      self->take_svc();
      return;
    case kExcpExceptionExit:
    case kExcpPrefetchAbort:
      if (pc >= 0xFFFFFF00u) {
        if (self->ipsr() != 0) {
          self->exception_return(pc | 1u);
        } else {
          self->set_fault("runaway PC", "branch to " + hex(pc | 1u) +
                                            " (an EXC_RETURN value) in thread mode, where it is not an exception return",
                          pc);
        }
        return;
      }
      self->scb_.record_fault(1u << 0, 1u << 30, 0, false);
      self->set_fault("bus fault", "instruction fetch from " + hex(pc) + " (execute-never region)", pc);
      return;
    case kExcpDataAbort:
      self->set_fault("bus fault", "data abort at PC " + hex(pc), pc);
      return;
    case kExcpBkpt: {
      std::uint16_t op = 0;
      self->read_memory(pc, &op, 2);
      self->set_fault("hard fault", "BKPT #" + std::to_string(op & 0xFF) + " with no debugger attached", pc);
      return;
    }
    case kExcpUdef:
      self->set_fault("usage fault", "undefined instruction at " + hex(pc), pc);
      return;
    case kExcpNoCp:
      self->set_fault("usage fault", "coprocessor (FPU) instruction while it is disabled, at " + hex(pc), pc);
      return;
    case kExcpInvState:
      self->set_fault("usage fault", "invalid state (Thumb bit clear) at " + hex(pc), pc);
      return;
    case kExcpUnaligned:
      self->set_fault("usage fault", "unaligned access trapped at " + hex(pc), pc);
      return;
    default:
      self->set_fault("hard fault", "CPU exception " + std::to_string(intno) + " at " + hex(pc), pc);
      (void)uc;
      return;
  }
}

}  // namespace k7sim
