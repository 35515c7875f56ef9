// The timeline: section of a scenario: every step of scenario-format.md "Steps", their common keys
// (name:, mark:, at:, within:, after:), and the checks that need the whole timeline: names made
// with `as:` exist before they are used, marks are unique and known to `measure`, and the time
// the timeline needs fits in the scenario's timeout.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include "harness/scenario_timeline.h"

namespace k7sim::detail {

namespace {

constexpr int kMaxNesting = 16;                    // parallel/repeat inside each other
constexpr std::uint64_t kMaxRepeat = 10'000'000;
constexpr std::uint64_t kMaxFlashOp = 1'000'000;
constexpr double kMaxBer = 1.0;
constexpr std::uint64_t kMaxCount = 1'000'000'000;
constexpr std::size_t kMaxSteps = 100'000;

const std::vector<std::string_view> kModifierKeys = {"name", "mark", "at", "within", "after"};

Cycles sat_add(Cycles a, Cycles b) { return a > kNever - b ? kNever : a + b; }
Cycles sat_mul(Cycles a, std::uint64_t n) {
  if (n != 0 && a > kNever / n) return kNever;
  return a * n;
}

// Where a step sits among parallel branches: (parallel step id, branch index) from the outside in.
using Path = std::vector<std::pair<int, int>>;

// True when a and b are in different branches of one parallel step (they run at the same time).
bool in_sibling_branches(const Path& a, const Path& b) {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    return a[i].first == b[i].first;
  }
  return false;
}

enum class NameKind { Conn, Listener, Udp };
const char* kind_text(NameKind k) {
  switch (k) {
    case NameKind::Conn: return "a TCP connection";
    case NameKind::Listener: return "a TCP listener";
    case NameKind::Udp: return "a UDP socket";
  }
  return "";
}

bool takes_within(StepKind k) { return is_expectation(k) && k != StepKind::ExpectNone; }

bool valid_mark_name(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  }
  return true;
}

class Timeline {
 public:
  Timeline(Reader& r, Scenario& sc) : r_(r), sc_(sc) {}

  void run(const Field& f) {
    if (f.node.IsNull()) return;  // `timeline:` with nothing: no steps
    Bound bound;
    Ctx ctx;
    sc_.timeline = parse_list(f, 0, bound, ctx);
    sc_.min_duration = bound.end;
    resolve_mark_references();
  }

 private:
  struct Ctx {
    int depth = 0;
    bool in_repeat = false;
    Path path;
  };
  // Lower bounds of the virtual time a list of steps needs: `end` honours at:, `plain` is the
  // sum of durations alone (what a later repetition of a repeat: body needs at least).
  struct Bound {
    Cycles end = 0;
    Cycles plain = 0;
  };
  struct NameDef {
    NameKind kind;
    int line;
  };
  struct MarkDef {
    int order;
    Path path;
    int line;
    bool from_name;  // <step-name>.start / .end
    int count;       // steps named alike (from_name only)
  };
  struct MarkRef {
    std::string name;
    Field field;
    int order;
    Path path;
  };

  // ---- lists and items ----

  StepList parse_list(const Field& f, Cycles start, Bound& bound, const Ctx& ctx) {
    StepList steps;
    bound.end = start;
    bound.plain = 0;
    if (!r_.expect_seq(f, "a list of steps (each line starting with '- ')")) return steps;
    for (auto it = f.node.begin(); it != f.node.end(); ++it) {
      auto step = parse_item(*it, bound, ctx);
      if (step) steps.push_back(std::move(*step));
    }
    return steps;
  }

  std::optional<Step> parse_item(const YAML::Node& item, Bound& bound, const Ctx& ctx) {
    Field item_f = make_field(item, "");
    if (++step_count_ > kMaxSteps) {  // aliases can multiply a small file into a huge tree
      if (step_count_ == kMaxSteps + 1) {
        r_.error(item_f, "more than " + std::to_string(kMaxSteps) + " steps in one scenario");
      }
      return std::nullopt;
    }
    if (!item.IsMap()) {
      r_.error(item_f, "a timeline item is one step, written as '- step: arguments' (e.g. '- wait: 10ms')");
      return std::nullopt;
    }
    struct KeyValue {
      std::string key;
      YAML::Node key_node;
      Field value;
    };
    std::vector<KeyValue> step_keys;
    std::map<std::string, Field> modifiers;
    std::vector<std::string> seen;
    for (auto it = item.begin(); it != item.end(); ++it) {
      YAML::Node k = it->first;
      if (!k.IsScalar()) {
        r_.error(k.Mark(), "a step name must be a plain word such as serial.write");
        continue;
      }
      std::string key = k.Scalar();
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        r_.error(k.Mark(), "'" + key + "' is given twice in one timeline item");
        continue;
      }
      seen.push_back(key);
      Field v = make_field(it->second, k, key);
      bool modifier = std::find(kModifierKeys.begin(), kModifierKeys.end(), key) != kModifierKeys.end();
      if (modifier && key != "mark") {
        modifiers.emplace(key, v);
      } else if (step_kind_from_name(key)) {
        step_keys.push_back(KeyValue{key, k, v});
      } else {
        std::vector<std::string_view> known;
        for (StepKind s : all_step_kinds()) known.push_back(step_name(s));
        for (auto m : kModifierKeys) known.push_back(m);
        std::string msg = "unknown step '" + key + "'";
        std::string near = suggest(key, known);
        if (!near.empty()) msg += " (did you mean '" + near + "'?)";
        r_.error(k.Mark(), msg);
        return std::nullopt;
      }
    }
    // `mark:` is the mark step when it is alone, and the mark of the step otherwise.
    if (step_keys.size() > 1) {
      for (auto it = step_keys.begin(); it != step_keys.end(); ++it) {
        if (it->key == "mark") {
          modifiers.emplace("mark", it->value);
          step_keys.erase(it);
          break;
        }
      }
    }
    if (step_keys.empty()) {
      r_.error(item_f, "this timeline item has no step (name:, at: and the like belong to a step)");
      return std::nullopt;
    }
    if (step_keys.size() > 1) {
      r_.error(step_keys[1].key_node.Mark(),
               "two steps in one timeline item: start '" + step_keys[1].key + "' on its own line with '- '");
      return std::nullopt;
    }

