/*
 * TCP server (a socket in TCP server mode, 000_f07c2e1ebe076025.txt §4.2.2): up to max_clients TCP
 * clients; more than that closes the oldest (KICK) or refuses the newcomer. Serial user data goes to
 * every connected client (sockets.c hands it over with tcp_bridge_send); data from any client goes
 * to the UART. Received data is acknowledged to the client (tcp_recved) only once the UART's TX ring
 * has taken it, so a slow serial line closes the TCP window.
 */
#ifndef K7_NET_TCP_BRIDGE_H
#define K7_NET_TCP_BRIDGE_H

#include <stdbool.h>
#include <stdint.h>

#define TCP_BRIDGE_MAX_CLIENTS 16u

/* Listen on local_port for up to `max` clients (1..16); kick: a client beyond that closes the
 * oldest, else the newcomer is refused. */
void tcp_bridge_init(uint16_t local_port, unsigned max, bool kick);

/* The listener exists (LISTEN status). */
bool tcp_bridge_listening(void);

/* Bytes every client can take now as one packet (0: no client, or one still has unsent data). */
uint32_t tcp_bridge_send_room(void);

/* One packet to every client (len <= tcp_bridge_send_room()), pushed out at once. */
void tcp_bridge_send(const uint8_t *data, uint32_t len);

/* Network -> serial for data the UART could not take yet. Call from the main loop (lwIP context). */
void tcp_bridge_poll(void);

/* Something to do right now. */
bool tcp_bridge_has_work(void);

/* Connected clients. */
unsigned tcp_bridge_clients(void);

#endif /* K7_NET_TCP_BRIDGE_H */
