/*
 * AT+PING (000_f07c2e1ebe076025.txt §5.3.5 45, 001 §4.15): one ICMP echo to an address or a domain
 * name (resolved through the configured DNS server).
 */
#ifndef K7_NET_PING_H
#define K7_NET_PING_H

#include <stdbool.h>

/* Resolve `host` if needed (up to PING_DNS_WAIT_MS), send one echo request and wait up to
 * PING_REPLY_WAIT_MS for its reply. Blocks the caller; lwIP keeps running meanwhile (net_poll()),
 * so connections and timers carry on. True when the reply came. */
bool net_ping(const char *host);

#define PING_DNS_WAIT_MS   5000u
#define PING_REPLY_WAIT_MS 1000u

#endif /* K7_NET_PING_H */
