/*
 * Guest program: print "hello\n" on UART0 at 115200 8N1 from the 16 MHz PIOSC reset clock, then
 * sleep in WFI forever. Exercises SYSCTL clock gating (RCGC/PR), GPIO alternate functions and the
 * UART transmit path.
 */
#include "guest.h"

#define SYSCTL_RCGCGPIO 0x400FE608u
#define SYSCTL_RCGCUART 0x400FE618u
#define SYSCTL_PRGPIO   0x400FEA08u
#define SYSCTL_PRUART   0x400FEA18u

#define GPIOA           0x40058000u /* AHB aperture */
#define GPIO_AFSEL      0x420u
#define GPIO_DEN        0x51Cu
#define GPIO_PCTL       0x52Cu

#define UART0           0x4000C000u
#define UART_DR         0x000u
#define UART_FR         0x018u
#define UART_IBRD       0x024u
#define UART_FBRD       0x028u
#define UART_LCRH       0x02Cu
#define UART_CTL        0x030u
#define UART_CC         0xFC8u
#define UART_FR_TXFF    (1u << 5)

/* 16 MHz / (16 * 115200) = 8.6806: IBRD 8, FBRD round(0.6806 * 64) = 44. */
#define BAUD_IBRD 8u
#define BAUD_FBRD 44u

static void uart0_putc(char c)
{
    while (GUEST_REG32(UART0 + UART_FR) & UART_FR_TXFF) {
    }
    GUEST_REG32(UART0 + UART_DR) = (uint8_t)c;
}

int main(void)
{
    /* Clocks for GPIO port A and UART0, then wait until both report ready. */
    GUEST_REG32(SYSCTL_RCGCGPIO) |= 1u << 0;
    GUEST_REG32(SYSCTL_RCGCUART) |= 1u << 0;
    while (!(GUEST_REG32(SYSCTL_PRGPIO) & (1u << 0))) {
    }
    while (!(GUEST_REG32(SYSCTL_PRUART) & (1u << 0))) {
    }

    /* PA0 = U0Rx, PA1 = U0Tx: alternate function 1, digital enable. */
    GUEST_REG32(GPIOA + GPIO_AFSEL) |= 0x3u;
    GUEST_REG32(GPIOA + GPIO_PCTL) = (GUEST_REG32(GPIOA + GPIO_PCTL) & ~0xFFu) | 0x11u;
    GUEST_REG32(GPIOA + GPIO_DEN) |= 0x3u;

    /* UART0: disabled while programming; divisor, then LCRH (8 bits, FIFOs on) latches it. */
    GUEST_REG32(UART0 + UART_CTL) = 0;
    GUEST_REG32(UART0 + UART_IBRD) = BAUD_IBRD;
    GUEST_REG32(UART0 + UART_FBRD) = BAUD_FBRD;
    GUEST_REG32(UART0 + UART_LCRH) = (3u << 5) | (1u << 4);
    GUEST_REG32(UART0 + UART_CC) = 0; /* system clock */
    GUEST_REG32(UART0 + UART_CTL) = (1u << 9) | (1u << 8) | (1u << 0); /* RXE | TXE | UARTEN */

    for (const char *s = "hello\n"; *s; s++) {
        uart0_putc(*s);
    }

    for (;;) {
        guest_wfi();
    }
}