    Step step;
    step.kind = *step_kind_from_name(step_keys[0].key);
    step.loc = r_.loc(step_keys[0].key_node.Mark());
    Field args = step_keys[0].value;
    std::size_t errors_before = r_.error_count();
    int start_order = ++order_;

    // Common keys may also be written inside the argument mapping.
    std::optional<MapReader> map;
    if (args.node.IsMap() && takes_map(step.kind, args)) {
      map.emplace(r_, args, step_name(step.kind), allowed_keys(step.kind));
      for (const auto& e : map->entries()) {
        if (std::find(kModifierKeys.begin(), kModifierKeys.end(), e.key) == kModifierKeys.end()) continue;
        if (e.key == "name" && step.kind == StepKind::Measure) continue;  // the measurement's name
        if (modifiers.count(e.key)) {
          r_.error(e.key_node.Mark(), e.key + ": is given both next to the step and inside it");
          continue;
        }
        modifiers.emplace(e.key, e.value);
      }
    }

    // Modifiers.
    std::optional<Field> at_field;
    if (auto it = modifiers.find("name"); it != modifiers.end()) {
      auto n = r_.text(it->second, "a step name");
      if (n && n->empty()) r_.error(it->second, "name: must not be empty");
      if (n && !n->empty()) step.name = *n;
    }
    if (auto it = modifiers.find("mark"); it != modifiers.end()) {
      auto m = mark_name(it->second);
      if (m) step.mark = *m;
    }
    if (auto it = modifiers.find("at"); it != modifiers.end()) {
      step.at = dur(it->second);
      at_field = it->second;
    }
    for (const char* key : {"within", "after"}) {
      auto it = modifiers.find(key);
      if (it == modifiers.end()) continue;
      if (!takes_within(step.kind)) {
        r_.error(it->second.key_mark, std::string(key) + ": applies to expect.* steps only" +
                                      (step.kind == StepKind::ExpectNone ? " (expect.none takes during:)" : ""));
        continue;
      }
      auto d = dur(it->second);
      (std::string(key) == "within" ? step.within : step.after) = d;
    }
    if (step.within && step.after && *step.after > *step.within) {
      r_.error(modifiers.at("after"), "after: " + format_duration(*step.after) +
                                          " is later than within: " + format_duration(*step.within));
    }

    // Time: the earliest this step can start.
    Cycles t = bound.end;
    if (step.at) {
      if (!ctx.in_repeat && *step.at < t && r_.error_count() == 0) {
        r_.error(*at_field, "at: " + format_duration(*step.at) + " is earlier than this step can start (" +
                                format_duration(t) + " at the earliest)");
      }
      t = std::max(t, *step.at);
    }
    if (!step.name.empty()) define_mark(step.name + ".start", modifiers.at("name"), start_order, ctx, true);

    Cycles min_time = 0;   // the step's own duration, lower bound
    Bound inner{t, 0};     // for parallel / repeat
    bool has_inner = false;
    parse_args(step, args, map ? &*map : nullptr, ctx, start_order, t, inner, has_inner, min_time);

    if (r_.error_count() != errors_before) {
      // The step is dropped; names it made stay defined, which avoids follow-on errors.
      ++order_;
      return std::nullopt;
    }

    int end_order = ++order_;
    if (!step.name.empty()) define_mark(step.name + ".end", modifiers.at("name"), end_order, ctx, true);
    if (!step.mark.empty()) define_mark(step.mark, modifiers.at("mark"), end_order, ctx, false);

