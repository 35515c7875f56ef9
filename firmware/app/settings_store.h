/*
 * Power-safe settings store (k7-behaviour.md "Pins": power loss during a settings write leaves the old
 * or the new settings; §5.3.5 AT+RELD / AT+CFGTF).
 *
 * Two copies (A/B) of a versioned, CRC-checked record in two flash sectors; the newest valid copy wins.
 * A third sector keeps the user defaults saved by AT+CFGTF. The factory MAC is not in here: it lives
 * in the USER_REG0/1 words of the flash controller, outside the settings area.
 */
#ifndef K7_APP_SETTINGS_STORE_H
#define K7_APP_SETTINGS_STORE_H

#include <stdbool.h>

#include "settings.h"

/* Where the settings came from at boot (for the console). */
enum k7_store_source {
    K7_STORE_FROM_FLASH,         /* a valid saved copy */
    K7_STORE_FROM_USER_DEFAULTS, /* no valid copy: the AT+CFGTF defaults */
    K7_STORE_FROM_FACTORY,       /* no valid copy and no user defaults: the factory defaults */
};

/* Load the newest valid copy into `s`; with none, the user defaults or else the factory defaults
 * (in RAM only: the first save writes them, so an unconfigured module never writes its flash). */
enum k7_store_source k7_store_load(struct k7_settings *s);

/* Save `s` as the new settings (the copy not holding the newest record is rewritten). */
bool k7_store_save(const struct k7_settings *s);

/* AT+CFGTF: keep `s` as the user defaults that AT+RELD and a Reload factory reset restore. */
bool k7_store_save_user_defaults(const struct k7_settings *s);

/* AT+RELD and the Reload pin (≥ 5 s at power-on): `s` = the user defaults if any, else the factory
 * defaults; saved. AT+CFGTF makes the current settings the module's "factory settings" for both ways
 * back (000_f07c2e1ebe076025.txt §3.1 Reload, 001 §4.3 RELD, §4.14 CFGTF). */
bool k7_store_restore_defaults(struct k7_settings *s);

#endif
