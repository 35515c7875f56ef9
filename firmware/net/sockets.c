/*
 * Socket work modes, periodic packets and the functions that watch the same traffic. See sockets.h.
 */
#include "sockets.h"

#include <string.h>

#include "../app/packer.h"
#include "../board/console.h"
#include "../board/cpu.h"
#include "../board/systime.h"
#include "../lib/fmt.h"
#include "lwip/dns.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "tcp_bridge.h"

/* TCP client keepalive (k7-behaviour.md "Transparent transmission"). */
#define CLIENT_KEEPIDLE_MS   15000u
#define CLIENT_KEEPINTVL_MS  5000u
#define CLIENT_KEEPCNT       3u
/* A failed attempt (refused, unreachable, name not resolved) is tried again this much later. */
#define CLIENT_RETRY_US      1000000u
/* Received UDP data waiting for the UART; datagrams beyond this are dropped. */
#define UDP_RX_QUEUE_MAX     4096u
/* Similar RFC2217 (§4.3.4): 3 bytes head, 3 bytes baud (MSB first), 1 byte param, 1 byte sum. */
#define RFC2217_LEN          8u
#define RFC2217_MIN_BAUD     600u

#define US_PER_S 1000000ull

enum sock_state { SOCK_IDLE, SOCK_LISTEN, SOCK_CONNECTING, SOCK_CONNECTED, SOCK_ERROR };

struct sock {
    char name;                             /* 'A', 'B' */
    const struct k7_socket_settings *cfg;
    enum sock_state state;

    /* TCP client */
    struct tcp_pcb *pcb;
    struct pbuf *rx;                       /* received, not yet in the UART ring */
    struct pbuf *rx_closed;                /* the same, of a connection that is gone (still goes out first) */
    ip_addr_t remote;
    bool resolving;                        /* DNS query under way */
    bool retry_armed;
    uint64_t retry_at_us;
    uint64_t last_rx_us;                   /* SOCKTON: last data from the network */
    uint64_t last_activity_us;             /* short connection: last data either way */
    bool reg_first_due;                    /* registration "First" not yet sent on this connection */

    /* UDP */
    struct udp_pcb *udp;
    ip_addr_t peer_ip;                     /* where serial data goes (client: remote; server: last sender) */
    u16_t peer_port;
    bool have_peer;
    struct pbuf *udp_rx;                   /* queued datagrams (a chain), oldest first */

    /* NET heartbeat: last serial data / heartbeat sent on this socket */
    uint64_t last_tx_us;
};

static struct sockets_config conf;
static const struct k7_settings *st;
static struct sock socks[SOCKETS_COUNT];
static bool server_started;          /* one TCP server instance (tcp_bridge.c) */
static struct sock *server_sock;
static uint64_t last_net_rx_us;      /* RSTIM */
static uint64_t com_quiet_since_us;  /* COM heartbeat: serial output idle since */
static bool com_busy;                /* the serial port was transmitting (or in AT mode) last pass */
static bool link_was_up;
static struct pbuf *server_closed_rx; /* data of TCP server clients that are gone, for the UART */

/* ---- helpers ----------------------------------------------------------------------------------- */

static uint64_t now_us(void)
{
    return systime_us();
}

static bool is_client_mode(enum k7_sock_mode m)
{
    return m == K7_SOCK_TCP_CLIENT || m == K7_SOCK_UDP_CLIENT;
}

/* Bytes of a heartbeat/registration field: a length, or 0 for NUL-terminated text. */
static uint32_t packet_len(const char *data, uint8_t len)
{
    if (len > 0) {
        return len < K7_PACKET_MAX - 1u ? len : K7_PACKET_MAX - 1u;
    }
    return (uint32_t)strnlen(data, K7_PACKET_MAX - 1u);
}

/* The registration packet, or NULL when registration is off (CLOUD has no packet format here). */
static const uint8_t *reg_packet(uint32_t *len)
{
    switch (st->reg_kind) {
    case K7_REG_MAC:
        *len = 6;
        return conf.mac;
    case K7_REG_USR:
        *len = packet_len(st->reg_data, st->reg_len);
        return *len > 0 ? (const uint8_t *)st->reg_data : NULL;
    case K7_REG_CLOUD:
    case K7_REG_OFF:
        break;
    }
    *len = 0;
    return NULL;
}

static bool reg_every(void)
{
    uint32_t n;
    return reg_packet(&n) && (st->reg_when == K7_REG_EVERY || st->reg_when == K7_REG_ALL);
}

