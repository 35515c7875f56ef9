#include "harness/net/host_stack.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "harness/net/lwip_glue/lwip_reset.h"
#include "harness/net/lwip_sys.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"
#include "netif/ethernet.h"

// lwIP spells tcp_listen() as a macro; HostStack has a member of that name.
#undef tcp_listen

namespace k7sim {

const char* tcp_state_name(TcpState s) {
  switch (s) {
    case TcpState::kConnecting: return "connecting";
    case TcpState::kConnected: return "connected";
    case TcpState::kClosed: return "closed";
    case TcpState::kReset: return "reset";
    case TcpState::kError: return "error";
  }
  return "?";
}

namespace {

// A TCP connection as seen from one peer: its address, port, the other side's address and port.
struct Tuple {
  std::uint32_t local_ip, remote_ip;  // host order
  std::uint16_t local_port, remote_port;
  bool operator==(const Tuple&) const = default;
};

std::uint32_t rd32be(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
std::uint16_t rd16be(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }

// Source/destination of a TCP-over-IPv4 Ethernet frame (false for anything else).
bool tcp_endpoints(const std::vector<std::uint8_t>& f, std::uint32_t& sip, std::uint16_t& sport,
                   std::uint32_t& dip, std::uint16_t& dport) {
  if (f.size() < 14 + 20 || f[12] != 0x08 || f[13] != 0x00) return false;
  const std::uint8_t* ip = f.data() + 14;
  const std::size_t ihl = static_cast<std::size_t>(ip[0] & 0x0f) * 4;
  if ((ip[0] >> 4) != 4 || ip[9] != 6 || ihl < 20 || f.size() < 14 + ihl + 4) return false;
  sip = rd32be(ip + 12);
  dip = rd32be(ip + 16);
  sport = rd16be(ip + ihl);
  dport = rd16be(ip + ihl + 2);
  return true;
}

ip_addr_t to_lwip(Ipv4 a) {
  ip_addr_t r;
  IP_ADDR4(&r, (a.value >> 24) & 0xff, (a.value >> 16) & 0xff, (a.value >> 8) & 0xff, a.value & 0xff);
  return r;
}
Ipv4 from_lwip(const ip_addr_t* a) { return Ipv4{lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(a)))}; }

}  // namespace

struct HostStack::Impl {
  struct Peer {
    std::string name;
    Ipv4 ip;
    MacAddress mac{};
    int port = -1;
    netif nif{};
    std::vector<Tuple> vanished;
    std::function<bool(const std::vector<std::uint8_t>&)> tap;
  };

  HostStack& hs;
  std::vector<std::unique_ptr<Peer>> peers;
  std::vector<tcp_pcb*> conn_pcb;
  std::vector<bool> close_requested;
  std::vector<tcp_pcb*> listen_pcb;
  std::vector<int> listen_peer;
  std::vector<udp_pcb*> udp_pcb_;
  EventId timer_event = kNoEvent;
  Cycles timer_at = kNever;
  bool tearing_down = false;

  static Impl* instance;

  explicit Impl(HostStack& h) : hs(h) {}

  void activity() {
    if (hs.on_activity_) hs.on_activity_();
  }

  // Keep one EventQueue event at lwIP's next timeout.
  void kick() {
    if (tearing_down) return;
    const u32_t sleep = sys_timeouts_sleeptime();
    Cycles at = kNever;
    if (sleep != SYS_TIMEOUTS_SLEEPTIME_INFINITE)
      at = ticks_from_ms(std::uint64_t{net_detail::lwip_now_ms()} + sleep);
    if (at < hs.q_.now()) at = hs.q_.now();
    if (at == timer_at && timer_event != kNoEvent) return;
    hs.q_.cancel(timer_event);
    timer_event = kNoEvent;
    timer_at = at;
    if (at == kNever) return;
    timer_event = hs.q_.schedule_at(at, [this]() {
      timer_event = kNoEvent;
      timer_at = kNever;
      sys_check_timeouts();
      pump_all();
      kick();
    });
  }

