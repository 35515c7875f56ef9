/* lwIP options of the host peers (harness/net): NO_SYS raw API, one lwIP instance per process,
 * one netif per peer, IPv4 only, no loopback, no forwarding, deterministic randomness.
 * The firmware's lwIP build has its own lwipopts.h; this one never reaches the ARM image. */
#ifndef K7SIM_HOST_LWIPOPTS_H
#define K7SIM_HOST_LWIPOPTS_H

#define NO_SYS                          1
#define SYS_LIGHTWEIGHT_PROT            0
#define LWIP_TIMERS                     1
#define LWIP_SOCKET                     0
#define LWIP_NETCONN                    0

#define LWIP_IPV4                       1
#define LWIP_IPV6                       0
#define LWIP_ARP                        1
#define LWIP_ETHERNET                   1
#define LWIP_ICMP                       1
#define LWIP_RAW                        0
#define LWIP_UDP                        1
#define LWIP_TCP                        1
#define LWIP_DHCP                       0
#define LWIP_AUTOIP                     0
#define LWIP_IGMP                       0
#define LWIP_DNS                        0
#define IP_FORWARD                      0
#define IP_REASSEMBLY                   1
#define IP_FRAG                         1
#define LWIP_NETIF_LOOPBACK             0
#define LWIP_HAVE_LOOPIF                0
#define LWIP_SINGLE_NETIF               0
#define LWIP_STATS                      0
#define LWIP_NETIF_HOSTNAME             0
#define ETHARP_SUPPORT_VLAN             0
#define ETHARP_TRUST_IP_MAC             0
#define SO_REUSE                        1

/* Memory: the lwIP heap and pools (deterministic, no malloc in the data path). */
#define MEM_ALIGNMENT                   8
#define MEM_SIZE                        (4 * 1024 * 1024)
#define MEMP_NUM_PBUF                   256
#define MEMP_NUM_UDP_PCB                32
#define MEMP_NUM_TCP_PCB                64
#define MEMP_NUM_TCP_PCB_LISTEN         32
#define MEMP_NUM_TCP_SEG                1024
#define MEMP_NUM_ARP_QUEUE              64
#define PBUF_POOL_SIZE                  512
#define PBUF_POOL_BUFSIZE               1600
#define ARP_QUEUEING                    1
#define ARP_TABLE_SIZE                  32

/* TCP: a PC-like peer (MSS 1460, 64 KiB-ish window). */
#define TCP_MSS                         1460
#define TCP_WND                         (32 * TCP_MSS)
#define TCP_SND_BUF                     (32 * TCP_MSS)
#define TCP_SND_QUEUELEN                (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_QUEUE_OOSEQ                 1
#define LWIP_TCP_KEEPALIVE              1   /* keep_idle / keep_intvl / keep_cnt per connection */
#define LWIP_TCP_TIMESTAMPS             0
#define TCP_LISTEN_BACKLOG              0
#define LWIP_WND_SCALE                  0

#define LWIP_CHECKSUM_ON_COPY           0
#define LWIP_DEBUG                      0

/* Hooks (implemented in harness/net/host_stack.cpp and lwip_sys.cpp). */
#ifdef __cplusplus
extern "C" {
#endif
struct netif;
struct ip4_addr;
struct ip_addr;
unsigned int k7_lwip_rand(void);
struct netif *k7_lwip_route_src(const struct ip4_addr *src, const struct ip4_addr *dest);
unsigned int k7_lwip_tcp_isn(void);
#ifdef __cplusplus
}
#endif
#define LWIP_RAND()                                    ((u32_t)k7_lwip_rand())
#define LWIP_HOOK_IP4_ROUTE_SRC(src, dest)             k7_lwip_route_src((src), (dest))
#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport)      ((u32_t)k7_lwip_tcp_isn())

#endif /* K7SIM_HOST_LWIPOPTS_H */
