/* lwIP's core/tcp.c plus a function that puts its file-scope state back to the power-on values, so a
 * new HostStack in the same process starts exactly like the first one (see lwip_reset.h). */
#include "core/tcp.c"

void k7_lwip_reset_tcp(void) {
  tcp_timer = 0;
  tcp_timer_ctr = 0;
  tcp_ticks = 0;
}
