/*
 * lwIP 2.1.3 configuration of the K7 reference firmware: NO_SYS = 1 (no OS), raw API only, called
 * from the main loop and never from an interrupt handler. IPv4 with ARP, ICMP, UDP (DHCP, DNS) and
 * TCP. Sized for the module (K7 manual): 16 KB TCP send buffer and window per connection, up to 16
 * TCP server clients plus the listener, inside the 256 KB SRAM together with the EMAC rings.
 */
#ifndef K7_NET_LWIPOPTS_H
#define K7_NET_LWIPOPTS_H

/* ---- platform --------------------------------------------------------------------------------- */
#define NO_SYS                      1
#define SYS_LIGHTWEIGHT_PROT        0   /* lwIP runs in the main loop only */
#define LWIP_NETCONN                0
#define LWIP_SOCKET                 0
#define LWIP_TIMERS                 1
#define MEM_ALIGNMENT               4
#define LWIP_IPV4                   1
#define LWIP_IPV6                   0

/* ---- memory: heap for TCP send data and PBUF_RAM, pool for received frames -------------------- */
#define MEM_SIZE                    (40 * 1024)
#define PBUF_POOL_SIZE              32  /* ~1.5 KB each: two full 16 KB windows in flight */
#define MEMP_NUM_PBUF               16
#define MEMP_NUM_UDP_PCB            6
#define MEMP_NUM_TCP_PCB            20  /* 16 server clients, a TCP client per socket, closing ones */
#define MEMP_NUM_TCP_PCB_LISTEN     4
#define MEMP_NUM_TCP_SEG            128
#define MEMP_NUM_ARP_QUEUE          16
#define MEMP_NUM_SYS_TIMEOUT        (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 4)
#define ARP_TABLE_SIZE              16
#define ARP_QUEUEING                1
#define ETHARP_SUPPORT_STATIC_ENTRIES 0

/* ---- protocols ------------------------------------------------------------------------------- */
#define LWIP_ARP                    1
#define LWIP_ETHERNET               1
#define LWIP_ICMP                   1
#define LWIP_RAW                    1   /* AT+PING */
#define LWIP_UDP                    1
#define LWIP_TCP                    1
#define LWIP_DHCP                   1
#define LWIP_DHCP_DOES_ACD_CHECK    0
#define DHCP_DOES_ARP_CHECK         0
#define LWIP_AUTOIP                 0
#define LWIP_IGMP                   0
#define LWIP_DNS                    1
#define DNS_TABLE_SIZE              4
#define DNS_MAX_NAME_LENGTH         64
#define IP_REASSEMBLY               1
#define IP_FRAG                     1
#define IP_REASS_MAX_PBUFS          8
#define MEMP_NUM_REASSDATA          2

/* ---- TCP --------------------------------------------------------------------------------------- */
#define TCP_MSS                     1460
#define TCP_SND_BUF                 (16 * 1024)
#define TCP_WND                     (16 * 1024)
#define TCP_SND_QUEUELEN            ((4 * (TCP_SND_BUF) + (TCP_MSS - 1)) / (TCP_MSS))
#define TCP_SNDLOWAT                (TCP_MSS * 2)
#define TCP_QUEUE_OOSEQ             1
#define LWIP_TCP_KEEPALIVE          1
#define TCP_KEEPIDLE_DEFAULT        60000u  /* first probe after 60 s idle (product decision) */
#define TCP_KEEPINTVL_DEFAULT       10000u
#define TCP_KEEPCNT_DEFAULT         5u
#define TCP_LISTEN_BACKLOG          0
#define LWIP_TCP_TIMESTAMPS         0

/* ---- netif ------------------------------------------------------------------------------------- */
#define LWIP_NETIF_STATUS_CALLBACK  1
#define LWIP_NETIF_LINK_CALLBACK    1
#define LWIP_NETIF_HOSTNAME         1
#define LWIP_SINGLE_NETIF           1
#define PBUF_LINK_HLEN              14
#define ETH_PAD_SIZE                0

/* ---- checksums: all in software (the EMAC's checksum offload is not used) ---------------------- */
#define CHECKSUM_GEN_IP             1
#define CHECKSUM_GEN_UDP            1
#define CHECKSUM_GEN_TCP            1
#define CHECKSUM_GEN_ICMP           1
#define CHECKSUM_CHECK_IP           1
#define CHECKSUM_CHECK_UDP          1
#define CHECKSUM_CHECK_TCP          1
#define CHECKSUM_CHECK_ICMP         1

/* ---- no statistics or debug output in the product build ---------------------------------------- */
#define LWIP_STATS                  0
#define LWIP_DEBUG                  0

#endif /* K7_NET_LWIPOPTS_H */