static bool reg_first(void)
{
    uint32_t n;
    return reg_packet(&n) && (st->reg_when == K7_REG_FIRST || st->reg_when == K7_REG_ALL);
}

static uint32_t serial_ready(void)
{
    return conf.packer ? k7_packer_ready(conf.packer) : k7_prebuf_count(conf.serial_data);
}

static void clear_serial_buffer(const char *why)
{
    uint32_t n = k7_prebuf_count(conf.serial_data);
    k7_prebuf_clear(conf.serial_data);
    if (conf.packer) {
        k7_packer_clear(conf.packer);
    }
    console_log("serial buffer cleared (%s): %lu bytes dropped", why, (unsigned long)n);
}

static void log_addr(const char *what, const struct sock *s, const ip_addr_t *a, u16_t port)
{
    char ip[16];
    ip4addr_ntoa_r(ip_2_ip4(a), ip, sizeof ip);
    console_log("socket %c: %s %s:%u", s->name, what, ip, port);
}

/* ---- similar RFC2217 and the reset timeout ----------------------------------------------------- */

static bool rfc2217_apply(const uint8_t b[RFC2217_LEN])
{
    if (b[0] != 0x55 || b[1] != 0xAA || b[2] != 0x55) {
        return false;
    }
    if ((uint8_t)(b[3] + b[4] + b[5] + b[6]) != b[7] || (b[6] & 0xC0u) != 0) {
        return false;
    }
    uint32_t baud = (uint32_t)b[3] << 16 | (uint32_t)b[4] << 8 | b[5];
    if (baud < RFC2217_MIN_BAUD) {
        return false;
    }
    static const enum uart_parity parity_types[4] = {UART_PARITY_ODD, UART_PARITY_EVEN, UART_PARITY_MARK,
                                                     UART_PARITY_SPACE};
    struct k7_serial_settings line = st->serial;
    line.baud = baud;
    line.data_bits = (uint8_t)(5u + (b[6] & 0x3u));
    line.stop_bits = (b[6] & 0x4u) ? 2u : 1u;
    line.parity = (b[6] & 0x8u) ? parity_types[(b[6] >> 4) & 0x3u] : UART_PARITY_NONE;
    bool ok = conf.apply_line && conf.apply_line(&line);
    console_log("similar RFC2217: %lu baud, %u data bits, %u stop bits, parity %u%s", (unsigned long)baud,
                line.data_bits, line.stop_bits, (unsigned)line.parity, ok ? "" : " (refused)");
    return true;
}

bool sockets_net_data(const struct pbuf *p)
{
    last_net_rx_us = now_us();
    if (!st->rfc2217 || p->tot_len != RFC2217_LEN) {
        return false;
    }
    uint8_t b[RFC2217_LEN];
    pbuf_copy_partial(p, b, RFC2217_LEN, 0);
    return rfc2217_apply(b);
}

/* ---- network -> serial ------------------------------------------------------------------------- */

void sockets_tcp_to_serial(struct tcp_pcb *pcb, struct pbuf **rx)
{
    if (!conf.serial_open || !conf.serial_open()) {
        return; /* AT mode: the data waits, and the window closes */
    }
    uint32_t acked = 0;
    while (*rx) {
        struct pbuf *q = *rx;
        size_t n = uart_write(conf.port, q->payload, q->len);
        if (n == 0) {
            break;
        }
        *rx = pbuf_free_header(*rx, (u16_t)n);
        acked += n;
        if (n < q->len) {
            break;
        }
    }
    while (acked > 0) {
        u16_t chunk = acked > 0xFFFFu ? 0xFFFFu : (u16_t)acked;
        tcp_recved(pcb, chunk);
        acked -= chunk;
    }
}

/* Network -> serial for data nobody acknowledges: as much of *queue as the UART ring takes. */
static void queue_to_serial(struct pbuf **queue)
{
    if (!*queue || !conf.serial_open || !conf.serial_open()) {
        return;
    }
    while (*queue) {
        struct pbuf *q = *queue;
        size_t n = uart_write(conf.port, q->payload, q->len);
        if (n == 0) {
            break;
        }
        *queue = pbuf_free_header(*queue, (u16_t)n);
        if (n < q->len) {
            break;
        }
    }
}

static void udp_to_serial(struct sock *s)
{
    queue_to_serial(&s->udp_rx);
}