  // ---- netif ----------------------------------------------------------------------------------

  static err_t netif_init_cb(netif* n) {
    Peer* p = static_cast<Peer*>(n->state);
    n->hwaddr_len = ETH_HWADDR_LEN;
    std::memcpy(n->hwaddr, p->mac.data(), 6);
    n->mtu = 1500;
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    n->output = etharp_output;
    n->linkoutput = linkoutput_cb;
    n->name[0] = 'k';
    n->name[1] = '7';
    return ERR_OK;
  }

  static bool is_vanished(const Peer& p, const Tuple& t) {
    return std::find(p.vanished.begin(), p.vanished.end(), t) != p.vanished.end();
  }

  static err_t linkoutput_cb(netif* n, pbuf* pb) {
    Impl* self = instance;
    if (!self || self->tearing_down) return ERR_OK;
    Peer* p = static_cast<Peer*>(n->state);
    std::vector<std::uint8_t> frame(pb->tot_len);
    pbuf_copy_partial(pb, frame.data(), pb->tot_len, 0);
    if (frame.size() < 60) frame.resize(60, 0);  // the MAC pads short frames
    std::uint32_t sip, dip;
    std::uint16_t sport, dport;
    if (!p->vanished.empty() && tcp_endpoints(frame, sip, sport, dip, dport) &&
        is_vanished(*p, Tuple{sip, dip, sport, dport}))
      return ERR_OK;
    self->hs.seg_.send(p->port, std::move(frame));
    return ERR_OK;
  }

  void frame_in(Peer& p, const std::vector<std::uint8_t>& frame) {
    if (tearing_down || frame.size() < 14) return;
    const bool group = frame[0] & 1;
    if (!group && !std::equal(p.mac.begin(), p.mac.end(), frame.begin())) return;  // not ours
    std::uint32_t sip, dip;
    std::uint16_t sport, dport;
    if (!p.vanished.empty() && tcp_endpoints(frame, sip, sport, dip, dport) &&
        is_vanished(p, Tuple{dip, sip, dport, sport}))
      return;
    if (p.tap && p.tap(frame)) {
      kick();
      return;
    }
    // One PBUF_RAM pbuf per frame: each received TCP segment stays one pbuf up to the recv callback.
    pbuf* pb = pbuf_alloc(PBUF_RAW, static_cast<u16_t>(frame.size()), PBUF_RAM);
    if (!pb) return;
    pbuf_take(pb, frame.data(), static_cast<u16_t>(frame.size()));
    if (p.nif.input(pb, &p.nif) != ERR_OK) pbuf_free(pb);
    pump_all();
    kick();
  }

  // ---- TCP ------------------------------------------------------------------------------------

  static int id_of(void* arg) { return static_cast<int>(reinterpret_cast<std::intptr_t>(arg)); }
  static void* arg_of(int id) { return reinterpret_cast<void*>(static_cast<std::intptr_t>(id)); }

  void attach(tcp_pcb* pcb, int id) {
    tcp_nagle_disable(pcb);  // a scenario's tcp.send goes out now (TCP_NODELAY)
    tcp_arg(pcb, arg_of(id));
    tcp_recv(pcb, recv_cb);
    tcp_sent(pcb, sent_cb);
    tcp_err(pcb, err_cb);
    tcp_poll(pcb, poll_cb, 2);
  }

  // A TCP pcb bound to the peer's address and netif (so its traffic leaves through that peer);
  // nullptr with *error set when the peer is unknown, lwIP is out of pcbs or the port is taken.
  tcp_pcb* bound_pcb(int peer, std::uint16_t port, const char* port_taken, std::string* error) {
    auto fail = [&](const char* why) -> tcp_pcb* {
      if (error) *error = why;
      return nullptr;
    };
    if (peer < 0 || static_cast<std::size_t>(peer) >= peers.size()) return fail("unknown peer");
    Peer& p = *peers[static_cast<std::size_t>(peer)];
    tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (!pcb) return fail("lwIP: out of TCP pcbs");
    ip_set_option(pcb, SOF_REUSEADDR);
    tcp_bind_netif(pcb, &p.nif);
    ip_addr_t lip = to_lwip(p.ip);
    if (tcp_bind(pcb, &lip, port) != ERR_OK) {
      tcp_abort(pcb);
      return fail(port_taken);
    }
    return pcb;
  }

