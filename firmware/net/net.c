/*
 * lwIP glue: the netif on EMAC0, link handling, time base and random numbers for lwIP.
 */
#include "net.h"

#include <string.h>

#include "../board/console.h"
#include "../board/cpu.h"
#include "../board/systime.h"
#include "emac.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "net_at.h"
#include "netif/ethernet.h"
#include "sockets.h"

/* The PHY interrupt reports link changes; this poll is a fallback for a missed one. */
#define PHY_POLL_MS 500u

static struct netif k7_netif;
static bool net_ready;
static bool link_up;
static uint32_t next_phy_poll_ms;
static uint32_t rand_state = 1u;
static uint8_t board_mac[6];  /* the netif's MAC: the factory MAC, or the user MAC (AT+USERMAC) */
static char module_name[K7_NAME_MAX];

/* ---- lwIP port hooks -------------------------------------------------------------------------- */

uint32_t sys_now(void);
uint32_t sys_now(void)
{
    return (uint32_t)(systime_us() / 1000u);
}

/* xorshift32: deterministic per board (seeded from the MAC), good enough for ports and ISNs. */
uint32_t k7_lwip_rand(void)
{
    uint32_t x = rand_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rand_state = x;
    return x;
}

void k7_lwip_diag(const char *msg)
{
    console_log("%s", msg);
}

void k7_lwip_assert(const char *msg, const char *file, int line)
{
    console_log("lwip assertion \"%s\" failed at %s:%d", msg, file, line);
    for (;;) {
    }
}

/* ---- netif driver ----------------------------------------------------------------------------- */

static err_t k7_linkoutput(struct netif *nif, struct pbuf *p)
{
    (void)nif;
    if (!link_up) {
        return ERR_IF; /* no carrier: do not fill the ring with frames that cannot leave */
    }
    if (p->tot_len > EMAC_BUF_SIZE) {
        return ERR_BUF;
    }
    uint8_t *buf = emac_tx_buffer();
    if (!buf) {
        return ERR_MEM;
    }
    pbuf_copy_partial(p, buf, p->tot_len, 0);
    emac_tx_send(p->tot_len);
    return ERR_OK;
}

static err_t k7_netif_init(struct netif *nif)
{
    nif->name[0] = 'e';
    nif->name[1] = '0';
    nif->output = etharp_output;
    nif->linkoutput = k7_linkoutput;
    nif->mtu = 1500;
    nif->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(nif->hwaddr, board_mac, ETH_HWADDR_LEN);
    nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
#if LWIP_NETIF_HOSTNAME
    nif->hostname = module_name; /* AT+MID: the DHCP host name */
#endif
    return ERR_OK;
}

static void rx_frames(void)
{
    size_t len;
    const uint8_t *frame;
    /* Bounded per call so a flood cannot starve the serial side. */
    for (uint32_t n = 0; n < EMAC_RX_DESCS && (frame = emac_rx_next(&len)) != NULL; n++) {
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
        if (p) {
            pbuf_take(p, frame, (u16_t)len);
        }
        emac_rx_release(); /* copied out: the descriptor goes straight back to the DMA */
        if (p && k7_netif.input(p, &k7_netif) != ERR_OK) {
            pbuf_free(p);
        }
    }
}

/* ---- status and link -------------------------------------------------------------------------- */

static void print_ip(char *buf, size_t size, const ip4_addr_t *a)
{
    ip4addr_ntoa_r(a, buf, (int)size);
}

static unsigned prefix_len(const ip4_addr_t *mask)
{
    uint32_t m = lwip_ntohl(ip4_addr_get_u32(mask));
    unsigned n = 0;
    while (m & 0x80000000u) {
        n++;
        m <<= 1;
    }
    return n;
}

static void status_callback(struct netif *nif)
{
    char ip[16], gw[16];
    if (!netif_is_up(nif)) {
        console_log("net: interface down");
        return;
    }
    if (ip4_addr_isany_val(*netif_ip4_addr(nif))) {
        return; /* DHCP still running */
    }
    print_ip(ip, sizeof ip, netif_ip4_addr(nif));
    print_ip(gw, sizeof gw, netif_ip4_gw(nif));
    console_log("net: %s/%u gateway %s%s", ip, prefix_len(netif_ip4_netmask(nif)), gw,
                dhcp_supplied_address(nif) ? " (DHCP)" : "");
}

