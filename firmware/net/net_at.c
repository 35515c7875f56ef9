/*
 * Network AT commands over UDP on the search port. See net_at.h for the rules.
 *
 * The receive callback runs inside lwIP's input path: it decides at once (arrival time) whether a
 * datagram is a search, a command datagram of the session's peer in time, or noise, and answers a
 * search right there. Command datagrams are only queued: they run from net_at_poll(), which the main
 * loop calls next to net_poll() (not from inside it), because a command may run the network itself
 * (AT+PING waits for its reply through net_poll()): that must not happen inside lwIP's input path,
 * and a ping started from the serial AT mode must not run a network command in its wait.
 */
#include "net_at.h"

#include <string.h>

#include "../app/at.h"
#include "../app/at_commands.h"
#include "../app/settings_store.h"
#include "../board/console.h"
#include "../board/cpu.h"
#include "../board/systime.h"
#include "../lib/fmt.h"
#include "emac.h"
#include "lwip/etharp.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"

/* Command datagrams waiting for net_at_poll(); more are dropped (UDP has no flow control). */
#define NET_AT_QUEUE 4u
/* AT+Z: the reply normally leaves within a millisecond; if the peer's address cannot be resolved
 * (it vanished), restart anyway after this long. */
#define NET_AT_RESTART_WAIT_US 1000000u

struct queued {
    struct pbuf *p;
    ip_addr_t from;
    u16_t port;
};

/* The replies of one datagram, collected by the interpreter's write callback. */
struct reply_buf {
    uint8_t data[NET_AT_REPLY_MAX];
    size_t len;
};

static struct udp_pcb *pcb;
static char keyword[K7_KEYWORD_MAX];
static char module_name[K7_NAME_MAX];

static struct k7_at at;
static struct reply_buf reply;

static bool session_open;
static ip_addr_t session_ip;
static u16_t session_port;
static uint64_t session_last_us; /* arrival of the peer's last datagram */

static struct queued queue[NET_AT_QUEUE];
static unsigned queue_head, queue_count;
static bool running; /* a command is executing (it may run net_poll() itself) */

static bool restart_pending;
static ip_addr_t restart_peer;
static uint64_t restart_deadline_us;

static void log_peer(const char *what, const ip_addr_t *ip, u16_t port)
{
    char a[16];
    ip4addr_ntoa_r(ip_2_ip4(ip), a, sizeof a);
    console_log("net AT: %s %s:%u", what, a, port);
}

static void collect(void *io, const uint8_t *data, size_t len)
{
    struct reply_buf *r = io;
    size_t room = sizeof r->data - r->len;
    if (len > room) {
        len = room; /* cannot happen: the buffer is flushed while a whole reply still fits */
    }
    memcpy(r->data + r->len, data, len);
    r->len += len;
}

static void send_to(const void *data, size_t len, const ip_addr_t *ip, u16_t port)
{
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
    if (!p) {
        console_log("net AT: no memory for a reply of %u bytes", (unsigned)len);
        return;
    }
    pbuf_take(p, data, (u16_t)len);
    err_t e = udp_sendto(pcb, p, ip, port);
    pbuf_free(p);
    if (e != ERR_OK) {
        console_log("net AT: reply not sent (lwIP error %d)", (int)e);
    }
}

static void flush_reply(const ip_addr_t *ip, u16_t port)
{
    if (reply.len > 0) {
        send_to(reply.data, reply.len, ip, port);
        reply.len = 0;
    }
}

/* The datagram is the keyword, alone or followed by one CR, LF or CR LF. */
static bool is_search(const struct pbuf *p)
{
    size_t klen = strlen(keyword);
    u16_t n = p->tot_len;
    if (n < klen || n > klen + 2u) {
        return false;
    }
    if (pbuf_memcmp(p, 0, keyword, (u16_t)klen) != 0) {
        return false;
    }
    if (n == klen) {
        return true;
    }
    if (n == klen + 1u) {
        uint8_t c = pbuf_get_at(p, (u16_t)klen);
        return c == '\r' || c == '\n';
    }
    return pbuf_get_at(p, (u16_t)klen) == '\r' && pbuf_get_at(p, (u16_t)(klen + 1u)) == '\n';
}

static void answer_search(const ip_addr_t *ip, u16_t port)
{
    const struct netif *nif = netif_default;
    char addr[16];
    char text[16 + 1 + 12 + 1 + K7_NAME_MAX];
    ip4addr_ntoa_r(netif_ip4_addr(nif), addr, sizeof addr);
    const uint8_t *m = nif->hwaddr;
    size_t n = fmt_format(text, sizeof text, "%s,%02X%02X%02X%02X%02X%02X,%s", addr, m[0], m[1], m[2], m[3], m[4],
                          m[5], module_name);
    if (n >= sizeof text) {
        n = sizeof text - 1u;
    }
    send_to(text, n, ip, port);
}

static bool is_session_peer(const ip_addr_t *ip, u16_t port)
{
    return session_open && port == session_port && ip_addr_cmp(ip, &session_ip);
}

static void end_session(const char *why)
{
    if (session_open) {
        session_open = false;
        log_peer(why, &session_ip, session_port);
    }
}

/* The session is over once NET_AT_IDLE_US passed since its peer's last datagram. */
static void expire_session(uint64_t now)
{
    if (session_open && now - session_last_us >= NET_AT_IDLE_US) {
        end_session("session ended (30 s without a datagram) for");
    }
}