/* ---- TCP client -------------------------------------------------------------------------------- */

static void client_connect(struct sock *s);

static void client_retry(struct sock *s, uint64_t delay_us)
{
    s->retry_armed = true;
    s->retry_at_us = now_us() + delay_us;
}

/* The connection is gone: what it delivered and the UART has not taken yet still goes out, before
 * anything of the next connection (the device never drops bytes a TCP peer sent). */
static void client_keep_rx(struct sock *s)
{
    if (!s->rx) {
        return;
    }
    if (s->rx_closed) {
        pbuf_cat(s->rx_closed, s->rx);
    } else {
        s->rx_closed = s->rx;
    }
    s->rx = NULL;
}

/* Network -> serial for the TCP client: the old connection's rest first. */
static void client_to_serial(struct sock *s)
{
    queue_to_serial(&s->rx_closed);
    if (!s->rx_closed && s->pcb && s->rx) {
        sockets_tcp_to_serial(s->pcb, &s->rx);
    }
}

/* Close our side (FIN; RST if lwIP has no memory for it). Returns true if the pcb was aborted. */
static bool client_close(struct sock *s)
{
    struct tcp_pcb *pcb = s->pcb;
    s->pcb = NULL;
    if (pcb && s->rx) {
        /* Kept for the UART: acknowledged now, or lwIP would close with a RST. */
        tcp_recved(pcb, s->rx->tot_len);
    }
    client_keep_rx(s);
    if (!pcb) {
        return false;
    }
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_err(pcb, NULL);
    tcp_sent(pcb, NULL);
    if (tcp_close(pcb) != ERR_OK) {
        tcp_abort(pcb);
        return true;
    }
    return false;
}

static void client_err(void *arg, err_t err)
{
    struct sock *s = arg;
    if (!s) {
        return;
    }
    bool was_connected = s->state == SOCK_CONNECTED;
    s->pcb = NULL; /* lwIP freed it */
    client_keep_rx(s);
    s->state = SOCK_ERROR;
    console_log("socket %c: %s (error %d)", s->name, was_connected ? "connection lost" : "connect failed", (int)err);
    /* A lost connection is re-established at once; a failed attempt is retried a little later. */
    client_retry(s, was_connected ? 0 : CLIENT_RETRY_US);
}

static err_t client_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct sock *s = arg;
    if (!s) {
        if (p) {
            tcp_recved(pcb, p->tot_len);
            pbuf_free(p);
        }
        return ERR_OK;
    }
    if (!p) {
        console_log("socket %c: closed by the server, reconnecting", s->name);
        s->state = SOCK_ERROR;
        bool aborted = client_close(s);
        client_retry(s, 0);
        return aborted ? ERR_ABRT : ERR_OK;
    }
    if (err != ERR_OK) {
        pbuf_free(p);
        return ERR_OK;
    }
    s->last_rx_us = s->last_activity_us = now_us();
    if (sockets_net_data(p)) {
        tcp_recved(pcb, p->tot_len);
        pbuf_free(p);
        return ERR_OK;
    }
    if (s->rx) {
        pbuf_cat(s->rx, p);
    } else {
        s->rx = p;
    }
    client_to_serial(s);
    return ERR_OK;
}

static void send_reg_first(struct sock *s);

static err_t client_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *s = arg;
    (void)pcb;
    if (!s || err != ERR_OK) {
        return ERR_OK;
    }
    s->state = SOCK_CONNECTED;
    s->last_rx_us = s->last_activity_us = s->last_tx_us = now_us();
    log_addr("connected to", s, &s->remote, s->cfg->remote_port);
    if (!st->short_connection) {
        sockets_tcp_connected();
    }
    s->reg_first_due = reg_first();
    send_reg_first(s);
    return ERR_OK;
}

/* A failed attempt of a client socket (TCP connection, name lookup): try again later. */
static void client_failed(struct sock *s)
{
    s->state = SOCK_ERROR;
    client_retry(s, CLIENT_RETRY_US);
}

/* Start looking the remote host name up; `found` gets a later answer. Returns lwIP's result: ERR_OK
 * (the address is in *a now), ERR_INPROGRESS (wait for `found`), else the lookup cannot start (the
 * caller then calls client_failed()). */
static err_t lookup_remote(struct sock *s, ip_addr_t *a, dns_found_callback found)
{
    s->resolving = true;
    err_t e = dns_gethostbyname(s->cfg->remote_host, a, found, s);
    if (e != ERR_INPROGRESS) {
        s->resolving = false;
    }
    return e;
}

