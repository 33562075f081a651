/* Console output: SBI until the UART from the device tree is known. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <arch/cpu.h>
#include "core/console.h"
#include "core/spinlock.h"
#include "core/uart16550.h"

static struct ticket_lock console_lock;
static void (*console_putc)(int c) = arch_early_putc;

void console_use_uart(uintptr_t base, unsigned reg_shift, unsigned reg_io_width)
{
	uart16550_init(base, reg_shift, reg_io_width);
	console_putc = uart16550_putc;
}

void console_write(const char *s, size_t n)
{
	ticket_lock_acquire(&console_lock);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			console_putc('\r');
		console_putc(s[i]);
	}
	ticket_lock_release(&console_lock);
}

void log_line(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	console_write(buf, (size_t)n);
}
