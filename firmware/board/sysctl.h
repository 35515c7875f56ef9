/*
 * Peripheral clock gating and the reset cause.
 */
#ifndef K7_BOARD_SYSCTL_H
#define K7_BOARD_SYSCTL_H

#include <stdbool.h>
#include <stdint.h>

/* Run-mode clock on for the instances in `bits` of one peripheral array (suffix SYSCTL_SFX_*),
 * then wait until PRxxx says they are ready. Returns false if they never became ready. */
bool sysctl_enable(uint32_t array_suffix, uint32_t bits);

/* Reset cause (RESC) as latched since the last clear. */
uint32_t sysctl_reset_cause(void);
/* Clear RESC so the next boot reports only what happened after now. */
void sysctl_clear_reset_cause(void);

/* "EXT POR ..." names of the RESC bits into buf (always NUL-terminated); "none" when zero. */
void sysctl_describe_reset_cause(uint32_t resc, char *buf, uint32_t size);

/* True when DID0 reports the TM4C129 device class. */
bool sysctl_is_tm4c129(void);

#endif
