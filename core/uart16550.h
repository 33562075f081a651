/* Polled 16550 transmitter for tessera's console. */
#ifndef CORE_UART16550_H
#define CORE_UART16550_H
#include <stdint.h>
void uart16550_init(uintptr_t base, unsigned reg_shift, unsigned reg_io_width);
void uart16550_putc(int c);
int uart16550_getc(void);   /* a received byte, or -1 */
#endif