  int new_conn(int peer) {
    auto info = std::make_unique<TcpConnInfo>();
    info->peer = peer;
    hs.conns_.push_back(std::move(info));
    conn_pcb.push_back(nullptr);
    close_requested.push_back(false);
    return static_cast<int>(hs.conns_.size() - 1);
  }

  void pump(int id) {
    tcp_pcb* pcb = conn_pcb[static_cast<std::size_t>(id)];
    if (!pcb) return;
    TcpConnInfo& c = *hs.conns_[static_cast<std::size_t>(id)];
    if (pcb->state != ESTABLISHED && pcb->state != CLOSE_WAIT) return;
    std::vector<std::uint8_t> chunk;
    bool wrote = false;
    while (!c.pending.empty()) {
      std::size_t n = std::min<std::size_t>({c.pending.size(), tcp_sndbuf(pcb), 0xffff});
      if (n == 0 || tcp_sndqueuelen(pcb) >= TCP_SND_QUEUELEN - 1) break;
      chunk.assign(c.pending.begin(), c.pending.begin() + static_cast<std::ptrdiff_t>(n));
      const u8_t flags = TCP_WRITE_FLAG_COPY | (n < c.pending.size() ? TCP_WRITE_FLAG_MORE : 0);
      if (tcp_write(pcb, chunk.data(), static_cast<u16_t>(n), flags) != ERR_OK) break;
      c.pending.erase(c.pending.begin(), c.pending.begin() + static_cast<std::ptrdiff_t>(n));
      c.bytes_sent += n;
      wrote = true;
    }
    if (wrote) tcp_output(pcb);
    if (close_requested[static_cast<std::size_t>(id)] && c.pending.empty()) {
      tcp_recv(pcb, nullptr);
      tcp_sent(pcb, nullptr);
      tcp_poll(pcb, nullptr, 0);
      if (::tcp_close(pcb) == ERR_OK) {
        tcp_err(pcb, nullptr);
        conn_pcb[static_cast<std::size_t>(id)] = nullptr;
      } else {
        tcp_recv(pcb, recv_cb);  // retried from the poll callback
        tcp_sent(pcb, sent_cb);
        tcp_poll(pcb, poll_cb, 2);
      }
    }
  }

  void pump_all() {
    for (std::size_t i = 0; i < conn_pcb.size(); ++i)
      if (conn_pcb[i]) pump(static_cast<int>(i));
  }

  static err_t connected_cb(void* arg, tcp_pcb*, err_t) {
    Impl* self = instance;
    TcpConnInfo& c = *self->hs.conns_[static_cast<std::size_t>(id_of(arg))];
    c.state = TcpState::kConnected;
    c.connected_at = self->hs.q_.now();
    self->pump(id_of(arg));
    self->activity();
    return ERR_OK;
  }

  static err_t recv_cb(void* arg, tcp_pcb* pcb, pbuf* p, err_t err) {
    Impl* self = instance;
    const int id = id_of(arg);
    TcpConnInfo& c = *self->hs.conns_[static_cast<std::size_t>(id)];
    if (!p) {  // FIN: behave like a typical client and close our half once our data is out
      c.fin_received = true;
      if (c.state == TcpState::kConnected || c.state == TcpState::kConnecting) {
        c.state = TcpState::kClosed;
        c.closed_at = self->hs.q_.now();
      }
      self->close_requested[static_cast<std::size_t>(id)] = true;
      self->pump(id);
      self->activity();
      return ERR_OK;
    }
    if (err != ERR_OK) {
      pbuf_free(p);
      return ERR_OK;
    }
    const Cycles now = self->hs.q_.now();
    for (pbuf* q = p; q; q = q->next) {
      if (q->len == 0) continue;
      const auto* b = static_cast<const std::uint8_t*>(q->payload);
      c.segments.push_back(TcpRxSegment{now, std::vector<std::uint8_t>(b, b + q->len)});
      c.rx.insert(c.rx.end(), b, b + q->len);
    }
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    self->activity();
    return ERR_OK;
  }

