/*
 * Network AT commands over UDP (000_f07c2e1ebe076025.txt §5.3.1; k7-behaviour.md "Entering and
 * leaving AT mode": "UDP to port 48899 with the keyword (default "www.usr.cn") answers `IP,MAC,name`
 * and allows AT commands over that UDP peer for 30 s of inactivity"). Port and keyword are the
 * AT+SEARCH settings (001 §4.12) as the module started with them.
 *
 * Search: a datagram equal to the keyword (case as stored; one trailing CR, LF or CR LF tolerated)
 *   is answered to its sender, from the search port, with "<IP>,<MAC>,<name>": the interface's
 *   current IPv4 address in dotted decimal, its MAC as 12 upper-case hex digits (the AT+MAC form,
 *   001 §4.7) and the module name it started with (AT+MID), no line ending. Broadcasts count.
 * Session: the search opens a network AT session for that sender (IP and port). Another host, or
 *   another port, sending the keyword takes the session over: the newest searcher is the one
 *   configuring, and a tool that vanished cannot lock others out for 30 s.
 * Commands: while the session is open, each datagram from its peer holds one or more command lines,
 *   ended by CR, LF or CR LF; the end of the datagram also ends a line. They run through the serial
 *   AT interpreter (at.h: same commands, replies and error codes, settings saved the same way),
 *   without echo. The replies of one datagram go back as one datagram (a reply datagram holds at
 *   most NET_AT_REPLY_MAX bytes; a long batch is answered in several). AT+ENTM ends the session
 *   after its reply; AT+Z / AT+RELD restart the module once the reply frame has left the EMAC;
 *   lines after them, in the same datagram or in datagrams already queued behind it, do not run.
 * Timeout: 30 s (NET_AT_IDLE_US) after the peer's last datagram the session is over: its lines are
 *   ignored (no reply) until it sends the keyword again. A datagram at 29.9 s is still in time.
 * Datagrams from anyone else are ignored. The serial side does not notice any of this.
 */
#ifndef K7_NET_NET_AT_H
#define K7_NET_NET_AT_H

#include <stdbool.h>

#include "../app/settings.h"

#define NET_AT_IDLE_US   30000000u /* §5.3.1: no command for 30 s ends the network AT mode */
#define NET_AT_REPLY_MAX 1024u     /* replies collected before a datagram is sent */

/* Bind the search port (lwIP must be up: after a successful net_init()). Commands change
 * `settings` (the running copy shared with the serial AT mode); `version` is the AT+VER value. */
void net_at_start(struct k7_settings *settings, const char *version);

/* Run received command datagrams, end an idle session, restart after AT+Z. From the main loop,
 * after net_poll() (never from inside it). */
void net_at_poll(void);

/* True when net_at_poll() has something to do now. */
bool net_at_has_work(void);

#endif /* K7_NET_NET_AT_H */
