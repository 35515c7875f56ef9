/* Reset of the file-scope state of the host lwIP build (each wrap_*.c compiles one lwIP source
 * file and adds its reset function). lwip_init() alone leaves these alone (IP identification
 * counter, TCP timer phase, timeout list, reassembly list, ARP cache...), so HostStack calls
 * k7_lwip_reset_all() before every lwip_init(): two runs in one process give the same frames. */
#ifndef K7SIM_LWIP_RESET_H
#define K7SIM_LWIP_RESET_H
#ifdef __cplusplus
extern "C" {
#endif
void k7_lwip_reset_tcp(void);
void k7_lwip_reset_timeouts(void);
void k7_lwip_reset_ip4(void);
void k7_lwip_reset_ip4_frag(void);
void k7_lwip_reset_etharp(void);
void k7_lwip_reset_netif(void);
#ifdef __cplusplus
}
#endif
#endif