  static err_t sent_cb(void* arg, tcp_pcb*, u16_t len) {
    Impl* self = instance;
    self->hs.conns_[static_cast<std::size_t>(id_of(arg))]->bytes_acked += len;
    self->pump(id_of(arg));
    return ERR_OK;
  }

  static err_t poll_cb(void* arg, tcp_pcb*) {
    instance->pump(id_of(arg));
    return ERR_OK;
  }

  static void err_cb(void* arg, err_t err) {
    Impl* self = instance;
    if (!self || self->tearing_down) return;
    const int id = id_of(arg);
    self->conn_pcb[static_cast<std::size_t>(id)] = nullptr;
    TcpConnInfo& c = *self->hs.conns_[static_cast<std::size_t>(id)];
    if (err == ERR_RST) {
      c.state = TcpState::kReset;
    } else if (err == ERR_CLSD) {
      if (c.state != TcpState::kReset) c.state = TcpState::kClosed;
    } else if (c.state == TcpState::kConnecting || c.state == TcpState::kConnected) {
      c.state = TcpState::kError;
    }
    c.closed_at = self->hs.q_.now();
    self->activity();
  }

  static err_t accept_cb(void* arg, tcp_pcb* npcb, err_t err) {
    Impl* self = instance;
    if (err != ERR_OK || !npcb) return ERR_VAL;
    const int lid = id_of(arg);
    const int id = self->new_conn(self->listen_peer[static_cast<std::size_t>(lid)]);
    TcpConnInfo& c = *self->hs.conns_[static_cast<std::size_t>(id)];
    c.listener = lid;
    c.local_port = npcb->local_port;
    c.remote_ip = from_lwip(&npcb->remote_ip);
    c.remote_port = npcb->remote_port;
    c.state = TcpState::kConnected;
    c.connected_at = self->hs.q_.now();
    self->conn_pcb[static_cast<std::size_t>(id)] = npcb;
    self->attach(npcb, id);
    self->hs.accepted_[static_cast<std::size_t>(lid)].push_back(id);
    if (self->hs.on_accept_) self->hs.on_accept_(lid, id);
    self->activity();
    return ERR_OK;
  }

  // ---- UDP ------------------------------------------------------------------------------------

  static void udp_recv_cb(void* arg, udp_pcb*, pbuf* p, const ip_addr_t* addr, u16_t port) {
    Impl* self = instance;
    UdpSocketInfo& s = *self->hs.socks_[static_cast<std::size_t>(id_of(arg))];
    UdpDatagram d;
    d.at = self->hs.q_.now();
    d.src_ip = from_lwip(addr);
    d.src_port = port;
    d.dst_ip = from_lwip(ip_current_dest_addr());
    d.bytes.resize(p->tot_len);
    pbuf_copy_partial(p, d.bytes.data(), p->tot_len, 0);
    pbuf_free(p);
    s.rx.push_back(std::move(d));
    const int id = id_of(arg);
    if (static_cast<std::size_t>(id) < self->hs.udp_handlers_.size() && self->hs.udp_handlers_[static_cast<std::size_t>(id)])
      self->hs.udp_handlers_[static_cast<std::size_t>(id)](s.rx.back());
    self->activity();
  }

  // ---- teardown -------------------------------------------------------------------------------