/* The later answer of lookup_remote(): true with an address, false (new attempt armed) without. */
static bool lookup_answered(struct sock *s, const char *name, const ip_addr_t *addr)
{
    s->resolving = false;
    if (!addr) {
        console_log("socket %c: cannot resolve %s", s->name, name);
        client_failed(s);
        return false;
    }
    return true;
}

static void client_dns_found(const char *name, const ip_addr_t *addr, void *arg)
{
    struct sock *s = arg;
    if (!s->resolving || !lookup_answered(s, name, addr)) {
        return;
    }
    s->remote = *addr;
    log_addr("resolved to", s, addr, s->cfg->remote_port);
    client_connect(s);
}

/* Start an attempt: resolve the remote host if it is a name, then connect. */
static void client_start(struct sock *s)
{
    s->retry_armed = false;
    s->state = SOCK_CONNECTING;
    ip_addr_t a;
    if (ipaddr_aton(s->cfg->remote_host, &a)) {
        s->remote = a;
        client_connect(s);
        return;
    }
    err_t e = lookup_remote(s, &a, client_dns_found);
    if (e == ERR_OK) {
        s->remote = a;
        client_connect(s);
    } else if (e != ERR_INPROGRESS) {
        console_log("socket %c: cannot resolve %s (error %d)", s->name, s->cfg->remote_host, (int)e);
        client_failed(s);
    }
}

static void client_connect(struct sock *s)
{
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (!pcb) {
        console_log("socket %c: no memory for a connection", s->name);
        client_failed(s);
        return;
    }
    tcp_arg(pcb, s);
    tcp_err(pcb, client_err);
    tcp_recv(pcb, client_recv);
    ip_set_option(pcb, SOF_KEEPALIVE);
    pcb->keep_idle = CLIENT_KEEPIDLE_MS;
    pcb->keep_intvl = CLIENT_KEEPINTVL_MS;
    pcb->keep_cnt = CLIENT_KEEPCNT;
    tcp_nagle_disable(pcb); /* packets are framed by the packing rule */
    /* No bind: a random local port for every connection (§4.2.1). */
    s->pcb = pcb;
    s->state = SOCK_CONNECTING;
    err_t e = tcp_connect(pcb, &s->remote, s->cfg->remote_port, client_connected);
    if (e != ERR_OK) {
        console_log("socket %c: connect error %d", s->name, (int)e);
        s->pcb = NULL;
        tcp_abort(pcb);
        client_failed(s);
        return;
    }
    log_addr("connecting to", s, &s->remote, s->cfg->remote_port);
}

/* Room for one more packet (of data only: an "Every" registration is counted off). */
static uint32_t tcp_room(struct tcp_pcb *pcb)
{
    if (tcp_sndqueuelen(pcb) + 2u >= TCP_SND_QUEUELEN || pcb->unsent != NULL) {
        return 0;
    }
    return tcp_sndbuf(pcb);
}

static void send_reg_first(struct sock *s)
{
    if (!s->reg_first_due) {
        return;
    }
    uint32_t n;
    const uint8_t *reg = reg_packet(&n);
    if (!reg) {
        s->reg_first_due = false;
        return;
    }
    if (s->cfg->mode == K7_SOCK_TCP_CLIENT) {
        if (!s->pcb || tcp_room(s->pcb) < n) {
            return; /* next pass */
        }
        tcp_write(s->pcb, reg, (u16_t)n, TCP_WRITE_FLAG_COPY);
        tcp_output(s->pcb);
    } else {
        struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)n, PBUF_RAM);
        if (!p) {
            return;
        }
        pbuf_take(p, reg, (u16_t)n);
        err_t e = udp_sendto(s->udp, p, &s->peer_ip, s->peer_port);
        pbuf_free(p);
        if (e != ERR_OK) {
            return;
        }
    }
    s->reg_first_due = false;
    console_log("socket %c: registration packet sent (%lu bytes)", s->name, (unsigned long)n);
}

/* ---- UDP --------------------------------------------------------------------------------------- */

static bool subnet_broadcast(const ip_addr_t *a)
{
    const struct netif *nif = netif_default;
    return nif && ip4_addr_isbroadcast(ip_2_ip4(a), nif);
}

