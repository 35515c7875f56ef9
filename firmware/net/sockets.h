/*
 * The socket work modes of sockets A and B (000_f07c2e1ebe076025.txt §4.2; rules in k7-behaviour.md
 * "Transparent transmission", "Periodic packets", "Other functions"):
 *
 *   TCP server  listen on the local port (tcp_bridge.c: max clients, KICK);
 *   TCP client  connect to the remote host (IP or domain name via DNS) and port from a random local
 *               port; reconnect after a loss. Keepalive: first probe after 15 s idle, then every 5 s,
 *               3 unanswered probes = dead, the reconnect starts at once (next main-loop pass).
 *               A failed attempt (refused, DNS failure) is retried 1 s later. No data from the
 *               network for SOCKTON seconds: close and reconnect. Short connection (SOCKSL): connect
 *               only when serial data is waiting, close after SHORTO seconds without data either way;
 *   UDP client  bound to the local port, sends to the remote host/port; accepts datagrams only from
 *               that IP and port unless UDPON=ON (with a broadcast remote address, 255.255.255.255 or
 *               the subnet's, from any IP on the remote port);
 *   UDP server  bound to the local port; serial data goes to the last sender (kept in the
 *               pre-connection buffer until someone has sent a datagram).
 *
 * Serial -> network: the pre-connection buffer (prebuf.h), one closed packet (packer.h) at a time,
 * to every socket that has a connection, each packet in its own TCP segment / UDP datagram. With no
 * connection anywhere, the data stays in the buffer (2 KB, oldest dropped); UARTCLBUF=ON clears it
 * when a TCP connection comes up (not with short connection, §4.4.9).
 * Network -> serial: TCP data is acknowledged only once the UART ring took it (flow control); UDP
 * datagrams wait in a bounded queue (dropped beyond it: UDP has no flow control).
 *
 * Also here, because they watch the same traffic: registration packets (MAC / USR data, First /
 * Every / ALL) and NET heartbeats for the client modes, COM heartbeats to the serial port, the
 * reset timeout (RSTIM: restart after that long without data from the network) and the similar-
 * RFC2217 packet from the network (`55 AA 55` + baud(3, MSB first) + param + sum; applied to the
 * UART at once, not forwarded, not saved).
 */
#ifndef K7_NET_SOCKETS_H
#define K7_NET_SOCKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../app/prebuf.h"
#include "../app/settings.h"
#include "../board/uart.h"

struct k7_packer;
struct pbuf;
struct tcp_pcb;

struct sockets_config {
    const struct k7_settings *settings;
    struct uart_dev *port;          /* network data goes out here */
    struct k7_prebuf *serial_data;  /* serial user data waiting for the network */
    struct k7_packer *packer;       /* its packet boundaries (NULL: whatever is buffered goes) */
    bool (*serial_open)(void);      /* network data may go to the port now (transparent mode) */
    /* Similar RFC2217: put these line settings on the module's UART now (not saved). */
    bool (*apply_line)(const struct k7_serial_settings *line);
    const uint8_t *mac;             /* 6 bytes: the MAC registration packet */
};

#define SOCKETS_COUNT 2u /* A, B */

/* Start the sockets the settings ask for. Call once lwIP is up. */
void sockets_init(const struct sockets_config *cfg);

/* Timers and data both ways. Call from the main loop (lwIP context). */
void sockets_poll(void);

/* Data could move right now (a closed packet and a socket with room for it). */
bool sockets_has_work(void);

/* Connection status of socket `index` (0 = A, 1 = B) as AT+SOCKLKA/B and the status page show it
 * (§4.1.4): IDLE, LISTEN, CONNECTING, CONNECTED, CONNECTED(n) (TCP server, n clients), ERROR. */
void sockets_status(unsigned index, char *out, size_t cap);

/* --- for the TCP server (tcp_bridge.c) ---------------------------------------------------------- */

/* Data p arrived from the network (restarts the reset timeout). Returns true when it is a similar-
 * RFC2217 packet that was applied: the caller must not forward it. */
bool sockets_net_data(const struct pbuf *p);

/* A TCP connection came up (first client of the server): UARTCLBUF. */
void sockets_tcp_connected(void);

/* A client is gone with data the UART has not taken yet: it still goes to the serial port (the
 * device never drops bytes a TCP peer sent). Takes ownership of p. */
void sockets_keep_closed_rx(struct pbuf *p);

/* Network -> serial for a TCP connection: as much of *rx as the UART ring takes, acknowledged to the
 * peer (tcp_recved) as it goes. */
void sockets_tcp_to_serial(struct tcp_pcb *pcb, struct pbuf **rx);

#endif /* K7_NET_SOCKETS_H */
