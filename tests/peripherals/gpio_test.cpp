// GPIO port model (tm4c1294-facts.md section 4).
#include "peripherals/gpio.h"

#include <gtest/gtest.h>

#include <vector>

namespace k7sim {
namespace {

constexpr std::uint32_t kData = 0x3FC;  // all pins
constexpr std::uint32_t kDir = 0x400, kIs = 0x404, kIbe = 0x408, kIev = 0x40C, kIm = 0x410, kRis = 0x414,
                        kMis = 0x418, kIcr = 0x41C, kAfsel = 0x420, kDr2r = 0x500, kDr4r = 0x504, kOdr = 0x50C,
                        kPur = 0x510, kPdr = 0x514, kDen = 0x51C, kLock = 0x520, kCr = 0x524, kPctl = 0x52C;
constexpr std::uint32_t kKey = 0x4C4F434B;

std::uint32_t data_addr(std::uint8_t mask) { return static_cast<std::uint32_t>(mask) << 2; }

class GpioTest : public ::testing::Test {
 protected:
  EventQueue events;
  GpioPort port{"GPIOA", events};
};

// facts §4: DATA address bits [9:2] mask the pins; writes change only masked pins, reads return 0
// for unmasked pins.
TEST_F(GpioTest, DataAddressMasking) {
  port.write(kDir, 0xFF, 4);
  port.write(kDen, 0xFF, 4);
  port.write(kData, 0x00, 4);
  port.write(data_addr(0x05), 0xFF, 4);  // pins 0 and 2 only
  EXPECT_EQ(port.read(kData, 4), 0x05u);
  EXPECT_EQ(port.read(data_addr(0x04), 4), 0x04u);
  EXPECT_EQ(port.read(data_addr(0xF0), 4), 0x00u);
  port.write(data_addr(0x81), 0x80, 4);  // pin 7 set, pin 0 cleared, pin 2 untouched
  EXPECT_EQ(port.read(kData, 4), 0x84u);
  EXPECT_TRUE(port.pad(7).level());
  EXPECT_FALSE(port.pad(0).level());
  EXPECT_TRUE(port.pad(2).level());
  port.write(0x000, 0xFF, 4);  // mask 0: nothing changes
  EXPECT_EQ(port.read(kData, 4), 0x84u);
}

// facts §4: input pins read the pad (only with DEN), output pins read the latch.
TEST_F(GpioTest, InputsReadThePadOnlyWithDigitalEnable) {
  port.drive(3, true);
  EXPECT_EQ(port.read(kData, 4), 0x00u);  // DEN = 0: the input buffer is off
  port.write(kDen, 0x08, 4);
  EXPECT_EQ(port.read(kData, 4), 0x08u);
  port.drive(3, false);
  EXPECT_EQ(port.read(kData, 4), 0x00u);
}

// Rule (gpio.h): pad = own output, else external drive, else pull-up/-down, else 0 (floating).
TEST_F(GpioTest, PadResolution) {
  std::vector<bool> seen;
  port.pad(1).on_change([&](bool l) { seen.push_back(l); });
  EXPECT_FALSE(port.level(1));      // floating reads 0
  port.write(kPur, 0x02, 4);
  EXPECT_TRUE(port.level(1));       // pull-up
  port.drive(1, false);
  EXPECT_FALSE(port.level(1));      // external drive beats the pull-up
  port.write(kDen, 0x02, 4);
  port.write(kDir, 0x02, 4);
  port.write(kData, 0x02, 4);
  EXPECT_TRUE(port.level(1));       // output beats the external drive
  port.write(kDir, 0x00, 4);
  EXPECT_FALSE(port.level(1));      // back to the external drive
  port.drive(1, std::nullopt);
  EXPECT_TRUE(port.level(1));       // released: pull-up
  port.write(kPdr, 0x02, 4);        // pull-down replaces the pull-up
  EXPECT_EQ(port.read(kPur, 4), 0u);
  EXPECT_FALSE(port.level(1));
  EXPECT_EQ(seen, (std::vector<bool>{true, false, true, false, true, false}));
}

// Rule (gpio.h, datasheet DEN): without DEN the output driver is off; ODR only pulls low.
TEST_F(GpioTest, OutputNeedsDenAndOpenDrainReleasesHigh) {
  port.write(kDir, 0x01, 4);
  port.write(kData, 0x01, 4);  // latched before DEN (pre-set level)
  EXPECT_FALSE(port.level(0));
  port.write(kDen, 0x01, 4);
  EXPECT_TRUE(port.level(0));
  port.write(kOdr, 0x01, 4);
  EXPECT_FALSE(port.level(0));  // open drain writing 1: released, nothing pulls up
  port.drive(0, true);
  EXPECT_TRUE(port.level(0));
  port.write(kData, 0x00, 4);
  EXPECT_FALSE(port.level(0));  // open drain writing 0: pulls low against the external drive
}

// Rule (gpio.h): an alternate-function output reaches the pad when AFSEL && DEN; alternate()
// reports AFSEL && DEN && PCTL == function.
TEST_F(GpioTest, AlternateFunctionRouting) {
  port.drive_alternate(1, false);
  EXPECT_FALSE(port.alternate(1, 1));
  port.write(kPur, 0x02, 4);
  EXPECT_TRUE(port.level(1));  // AFSEL = 0: the peripheral is not connected
  port.write(kAfsel, 0x03, 4);
  port.write(kDen, 0x03, 4);
  port.write(kPctl, 0x11, 4);
  EXPECT_TRUE(port.alternate(1, 1));
  EXPECT_TRUE(port.alternate(0, 1));
  EXPECT_FALSE(port.alternate(1, 2));
  EXPECT_FALSE(port.level(1));  // UART TX idle-low here
  port.drive_alternate(1, true);
  EXPECT_TRUE(port.level(1));
  port.drive(0, false);
  EXPECT_EQ(port.read(kData, 4) & 0x01u, 0u);  // AF input pin reads the pad
}

// facts §4: LOCK 0x4C4F434B unlocks CR (reads 0), anything else locks (reads 1); CR gates
// AFSEL/PUR/PDR/DEN per bit.
TEST(GpioLock, CommitRegisterGatesProtectedPins) {
  EventQueue events;
  GpioPort pd("GPIOD", events, GpioPort::port_d_resets());
  EXPECT_EQ(pd.read(kLock, 4), 1u);
  EXPECT_EQ(pd.read(kCr, 4), 0x7Fu);
  pd.write(kDen, 0xFF, 4);
  EXPECT_EQ(pd.read(kDen, 4), 0x7Fu);  // PD7 locked
  pd.write(kCr, 0xFF, 4);              // ignored while locked
  EXPECT_EQ(pd.read(kCr, 4), 0x7Fu);
  pd.write(kLock, kKey, 4);
  EXPECT_EQ(pd.read(kLock, 4), 0u);
  pd.write(kCr, 0xFF, 4);
  EXPECT_EQ(pd.read(kCr, 4), 0xFFu);
  pd.write(kLock, 0, 4);  // re-lock
  EXPECT_EQ(pd.read(kLock, 4), 1u);
  pd.write(kDen, 0xFF, 4);
  pd.write(kAfsel, 0x80, 4);
  pd.write(kPur, 0x80, 4);
  EXPECT_EQ(pd.read(kDen, 4), 0xFFu);
  EXPECT_EQ(pd.read(kAfsel, 4), 0x80u);
  EXPECT_EQ(pd.read(kPur, 4), 0x80u);
  pd.reset();
  EXPECT_EQ(pd.read(kCr, 4), 0x7Fu);
  EXPECT_EQ(pd.read(kLock, 4), 1u);
}

// facts §4: PC[3:0] (JTAG) locked; they come out of reset in their JTAG function.
TEST(GpioLock, PortCJtagPinsResetLockedInTheirFunction) {
  EventQueue events;
  GpioPort pc("GPIOC", events, GpioPort::port_c_resets());
  EXPECT_EQ(pc.read(kCr, 4), 0xF0u);
  EXPECT_EQ(pc.read(kAfsel, 4), 0x0Fu);
  EXPECT_EQ(pc.read(kDen, 4), 0x0Fu);
  EXPECT_EQ(pc.read(kPctl, 4), 0x1111u);
  pc.write(kAfsel, 0x00, 4);
  EXPECT_EQ(pc.read(kAfsel, 4), 0x0Fu);
  EXPECT_TRUE(pc.alternate(0, 1));
}

// facts §4: edge interrupts: IS=0, IEV=1 rising, IEV=0 falling, IBE both; ICR write-1-clears;
// irq = RIS & IM.
TEST_F(GpioTest, EdgeInterrupts) {
  port.write(kDen, 0xFF, 4);
  port.write(kIev, 0x01, 4);  // pin 0 rising, pin 1 falling, pin 2 both
  port.write(kIbe, 0x04, 4);
  port.write(kIm, 0x07, 4);
  EXPECT_FALSE(port.irq().level());
  port.drive(0, true);
  EXPECT_EQ(port.read(kRis, 4), 0x01u);
  EXPECT_TRUE(port.irq().level());
  port.drive(0, false);  // falling on a rising-edge pin: nothing new
  EXPECT_EQ(port.read(kRis, 4), 0x01u);
  port.write(kIcr, 0x01, 4);
  EXPECT_EQ(port.read(kRis, 4), 0x00u);
  EXPECT_FALSE(port.irq().level());
  port.drive(1, true);
  EXPECT_EQ(port.read(kRis, 4), 0x00u);
  port.drive(1, false);
  EXPECT_EQ(port.read(kRis, 4), 0x02u);
  port.drive(2, true);
  EXPECT_EQ(port.read(kRis, 4), 0x06u);
  port.write(kIcr, 0x04, 4);
  port.drive(2, false);
  EXPECT_EQ(port.read(kRis, 4), 0x06u);
  // Masked pins still latch RIS but not MIS / irq.
  port.write(kIm, 0x00, 4);
  EXPECT_FALSE(port.irq().level());
  EXPECT_EQ(port.read(kMis, 4), 0x00u);
  port.write(kIm, 0x02, 4);
  EXPECT_EQ(port.read(kMis, 4), 0x02u);
  EXPECT_TRUE(port.irq().level());
}

// facts §4: "Level interrupts re-assert while the level persists": ICR cannot clear them.
TEST_F(GpioTest, LevelInterruptsPersistWhileTheLevelDoes) {
  port.write(kDen, 0x01, 4);
  port.write(kIs, 0x01, 4);
  port.write(kIev, 0x01, 4);  // high level
  port.write(kIm, 0x01, 4);
  EXPECT_FALSE(port.irq().level());
  port.drive(0, true);
  EXPECT_TRUE(port.irq().level());
  port.write(kIcr, 0x01, 4);
  EXPECT_EQ(port.read(kRis, 4), 0x01u);  // still high: still pending
  EXPECT_TRUE(port.irq().level());
  port.drive(0, false);
  EXPECT_EQ(port.read(kRis, 4), 0x00u);
  EXPECT_FALSE(port.irq().level());
  port.write(kIev, 0x00, 4);  // low level: the pin is low now
  EXPECT_EQ(port.read(kRis, 4), 0x01u);
}

// Rule (gpio.h): a GPIO output does not raise input interrupts.
TEST_F(GpioTest, OutputsDoNotInterrupt) {
  port.write(kDen, 0x01, 4);
  port.write(kDir, 0x01, 4);
  port.write(kIbe, 0x01, 4);
  port.write(kData, 0x01, 4);
  port.write(kData, 0x00, 4);
  EXPECT_EQ(port.read(kRis, 4), 0u);
}

// Rule: DR2R/DR4R/DR8R are exclusive per pin; reset restores all registers but keeps external drives.
TEST_F(GpioTest, DriveStrengthAndReset) {
  EXPECT_EQ(port.read(kDr2r, 4), 0xFFu);
  port.write(kDr4r, 0x0F, 4);
  EXPECT_EQ(port.read(kDr2r, 4), 0xF0u);
  port.write(kPur, 0x10, 4);
  port.write(kDen, 0x10, 4);
  port.write(kIm, 0x10, 4);
  port.drive(4, true);
  port.reset();
  EXPECT_EQ(port.read(kDr2r, 4), 0xFFu);
  EXPECT_EQ(port.read(kDr4r, 4), 0x00u);
  EXPECT_EQ(port.read(kPur, 4), 0x00u);
  EXPECT_EQ(port.read(kRis, 4), 0x00u);
  EXPECT_TRUE(port.level(4));  // the external drive is still there
  EXPECT_FALSE(port.irq().level());
}

// facts §4 / PrimeCell: identification words at 0xFD0..0xFFC.
TEST_F(GpioTest, PeripheralIdWords) {
  EXPECT_EQ(port.read(0xFE0, 4), 0x61u);
  EXPECT_EQ(port.read(0xFE8, 4), 0x18u);
  EXPECT_EQ(port.read(0xFEC, 4), 0x01u);
  EXPECT_EQ(port.read(0xFF0, 4), 0x0Du);
  EXPECT_EQ(port.read(0xFF4, 4), 0xF0u);
  EXPECT_EQ(port.read(0xFF8, 4), 0x05u);
  EXPECT_EQ(port.read(0xFFC, 4), 0xB1u);
  EXPECT_EQ(port.read(0xFD0, 4), 0x00u);
}

}  // namespace
}  // namespace k7sim
