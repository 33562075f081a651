/* Polled Arm PL011 UART for tessera's console (the firmware set its baud rate). */
#ifndef CORE_PL011_H
#define CORE_PL011_H
#include <stdbool.h>
#include <stdint.h>
void pl011_init(uintptr_t base);
void pl011_putc(int c);
int pl011_getc(void);   /* a received byte, or -1 */
void pl011_rx_interrupt(bool on);   /* raise the line while received bytes wait */
#endif
