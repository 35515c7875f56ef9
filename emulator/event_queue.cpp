#include "emulator/event_queue.h"

namespace k7sim {

EventId EventQueue::schedule_at(Cycles at, Callback fn) {
  if (at < now_) at = now_;
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  const EventId id = (++seq_ << kSlotBits) | slot;
  slots_[slot] = Slot{std::move(fn), id};
  heap_.push(Entry{at, id});
  return id;
}

void EventQueue::release(std::uint32_t slot) {
  slots_[slot].fn = nullptr;
  slots_[slot].id = kNoEvent;
  free_slots_.push_back(slot);
}

void EventQueue::cancel(EventId id) {
  if (id == kNoEvent) return;
  const std::uint32_t slot = static_cast<std::uint32_t>(id & kSlotMask);
  if (slot < slots_.size() && slots_[slot].id == id) release(slot);
}

void EventQueue::drop_cancelled_front() {
  while (!heap_.empty() && !live(heap_.top())) heap_.pop();
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
    const std::uint32_t slot = static_cast<std::uint32_t>(e.id & kSlotMask);
    Callback fn = std::move(slots_[slot].fn);
    release(slot);
    if (e.at > now_) now_ = e.at;
    fn();
  }
  advance_to(t);
}

void EventQueue::clear() {
  heap_ = {};
  slots_.clear();
  free_slots_.clear();
}

}  // namespace k7sim
