/*
 * AT+PING, with a raw ICMP pcb. See ping.h.
 */
#include "ping.h"

#include <string.h>

#include "../board/console.h"
#include "../board/cpu.h"
#include "../board/systime.h"
#include "lwip/dns.h"
#include "lwip/icmp.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip.h"
#include "lwip/ip4_addr.h"
#include "lwip/prot/ip4.h"
#include "lwip/raw.h"
#include "net.h"

#define PING_ID        0x4B37u /* "K7" */
#define PING_DATA_LEN  32u

static uint16_t ping_seq;
static bool reply_seen;
static bool dns_done;
static bool dns_ok;
static ip_addr_t target;

static u8_t on_icmp(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
    (void)arg;
    (void)pcb;
    struct icmp_echo_hdr echo;
    /* Raw pcbs see the IP header: skip it to reach the ICMP header. */
    u16_t ip_len = (u16_t)(IPH_HL_BYTES((const struct ip_hdr *)p->payload));
    if (p->tot_len >= ip_len + sizeof echo && pbuf_copy_partial(p, &echo, sizeof echo, ip_len) == sizeof echo &&
        echo.type == ICMP_ER && echo.id == PP_HTONS(PING_ID) && echo.seqno == lwip_htons(ping_seq) &&
        ip_addr_cmp(addr, &target)) {
        reply_seen = true;
        pbuf_free(p);
        return 1; /* ours: eaten */
    }
    return 0;
}

static void on_dns(const char *name, const ip_addr_t *addr, void *arg)
{
    (void)name;
    (void)arg;
    dns_done = true;
    if (addr) {
        target = *addr;
        dns_ok = true;
    }
}

/* Run the network until `done` turns true or `ms` pass. */
static void wait_for(volatile bool *done, uint32_t ms)
{
    uint64_t end = systime_us() + (uint64_t)ms * 1000u;
    while (!*done && systime_us() < end) {
        net_poll();
        irq_disable();
        if (!*done && !net_has_work()) {
            cpu_wfi(); /* the 1 ms tick or a frame wakes it */
        }
        irq_enable();
    }
}

bool net_ping(const char *host)
{
    dns_done = dns_ok = false;
    if (ipaddr_aton(host, &target)) {
        dns_ok = true;
    } else {
        err_t e = dns_gethostbyname(host, &target, on_dns, NULL);
        if (e == ERR_OK) {
            dns_ok = true;
        } else if (e == ERR_INPROGRESS) {
            wait_for((volatile bool *)&dns_done, PING_DNS_WAIT_MS);
        }
    }
    if (!dns_ok) {
        console_log("ping %s: cannot resolve", host);
        return false;
    }

    struct raw_pcb *pcb = raw_new(IP_PROTO_ICMP);
    if (!pcb) {
        return false;
    }
    raw_recv(pcb, on_icmp, NULL);
    struct pbuf *p = pbuf_alloc(PBUF_IP, sizeof(struct icmp_echo_hdr) + PING_DATA_LEN, PBUF_RAM);
    if (!p) {
        raw_remove(pcb);
        return false;
    }
    struct icmp_echo_hdr *echo = p->payload;
    ICMPH_TYPE_SET(echo, ICMP_ECHO);
    ICMPH_CODE_SET(echo, 0);
    echo->id = PP_HTONS(PING_ID);
    echo->seqno = lwip_htons(++ping_seq);
    echo->chksum = 0;
    uint8_t *data = (uint8_t *)p->payload + sizeof *echo;
    for (uint32_t i = 0; i < PING_DATA_LEN; i++) {
        data[i] = (uint8_t)('a' + i % 23u);
    }
    echo->chksum = inet_chksum(echo, p->len);

    reply_seen = false;
    uint64_t sent = systime_us();
    err_t e = raw_sendto(pcb, p, &target);
    pbuf_free(p);
    if (e == ERR_OK) {
        wait_for((volatile bool *)&reply_seen, PING_REPLY_WAIT_MS);
    }
    raw_remove(pcb);
    char ip[16];
    ip4addr_ntoa_r(ip_2_ip4(&target), ip, sizeof ip);
    if (reply_seen) {
        console_log("ping %s (%s): reply after %lu us", host, ip, (unsigned long)(systime_us() - sent));
    } else {
        console_log("ping %s (%s): no reply within %u ms", host, ip, PING_REPLY_WAIT_MS);
    }
    return reply_seen;
}
