#include "flash.h"

#include "tm4c1294.h"

/* Wait until the controller has cleared `bit` in `reg`, then read and clear its error flags. */
static bool finish(uint32_t reg, uint32_t bit)
{
    while (reg_read(reg) & bit) {
    }
    uint32_t errors = reg_read(FLASH_FCRIS) & FLASH_FCRIS_ERRORS;
    if (errors) {
        reg_write(FLASH_FCMISC, errors); /* write-1-to-clear */
        return false;
    }
    return true;
}

bool flash_erase_sector(uint32_t addr)
{
    if (addr % FLASH_SECTOR_SIZE != 0 || addr >= FLASH_SIZE) {
        return false;
    }
    reg_write(FLASH_FMA, addr);
    reg_write(FLASH_FMC, FLASH_FMC_WRKEY | FLASH_FMC_ERASE);
    return finish(FLASH_FMC, FLASH_FMC_ERASE);
}

bool flash_program(uint32_t addr, const uint32_t *words, size_t count)
{
    if (addr % 4u != 0 || addr + 4u * count > FLASH_SIZE) {
        return false;
    }
    const uint32_t row_bytes = 4u * FLASH_ROW_WORDS;
    while (count > 0) {
        uint32_t row = addr & ~(row_bytes - 1u);
        uint32_t first = (addr - row) / 4u;
        size_t n = FLASH_ROW_WORDS - first;
        if (n > count) {
            n = count;
        }
        reg_write(FLASH_FMA, row);
        for (size_t i = 0; i < n; i++) {
            reg_write(FLASH_FWB(first + i), words[i]); /* writing FWBn marks it valid in FWBVAL */
        }
        reg_write(FLASH_FMC2, FLASH_FMC_WRKEY | FLASH_FMC2_WRBUF);
        if (!finish(FLASH_FMC2, FLASH_FMC2_WRBUF)) {
            return false;
        }
        addr += 4u * n;
        words += n;
        count -= n;
    }
    return true;
}
