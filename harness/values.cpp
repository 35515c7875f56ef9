// Typed values of the scenario format; see values.h.
#include "harness/values.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "harness/scenario_escape.h"

namespace k7sim {

namespace {

void set_error(std::string* error, std::string message) {
  if (error) *error = std::move(message);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string quoted(std::string_view text) {
  std::string out = "'";
  out += escape_bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  out += "'";
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A decimal number "123", "1.5", "0.25" split into digits: value = mantissa / 10^scale.
struct Decimal {
  unsigned __int128 mantissa = 0;
  unsigned scale = 0;
};

// Reads [0-9]+(\.[0-9]+)? at text[pos...]; advances pos. At most 24 significant digits.
std::optional<Decimal> read_decimal(std::string_view text, std::size_t& pos, std::string* error) {
  std::size_t start = pos;
  Decimal d;
  unsigned significant = 0;
  auto take = [&](char c) {
    if (d.mantissa == 0 && c == '0') return true;  // leading zeros do not count
    if (++significant > 24) return false;
    d.mantissa = d.mantissa * 10 + static_cast<unsigned>(c - '0');
    return true;
  };
  while (pos < text.size() && is_digit(text[pos])) {
    if (!take(text[pos])) {
      set_error(error, "too many digits in " + quoted(text));
      return std::nullopt;
    }
    ++pos;
  }
  if (pos == start) {
    set_error(error, quoted(text) + " does not start with a number");
    return std::nullopt;
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t frac_start = pos;
    std::string frac;
    while (pos < text.size() && is_digit(text[pos])) frac += text[pos++];
    if (pos == frac_start) {
      set_error(error, "missing digits after the decimal point in " + quoted(text));
      return std::nullopt;
    }
    while (!frac.empty() && frac.back() == '0') frac.pop_back();  // 1.50 == 1.5
    for (char c : frac) {
      if (!take(c)) {
        set_error(error, "too many digits in " + quoted(text));
        return std::nullopt;
      }
      ++d.scale;
    }
  }
  return d;
}

struct Unit {
  std::string_view name;
  std::uint64_t ticks_mul;  // ticks per unit = kTickHz * mul / div
  std::uint64_t ticks_div;
};

constexpr Unit kUnits[] = {
    {"ns", kTickHz, 1'000'000'000},
    {"us", kTickHz, 1'000'000},
    {"\xC2\xB5s", kTickHz, 1'000'000},  // µs (micro sign)
    {"\xCE\xBCs", kTickHz, 1'000'000},  // μs (Greek mu)
    {"ms", kTickHz, 1'000},
    {"s", kTickHz, 1},
    {"min", kTickHz * 60, 1},
    {"h", kTickHz * 3600, 1},
};

}  // namespace

// ---- numbers ------------------------------------------------------------------------------------

std::optional<Cycles> parse_duration(std::string_view text, std::string* error) {
  if (text.empty()) {
    set_error(error, "expected a duration such as 10ms, got nothing");
    return std::nullopt;
  }
  if (text[0] == '-') {
    set_error(error, "a duration cannot be negative (" + quoted(text) + ")");
    return std::nullopt;
  }
  std::size_t pos = 0;
  if (text[0] == '+') pos = 1;
  if (pos >= text.size() || (!is_digit(text[pos]))) {
    set_error(error, "expected a duration such as 10ms, 1.5s or 2min, got " + quoted(text));
    return std::nullopt;
  }
  std::string sub_error;
  auto number = read_decimal(text, pos, &sub_error);
  if (!number) {
    set_error(error, sub_error);
    return std::nullopt;
  }
  while (pos < text.size() && is_blank(text[pos])) ++pos;
  std::string_view unit_text = text.substr(pos);
  if (unit_text.empty()) {
    if (number->mantissa == 0) return Cycles{0};
    set_error(error, quoted(text) + " has no unit; write e.g. " + std::string(text) +
                         "ms (units: us, ms, s, min, h)");
    return std::nullopt;
  }
  const Unit* unit = nullptr;
  for (const Unit& u : kUnits) {
    if (u.name == unit_text) unit = &u;
  }
  if (!unit) {
    set_error(error, "unknown unit " + quoted(unit_text) + " in " + quoted(text) +
                         " (use ns, us, ms, s, min or h)");
    return std::nullopt;
  }
  unsigned __int128 num = number->mantissa * unit->ticks_mul;
  unsigned __int128 den = unit->ticks_div;
  for (unsigned i = 0; i < number->scale; ++i) den *= 10;
  unsigned __int128 ticks = (num + den / 2) / den;
  if (ticks >= static_cast<unsigned __int128>(kNever)) {
    set_error(error, quoted(text) + " is too long");
    return std::nullopt;
  }
  if (ticks == 0 && number->mantissa != 0) {
    set_error(error, quoted(text) + " is shorter than one tick of the 120 MHz clock (8.33ns)");
    return std::nullopt;
  }
  return static_cast<Cycles>(ticks);
}

std::string format_duration(Cycles ticks) {
  struct U {
    const char* name;
    Cycles ticks;
  };
  static constexpr U units[] = {{"h", kTickHz * 3600}, {"min", kTickHz * 60}, {"s", kTickHz},
                                {"ms", kTickHz / 1000}, {"us", kTickHz / 1'000'000}};
  if (ticks == 0) return "0s";
  for (const U& u : units) {
    if (ticks % u.ticks == 0) return std::to_string(ticks / u.ticks) + u.name;
  }
  if (ticks % 3 == 0) return std::to_string(ticks / 3 * 25) + "ns";  // 1 tick = 25/3 ns
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3fus", ticks_to_us(ticks));
  return buf;
}

std::optional<double> parse_percent(std::string_view text, std::string* error) {
  std::string_view body = text;
  while (!body.empty() && is_blank(body.back())) body.remove_suffix(1);
  bool has_sign = !body.empty() && body.back() == '%';
  if (has_sign) {
    body.remove_suffix(1);
    while (!body.empty() && is_blank(body.back())) body.remove_suffix(1);
  }
  std::size_t pos = 0;
  bool negative = false;
  if (pos < body.size() && (body[pos] == '-' || body[pos] == '+')) {
    negative = body[pos] == '-';
    ++pos;
  }
  if (pos >= body.size() || !is_digit(body[pos])) {
    set_error(error, "expected a percentage such as 2.5%, got " + quoted(text));
    return std::nullopt;
  }
  std::string sub_error;
  auto number = read_decimal(body, pos, &sub_error);
  if (!number) {
    set_error(error, sub_error);
    return std::nullopt;
  }
  if (pos != body.size()) {
    set_error(error, "expected a percentage such as 2.5%, got " + quoted(text));
    return std::nullopt;
  }
  if (!has_sign && number->mantissa != 0) {
    set_error(error, quoted(text) + " has no % sign; write e.g. " + std::string(text) + "%");
    return std::nullopt;
  }
  double value = static_cast<double>(number->mantissa);
  for (unsigned i = 0; i < number->scale; ++i) value /= 10;
  return negative ? -value : value;
}

std::optional<std::uint64_t> parse_uint(std::string_view text, std::string* error) {
  std::size_t pos = 0;
  if (!text.empty() && text[0] == '+') pos = 1;
  if (!text.empty() && text[0] == '-') {
    set_error(error, "expected a number of 0 or more, got " + quoted(text));
    return std::nullopt;
  }
  if (pos >= text.size()) {
    set_error(error, "expected a whole number, got " + quoted(text));
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (; pos < text.size(); ++pos) {
    if (!is_digit(text[pos])) {
      set_error(error, "expected a whole number, got " + quoted(text));
      return std::nullopt;
    }
    unsigned digit = static_cast<unsigned>(text[pos] - '0');
    if (value > (UINT64_MAX - digit) / 10) {
      set_error(error, quoted(text) + " is too large");
      return std::nullopt;
    }
    value = value * 10 + digit;
  }
  return value;
}

std::optional<double> parse_real(std::string_view text, std::string* error) {
  std::string_view body = text;
  if (!body.empty() && body[0] == '+') body.remove_prefix(1);
  // Only plain decimal / exponent spellings (no inf, nan, hex floats).
  bool ok = !body.empty();
  for (char c : body) {
    if (!(is_digit(c) || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) ok = false;
  }
  double value = 0;
  if (ok) {
    auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
    ok = ec == std::errc() && ptr == body.data() + body.size() && std::isfinite(value);
  }
  if (!ok) {
    set_error(error, "expected a number such as 0.25 or 1e-4, got " + quoted(text));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> parse_bool(std::string_view text, std::string* error) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true" || lower == "yes") return true;
  if (lower == "false" || lower == "no") return false;
  set_error(error, "expected true or false, got " + quoted(text));
  return std::nullopt;
}

// ---- serial line --------------------------------------------------------------------------------

bool parse_serial_format(std::string_view text, SerialFormat& out, std::string* error) {
  auto fail = [&] {
    set_error(error, "expected a line format such as 8N1 (data bits 5..8, parity N/O/E/M/S, "
                     "stop bits 1 or 2), got " + quoted(text));
    return false;
  };
  if (text.size() != 3) return fail();
  char bits = text[0];
  char parity = static_cast<char>(std::toupper(static_cast<unsigned char>(text[1])));
  char stop = text[2];
  if (bits < '5' || bits > '8') return fail();
  if (std::string_view("NOEMS").find(parity) == std::string_view::npos) return fail();
  if (stop != '1' && stop != '2') return fail();
  out.data_bits = static_cast<unsigned>(bits - '0');
  out.parity = parity;
  out.stop_bits = static_cast<unsigned>(stop - '0');
  return true;
}

std::string format_serial_format(const SerialFormat& format) {
  std::string out;
  out += static_cast<char>('0' + format.data_bits);
  out += format.parity;
  out += static_cast<char>('0' + format.stop_bits);
  return out;
}

// ---- addresses ----------------------------------------------------------------------------------

std::string Ipv4::str() const {
  return std::to_string(value >> 24) + "." + std::to_string((value >> 16) & 0xFF) + "." +
         std::to_string((value >> 8) & 0xFF) + "." + std::to_string(value & 0xFF);
}

std::optional<Ipv4> parse_ipv4(std::string_view text, std::string* error) {
  auto fail = [&]() -> std::optional<Ipv4> {
    set_error(error, "expected an IPv4 address such as 192.168.0.201, got " + quoted(text));
    return std::nullopt;
  };
  std::uint32_t value = 0;
  std::size_t pos = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (pos >= text.size() || text[pos] != '.') return fail();
      ++pos;
    }
    std::size_t start = pos;
    unsigned v = 0;
    while (pos < text.size() && is_digit(text[pos]) && pos - start < 3) {
      v = v * 10 + static_cast<unsigned>(text[pos] - '0');
      ++pos;
    }
    if (pos == start || v > 255 || (pos - start > 1 && text[start] == '0')) return fail();
    value = (value << 8) | v;
  }
  if (pos != text.size()) return fail();
  return Ipv4{value};
}

std::optional<Ipv4> parse_ipv4_prefix(std::string_view text, unsigned& prefix, std::string* error) {
  auto slash = text.find('/');
  auto ip = parse_ipv4(text.substr(0, slash), error);
  if (!ip) return std::nullopt;
  if (slash != std::string_view::npos) {
    std::string_view p = text.substr(slash + 1);
    auto value = parse_uint(p, nullptr);
    if (!value || p.empty() || p[0] == '+' || *value > 32) {
      set_error(error, "the prefix length in " + quoted(text) + " must be 0..32");
      return std::nullopt;
    }
    prefix = static_cast<unsigned>(*value);
  }
  return ip;
}

std::optional<MacAddress> parse_mac(std::string_view text, std::string* error) {
  MacAddress mac{};
  bool ok = text.size() == 17;
  char sep = ok ? text[2] : 0;
  ok = ok && (sep == ':' || sep == '-');
  for (std::size_t i = 0; ok && i < 6; ++i) {
    int hi = hex_value(text[i * 3]);
    int lo = hex_value(text[i * 3 + 1]);
    if (hi < 0 || lo < 0 || (i < 5 && text[i * 3 + 2] != sep)) ok = false;
    else mac[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  if (!ok) {
    set_error(error, "expected a MAC address such as 02:00:00:00:00:01, got " + quoted(text));
    return std::nullopt;
  }
  return mac;
}

std::string format_mac(const MacAddress& mac) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  return buf;
}

MacAddress derive_mac(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a, 64 bit
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  MacAddress mac{};
  mac[0] = 0x02;  // locally administered, unicast
  for (int i = 1; i < 6; ++i) mac[i] = static_cast<std::uint8_t>(h >> (8 * (i - 1)));
  return mac;
}

std::optional<std::uint16_t> parse_port(std::string_view text, bool allow_zero, std::string* error) {
  auto value = parse_uint(text, nullptr);
  std::uint64_t low = allow_zero ? 0 : 1;
  if (!value || *value < low || *value > 65535) {
    set_error(error, std::string("expected a port number ") + (allow_zero ? "0" : "1") +
                         "..65535, got " + quoted(text));
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(*value);
}

// ---- escapes ------------------------------------------------------------------------------------

namespace detail {

std::optional<std::size_t> decode_escape(std::string_view s, std::size_t i, std::string& out,
                                         EscapeMode mode, std::string* error) {
  // s[i] == '\\'
  if (i + 1 >= s.size()) {
    set_error(error, "a backslash at the end of the text starts no escape (write \\\\)");
    return std::nullopt;
  }
  char c = s[i + 1];
  std::size_t next = i + 2;
  const bool bytes = mode == EscapeMode::Bytes;
  switch (c) {
    case 'a': out += '\a'; return next;
    case 'b': out += '\b'; return next;
    case 't': case '\t': out += '\t'; return next;
    case 'n': out += '\n'; return next;
    case 'v': out += '\v'; return next;
    case 'f': out += '\f'; return next;
    case 'r': out += '\r'; return next;
    case 'e': out += '\x1B'; return next;
    case ' ': out += ' '; return next;
    case '"': out += '"'; return next;
    case '\'': out += '\''; return next;
    case '\\': out += '\\'; return next;
    case '/': out += '/'; return next;
    case 'N': out += '\x85'; return next;  // as yaml-cpp
    case '_': out += '\xA0'; return next;  // as yaml-cpp
    case 'L': out += "\xE2\x80\xA8"; return next;
    case 'P': out += "\xE2\x80\xA9"; return next;
    case '?':
      if (bytes) { out += '?'; return next; }
      break;
    case 'x': {
      unsigned value = 0;
      std::size_t n = 0;
      while (n < 2 && next < s.size() && hex_value(s[next]) >= 0) {
        value = value * 16 + static_cast<unsigned>(hex_value(s[next]));
        ++next;
        ++n;
      }
      if (n == 0 || (!bytes && n != 2)) {
        set_error(error, "\\x needs hex digits, as in \\x0D");
        return std::nullopt;
      }
      if (bytes) out += static_cast<char>(value);
      else append_utf8(out, value);
      return next;
    }
    case 'u':
    case 'U': {
      std::size_t want = c == 'u' ? 4 : 8;
      std::uint32_t value = 0;
      for (std::size_t n = 0; n < want; ++n, ++next) {
        if (next >= s.size() || hex_value(s[next]) < 0) {
          set_error(error, std::string("\\") + c + " needs " + std::to_string(want) + " hex digits");
          return std::nullopt;
        }
        value = value * 16 + static_cast<std::uint32_t>(hex_value(s[next]));
      }
      if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) {
        set_error(error, "invalid unicode code point in \\" + std::string(1, c) + " escape");
        return std::nullopt;
      }
      append_utf8(out, value);
      return next;
    }
    default:
      break;
  }
  if (c >= '0' && c <= '7') {
    if (!bytes) {
      if (c == '0') {
        out += '\0';
        return next;
      }
    } else {
      unsigned value = static_cast<unsigned>(c - '0');
      std::size_t n = 1;
      while (n < 3 && next < s.size() && s[next] >= '0' && s[next] <= '7') {
        value = value * 8 + static_cast<unsigned>(s[next] - '0');
        ++next;
        ++n;
      }
      if (value > 0377) {
        set_error(error, "octal escape \\" + std::string(s.substr(i + 1, n)) +
                             " is larger than one byte (\\377)");
        return std::nullopt;
      }
      out += static_cast<char>(value);
      return next;
    }
  }
  std::string shown = (static_cast<unsigned char>(c) < 0x20) ? "a control character"
                                                              : "'\\" + std::string(1, c) + "'";
  set_error(error, "unknown escape " + shown +
                       " (known: \\r \\n \\t \\0 \\\\ \\\" \\xHH \\NNN octal and YAML's \\u)");
  return std::nullopt;
}

}  // namespace detail

std::optional<std::vector<std::uint8_t>> unescape_c(std::string_view text, std::string* error) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '\\') {
      out += text[i++];
      continue;
    }
    auto next = detail::decode_escape(text, i, out, detail::EscapeMode::Bytes, error);
    if (!next) return std::nullopt;
    i = *next;
  }
  return std::vector<std::uint8_t>(out.begin(), out.end());
}

std::optional<std::vector<std::uint8_t>> parse_hex_bytes(std::string_view text, std::string* error) {
  std::vector<std::uint8_t> out;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (is_blank(c) || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    int hi = hex_value(c);
    int lo = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
    if (hi < 0) {
      set_error(error, "hex data may hold only hex digits and blanks, found " +
                           quoted(text.substr(i, 1)));
      return std::nullopt;
    }
    if (lo < 0) {
      set_error(error, "hex data must be whole bytes (pairs of digits such as 55 AA); " +
                           std::string("the digit at offset ") + std::to_string(i) + " has no pair");
      return std::nullopt;
    }
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::shared_ptr<const std::regex> compile_match(const std::string& pattern, std::string* error) {
  if (pattern.size() > kMaxRegexLength) {
    set_error(error, "regular expression longer than " + std::to_string(kMaxRegexLength) +
                         " characters");
    return nullptr;
  }
  // std::regex builds {n,m} by copying states: refuse large counts before they cost time.
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      std::size_t digits = 0;
      while (i + 1 + digits < pattern.size() && is_digit(pattern[i + 1 + digits])) ++digits;
      if (digits > 3) {  // libstdc++ reads back references into a long without overflow checks
        set_error(error, "invalid regular expression (back reference number too large)");
        return nullptr;
      }
      i += digits > 0 ? digits : 1;
      continue;
    }
    if (pattern[i] != '{') continue;
    std::uint64_t count = 0;
    for (std::size_t j = i + 1; j < pattern.size() && (is_digit(pattern[j]) || pattern[j] == ','); ++j) {
      if (pattern[j] == ',') {
        count = 0;
        continue;
      }
      count = std::min<std::uint64_t>(count * 10 + static_cast<unsigned>(pattern[j] - '0'), 1'000'000);
      if (count > kMaxRegexRepeat) {
        set_error(error, "invalid regular expression (repetition count above " +
                             std::to_string(kMaxRegexRepeat) + ")");
        return nullptr;
      }
    }
  }
  try {
    return std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    std::string why;
    switch (e.code()) {
      case std::regex_constants::error_collate: why = "invalid collating element"; break;
      case std::regex_constants::error_ctype: why = "invalid character class"; break;
      case std::regex_constants::error_escape: why = "invalid escape"; break;
      case std::regex_constants::error_backref: why = "invalid back reference"; break;
      case std::regex_constants::error_brack: why = "unmatched [ or ]"; break;
      case std::regex_constants::error_paren: why = "unmatched ( or )"; break;
      case std::regex_constants::error_brace: why = "unmatched { or }"; break;
      case std::regex_constants::error_badbrace: why = "invalid {} repetition"; break;
      case std::regex_constants::error_range: why = "invalid character range"; break;
      case std::regex_constants::error_space: why = "pattern too large"; break;
      case std::regex_constants::error_badrepeat: why = "nothing to repeat before * + ? or {"; break;
      case std::regex_constants::error_complexity: why = "pattern too complex"; break;
      case std::regex_constants::error_stack: why = "pattern too complex"; break;
      default: why = e.what(); break;
    }
    set_error(error, "invalid regular expression (" + why + ")");
  } catch (const std::exception& e) {
    set_error(error, std::string("invalid regular expression (") + e.what() + ")");
  }
  return nullptr;
}

std::string escape_bytes(const std::uint8_t* data, std::size_t size) {
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    std::uint8_t b = data[i];
    switch (b) {
      case '\r': out += "\\r"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default:
        if (b >= 0x20 && b < 0x7F) {
          out += static_cast<char>(b);
        } else {
          char buf[5];
          std::snprintf(buf, sizeof buf, "\\x%02X", b);
          out += buf;
        }
    }
  }
  return out;
}

std::string escape_bytes(const std::vector<std::uint8_t>& bytes) {
  return escape_bytes(bytes.data(), bytes.size());
}

// ---- data ---------------------------------------------------------------------------------------

bool DataSpec::has_random() const {
  return std::any_of(parts.begin(), parts.end(),
                     [](const DataPart& p) { return p.kind == DataPart::Kind::Random; });
}

std::size_t DataSpec::size() const {
  std::size_t n = 0;
  for (const DataPart& p : parts) n += p.kind == DataPart::Kind::Random ? p.random_count : p.bytes.size();
  return n;
}

std::vector<std::uint8_t> DataSpec::fixed_bytes() const {
  std::vector<std::uint8_t> out;
  for (const DataPart& p : parts) {
    if (p.kind == DataPart::Kind::Bytes) out.insert(out.end(), p.bytes.begin(), p.bytes.end());
  }
  return out;
}

std::string DataSpec::describe() const {
  constexpr std::size_t kShown = 64;
  if (is_match()) return "{match: \"" + escape_bytes(reinterpret_cast<const std::uint8_t*>(pattern.data()), pattern.size()) + "\"}";
  std::string out;
  for (const DataPart& p : parts) {
    if (!out.empty()) out += " + ";
    if (p.kind == DataPart::Kind::Random) {
      out += "{random: " + std::to_string(p.random_count) + "}";
    } else if (p.bytes.size() <= kShown) {
      out += "\"" + escape_bytes(p.bytes) + "\"";
    } else {
      out += "\"" + escape_bytes(p.bytes.data(), kShown) + "\"... (" +
             std::to_string(p.bytes.size()) + " bytes)";
    }
  }
  return out.empty() ? "\"\"" : out;
}

DataSpec DataSpec::from_bytes(std::vector<std::uint8_t> bytes) {
  DataSpec spec;
  DataPart part;
  part.bytes = std::move(bytes);
  spec.parts.push_back(std::move(part));
  return spec;
}

DataSpec DataSpec::from_string(std::string_view text) {
  return from_bytes(std::vector<std::uint8_t>(text.begin(), text.end()));
}

std::vector<std::uint8_t> expand(const DataSpec& spec, RandomBytes& random) {
  std::vector<std::uint8_t> out;
  if (spec.is_match()) return out;
  out.reserve(spec.size());
  for (const DataPart& p : spec.parts) {
    if (p.kind == DataPart::Kind::Bytes) {
      out.insert(out.end(), p.bytes.begin(), p.bytes.end());
      continue;
    }
    for (std::size_t i = 0; i < p.random_count; ++i) out.push_back(random.next());
  }
  return out;
}

}  // namespace k7sim
