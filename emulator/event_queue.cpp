#include "emulator/event_queue.h"

namespace k7sim {

EventId EventQueue::schedule_at(Cycles at, Callback fn) {
  if (at < now_) at = now_;
  const EventId id = ++seq_;
  heap_.push(Entry{at, seq_, id});
  callbacks_.emplace(id, std::move(fn));
  return id;
}

void EventQueue::cancel(EventId id) { callbacks_.erase(id); }

void EventQueue::drop_cancelled_front() {
  while (!heap_.empty() && callbacks_.find(heap_.top().id) == callbacks_.end()) heap_.pop();
}

Cycles EventQueue::next_time() {
  drop_cancelled_front();
  return heap_.empty() ? kNever : heap_.top().at;
}

void EventQueue::run_until(Cycles t) {
  for (;;) {
    drop_cancelled_front();
    if (heap_.empty() || heap_.top().at > t) break;
    const Entry e = heap_.top();
    heap_.pop();
    auto it = callbacks_.find(e.id);
    Callback fn = std::move(it->second);
    callbacks_.erase(it);
    if (e.at > now_) now_ = e.at;
    fn();
  }
  advance_to(t);
}

void EventQueue::clear() {
  heap_ = {};
  callbacks_.clear();
}

}  // namespace k7sim
