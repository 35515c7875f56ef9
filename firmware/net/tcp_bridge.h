/*
 * TCP server bridge (socket A in TCP server mode): the transport between TCP clients and the
 * module's serial port. Serial user data (the pre-connection buffer) goes to every connected client;
 * data from any client goes to the UART. Received data is acknowledged to the client (tcp_recved)
 * only once the UART's TX ring has taken it, so a slow serial line closes the TCP window.
 */
#ifndef K7_NET_TCP_BRIDGE_H
#define K7_NET_TCP_BRIDGE_H

#include <stdbool.h>

#include "../app/prebuf.h"
#include "../app/settings.h"
#include "../board/uart.h"

#define TCP_BRIDGE_MAX_CLIENTS 16u

/* Listen on socket A's local port when socket A is a TCP server. */
void tcp_bridge_init(const struct k7_settings *s, struct uart_dev *port, struct k7_prebuf *serial_data,
                     bool (*serial_open)(void));

/* Packet boundaries of the serial data (k7.c's packer): serial data then goes to the clients one
 * closed packet at a time, each packet in its own segment(s). Without it, whatever is buffered goes. */
struct k7_packer;
void tcp_bridge_set_packer(struct k7_packer *packer);

/* Move data both ways. Call from the main loop (lwIP context). */
void tcp_bridge_poll(void);

/* Data could move right now (serial data waiting for a client that has room). */
bool tcp_bridge_has_work(void);

/* Connected clients. */
unsigned tcp_bridge_clients(void);

#endif /* K7_NET_TCP_BRIDGE_H */
