/*
 * The K7's network side on top of the lwIP port (netif_port.c): the address, DNS server, DHCP and
 * host name from the settings, then the socket work modes (sockets.c).
 */
#include "net.h"

#include "../board/console.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "net_at.h"
#include "netif_port.h"
#include "sockets.h"

static bool net_ready;

bool net_init(const struct net_config *cfg)
{
    const struct k7_settings *s = cfg->settings;
    struct netif_port_config pc = {
        .sysclk_hz = cfg->sysclk_hz,
        .user_mac = s->user_mac_set ? s->user_mac : NULL,
        .dhcp = s->dhcp,
        .host_name = s->module_name,
    };
    for (int i = 0; i < 4; i++) {
        pc.ip[i] = s->ip[i];
        pc.mask[i] = s->mask[i];
        pc.gateway[i] = s->gateway[i];
    }
    if (!netif_port_init(&pc)) {
        return false;
    }
    const uint8_t *mac = netif_port_mac();
    console_log("net: MAC %02x:%02x:%02x:%02x:%02x:%02x%s, name %s", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
                s->user_mac_set ? " (user MAC)" : "", netif_port_netif()->hostname);

    ip_addr_t dns;
    IP_ADDR4(&dns, s->dns[0], s->dns[1], s->dns[2], s->dns[3]);
    dns_setserver(0, &dns);
    if (s->dhcp) {
        dhcp_start(netif_port_netif());
        console_log("net: DHCP client started");
    }

    const struct sockets_config sc = {
        .settings = s,
        .port = cfg->port,
        .serial_data = cfg->serial_data,
        .packer = cfg->packer,
        .serial_open = cfg->serial_open,
        .apply_line = cfg->apply_line,
        .mac = mac,
    };
    sockets_init(&sc);

    net_ready = true;
    netif_port_start();
    return true;
}

void net_poll(void)
{
    if (!net_ready) {
        return;
    }
    netif_port_poll();
    sockets_poll();
}

bool net_has_work(void)
{
    return net_ready && (netif_port_has_work() || sockets_has_work() || net_at_has_work());
}
