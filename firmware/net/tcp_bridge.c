/*
 * TCP server bridge, raw lwIP API. See tcp_bridge.h.
 */
#include "tcp_bridge.h"

#include <stddef.h>

#include "../app/packer.h"
#include "../board/console.h"
#include "lwip/ip4_addr.h"
#include "lwip/tcp.h"

struct bridge_client {
    struct tcp_pcb *pcb;  /* NULL: slot free */
    struct pbuf *rx;      /* received, not yet in the UART ring */
    uint32_t order;       /* connection order: the smallest is the oldest */
    char name[24];        /* "a.b.c.d:port" for the log */
};

static struct bridge_client clients[TCP_BRIDGE_MAX_CLIENTS];
static unsigned client_count;
static uint32_t next_order;
static unsigned max_clients;
static bool kick_oldest;
static struct tcp_pcb *listener;
static struct uart_dev *uart;
static struct k7_prebuf *serial_data;
static struct k7_packer *packer;
static bool (*serial_open)(void);

static void client_free(struct bridge_client *c)
{
    if (c->rx) {
        pbuf_free(c->rx);
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
    client_free(c);
    if (tcp_close(pcb) != ERR_OK) {
        tcp_abort(pcb);
        return true;
    }
    return false;
}

/* Network -> serial: as much of the client's data as the UART ring takes. */
static void drain_to_uart(struct bridge_client *c)
{
    if (!serial_open || !serial_open()) {
        return; /* AT mode: the data waits, and the window closes */
    }
    uint32_t acked = 0;
    while (c->rx) {
        struct pbuf *q = c->rx;
        size_t n = uart_write(uart, q->payload, q->len);
        if (n == 0) {
            break;
        }
        c->rx = pbuf_free_header(c->rx, (u16_t)n);
        acked += n;
        if (n < q->len) {
            break;
        }
    }
    while (acked > 0) {
        u16_t chunk = acked > 0xFFFFu ? 0xFFFFu : (u16_t)acked;
        tcp_recved(c->pcb, chunk);
        acked -= chunk;
    }
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
    (void)pcb;
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
    return ERR_OK;
}

void tcp_bridge_init(const struct k7_settings *s, struct uart_dev *port, struct k7_prebuf *data,
                     bool (*open_fn)(void))
{
    uart = port;
    serial_data = data;
    serial_open = open_fn;
    max_clients = s->max_clients;
    if (max_clients < 1u) {
        max_clients = 1u;
    }
    if (max_clients > TCP_BRIDGE_MAX_CLIENTS) {
        max_clients = TCP_BRIDGE_MAX_CLIENTS;
    }
    kick_oldest = s->kick_oldest;

    if (s->sock_a.mode != K7_SOCK_TCP_SERVER) {
        console_log("tcp: socket A is not a TCP server (other modes come later)");
        return;
    }
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (!pcb) {
        console_log("tcp: no memory for the server");
        return;
    }
    ip_set_option(pcb, SOF_REUSEADDR);
    if (tcp_bind(pcb, IP4_ADDR_ANY, s->sock_a.local_port) != ERR_OK) {
        console_log("tcp: cannot bind port %u", s->sock_a.local_port);
        tcp_close(pcb);
        return;
    }
    listener = tcp_listen(pcb);
    if (!listener) {
        console_log("tcp: cannot listen on port %u", s->sock_a.local_port);
        tcp_close(pcb);
        return;
    }
    tcp_accept(listener, on_accept);
    console_log("tcp: server on port %u, up to %u clients%s", s->sock_a.local_port, max_clients,
                kick_oldest ? " (KICK)" : "");
}

void tcp_bridge_set_packer(struct k7_packer *p)
{
    packer = p;
}

/* Room every client has for new data: the serial data goes to all of them alike. A packet is only
 * handed to lwIP when no client still has unsent data queued: lwIP would append it to the last
 * unsent segment, and two packets would leave as one segment. */
static uint32_t common_send_room(void)
{
    uint32_t room = 0xFFFFFFFFu;
    for (unsigned i = 0; i < TCP_BRIDGE_MAX_CLIENTS; i++) {
        struct tcp_pcb *pcb = clients[i].pcb;
        if (!pcb) {
            continue;
        }
        uint32_t r = tcp_sndbuf(pcb);
        if (tcp_sndqueuelen(pcb) + 2u >= TCP_SND_QUEUELEN || (packer && pcb->unsent != NULL)) {
            r = 0;
        }
        if (r < room) {
            room = r;
        }
    }
    return room;
}

/* Serial bytes that may go now: the oldest closed packet (never more than the pack length), or,
 * without a packer, everything buffered. */
static uint32_t serial_ready(void)
{
    return packer ? k7_packer_ready(packer) : k7_prebuf_count(serial_data);
}

void tcp_bridge_poll(void)
{
    if (client_count == 0) {
        return;
    }
    /* Network -> serial. */
    for (unsigned i = 0; i < TCP_BRIDGE_MAX_CLIENTS; i++) {
        if (clients[i].pcb && clients[i].rx) {
            drain_to_uart(&clients[i]);
        }
    }
    /* Serial -> network: packet by packet, each written and pushed out on its own (Nagle is off), in
     * chunks of at most one segment. */
    static uint8_t chunk[TCP_MSS];
    uint32_t n;
    while (client_count > 0 && (n = serial_ready()) > 0) {
        uint32_t room = common_send_room();
        if (n > room) {
            n = room;
        }
        if (n > sizeof chunk) {
            n = sizeof chunk;
        }
        if (n == 0) {
            break;
        }
        n = (uint32_t)k7_prebuf_take(serial_data, chunk, n);
        if (packer) {
            if (n == 0) {
                k7_packer_clear(packer); /* counts out of step with the buffer: start afresh */
                break;
            }
            k7_packer_take(packer, n);
        }
        for (unsigned i = 0; i < TCP_BRIDGE_MAX_CLIENTS; i++) {
            if (clients[i].pcb) {
                tcp_write(clients[i].pcb, chunk, (u16_t)n, TCP_WRITE_FLAG_COPY);
            }
        }
        for (unsigned i = 0; i < TCP_BRIDGE_MAX_CLIENTS; i++) {
            if (clients[i].pcb) {
                tcp_output(clients[i].pcb);
            }
        }
    }
}

bool tcp_bridge_has_work(void)
{
    return client_count > 0 && serial_ready() > 0 && common_send_room() > 0;
}

unsigned tcp_bridge_clients(void)
{
    return client_count;
}
