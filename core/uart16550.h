/* 16550 for tessera's console: polled transmitter, receiver polled or by interrupt. */
#ifndef CORE_UART16550_H
#define CORE_UART16550_H
#include <stdbool.h>
#include <stdint.h>
void uart16550_init(uintptr_t base, unsigned reg_shift, unsigned reg_io_width);
void uart16550_putc(int c);
int uart16550_getc(void);   /* a received byte, or -1 */
void uart16550_rx_interrupt(bool on);   /* raise the line while received bytes wait */
#endif
