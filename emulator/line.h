// A digital wire between models: interrupt request lines, module pins, reset lines.
// Models never call into each other; one side drives a Line, the other observes it.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace k7sim {

class Line {
 public:
  using Observer = std::function<void(bool level)>;

  explicit Line(std::string name = {}, bool level = false) : name_(std::move(name)), level_(level) {}
  Line(const Line&) = delete;
  Line& operator=(const Line&) = delete;

  const std::string& name() const { return name_; }
  bool level() const { return level_; }
  // Drive a new level; observers run only on a change, in the order they subscribed.
  void set(bool level) {
    if (level == level_) return;
    level_ = level;
    for (auto& o : observers_) o(level_);
  }
  void on_change(Observer o) { observers_.push_back(std::move(o)); }

 private:
  std::string name_;
  bool level_;
  std::vector<Observer> observers_;
};

}  // namespace k7sim
