#include "emulator/cpu/cycle_model.h"

#include <bit>

namespace k7sim {

bool thumb_is_32bit(std::uint16_t hw1) {
  const unsigned top5 = hw1 >> 11;
  return top5 == 0x1D || top5 == 0x1E || top5 == 0x1F;
}

namespace {

std::uint32_t cost16(std::uint16_t h) {
  if ((h & 0xFF87) == 0x4700) return 3;                  // BX Rm
  if ((h & 0xFF87) == 0x4780) return 3;                  // BLX Rm
  if ((h & 0xFC00) == 0x4400 && (h & 0x87) == 0x87) return 3;  // ADD/MOV PC, Rm: branch
  if ((h & 0xF800) == 0x4800) return 2;                  // LDR literal
  if ((h & 0xF000) == 0x5000) return 2;                  // load/store register offset
  if ((h & 0xE000) == 0x6000) return 2;                  // LDR/STR(B) immediate
  if ((h & 0xF000) == 0x8000) return 2;                  // LDRH/STRH immediate
  if ((h & 0xF000) == 0x9000) return 2;                  // LDR/STR SP-relative
  if ((h & 0xFE00) == 0xB400) return 1 + std::popcount(unsigned(h & 0x1FF));  // PUSH {list, LR}
  if ((h & 0xFE00) == 0xBC00) return 1 + std::popcount(unsigned(h & 0x1FF)) + ((h & 0x100) ? 3 : 0);  // POP (PC: refill)
  if ((h & 0xF500) == 0xB100) return 2;                  // CBZ/CBNZ (taken)
  if ((h & 0xF000) == 0xC000) return 1 + std::popcount(unsigned(h & 0xFF));   // LDM/STM
  if ((h & 0xFF00) == 0xDF00) return 1;                  // SVC
  if ((h & 0xF000) == 0xD000) return 2;                  // B<c> (taken)
  if ((h & 0xF800) == 0xE000) return 2;                  // B
  if (h == 0xBF30 || h == 0xBF20) return 2;              // WFI / WFE
  return 1;                                              // data processing, IT, hints, extend
}

std::uint32_t cost32(std::uint16_t h1, std::uint16_t h2) {
  // Load/store multiple (LDM/STM/PUSH.W/POP.W).
  if ((h1 & 0xFE40) == 0xE800 && (h1 & 0x0180) != 0 && (h1 & 0x0180) != 0x0180) {
    const bool load = h1 & 0x0010;
    return 1 + std::popcount(unsigned(h2)) + ((load && (h2 & 0x8000)) ? 3 : 0);
  }
  // Load/store dual, exclusive, table branch.
  if ((h1 & 0xFE40) == 0xE840) {
    if ((h1 & 0xFFF0) == 0xE8D0 && (h2 & 0xFFE0) == 0xF000) return 4;  // TBB/TBH
    if ((h1 & 0xFFE0) == 0xE840 || (h1 & 0xFFF0) == 0xE8C0 || (h1 & 0xFFF0) == 0xE8D0) return 2;  // exclusives
    return 3;  // LDRD/STRD
  }
  if ((h1 & 0xFE00) == 0xEA00) return 1;  // data processing (shifted register)
  // Coprocessor / FPU.
  if ((h1 & 0xEC00) == 0xEC00 && (h1 & 0xF000) == 0xE000) {
    const bool fp_data = (h1 & 0x0F00) == 0x0E00 && (h2 & 0x0010) == 0;
    if ((h1 & 0xFE00) == 0xEC00 || (h1 & 0xFF00) == 0xED00) {
      if ((h1 & 0xFF20) == 0xED00) return 2;         // VLDR / VSTR
      if ((h1 & 0xFFE0) == 0xEC40) return 2;         // VMOV two core registers
      unsigned regs = h2 & 0xFF;                     // VLDM/VSTM/VPUSH/VPOP: 1 + N
      if ((h2 & 0x0F00) == 0x0B00) regs /= 2;
      return 1 + regs;
    }
    if (fp_data) {
      const unsigned opc1 = (h1 >> 4) & 0xB;
      if (opc1 == 0x8) return 14;                                    // VDIV
      if (opc1 == 0xB && (h2 & 0x00C0) == 0x00C0 && (h1 & 0xF) == 1) return 14;  // VSQRT
      if (opc1 == 0x0 || opc1 == 0x1 || opc1 == 0xA) return 3;       // VMLA/VMLS/VNMLA/VFMA...
      return 1;
    }
    return 2;  // VMOV between core and FP registers, VMRS/VMSR
  }
  if ((h1 & 0xF800) == 0xF000 && (h2 & 0x8000)) {
    // Branches and miscellaneous control.
    const unsigned op = (h2 >> 12) & 0x5;
    if (op == 0x5) return 3;  // BL
    if (op == 0x1) return 2;  // B.W
    const unsigned op1 = (h1 >> 4) & 0x7F;
    if ((op1 & 0x38) != 0x38) return 2;  // B<c>.W
    if ((h1 & 0xFFF0) == 0xF3B0) return 3;  // DSB/DMB/ISB
    if ((h1 & 0xFFF0) == 0xF3A0 && (h2 & 0xFF) == 0x03) return 2;  // WFI.W
    return 2;  // MSR/MRS/hints
  }
  if ((h1 & 0xF800) == 0xF000) return 1;  // data processing (immediate)
  if ((h1 & 0xFE00) == 0xF800) {          // load/store single (incl. PC as destination)
    const bool load = h1 & 0x0010;
    if (load && ((h2 >> 12) & 0xF) == 0xF && (h1 & 0x0060) == 0x0040) return 5;  // LDR PC
    return 2;
  }
  if ((h1 & 0xFF00) == 0xFA00) return 1;  // data processing (register)
  if ((h1 & 0xFF80) == 0xFB00) {          // multiply, multiply-accumulate
    const bool accumulate = ((h2 >> 12) & 0xF) != 0xF;
    return accumulate ? 2 : 1;
  }
  if ((h1 & 0xFF80) == 0xFB80) {          // long multiply, divide
    if ((h1 & 0xFFF0) == 0xFB90 || (h1 & 0xFFF0) == 0xFBB0) return 7;  // SDIV / UDIV
    return 1;
  }
  return 1;
}

}  // namespace

std::uint32_t thumb_instruction_cycles(std::uint16_t hw1, std::uint16_t hw2) {
  return thumb_is_32bit(hw1) ? cost32(hw1, hw2) : cost16(hw1);
}

BlockInfo analyse_block(const std::uint8_t* code, std::uint32_t size) {
  BlockInfo info;
  std::uint32_t i = 0;
  while (i + 2 <= size) {
    const std::uint16_t h1 = std::uint16_t(code[i] | (code[i + 1] << 8));
    std::uint16_t h2 = 0;
    const bool wide = thumb_is_32bit(h1);
    if (wide && i + 4 <= size) h2 = std::uint16_t(code[i + 2] | (code[i + 3] << 8));
    info.cycles = std::uint16_t(info.cycles + thumb_instruction_cycles(h1, h2));
    info.instructions++;
    i += wide ? 4 : 2;
  }
  return info;
}

BlockCostCache::BlockCostCache(std::uint32_t flash_size, std::uint32_t sram_base, std::uint32_t sram_size)
    : flash_size_(flash_size), sram_base_(sram_base), sram_size_(sram_size),
      flash_(flash_size / 2), sram_(sram_size / 2) {}

void BlockCostCache::store(std::uint32_t address, std::uint32_t size, const BlockInfo& info) {
  if (size > 0xFFFF) return;
  if (Entry* e = slot(address)) *e = Entry{std::uint16_t(size), info};
}

void BlockCostCache::clear() {
  for (auto& e : flash_) e.size = 0;
  for (auto& e : sram_) e.size = 0;
}

}  // namespace k7sim
