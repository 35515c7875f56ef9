/*
 * The module's settings, as the user sees them through AT commands (and later the web pages and the
 * UDP setup protocol). They start as the factory defaults of the K7 profile
 * (shared/spec/k7-behaviour.md "Factory defaults"); settings_store.c keeps them in flash.
 */
#ifndef K7_APP_SETTINGS_H
#define K7_APP_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "../board/uart.h"

#define K7_NAME_MAX      16  /* module name, web user/password, search keyword: 1..15 chars + NUL */
#define K7_HOST_MAX      64  /* remote host: IP or domain name */
#define K7_PACKET_MAX    41  /* heartbeat / registration text: up to 40 chars + NUL */
#define K7_URL_MAX       101
#define K7_KEYWORD_MAX   21  /* search keyword: 1..20 chars + NUL (001 §4.12) */
#define K7_HEADER_MAX    181 /* HTTPD client header as typed ("<<CRLF>>" for a line break): 0..180 + NUL */

enum k7_flow { K7_FLOW_NONE /* RS485 direction on RTS */, K7_FLOW_HW, K7_FLOW_XONXOFF };
enum k7_sock_mode { K7_SOCK_OFF, K7_SOCK_TCP_SERVER, K7_SOCK_TCP_CLIENT, K7_SOCK_UDP_SERVER,
                    K7_SOCK_UDP_CLIENT, K7_SOCK_HTTPD_CLIENT };
enum k7_heart_type { K7_HEART_NET, K7_HEART_COM };
enum k7_reg_when { K7_REG_FIRST, K7_REG_EVERY, K7_REG_ALL };
enum k7_reg_kind { K7_REG_OFF, K7_REG_MAC, K7_REG_USR, K7_REG_CLOUD };
enum k7_http_method { K7_HTTP_GET, K7_HTTP_POST };
enum k7_web_language { K7_LANG_EN, K7_LANG_CN };

struct k7_serial_settings {
    uint32_t baud;
    uint8_t data_bits;
    uint8_t stop_bits;
    enum uart_parity parity;
    enum k7_flow flow;
    uint32_t pack_time_ms;  /* 0 = automatic (see k7_pack_time_us) */
    uint32_t pack_length;   /* 0 = automatic (1460) */
};

struct k7_socket_settings {
    enum k7_sock_mode mode;
    uint16_t local_port;
    char remote_host[K7_HOST_MAX];
    uint16_t remote_port;
};

struct k7_settings {
    /* network */
    bool dhcp;
    uint8_t ip[4], mask[4], gateway[4], dns[4];
    struct k7_socket_settings sock_a, sock_b;
    uint8_t max_clients;       /* TCP server: 1..16 */
    bool kick_oldest;          /* TCP server: KICK */
    bool user_mac_set;         /* USERMAC: user_mac replaces the factory MAC (USERREG0/1) */
    uint8_t user_mac[6];

    /* serial */
    struct k7_serial_settings serial;

    /* management */
    char module_name[K7_NAME_MAX];
    uint16_t web_port;
    char web_user[K7_NAME_MAX], web_password[K7_NAME_MAX];
    uint16_t websocket_port;
    uint16_t search_port;
    char search_keyword[K7_KEYWORD_MAX];
    enum k7_web_language web_language; /* PLANG */
    bool echo;                 /* AT command echo */
    uint32_t reset_timeout_s;  /* RSTIM */
    uint32_t socket_timeout_s; /* SOCKTON */

    /* periodic packets */
    bool heart_enable;
    enum k7_heart_type heart_type;
    uint32_t heart_time_s;
    char heart_data[K7_PACKET_MAX];
    enum k7_reg_kind reg_kind;
    enum k7_reg_when reg_when;
    char reg_data[K7_PACKET_MAX];

    /* other functions */
    bool rfc2217;
    bool short_connection;
    uint32_t short_connection_s;
    bool clear_buffer_on_connect; /* UARTCLBUF */
    bool modbus_tcp;
    bool modbus_poll;
    uint32_t modbus_poll_ms;
    bool net_print;
    bool udp_any_peer;            /* UDPON */
    enum k7_http_method http_method;
    char http_url[K7_URL_MAX];
    char http_header[K7_HEADER_MAX];
    bool http_header_filter;

    /* periodic packets: byte counts of heart_data / reg_data, which may hold raw bytes set in HEX
     * (AT+HEARTUSER / AT+REGUSER); 0 = the field is NUL-terminated ASCII text (factory, HEARTDT,
     * REGUSR). The *_hex flags only say how the query shows the data. */
    uint8_t heart_len;
    bool heart_hex;
    uint8_t reg_len;
    bool reg_hex;
    char cloud_id[21];            /* REGCLOUD: USR Cloud device ID (20 characters) */
    char cloud_password[9];       /* REGCLOUD: password (8 characters) */
};

/* Factory defaults of the K7 profile. */
void k7_settings_factory(struct k7_settings *s);

/* Force a NUL at the end of every text field (settings read from flash are never trusted further). */
void k7_settings_terminate_strings(struct k7_settings *s);

/* Line settings of the module's serial port in driver terms. */
struct uart_config k7_serial_uart_config(const struct k7_serial_settings *s);

/* One character frame (start + data + parity + stop bits) at the configured baud rate, in ns. */
uint32_t k7_byte_time_ns(const struct k7_serial_settings *s);

/* Effective pack time T: the pack time if set, else max(4 byte-times, 0.1 ms). In microseconds.
 * It is also T1, the idle guard required before "+++". */
uint32_t k7_pack_time_us(const struct k7_serial_settings *s);

/* Effective pack length L: the pack length if set, else 1460. */
uint32_t k7_pack_length(const struct k7_serial_settings *s);

#endif
