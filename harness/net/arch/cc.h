/* Compiler/platform glue of the host lwIP build (harness/net). */
#ifndef K7SIM_HOST_LWIP_ARCH_CC_H
#define K7SIM_HOST_LWIP_ARCH_CC_H

#include <stdio.h>
#include <stdlib.h>

#ifndef BYTE_ORDER
#if defined(__BYTE_ORDER__) && (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
#define BYTE_ORDER BIG_ENDIAN
#else
#define BYTE_ORDER LITTLE_ENDIAN
#endif
#endif

#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x)                                                   \
  do {                                                                            \
    fprintf(stderr, "lwIP assertion \"%s\" failed at %s:%d\n", x, __FILE__, __LINE__); \
    abort();                                                                      \
  } while (0)

#endif /* K7SIM_HOST_LWIP_ARCH_CC_H */
