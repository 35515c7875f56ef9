// Values of the scenario format (shared/spec/scenario-format.md "Values"): durations, percentages,
// numbers, line formats, addresses and data, parsed on their own (harness/values.h).
#include <gtest/gtest.h>

#include <random>
#include <regex>

#include "harness/values.h"
#include "tests/harness/test_units.h"

namespace k7sim {
namespace {

using namespace test_units;

// scenario-format.md Values: "Durations: 250us, 10ms, 1.5s, 2min, 1h."
TEST(ValuesDuration, SpecUnitsConvertExactlyToTicks) {
  EXPECT_EQ(parse_duration("250us"), 250 * kUs);
  EXPECT_EQ(parse_duration("10ms"), 10 * kMs);
  EXPECT_EQ(parse_duration("1.5s"), 3 * kS / 2);
  EXPECT_EQ(parse_duration("2min"), 120 * kS);
  EXPECT_EQ(parse_duration("1h"), 3600 * kS);
  EXPECT_EQ(parse_duration("600s"), 600 * kS);
  EXPECT_EQ(parse_duration("0.1us"), Cycles{12});
  EXPECT_EQ(parse_duration("1.50s"), 3 * kS / 2) << "trailing zeros of the fraction";
  EXPECT_EQ(parse_duration("007ms"), 7 * kMs) << "leading zeros";
}

// scenario-format.md Values: "Integers without unit are rejected."
TEST(ValuesDuration, IntegersWithoutUnitAreRejected) {
  std::string err;
  EXPECT_FALSE(parse_duration("10", &err));
  EXPECT_NE(err.find("has no unit"), std::string::npos) << err;
  EXPECT_FALSE(parse_duration("1.5"));
  EXPECT_FALSE(parse_duration("250000"));
}

// Decision (docs/scenarios.md Values): zero needs no unit, so `gap: 0` of the spec's serial.write works.
TEST(ValuesDuration, BareZeroIsAccepted) {
  EXPECT_EQ(parse_duration("0"), Cycles{0});
  EXPECT_EQ(parse_duration("0.0"), Cycles{0});
  EXPECT_EQ(parse_duration("0ms"), Cycles{0});
}

// scenario-format.md: out-of-range times are rejected; a duration is never negative.
TEST(ValuesDuration, NegativeAndMalformedAreRejected) {
  std::string err;
  EXPECT_FALSE(parse_duration("-5ms", &err));
  EXPECT_NE(err.find("negative"), std::string::npos) << err;
  for (const char* bad : {"", "ms", "10sec", "10 seconds", "1e3ms", ".5s", "1.s", "10ms5", "1,5s",
                          "10MS", "10Ms", "0x10ms", "inf", "1..2s", "+", "10m"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

// Extension (docs/scenarios.md Values): ns and µs units, blanks before the unit.
TEST(ValuesDuration, ExtensionsNanosecondsMicroSignAndBlanks) {
  EXPECT_EQ(parse_duration("25ns"), Cycles{3});
  EXPECT_EQ(parse_duration("250\xC2\xB5s"), 250 * kUs);
  EXPECT_EQ(parse_duration("250\xCE\xBCs"), 250 * kUs);
  EXPECT_EQ(parse_duration("10 ms"), 10 * kMs);
}

// Decision (docs/scenarios.md Values): rounded to the nearest 120 MHz tick; a non-zero value that
// rounds to no tick at all is rejected rather than silently becoming 0.
TEST(ValuesDuration, RoundsToNearestTickAndRejectsSubTick) {
  EXPECT_EQ(parse_duration("5ns"), Cycles{1});    // 0.6 tick
  EXPECT_EQ(parse_duration("12ns"), Cycles{1});   // 1.44 ticks
  EXPECT_EQ(parse_duration("13ns"), Cycles{2});   // 1.56 ticks
  EXPECT_EQ(parse_duration("0.001us"), std::nullopt);  // 0.12 tick
  std::string err;
  EXPECT_FALSE(parse_duration("1ns", &err));
  EXPECT_NE(err.find("shorter than one tick"), std::string::npos) << err;
}

TEST(ValuesDuration, OverflowAndTooManyDigitsAreRejected) {
  std::string err;
  EXPECT_FALSE(parse_duration("99999999999999h", &err));
  EXPECT_NE(err.find("too long"), std::string::npos) << err;
  EXPECT_FALSE(parse_duration("1.0000000000000000000000001s"));
  EXPECT_TRUE(parse_duration("40000h"));  // ~4.6 years of virtual time still fits
}

TEST(ValuesDuration, FormatPicksLargestExactUnit) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(250 * kUs), "250us");
  EXPECT_EQ(format_duration(10 * kMs), "10ms");
  EXPECT_EQ(format_duration(3 * kS / 2), "1500ms");
  EXPECT_EQ(format_duration(120 * kS), "2min");
  EXPECT_EQ(format_duration(3600 * kS), "1h");
  EXPECT_EQ(format_duration(3), "25ns");
  EXPECT_EQ(format_duration(1), "0.008us");
  for (const char* text : {"250us", "10ms", "1500ms", "2min", "1h", "25ns"}) {
    EXPECT_EQ(format_duration(*parse_duration(text)), text);
  }
}

// scenario-format.md serial.baud_error: "host clock error, e.g. 2.5% or -4%".
TEST(ValuesPercent, SpecExamplesAndSigns) {
  EXPECT_DOUBLE_EQ(*parse_percent("2.5%"), 2.5);
  EXPECT_DOUBLE_EQ(*parse_percent("-4%"), -4.0);
  EXPECT_DOUBLE_EQ(*parse_percent("0%"), 0.0);
  EXPECT_DOUBLE_EQ(*parse_percent("+1%"), 1.0);
  EXPECT_DOUBLE_EQ(*parse_percent("5 %"), 5.0);
  EXPECT_DOUBLE_EQ(*parse_percent("0"), 0.0);
  std::string err;
  EXPECT_FALSE(parse_percent("5", &err));
  EXPECT_NE(err.find("no % sign"), std::string::npos) << err;
  for (const char* bad : {"%", "abc%", "5%%", "1e2%", "--4%", "", "5.%"}) {
    EXPECT_FALSE(parse_percent(bad)) << bad;
  }
}

TEST(ValuesNumber, UnsignedIntegersRealsAndBooleans) {
  EXPECT_EQ(parse_uint("0"), 0u);
  EXPECT_EQ(parse_uint("+12"), 12u);
  EXPECT_EQ(parse_uint("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_uint("18446744073709551616"));
  EXPECT_FALSE(parse_uint("-1"));
  EXPECT_FALSE(parse_uint("1.0"));
  EXPECT_FALSE(parse_uint("0x10"));
  EXPECT_FALSE(parse_uint(""));
  EXPECT_DOUBLE_EQ(*parse_real("1e-4"), 1e-4);
  EXPECT_DOUBLE_EQ(*parse_real("0.25"), 0.25);
  EXPECT_DOUBLE_EQ(*parse_real("+3"), 3.0);
  EXPECT_FALSE(parse_real("inf"));
  EXPECT_FALSE(parse_real("nan"));
  EXPECT_FALSE(parse_real("1e999"));
  EXPECT_FALSE(parse_real("0x1p3"));
  EXPECT_EQ(parse_bool("true"), true);
  EXPECT_EQ(parse_bool("False"), false);
  EXPECT_EQ(parse_bool("yes"), true);
  EXPECT_FALSE(parse_bool("1"));
}

// scenario-format.md serial.format: "data bits 5..8, parity N/O/E/M/S, stop 1|2".
TEST(ValuesSerialFormat, DataBitsParityStopBits) {
  SerialFormat f;
  f.baud = 9600;
  ASSERT_TRUE(parse_serial_format("7E2", f));
  EXPECT_EQ(f.data_bits, 7u);
  EXPECT_EQ(f.parity, 'E');
  EXPECT_EQ(f.stop_bits, 2u);
  EXPECT_EQ(f.baud, 9600u) << "baud is not part of the format";
  ASSERT_TRUE(parse_serial_format("5s1", f));
  EXPECT_EQ(f.parity, 'S');
  EXPECT_EQ(format_serial_format(f), "5S1");
  for (const char* ok : {"5N1", "6O1", "7M2", "8N1", "8E1"}) EXPECT_TRUE(parse_serial_format(ok, f)) << ok;
  for (const char* bad : {"9N1", "4N1", "8X1", "8N3", "8N0", "8N", "8N1 ", "8N1.5", ""}) {
    EXPECT_FALSE(parse_serial_format(bad, f)) << bad;
  }
}

// scenario-format.md network.peers: "ip: 192.168.0.201 # mask /24 unless given as 192.168.0.201/16".
TEST(ValuesAddress, Ipv4WithOptionalPrefix) {
  unsigned prefix = 24;
  auto ip = parse_ipv4_prefix("192.168.0.201", prefix);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->value, 0xC0A800C9u);
  EXPECT_EQ(prefix, 24u);
  EXPECT_EQ(ip->str(), "192.168.0.201");
  ASSERT_TRUE(parse_ipv4_prefix("192.168.0.201/16", prefix));
  EXPECT_EQ(prefix, 16u);
  EXPECT_FALSE(parse_ipv4_prefix("192.168.0.201/33", prefix));
  EXPECT_FALSE(parse_ipv4_prefix("192.168.0.201/", prefix));
  EXPECT_EQ(parse_ipv4("255.255.255.255")->value, 0xFFFFFFFFu);
  for (const char* bad : {"192.168.0", "192.168.0.256", "192.168.0.07", "a.b.c.d", "1.2.3.4.5",
                          "1.2.3.4 ", "", "1..2.3"}) {
    EXPECT_FALSE(parse_ipv4(bad)) << bad;
  }
}

// scenario-format.md network.peers: "mac: optional, derived from the name when absent".
TEST(ValuesAddress, MacParsedOrDerivedFromName) {
  auto mac = parse_mac("02:00:00:00:00:01");
  ASSERT_TRUE(mac);
  EXPECT_EQ((*mac)[0], 0x02);
  EXPECT_EQ((*mac)[5], 0x01);
  EXPECT_TRUE(parse_mac("02-AB-cd-00-00-01"));
  EXPECT_FALSE(parse_mac("02:00:00:00:00"));
  EXPECT_FALSE(parse_mac("02:00:00:00:00:0g"));
  EXPECT_FALSE(parse_mac("02:00-00:00:00:01"));
  MacAddress a = derive_mac("pc");
  EXPECT_EQ(a, derive_mac("pc")) << "stable";
  EXPECT_NE(a, derive_mac("server"));
  EXPECT_EQ(a[0], 0x02) << "locally administered unicast";
  EXPECT_EQ(format_mac(*mac), "02:00:00:00:00:01");
}

TEST(ValuesAddress, Ports) {
  EXPECT_EQ(parse_port("23", false), 23);
  EXPECT_EQ(parse_port("65535", false), 65535);
  EXPECT_FALSE(parse_port("0", false));
  EXPECT_EQ(parse_port("0", true), 0);
  EXPECT_FALSE(parse_port("65536", true));
  EXPECT_FALSE(parse_port("-1", true));
}

// scenario-format.md Values: "Data: a YAML string with C escapes ("AT+VER\r", "\x55\xAA")".
TEST(ValuesData, CEscapes) {
  EXPECT_EQ(*unescape_c("AT+VER\\r"), bytes("AT+VER\r"));
  EXPECT_EQ(*unescape_c("\\x55\\xAA"), (std::vector<std::uint8_t>{0x55, 0xAA}));
  EXPECT_EQ(*unescape_c("\\r\\n\\t\\\\\\\"\\'\\?\\a\\b\\f\\v\\e\\/"),
            bytes("\r\n\t\\\"'?\a\b\f\v\x1B/"));
  EXPECT_EQ(*unescape_c("\\0"), (std::vector<std::uint8_t>{0}));
  EXPECT_EQ(*unescape_c("\\101\\60\\7\\377"), (std::vector<std::uint8_t>{'A', '0', 7, 0xFF}));
  EXPECT_EQ(*unescape_c("\\1010"), bytes("A0")) << "octal takes at most 3 digits";
  EXPECT_EQ(*unescape_c("\\x4G"), bytes("\x04G")) << "\\x takes one or two hex digits";
  EXPECT_EQ(*unescape_c("\\u00e9"), bytes("\xC3\xA9")) << "\\u gives UTF-8";
  EXPECT_EQ(*unescape_c("plain text"), bytes("plain text"));
  EXPECT_EQ(*unescape_c(""), bytes(""));
}

TEST(ValuesData, BadEscapesAreRejected) {
  std::string err;
  EXPECT_FALSE(unescape_c("a\\q", &err));
  EXPECT_NE(err.find("unknown escape '\\q'"), std::string::npos) << err;
  EXPECT_FALSE(unescape_c("abc\\", &err));
  EXPECT_NE(err.find("backslash at the end"), std::string::npos) << err;
  EXPECT_FALSE(unescape_c("\\777", &err));
  EXPECT_NE(err.find("larger than one byte"), std::string::npos) << err;
  EXPECT_FALSE(unescape_c("\\xZZ"));
  EXPECT_FALSE(unescape_c("\\u12"));
  EXPECT_FALSE(unescape_c("\\uD800"));
  EXPECT_FALSE(unescape_c("\\8"));
}

// scenario-format.md Values: {hex: "55 AA 55 01 C2 00 83 46"}.
TEST(ValuesData, HexBytes) {
  EXPECT_EQ(*parse_hex_bytes("55 AA 55 01 C2 00 83 46"),
            (std::vector<std::uint8_t>{0x55, 0xAA, 0x55, 0x01, 0xC2, 0x00, 0x83, 0x46}));
  EXPECT_EQ(*parse_hex_bytes("55aa"), (std::vector<std::uint8_t>{0x55, 0xAA}));
  EXPECT_EQ(*parse_hex_bytes("55\n\tAA "), (std::vector<std::uint8_t>{0x55, 0xAA}));
  EXPECT_TRUE(parse_hex_bytes("")->empty());
  std::string err;
  EXPECT_FALSE(parse_hex_bytes("55 A", &err));
  EXPECT_NE(err.find("whole bytes"), std::string::npos) << err;
  EXPECT_FALSE(parse_hex_bytes("5 5"));
  EXPECT_FALSE(parse_hex_bytes("0x55"));
  EXPECT_FALSE(parse_hex_bytes("GG"));
}

// scenario-format.md Values: {match: "^\\r\\n\\+OK=\\d+\\r\\n$"} (ECMAScript syntax).
TEST(ValuesData, RegularExpressionsCompileOnceAndMatchBytes) {
  auto re = compile_match("^\\r\\n\\+OK=\\d+\\r\\n$");
  ASSERT_TRUE(re);
  EXPECT_TRUE(std::regex_match(std::string("\r\n+OK=115200\r\n"), *re));
  EXPECT_FALSE(std::regex_match(std::string("\r\n+ERR=-4\r\n"), *re));
  std::string err;
  EXPECT_FALSE(compile_match("a(", &err));
  EXPECT_NE(err.find("invalid regular expression"), std::string::npos) << err;
  EXPECT_FALSE(compile_match("*a"));
  EXPECT_FALSE(compile_match("[z-a]"));
  EXPECT_FALSE(compile_match(std::string(kMaxRegexLength + 1, 'a')));
  EXPECT_FALSE(compile_match("a{99999999}")) << "too large to build, rejected instead of exhausting memory";
}

// scenario-format.md Values: {random: 2048} "bytes from the scenario seed".
TEST(ValuesData, RandomExpandsDeterministicallyFromTheSeed) {
  DataSpec spec;
  DataPart fixed;
  fixed.bytes = bytes("AT");
  DataPart random;
  random.kind = DataPart::Kind::Random;
  random.random_count = 2048;
  spec.parts = {fixed, random};
  EXPECT_EQ(spec.size(), 2050u);
  EXPECT_TRUE(spec.has_random());
  EXPECT_FALSE(spec.is_fixed());
  RandomBytes a(1), b(1), c(2);
  auto x = expand(spec, a);
  auto y = expand(spec, b);
  auto z = expand(spec, c);
  ASSERT_EQ(x.size(), 2050u);
  EXPECT_EQ(x[0], 'A');
  EXPECT_EQ(x[1], 'T');
  EXPECT_EQ(x, y) << "same seed, same bytes";
  EXPECT_NE(x, z) << "other seed, other bytes";
  std::mt19937_64 d(1);
  std::uint64_t first = d();
  EXPECT_EQ(x[2], static_cast<std::uint8_t>(first)) << "least significant byte of each draw first";
  EXPECT_EQ(x[9], static_cast<std::uint8_t>(first >> 56));
  EXPECT_EQ(spec.describe(), "\"AT\" + {random: 2048}");
}

// Sends and expectations cut the same random stream differently (robust scenarios send many small
// random bursts and expect them as one block): the bytes must not depend on the cut.
TEST(ValuesData, RandomStreamDoesNotDependOnHowItIsCut) {
  auto random_spec = [](std::size_t n) {
    DataSpec spec;
    DataPart part;
    part.kind = DataPart::Kind::Random;
    part.random_count = n;
    spec.parts = {part};
    return spec;
  };
  RandomBytes whole(5), pieces(5);
  const auto all = expand(random_spec(1 + 700 + 37 + 3), whole);
  std::vector<std::uint8_t> joined;
  for (std::size_t n : {1u, 700u, 37u, 3u}) {
    const auto part = expand(random_spec(n), pieces);
    joined.insert(joined.end(), part.begin(), part.end());
  }
  EXPECT_EQ(joined, all);
}

TEST(ValuesData, DescribeAndEscapeForReports) {
  EXPECT_EQ(DataSpec::from_string("AT+VER\r").describe(), "\"AT+VER\\r\"");
  EXPECT_EQ(escape_bytes(bytes("\x55\xAA\"\\\t")), "U\\xAA\\\"\\\\\\t");
  DataSpec m;
  m.pattern = "^a$";
  m.regex = compile_match(m.pattern);
  EXPECT_TRUE(m.is_match());
  EXPECT_EQ(m.describe(), "{match: \"^a$\"}");
  RandomBytes rng(0);
  EXPECT_TRUE(expand(m, rng).empty());
  EXPECT_EQ(DataSpec::from_string(std::string(100, 'x')).describe().find("(100 bytes)") != std::string::npos, true);
}

}  // namespace
}  // namespace k7sim
