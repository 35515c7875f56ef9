// Internal to the scenario loader; see scenario_source.h.
#include "harness/scenario_source.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <sstream>
#include <tuple>

#include <yaml-cpp/eventhandler.h>

#include "harness/scenario_escape.h"

namespace k7sim::detail {

namespace {

constexpr std::string_view kInvalidEscape = "unknown escape character: ";
constexpr std::size_t kMaxPatches = 4096;
constexpr int kMaxDataDepth = 8;
constexpr std::size_t kMaxDataParts = 100'000;

bool has_key(const YAML::Node& map, std::string_view key) {
  if (!map.IsMap()) return false;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return true;
  }
  return false;
}

bool is_break(char c) { return c == '\n' || c == '\r'; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string quoted(std::string_view text) {
  return "'" + escape_bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()) + "'";
}

// Skips a line break (LF, CRLF or CR) at s[i]; returns the index after it.
std::size_t skip_break(std::string_view s, std::size_t i) {
  if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') return i + 2;
  return i + 1;
}

// Offset of the first character of a scalar whose node mark is at `pos`: yaml-cpp marks a node
// at its properties (anchor, tag) when it has any.
std::size_t skip_properties(std::string_view s, std::size_t pos) {
  while (pos < s.size() && (s[pos] == '&' || s[pos] == '!')) {
    while (pos < s.size() && !is_blank(s[pos]) && !is_break(s[pos])) ++pos;
    for (;;) {
      while (pos < s.size() && (is_blank(s[pos]) || is_break(s[pos]))) ++pos;
      if (pos < s.size() && s[pos] == '#') {
        while (pos < s.size() && !is_break(s[pos])) ++pos;
        continue;
      }
      break;
    }
  }
  return pos;
}

struct Rescanned {
  std::string value;
  std::size_t end = 0;  // offset after the closing quote
};

// Reads the double-quoted scalar whose opening quote is at s[q], folding lines as YAML does and
// decoding escapes in `mode`.
std::optional<Rescanned> rescan_double_quoted(std::string_view s, std::size_t q, EscapeMode mode,
                                              std::string* error) {
  Rescanned r;
  std::string pending;  // blanks, kept only when content follows on the same line
  std::size_t i = q + 1;
  auto fold_breaks = [&](std::size_t& j) -> std::size_t {  // at a break: count empty lines after it
    j = skip_break(s, j);
    std::size_t empties = 0;
    for (;;) {
      while (j < s.size() && is_blank(s[j])) ++j;
      if (j < s.size() && is_break(s[j])) {
        ++empties;
        j = skip_break(s, j);
        continue;
      }
      return empties;
    }
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == '"') {
      r.value += pending;
      r.end = i + 1;
      return r;
    }
    if (c == '\\') {
      r.value += pending;
      pending.clear();
      if (i + 1 < s.size() && is_break(s[i + 1])) {  // escaped line break: joins without a space
        std::size_t j = i + 1;
        std::size_t empties = fold_breaks(j);
        r.value.append(empties, '\n');
        i = j;
        continue;
      }
      auto next = decode_escape(s, i, r.value, mode, error);
      if (!next) return std::nullopt;
      i = *next;
      continue;
    }
    if (is_break(c)) {
      pending.clear();
      std::size_t j = i;
      std::size_t empties = fold_breaks(j);
      if (empties == 0) r.value += ' ';
      else r.value.append(empties, '\n');
      i = j;
      continue;
    }
    if (is_blank(c)) {
      pending += c;
      ++i;
      continue;
    }
    r.value += pending;
    pending.clear();
    r.value += c;
    ++i;
  }
  if (error) *error = "unterminated double-quoted string";
  return std::nullopt;
}

