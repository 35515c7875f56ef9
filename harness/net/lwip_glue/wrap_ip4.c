/* lwIP's core/ipv4/ip4.c plus a function that puts its file-scope state back to the power-on values, so a
 * new HostStack in the same process starts exactly like the first one (see lwip_reset.h). */
#include "core/ipv4/ip4.c"

void k7_lwip_reset_ip4(void) {
  ip_id = 0;
}
