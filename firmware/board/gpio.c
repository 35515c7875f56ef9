#include "gpio.h"

#include "cpu.h"

/* Pin configuration is done at init from thread mode, but keep each register update atomic anyway:
 * several ports are shared between the module pins and later drivers. */

void gpio_alt_function(uint32_t port, uint32_t pins, uint32_t pctl)
{
    uint32_t key = irq_save();
    uint32_t pctl_mask = 0, pctl_bits = 0;
    for (uint32_t pin = 0; pin < 8; pin++) {
        if (pins & (1u << pin)) {
            pctl_mask |= 0xFu << (4 * pin);
            pctl_bits |= (pctl & 0xFu) << (4 * pin);
        }
    }
    reg_clear(port + GPIO_AMSEL, pins);
    reg_modify(port + GPIO_PCTL, pctl_mask, pctl_bits);
    reg_set(port + GPIO_AFSEL, pins);
    reg_set(port + GPIO_DEN, pins);
    irq_restore(key);
}

void gpio_output(uint32_t port, uint32_t pins, bool high)
{
    uint32_t key = irq_save();
    reg_clear(port + GPIO_AMSEL, pins);
    reg_clear(port + GPIO_AFSEL, pins);
    gpio_write(port, pins, high);
    reg_set(port + GPIO_DEN, pins);
    reg_set(port + GPIO_DIR, pins);
    irq_restore(key);
}

void gpio_input(uint32_t port, uint32_t pins, bool pull_up)
{
    uint32_t key = irq_save();
    reg_clear(port + GPIO_AMSEL, pins);
    reg_clear(port + GPIO_AFSEL, pins);
    reg_clear(port + GPIO_DIR, pins);
    if (pull_up) {
        reg_clear(port + GPIO_PDR, pins);
        reg_set(port + GPIO_PUR, pins);
    } else {
        reg_clear(port + GPIO_PUR, pins);
    }
    reg_set(port + GPIO_DEN, pins);
    irq_restore(key);
}
