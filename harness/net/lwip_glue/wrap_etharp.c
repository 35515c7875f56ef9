/* lwIP's core/ipv4/etharp.c plus a function that puts its file-scope state back to the power-on values, so a
 * new HostStack in the same process starts exactly like the first one (see lwip_reset.h). */
#include "core/ipv4/etharp.c"

void k7_lwip_reset_etharp(void) {
  etharp_cached_entry = 0;
  memset(arp_table, 0, sizeof(arp_table));
}
