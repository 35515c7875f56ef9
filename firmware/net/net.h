/*
 * The network side of the K7 firmware: lwIP (NO_SYS, raw API) on EMAC0 with the internal PHY, the
 * netif with the settings' address (or DHCP), and the socket work modes (sockets.h) bridging
 * to the module's UART.
 * Everything lwIP runs from net_poll() in the main loop; interrupt handlers only set flags.
 */
#ifndef K7_NET_NET_H
#define K7_NET_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "../app/prebuf.h"
#include "../app/settings.h"
#include "../board/uart.h"

struct k7_packer;

struct net_config {
    const struct k7_settings *settings;
    uint32_t sysclk_hz;
    struct uart_dev *port;          /* module UART: network data goes out here */
    struct k7_prebuf *serial_data;  /* serial user data waiting for the network (the pre-connection buffer) */
    bool (*serial_open)(void);      /* true while network data may be written to the port (transparent mode) */
    struct k7_packer *packer;       /* packet boundaries of serial_data (packing rule) */
    /* Similar RFC2217 from the network: put these line settings on the port now (not saved). */
    bool (*apply_line)(const struct k7_serial_settings *line);
};

/* Bring up EMAC/PHY and lwIP, start the TCP server. Returns false if the EMAC did not come up (the
 * firmware keeps running without network). */
bool net_init(const struct net_config *cfg);

/* Received frames, PHY events, lwIP timers, bridge traffic. Call from the main loop. */
void net_poll(void);

/* True when net_poll() has work right now (call with interrupts masked, before WFI). */
bool net_has_work(void);

#endif /* K7_NET_NET_H */
