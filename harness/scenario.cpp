// Loading a scenario file: the top-level sections of scenario-format.md, the matrix, and the
// public API. The timeline is in scenario_steps.cpp, YAML access in scenario_source.cpp.
#include "harness/scenario.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "harness/scenario_source.h"
#include "harness/scenario_timeline.h"

namespace k7sim {

// ---- errors -------------------------------------------------------------------------------------

std::string SourceLoc::str() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Diagnostic::str() const { return loc.str() + ": " + message; }

namespace {
std::vector<Diagnostic> non_empty(std::vector<Diagnostic> d) {
  if (d.empty()) d.push_back(Diagnostic{SourceLoc{}, "invalid scenario"});
  return d;
}
}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(non_empty(diagnostics).front().str()),
      diagnostics_(non_empty(std::move(diagnostics))) {}

ScenarioError::ScenarioError(SourceLoc loc, std::string message)
    : ScenarioError(std::vector<Diagnostic>{Diagnostic{std::move(loc), std::move(message)}}) {}

std::string ScenarioError::all() const {
  std::string out;
  for (const auto& d : diagnostics_) out += d.str() + "\n";
  return out;
}

// ---- steps and pins -----------------------------------------------------------------------------

namespace {
struct StepInfo {
  StepKind kind;
  const char* name;
  bool expectation;
};
constexpr StepInfo kSteps[] = {
    {StepKind::Wait, "wait", false},
    {StepKind::Power, "power", false},
    {StepKind::PowerCut, "power.cut", false},
    {StepKind::PinSet, "pin.set", false},
    {StepKind::PinPulse, "pin.pulse", false},
    {StepKind::ExpectPin, "expect.pin", true},
    {StepKind::SerialWrite, "serial.write", false},
    {StepKind::SerialBreak, "serial.break", false},
    {StepKind::SerialNoise, "serial.noise", false},
    {StepKind::SerialGlitch, "serial.glitch", false},
    {StepKind::ExpectSerialErrors, "expect.serial.errors", true},
    {StepKind::ExpectSerial, "expect.serial", true},
    {StepKind::ExpectNone, "expect.none", true},
    {StepKind::TcpConnect, "tcp.connect", false},
    {StepKind::TcpListen, "tcp.listen", false},
    {StepKind::ExpectTcpAccept, "expect.tcp.accept", true},
    {StepKind::ExpectTcpConnected, "expect.tcp.connected", true},
    {StepKind::ExpectTcpClosed, "expect.tcp.closed", true},
    {StepKind::ExpectTcpReset, "expect.tcp.reset", true},
    {StepKind::TcpSend, "tcp.send", false},
    {StepKind::ExpectTcp, "expect.tcp", true},
    {StepKind::TcpClose, "tcp.close", false},
    {StepKind::TcpReset, "tcp.reset", false},
    {StepKind::TcpVanish, "tcp.vanish", false},
    {StepKind::UdpBind, "udp.bind", false},
    {StepKind::UdpSend, "udp.send", false},
    {StepKind::ExpectUdp, "expect.udp", true},
    {StepKind::Link, "link", false},
    {StepKind::NetFault, "net.fault", false},
    {StepKind::Measure, "measure", false},
    {StepKind::Mark, "mark", false},
    {StepKind::Parallel, "parallel", false},
    {StepKind::Repeat, "repeat", false},
    {StepKind::FlashSave, "flash.save", false},
};
}  // namespace

std::string CountRange::describe() const {
  if (min == max) return std::to_string(min);
  if (max == UINT64_MAX) return ">= " + std::to_string(min);
  if (min == 0) return "<= " + std::to_string(max);
  return std::to_string(min) + ".." + std::to_string(max);
}

const char* step_name(StepKind kind) {
  for (const auto& s : kSteps) {
    if (s.kind == kind) return s.name;
  }
  return "?";
}

std::optional<StepKind> step_kind_from_name(std::string_view name) {
  for (const auto& s : kSteps) {
    if (name == s.name) return s.kind;
  }
  return std::nullopt;
}

const std::vector<StepKind>& all_step_kinds() {
  static const std::vector<StepKind> kinds = [] {
    std::vector<StepKind> v;
    for (const auto& s : kSteps) v.push_back(s.kind);
    return v;
  }();
  return kinds;
}

bool is_expectation(StepKind kind) {
  for (const auto& s : kSteps) {
    if (s.kind == kind) return s.expectation;
  }
  return false;
}

const char* pin_name(Pin pin) {
  switch (pin) {
    case Pin::Rst: return "rst";
    case Pin::Reload: return "reload";
    case Pin::Cts: return "cts";
    case Pin::Rts: return "rts";
    case Pin::Txd: return "txd";
    case Pin::Rxd: return "rxd";
  }
  return "?";
}

bool is_input_pin(Pin pin) { return pin == Pin::Rst || pin == Pin::Reload || pin == Pin::Cts; }

const Peer* NetworkConfig::find_peer(const std::string& name) const {
  for (const auto& p : peers) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

// ---- loading ------------------------------------------------------------------------------------

namespace {

using detail::Field;
using detail::make_field;
using detail::MapReader;
using detail::Reader;

constexpr std::uint64_t kMinBaud = 50;
constexpr std::uint64_t kMaxBaud = 15'000'000;
constexpr double kMaxBaudError = 50.0;
constexpr std::size_t kMaxCombinations = 4096;
constexpr std::uintmax_t kMaxFileBytes = 16u << 20;

const std::vector<std::string_view> kTopKeys = {"scenario", "title", "tags",    "timeout",
                                                "seed",     "device", "setup",  "serial",
                                                "network",  "timeline", "matrix"};
const std::vector<std::string_view> kProfiles = {"k7"};

struct MatrixVar {
  std::string name;
  std::vector<std::string> values;
};

bool valid_id(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

bool valid_var(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

std::string base_dir_of(const std::string& file) {
  return std::filesystem::path(file).parent_path().string();
}

std::string resolve(const std::string& base_dir, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_absolute() || base_dir.empty()) return p.lexically_normal().string();
  return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

// matrix: {var: [v1, v2, ...], ...}
std::vector<MatrixVar> parse_matrix(Reader& r, const Field& f) {
  std::vector<MatrixVar> vars;
  if (!r.expect_map(f, "a mapping of variables to lists of values, e.g. {baud: [9600, 115200]}")) return vars;
  std::vector<std::string_view> any;
  for (auto it = f.node.begin(); it != f.node.end(); ++it) {
    if (it->first.IsScalar()) any.push_back(it->first.Scalar());
  }
  MapReader m(r, f, "matrix", any);
  std::size_t combinations = 1;
  for (const auto& e : m.entries()) {
    if (!valid_var(e.key)) {
      r.error(e.key_node.Mark(), "matrix variable '" + e.key +
                                     "' must be a name of letters, digits and '_' (used as ${name})");
      continue;
    }
    if (!r.expect_seq(e.value, "a list of values, e.g. [9600, 115200]")) continue;
    MatrixVar v{e.key, {}};
    std::set<std::string> seen;
    for (auto it = e.value.node.begin(); it != e.value.node.end(); ++it) {
      Field item = make_field(*it, e.key);
      auto s = r.text(item, "a single value");
      if (!s) continue;
      if (!seen.insert(*s).second) {
        r.error(item, e.key + ": the value '" + *s + "' is listed twice");
        continue;
      }
      v.values.push_back(*s);
    }
    if (v.values.empty()) {
      if (e.value.node.size() == 0) r.error(e.value, e.key + ": needs at least one value");
      continue;
    }
    combinations *= v.values.size();
    if (combinations > kMaxCombinations) {
      r.error(e.key_node.Mark(), "the matrix makes more than " + std::to_string(kMaxCombinations) +
                                     " combinations");
      return {};
    }
    vars.push_back(std::move(v));
  }
  return vars;
}

void parse_device(Reader& r, const Field& f, Scenario& sc) {
  if (f.node.IsNull()) return;
  if (!r.expect_map(f, "a mapping with profile:, firmware:, flash:")) return;
  MapReader m(r, f, "device", {"profile", "firmware", "flash"});
  if (auto p = m.get("profile")) {
    if (auto c = r.choice(*p, kProfiles)) sc.device.profile = std::string(kProfiles[*c]);
  }
  if (auto p = m.get("firmware")) {
    auto s = r.text(*p, "default or the path of an ELF file");
    if (s && s->empty()) r.error(*p, "firmware: needs 'default' or a path");
    if (s && !s->empty()) {
      sc.device.firmware = *s;
      sc.device.firmware_path = *s == "default" ? "" : resolve(sc.base_dir, *s);
    }
  }
  if (auto p = m.get("flash")) {
    auto s = r.text(*p, "factory or the path of a flash image");
    if (s && s->empty()) r.error(*p, "flash: needs 'factory' or a path");
    if (s && !s->empty()) {
      sc.device.flash = *s;
      sc.device.flash_path = *s == "factory" ? "" : resolve(sc.base_dir, *s);
    }
  }
}

void parse_line(Reader& r, MapReader& m, SerialFormat& line) {
  if (auto b = m.get("baud")) {
    if (auto v = r.integer(*b, kMinBaud, kMaxBaud)) line.baud = static_cast<std::uint32_t>(*v);
  }
  if (auto f = m.get("format")) {
    if (auto s = r.text(*f, "a line format such as 8N1")) {
      std::string err;
      if (!parse_serial_format(*s, line, &err)) r.error(*f, "format: " + err);
    }
  }
}

void parse_setup(Reader& r, const Field& f, Scenario& sc) {
  if (f.node.IsNull()) return;
  if (!r.expect_map(f, "a mapping with baud: and at:")) return;
  MapReader m(r, f, "setup", {"baud", "format", "at"});
  sc.setup.present = true;
  parse_line(r, m, sc.setup.line);
  if (auto at = m.get("at")) {
    if (at->node.IsNull()) return;
    if (!r.expect_seq(*at, "a list of AT commands")) return;
    for (auto it = at->node.begin(); it != at->node.end(); ++it) {
      Field item = make_field(*it, "at");
      auto s = r.text(item, "an AT command such as AT+UARTTL=10,512");
      if (!s) continue;
      bool is_at = s->size() >= 2 && std::toupper(static_cast<unsigned char>((*s)[0])) == 'A' &&
                   std::toupper(static_cast<unsigned char>((*s)[1])) == 'T';
      bool clean = std::none_of(s->begin(), s->end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
      });
      if (!is_at) {
        r.error(item, "at: '" + *s + "' is not an AT command (it must start with AT)");
        continue;
      }
      if (!clean) {
        r.error(item, "at: commands are written without CR/LF or other control characters "
                      "(the harness ends each with CR)");
        continue;
      }
      sc.setup.at.push_back(*s);
      sc.setup.at_locs.push_back(r.loc(item));
    }
  }
}

void parse_serial(Reader& r, const Field& f, Scenario& sc) {
  if (f.node.IsNull()) return;
  if (!r.expect_map(f, "a mapping with baud:, format:, baud_error:, model:")) return;
  MapReader m(r, f, "serial", {"baud", "format", "baud_error", "model"});
  parse_line(r, m, sc.serial.line);
  if (auto e = m.get("baud_error")) {
    if (auto v = r.percent(*e, -kMaxBaudError, kMaxBaudError)) sc.serial.baud_error_percent = *v;
  }
  if (auto model = m.get("model")) {
    if (auto c = r.choice(*model, {"fast", "rtl"})) sc.serial.model = static_cast<SerialModel>(*c);
  }
}

void parse_network(Reader& r, const Field& f, Scenario& sc) {
  if (f.node.IsNull()) return;
  if (!r.expect_map(f, "a mapping with peers: and dhcp:")) return;
  MapReader m(r, f, "network", {"peers", "dhcp", "dns"});
  if (auto d = m.get("dhcp")) {
    if (auto b = r.boolean(*d)) sc.network.dhcp = *b;
  }
  if (auto d = m.get("dns")) {
    // Extension: a DNS server peer with these A records, e.g. {server.example: 192.168.0.201}.
    if (r.expect_map(*d, "a mapping of host names to IPv4 addresses, e.g. {server.example: 192.168.0.201}")) {
      sc.network.dns = true;
      for (auto it = d->node.begin(); it != d->node.end(); ++it) {
        Field nf = make_field(it->second, it->first, it->first.as<std::string>());
        const std::string host = it->first.as<std::string>();
        const bool valid = !host.empty() && host.size() <= 253 &&
                           host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") ==
                               std::string::npos;
        if (!valid) {
          r.error(nf.key_mark, "dns: '" + host + "' is not a host name (letters, digits, '-' and '.')");
          continue;
        }
        if (auto ip = r.ipv4(nf)) sc.network.dns_records.emplace_back(host, *ip);
      }
    }
  }
  auto peers = m.get("peers");
  if (!peers || peers->node.IsNull()) return;
  if (!r.expect_seq(*peers, "a list of peers, each {name: ..., ip: ...}")) return;
  for (auto it = peers->node.begin(); it != peers->node.end(); ++it) {
    Field pf = make_field(*it, "peers");
    if (!r.expect_map(pf, "a peer such as {name: pc, ip: 192.168.0.201}")) continue;
    MapReader pm(r, pf, "a peer", {"name", "ip", "mac"});
    auto name_f = pm.require("name");
    auto ip_f = pm.require("ip");
    if (!name_f || !ip_f) continue;
    Peer peer;
    peer.loc = r.loc(pf);
    auto name = r.name(*name_f, "a peer name such as pc");
    if (!name) continue;
    peer.name = *name;
    if (sc.network.find_peer(peer.name)) {
      r.error(*name_f, "name: there is already a peer named '" + peer.name + "'");
      continue;
    }
    auto ip_text = r.text(*ip_f, "an IPv4 address such as 192.168.0.201");
    if (!ip_text) continue;
    std::string err;
    auto ip = parse_ipv4_prefix(*ip_text, peer.prefix, &err);
    if (!ip) {
      r.error(*ip_f, "ip: " + err);
      continue;
    }
    peer.ip = *ip;
    std::uint32_t a = ip->value;
    std::uint32_t host_mask = peer.prefix >= 32 ? 0 : (0xFFFFFFFFu >> peer.prefix);
    bool usable = a != 0 && a != 0xFFFFFFFFu && (a >> 28) != 0xE && (a >> 24) != 127 &&
                  peer.prefix >= 1 &&
                  (peer.prefix > 30 || ((a & host_mask) != 0 && (a & host_mask) != host_mask));
    if (!usable) {
      r.error(*ip_f, "ip: " + *ip_text + " is not a usable host address");
      continue;
    }
    bool clash = false;
    for (const Peer& other : sc.network.peers) {
      if (other.ip == peer.ip) {
        r.error(*ip_f, "ip: " + ip->str() + " is already the address of peer '" + other.name + "'");
        clash = true;
      }
    }
    if (clash) continue;
    if (auto mac_f = pm.get("mac")) {
      auto mac_text = r.text(*mac_f, "a MAC address such as 02:00:00:00:00:01");
      if (!mac_text) continue;
      auto mac = parse_mac(*mac_text, &err);
      if (!mac) {
        r.error(*mac_f, "mac: " + err);
        continue;
      }
      if ((*mac)[0] & 1) {
        r.error(*mac_f, "mac: " + *mac_text + " is a multicast address; a peer needs a unicast one");
        continue;
      }
      if (*mac == MacAddress{}) {
        r.error(*mac_f, "mac: 00:00:00:00:00:00 is not a usable address");
        continue;
      }
      peer.mac = *mac;
      peer.mac_given = true;
    } else {
      peer.mac = derive_mac(peer.name);
    }
    for (const Peer& other : sc.network.peers) {
      if (other.mac == peer.mac) {
        r.error(pm.get("mac") ? *pm.get("mac") : *name_f,
                "mac: " + format_mac(peer.mac) + " is already the address of peer '" + other.name + "'");
        clash = true;
      }
    }
    if (clash) continue;
    sc.network.peers.push_back(peer);
  }
}

Scenario parse_instance(Reader& r, const YAML::Node& root, const detail::Vars& vars) {
  Scenario sc;
  const detail::Source& src = r.source();
  sc.file = src.file;
  sc.base_dir = base_dir_of(src.file);
  sc.params = vars;
  Field root_f = make_field(root, "");
  MapReader top(r, root_f, "the scenario", kTopKeys);

  if (auto id = top.get("scenario")) {
    sc.loc = r.loc(*id);
    auto s = r.text(*id, "an identifier such as packing-by-time");
    if (s && !valid_id(*s)) {
      r.error(*id, "scenario: '" + *s + "' is not a valid identifier (lowercase letters, digits and '-')");
    } else if (s) {
      sc.id = *s;
    }
  } else {
    r.error(root_f, "missing scenario: (the scenario's identifier, e.g. 'scenario: packing-by-time')");
  }
  sc.name = sc.id;
  if (!vars.empty()) {
    sc.name += "[";
    for (std::size_t i = 0; i < vars.size(); ++i) {
      if (i) sc.name += ",";
      sc.name += vars[i].first + "=" + vars[i].second;
    }
    sc.name += "]";
  }
  if (auto t = top.get("title")) {
    if (auto s = r.text(*t, "a one-line title")) sc.title = *s;
  }
  if (auto t = top.get("tags")) {
    if (!t->node.IsNull() && r.expect_seq(*t, "a list of tags, e.g. [packing, conformance]")) {
      for (auto it = t->node.begin(); it != t->node.end(); ++it) {
        Field item = make_field(*it, "tags");
        auto s = r.text(item, "a tag");
        if (!s) continue;
        bool ok = !s->empty() && std::none_of(s->begin(), s->end(), [](char c) {
          return std::isspace(static_cast<unsigned char>(c)) || c == ',';
        });
        if (!ok) {
          r.error(item, "tags: '" + *s + "' is not a valid tag (one word, no blanks or commas)");
          continue;
        }
        if (std::find(sc.tags.begin(), sc.tags.end(), *s) == sc.tags.end()) sc.tags.push_back(*s);
      }
    }
  }
  if (auto t = top.get("timeout")) {
    auto d = r.duration(*t);
    if (d && *d == 0) r.error(*t, "timeout: must be longer than 0");
    else if (d) sc.timeout = *d;
  }
  if (auto s = top.get("seed")) {
    if (auto v = r.integer(*s, 0, UINT64_MAX)) {
      sc.seed = *v;
      sc.seed_given = true;
    }
  }
  if (auto f = top.get("device")) parse_device(r, *f, sc);
  if (auto f = top.get("setup")) parse_setup(r, *f, sc);
  if (auto f = top.get("serial")) parse_serial(r, *f, sc);
  if (auto f = top.get("network")) parse_network(r, *f, sc);
  if (auto f = top.get("timeline")) detail::parse_timeline(r, *f, sc);
  return sc;
}

}  // namespace

std::vector<Scenario> load_scenario_text(const std::string& text, const std::string& display_name) {
  detail::Source src(text, display_name);  // throws on YAML syntax errors
  detail::Diagnostics diags(display_name);
  if (!src.root || src.root.IsNull()) {
    throw ScenarioError(SourceLoc{display_name, 1, 1},
                        "empty scenario file (it needs at least 'scenario: NAME' and a timeline:)");
  }
  if (!src.root.IsMap()) {
    throw ScenarioError(src.loc(src.root.Mark()),
                        "a scenario file is a mapping of keys such as scenario:, serial:, timeline:");
  }

  // The matrix first: its variables are substituted into every other string value.
  std::vector<MatrixVar> matrix;
  {
    Reader r(src, diags, nullptr);
    for (auto it = src.root.begin(); it != src.root.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == "matrix") {
        matrix = parse_matrix(r, make_field(it->second, it->first, "matrix"));
        break;
      }
    }
    if (!diags.empty()) diags.raise();
  }

  std::size_t total = 1;
  for (const auto& v : matrix) total *= v.values.size();
  std::vector<Scenario> out;
  out.reserve(total);
  for (std::size_t n = 0; n < total; ++n) {
    detail::Vars vars;
    std::size_t rest = n;
    for (std::size_t i = matrix.size(); i-- > 0;) {  // last variable varies fastest
      vars.emplace(vars.begin(), matrix[i].name, matrix[i].values[rest % matrix[i].values.size()]);
      rest /= matrix[i].values.size();
    }
    Reader r(src, diags, &vars);
    out.push_back(parse_instance(r, src.root, vars));
    if (diags.size() > 200) break;  // enough to show
  }
  if (!diags.empty()) diags.raise();
  return out;
}

std::vector<Scenario> load_scenario_file(const std::string& path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw ScenarioError(SourceLoc{path, 0, 0}, "no such file");
  }
  if (std::filesystem::is_directory(status)) {
    throw ScenarioError(SourceLoc{path, 0, 0}, "is a directory, not a scenario file");
  }
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) {
    throw ScenarioError(SourceLoc{path, 0, 0}, "file too large for a scenario");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(SourceLoc{path, 0, 0}, "cannot read the file");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw ScenarioError(SourceLoc{path, 0, 0}, "cannot read the file");
  return load_scenario_text(buf.str(), path);
}

std::vector<std::string> find_scenario_files(const std::vector<std::string>& files_or_dirs) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& p) {
    std::error_code ec;
    fs::path key = fs::weakly_canonical(fs::path(p), ec);
    std::string k = ec ? p : key.string();
    if (seen.insert(k).second) out.push_back(p);
  };
  for (const std::string& arg : files_or_dirs) {
    std::error_code ec;
    auto status = fs::status(arg, ec);
    if (ec || !fs::exists(status)) throw ScenarioError(SourceLoc{arg, 0, 0}, "no such file or directory");
    if (!fs::is_directory(status)) {
      add(arg);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec);
    if (ec) throw ScenarioError(SourceLoc{arg, 0, 0}, "cannot read the directory: " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) throw ScenarioError(SourceLoc{arg, 0, 0}, "cannot read the directory: " + ec.message());
      const fs::path& p = it->path();
      std::string leaf = p.filename().string();
      if (!leaf.empty() && leaf[0] == '.') {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      std::string ext = p.extension().string();
      if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec)) found.push_back(p.string());
    }
    std::sort(found.begin(), found.end());
    for (const auto& f : found) add(f);
  }
  return out;
}

}  // namespace k7sim
