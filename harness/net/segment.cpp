#include "harness/net/segment.h"

#include <algorithm>

namespace k7sim {

Cycles wire_time(std::size_t len) {
  const std::uint64_t bytes = 8 + std::max<std::uint64_t>(len + 4, 64);
  const std::uint64_t ns = bytes * 8 * 10;
  return (ns * (kTickHz / 1'000'000) + 500) / 1000;  // rounded to the nearest tick
}

Segment::Segment(EventQueue& queue, std::uint64_t seed) : q_(queue), rng_(seed ^ 0x5e9e'47u), device_(*this) {
  ports_.push_back(Port{"device", nullptr});
}

int Segment::add_port(std::string name, Receiver rx) {
  ports_.push_back(Port{std::move(name), std::move(rx)});
  return static_cast<int>(ports_.size() - 1);
}

bool Segment::chance(double percent) {
  if (percent <= 0) return false;
  std::uniform_real_distribution<double> d(0.0, 100.0);
  return d(rng_) < percent;
}

void Segment::set_link(int port, bool up) { ports_.at(static_cast<std::size_t>(port)).link_up = up; }

void Segment::set_fault(const NetFault& fault, Cycles duration) {
  fault_ = fault;
  fault_until_ = q_.now() + duration;
}

void Segment::send(int port, std::vector<std::uint8_t> frame) {
  Port& p = ports_.at(static_cast<std::size_t>(port));
  const Cycles start = std::max(q_.now(), p.ingress_free);
  const Cycles end = start + wire_time(frame.size());
  p.ingress_free = end + kInterFrameGap;
  arrive(port, std::move(frame), start, end);
}

void Segment::DevicePort::transmit(const std::vector<std::uint8_t>& frame, Cycles start, Cycles end) {
  seg_.arrive(0, frame, start, end);
}

void Segment::arrive(int from, std::vector<std::uint8_t> frame, Cycles start, Cycles end) {
  SegmentFrame rec;
  rec.tick = start;
  rec.end = end;
  rec.from = from;
  rec.bytes = frame;
  const std::size_t index = log_.size();
  log_.push_back(std::move(rec));
  if (frame.size() < 14 || !ports_[static_cast<std::size_t>(from)].link_up) {
    log_[index].lost = true;
    return;
  }
  // Decide the fault now (draw order = frame order, deterministic).
  const bool faulty = start < fault_until_;
  bool lost = false, dup = false;
  Cycles delay = 0;
  if (faulty) {
    lost = chance(fault_.loss_percent);
    dup = !lost && chance(fault_.duplicate_percent);
    delay = fault_.delay;
  }
  if (lost) {
    log_[index].lost = true;
    return;
  }
  // Forwarding decision at the tick the last bit reaches the switch.
  q_.schedule_at(end + delay, [this, from, frame = std::move(frame), index, dup]() {
    std::array<std::uint8_t, 6> dst{}, src{};
    std::copy_n(frame.begin(), 6, dst.begin());
    std::copy_n(frame.begin() + 6, 6, src.begin());
    if (!(src[0] & 1)) mac_table_[src] = from;
    std::vector<int> outs;
    auto known = (dst[0] & 1) ? mac_table_.end() : mac_table_.find(dst);
    if (known != mac_table_.end()) {
      if (known->second != from) outs.push_back(known->second);
    } else {
      for (int i = 0; i < static_cast<int>(ports_.size()); ++i)
        if (i != from) outs.push_back(i);
    }
    for (int to : outs) {
      if (!ports_[static_cast<std::size_t>(to)].link_up) continue;
      log_[index].to.push_back(to);
      egress(to, frame, q_.now(), false, from);
      if (dup) egress(to, frame, q_.now(), true, from);
    }
  });
}

void Segment::egress(int to, const std::vector<std::uint8_t>& frame, Cycles ready, bool duplicate, int from) {
  Port& p = ports_[static_cast<std::size_t>(to)];
  const Cycles start = std::max(ready, p.egress_free);
  const Cycles end = start + wire_time(frame.size());
  p.egress_free = end + kInterFrameGap;
  if (duplicate) {
    SegmentFrame rec;
    rec.tick = start;
    rec.end = end;
    rec.from = from;
    rec.to = {to};
    rec.duplicate = true;
    rec.bytes = frame;
    log_.push_back(std::move(rec));
  }
  q_.schedule_at(end, [this, to, frame]() {
    Port& dst = ports_[static_cast<std::size_t>(to)];
    if (!dst.link_up || !dst.rx) return;  // cable pulled while the frame was on its way
    dst.rx(frame);
  });
}

std::vector<PcapFrame> Segment::pcap_frames() const {
  std::vector<PcapFrame> out;
  out.reserve(log_.size());
  for (const SegmentFrame& f : log_) out.push_back(PcapFrame{f.tick, f.bytes});
  std::stable_sort(out.begin(), out.end(),
                   [](const PcapFrame& a, const PcapFrame& b) { return a.tick < b.tick; });
  return out;
}

}  // namespace k7sim
