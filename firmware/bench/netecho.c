/*
 * Bench image: the K7 board support and lwIP port (same EMAC driver, same lwipopts.h, 16 KB TCP
 * windows) with a TCP echo service (RFC 862, port 7) in place of the K7 application. It measures
 * what the emulated board's network path carries when no 115200-baud serial port is in the way
 * (bench/bench_main.cpp, net_throughput_mbps). Not a product image.
 *
 * Flow control: received data is acknowledged to lwIP (tcp_recved, which reopens the window) only
 * once it has been queued for sending back, so a fast sender is paced by the echo's send buffer.
 */
#include <string.h>

#include "../board/board.h"
#include "../board/console.h"
#include "../board/cpu.h"
#include "../net/netif_port.h"
#include "lwip/tcp.h"

#define ECHO_PORT 7

/* One echo connection at a time: the bench opens one. Data not yet queued waits as a pbuf chain. */
struct echo_conn {
    struct tcp_pcb *pcb;
    struct pbuf *pending;  /* received, not yet written back */
    uint16_t offset;       /* bytes of `pending` already written */
};

static struct echo_conn conn;

static void echo_close(void)
{
    if (conn.pending) {
        pbuf_free(conn.pending);
    }
    if (conn.pcb) {
        tcp_arg(conn.pcb, NULL);
        tcp_recv(conn.pcb, NULL);
        tcp_sent(conn.pcb, NULL);
        tcp_err(conn.pcb, NULL);
        if (tcp_close(conn.pcb) != ERR_OK) {
            tcp_abort(conn.pcb);
        }
    }
    memset(&conn, 0, sizeof conn);
}

/* Queue as much of the pending data as the send buffer takes; acknowledge what was queued. */
static void echo_push(void)
{
    uint32_t queued = 0;
    while (conn.pending) {
        uint16_t room = tcp_sndbuf(conn.pcb);
        uint16_t left = (uint16_t)(conn.pending->len - conn.offset);
        uint16_t n = left < room ? left : room;
        if (n == 0 || tcp_write(conn.pcb, (const uint8_t *)conn.pending->payload + conn.offset, n, TCP_WRITE_FLAG_COPY) != ERR_OK) {
            break;
        }
        queued += n;
        conn.offset = (uint16_t)(conn.offset + n);
        if (conn.offset == conn.pending->len) {
            struct pbuf *next = conn.pending->next;
            if (next) {
                pbuf_ref(next);
            }
            pbuf_free(conn.pending); /* frees only the head: `next` holds its own reference now */
            conn.pending = next;
            conn.offset = 0;
        }
    }
    if (queued) {
        tcp_recved(conn.pcb, (u16_t)queued);
        tcp_output(conn.pcb);
    }
}

static err_t echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    (void)arg;
    (void)pcb;
    (void)err;
    if (!p) {
        echo_close(); /* the peer closed */
        return ERR_OK;
    }
    if (conn.pending) {
        pbuf_cat(conn.pending, p);
    } else {
        conn.pending = p;
        conn.offset = 0;
    }
    echo_push();
    return ERR_OK;
}

static err_t echo_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)arg;
    (void)pcb;
    (void)len;
    echo_push();
    return ERR_OK;
}

static void echo_err(void *arg, err_t err)
{
    (void)arg;
    (void)err;
    conn.pcb = NULL; /* already freed by lwIP */
    echo_close();
}

static err_t echo_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    if (err != ERR_OK || !pcb) {
        return ERR_VAL;
    }
    if (conn.pcb) {
        return ERR_MEM; /* one connection at a time */
    }
    conn.pcb = pcb;
    tcp_nagle_disable(pcb);
    tcp_recv(pcb, echo_recv);
    tcp_sent(pcb, echo_sent);
    tcp_err(pcb, echo_err);
    console_log("echo: client connected");
    return ERR_OK;
}

int main(void)
{
    static struct board_info board;
    board_init(&board);
    board_print_banner(&board, "netecho");

    const struct netif_port_config pc = {
        .sysclk_hz = board.clock.sysclk_hz,
        .user_mac = NULL,
        .dhcp = false,
        .ip = {192, 168, 0, 7},
        .mask = {255, 255, 255, 0},
        .gateway = {192, 168, 0, 1},
        .host_name = "netecho",
    };
    if (!netif_port_init(&pc)) {
        for (;;) {
            cpu_wfi();
        }
    }
    struct tcp_pcb *listener = tcp_new();
    tcp_bind(listener, IP_ADDR_ANY, ECHO_PORT);
    listener = tcp_listen(listener);
    tcp_accept(listener, echo_accept);
    console_log("echo: TCP port %u on 192.168.0.7", ECHO_PORT);
    netif_port_start();

    for (;;) {
        netif_port_poll();
        irq_disable();
        if (!netif_port_has_work()) {
            cpu_wfi();
        }
        irq_enable();
    }
}