static bool udp_source_allowed(const struct sock *s, const ip_addr_t *addr, u16_t port)
{
    if (s->cfg->mode != K7_SOCK_UDP_CLIENT || st->udp_any_peer) {
        return true;
    }
    if (port != s->cfg->remote_port) {
        return false;
    }
    /* With a broadcast remote address the answers come from the hosts' own addresses. (Judged now,
     * not at start: with DHCP the subnet is known only later.) */
    return ip_addr_cmp(addr, &s->peer_ip) || subnet_broadcast(&s->peer_ip);
}

static void udp_received(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    struct sock *s = arg;
    (void)pcb;
    if (!udp_source_allowed(s, addr, port)) {
        pbuf_free(p);
        return;
    }
    if (s->cfg->mode == K7_SOCK_UDP_SERVER) {
        if (!s->have_peer || !ip_addr_cmp(&s->peer_ip, addr) || s->peer_port != port) {
            log_addr("replies go to", s, addr, port);
        }
        s->peer_ip = *addr;
        s->peer_port = port;
        s->have_peer = true;
        s->state = SOCK_CONNECTED;
    }
    if (sockets_net_data(p)) {
        pbuf_free(p);
        return;
    }
    uint32_t queued = s->udp_rx ? s->udp_rx->tot_len : 0u;
    if (queued + p->tot_len > UDP_RX_QUEUE_MAX) {
        console_log("socket %c: serial side busy, datagram of %u bytes dropped", s->name, p->tot_len);
        pbuf_free(p);
        return;
    }
    if (s->udp_rx) {
        pbuf_cat(s->udp_rx, p);
    } else {
        s->udp_rx = p;
    }
    udp_to_serial(s);
}

/* The UDP client's destination is known: serial data can go. */
static void udp_set_remote(struct sock *s, const ip_addr_t *a)
{
    s->peer_ip = *a;
    s->peer_port = s->cfg->remote_port;
    s->have_peer = true;
    s->state = SOCK_CONNECTED;
    s->reg_first_due = reg_first();
    s->last_tx_us = now_us();
    log_addr("UDP client, sending to", s, a, s->cfg->remote_port);
}

static void udp_dns_found(const char *name, const ip_addr_t *addr, void *arg)
{
    struct sock *s = arg;
    if (lookup_answered(s, name, addr)) {
        udp_set_remote(s, addr);
    }
}

/* Resolve the UDP client's remote name (once it is known, a UDP client has nothing to redo). */
static void udp_resolve(struct sock *s)
{
    ip_addr_t a;
    s->retry_armed = false;
    s->state = SOCK_CONNECTING;
    err_t e = lookup_remote(s, &a, udp_dns_found);
    if (e == ERR_OK) {
        udp_set_remote(s, &a);
    } else if (e != ERR_INPROGRESS) {
        client_failed(s);
    }
}

static void udp_start(struct sock *s)
{
    struct udp_pcb *pcb = udp_new_ip_type(IPADDR_TYPE_V4);
    if (!pcb) {
        console_log("socket %c: no memory for UDP", s->name);
        s->state = SOCK_ERROR;
        return;
    }
    if (udp_bind(pcb, IP4_ADDR_ANY, s->cfg->local_port) != ERR_OK) {
        console_log("socket %c: cannot bind UDP port %u", s->name, s->cfg->local_port);
        udp_remove(pcb);
        s->state = SOCK_ERROR;
        return;
    }
    udp_recv(pcb, udp_received, s);
    s->udp = pcb;
    if (s->cfg->mode == K7_SOCK_UDP_CLIENT) {
        ip_addr_t a;
        console_log("socket %c: UDP client on port %u to %s:%u", s->name, s->cfg->local_port, s->cfg->remote_host,
                    s->cfg->remote_port);
        if (ipaddr_aton(s->cfg->remote_host, &a)) {
            udp_set_remote(s, &a);
        } else {
            s->state = SOCK_CONNECTING;
            client_retry(s, 0); /* resolved once the link is up */
        }
    } else {
        s->state = SOCK_LISTEN;
        console_log("socket %c: UDP server on port %u", s->name, s->cfg->local_port);
    }
}

/* ---- serial -> network ------------------------------------------------------------------------- */

/* The socket has somewhere to send serial data (it counts for "a connection exists"). */
static bool sock_carries(const struct sock *s)
{
    switch (s->cfg->mode) {
    case K7_SOCK_TCP_SERVER:
        return s == server_sock && tcp_bridge_clients() > 0;
    case K7_SOCK_TCP_CLIENT:
        return s->state == SOCK_CONNECTED && s->pcb;
    case K7_SOCK_UDP_CLIENT:
    case K7_SOCK_UDP_SERVER:
        /* Without the link a datagram cannot leave (no route): it waits in the buffer instead. */
        return s->udp && s->have_peer && netif_default && netif_is_link_up(netif_default);
    default:
        return false;
    }
}

