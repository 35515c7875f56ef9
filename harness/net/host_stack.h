// The host peers of a scenario: one lwIP 2.1.3 instance (raw API, NO_SYS=1) with one netif per
// peer, each netif on its own port of the virtual Segment.
//
// lwIP keeps its state in globals, so there is at most ONE HostStack alive per process (the
// constructor aborts otherwise). The runner executes one scenario per process (`--jobs N` forks
// one process per scenario), so each run starts from a fresh lwIP. Running scenarios one after
// the other in one process also works: the destructor tears lwIP down and the constructor resets
// every file-scope variable of the lwIP build (harness/net/lwip_glue) before lwip_init(), so
// the same seed gives byte-identical frames in the first or the tenth instance of a process.
//
// Time: sys_now() is the virtual clock in ms (truncated); lwIP's timers are driven by one event on
// the EventQueue at the next timeout (sys_timeouts_sleeptime), rescheduled after every call into
// lwIP. Randomness (ephemeral ports, TCP ISNs) comes from a std::mt19937 seeded with the seed.
// Routing: a source-address hook sends every packet out of the netif whose IP is its source; TCP
// and UDP pcbs are bound to the peer's IP and netif. Loopback and IP forwarding are off.
//
// Everything is non-blocking and event driven; ids are small integers (the runner maps the
// scenario's `as:` names to them). set_on_activity() is called after anything observable changed
// (data received, state change, accept, datagram), from inside an EventQueue event.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "emulator/event_queue.h"
#include "harness/net/segment.h"
#include "harness/values.h"

namespace k7sim {

enum class TcpState { kConnecting, kConnected, kClosed, kReset, kError };
const char* tcp_state_name(TcpState s);

struct TcpRxSegment {
  Cycles at = 0;                    // virtual time it was handed to the peer
  std::vector<std::uint8_t> bytes;  // payload of one received TCP segment
};

struct TcpConnInfo {
  int peer = -1;
  int listener = -1;  // >= 0 when accepted on a listener
  std::uint16_t local_port = 0;
  Ipv4 remote_ip;
  std::uint16_t remote_port = 0;
  TcpState state = TcpState::kConnecting;
  bool fin_received = false;  // the other side closed (FIN)
  bool local_closed = false;  // tcp_close / tcp_reset / tcp_vanish was called
  bool vanished = false;
  std::vector<std::uint8_t> rx;         // every byte received, in order
  std::vector<TcpRxSegment> segments;   // the same bytes with the sender's segment boundaries
  std::size_t bytes_sent = 0;           // bytes accepted by lwIP (tcp_write)
  std::size_t bytes_acked = 0;          // bytes acknowledged by the other side
  std::size_t send_pending() const { return pending.size(); }
  std::deque<std::uint8_t> pending;     // tcp_send data not yet accepted by lwIP
  Cycles connected_at = 0, closed_at = 0;
};

struct UdpDatagram {
  Cycles at = 0;
  Ipv4 src_ip;
  std::uint16_t src_port = 0;
  Ipv4 dst_ip;  // may be a broadcast address
  std::vector<std::uint8_t> bytes;
};

struct UdpSocketInfo {
  int peer = -1;
  std::uint16_t port = 0;
  std::vector<UdpDatagram> rx;
};

class HostStack {
 public:
  HostStack(EventQueue& queue, Segment& segment, std::uint64_t seed);
  ~HostStack();
  HostStack(const HostStack&) = delete;
  HostStack& operator=(const HostStack&) = delete;

  // A peer: a netif with this address on a new segment port. Returns the peer id (-1 on error).
  int add_peer(const std::string& name, Ipv4 ip, unsigned prefix, MacAddress mac);
  int peer_port(int peer) const;  // its segment port index
  Ipv4 peer_ip(int peer) const;
  int find_peer(const std::string& name) const;  // -1 when unknown

  // TCP. local_port 0 = ephemeral. Returns the connection id, -1 on error (*error says why).
  int tcp_connect(int peer, Ipv4 dst_ip, std::uint16_t dst_port, std::uint16_t local_port = 0,
                  std::string* error = nullptr);
  int tcp_listen(int peer, std::uint16_t port, std::string* error = nullptr);  // listener id
  // Accepted connections: listener id and the new connection id.
  void set_on_accept(std::function<void(int listener, int conn)> fn) { on_accept_ = std::move(fn); }
  const std::vector<int>& accepted(int listener) const;
  // Queue bytes; they go to lwIP as its send buffer allows.
  void tcp_send(int conn, const std::vector<std::uint8_t>& bytes);
  void tcp_close(int conn);   // FIN once the queued data is out
  void tcp_reset(int conn);   // RST now (tcp_abort)
  void tcp_vanish(int conn);  // silence: the peer's netif drops this connection's frames both ways
  // SO_KEEPALIVE with idle / interval times and probe count (before or after connecting).
  void tcp_keepalive(int conn, Cycles idle, Cycles interval, unsigned count);
  const TcpConnInfo& conn(int id) const { return *conns_.at(static_cast<std::size_t>(id)); }
  std::size_t conn_count() const { return conns_.size(); }

  // UDP.
  int udp_bind(int peer, std::uint16_t port, std::string* error = nullptr);  // socket id
  bool udp_send(int sock, Ipv4 dst_ip, std::uint16_t dst_port, const std::vector<std::uint8_t>& bytes);
  const UdpSocketInfo& udp(int id) const { return *socks_.at(static_cast<std::size_t>(id)); }
  // Optional per-socket handler, called for each datagram (after it was appended to rx).
  void set_udp_handler(int sock, std::function<void(const UdpDatagram&)> fn);

  // Optional raw tap on a peer's input (after the MAC filter, before lwIP): return true to consume
  // the frame. The DHCP server uses it for requests from 0.0.0.0, which lwIP's IPv4 input drops.
  void set_frame_tap(int peer, std::function<bool(const std::vector<std::uint8_t>&)> fn);

  // After EventQueue::clear() (full board reset) the timer event is gone: re-arm it.
  void resync_timers();

  void set_on_activity(std::function<void()> fn) { on_activity_ = std::move(fn); }

  struct Impl;  // lwIP-side state (host_stack.cpp)

 private:
  friend struct Impl;
  std::unique_ptr<Impl> impl_;
  EventQueue& q_;
  Segment& seg_;
  std::vector<std::unique_ptr<TcpConnInfo>> conns_;
  std::vector<std::unique_ptr<UdpSocketInfo>> socks_;
  std::vector<std::vector<int>> accepted_;
  std::vector<std::function<void(const UdpDatagram&)>> udp_handlers_;
  std::function<void(int, int)> on_accept_;
  std::function<void()> on_activity_;
};

}  // namespace k7sim
