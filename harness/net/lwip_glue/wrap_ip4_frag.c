/* lwIP's core/ipv4/ip4_frag.c plus a function that puts its file-scope state back to the power-on values, so a
 * new HostStack in the same process starts exactly like the first one (see lwip_reset.h). */
#include "core/ipv4/ip4_frag.c"

void k7_lwip_reset_ip4_frag(void) {
  reassdatagrams = NULL;
  ip_reass_pbufcount = 0;
}
