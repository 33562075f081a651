/*
 * The AArch64 guests' library: console output, PSCI over HVC. The console
 * UART at UART_GPA is a PL011 (tessera's emulated one, or QEMU's own when
 * the guest runs natively) or tessera's emulated 16550: the PL011 is told
 * by its PrimeCell id, where the 16550's page reads as zero.
 */
#include "a64.h"

static volatile uint8_t *const uart = (volatile uint8_t *)UART_GPA;
static int uart_kind;   /* 0 not probed yet, 1 16550, 2 PL011 */

int uart_is_pl011(void)
{
	if (!uart_kind) {
		volatile uint32_t *id = (volatile uint32_t *)(UART_GPA + 0xff0);
		uart_kind = (id[0] == 0x0d && id[1] == 0xf0 && id[2] == 0x05 && id[3] == 0xb1) ? 2 : 1;
	}
	return uart_kind == 2;
}

void putc_uart(char c)
{
	if (uart_is_pl011()) {
		volatile uint32_t *r = (volatile uint32_t *)UART_GPA;
		while (r[0x18 / 4] & (1u << 5))   /* FR.TXFF */
			;
		r[0] = (uint8_t)c;
		return;
	}
	while (!(uart[5] & 0x20))   /* LSR.THRE */
		;
	uart[0] = (uint8_t)c;
}

void puts_uart(const char *s)
{
	while (*s) {
		if (*s == '\n')
			putc_uart('\r');
		putc_uart(*s++);
	}
}

void put_hex(uint64_t v)
{
	puts_uart("0x");
	for (int i = 60; i >= 0; i -= 4)
		putc_uart("0123456789abcdef"[(v >> i) & 15]);
}

void put_dec(uint64_t v)
{
	char b[24];
	int n = 0;
	do {
		b[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		putc_uart(b[--n]);
}

int64_t psci(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
	return (int64_t)x0;
}

uint64_t mpidr(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v;
}

/* Any exception but an IRQ (vectors.S): report it with its syndrome and stop this vCPU. */
void lib_bad_vector(void)
{
	uint64_t esr, elr;
	__asm__ volatile("mrs %0, esr_el1; mrs %1, elr_el1" : "=r"(esr), "=r"(elr));
	puts_uart("FAIL: an exception at an unexpected vector, ESR_EL1 ");
	put_hex(esr);
	puts_uart(" ELR_EL1 ");
	put_hex(elr);
	puts_uart("\n");
	for (;;)
		__asm__ volatile("wfi");
}
