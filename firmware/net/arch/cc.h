/*
 * lwIP architecture port for the K7 firmware: arm-none-eabi with newlib, little endian Cortex-M4,
 * no OS. Diagnostics and assertions go to the console UART; random numbers come from a small
 * deterministic generator seeded from the board MAC (net.c).
 */
#ifndef K7_NET_ARCH_CC_H
#define K7_NET_ARCH_CC_H

#include <stdint.h>

#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN
#endif

#define LWIP_NO_INTTYPES_H 0
#define LWIP_ERRNO_STDINCLUDE 1

void k7_lwip_diag(const char *msg);
void k7_lwip_assert(const char *msg, const char *file, int line) __attribute__((noreturn));
uint32_t k7_lwip_rand(void);

#define LWIP_PLATFORM_DIAG(x)                                                                      \
    do {                                                                                           \
        k7_lwip_diag("lwip diag");                                                                 \
    } while (0)
#define LWIP_PLATFORM_ASSERT(x) k7_lwip_assert((x), __FILE__, __LINE__)
#define LWIP_RAND() k7_lwip_rand()

#endif /* K7_NET_ARCH_CC_H */