// yaml-cpp's string for a double-quoted scalar, with code points up to U+00FF turned back into
// single bytes (only used if the byte-exact reading of the source text is not possible).
std::string latin1_bytes(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto b0 = static_cast<unsigned char>(s[i]);
    if ((b0 == 0xC2 || b0 == 0xC3) && i + 1 < s.size() &&
        (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
      out += static_cast<char>(((b0 & 0x03) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F));
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

// ---- Source -------------------------------------------------------------------------------------

Source::Source(const std::string& input, const std::string& file_name) : file(file_name) {
  text = input;
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  line_starts.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      line_starts.push_back(i + 1);
    }
  }
  patched = text;
  for (;;) {
    try {
      check_documents();
      root = YAML::Load(patched);
      break;
    } catch (const ScenarioError&) {
      throw;
    } catch (const YAML::ParserException& e) {
      // Octal escapes (\101) are C escapes YAML does not know: let yaml-cpp read them as "\/"
      // (same length) and decode the original text ourselves later.
      int p = e.mark.pos;
      if (e.msg.compare(0, kInvalidEscape.size(), kInvalidEscape) == 0 && p >= 2 &&
          static_cast<std::size_t>(p) <= patched.size() && patched[p - 2] == '\\' &&
          patched[p - 1] >= '1' && patched[p - 1] <= '7' && patches.size() < kMaxPatches) {
        patched[p - 1] = '/';
        patches.insert(std::upper_bound(patches.begin(), patches.end(), static_cast<std::size_t>(p - 2)),
                       static_cast<std::size_t>(p - 2));
        continue;
      }
      std::string msg = e.msg.empty() ? "invalid YAML" : "invalid YAML: " + e.msg;
      SourceLoc where = loc(e.mark);
      if (flow_variable_near(where.line)) {
        msg += " (inside {...} or [...], write ${var} in quotes: \"${var}\")";
      }
      throw ScenarioError(where, msg);
    } catch (const YAML::Exception& e) {
      throw ScenarioError(loc(e.mark), "invalid YAML: " + e.msg);
    } catch (const std::exception& e) {
      throw ScenarioError(SourceLoc{file, 1, 1}, std::string("invalid YAML: ") + e.what());
    }
  }
}

namespace {

// Records where each document starts and where its first node is.
class DocumentScan : public YAML::EventHandler {
 public:
  struct Doc {
    YAML::Mark start;
    bool has_content = false;
    YAML::Mark content;
  };
  std::vector<Doc> docs;

  void OnDocumentStart(const YAML::Mark& mark) override { docs.push_back(Doc{mark, false, mark}); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { content(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    content(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    content(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    content(mark);
  }
  void OnMapEnd() override {}

 private:
  void content(const YAML::Mark& mark) {
    if (!docs.empty() && !docs.back().has_content) {
      docs.back().has_content = true;
      docs.back().content = mark;
    }
  }
};

}  // namespace

// One scenario = one YAML document. Also guards against a yaml-cpp 0.7 defect: a stray ',' ']'
// or '}' at block level is never consumed and LoadAll() would make empty documents forever.
void Source::check_documents() const {
  std::istringstream in(patched);
  YAML::Parser parser(in);
  DocumentScan scan;
  while (parser.HandleNextDocument(scan)) {
    std::size_t n = scan.docs.size();
    if (n < 2) continue;
    const auto& prev = scan.docs[n - 2];
    const auto& doc = scan.docs[n - 1];
    if (doc.start.pos == prev.start.pos) {
      std::string what = "unexpected text";
      if (doc.start.pos >= 0 && static_cast<std::size_t>(doc.start.pos) < text.size()) {
        what = std::string("unexpected '") + text[static_cast<std::size_t>(doc.start.pos)] + "'";
      }
      throw ScenarioError(loc(doc.start), "invalid YAML: " + what);
    }
    if (doc.has_content) {
      throw ScenarioError(loc(doc.content), "a scenario file holds one YAML document; a second one starts here");
    }
  }
}

// True when the line (or the one before) holds an unquoted-looking ${ inside a flow collection,
// where YAML reads '{' and '}' as brackets.
bool Source::flow_variable_near(int line) const {
  for (int l = std::max(1, line - 1); l <= line && l <= static_cast<int>(line_starts.size()); ++l) {
    std::size_t start = line_starts[static_cast<std::size_t>(l - 1)];
    std::size_t end = text.find('\n', start);
    std::string_view s(text.data() + start, (end == std::string::npos ? text.size() : end) - start);
    auto var = s.find("${");
    if (var != std::string_view::npos && s.find_first_of("{[") < var) return true;
  }
  return false;
}

SourceLoc Source::loc(const YAML::Mark& mark) const {
  SourceLoc l{file, 1, 1};
  if (mark.pos >= 0 && static_cast<std::size_t>(mark.pos) <= text.size()) {
    auto pos = static_cast<std::size_t>(mark.pos);
    auto it = std::upper_bound(line_starts.begin(), line_starts.end(), pos);
    std::size_t line_index = static_cast<std::size_t>(it - line_starts.begin()) - 1;
    std::size_t start = line_starts[line_index];
    int column = 1;
    for (std::size_t i = start; i < pos; ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;  // count characters
    }
    l.line = static_cast<int>(line_index) + 1;
    l.column = column;
  } else if (mark.line >= 0) {
    l.line = mark.line + 1;
    l.column = mark.column >= 0 ? mark.column + 1 : 1;
  }
  return l;
}

// ---- Diagnostics --------------------------------------------------------------------------------

void Diagnostics::add(SourceLoc loc, std::string message) {
  list_.push_back(Diagnostic{std::move(loc), std::move(message)});
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = list_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.loc.line, a.loc.column) < std::tie(b.loc.line, b.loc.column);
  });
  std::vector<Diagnostic> unique;
  std::set<std::string> seen;
  for (auto& d : out) {
    if (seen.insert(d.str()).second) unique.push_back(std::move(d));
  }
  return unique;
}

void Diagnostics::raise() const {
  auto list = sorted();
  if (list.empty()) list.push_back(Diagnostic{SourceLoc{file_, 0, 0}, "invalid scenario"});
  throw ScenarioError(std::move(list));
}

// ---- Field --------------------------------------------------------------------------------------

Field make_field(const YAML::Node& value, const YAML::Node& key_node, std::string key) {
  Field f{value, value.Mark(), std::move(key), key_node.Mark()};
  if (value.IsNull() || f.mark.is_null()) f.mark = key_node.Mark();
  return f;
}

Field make_field(const YAML::Node& value, std::string key) {
  return Field{value, value.Mark(), std::move(key), value.Mark()};
}

// ---- Reader -------------------------------------------------------------------------------------

Reader::Reader(const Source& source, Diagnostics& diags, const Vars* vars)
    : source_(source), diags_(diags), vars_(vars) {}

void Reader::error(const YAML::Mark& mark, const std::string& message) {
  diags_.add(loc(mark), message);
}

void Reader::error(const Field& f, const std::string& message) {
  std::string msg = message;
  if (f.node.IsScalar()) {
    auto it = substituted_.find(f.node.Mark().pos);
    if (it != substituted_.end()) msg += " (with " + it->second + ")";
  }
  diags_.add(loc(f), msg);
}

void Reader::value_error(const Field& f, const std::string& message) {
  error(f, f.key.empty() ? message : f.key + ": " + message);
}

bool Reader::expect_map(const Field& f, const char* what) {
  if (f.node.IsMap()) return true;
  std::string got = f.node.IsSequence() ? "a list" : f.node.IsNull() ? "nothing" : "a single value";
  value_error(f, std::string("expected ") + what + ", got " + got);
  return false;
}

bool Reader::expect_seq(const Field& f, const char* what) {
  if (f.node.IsSequence()) return true;
  std::string got = f.node.IsMap() ? "a mapping" : f.node.IsNull() ? "nothing" : "a single value";
  value_error(f, std::string("expected ") + what + ", got " + got);
  return false;
}

std::optional<std::string> Reader::substitute(const Field& f, const std::string& raw) {
  if (!vars_ || raw.find('$') == std::string::npos) return raw;  // no vars_: the matrix itself
  std::string out;
  std::string used;
  std::size_t i = 0;
  while (i < raw.size()) {
    if (raw.compare(i, 3, "$${") == 0) {  // literal "${"
      out += "${";
      i += 3;
      continue;
    }
    if (raw.compare(i, 2, "${") != 0) {
      out += raw[i++];
      continue;
    }
    std::size_t close = raw.find('}', i + 2);
    if (close == std::string::npos) {
      value_error(f, "unterminated ${ (write ${name}; $${ gives a literal ${)");
      return std::nullopt;
    }
    std::string var = raw.substr(i + 2, close - i - 2);
    const std::string* value = nullptr;
    for (const auto& [k, v] : *vars_) {
      if (k == var) value = &v;
    }
    if (!value) {
      std::string msg = "${" + var + "} is not a matrix variable";
      if (vars_->empty()) {
        msg += " (this scenario has no matrix:)";
      } else {
        std::vector<std::string_view> names;
        for (const auto& kv : *vars_) names.push_back(kv.first);
        msg += " (matrix variables: " + join(names) + ")";
      }
      value_error(f, msg);
      return std::nullopt;
    }
    out += *value;
    if (!used.empty()) used += ", ";
    used += var + "=" + *value;
    i = close + 1;
  }
  if (!used.empty()) substituted_[f.node.Mark().pos] = used;
  return out;
}

std::optional<std::string> Reader::text(const Field& f, const char* what, StringUse use) {
  if (!f.node.IsScalar()) {
    std::string got = f.node.IsMap()        ? "a mapping"
                      : f.node.IsSequence() ? "a list"
                                            : "nothing";
    value_error(f, std::string("expected ") + what + ", got " + got);
    return std::nullopt;
  }
  const std::string& value = f.node.Scalar();
  // Double-quoted scalars are read again from the source text for data and regular expressions
  // (so that "\xAA" is the byte AA, not the character U+00AA) and whenever an octal escape was
  // patched for yaml-cpp.
  std::optional<std::size_t> dq;
  if (f.node.Tag() != "?" && f.node.Mark().pos >= 0) {
    std::size_t p = skip_properties(source_.text, static_cast<std::size_t>(f.node.Mark().pos));
    if (p < source_.text.size() && source_.text[p] == '"') dq = p;
  }
  std::string raw = value;
  if (dq) {
    std::string err;
    auto as_yaml = rescan_double_quoted(source_.patched, *dq, EscapeMode::Yaml, &err);
    bool patched = false;
    if (as_yaml) {
      auto first = std::lower_bound(source_.patches.begin(), source_.patches.end(), *dq);
      patched = first != source_.patches.end() && *first < as_yaml->end;
    }
    if (use != StringUse::Text || patched) {
      if (as_yaml && as_yaml->value == value) {
        auto exact = rescan_double_quoted(source_.text, *dq, EscapeMode::Bytes, &err);
        if (!exact) {
          value_error(f, err);
          return std::nullopt;
        }
        raw = exact->value;
      } else {
        raw = latin1_bytes(value);
      }
    }
  }
  auto substituted = substitute(f, raw);
  if (!substituted) return std::nullopt;
  if (use == StringUse::Data && !dq) {
    std::string err;
    auto bytes = unescape_c(*substituted, &err);
    if (!bytes) {
      value_error(f, err);
      return std::nullopt;
    }
    return std::string(bytes->begin(), bytes->end());
  }
  return substituted;
}

std::optional<Cycles> Reader::duration(const Field& f) {
  auto t = text(f, "a duration such as 10ms");
  if (!t) return std::nullopt;
  std::string err;
  auto d = parse_duration(*t, &err);
  if (!d) value_error(f, err);
  return d;
}

std::optional<std::uint64_t> Reader::integer(const Field& f, std::uint64_t min, std::uint64_t max) {
  auto t = text(f, "a whole number");
  if (!t) return std::nullopt;
  std::string err;
  auto v = parse_uint(*t, &err);
  if (!v) {
    value_error(f, err);
    return std::nullopt;
  }
  if (*v < min || *v > max) {
    value_error(f, *t + " is out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")");
    return std::nullopt;
  }
  return v;
}

namespace {
std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
}  // namespace

std::optional<double> Reader::percent(const Field& f, double min, double max) {
  auto t = text(f, "a percentage such as 2.5%");
  if (!t) return std::nullopt;
  std::string err;
  auto v = parse_percent(*t, &err);
  if (!v) {
    value_error(f, err);
    return std::nullopt;
  }
  if (*v < min || *v > max) {
    value_error(f, *t + " is out of range (" + format_number(min) + "%.." + format_number(max) + "%)");
    return std::nullopt;
  }
  return v;
}

std::optional<double> Reader::real(const Field& f, double min, double max) {
  auto t = text(f, "a number");
  if (!t) return std::nullopt;
  std::string err;
  auto v = parse_real(*t, &err);
  if (!v) {
    value_error(f, err);
    return std::nullopt;
  }
  if (*v < min || *v > max) {
    value_error(f, *t + " is out of range (" + format_number(min) + ".." + format_number(max) + ")");
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Reader::boolean(const Field& f) {
  auto t = text(f, "true or false");
  if (!t) return std::nullopt;
  std::string err;
  auto v = parse_bool(*t, &err);
  if (!v) value_error(f, err);
  return v;
}

std::optional<std::size_t> Reader::choice(const Field& f, const std::vector<std::string_view>& options) {
  std::string what = "one of " + join(options, ", ");
  auto t = text(f, what.c_str());
  if (!t) return std::nullopt;
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (options[i] == *t) return i;
  }
  std::string msg = "expected " + what + ", got " + quoted(*t);
  std::string near = suggest(*t, options);
  if (!near.empty()) msg += " (did you mean '" + near + "'?)";
  value_error(f, msg);
  return std::nullopt;
}

std::optional<std::string> Reader::name(const Field& f, const char* what) {
  auto t = text(f, what);
  if (!t) return std::nullopt;
  bool ok = !t->empty() && (std::isalpha(static_cast<unsigned char>((*t)[0])) || (*t)[0] == '_');
  for (char c : *t) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) ok = false;
  }
  if (!ok) {
    value_error(f, quoted(*t) + " is not a valid name (letters, digits, '_' and '-', starting with a letter)");
    return std::nullopt;
  }
  return t;
}

std::optional<std::uint16_t> Reader::port(const Field& f, bool allow_zero) {
  auto t = text(f, "a port number");
  if (!t) return std::nullopt;
  std::string err;
  auto v = parse_port(*t, allow_zero, &err);
  if (!v) value_error(f, err);
  return v;
}

std::optional<Ipv4> Reader::ipv4(const Field& f) {
  auto t = text(f, "an IPv4 address");
  if (!t) return std::nullopt;
  std::string err;
  auto v = parse_ipv4(*t, &err);
  if (!v) value_error(f, err);
  return v;
}

std::optional<DataSpec> Reader::data(const Field& f, bool expectation) {
  DataSpec spec;
  if (f.node.IsMap()) {
    // A match is a whole value, never a part of a list or a repeat.
    for (auto it = f.node.begin(); it != f.node.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == "match") {
        MapReader m(*this, f, f.key.empty() ? "data" : f.key, {"match"});
        auto pat = m.get("match");
        if (!pat || m.entries().size() != 1) return std::nullopt;
        if (!expectation) {
          error(it->first.Mark(), "{match: ...} is only allowed where data is expected, in an expect.* step");
          return std::nullopt;
        }
        auto pattern = text(*pat, "a regular expression", StringUse::Regex);
        if (!pattern) return std::nullopt;
        std::string err;
        auto re = compile_match(*pattern, &err);
        if (!re) {
          value_error(*pat, err);
          return std::nullopt;
        }
        spec.pattern = *pattern;
        spec.regex = std::move(re);
        return spec;
      }
    }
  }
  std::vector<DataPart> parts;
  if (!data_bytes(f, expectation, 0, parts)) return std::nullopt;
  // Merge neighbouring fixed parts.
  for (auto& p : parts) {
    if (!spec.parts.empty() && p.kind == DataPart::Kind::Bytes &&
        spec.parts.back().kind == DataPart::Kind::Bytes) {
      auto& b = spec.parts.back().bytes;
      b.insert(b.end(), p.bytes.begin(), p.bytes.end());
    } else {
      spec.parts.push_back(std::move(p));
    }
  }
  if (spec.size() > kMaxDataBytes) {
    value_error(f, "data longer than " + std::to_string(kMaxDataBytes) + " bytes");
    return std::nullopt;
  }
  return spec;
}