static void on_datagram(void *arg, struct udp_pcb *upcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    (void)arg;
    (void)upcb;
    uint64_t now = systime_us();
    expire_session(now);

    if (is_search(p)) {
        pbuf_free(p);
        if (!is_session_peer(addr, port)) {
            if (session_open) {
                log_peer("session taken over from", &session_ip, session_port);
            }
            session_ip = *addr;
            session_port = port;
            session_open = true;
            log_peer("search answered, session opened for", addr, port);
        }
        session_last_us = now;
        answer_search(addr, port);
        return;
    }
    if (!is_session_peer(addr, port)) {
        pbuf_free(p); /* not searched, or the session is over / someone else's */
        return;
    }
    session_last_us = now;
    if (queue_count == NET_AT_QUEUE) {
        console_log("net AT: commands still running, datagram of %u bytes dropped", p->tot_len);
        pbuf_free(p);
        return;
    }
    struct queued *q = &queue[(queue_head + queue_count) % NET_AT_QUEUE];
    q->p = p;
    q->from = *addr;
    q->port = port;
    queue_count++;
}

/* One command line; false when the datagram's remaining lines must not run (AT+ENTM, AT+Z). */
static bool run_line(const char *line, size_t len, bool too_long, const struct queued *q)
{
    if (sizeof reply.data - reply.len < K7_AT_VALUE_MAX + 16u) {
        flush_reply(&q->from, q->port); /* the next reply might not fit */
    }
    if (too_long) {
        /* The same answer as the serial line gives a line beyond K7_AT_LINE_MAX: invalid format. */
        static const char err[] = "\r\n+ERR=-1\r\n";
        collect(&reply, (const uint8_t *)err, sizeof err - 1u);
        return true;
    }
    switch (k7_at_execute(&at, line, len)) {
    case K7_AT_AFTER_LEAVE:
        flush_reply(&q->from, q->port);
        if (is_session_peer(&q->from, q->port)) {
            end_session("session ended (AT+ENTM) for");
        }
        return false;
    case K7_AT_AFTER_RESTART:
        flush_reply(&q->from, q->port);
        restart_pending = true;
        restart_peer = q->from;
        restart_deadline_us = systime_us() + NET_AT_RESTART_WAIT_US;
        console_log("net AT: restart requested");
        return false;
    case K7_AT_AFTER_NONE:
        break;
    }
    return true;
}

/* Split a command datagram into lines (CR, LF or CR LF; the datagram's end ends a line too). */
static void run_datagram(const struct queued *q)
{
    char line[K7_AT_LINE_MAX + 1];
    size_t len = 0;
    bool too_long = false;
    bool go_on = true;
    for (const struct pbuf *b = q->p; b != NULL && go_on; b = b->next) {
        const uint8_t *data = b->payload;
        for (u16_t i = 0; i < b->len && go_on; i++) {
            uint8_t c = data[i];
            if (c == '\r' || c == '\n') {
                if (len > 0 || too_long) {
                    go_on = run_line(line, len, too_long, q);
                }
                len = 0;
                too_long = false;
            } else if (len < K7_AT_LINE_MAX) {
                line[len++] = (char)c;
            } else {
                too_long = true;
            }
        }
    }
    if (go_on && (len > 0 || too_long)) {
        run_line(line, len, too_long, q);
    }
    flush_reply(&q->from, q->port);
}

/* The reply to AT+Z has left: nothing waits for the peer's (or gateway's) MAC, the TX ring is empty. */
static bool restart_reply_gone(void)
{
    struct netif *nif = netif_default;
    const ip4_addr_t *hop = ip_2_ip4(&restart_peer);
    if (!ip4_addr_netcmp(hop, netif_ip4_addr(nif), netif_ip4_netmask(nif))) {
        hop = netif_ip4_gw(nif);
    }
    struct eth_addr *eth;
    const ip4_addr_t *ip;
    return etharp_find_addr(nif, hop, &eth, &ip) >= 0 && emac_tx_idle();
}

void net_at_start(struct k7_settings *settings, const char *version)
{
    memcpy(keyword, settings->search_keyword, sizeof keyword);
    keyword[sizeof keyword - 1] = '\0';
    memcpy(module_name, settings->module_name, sizeof module_name);
    module_name[sizeof module_name - 1] = '\0';
    k7_at_init(&at, k7_at_tables, settings, version, k7_store_save, collect, &reply);

    pcb = udp_new_ip_type(IPADDR_TYPE_V4);
    if (!pcb) {
        console_log("net AT: no memory for the search port");
        return;
    }
    if (keyword[0] == '\0' || udp_bind(pcb, IP4_ADDR_ANY, settings->search_port) != ERR_OK) {
        console_log("net AT: cannot use search port %u, network AT off", settings->search_port);
        udp_remove(pcb);
        pcb = NULL;
        return;
    }
    udp_recv(pcb, on_datagram, NULL);
    console_log("net AT: search port %u, keyword \"%s\"", settings->search_port, keyword);
}

void net_at_poll(void)
{
    if (!pcb || running) {
        return;
    }
    running = true;
    while (queue_count > 0 && !restart_pending) {
        struct queued q = queue[queue_head];
        queue_head = (queue_head + 1u) % NET_AT_QUEUE;
        queue_count--;
        if (is_session_peer(&q.from, q.port)) {
            run_datagram(&q); /* not after AT+ENTM, nor after someone else took the session over */
        }
        pbuf_free(q.p);
    }
    running = false;

    expire_session(systime_us());
    if (restart_pending && (restart_reply_gone() || systime_us() >= restart_deadline_us)) {
        console_log("net AT: restarting");
        cpu_system_reset();
    }
}

bool net_at_has_work(void)
{
    if (!pcb || running) {
        return false;
    }
    return (queue_count > 0 && !restart_pending) || (restart_pending && restart_reply_gone());
}
