// SerialFormat / SerialFrame: the waveform every serial model and the harness agree on.
#include "peripherals/serial_frame.h"

#include <gtest/gtest.h>

namespace k7sim {
namespace {

// Rule: "8N1"-style strings give data bits 5..8, parity N/O/E/M/S, stop 1|2 (serial_frame.h).
TEST(SerialFrameFormat, ParsesAndPrintsEveryValidForm) {
  SerialFormat f;
  f.baud = 9600;
  ASSERT_TRUE(SerialFormat::parse("7E2", f));
  EXPECT_EQ(f.data_bits, 7u);
  EXPECT_EQ(f.parity, 'E');
  EXPECT_EQ(f.stop_bits, 2u);
  EXPECT_EQ(f.baud, 9600u);  // the baud rate is not part of the string
  EXPECT_EQ(f.to_string(), "7E2");
  EXPECT_EQ(f.bits_per_frame(), 11u);
  ASSERT_TRUE(SerialFormat::parse("5s1", f));
  EXPECT_EQ(f.parity, 'S');
  EXPECT_EQ(f.to_string(), "5S1");
  for (const char* ok : {"8N1", "8O1", "8E1", "8M1", "8S2", "5N1", "6N2"}) {
    SerialFormat g;
    EXPECT_TRUE(SerialFormat::parse(ok, g)) << ok;
    EXPECT_EQ(g.to_string(), ok);
  }
}

// Rule: malformed strings are rejected and leave the output untouched.
TEST(SerialFrameFormat, RejectsMalformedStrings) {
  SerialFormat f;
  for (const char* bad : {"", "8N", "9N1", "4N1", "8X1", "8N3", "8N1x", "N81"}) {
    EXPECT_FALSE(SerialFormat::parse(bad, f)) << bad;
  }
  EXPECT_EQ(f.to_string(), "8N1");
}

// Rule: parity bit - E makes the count of ones even, O odd, M is 1, S is 0; only data_bits count.
TEST(SerialFrameParity, ComputesEachParityKind) {
  SerialFormat f;
  f.parity = 'E';
  EXPECT_FALSE(SerialFrame::compute_parity(0x00, f));
  EXPECT_TRUE(SerialFrame::compute_parity(0x01, f));
  EXPECT_FALSE(SerialFrame::compute_parity(0x03, f));
  f.parity = 'O';
  EXPECT_TRUE(SerialFrame::compute_parity(0x00, f));
  EXPECT_FALSE(SerialFrame::compute_parity(0x01, f));
  f.parity = 'M';
  EXPECT_TRUE(SerialFrame::compute_parity(0x00, f));
  f.parity = 'S';
  EXPECT_FALSE(SerialFrame::compute_parity(0xFF, f));
  f.parity = 'E';
  f.data_bits = 7;
  EXPECT_FALSE(SerialFrame::compute_parity(0x80, f));  // bit 7 is not sent in 7-bit mode
}

// Rule: start bit low, data LSB first, parity, stop high, idle high outside the frame.
TEST(SerialFrameWaveform, LevelsFollowTheBitOrder) {
  SerialFrame fr;
  fr.start = 1000;
  fr.bit_ticks = 100;
  fr.format.parity = 'E';
  fr.data = 0xA5;  // 1010 0101: LSB first 1,0,1,0,0,1,0,1
  fr.parity_bit = SerialFrame::compute_parity(fr.data, fr.format);
  EXPECT_FALSE(fr.parity_bit);  // four ones
  EXPECT_TRUE(fr.level_at(999));
  EXPECT_FALSE(fr.level_at(1000));   // start
  EXPECT_FALSE(fr.level_at(1099));
  const bool bits[8] = {true, false, true, false, false, true, false, true};
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(fr.level_at(1000 + 100 * (i + 1)), bits[i]) << i;
    EXPECT_EQ(fr.level_at(1000 + 100 * (i + 1) + 99), bits[i]) << i;
  }
  EXPECT_FALSE(fr.level_at(1900));  // parity bit 0
  EXPECT_TRUE(fr.level_at(2000));   // stop
  EXPECT_EQ(fr.end(), 2100u);       // 11 bits
  EXPECT_TRUE(fr.level_at(2100));
}

// Rule: end() is the first whole tick at or after the last stop bit; exact products do not round up.
TEST(SerialFrameWaveform, EndOfFractionalBitTimes) {
  SerialFrame fr;
  fr.start = 0;
  fr.bit_ticks = 1041.75;  // 115200 baud from 120 MHz, IBRD 65 FBRD 7
  EXPECT_EQ(fr.end(), 10418u);   // 10 x 1041.75 = 10417.5
  fr.bit_ticks = 1000.0;
  EXPECT_EQ(fr.end(), 10000u);
  fr.format.stop_bits = 2;
  EXPECT_EQ(fr.end(), 11000u);
}

// Rule: a break holds the line low for break_ticks, then idle.
TEST(SerialFrameWaveform, BreakIsLowForItsLength) {
  SerialFrame fr;
  fr.start = 50;
  fr.is_break = true;
  fr.break_ticks = 30000;
  fr.bit_ticks = 1000;
  EXPECT_TRUE(fr.level_at(49));
  EXPECT_FALSE(fr.level_at(50));
  EXPECT_FALSE(fr.level_at(30049));
  EXPECT_TRUE(fr.level_at(30050));
  EXPECT_EQ(fr.end(), 30050u);
}

}  // namespace
}  // namespace k7sim
