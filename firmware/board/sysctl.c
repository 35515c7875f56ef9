#include "sysctl.h"

#include "tm4c1294.h"

/* PRxxx follows RCGCxxx within a few clocks on silicon; the bound only guards against a part (or a
 * model) that never reports ready, so boot continues and the console can say what is wrong. */
#define PR_POLL_LIMIT 10000u

bool sysctl_enable(uint32_t array_suffix, uint32_t bits)
{
    reg_set(SYSCTL_RCGC_BASE + array_suffix, bits);
    for (uint32_t i = 0; i < PR_POLL_LIMIT; i++) {
        if ((reg_read(SYSCTL_PR_BASE + array_suffix) & bits) == bits) {
            return true;
        }
    }
    return false;
}

uint32_t sysctl_reset_cause(void)
{
    return reg_read(SYSCTL_RESC);
}

void sysctl_clear_reset_cause(void)
{
    reg_write(SYSCTL_RESC, 0);
}

bool sysctl_is_tm4c129(void)
{
    return (reg_read(SYSCTL_DID0) & SYSCTL_DID0_CLASS_MASK) == SYSCTL_DID0_CLASS_TM4C129;
}

void sysctl_describe_reset_cause(uint32_t resc, char *buf, uint32_t size)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {
        {SYSCTL_RESC_EXT, "EXT"},   {SYSCTL_RESC_POR, "POR"},   {SYSCTL_RESC_BOR, "BOR"},
        {SYSCTL_RESC_WDT0, "WDT0"}, {SYSCTL_RESC_SW, "SW"},     {SYSCTL_RESC_WDT1, "WDT1"},
        {SYSCTL_RESC_HSSR, "HSSR"}, {SYSCTL_RESC_MOSCFAIL, "MOSCFAIL"},
    };
    uint32_t n = 0;
    if (size == 0) {
        return;
    }
    for (uint32_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (!(resc & names[i].bit)) {
            continue;
        }
        for (const char *p = (n ? " " : ""); *p && n + 1 < size; p++) {
            buf[n++] = *p;
        }
        for (const char *p = names[i].name; *p && n + 1 < size; p++) {
            buf[n++] = *p;
        }
    }
    if (n == 0) {
        for (const char *p = "none"; *p && n + 1 < size; p++) {
            buf[n++] = *p;
        }
    }
    buf[n] = '\0';
}
