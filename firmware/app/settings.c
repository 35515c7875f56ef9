#include "settings.h"

#include <string.h>

#define K7_AUTO_PACK_MIN_US  100u  /* 0.1 ms floor of the automatic pack time */
#define K7_AUTO_PACK_BYTES   4u
#define K7_AUTO_PACK_LENGTH  1460u

static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void set_ip(uint8_t ip[4], uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    ip[0] = a;
    ip[1] = b;
    ip[2] = c;
    ip[3] = d;
}

void k7_settings_factory(struct k7_settings *s)
{
    memset(s, 0, sizeof *s);

    s->dhcp = false;
    set_ip(s->ip, 192, 168, 0, 7);
    set_ip(s->mask, 255, 255, 255, 0);
    set_ip(s->gateway, 192, 168, 0, 1);
    set_ip(s->dns, 192, 168, 0, 1);

    s->sock_a.mode = K7_SOCK_TCP_SERVER;
    s->sock_a.local_port = 23;
    copy_str(s->sock_a.remote_host, sizeof s->sock_a.remote_host, "192.168.0.201");
    s->sock_a.remote_port = 8234;
    /* Socket B is off; the profile gives no addresses for it, so it mirrors socket A's remote and
     * takes a random local port (0) when it is turned on. */
    s->sock_b.mode = K7_SOCK_OFF;
    s->sock_b.local_port = 0;
    copy_str(s->sock_b.remote_host, sizeof s->sock_b.remote_host, "192.168.0.201");
    s->sock_b.remote_port = 8234;
    s->max_clients = 4;
    s->kick_oldest = true;
    s->user_mac_set = false; /* the factory MAC from USERREG0/1 */

    s->serial.baud = 115200;
    s->serial.data_bits = 8;
    s->serial.stop_bits = 1;
    s->serial.parity = UART_PARITY_NONE;
    s->serial.flow = K7_FLOW_NONE;
    s->serial.pack_time_ms = 0;
    s->serial.pack_length = 0;

    copy_str(s->module_name, sizeof s->module_name, "USR-K7");
    s->web_port = 80;
    copy_str(s->web_user, sizeof s->web_user, "admin");
    copy_str(s->web_password, sizeof s->web_password, "admin");
    s->websocket_port = 6432;
    s->search_port = 48899;
    copy_str(s->search_keyword, sizeof s->search_keyword, "www.usr.cn");
    s->web_language = K7_LANG_EN;
    s->echo = true;
    s->reset_timeout_s = 3600;
    s->socket_timeout_s = 86400;

    s->heart_enable = false;
    s->heart_type = K7_HEART_NET;
    s->heart_time_s = 30;
    copy_str(s->heart_data, sizeof s->heart_data, "www.usr.cn");
    s->reg_kind = K7_REG_OFF;
    s->reg_when = K7_REG_FIRST;
    copy_str(s->reg_data, sizeof s->reg_data, "www.usr.cn");

    s->rfc2217 = true;
    s->short_connection = false;
    s->short_connection_s = 3;
    s->clear_buffer_on_connect = false;
    s->modbus_tcp = false;
    s->modbus_poll = false;
    s->modbus_poll_ms = 200;
    s->net_print = false;
    s->udp_any_peer = false;
    s->http_method = K7_HTTP_GET;
    copy_str(s->http_url, sizeof s->http_url, "/1.php?");
    copy_str(s->http_header, sizeof s->http_header, "User_Agent: Mozilla/4.0");
    s->http_header_filter = false;
}

#define TERMINATE(field) ((field)[sizeof(field) - 1] = '\0')

void k7_settings_terminate_strings(struct k7_settings *s)
{
    TERMINATE(s->sock_a.remote_host);
    TERMINATE(s->sock_b.remote_host);
    TERMINATE(s->module_name);
    TERMINATE(s->web_user);
    TERMINATE(s->web_password);
    TERMINATE(s->search_keyword);
    TERMINATE(s->heart_data);
    TERMINATE(s->reg_data);
    TERMINATE(s->http_url);
    TERMINATE(s->http_header);
    TERMINATE(s->cloud_id);
    TERMINATE(s->cloud_password);
}

struct uart_config k7_serial_uart_config(const struct k7_serial_settings *s)
{
    struct uart_config c = {
        .baud = s->baud,
        .data_bits = s->data_bits,
        .stop_bits = s->stop_bits,
        .parity = s->parity,
        .cts_flow = s->flow == K7_FLOW_HW,
        .xonxoff = s->flow == K7_FLOW_XONXOFF,
    };
    return c;
}

uint32_t k7_byte_time_ns(const struct k7_serial_settings *s)
{
    struct uart_config c = k7_serial_uart_config(s);
    if (s->baud == 0) {
        return 0;
    }
    return (uint32_t)(((uint64_t)uart_frame_bits(&c) * 1000000000u + s->baud / 2u) / s->baud);
}

uint32_t k7_pack_time_us(const struct k7_serial_settings *s)
{
    if (s->pack_time_ms > 0) {
        return s->pack_time_ms * 1000u;
    }
    uint32_t four_bytes_us = (K7_AUTO_PACK_BYTES * k7_byte_time_ns(s) + 500u) / 1000u;
    return four_bytes_us > K7_AUTO_PACK_MIN_US ? four_bytes_us : K7_AUTO_PACK_MIN_US;
}

uint32_t k7_pack_length(const struct k7_serial_settings *s)
{
    return s->pack_length > 0 ? s->pack_length : K7_AUTO_PACK_LENGTH;
}
