/* 16550 for tessera's console: polled transmitter, receiver polled or by interrupt; the firmware set the line up. */
#include <stdbool.h>
#include <stdint.h>
#include "core/uart16550.h"

#define UART_THR 0
#define UART_IER 1
#define UART_MCR 4
#define UART_LSR 5
#define IER_ERBFI 0x01   /* received data (and the character timeout) */
#define MCR_OUT2  0x08   /* on PC-style boards, gates the interrupt line */
#define LSR_THRE 0x20

static struct {
	uintptr_t base;
	unsigned shift, width;
} uart;

static uint32_t reg_read(unsigned reg)
{
	uintptr_t a = uart.base + ((uintptr_t)reg << uart.shift);
	return uart.width == 4 ? *(volatile uint32_t *)a : *(volatile uint8_t *)a;
}

static void reg_write(unsigned reg, uint32_t v)
{
	uintptr_t a = uart.base + ((uintptr_t)reg << uart.shift);
	if (uart.width == 4)
		*(volatile uint32_t *)a = v;
	else
		*(volatile uint8_t *)a = (uint8_t)v;
}

void uart16550_init(uintptr_t base, unsigned reg_shift, unsigned reg_io_width)
{
	uart.base = base;
	uart.shift = reg_shift;
	uart.width = reg_io_width;
}

void uart16550_rx_interrupt(bool on)
{
	if (!uart.base)
		return;
	reg_write(UART_MCR, on ? reg_read(UART_MCR) | MCR_OUT2 : reg_read(UART_MCR) & ~MCR_OUT2);
	reg_write(UART_IER, on ? IER_ERBFI : 0);
}

int uart16550_getc(void)
{
	if (!uart.base || !(reg_read(UART_LSR) & 0x01))
		return -1;
	return (int)(reg_read(0) & 0xff);
}

void uart16550_putc(int c)
{
	while (!(reg_read(UART_LSR) & LSR_THRE))
		;
	reg_write(UART_THR, (uint32_t)c);
}