// Appends the parts of one data value; returns nullopt after reporting a problem. The returned
// vector is the fixed bytes of this value (used by repeat:).
std::optional<std::vector<std::uint8_t>> Reader::data_bytes(const Field& f, bool expectation,
                                                            int depth, std::vector<DataPart>& parts) {
  if (parts.size() > kMaxDataParts) {
    value_error(f, "data made of too many pieces");
    return std::nullopt;
  }
  if (depth > kMaxDataDepth) {
    value_error(f, "data nested too deeply");
    return std::nullopt;
  }
  const char* what = "data: a string, {hex: ...}, {repeat: ..., count: N}, {random: N} or a list of those";
  if (f.node.IsScalar()) {
    auto t = text(f, what, StringUse::Data);
    if (!t) return std::nullopt;
    DataPart p;
    p.bytes.assign(t->begin(), t->end());
    parts.push_back(p);
    return p.bytes;
  }
  if (f.node.IsSequence()) {
    std::vector<std::uint8_t> all;
    std::size_t total = 0;
    for (auto it = f.node.begin(); it != f.node.end(); ++it) {
      Field item = make_field(*it, f.key);
      if (has_key(item.node, "match")) {
        value_error(item, "{match: ...} must be the whole value, not a part of a list");
        return std::nullopt;
      }
      auto b = data_bytes(item, expectation, depth + 1, parts);
      if (!b) return std::nullopt;
      total += b->size();
      if (total > kMaxDataBytes) {
        value_error(f, "data longer than " + std::to_string(kMaxDataBytes) + " bytes");
        return std::nullopt;
      }
      all.insert(all.end(), b->begin(), b->end());
    }
    return all;
  }
  if (!f.node.IsMap()) {
    value_error(f, std::string("expected ") + what + ", got nothing");
    return std::nullopt;
  }
  MapReader m(*this, f, f.key.empty() ? "data" : f.key, {"hex", "repeat", "count", "random", "match"});
  int forms = m.has("hex") + m.has("repeat") + m.has("random") + m.has("match");
  if (forms == 0 && m.entries().size() != f.node.size()) return std::nullopt;  // unknown key reported
  if (forms != 1) {
    value_error(f, forms == 0 ? "expected one of hex:, repeat:, random: or match:"
                              : "use only one of hex:, repeat:, random:, match: in one value");
    return std::nullopt;
  }
  if (m.has("count") && !m.has("repeat")) {
    error(m.get("count")->key_mark, "count: belongs to repeat:");
    return std::nullopt;
  }
  if (auto hex = m.get("hex")) {
    auto t = text(*hex, "hex digits such as \"55 AA\"");
    if (!t) return std::nullopt;
    std::string err;
    auto bytes = parse_hex_bytes(*t, &err);
    if (!bytes) {
      value_error(*hex, err);
      return std::nullopt;
    }
    DataPart p;
    p.bytes = *bytes;
    parts.push_back(p);
    return bytes;
  }
  if (auto random = m.get("random")) {
    auto n = integer(*random, 1, kMaxDataBytes);
    if (!n) return std::nullopt;
    DataPart p;
    p.kind = DataPart::Kind::Random;
    p.random_count = static_cast<std::size_t>(*n);
    parts.push_back(p);
    return std::vector<std::uint8_t>{};
  }
  if (auto match = m.get("match")) {
    value_error(*match, "{match: ...} must be the whole value, not a part of a list or repeat");
    return std::nullopt;
  }
  auto unit = m.get("repeat");
  auto count_field = m.require("count");
  if (!count_field) return std::nullopt;
  auto count = integer(*count_field, 0, kMaxDataBytes);
  if (!count) return std::nullopt;
  std::vector<DataPart> inner;
  auto bytes = data_bytes(*unit, expectation, depth + 1, inner);
  if (!bytes) return std::nullopt;
  for (const auto& p : inner) {
    if (p.kind == DataPart::Kind::Random) {
      value_error(*unit, "takes fixed bytes; {random: N} already gives any length");
      return std::nullopt;
    }
  }
  if (!bytes->empty() && *count > kMaxDataBytes / bytes->size()) {
    value_error(*count_field, "repeat gives more than " + std::to_string(kMaxDataBytes) + " bytes");
    return std::nullopt;
  }
  DataPart p;
  p.bytes.reserve(bytes->size() * *count);
  for (std::uint64_t i = 0; i < *count; ++i) p.bytes.insert(p.bytes.end(), bytes->begin(), bytes->end());
  parts.push_back(p);
  return p.bytes;
}

