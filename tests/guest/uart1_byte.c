/*
 * UART1 (the module's port: PB0 RX / PB1 TX, PCTL 1) at 115200 8N1 from the 120 MHz system clock:
 * IBRD 65, FBRD 7 (tm4c1294-facts.md §3). Sends one 0x55, then echoes whatever it receives,
 * with interrupts on RX and receive timeout; records the SysTick-free arrival count.
 */
#include "guest.h"
#include "guest_clock.h"

#define RCGCGPIO 0x400FE608u
#define PRGPIO 0x400FEA08u
#define RCGCUART 0x400FE618u
#define PRUART 0x400FEA18u
#define GPIOB 0x40059000u
#define UART1 0x4000D000u
#define NVIC_ISER0 0xE000E100u

volatile uint32_t rx_count, rt_irqs, rx_irqs;

void IRQ6_Handler(void) {
  uint32_t mis = GUEST_REG32(UART1 + 0x040);
  if (mis & (1u << 6)) rt_irqs++;
  if (mis & (1u << 4)) rx_irqs++;
  GUEST_REG32(UART1 + 0x044) = mis;
  while ((GUEST_REG32(UART1 + 0x018) & (1u << 4)) == 0) {  /* RX FIFO not empty */
    uint32_t c = GUEST_REG32(UART1 + 0x000) & 0xFFu;
    rx_count++;
    GUEST_REG32(UART1 + 0x000) = c;                         /* echo */
  }
}

int main(void) {
  guest_clock_120mhz();
  GUEST_REG32(RCGCGPIO) |= 1u << 1;
  while ((GUEST_REG32(PRGPIO) & (1u << 1)) == 0) {
  }
  GUEST_REG32(RCGCUART) |= 1u << 1;
  while ((GUEST_REG32(PRUART) & (1u << 1)) == 0) {
  }
  GUEST_REG32(GPIOB + 0x420) |= 0x3u;                                  /* AFSEL PB0, PB1 */
  GUEST_REG32(GPIOB + 0x52C) = (GUEST_REG32(GPIOB + 0x52C) & ~0xFFu) | 0x11u; /* PCTL 1 */
  GUEST_REG32(GPIOB + 0x51C) |= 0x3u;                                  /* DEN */
  GUEST_REG32(UART1 + 0x030) = 0;                                      /* disable while configuring */
  GUEST_REG32(UART1 + 0x024) = 65;
  GUEST_REG32(UART1 + 0x028) = 7;
  GUEST_REG32(UART1 + 0x02C) = (3u << 5) | (1u << 4);                  /* 8 bits, FIFO on */
  GUEST_REG32(UART1 + 0x034) = (0u << 3) | 0u;                          /* RX 1/8, TX 1/8 */
  GUEST_REG32(UART1 + 0x038) = (1u << 4) | (1u << 6);                  /* RX and RT interrupts */
  GUEST_REG32(UART1 + 0x030) = (1u << 0) | (1u << 8) | (1u << 9);      /* UARTEN, TXE, RXE */
  GUEST_REG32(NVIC_ISER0) = 1u << 6;
  GUEST_REG32(UART1 + 0x000) = 0x55;
  for (;;) guest_wfi();
}
