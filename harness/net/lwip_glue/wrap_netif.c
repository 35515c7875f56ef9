/* lwIP's core/netif.c plus a function that puts its file-scope state back to the power-on values, so a
 * new HostStack in the same process starts exactly like the first one (see lwip_reset.h). */
#include "core/netif.c"

void k7_lwip_reset_netif(void) {
  netif_num = 0;
}
