// The scheduler that owns virtual time. Models post callbacks at absolute tick times; the board's
// run loop fires them in (time, posting order) order, so two runs with the same inputs fire the
// same events at the same ticks. Cancelled events are dropped lazily when they reach the front.
#pragma once
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "emulator/time.h"

namespace k7sim {

using EventId = std::uint64_t;
inline constexpr EventId kNoEvent = 0;

class EventQueue {
 public:
  using Callback = std::function<void()>;

  Cycles now() const { return now_; }

  // Post `fn` to run at absolute time `at` (clamped to now). Returns an id for cancel().
  EventId schedule_at(Cycles at, Callback fn);
  EventId schedule_in(Cycles delay, Callback fn) { return schedule_at(now_ + delay, std::move(fn)); }
  // Cancel a pending event; harmless for kNoEvent or an event that already fired.
  void cancel(EventId id);
  // Time of the earliest pending event, kNever when none.
  Cycles next_time();
  // Cheap check for the CPU's per-block hook: may report a cancelled event's time (a spurious
  // wake-up is harmless), never a time later than the true next event.
  Cycles peek_time() const { return heap_.empty() ? kNever : heap_.top().at; }
  bool empty() { return next_time() == kNever; }

  // Advance the clock (never backwards). Only the board's run loop and the CPU cost model call this.
  void advance_to(Cycles t) {
    if (t > now_) now_ = t;
  }
  // Fire, in order, every event due at or before `t`, then leave the clock at `t`. While an event
  // runs, now() is that event's own time, so models that chain events stay exact to the tick even
  // when the CPU noticed the event a few cycles late. Events posted meanwhile for <= t fire too.
  void run_until(Cycles t);
  // Fire every event due at or before now().
  void run_due() { run_until(now_); }
  // Drop every pending event (power-off / full reset of the board).
  void clear();

 private:
  // An EventId is (posting sequence << kSlotBits) | slot: the slot finds the callback without a
  // lookup, the sequence tells a live event from a cancelled one whose slot was reused.
  static constexpr unsigned kSlotBits = 24;
  static constexpr EventId kSlotMask = (EventId{1} << kSlotBits) - 1;
  struct Entry {
    Cycles at;
    EventId id;  // its sequence part orders events posted for the same tick
    bool operator>(const Entry& o) const { return at != o.at ? at > o.at : id > o.id; }
  };
  struct Slot {
    Callback fn;
    EventId id = kNoEvent;  // kNoEvent: free
  };
  bool live(const Entry& e) const { return slots_[e.id & kSlotMask].id == e.id; }
  void release(std::uint32_t slot);
  void drop_cancelled_front();

  Cycles now_ = 0;
  std::uint64_t seq_ = 0;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
};

}  // namespace k7sim
