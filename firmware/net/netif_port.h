/*
 * lwIP port on the board (NO_SYS, raw API): the netif on EMAC0 and its PHY, lwIP's time base,
 * random numbers and receive path. Everything runs from netif_port_poll() in the main loop;
 * interrupt handlers only set flags.
 */
#ifndef K7_NET_NETIF_PORT_H
#define K7_NET_NETIF_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "lwip/netif.h"

#define NETIF_PORT_NAME_MAX 32

struct netif_port_config {
    uint32_t sysclk_hz;
    const uint8_t *user_mac;  /* NULL: the factory MAC (USER_REG0/1) */
    bool dhcp;                /* true: no address until the DHCP client (started by the caller) gets one */
    uint8_t ip[4], mask[4], gateway[4];
    const char *host_name;    /* DHCP host name */
};

/* EMAC/PHY up, lwIP initialised, the netif added and up (link still down). False if the EMAC did
 * not come up. Services (DHCP, pcbs) are set up by the caller before netif_port_start(). */
bool netif_port_init(const struct netif_port_config *config);

/* Read the PHY once and start servicing link changes. */
void netif_port_start(void);

struct netif *netif_port_netif(void);
const uint8_t *netif_port_mac(void);

/* Received frames, PHY events, lwIP timers. Call from the main loop. */
void netif_port_poll(void);

/* True when netif_port_poll() has work right now (call with interrupts masked, before WFI). */
bool netif_port_has_work(void);

#endif