// ---- MapReader ----------------------------------------------------------------------------------

MapReader::MapReader(Reader& reader, const Field& map, std::string context,
                     const std::vector<std::string_view>& allowed)
    : reader_(reader), map_(map), context_(std::move(context)) {
  if (!map.node.IsMap()) return;
  for (auto it = map.node.begin(); it != map.node.end(); ++it) {
    YAML::Node key = it->first;
    if (!key.IsScalar()) {
      reader_.error(key.Mark(), "keys in " + context_ + " must be plain names");
      continue;
    }
    std::string k = key.Scalar();
    bool dup = false;
    for (const auto& e : entries_) {
      if (e.key == k) {
        reader_.error(key.Mark(), "'" + k + "' is given twice in " + context_ + " (first on line " +
                                      std::to_string(reader_.loc(e.key_node.Mark()).line) + ")");
        dup = true;
      }
    }
    if (dup) continue;
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      std::string msg = "unknown key " + quoted(k) + " in " + context_;
      std::string near = suggest(k, allowed);
      if (!near.empty()) msg += " (did you mean '" + near + "'?)";
      else msg += " (known keys: " + join(allowed) + ")";
      reader_.error(key.Mark(), msg);
      continue;
    }
    entries_.push_back(Entry{k, key, make_field(it->second, key, k)});
  }
}

std::optional<Field> MapReader::get(std::string_view key) const {
  for (const auto& e : entries_) {
    if (e.key == key) return e.value;
  }
  return std::nullopt;
}

std::optional<Field> MapReader::require(std::string_view key) {
  auto f = get(key);
  if (!f) reader_.error(map_.mark, context_ + ": missing " + std::string(key) + ":");
  return f;
}

// ---- words --------------------------------------------------------------------------------------

std::string suggest(std::string_view word, const std::vector<std::string_view>& candidates) {
  // Optimal string alignment distance (edits and swaps of neighbours).
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      for (std::size_t j = 1; j <= b.size(); ++j) {
        std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.size()][b.size()];
  };
  if (word.size() > 64) return "";
  std::size_t limit = word.size() <= 3 ? 1 : 2;
  std::string best;
  std::size_t best_d = limit + 1;
  for (auto c : candidates) {
    std::size_t dd = distance(word, c);
    if (dd < best_d) {
      best_d = dd;
      best = std::string(c);
    }
  }
  return best;
}

std::string join(const std::vector<std::string_view>& words, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += separator;
    out += words[i];
  }
  return out;
}

}  // namespace k7sim::detail
