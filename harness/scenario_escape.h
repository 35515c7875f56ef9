// Internal: one backslash escape, shared by the C-escape decoder of data strings (values.cpp) and
// the reader of double-quoted YAML scalars (scenario_source.cpp).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace k7sim::detail {

enum class EscapeMode {
  Bytes,  // scenario data: \xHH and octal are single bytes, \? allowed, octal \NNN
  Yaml,   // exactly what yaml-cpp produces for a double-quoted scalar (\xHH as UTF-8, \0 only)
};

// s[i] is a backslash. Appends the decoded character(s) to `out` and returns the index after the
// escape, or std::nullopt with a message. Escaped line breaks are the caller's business.
std::optional<std::size_t> decode_escape(std::string_view s, std::size_t i, std::string& out,
                                         EscapeMode mode, std::string* error);

}  // namespace k7sim::detail
