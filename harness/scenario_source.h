// Internal to the scenario loader: the YAML text and its parse tree, positions as
// file:line:column, reading scalars (with ${var} substitution and byte-exact double-quoted data),
// and checked access to mappings. Problems are collected as Diagnostics, not thrown, so that one
// load reports every error it can find.
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "harness/scenario.h"
#include "harness/values.h"

namespace k7sim::detail {

// The text of one scenario file, parsed. Throws ScenarioError on a YAML syntax error.
struct Source {
  std::string file;
  std::string text;     // as read, without a UTF-8 byte order mark
  std::string patched;  // what yaml-cpp parsed: octal escapes in double quotes made acceptable
  std::vector<std::size_t> patches;  // offsets of the backslashes changed in `patched`
  std::vector<std::size_t> line_starts;
  YAML::Node root;  // the document (Null for an empty file)

  Source(const std::string& text, const std::string& file);
  SourceLoc loc(const YAML::Mark& mark) const;
  bool flow_variable_near(int line) const;

 private:
  void check_documents() const;  // throws ScenarioError
};

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}
  void add(SourceLoc loc, std::string message);
  bool empty() const { return list_.empty(); }
  std::size_t size() const { return list_.size(); }
  std::vector<Diagnostic> sorted() const;  // by position, duplicates removed
  [[noreturn]] void raise() const;          // throws ScenarioError(sorted())

 private:
  std::string file_;
  std::vector<Diagnostic> list_;
};

// One value in the tree together with where to report problems about it: the value itself, or
// its key when the value is empty (yaml-cpp places an empty value at the next token).
struct Field {
  YAML::Node node;
  YAML::Mark mark;
  std::string key;       // "baud", "at", ... used as the prefix of messages; may be empty
  YAML::Mark key_mark;   // the key itself (for "this key does not belong here")
};

Field make_field(const YAML::Node& value, const YAML::Node& key_node, std::string key);
Field make_field(const YAML::Node& value, std::string key);

// Matrix values of one instance, in file order.
using Vars = std::vector<std::pair<std::string, std::string>>;

enum class StringUse { Text, Data, Regex };

class Reader {
 public:
  // `vars` null: no ${var} substitution at all (for reading the matrix itself).
  Reader(const Source& source, Diagnostics& diags, const Vars* vars);

  const Source& source() const { return source_; }
  SourceLoc loc(const YAML::Mark& mark) const { return source_.loc(mark); }
  SourceLoc loc(const Field& f) const { return source_.loc(f.mark); }
  void error(const Field& f, const std::string& message);
  void error(const YAML::Mark& mark, const std::string& message);
  std::size_t error_count() const { return diags_.size(); }

  // Shape checks (report and return false on a mismatch). `what` describes what was expected.
  bool expect_map(const Field& f, const char* what);
  bool expect_seq(const Field& f, const char* what);

  // The string of a scalar, ${var} substituted. Reports (and returns nullopt) for a non-scalar.
  std::optional<std::string> text(const Field& f, const char* what, StringUse use = StringUse::Text);

  std::optional<Cycles> duration(const Field& f);
  std::optional<std::uint64_t> integer(const Field& f, std::uint64_t min, std::uint64_t max);
  std::optional<double> percent(const Field& f, double min, double max);
  std::optional<double> real(const Field& f, double min, double max);
  std::optional<bool> boolean(const Field& f);
  // Index of the option the value names exactly.
  std::optional<std::size_t> choice(const Field& f, const std::vector<std::string_view>& options);
  // A name made of letters, digits, '_' and '-', starting with a letter or '_'.
  std::optional<std::string> name(const Field& f, const char* what);
  std::optional<std::uint16_t> port(const Field& f, bool allow_zero);
  std::optional<Ipv4> ipv4(const Field& f);
  // Data (expectation = a {match} is allowed too).
  std::optional<DataSpec> data(const Field& f, bool expectation);

 private:
  std::optional<std::vector<std::uint8_t>> data_bytes(const Field& f, bool expectation, int depth,
                                                      std::vector<DataPart>& parts);
  std::optional<std::string> substitute(const Field& f, const std::string& raw);
  void value_error(const Field& f, const std::string& message);

  const Source& source_;
  Diagnostics& diags_;
  const Vars* vars_;
  std::map<int, std::string> substituted_;  // scalar offset -> "var=value, ..." used there
};

// Checked access to one mapping. Reports keys that are not scalars, keys given twice and keys
// that are not allowed (with a suggestion), once, when constructed.
class MapReader {
 public:
  struct Entry {
    std::string key;
    YAML::Node key_node;
    Field value;
  };

  MapReader(Reader& reader, const Field& map, std::string context,
            const std::vector<std::string_view>& allowed);
  std::optional<Field> get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).has_value(); }
  // Reports "<context>: missing key:" at the mapping when absent.
  std::optional<Field> require(std::string_view key);
  const std::vector<Entry>& entries() const { return entries_; }
  const Field& field() const { return map_; }

 private:
  Reader& reader_;
  Field map_;
  std::string context_;
  std::vector<Entry> entries_;
};

// The candidate closest to `word` when it is a plausible typo, else "".
std::string suggest(std::string_view word, const std::vector<std::string_view>& candidates);
std::string join(const std::vector<std::string_view>& words, const char* separator = ", ");

}  // namespace k7sim::detail
