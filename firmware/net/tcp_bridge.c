/*
 * TCP server bridge, raw lwIP API. See tcp_bridge.h.
 */
#include "tcp_bridge.h"

#include <stddef.h>

#include "../board/console.h"
#include "lwip/ip4_addr.h"
#include "lwip/tcp.h"
#include "sockets.h"

struct bridge_client {
    struct tcp_pcb *pcb;  /* NULL: slot free */
    struct pbuf *rx;      /* received, not yet in the UART ring */
    uint32_t order;       /* connection order: the smallest is the oldest */
    char name[24];        /* "a.b.c.d:port" for the log */
    uint32_t dropped;     /* serial data skipped while this client could not take it */
};

static struct bridge_client clients[TCP_BRIDGE_MAX_CLIENTS];
static unsigned client_count;
static uint32_t next_order;
static unsigned max_clients;
static bool kick_oldest;
static struct tcp_pcb *listener;

static void client_free(struct bridge_client *c)
{
    if (c->rx) {
        sockets_keep_closed_rx(c->rx); /* received before the end: still for the serial port */
        c->rx = NULL;
    }
    c->pcb = NULL;
    client_count--;
}

/* Close gracefully; if lwIP has no memory for the FIN, abort instead (returns true then). */
static bool client_close(struct bridge_client *c, const char *why)
{
    struct tcp_pcb *pcb = c->pcb;
    console_log("tcp: client %s %s (%u left)", c->name, why, client_count - 1u);
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_err(pcb, NULL);
    if (c->rx) {
        /* Kept for the UART (client_free): acknowledged now, or lwIP would close with a RST. */
        tcp_recved(pcb, c->rx->tot_len);
    }
    client_free(c);
    if (tcp_close(pcb) != ERR_OK) {
        tcp_abort(pcb);
        return true;
    }
    return false;
}

/* Network -> serial: as much of the client's data as the UART ring takes (sockets.c). */
static void drain_to_uart(struct bridge_client *c)
{
    sockets_tcp_to_serial(c->pcb, &c->rx);
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct bridge_client *c = arg;
    if (!c) {
        if (p) {
            pbuf_free(p);
        }
        return ERR_OK;
    }
    if (!p) {
        return client_close(c, "closed by the peer") ? ERR_ABRT : ERR_OK;
    }
    if (err != ERR_OK) {
        pbuf_free(p);
        return ERR_OK;
    }
    if (sockets_net_data(p)) {
        tcp_recved(pcb, p->tot_len);
        pbuf_free(p);
        return ERR_OK; /* a similar-RFC2217 packet: applied, not forwarded */
    }
    if (c->rx) {
        pbuf_cat(c->rx, p);
    } else {
        c->rx = p;
    }
    drain_to_uart(c);
    return ERR_OK;
}

static void on_error(void *arg, err_t err)
{
    struct bridge_client *c = arg;
    if (!c) {
        return;
    }
    console_log("tcp: client %s lost (error %d, %u left)", c->name, (int)err, client_count - 1u);
    client_free(c); /* the pcb is already gone */
}

static struct bridge_client *oldest_client(void)
{
    struct bridge_client *old = NULL;
    for (unsigned i = 0; i < TCP_BRIDGE_MAX_CLIENTS; i++) {
        if (clients[i].pcb && (!old || (int32_t)(clients[i].order - old->order) < 0)) {
            old = &clients[i];
        }
    }
    return old;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    if (err != ERR_OK || !pcb) {
        return ERR_VAL;
    }
    char name[24];
    ip4addr_ntoa_r(ip_2_ip4(&pcb->remote_ip), name, 16);
    size_t len = 0;
    while (name[len]) {
        len++;
    }
    name[len++] = ':';
    unsigned port = pcb->remote_port;
    char digits[6];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + port % 10u);
        port /= 10u;
    } while (port && nd < 5);
    while (nd > 0) {
        name[len++] = digits[--nd];
    }
    name[len] = '\0';

    if (client_count >= max_clients) {
        struct bridge_client *old = kick_oldest ? oldest_client() : NULL;
        if (!old) {
            console_log("tcp: client %s refused (%u clients connected)", name, client_count);
            tcp_abort(pcb);
            return ERR_ABRT;
        }
        struct tcp_pcb *old_pcb = old->pcb;
        console_log("tcp: client %s kicked for %s", old->name, name);
        tcp_arg(old_pcb, NULL);
        tcp_recv(old_pcb, NULL);
        tcp_err(old_pcb, NULL);
        client_free(old);
        tcp_abort(old_pcb);
    }

    struct bridge_client *c = NULL;
    for (unsigned i = 0; i < TCP_BRIDGE_MAX_CLIENTS && !c; i++) {
        if (!clients[i].pcb) {
            c = &clients[i];
        }
    }
    if (!c) {
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    c->pcb = pcb;
    c->rx = NULL;
    c->order = next_order++;
    c->dropped = 0;
    for (size_t i = 0; i <= len; i++) {
        c->name[i] = name[i];
    }
    client_count++;

    tcp_arg(pcb, c);
    tcp_recv(pcb, on_recv);
    tcp_err(pcb, on_error);
    ip_set_option(pcb, SOF_KEEPALIVE);
    /* Serial data is framed by the K7 packing rule (idle time / length), not by Nagle: a packet
     * that is ready leaves at once instead of waiting for the peer's delayed ACK. */
    tcp_nagle_disable(pcb);
    console_log("tcp: client %s connected (%u/%u)", c->name, client_count, max_clients);
    if (client_count == 1u) {
        sockets_tcp_connected(); /* the first client: the socket is connected now (UARTCLBUF) */
    }
    return ERR_OK;
}

