#include "board.h"

#include "console.h"
#include "cpu.h"
#include "gpio.h"
#include "sysctl.h"
#include "systime.h"
#include "tm4c1294.h"

/* Module pins (see board.h). */
#define PIN_U1RX   (1u << 0) /* PB0 */
#define PIN_U1TX   (1u << 1) /* PB1 */
#define PIN_RTS    (1u << 0) /* PN0 */
#define PIN_CTS    (1u << 1) /* PN1 */
#define PIN_RELOAD (1u << 0) /* PJ0 */
#define PIN_U0RX   (1u << 0) /* PA0 */
#define PIN_U0TX   (1u << 1) /* PA1 */
#define PCTL_UART  1u

/* Module port: 1 KB each way is several packets' worth at any baud rate; the AT side only needs a
 * few hundred bytes. Console: room for the boot banner and bursts of log lines. */
UART_DEV_DEFINE(board_module_uart, 1, IRQ_UART1, BOARD_PRIO_MODULE_UART, 1024, 1024);
UART_DEV_DEFINE(board_console_uart, 0, IRQ_UART0, BOARD_PRIO_CONSOLE, 16, 2048);

void UART0_Handler(void);
void UART1_Handler(void);

void UART0_Handler(void) { uart_isr(&board_console_uart); }
void UART1_Handler(void) { uart_isr(&board_module_uart); }

void board_init(struct board_info *info)
{
    /* Boot runs with interrupts masked until the time base and handlers are ready. */
    irq_disable();

    info->clock = clock_init();
    systime_init(info->clock.sysclk_hz);

    info->reset_cause = sysctl_reset_cause();
    sysctl_clear_reset_cause();
    info->is_tm4c129 = sysctl_is_tm4c129();
    info->did1 = reg_read(SYSCTL_DID1);

    info->gpio_ready = sysctl_enable(SYSCTL_SFX_GPIO, SYSCTL_GPIO_A | SYSCTL_GPIO_B | SYSCTL_GPIO_J | SYSCTL_GPIO_N);

    /* Serial pins to the UARTs. The module UART itself is opened by the application with the
     * configured line settings; until then the pins are muxed but the UART is off, so TXD idles. */
    gpio_alt_function(GPIO_PORTA_BASE, PIN_U0RX | PIN_U0TX, PCTL_UART);
    gpio_alt_function(GPIO_PORTB_BASE, PIN_U1RX | PIN_U1TX, PCTL_UART);

    /* RTS: flow control NONE is the factory setting; RTS then is the RS485 direction output and
     * idles low (receive). CTS is only read with hardware flow control. */
    gpio_output(GPIO_PORTN_BASE, PIN_RTS, false);
    gpio_input(GPIO_PORTN_BASE, PIN_CTS, false);

    /* Reload: active low, internal pull-up so an open pin reads released. */
    gpio_input(GPIO_PORTJ_BASE, PIN_RELOAD, true);

    const struct uart_config console_cfg = {
        .baud = BOARD_CONSOLE_BAUD, .data_bits = 8, .stop_bits = 1, .parity = UART_PARITY_NONE, .cts_flow = false,
    };
    info->console_ready = uart_open(&board_console_uart, info->clock.sysclk_hz, &console_cfg);
    if (info->console_ready) {
        console_init(&board_console_uart);
    }

    irq_enable();
}

void board_print_banner(const struct board_info *info, const char *firmware_version)
{
    char resc[64];
    sysctl_describe_reset_cause(info->reset_cause, resc, sizeof resc);

    console_write("\n");
    console_log("%s", BOARD_NAME);
    console_log("firmware %s (k7sim reference firmware)", firmware_version);
    console_log("device: %s, DID1 0x%08lx", info->is_tm4c129 ? "TM4C129 class" : "UNEXPECTED DID0",
                (unsigned long)info->did1);
    if (info->clock.pll_locked) {
        console_log("clock: %lu Hz (PLL 480 MHz from 25 MHz MOSC)%s", (unsigned long)info->clock.sysclk_hz,
                    info->clock.mosc_ready ? "" : ", MOSC ready flag not seen");
    } else {
        console_log("clock: PLL did not lock, running from PIOSC at %lu Hz", (unsigned long)info->clock.sysclk_hz);
    }
    console_log("reset cause: %s (RESC 0x%08lx, cleared)", resc, (unsigned long)info->reset_cause);
    if (!info->gpio_ready) {
        console_log("warning: GPIO ports did not report ready");
    }
}

bool board_reload_pressed(void)
{
    return !gpio_read(GPIO_PORTJ_BASE, PIN_RELOAD);
}

void board_set_rts(bool high)
{
    gpio_write(GPIO_PORTN_BASE, PIN_RTS, high);
}

void board_route_cts(bool to_uart)
{
    if (to_uart) {
        gpio_alt_function(GPIO_PORTN_BASE, PIN_CTS, PCTL_UART);
    } else {
        gpio_input(GPIO_PORTN_BASE, PIN_CTS, false);
    }
}