static uint32_t sock_room(struct sock *s)
{
    uint32_t room = 0;
    switch (s->cfg->mode) {
    case K7_SOCK_TCP_SERVER:
        return tcp_bridge_send_room();
    case K7_SOCK_TCP_CLIENT:
        if (s->reg_first_due) {
            return 0; /* the registration goes first */
        }
        room = tcp_room(s->pcb);
        break;
    case K7_SOCK_UDP_CLIENT:
    case K7_SOCK_UDP_SERVER:
        room = TCP_MSS;
        break;
    default:
        return 0;
    }
    uint32_t n;
    if (reg_every() && is_client_mode(s->cfg->mode) && reg_packet(&n)) {
        room = room > n ? room - n : 0u;
    }
    return room;
}

static void sock_send(struct sock *s, const uint8_t *data, uint32_t len)
{
    uint32_t reg_len = 0;
    const uint8_t *reg = NULL;
    if (is_client_mode(s->cfg->mode) && reg_every()) {
        reg = reg_packet(&reg_len);
    }
    switch (s->cfg->mode) {
    case K7_SOCK_TCP_SERVER:
        tcp_bridge_send(data, len);
        return;
    case K7_SOCK_TCP_CLIENT:
        if (reg) {
            tcp_write(s->pcb, reg, (u16_t)reg_len, TCP_WRITE_FLAG_COPY | TCP_WRITE_FLAG_MORE);
        }
        tcp_write(s->pcb, data, (u16_t)len, TCP_WRITE_FLAG_COPY);
        tcp_output(s->pcb);
        break;
    case K7_SOCK_UDP_CLIENT:
    case K7_SOCK_UDP_SERVER: {
        struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)(reg_len + len), PBUF_RAM);
        if (!p) {
            console_log("socket %c: no memory, packet of %lu bytes dropped", s->name, (unsigned long)len);
            return;
        }
        if (reg) {
            pbuf_take(p, reg, (u16_t)reg_len);
        }
        pbuf_take_at(p, data, (u16_t)len, (u16_t)reg_len);
        udp_sendto(s->udp, p, &s->peer_ip, s->peer_port);
        pbuf_free(p);
        break;
    }
    default:
        return;
    }
    s->last_tx_us = s->last_activity_us = now_us();
}

static void serial_to_network(void)
{
    static uint8_t chunk[TCP_MSS];
    for (;;) {
        uint32_t n = serial_ready();
        if (n == 0) {
            return;
        }
        bool any = false;
        uint32_t room = 0xFFFFFFFFu;
        for (unsigned i = 0; i < SOCKETS_COUNT; i++) {
            if (sock_carries(&socks[i])) {
                any = true;
                uint32_t r = sock_room(&socks[i]);
                room = r < room ? r : room;
            }
        }
        if (!any) {
            return; /* no connection: the data stays in the pre-connection buffer */
        }
        if (n > room) {
            n = room;
        }
        if (n > sizeof chunk) {
            n = sizeof chunk;
        }
        if (n == 0) {
            return;
        }
        n = (uint32_t)k7_prebuf_take(conf.serial_data, chunk, n);
        if (conf.packer) {
            if (n == 0) {
                k7_packer_clear(conf.packer); /* counts out of step with the buffer: start afresh */
                return;
            }
            k7_packer_take(conf.packer, n);
        }
        for (unsigned i = 0; i < SOCKETS_COUNT; i++) {
            if (sock_carries(&socks[i])) {
                sock_send(&socks[i], chunk, n);
            }
        }
    }
}

/* ---- heartbeats -------------------------------------------------------------------------------- */

static uint64_t heart_period_us(void)
{
    return (uint64_t)st->heart_time_s * US_PER_S;
}