void tcp_bridge_init(uint16_t local_port, unsigned max, bool kick)
{
    max_clients = max;
    if (max_clients < 1u) {
        max_clients = 1u;
    }
    if (max_clients > TCP_BRIDGE_MAX_CLIENTS) {
        max_clients = TCP_BRIDGE_MAX_CLIENTS;
    }
    kick_oldest = kick;

    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (!pcb) {
        console_log("tcp: no memory for the server");
        return;
    }
    ip_set_option(pcb, SOF_REUSEADDR);
    if (tcp_bind(pcb, IP4_ADDR_ANY, local_port) != ERR_OK) {
        console_log("tcp: cannot bind port %u", local_port);
        tcp_close(pcb);
        return;
    }
    listener = tcp_listen(pcb);
    if (!listener) {
        console_log("tcp: cannot listen on port %u", local_port);
        tcp_close(pcb);
        return;
    }
    tcp_accept(listener, on_accept);
    console_log("tcp: server on port %u, up to %u clients%s", local_port, max_clients,
                kick_oldest ? " (KICK)" : "");
}

bool tcp_bridge_listening(void)
{
    return listener != NULL;
}

/* Room a client has for one more packet. A packet is only handed to lwIP when the client has no
 * unsent data queued: lwIP would append it to the last unsent segment, and two packets would leave
 * as one segment. */
static uint32_t client_room(const struct tcp_pcb *pcb)
{
    if (tcp_sndqueuelen(pcb) + 2u >= TCP_SND_QUEUELEN || pcb->unsent != NULL) {
        return 0;
    }
    return tcp_sndbuf(pcb);
}

/* Room for the next packet: the most any client has. The serial data goes to every client, paced by
 * the fastest one: with a single client its window is the flow control (nothing is dropped), but a
 * client that stops reading (or vanished, until keepalive notices) must not stall the others, so a
 * packet a client has no room for is skipped for that client (tcp_bridge_send). 0 without clients. */
uint32_t tcp_bridge_send_room(void)
{
    uint32_t room = 0;
    for (unsigned i = 0; i < TCP_BRIDGE_MAX_CLIENTS; i++) {
        if (clients[i].pcb) {
            uint32_t r = client_room(clients[i].pcb);
            if (r > room) {
                room = r;
            }
        }
    }
    return room;
}

void tcp_bridge_send(const uint8_t *data, uint32_t len)
{
    for (unsigned i = 0; i < TCP_BRIDGE_MAX_CLIENTS; i++) {
        struct bridge_client *c = &clients[i];
        if (!c->pcb) {
            continue;
        }
        if (client_room(c->pcb) < len) {
            if (c->dropped == 0) {
                console_log("tcp: client %s is not taking data: serial data for it is dropped", c->name);
            }
            c->dropped += len;
            continue;
        }
        if (c->dropped) {
            console_log("tcp: client %s takes data again (%lu bytes dropped)", c->name, (unsigned long)c->dropped);
            c->dropped = 0;
        }
        tcp_write(c->pcb, data, (u16_t)len, TCP_WRITE_FLAG_COPY);
    }
    for (unsigned i = 0; i < TCP_BRIDGE_MAX_CLIENTS; i++) {
        if (clients[i].pcb) {
            tcp_output(clients[i].pcb);
        }
    }
}

void tcp_bridge_poll(void)
{
    /* Network -> serial (serial -> network is sockets.c's, through tcp_bridge_send). */
    for (unsigned i = 0; i < TCP_BRIDGE_MAX_CLIENTS; i++) {
        if (clients[i].pcb && clients[i].rx) {
            drain_to_uart(&clients[i]);
        }
    }
}

bool tcp_bridge_has_work(void)
{
    return false; /* received data waits for room in the UART ring: the TX interrupt wakes the loop */
}

unsigned tcp_bridge_clients(void)
{
    return client_count;
}
