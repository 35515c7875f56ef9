// Cortex-M4 instruction timing (ARM Cortex-M4 TRM, "Instruction set summary" cycle counts),
// applied per translated block: the block's instructions are classified once and the sum is
// cached, so cycle accounting costs one table lookup per block at run time.
// Assumptions (documented in docs/board.md): zero-wait-state memory (the TM4C1294 prefetch
// buffer hides flash wait states for straight-line code), conditional branches at the end of a
// block are counted as taken, pipeline refill P = 1, UDIV/SDIV take 7 cycles (2..12 on silicon,
// data dependent).
#pragma once
#include <cstdint>
#include <vector>

namespace k7sim {

// Kept small (6 bytes with the cache's size field) so the per-block lookup stays in cache.
struct BlockInfo {
  std::uint16_t cycles = 0;      // core cycles of the whole block (a block has at most 512 instructions)
  std::uint16_t instructions = 0;
};

// Cost of one Thumb/Thumb-2 instruction; `hw1` first halfword, `hw2` second (32-bit only).
std::uint32_t thumb_instruction_cycles(std::uint16_t hw1, std::uint16_t hw2);
bool thumb_is_32bit(std::uint16_t hw1);
// Walk `size` bytes of code (little-endian halfwords).
BlockInfo analyse_block(const std::uint8_t* code, std::uint32_t size);

// Per-address cache of BlockInfo for the code regions (flash and SRAM), keyed by start address
// and validated by block size.
class BlockCostCache {
 public:
  BlockCostCache(std::uint32_t flash_size, std::uint32_t sram_base, std::uint32_t sram_size);
  // nullptr when the address is not cached (or the cached block had another size).
  const BlockInfo* find(std::uint32_t address, std::uint32_t size) const {
    const Entry* e = slot(address);
    return (e && e->size == size) ? &e->info : nullptr;
  }
  void store(std::uint32_t address, std::uint32_t size, const BlockInfo& info);
  void clear();

 private:
  struct Entry {
    std::uint16_t size = 0;  // 0 = empty (translated blocks are at most a few KB)
    BlockInfo info;
  };
  Entry* slot(std::uint32_t a) {
    if (a < flash_size_) return &flash_[a >> 1];
    if (a - sram_base_ < sram_size_) return &sram_[(a - sram_base_) >> 1];
    return nullptr;
  }
  const Entry* slot(std::uint32_t address) const { return const_cast<BlockCostCache*>(this)->slot(address); }
  std::uint32_t flash_size_, sram_base_, sram_size_;
  std::vector<Entry> flash_, sram_;
};

}  // namespace k7sim