static void net_heartbeat(struct sock *s, uint64_t now)
{
    if (!st->heart_enable || st->heart_type != K7_HEART_NET || !is_client_mode(s->cfg->mode) ||
        !sock_carries(s) || now < s->last_tx_us + heart_period_us()) {
        return;
    }
    uint32_t n = packet_len(st->heart_data, st->heart_len);
    if (n == 0) {
        return;
    }
    if (s->cfg->mode == K7_SOCK_TCP_CLIENT) {
        if (s->reg_first_due || tcp_room(s->pcb) < n) {
            return;
        }
        tcp_write(s->pcb, st->heart_data, (u16_t)n, TCP_WRITE_FLAG_COPY);
        tcp_output(s->pcb);
    } else {
        struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)n, PBUF_RAM);
        if (!p) {
            return;
        }
        pbuf_take(p, st->heart_data, (u16_t)n);
        udp_sendto(s->udp, p, &s->peer_ip, s->peer_port);
        pbuf_free(p);
    }
    s->last_tx_us = now;
}

static void com_heartbeat(uint64_t now)
{
    if (!st->heart_enable || st->heart_type != K7_HEART_COM) {
        return;
    }
    /* "Without serial output": the quiet time counts from the moment the last stop bit left, i.e. the
     * first pass that finds the transmitter idle (at most one 1 ms tick late, never early). */
    if (!conf.serial_open() || !uart_tx_idle(conf.port)) {
        com_busy = true;
        return;
    }
    if (com_busy) {
        com_busy = false;
        com_quiet_since_us = now;
    }
    if (now < com_quiet_since_us + heart_period_us()) {
        return;
    }
    uint32_t n = packet_len(st->heart_data, st->heart_len);
    if (n > 0) {
        uart_write(conf.port, st->heart_data, n);
    }
    com_quiet_since_us = now;
    com_busy = true; /* the heartbeat itself is serial output */
}

/* ---- public ------------------------------------------------------------------------------------ */

static const char *mode_name(enum k7_sock_mode m)
{
    switch (m) {
    case K7_SOCK_TCP_SERVER: return "TCP server";
    case K7_SOCK_TCP_CLIENT: return "TCP client";
    case K7_SOCK_UDP_SERVER: return "UDP server";
    case K7_SOCK_UDP_CLIENT: return "UDP client";
    case K7_SOCK_HTTPD_CLIENT: return "HTTPD client";
    default: return "off";
    }
}

void sockets_init(const struct sockets_config *cfg)
{
    conf = *cfg;
    st = cfg->settings;
    socks[0].cfg = &st->sock_a;
    socks[1].cfg = &st->sock_b;
    last_net_rx_us = com_quiet_since_us = now_us();
    for (unsigned i = 0; i < SOCKETS_COUNT; i++) {
        struct sock *s = &socks[i];
        s->name = (char)('A' + i);
        s->state = SOCK_IDLE;
        switch (s->cfg->mode) {
        case K7_SOCK_TCP_SERVER:
            if (server_started) {
                console_log("socket %c: only one TCP server is supported, socket %c has it", s->name,
                            server_sock->name);
                s->state = SOCK_ERROR;
                break;
            }
            server_started = true;
            server_sock = s;
            tcp_bridge_init(s->cfg->local_port, st->max_clients, st->kick_oldest);
            break;
        case K7_SOCK_TCP_CLIENT:
            console_log("socket %c: TCP client to %s:%u%s", s->name, s->cfg->remote_host, s->cfg->remote_port,
                        st->short_connection ? " (short connection)" : "");
            if (!st->short_connection) {
                client_retry(s, 0); /* once the link is up */
            }
            break;
        case K7_SOCK_UDP_CLIENT:
        case K7_SOCK_UDP_SERVER:
            udp_start(s);
            break;
        case K7_SOCK_HTTPD_CLIENT:
            console_log("socket %c: %s mode is not implemented", s->name, mode_name(s->cfg->mode));
            break;
        case K7_SOCK_OFF:
            break;
        }
    }
    if (st->heart_enable) {
        console_log("heartbeat %s every %lu s", st->heart_type == K7_HEART_NET ? "NET" : "COM",
                    (unsigned long)st->heart_time_s);
    }
    if (st->reset_timeout_s >= 60u) {
        console_log("reset timeout: restart after %lu s without data from the network",
                    (unsigned long)st->reset_timeout_s);
    }
}

