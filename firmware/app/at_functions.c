/*
 * AT commands of the socket's functions (001 §3 "Serial port and socket / Modbus / HTTP command"):
 * RFC2217-like baud synchronisation, Modbus gateway and polling, net printing, HTTPD client. All are
 * single-port commands (NAME and NAME1), stored (K7_AT_PERSIST), in effect after the restart.
 * Formats, defaults and ranges: 001 §4.24, §4.28, §4.31..§4.33, §4.44..§4.47.
 */
#include "at_args.h"
#include "at_commands.h"

#define MODTO_MIN       200u  /* 001 §4.33: 200..9999 */
#define MODTO_MAX       9999u
#define HTPURL_MAX      100u  /* 001 §4.45: 1..100 bytes */
#define HTPHEAD_MAX     180u  /* 001 §4.46: 0..180 bytes, as typed ("<<CRLF>>" for a line break) */

static const struct k7_args_word http_methods[] = {{"GET", K7_HTTP_GET}, {"POST", K7_HTTP_POST}};
static const struct k7_args_words http_method_words = K7_ARGS_WORDS(http_methods, "GET");

K7_ARGS_ONOFF_COMMAND(rfcen, rfc2217, 0)                        /* AT+RFCEN1, 001 §4.24, default ON */
K7_ARGS_ONOFF_COMMAND(modtcp, modbus_tcp, 0)                    /* AT+MODTCP1, 001 §4.31, default OFF */
K7_ARGS_ONOFF_COMMAND(modpoll, modbus_poll, 0)                  /* AT+MODPOLL1, 001 §4.32, default OFF */
K7_ARGS_ONOFF_COMMAND(netpr, net_print, 0)                      /* AT+NETPR1, 001 §4.28, default OFF */
K7_ARGS_ONOFF_COMMAND(htpchd, http_header_filter, 0)            /* AT+HTPCHD1, 001 §4.47, default OFF */
K7_ARGS_UINT_COMMAND(modto, modbus_poll_ms, MODTO_MIN, MODTO_MAX, 0) /* AT+MODTO1, 001 §4.33: polling time */
K7_ARGS_KEYWORD_COMMAND(htptp, http_method, &http_method_words, 0)  /* AT+HTPTP1, 001 §4.44: GET or POST */
K7_ARGS_TEXT_COMMAND(htpurl, http_url, 1, HTPURL_MAX)           /* AT+HTPURL1, 001 §4.45: request URL */

/* AT+HTPHEAD1 (001 §4.46, §5.3.5 24): request header, 0..180 printable characters kept as typed;
 * "<<CRLF>>" stands for a line break and is turned into CR LF by the HTTPD client when it sends. */
K7_ARGS_TEXT_COMMAND(htphead, http_header, 0, HTPHEAD_MAX)

#define PORT_SETTING (K7_AT_PORT_SUFFIX | K7_AT_PERSIST)

static const struct k7_at_command function_commands[] = {
    {"RFCEN", PORT_SETTING, rfcen_query, rfcen_set},
    {"MODTCP", PORT_SETTING, modtcp_query, modtcp_set},
    {"MODPOLL", PORT_SETTING, modpoll_query, modpoll_set},
    {"MODTO", PORT_SETTING, modto_query, modto_set},
    {"NETPR", PORT_SETTING, netpr_query, netpr_set},
    {"HTPTP", PORT_SETTING, htptp_query, htptp_set},
    {"HTPURL", PORT_SETTING, htpurl_query, htpurl_set},
    {"HTPHEAD", PORT_SETTING, htphead_query, htphead_set},
    {"HTPCHD", PORT_SETTING, htpchd_query, htpchd_set},
};

const struct k7_at_table k7_at_function_table = {function_commands,
                                                 sizeof function_commands / sizeof function_commands[0]};