static void link_callback(struct netif *nif)
{
    (void)nif;
    /* Nothing beyond the log: lwIP restarts DHCP / announces the static address itself. */
}

static void apply_link(const struct emac_link *l, bool bounced)
{
    if (link_up && (!l->up || bounced)) {
        link_up = false;
        console_log("net: link down");
        netif_set_link_down(&k7_netif);
    }
    if (!link_up && l->up) {
        link_up = true;
        emac_set_link_mode(l);
        console_log("net: link up %s %s", l->speed100 ? "100M" : "10M", l->full_duplex ? "full" : "half");
        netif_set_link_up(&k7_netif);
    }
}

static void service_phy(void)
{
    bool bounced = false;
    struct emac_link l = emac_phy_service(&bounced);
    apply_link(&l, bounced);
    next_phy_poll_ms = sys_now() + PHY_POLL_MS;
}

/* ---- public ----------------------------------------------------------------------------------- */

bool net_init(const struct net_config *cfg)
{
    if (!emac_init(cfg->sysclk_hz, board_mac)) {
        console_log("net: EMAC0 did not come up, no network");
        return false;
    }
    const struct k7_settings *s = cfg->settings;
    if (s->user_mac_set) {
        memcpy(board_mac, s->user_mac, sizeof board_mac);
        emac_set_mac_address(board_mac); /* the EMAC's filter and source address follow the netif */
    }
    memcpy(module_name, s->module_name, sizeof module_name);
    module_name[sizeof module_name - 1] = '\0';
    console_log("net: MAC %02x:%02x:%02x:%02x:%02x:%02x%s, name %s", board_mac[0], board_mac[1], board_mac[2],
                board_mac[3], board_mac[4], board_mac[5], s->user_mac_set ? " (user MAC)" : "", module_name);

    rand_state = ((uint32_t)board_mac[2] << 24 | (uint32_t)board_mac[3] << 16 | (uint32_t)board_mac[4] << 8 |
                  board_mac[5]) ^
                 0x9E3779B9u;
    if (rand_state == 0) {
        rand_state = 1;
    }

    lwip_init();

    ip4_addr_t ip, mask, gw;
    if (s->dhcp) {
        ip4_addr_set_zero(&ip);
        ip4_addr_set_zero(&mask);
        ip4_addr_set_zero(&gw);
    } else {
        IP4_ADDR(&ip, s->ip[0], s->ip[1], s->ip[2], s->ip[3]);
        IP4_ADDR(&mask, s->mask[0], s->mask[1], s->mask[2], s->mask[3]);
        IP4_ADDR(&gw, s->gateway[0], s->gateway[1], s->gateway[2], s->gateway[3]);
    }
    netif_add(&k7_netif, &ip, &mask, &gw, NULL, k7_netif_init, ethernet_input);
    netif_set_default(&k7_netif);
    netif_set_status_callback(&k7_netif, status_callback);
    netif_set_link_callback(&k7_netif, link_callback);
    netif_set_up(&k7_netif);

    ip_addr_t dns;
    IP_ADDR4(&dns, s->dns[0], s->dns[1], s->dns[2], s->dns[3]);
    dns_setserver(0, &dns);
    if (s->dhcp) {
        dhcp_start(&k7_netif);
        console_log("net: DHCP client started");
    }

    const struct sockets_config sc = {
        .settings = s,
        .port = cfg->port,
        .serial_data = cfg->serial_data,
        .packer = cfg->packer,
        .serial_open = cfg->serial_open,
        .apply_line = cfg->apply_line,
        .mac = board_mac,
    };
    sockets_init(&sc);

    net_ready = true;
    link_up = false;
    service_phy();
    return true;
}

void net_poll(void)
{
    if (!net_ready) {
        return;
    }
    rx_frames();
    /* Reading the PHY costs ~100 us of MDIO: only on its interrupt or the slow fallback poll. */
    if (emac_phy_pending() || (int32_t)(sys_now() - next_phy_poll_ms) >= 0) {
        service_phy();
    }
    sys_check_timeouts();
    sockets_poll();
}

bool net_has_work(void)
{
    return net_ready && (emac_has_work() || sockets_has_work() || net_at_has_work());
}
