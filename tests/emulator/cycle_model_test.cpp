// Cortex-M4 instruction timing applied per block (Cortex-M4 TRM "Instruction set summary";
// assumptions in docs/emulator.md): known encodings and a block with mixed widths.
#include <gtest/gtest.h>

#include <vector>

#include "emulator/cpu/cycle_model.h"

using namespace k7sim;

TEST(CycleModel, SixteenBitInstructions) {
  EXPECT_EQ(thumb_instruction_cycles(0x2001, 0), 1u);  // MOVS r0, #1
  EXPECT_EQ(thumb_instruction_cycles(0x1840, 0), 1u);  // ADDS r0, r0, r1
  EXPECT_EQ(thumb_instruction_cycles(0x4348, 0), 1u);  // MULS r0, r1, r0 (single cycle on M4)
  EXPECT_EQ(thumb_instruction_cycles(0x4801, 0), 2u);  // LDR r0, [pc, #4]
  EXPECT_EQ(thumb_instruction_cycles(0x6808, 0), 2u);  // LDR r0, [r1]
  EXPECT_EQ(thumb_instruction_cycles(0x6008, 0), 2u);  // STR r0, [r1]
  EXPECT_EQ(thumb_instruction_cycles(0xB510, 0), 3u);  // PUSH {r4, lr}: 1 + N
  EXPECT_EQ(thumb_instruction_cycles(0xBD10, 0), 6u);  // POP {r4, pc}: 1 + N + refill
  EXPECT_EQ(thumb_instruction_cycles(0xC90C, 0), 3u);  // LDMIA r1!, {r2, r3}
  EXPECT_EQ(thumb_instruction_cycles(0xE7FE, 0), 2u);  // B .
  EXPECT_EQ(thumb_instruction_cycles(0xD0FE, 0), 2u);  // BEQ . (counted as taken)
  EXPECT_EQ(thumb_instruction_cycles(0x4770, 0), 3u);  // BX lr
  EXPECT_EQ(thumb_instruction_cycles(0xB108, 0), 2u);  // CBZ r0, ...
  EXPECT_EQ(thumb_instruction_cycles(0xBF30, 0), 2u);  // WFI
  EXPECT_EQ(thumb_instruction_cycles(0xBF00, 0), 1u);  // NOP
}

TEST(CycleModel, ThirtyTwoBitInstructions) {
  EXPECT_TRUE(thumb_is_32bit(0xF000));
  EXPECT_FALSE(thumb_is_32bit(0xE7FE));
  EXPECT_EQ(thumb_instruction_cycles(0xF000, 0xF800), 3u);  // BL
  EXPECT_EQ(thumb_instruction_cycles(0xFBB0, 0xF0F1), 7u);  // UDIV r0, r0, r1
  EXPECT_EQ(thumb_instruction_cycles(0xFB90, 0xF0F1), 7u);  // SDIV r0, r0, r1
  EXPECT_EQ(thumb_instruction_cycles(0xFB00, 0xF001), 1u);  // MUL.W r0, r0, r1
  EXPECT_EQ(thumb_instruction_cycles(0xFB00, 0x2001), 2u);  // MLA r0, r0, r1, r2
  EXPECT_EQ(thumb_instruction_cycles(0xFBA0, 0x0101), 1u);  // UMULL
  EXPECT_EQ(thumb_instruction_cycles(0xE92D, 0x41F0), 7u);  // PUSH.W {r4-r8, lr}: 1 + 6
  EXPECT_EQ(thumb_instruction_cycles(0xE8BD, 0x81F0), 10u); // POP.W {r4-r8, pc}: 1 + 6 + refill
  EXPECT_EQ(thumb_instruction_cycles(0xE8DF, 0xF000), 4u);  // TBB [pc, r0]
  EXPECT_EQ(thumb_instruction_cycles(0xF8D1, 0x0004), 2u);  // LDR.W r0, [r1, #4]
  EXPECT_EQ(thumb_instruction_cycles(0xEE80, 0x0A01), 14u); // VDIV.F32 s0, s0, s2
  EXPECT_EQ(thumb_instruction_cycles(0xEE20, 0x0A01), 1u);  // VMUL.F32
  EXPECT_EQ(thumb_instruction_cycles(0xED91, 0x0A00), 2u);  // VLDR s0, [r1]
  EXPECT_EQ(thumb_instruction_cycles(0xF3BF, 0x8F4F), 3u);  // DSB
}

TEST(CycleModel, BlockSumsMixedWidths) {
  // MOVS r0,#1 ; LDR.W r1,[r2,#4] ; UDIV r0,r0,r1 ; BX lr  → 1 + 2 + 7 + 3 = 13 cycles, 4 instructions
  const std::vector<std::uint8_t> code{0x01, 0x20, 0xD2, 0xF8, 0x04, 0x10, 0xB0, 0xFB, 0xF1, 0xF0, 0x70, 0x47};
  const BlockInfo info = analyse_block(code.data(), std::uint32_t(code.size()));
  EXPECT_EQ(info.instructions, 4u);
  EXPECT_EQ(info.cycles, 13u);
}

TEST(CycleModel, CacheValidatesBlockSize) {
  BlockCostCache cache(0x100000, 0x20000000, 0x40000);
  BlockInfo b;
  b.cycles = 9;
  b.instructions = 4;
  cache.store(0x100, 12, b);
  ASSERT_NE(cache.find(0x100, 12), nullptr);
  EXPECT_EQ(cache.find(0x100, 12)->cycles, 9u);
  EXPECT_EQ(cache.find(0x100, 10), nullptr) << "a different block at the same address is recomputed";
  cache.store(0x20000010, 4, b);
  EXPECT_NE(cache.find(0x20000010, 4), nullptr) << "code in SRAM is cached too";
  EXPECT_EQ(cache.find(0x30000000, 4), nullptr);
}
