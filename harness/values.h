// Typed values of the scenario format (scenario-format.md "Values"): durations with units,
// percentages, integers, addresses, serial line formats and data (bytes to send or to expect).
// Every parser takes the text of one YAML scalar and returns the value, or std::nullopt with a
// short message in *error (no location: the scenario loader adds `file:line:column:`).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/time.h"
#include "peripherals/serial_frame.h"

namespace k7sim {

// ---- numbers ------------------------------------------------------------------------------------

// Durations: a decimal number and a unit, `250us`, `10ms`, `1.5s`, `2min`, `1h`; extensions: `ns`,
// `µs`, blanks between number and unit. A bare `0` is accepted (zero needs no unit); any other
// number without a unit is rejected, as are negative values. The value is converted exactly to
// 120 MHz ticks and rounded to the nearest tick (half up); a non-zero value shorter than half a
// tick is rejected, as is a value that does not fit in 64 bits of ticks.
std::optional<Cycles> parse_duration(std::string_view text, std::string* error = nullptr);
// Shortest exact spelling in the largest unit that represents it (`1min`, `250us`, `25ns`);
// durations that are not whole nanoseconds print in us with 3 decimals.
std::string format_duration(Cycles ticks);

// Percentages: `2.5%`, `-4%`, `0%`; a bare `0` is accepted. Returned in percent (2.5 for `2.5%`).
std::optional<double> parse_percent(std::string_view text, std::string* error = nullptr);

// Unsigned decimal integer (digits only, optional leading '+'), no unit, no sign, no exponent.
std::optional<std::uint64_t> parse_uint(std::string_view text, std::string* error = nullptr);
// Real number in decimal or exponent notation (`1e-4`, `0.001`); finite.
std::optional<double> parse_real(std::string_view text, std::string* error = nullptr);
// `true` / `false` (also `yes` / `no`), case-insensitive.
std::optional<bool> parse_bool(std::string_view text, std::string* error = nullptr);

// ---- serial line --------------------------------------------------------------------------------

// "8N1" style: data bits 5..8, parity N/O/E/M/S (either case), stop bits 1 or 2. Fills the
// format fields of `out` and leaves `out.baud` alone.
bool parse_serial_format(std::string_view text, SerialFormat& out, std::string* error = nullptr);
std::string format_serial_format(const SerialFormat& format);  // "8N1"

// ---- addresses ----------------------------------------------------------------------------------

struct Ipv4 {
  std::uint32_t value = 0;  // host order: 192.168.0.7 == 0xC0A80007
  std::string str() const;
  friend bool operator==(const Ipv4&, const Ipv4&) = default;
};
// Dotted quad, four decimal octets 0..255 without leading zeros.
std::optional<Ipv4> parse_ipv4(std::string_view text, std::string* error = nullptr);
// Dotted quad with an optional `/prefix` (0..32); `prefix` is left alone when none is given.
std::optional<Ipv4> parse_ipv4_prefix(std::string_view text, unsigned& prefix,
                                      std::string* error = nullptr);

using MacAddress = std::array<std::uint8_t, 6>;
// Six hex octets separated by ':' or '-'.
std::optional<MacAddress> parse_mac(std::string_view text, std::string* error = nullptr);
std::string format_mac(const MacAddress& mac);  // "02:00:00:00:00:01"
// A locally administered unicast MAC derived from a peer name (stable across runs and machines).
MacAddress derive_mac(std::string_view name);

// Port number 1..65535 (0 also when allow_zero).
std::optional<std::uint16_t> parse_port(std::string_view text, bool allow_zero,
                                        std::string* error = nullptr);

// ---- data ---------------------------------------------------------------------------------------

// Limits that keep a typo from allocating gigabytes.
inline constexpr std::size_t kMaxDataBytes = 16u << 20;      // one data value, expanded
inline constexpr std::size_t kMaxRegexLength = 2000;         // {match: ...} source characters
inline constexpr std::size_t kMaxRegexRepeat = 1000;         // largest n in x{n} / x{n,m}

// C escapes: \a \b \t \n \v \f \r \e \\ \' \" \? \/ \xH[H] (one byte), \NNN octal (1..3 digits,
// at most \377), \0, and YAML's \uXXXX \UXXXXXXXX (UTF-8), \N \_ \L \P and escaped blank/tab.
// Other bytes are copied as they are.
std::optional<std::vector<std::uint8_t>> unescape_c(std::string_view text,
                                                    std::string* error = nullptr);
// Hex bytes: pairs of hex digits, optionally separated by blanks or line breaks ("55 AA 55" or "55AA55").
std::optional<std::vector<std::uint8_t>> parse_hex_bytes(std::string_view text,
                                                         std::string* error = nullptr);
// ECMAScript regular expression over bytes (std::regex on char).
std::shared_ptr<const std::regex> compile_match(const std::string& pattern,
                                                std::string* error = nullptr);
// Printable form for messages and reports: printable ASCII as is, the rest C-escaped.
std::string escape_bytes(const std::uint8_t* data, std::size_t size);
std::string escape_bytes(const std::vector<std::uint8_t>& bytes);

// One piece of a data value: fixed bytes, or N bytes drawn from the scenario's generator.
struct DataPart {
  enum class Kind { Bytes, Random };
  Kind kind = Kind::Bytes;
  std::vector<std::uint8_t> bytes;  // Kind::Bytes
  std::size_t random_count = 0;     // Kind::Random
};

// A data value as written in a scenario. Either a byte sequence made of parts (a string, {hex},
// {repeat}, {random}, or a list of those, concatenated) or, in expectations only, a regular
// expression ({match: "..."}).
struct DataSpec {
  std::vector<DataPart> parts;
  std::string pattern;                      // {match: ...} source; empty otherwise
  std::shared_ptr<const std::regex> regex;  // compiled pattern; null unless a match

  bool is_match() const { return regex != nullptr; }
  bool has_random() const;
  bool is_fixed() const { return !is_match() && !has_random(); }
  // Bytes once expanded (not meaningful for a match).
  std::size_t size() const;
  // The bytes of a fixed value (random parts and matches contribute nothing).
  std::vector<std::uint8_t> fixed_bytes() const;
  // How it reads in a report: "AT+VER\r", {random: 2048}, {match: "..."}.
  std::string describe() const;

  static DataSpec from_bytes(std::vector<std::uint8_t> bytes);
  static DataSpec from_string(std::string_view text);
};

// A scenario's stream of random bytes: a seeded mt19937_64, 8 bytes per 64-bit draw, least
// significant byte first. No byte is skipped between data values, so the stream is the same however
// it is cut: one {random: 3000} expectation checks the bytes of three {random: 1000} sends.
class RandomBytes {
 public:
  explicit RandomBytes(std::uint64_t seed = 0) { reseed(seed); }
  void reseed(std::uint64_t seed) {
    rng_.seed(seed);
    left_ = 0;
  }
  std::uint8_t next() {
    if (left_ == 0) {
      word_ = rng_();
      left_ = 8;
    }
    const auto b = static_cast<std::uint8_t>(word_);
    word_ >>= 8;
    --left_;
    return b;
  }

 private:
  std::mt19937_64 rng_;
  std::uint64_t word_ = 0;
  int left_ = 0;
};

// The bytes of a data value; random parts come from `random`. A match expands to nothing.
std::vector<std::uint8_t> expand(const DataSpec& spec, RandomBytes& random);

}  // namespace k7sim
