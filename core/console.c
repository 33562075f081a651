/*
 * Console output without a lock on anyone's path: each core appends whole
 * lines to its own ring; whichever core finds the UART free (an atomic flag
 * it never waits for) drains every ring to it. A core that finds the UART
 * busy leaves its line for the current drainer, who looks at every ring
 * again after letting go of the flag, so no line is stranded.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <arch/cpu.h>
#include "core/console.h"
#include "core/pcpu.h"
#include "core/uart16550.h"

#define CONSOLE_RING 4096u   /* power of two */

struct console_ring {
	_Atomic uint32_t head;   /* written by the owning core */
	_Atomic uint32_t tail;   /* written by the drainer */
	char buf[CONSOLE_RING];
};

static struct console_ring rings[CONFIG_MAX_CORES];
static atomic_flag draining = ATOMIC_FLAG_INIT;
static void (*console_putc)(int c) = arch_early_putc;

void console_use_uart(uintptr_t base, unsigned reg_shift, unsigned reg_io_width)
{
	uart16550_init(base, reg_shift, reg_io_width);
	console_putc = uart16550_putc;
}

void console_use_sbi(void)
{
	console_putc = arch_early_putc;
}

static void put_raw(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			console_putc('\r');
		console_putc(s[i]);
	}
}

static bool rings_empty(void)
{
	for (unsigned c = 0; c < CONFIG_MAX_CORES; c++)
		if (atomic_load(&rings[c].head) != atomic_load(&rings[c].tail))
			return false;
	return true;
}

/* Drain every ring, one whole line at a time, while the UART is ours. */
static void drain(void)
{
	while (!rings_empty() && !atomic_flag_test_and_set(&draining)) {
		for (unsigned c = 0; c < CONFIG_MAX_CORES; c++) {
			struct console_ring *r = &rings[c];
			uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
			uint32_t h = atomic_load_explicit(&r->head, memory_order_acquire);
			for (; t != h; t++) {
				char ch = r->buf[t % CONSOLE_RING];
				if (ch == '\n')
					console_putc('\r');
				console_putc(ch);
			}
			atomic_store_explicit(&r->tail, t, memory_order_release);
		}
		atomic_flag_clear(&draining);
	}
}

void console_write(const char *s, size_t n)
{
	struct pcpu *p = arch_this_pcpu();
	if (!p) {
		/* Early boot, one core: nobody else can be draining. */
		put_raw(s, n);
		return;
	}
	struct console_ring *r = &rings[p->id];
	uint32_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	for (size_t i = 0; i < n; i++) {
		while (h - atomic_load_explicit(&r->tail, memory_order_acquire) >= CONSOLE_RING) {
			atomic_store_explicit(&r->head, h, memory_order_release);
			drain();   /* full: output faster than the UART; help or wait for the drainer */
			arch_relax();
		}
		r->buf[h++ % CONSOLE_RING] = s[i];
	}
	atomic_store_explicit(&r->head, h, memory_order_release);
	drain();
}

void console_write_direct(const char *s, size_t n)
{
	put_raw(s, n);
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
