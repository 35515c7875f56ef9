/* lwIP's core/timeouts.c plus a function that puts its file-scope state back to the power-on values, so a
 * new HostStack in the same process starts exactly like the first one (see lwip_reset.h). */
#include "core/timeouts.c"

void k7_lwip_reset_timeouts(void) {
  next_timeout = NULL;   /* entries lived in the memp pools that lwip_init() re-creates */
  current_timeout_due_time = 0;
  tcpip_tcp_timer_active = 0;
}