  void teardown() {
    tearing_down = true;
    hs.q_.cancel(timer_event);
    timer_event = kNoEvent;
    for (tcp_pcb*& pcb : conn_pcb)
      if (pcb) {
        tcp_err(pcb, nullptr);
        tcp_abort(pcb);
        pcb = nullptr;
      }
    for (tcp_pcb* l : listen_pcb)
      if (l) ::tcp_close(l);
    for (udp_pcb* u : udp_pcb_)
      if (u) udp_remove(u);
    // Connections lwIP still owns (closing, TIME-WAIT): drop them silently.
    while (tcp_active_pcbs) {
      tcp_err(tcp_active_pcbs, nullptr);
      tcp_abort(tcp_active_pcbs);
    }
    while (tcp_tw_pcbs) tcp_abort(tcp_tw_pcbs);
    while (tcp_bound_pcbs) ::tcp_close(tcp_bound_pcbs);
    for (auto& p : peers) netif_remove(&p->nif);
    reset_lwip_statics();
  }

  static void reset_lwip_statics() {
    k7_lwip_reset_timeouts();
    k7_lwip_reset_tcp();
    k7_lwip_reset_ip4();
    k7_lwip_reset_ip4_frag();
    k7_lwip_reset_etharp();
    k7_lwip_reset_netif();
  }
};

HostStack::Impl* HostStack::Impl::instance = nullptr;

}  // namespace k7sim

extern "C" struct netif* k7_lwip_route_src(const struct ip4_addr* src, const struct ip4_addr*) {
  k7sim::HostStack::Impl* self = k7sim::HostStack::Impl::instance;
  if (!self || !src) return nullptr;
  for (auto& p : self->peers)
    if (ip4_addr_cmp(netif_ip4_addr(&p->nif), src) && netif_is_up(&p->nif)) return &p->nif;
  return nullptr;
}