static void client_poll(struct sock *s, uint64_t now, bool link_up)
{
    client_to_serial(s);
    if (s->state == SOCK_CONNECTED && s->pcb) {
        send_reg_first(s);
        if (now >= s->last_rx_us + (uint64_t)st->socket_timeout_s * US_PER_S) {
            console_log("socket %c: no data from the network for %lu s, reconnecting", s->name,
                        (unsigned long)st->socket_timeout_s);
            client_close(s);
            s->state = SOCK_ERROR;
            client_retry(s, 0);
        } else if (st->short_connection &&
                   now >= s->last_activity_us + (uint64_t)st->short_connection_s * US_PER_S) {
            console_log("socket %c: short connection idle for %lu s, closing", s->name,
                        (unsigned long)st->short_connection_s);
            client_close(s);
            s->state = SOCK_IDLE;
        }
    }
    if (st->short_connection && s->state == SOCK_IDLE && !s->retry_armed && k7_prebuf_count(conf.serial_data) > 0) {
        client_retry(s, 0); /* serial data is waiting: open the short connection */
    }
    if (s->retry_armed && link_up && now >= s->retry_at_us && !s->pcb && !s->resolving) {
        client_start(s);
    }
}

void sockets_poll(void)
{
    uint64_t now = now_us();
    bool link_up = netif_default && netif_is_link_up(netif_default);
    for (unsigned i = 0; i < SOCKETS_COUNT; i++) {
        struct sock *s = &socks[i];
        switch (s->cfg->mode) {
        case K7_SOCK_TCP_CLIENT:
            client_poll(s, now, link_up);
            break;
        case K7_SOCK_UDP_CLIENT:
        case K7_SOCK_UDP_SERVER:
            if (s->retry_armed && link_up && now >= s->retry_at_us && !s->resolving) {
                udp_resolve(s);
            }
            if (link_up && !link_was_up && s->state == SOCK_CONNECTED) {
                s->reg_first_due = reg_first(); /* UDP "First": once the link is there */
            }
            if (link_up) {
                send_reg_first(s);
            }
            udp_to_serial(s);
            break;
        default:
            break;
        }
    }
    link_was_up = link_up;
    if (server_started) {
        queue_to_serial(&server_closed_rx);
        tcp_bridge_poll();
    }
    serial_to_network();
    now = now_us(); /* the data just sent stamped the sockets with a later time than the one above */
    for (unsigned i = 0; i < SOCKETS_COUNT; i++) {
        net_heartbeat(&socks[i], now);
    }
    com_heartbeat(now);
    if (st->reset_timeout_s >= 60u && now >= last_net_rx_us + (uint64_t)st->reset_timeout_s * US_PER_S) {
        console_log("reset timeout: no data from the network for %lu s, restarting", (unsigned long)st->reset_timeout_s);
        cpu_system_reset();
    }
}

bool sockets_has_work(void)
{
    if (serial_ready() == 0) {
        return false;
    }
    for (unsigned i = 0; i < SOCKETS_COUNT; i++) {
        if (sock_carries(&socks[i]) && sock_room(&socks[i]) > 0) {
            return true;
        }
    }
    return false;
}

void sockets_keep_closed_rx(struct pbuf *p)
{
    if (server_closed_rx) {
        pbuf_cat(server_closed_rx, p);
    } else {
        server_closed_rx = p;
    }
    queue_to_serial(&server_closed_rx);
}

void sockets_tcp_connected(void)
{
    if (st->clear_buffer_on_connect && !st->short_connection && k7_prebuf_count(conf.serial_data) > 0) {
        clear_serial_buffer("UARTCLBUF, connection up");
    }
}

void sockets_status(unsigned index, char *out, size_t cap)
{
    if (index >= SOCKETS_COUNT || !st) {
        fmt_format(out, cap, "IDLE");
        return;
    }
    const struct sock *s = &socks[index];
    const char *text = "IDLE";
    switch (s->cfg->mode) {
    case K7_SOCK_TCP_SERVER:
        if (s != server_sock || !tcp_bridge_listening()) {
            text = "ERROR";
        } else if (tcp_bridge_clients() > 0) {
            fmt_format(out, cap, "CONNECTED(%u)", tcp_bridge_clients());
            return;
        } else {
            text = "LISTEN";
        }
        break;
    case K7_SOCK_OFF:
    case K7_SOCK_HTTPD_CLIENT:
        text = "IDLE";
        break;
    default:
        switch (s->state) {
        case SOCK_IDLE: text = "IDLE"; break;
        case SOCK_LISTEN: text = "LISTEN"; break;
        case SOCK_CONNECTING: text = "CONNECTING"; break;
        case SOCK_CONNECTED: text = "CONNECTED"; break;
        case SOCK_ERROR: text = "ERROR"; break;
        }
        break;
    }
    fmt_format(out, cap, "%s", text);
}
