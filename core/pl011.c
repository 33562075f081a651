/* Polled Arm PL011 UART: data register, flags; the line settings are the firmware's. */
#include <stdbool.h>
#include <stdint.h>
#include "core/pl011.h"

#define UARTDR   0x000
#define UARTFR   0x018
#define UARTCR   0x030
#define UARTIMSC 0x038
#define IMSC_RXIM (1u << 4)   /* receive FIFO level */
#define IMSC_RTIM (1u << 6)   /* receive timeout: fewer bytes than the level, then quiet */
#define FR_TXFF  (1u << 5)
#define FR_RXFE  (1u << 4)
#define CR_UARTEN (1u << 0)
#define CR_TXE   (1u << 8)
#define CR_RXE   (1u << 9)

static uintptr_t uart_base;

static volatile uint32_t *reg(unsigned off)
{
	return (volatile uint32_t *)(uart_base + off);
}

void pl011_init(uintptr_t base)
{
	uart_base = base;
	*reg(UARTCR) |= CR_UARTEN | CR_TXE | CR_RXE;
}

void pl011_putc(int c)
{
	while (*reg(UARTFR) & FR_TXFF)
		;
	*reg(UARTDR) = (uint32_t)(uint8_t)c;
}

void pl011_rx_interrupt(bool on)
{
	if (uart_base)
		*reg(UARTIMSC) = on ? IMSC_RXIM | IMSC_RTIM : 0;
}

int pl011_getc(void)
{
	if (!uart_base || (*reg(UARTFR) & FR_RXFE))
		return -1;
	return (int)(*reg(UARTDR) & 0xff);
}
