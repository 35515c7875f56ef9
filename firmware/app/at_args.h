/*
 * Parsing of AT command parameters (the text after '='), shared by the command tables. Every
 * function checks the whole text: trailing garbage is an invalid parameter, never silently ignored.
 */
#ifndef K7_APP_AT_ARGS_H
#define K7_APP_AT_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Split `text` in place at every ',' into at most `max` fields, each trimmed of the spaces around it
 * (so "48899, www.usr.cn" reads like "48899,www.usr.cn", as in the manual's examples). Returns the
 * number of fields, or max + 1 if there are more. */
size_t k7_args_split(char *text, char **fields, size_t max);

/* A decimal number of 1..10 digits (no sign) within [min, max]. */
bool k7_args_uint(const char *text, uint32_t min, uint32_t max, uint32_t *out);

/* Dotted IPv4 address: four decimal octets 0..255 of 1..3 digits. */
bool k7_args_ipv4(const char *text, uint8_t out[4]);

/* A subnet mask: an IPv4 address whose ones are contiguous from the top (0.0.0.0..255.255.255.255). */
bool k7_args_netmask(const char *text, uint8_t out[4]);

/* 12 hexadecimal digits (either case), e.g. "D8B04C000007". */
bool k7_args_mac(const char *text, uint8_t out[6]);

/* ON / OFF, case-insensitive. */
bool k7_args_onoff(const char *text, bool *out);

/* Text of min..max characters, all printable ASCII (0x20..0x7E) and none of `forbidden`. */
bool k7_args_text(const char *text, size_t min, size_t max, const char *forbidden);

#endif