    if (has_inner) {
      bound.end = inner.end;
      bound.plain = sat_add(bound.plain, inner.plain);
    } else {
      bound.end = sat_add(t, min_time);
      bound.plain = sat_add(bound.plain, min_time);
    }
    if (bound.end > sc_.timeout && !timeout_reported_ && r_.error_count() == 0) {
      timeout_reported_ = true;
      r_.error(step_keys[0].key_node.Mark(),
               "the timeline cannot finish this step before " + format_duration(bound.end) +
                   ", later than the scenario timeout (" + format_duration(sc_.timeout) + ")");
    }
    return step;
  }

  // ---- argument shapes ----

  // Steps whose arguments are a mapping (others take a single value or a list).
  bool takes_map(StepKind k, const Field& args) const {
    switch (k) {
      case StepKind::Wait: case StepKind::Power: case StepKind::Link: case StepKind::Mark:
      case StepKind::FlashSave: case StepKind::Parallel:
        return false;
      case StepKind::SerialWrite: case StepKind::ExpectSerial:
        return !is_data_map(args);
      default:
        return true;
    }
  }

  // `serial.write: {hex: ...}` is data written directly (no data: key).
  static bool is_data_map(const Field& args) {
    if (!args.node.IsMap()) return false;
    bool data_key = false, form = false;
    for (auto it = args.node.begin(); it != args.node.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      const std::string& k = it->first.Scalar();
      if (k == "data") data_key = true;
      if (k == "hex" || k == "repeat" || k == "random" || k == "match") form = true;
    }
    return form && !data_key;
  }

  std::vector<std::string_view> allowed_keys(StepKind k) const {
    std::vector<std::string_view> keys;
    switch (k) {
      case StepKind::PowerCut: keys = {"during_flash_op"}; break;
      case StepKind::PinSet: keys = {"rst", "reload", "cts", "rts", "txd", "rxd"}; break;
      case StepKind::PinPulse: keys = {"pin", "level", "for"}; break;
      case StepKind::ExpectPin: keys = {"pin", "level"}; break;
      case StepKind::SerialWrite: keys = {"data", "gap"}; break;
      case StepKind::SerialBreak: keys = {"for"}; break;
      case StepKind::SerialNoise: keys = {"ber", "for"}; break;
      case StepKind::SerialGlitch: keys = {"width"}; break;
      case StepKind::ExpectSerialErrors: keys = {"chars", "framing", "parity", "break", "overrun"}; break;
      case StepKind::ExpectSerial: keys = {"data", "skip"}; break;
      case StepKind::ExpectNone: keys = {"on", "during"}; break;
      case StepKind::TcpConnect: keys = {"from", "to", "as", "port", "dst_ip"}; break;
      case StepKind::TcpListen: keys = {"peer", "port", "as"}; break;
      case StepKind::ExpectTcpAccept: keys = {"listener", "as"}; break;
      case StepKind::ExpectTcpConnected: case StepKind::ExpectTcpClosed:
      case StepKind::ExpectTcpReset: case StepKind::TcpClose: case StepKind::TcpReset:
      case StepKind::TcpVanish:
        keys = {"conn"};
        break;
      case StepKind::TcpSend: keys = {"conn", "data"}; break;
      case StepKind::ExpectTcp: keys = {"conn", "data", "segments", "skip"}; break;
      case StepKind::UdpBind: keys = {"peer", "port", "as"}; break;
      case StepKind::UdpSend: keys = {"from", "to", "data", "dst_ip"}; break;
      case StepKind::ExpectUdp: keys = {"on", "data", "from_port", "from_ip"}; break;
      case StepKind::NetFault: keys = {"loss", "delay", "duplicate", "for"}; break;
      case StepKind::Measure: keys = {"name", "from", "to", "min", "max"}; break;
      case StepKind::Repeat: keys = {"count", "steps"}; break;
      default: break;
    }
    keys.push_back("name");
    keys.push_back("mark");
    keys.push_back("at");
    if (takes_within(k)) {
      keys.push_back("within");
      keys.push_back("after");
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
  }

  // ---- per-step arguments ----

  void parse_args(Step& step, const Field& args, MapReader* map, const Ctx& ctx, int order,
                  Cycles start, Bound& inner, bool& has_inner, Cycles& min_time) {
    const char* name = step_name(step.kind);
    auto need_map = [&]() -> bool {
      if (map) return true;
      std::string what = std::string("the arguments of ") + name + " as a mapping, e.g. " + example(step.kind);
      r_.expect_map(args, what.c_str());
      return false;
    };
    auto get = [&](std::string_view key) { return map->get(key); };
    auto req = [&](std::string_view key) { return map->require(key); };

    switch (step.kind) {
      case StepKind::Wait: {
        WaitArgs a;
        if (args.node.IsMap()) {
          r_.error(args, "wait takes a duration, e.g. '- wait: 10ms'");
          return;
        }
        auto d = dur(args);
        if (!d) return;
        a.duration = *d;
        min_time = a.duration;
        step.args = a;
        return;
      }
      case StepKind::Power: {
        auto c = r_.choice(args, {"on", "off", "cycle"});
        if (!c) return;
        PowerArgs a;
        a.action = static_cast<PowerAction>(*c);
        if (a.action == PowerAction::Cycle) min_time = kPowerCycleOffTime;
        step.args = a;
        return;
      }
      case StepKind::PowerCut: {
        if (!need_map()) return;
        PowerCutArgs a;
        auto f = req("during_flash_op");
        if (!f) return;
        auto n = r_.integer(*f, 1, kMaxFlashOp);
        if (!n) return;
        a.during_flash_op = *n;
        step.args = a;
        return;
      }
      case StepKind::PinSet: {
        if (!need_map()) return;
        PinSetArgs a;
        for (const auto& e : map->entries()) {
          auto p = pin_from(e.key);
          if (!p) continue;  // a common key
          if (!is_input_pin(*p)) {
            r_.error(e.key_node.Mark(), e.key + " is an output of the module; pin.set drives the inputs rst, reload, cts");
            continue;
          }
          auto lv = r_.choice(e.value, {"low", "high", "release"});
          if (!lv) continue;
          a.pins.emplace_back(*p, static_cast<PinDrive>(*lv));
        }
        if (a.pins.empty() && r_.error_count() == 0) {
          r_.error(map->field(), "pin.set needs a pin and a level, e.g. {reload: low}");
        }
        step.args = a;
        return;
      }
      case StepKind::PinPulse: {
        if (!need_map()) return;
        PinPulseArgs a;
        auto p = req("pin");
        auto f = req("for");
        if (!p || !f) return;
        auto pin = read_pin(*p, true);
        if (!pin) return;
        a.pin = *pin;
        if (auto lv = get("level")) {
          auto l = r_.choice(*lv, {"low", "high"});
          if (!l) return;
          a.level = static_cast<Level>(*l);
        }
        auto d = dur(*f);
        if (!d) return;
        a.duration = *d;
        min_time = a.duration;
        step.args = a;
        return;
      }
      case StepKind::ExpectPin: {
        if (!need_map()) return;
        ExpectPinArgs a;
        auto p = req("pin");
        auto lv = req("level");
        if (!p || !lv) return;
        auto pin = read_pin(*p, false);
        auto l = r_.choice(*lv, {"low", "high"});
        if (!pin || !l) return;
        a.pin = *pin;
        a.level = static_cast<Level>(*l);
        step.args = a;
        break;
      }
      case StepKind::SerialWrite: {
        SerialWriteArgs a;
        if (!map) {  // shorthand: the data itself
          auto d = r_.data(args, false);
          if (!d) return;
          a.data = std::move(*d);
          step.args = std::move(a);
          return;
        }
        auto f = req("data");
        if (!f) return;
        auto d = r_.data(*f, false);
        if (!d) return;
        a.data = std::move(*d);
        if (auto g = get("gap")) {
          auto gap = dur(*g);
          if (!gap) return;
          a.gap = *gap;
        }
        step.args = std::move(a);
        return;
      }
      case StepKind::SerialBreak: {
        if (!need_map()) return;
        auto f = req("for");
        if (!f) return;
        auto d = dur(*f);
        if (!d) return;
        SerialBreakArgs a;
        a.duration = *d;
        if (a.duration == 0) {
          r_.error(*f, "for: a break lasts longer than 0");
          return;
        }
        min_time = a.duration;
        step.args = a;
        return;
      }
      case StepKind::SerialNoise: {
        if (!need_map()) return;
        SerialNoiseArgs a;
        auto b = req("ber");
        if (!b) return;
        auto ber = r_.real(*b, 0, kMaxBer);
        if (!ber) return;
        a.ber = *ber;
        if (auto f = get("for")) {
          a.duration = dur(*f);
          if (!a.duration) return;
        }
        if (!need_bit_level_line(step, args)) return;
        step.args = a;
        return;
      }
      case StepKind::SerialGlitch: {
        if (!need_map()) return;
        auto w = req("width");
        if (!w) return;
        auto d = dur(*w);
        if (!d) return;
        if (*d == 0) {
          r_.error(*w, "width: a glitch lasts longer than 0");
          return;
        }
        if (!need_bit_level_line(step, args)) return;
        SerialGlitchArgs a;
        a.width = *d;
        min_time = a.width;
        step.args = a;
        return;
      }
      case StepKind::ExpectSerialErrors: {
        if (!need_map()) return;
        ExpectSerialErrorsArgs a;
        bool any = false;
        for (auto [key, slot] : {std::pair<const char*, std::optional<CountRange>*>{"chars", &a.chars},
                                 {"framing", &a.framing}, {"parity", &a.parity}, {"break", &a.brk},
                                 {"overrun", &a.overrun}}) {
          auto f = get(key);
          if (!f) continue;
          any = true;
          auto range = count_range(*f);
          if (!range) return;
          *slot = *range;
        }
        if (!any) {
          // A key that is neither a count nor a common key was reported as unknown already.
          if (map->field().node.size() != map->entries().size()) return;
          r_.error(map->field(), "expect.serial.errors needs at least one count, e.g. " + std::string(example(step.kind)));
          return;
        }
        step.args = a;
        break;
      }
      case StepKind::ExpectSerial: {
        ExpectSerialArgs a;
        if (!map) {
          auto d = r_.data(args, true);
          if (!d) return;
          a.data = std::move(*d);
          step.args = std::move(a);
          break;
        }
        auto f = req("data");
        if (!f) return;
        auto d = r_.data(*f, true);
        if (!d) return;
        a.data = std::move(*d);
        if (auto s = get("skip")) {
          auto b = r_.boolean(*s);
          if (!b) return;
          a.skip = *b;
        }
        step.args = std::move(a);
        break;
      }
      case StepKind::ExpectNone: {
        if (!need_map()) return;
        ExpectNoneArgs a;
        auto on = req("on");
        auto during = req("during");
        if (!on || !during) return;
        if (!parse_channel(*on, a)) return;
        auto d = dur(*during);
        if (!d) return;
        a.during = *d;
        min_time = a.during;
        step.args = a;
        return;
      }
      case StepKind::TcpConnect: {
        if (!need_map()) return;
        TcpConnectArgs a;
        auto from = req("from");
        auto to = req("to");
        auto as = req("as");
        if (!from || !to || !as) return;
        if (!use_peer(*from, a.from)) return;
        auto port = r_.port(*to, false);
        if (!port) return;
        a.to = *port;
        if (auto p = get("port")) {
          auto local = r_.port(*p, true);
          if (!local) return;
          a.port = *local;
        }
        if (auto ip = get("dst_ip")) {
          a.dst_ip = r_.ipv4(*ip);
          if (!a.dst_ip) return;
        }
        if (!define_name(*as, NameKind::Conn, a.as)) return;
        step.args = a;
        return;
      }
      case StepKind::TcpListen: {
        if (!need_map()) return;
        TcpListenArgs a;
        auto peer = req("peer");
        auto port = req("port");
        auto as = req("as");
        if (!peer || !port || !as) return;
        if (!use_peer(*peer, a.peer)) return;
        auto p = r_.port(*port, false);
        if (!p) return;
        a.port = *p;
        if (!define_name(*as, NameKind::Listener, a.as)) return;
        step.args = a;
        return;
      }
      case StepKind::ExpectTcpAccept: {
        if (!need_map()) return;
        ExpectTcpAcceptArgs a;
        auto listener = req("listener");
        auto as = req("as");
        if (!listener || !as) return;
        if (!use_name(*listener, NameKind::Listener, a.listener)) return;
        if (!define_name(*as, NameKind::Conn, a.as)) return;
        step.args = a;
        break;
      }
      case StepKind::ExpectTcpConnected: case StepKind::ExpectTcpClosed:
      case StepKind::ExpectTcpReset: case StepKind::TcpClose: case StepKind::TcpReset:
      case StepKind::TcpVanish: {
        if (!need_map()) return;
        ConnArgs a;
        auto conn = req("conn");
        if (!conn) return;
        if (!use_name(*conn, NameKind::Conn, a.conn)) return;
        step.args = a;
        break;
      }
      case StepKind::TcpSend: {
        if (!need_map()) return;
        TcpSendArgs a;
        auto conn = req("conn");
        auto data = req("data");
        if (!conn || !data) return;
        if (!use_name(*conn, NameKind::Conn, a.conn)) return;
        auto d = r_.data(*data, false);
        if (!d) return;
        a.data = std::move(*d);
        step.args = std::move(a);
        return;
      }
      case StepKind::ExpectTcp: {
        if (!need_map()) return;
        ExpectTcpArgs a;
        auto conn = req("conn");
        if (!conn) return;
        if (!use_name(*conn, NameKind::Conn, a.conn)) return;
        auto data = get("data");
        auto segments = get("segments");
        if (data.has_value() == segments.has_value()) {
          r_.error(map->field(), "expect.tcp needs either data: or segments:");
          return;
        }
        if (data) {
          a.data = r_.data(*data, true);
          if (!a.data) return;
        } else {
          if (!r_.expect_seq(*segments, "a list of segment payloads, e.g. [\"ab\", \"cd\"]")) return;
          if (segments->node.size() == 0) {
            r_.error(*segments, "segments: needs at least one segment");
            return;
          }
          for (auto it = segments->node.begin(); it != segments->node.end(); ++it) {
            auto d = r_.data(make_field(*it, "segments"), true);
            if (!d) return;
            a.segments.push_back(std::move(*d));
          }
        }
        if (auto s = get("skip")) {
          auto b = r_.boolean(*s);
          if (!b) return;
          a.skip = *b;
        }
        step.args = std::move(a);
        break;
      }
      case StepKind::UdpBind: {
        if (!need_map()) return;
        UdpBindArgs a;
        auto peer = req("peer");
        auto port = req("port");
        auto as = req("as");
        if (!peer || !port || !as) return;
        if (!use_peer(*peer, a.peer)) return;
        auto p = r_.port(*port, true);
        if (!p) return;
        a.port = *p;
        if (!define_name(*as, NameKind::Udp, a.as)) return;
        step.args = a;
        return;
      }
      case StepKind::UdpSend: {
        if (!need_map()) return;
        UdpSendArgs a;
        auto from = req("from");
        auto to = req("to");
        auto data = req("data");
        if (!from || !to || !data) return;
        if (!use_name(*from, NameKind::Udp, a.from)) return;
        auto p = r_.port(*to, false);
        if (!p) return;
        a.to = *p;
        auto d = r_.data(*data, false);
        if (!d) return;
        a.data = std::move(*d);
        if (auto ip = get("dst_ip")) {
          a.dst_ip = r_.ipv4(*ip);
          if (!a.dst_ip) return;
        }
        step.args = std::move(a);
        return;
      }
      case StepKind::ExpectUdp: {
        if (!need_map()) return;
        ExpectUdpArgs a;
        auto on = req("on");
        auto data = req("data");
        if (!on || !data) return;
        if (!use_name(*on, NameKind::Udp, a.on)) return;
        auto d = r_.data(*data, true);
        if (!d) return;
        a.data = std::move(*d);
        if (auto p = get("from_port")) {
          a.from_port = r_.port(*p, false);
          if (!a.from_port) return;
        }
        if (auto ip = get("from_ip")) {
          a.from_ip = r_.ipv4(*ip);
          if (!a.from_ip) return;
        }
        step.args = std::move(a);
        break;
      }
      case StepKind::Link: {
        auto c = r_.choice(args, {"up", "down"});
        if (!c) return;
        LinkArgs a;
        a.up = *c == 0;
        step.args = a;
        return;
      }
      case StepKind::NetFault: {
        if (!need_map()) return;
        NetFaultArgs a;
        if (auto f = get("loss")) {
          auto v = r_.percent(*f, 0, 100);
          if (!v) return;
          a.loss_percent = *v;
        }
        if (auto f = get("duplicate")) {
          auto v = r_.percent(*f, 0, 100);
          if (!v) return;
          a.duplicate_percent = *v;
        }
        if (auto f = get("delay")) {
          auto v = dur(*f);
          if (!v) return;
          a.delay = *v;
        }
        if (auto f = get("for")) {
          a.duration = dur(*f);
          if (!a.duration) return;
        }
        step.args = a;
        return;
      }
      case StepKind::Measure: {
        if (!need_map()) return;
        MeasureArgs a;
        auto from = req("from");
        auto to = req("to");
        if (!from || !to) return;
        auto f1 = mark_name(*from);
        auto f2 = mark_name(*to);
        if (!f1 || !f2) return;
        a.from = *f1;
        a.to = *f2;
        refs_.push_back(MarkRef{a.from, *from, order, ctx.path});
        refs_.push_back(MarkRef{a.to, *to, order, ctx.path});
        if (auto n = get("name")) {
          auto s = r_.name(*n, "a measurement name such as ser2net_ms");
          if (!s) return;
          a.name = *s;
        } else {
          a.name = a.from + ".." + a.to;
        }
        if (auto m = get("min")) {
          a.min = r_.duration(*m);
          if (!a.min) return;
        }
        if (auto m = get("max")) {
          a.max = r_.duration(*m);
          if (!a.max) return;
          if (a.min && *a.min > *a.max) return r_.error(*m, "max is below min");
        }
        step.args = a;
        return;
      }
      case StepKind::Mark: {
        auto m = mark_name(args);
        if (!m) return;
        define_mark(*m, args, order, ctx, false);
        step.args = MarkArgs{*m};
        return;
      }
      case StepKind::Parallel: {
        if (!r_.expect_seq(args, "a list of branches, each a list of steps")) return;
        if (ctx.depth >= kMaxNesting) {
          r_.error(args, "parallel/repeat nested more than " + std::to_string(kMaxNesting) + " deep");
          return;
        }
        ParallelArgs a;
        int id = ++parallel_ids_;
        int index = 0;
        has_inner = true;
        inner = Bound{start, 0};
        for (auto it = args.node.begin(); it != args.node.end(); ++it, ++index) {
          Ctx sub = ctx;
          sub.depth++;
          sub.path.emplace_back(id, index);
          Field branch = make_field(*it, "parallel");
          Bound b;
          StepList steps;
          if (branch.node.IsMap()) {  // a branch of one step
            b.end = start;
            auto s = parse_item(branch.node, b, sub);
            if (s) steps.push_back(std::move(*s));
          } else {
            steps = parse_list(branch, start, b, sub);
          }
          inner.end = std::max(inner.end, b.end);
          inner.plain = std::max(inner.plain, b.plain);
          a.branches.push_back(std::move(steps));
        }
        if (a.branches.empty()) {
          r_.error(args, "parallel: needs at least one branch");
          return;
        }
        step.args = std::move(a);
        return;
      }
      case StepKind::Repeat: {
        if (!need_map()) return;
        if (ctx.depth >= kMaxNesting) {
          r_.error(args, "parallel/repeat nested more than " + std::to_string(kMaxNesting) + " deep");
          return;
        }
        RepeatArgs a;
        auto count = req("count");
        auto steps = req("steps");
        if (!count || !steps) return;
        auto n = r_.integer(*count, 1, kMaxRepeat);
        if (!n) return;
        a.count = *n;
        Ctx sub = ctx;
        sub.depth++;
        sub.in_repeat = true;
        Bound b;
        a.steps = parse_list(*steps, start, b, sub);
        if (steps->node.IsSequence() && steps->node.size() == 0) {
          r_.error(*steps, "steps: needs at least one step");
          return;
        }
        has_inner = true;
        inner.end = sat_add(b.end, sat_mul(b.plain, a.count - 1));
        inner.plain = sat_mul(b.plain, a.count);
        step.args = std::move(a);
        return;
      }
      case StepKind::FlashSave: {
        auto p = r_.text(args, "a file path for the flash image");
        if (!p) return;
        if (p->empty()) {
          r_.error(args, "flash.save: needs a file path");
          return;
        }
        FlashSaveArgs a;
        a.path = *p;
        a.resolved_path = resolve(*p);
        step.args = a;
        return;
      }
    }
    // Expectations: after: is the least time they take.
    if (step.after) min_time = *step.after;
  }

  // ---- helpers ----

  static const char* example(StepKind k) {
    switch (k) {
      case StepKind::PowerCut: return "{during_flash_op: 1}";
      case StepKind::PinSet: return "{reload: low}";
      case StepKind::PinPulse: return "{pin: rst, level: low, for: 250ms}";
      case StepKind::ExpectPin: return "{pin: rts, level: high, within: 1ms}";
      case StepKind::SerialBreak: return "{for: 10ms}";
      case StepKind::SerialNoise: return "{ber: 1e-4, for: 1s}";
      case StepKind::SerialGlitch: return "{width: 2us}";
      case StepKind::ExpectSerialErrors: return "{framing: {min: 1}, parity: 0, within: 10ms}";
      case StepKind::ExpectNone: return "{on: serial, during: 100ms}";
      case StepKind::TcpConnect: return "{from: pc, to: 23, as: c1}";
      case StepKind::TcpListen: return "{peer: pc, port: 8234, as: srv}";
      case StepKind::ExpectTcpAccept: return "{listener: srv, as: c1, within: 1s}";
      case StepKind::TcpSend: return "{conn: c1, data: \"abc\"}";
      case StepKind::ExpectTcp: return "{conn: c1, data: \"abc\", within: 10ms}";
      case StepKind::UdpBind: return "{peer: pc, port: 20108, as: u1}";
      case StepKind::UdpSend: return "{from: u1, to: 23, data: \"abc\"}";
      case StepKind::ExpectUdp: return "{on: u1, data: \"abc\", within: 10ms}";
      case StepKind::NetFault: return "{loss: 5%, for: 10s}";
      case StepKind::Measure: return "{name: latency, from: t0, to: t1, max: 10ms}";
      case StepKind::Repeat: return "{count: 3, steps: [...]}";
      default: return "{conn: c1}";
    }
  }

  // Steps that shape RXD bit by bit need the host's bit-level line, which only the UART RTL has
  // (the C++ model takes whole characters): rejected at load time, never faked.
  bool need_bit_level_line(const Step& step, const Field& args) {
    if (sc_.serial.model == SerialModel::Rtl) return true;
    r_.error(args.key_mark, std::string(step_name(step.kind)) +
                 " needs the bit-level serial line: add serial: {model: rtl} (the fast C++ UART model "
                 "receives whole characters and cannot flip bits or see pulses)");
    return false;
  }

  // A count: N (exactly N) or {min: A, max: B} (either may be left out).
  std::optional<CountRange> count_range(const Field& f) {
    CountRange c;
    if (!f.node.IsMap()) {
      auto n = r_.integer(f, 0, kMaxCount);
      if (!n) return std::nullopt;
      c.min = c.max = *n;
      return c;
    }
    MapReader m(r_, f, f.key, {"min", "max"});
    auto lo = m.get("min"), hi = m.get("max");
    if (!lo && !hi) {
      r_.error(f, f.key + ": give min:, max: or both, e.g. {min: 1, max: 5}");
      return std::nullopt;
    }
    if (lo) {
      auto n = r_.integer(*lo, 0, kMaxCount);
      if (!n) return std::nullopt;
      c.min = *n;
    }
    if (hi) {
      auto n = r_.integer(*hi, 0, kMaxCount);
      if (!n) return std::nullopt;
      c.max = *n;
    }
    if (c.min > c.max) {
      r_.error(*hi, "max: " + std::to_string(c.max) + " is below min: " + std::to_string(c.min));
      return std::nullopt;
    }
    return c;
  }

  std::optional<Cycles> dur(const Field& f) {
    auto d = r_.duration(f);
    if (d && *d > sc_.timeout) {
      r_.error(f, (f.key.empty() ? "" : f.key + ": ") + format_duration(*d) +
                      " is longer than the scenario timeout (" + format_duration(sc_.timeout) + ")");
      return std::nullopt;
    }
    return d;
  }

  static std::optional<Pin> pin_from(std::string_view s) {
    for (Pin p : {Pin::Rst, Pin::Reload, Pin::Cts, Pin::Rts, Pin::Txd, Pin::Rxd}) {
      if (s == pin_name(p)) return p;
    }
    return std::nullopt;
  }

  std::optional<Pin> read_pin(const Field& f, bool input_only) {
    std::vector<std::string_view> names = {"rst", "reload", "cts"};
    if (!input_only) names = {"rst", "reload", "cts", "rts", "txd", "rxd"};
    auto t = r_.text(f, "a pin name");
    if (!t) return std::nullopt;
    auto p = pin_from(*t);
    if (p && input_only && !is_input_pin(*p)) {
      r_.error(f, f.key + ": " + *t + " is an output of the module; only rst, reload and cts can be driven");
      return std::nullopt;
    }
    if (!p) {
      auto c = r_.choice(f, names);  // reports with the list and a suggestion
      if (c) p = pin_from(names[*c]);
    }
    return p;
  }

  std::optional<std::string> mark_name(const Field& f) {
    auto t = r_.text(f, "a mark name such as t0");
    if (!t) return std::nullopt;
    if (!valid_mark_name(*t)) {
      r_.error(f, (f.key.empty() ? "" : f.key + ": ") + "'" + *t +
                      "' is not a valid mark name (letters, digits, '_', '-', '.')");
      return std::nullopt;
    }
    return t;
  }

  void define_mark(const std::string& name, const Field& where, int order, const Ctx& ctx, bool from_name) {
    int line = r_.loc(where).line;
    auto it = marks_.find(name);
    if (it == marks_.end()) {
      marks_.emplace(name, MarkDef{order, ctx.path, line, from_name, 1});
      return;
    }
    MarkDef& old = it->second;
    if (from_name && old.from_name) {  // two steps with one name: their marks are ambiguous
      old.count++;
      return;
    }
    if (from_name) {
      r_.error(where, "name: '" + name.substr(0, name.rfind('.')) + "' makes the mark '" + name +
                          "', which is already set on line " + std::to_string(old.line));
    } else {
      r_.error(where, "mark '" + name + "' is already set on line " + std::to_string(old.line));
    }
  }

  void resolve_mark_references() {
    for (const MarkRef& ref : refs_) {
      auto it = marks_.find(ref.name);
      if (it == marks_.end()) {
        std::vector<std::string_view> known;
        for (const auto& [k, v] : marks_) known.push_back(k);
        std::string msg = ref.field.key + ": unknown mark '" + ref.name + "'";
        std::string near = suggest(ref.name, known);
        if (!near.empty()) msg += " (did you mean '" + near + "'?)";
        else if (known.empty()) msg += " (no step sets a mark; use '- mark: NAME' or mark: on a step)";
        r_.error(ref.field, msg);
        continue;
      }
      const MarkDef& def = it->second;
      if (def.count > 1) {
        r_.error(ref.field, ref.field.key + ": mark '" + ref.name + "' is ambiguous: " +
                                std::to_string(def.count) + " steps have that name");
        continue;
      }
      if (def.order > ref.order && !in_sibling_branches(def.path, ref.path)) {
        r_.error(ref.field, ref.field.key + ": mark '" + ref.name + "' is only set after this step (line " +
                                std::to_string(def.line) + ")");
      }
    }
  }

  bool use_peer(const Field& f, std::string& out) {
    auto n = r_.text(f, "a peer name");
    if (!n) return false;
    if (!sc_.network.find_peer(*n)) {
      std::vector<std::string_view> known;
      for (const Peer& p : sc_.network.peers) known.push_back(p.name);
      std::string msg = f.key + ": '" + *n + "' is not a peer of network.peers";
      std::string near = suggest(*n, known);
      if (!near.empty()) msg += " (did you mean '" + near + "'?)";
      else if (known.empty()) msg += " (there are no peers: add them under network: peers:)";
      r_.error(f, msg);
      return false;
    }
    out = *n;
    return true;
  }

  bool define_name(const Field& f, NameKind kind, std::string& out) {
    auto n = r_.name(f, "a name for the new connection or socket");
    if (!n) return false;
    auto it = names_.find(*n);
    if (it != names_.end() && it->second.kind != kind) {
      r_.error(f, f.key + ": '" + *n + "' already names " + kind_text(it->second.kind) + " (line " +
                      std::to_string(it->second.line) + ")");
      return false;
    }
    if (it == names_.end()) names_.emplace(*n, NameDef{kind, r_.loc(f).line});
    out = *n;
    return true;
  }

  bool use_name(const Field& f, NameKind kind, std::string& out) {
    auto n = r_.text(f, "a name made by an earlier step's as:");
    if (!n) return false;
    auto it = names_.find(*n);
    if (it == names_.end()) {
      std::vector<std::string_view> known;
      for (const auto& [k, v] : names_) {
        if (v.kind == kind) known.push_back(k);
      }
      std::string msg = f.key + ": unknown " + std::string(kind_text(kind)).substr(2) + " '" + *n +
                        "' (no earlier step made it with as:)";
      std::string near = suggest(*n, known);
      if (!near.empty()) msg += " (did you mean '" + near + "'?)";
      r_.error(f, msg);
      return false;
    }
    if (it->second.kind != kind) {
      r_.error(f, f.key + ": '" + *n + "' is " + kind_text(it->second.kind) + " (line " +
                      std::to_string(it->second.line) + "), not " + kind_text(kind));
      return false;
    }
    out = *n;
    return true;
  }

  // expect.none on: serial | tcp:<conn> | udp:<socket> | udp:<peer>:<port>
  bool parse_channel(const Field& f, ExpectNoneArgs& a) {
    auto t = r_.text(f, "serial, tcp:<conn>, udp:<socket> or udp:<peer>:<port>");
    if (!t) return false;
    const std::string& s = *t;
    auto bad = [&] {
      r_.error(f, "on: expected serial, tcp:<conn>, udp:<socket> or udp:<peer>:<port>, got '" + s + "'");
      return false;
    };
    if (s == "serial") {
      a.channel = ExpectNoneArgs::Channel::Serial;
      return true;
    }
    auto colon = s.find(':');
    if (colon == std::string::npos) return bad();
    std::string kind = s.substr(0, colon);
    std::string rest = s.substr(colon + 1);
    if (rest.empty()) return bad();
    auto check = [&](NameKind k, const std::string& name, std::string& out) {
      auto it = names_.find(name);
      if (it == names_.end() || it->second.kind != k) {
        r_.error(f, "on: unknown " + std::string(kind_text(k)).substr(2) + " '" + name +
                        "' (no earlier step made it with as:)");
        return false;
      }
      out = name;
      return true;
    };
    if (kind == "tcp") {
      a.channel = ExpectNoneArgs::Channel::Tcp;
      return check(NameKind::Conn, rest, a.conn);
    }
    if (kind != "udp") return bad();
    a.channel = ExpectNoneArgs::Channel::Udp;
    auto colon2 = rest.find(':');
    if (colon2 == std::string::npos) return check(NameKind::Udp, rest, a.conn);
    std::string peer = rest.substr(0, colon2);
    std::string port = rest.substr(colon2 + 1);
    if (!sc_.network.find_peer(peer)) {
      r_.error(f, "on: '" + peer + "' is not a peer of network.peers");
      return false;
    }
    std::string err;
    auto p = parse_port(port, false, &err);
    if (!p) {
      r_.error(f, "on: " + err);
      return false;
    }
    a.peer = peer;
    a.port = *p;
    return true;
  }

  std::string resolve(const std::string& path) const {
    std::filesystem::path p(path);
    if (p.is_absolute() || sc_.base_dir.empty()) return p.lexically_normal().string();
    return (std::filesystem::path(sc_.base_dir) / p).lexically_normal().string();
  }

  Reader& r_;
  Scenario& sc_;
  std::map<std::string, NameDef> names_;
  std::map<std::string, MarkDef> marks_;
  std::vector<MarkRef> refs_;
  int order_ = 0;
  int parallel_ids_ = 0;
  std::size_t step_count_ = 0;
  bool timeout_reported_ = false;
};

}  // namespace

void parse_timeline(Reader& reader, const Field& timeline, Scenario& sc) {
  Timeline(reader, sc).run(timeline);
}

}  // namespace k7sim::detail
