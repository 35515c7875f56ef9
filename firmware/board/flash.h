/*
 * Internal flash programming (tm4c1294-facts.md §6): sector erase and buffered row programming.
 * Both wait for the controller (a sector erase takes milliseconds) and report the controller's error
 * flags as failure. Programming only clears bits: the target must be erased first.
 */
#ifndef K7_BOARD_FLASH_H
#define K7_BOARD_FLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Erase the 16 KB sector that starts at `addr` (sector aligned). */
bool flash_erase_sector(uint32_t addr);

/* Program `count` words at `addr` (word aligned), a 128-byte row per controller operation. */
bool flash_program(uint32_t addr, const uint32_t *words, size_t count);

#endif