namespace k7sim {

HostStack::HostStack(EventQueue& queue, Segment& segment, std::uint64_t seed)
    : impl_(std::make_unique<Impl>(*this)), q_(queue), seg_(segment) {
  if (Impl::instance) {
    std::fprintf(stderr, "k7sim: only one HostStack (lwIP instance) per process at a time\n");
    std::abort();
  }
  Impl::instance = impl_.get();
  net_detail::bind_lwip_platform(&q_, seed);
  Impl::reset_lwip_statics();
  lwip_init();
  impl_->kick();
}

HostStack::~HostStack() {
  impl_->teardown();
  Impl::instance = nullptr;
  net_detail::bind_lwip_platform(nullptr, 0);
}

int HostStack::add_peer(const std::string& name, Ipv4 ip, unsigned prefix, MacAddress mac) {
  if (prefix > 32 || find_peer(name) >= 0) return -1;
  auto peer = std::make_unique<Impl::Peer>();
  peer->name = name;
  peer->ip = ip;
  peer->mac = mac;
  Impl::Peer* raw = peer.get();
  peer->port = seg_.add_port(name, [this, raw](const std::vector<std::uint8_t>& f) { impl_->frame_in(*raw, f); });
  const std::uint32_t mask_h = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  ip4_addr_t a, m, gw;
  ip4_addr_set_u32(&a, lwip_htonl(ip.value));
  ip4_addr_set_u32(&m, lwip_htonl(mask_h));
  ip4_addr_set_zero(&gw);
  if (!netif_add(&peer->nif, &a, &m, &gw, raw, Impl::netif_init_cb, ethernet_input)) return -1;
  netif_set_up(&peer->nif);
  netif_set_link_up(&peer->nif);
  impl_->peers.push_back(std::move(peer));
  impl_->kick();
  return static_cast<int>(impl_->peers.size() - 1);
}

int HostStack::peer_port(int peer) const { return impl_->peers.at(static_cast<std::size_t>(peer))->port; }
Ipv4 HostStack::peer_ip(int peer) const { return impl_->peers.at(static_cast<std::size_t>(peer))->ip; }
int HostStack::find_peer(const std::string& name) const {
  for (std::size_t i = 0; i < impl_->peers.size(); ++i)
    if (impl_->peers[i]->name == name) return static_cast<int>(i);
  return -1;
}

int HostStack::tcp_connect(int peer, Ipv4 dst_ip, std::uint16_t dst_port, std::uint16_t local_port,
                           std::string* error) {
  tcp_pcb* pcb = impl_->bound_pcb(peer, local_port, "local port in use", error);
  if (!pcb) return -1;
  const int id = impl_->new_conn(peer);
  TcpConnInfo& c = *conns_[static_cast<std::size_t>(id)];
  c.local_port = pcb->local_port;
  c.remote_ip = dst_ip;
  c.remote_port = dst_port;
  impl_->conn_pcb[static_cast<std::size_t>(id)] = pcb;
  impl_->attach(pcb, id);
  ip_addr_t dip = to_lwip(dst_ip);
  if (::tcp_connect(pcb, &dip, dst_port, Impl::connected_cb) != ERR_OK) {
    tcp_err(pcb, nullptr);
    tcp_abort(pcb);
    impl_->conn_pcb[static_cast<std::size_t>(id)] = nullptr;
    c.state = TcpState::kError;
    if (error) *error = "lwIP: tcp_connect failed";
  }
  impl_->kick();
  return id;
}

int HostStack::tcp_listen(int peer, std::uint16_t port, std::string* error) {
  tcp_pcb* pcb = impl_->bound_pcb(peer, port, "port in use", error);
  if (!pcb) return -1;
  tcp_pcb* lpcb = tcp_listen_with_backlog(pcb, TCP_DEFAULT_LISTEN_BACKLOG);
  if (!lpcb) {
    tcp_abort(pcb);
    if (error) *error = "lwIP: tcp_listen failed";
    return -1;
  }
  const int lid = static_cast<int>(impl_->listen_pcb.size());
  impl_->listen_pcb.push_back(lpcb);
  impl_->listen_peer.push_back(peer);
  accepted_.emplace_back();
  tcp_arg(lpcb, Impl::arg_of(lid));
  tcp_accept(lpcb, Impl::accept_cb);
  impl_->kick();
  return lid;
}

const std::vector<int>& HostStack::accepted(int listener) const {
  return accepted_.at(static_cast<std::size_t>(listener));
}

void HostStack::tcp_send(int conn, const std::vector<std::uint8_t>& bytes) {
  TcpConnInfo& c = *conns_.at(static_cast<std::size_t>(conn));
  if (c.local_closed) return;
  c.pending.insert(c.pending.end(), bytes.begin(), bytes.end());
  impl_->pump(conn);
  impl_->kick();
}

void HostStack::tcp_close(int conn) {
  TcpConnInfo& c = *conns_.at(static_cast<std::size_t>(conn));
  c.local_closed = true;
  tcp_pcb* pcb = impl_->conn_pcb[static_cast<std::size_t>(conn)];
  if (pcb && pcb->state != ESTABLISHED && pcb->state != CLOSE_WAIT) {
    // Not connected (yet): nothing to flush.
    c.pending.clear();
    tcp_err(pcb, nullptr);
    if (::tcp_close(pcb) != ERR_OK) tcp_abort(pcb);
    impl_->conn_pcb[static_cast<std::size_t>(conn)] = nullptr;
  } else {
    impl_->close_requested[static_cast<std::size_t>(conn)] = true;
    impl_->pump(conn);
  }
  impl_->kick();
}

void HostStack::tcp_reset(int conn) {
  TcpConnInfo& c = *conns_.at(static_cast<std::size_t>(conn));
  c.local_closed = true;
  c.pending.clear();
  if (tcp_pcb* pcb = impl_->conn_pcb[static_cast<std::size_t>(conn)]) {
    tcp_err(pcb, nullptr);
    tcp_abort(pcb);
    impl_->conn_pcb[static_cast<std::size_t>(conn)] = nullptr;
  }
  impl_->kick();
}

void HostStack::tcp_vanish(int conn) {
  TcpConnInfo& c = *conns_.at(static_cast<std::size_t>(conn));
  Impl::Peer& p = *impl_->peers[static_cast<std::size_t>(c.peer)];
  c.local_closed = true;
  c.vanished = true;
  c.pending.clear();
  p.vanished.push_back(Tuple{p.ip.value, c.remote_ip.value, c.local_port, c.remote_port});
  if (tcp_pcb* pcb = impl_->conn_pcb[static_cast<std::size_t>(conn)]) {
    tcp_err(pcb, nullptr);
    tcp_abort(pcb);  // its RST is swallowed by the filter above
    impl_->conn_pcb[static_cast<std::size_t>(conn)] = nullptr;
  }
  impl_->kick();
}

void HostStack::tcp_keepalive(int conn, Cycles idle, Cycles interval, unsigned count) {
  tcp_pcb* pcb = impl_->conn_pcb.at(static_cast<std::size_t>(conn));
  if (!pcb) return;
  ip_set_option(pcb, SOF_KEEPALIVE);
  pcb->keep_idle = static_cast<u32_t>(idle / (kTickHz / 1000));
  pcb->keep_intvl = static_cast<u32_t>(interval / (kTickHz / 1000));
  pcb->keep_cnt = count;
  impl_->kick();
}

int HostStack::udp_bind(int peer, std::uint16_t port, std::string* error) {
  auto fail = [&](const char* why) {
    if (error) *error = why;
    return -1;
  };
  if (peer < 0 || static_cast<std::size_t>(peer) >= impl_->peers.size()) return fail("unknown peer");
  Impl::Peer& p = *impl_->peers[static_cast<std::size_t>(peer)];
  udp_pcb* pcb = udp_new_ip_type(IPADDR_TYPE_V4);
  if (!pcb) return fail("lwIP: out of UDP pcbs");
  ip_set_option(pcb, SOF_REUSEADDR | SOF_BROADCAST);
  udp_bind_netif(pcb, &p.nif);
  ip_addr_t lip = to_lwip(p.ip);
  if (::udp_bind(pcb, &lip, port) != ERR_OK) {
    udp_remove(pcb);
    return fail("port in use");
  }
  const int id = static_cast<int>(socks_.size());
  auto info = std::make_unique<UdpSocketInfo>();
  info->peer = peer;
  info->port = pcb->local_port;
  socks_.push_back(std::move(info));
  impl_->udp_pcb_.push_back(pcb);
  udp_recv(pcb, Impl::udp_recv_cb, Impl::arg_of(id));
  impl_->kick();
  return id;
}

void HostStack::resync_timers() {
  impl_->timer_event = kNoEvent;
  impl_->timer_at = kNever;
  impl_->kick();
}

void HostStack::set_frame_tap(int peer, std::function<bool(const std::vector<std::uint8_t>&)> fn) {
  impl_->peers.at(static_cast<std::size_t>(peer))->tap = std::move(fn);
}

void HostStack::set_udp_handler(int sock, std::function<void(const UdpDatagram&)> fn) {
  if (sock < 0 || static_cast<std::size_t>(sock) >= socks_.size()) return;
  if (udp_handlers_.size() <= static_cast<std::size_t>(sock)) udp_handlers_.resize(static_cast<std::size_t>(sock) + 1);
  udp_handlers_[static_cast<std::size_t>(sock)] = std::move(fn);
}

bool HostStack::udp_send(int sock, Ipv4 dst_ip, std::uint16_t dst_port, const std::vector<std::uint8_t>& bytes) {
  udp_pcb* pcb = impl_->udp_pcb_.at(static_cast<std::size_t>(sock));
  if (bytes.size() > 65507) return false;
  pbuf* p = pbuf_alloc(PBUF_TRANSPORT, static_cast<u16_t>(bytes.size()), PBUF_RAM);
  if (!p) return false;
  pbuf_take(p, bytes.data(), static_cast<u16_t>(bytes.size()));
  ip_addr_t dip = to_lwip(dst_ip);
  const err_t err = udp_sendto(pcb, p, &dip, dst_port);
  pbuf_free(p);
  impl_->kick();
  return err == ERR_OK;
}

}  // namespace k7sim
