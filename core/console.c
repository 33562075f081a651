/*
 * Console output without a lock on anyone's path: each core appends whole
 * lines to its own ring and writes its own ring to the UART when it finds
 * the UART free (an atomic flag it never waits for). A core writes only
 * what it printed itself: a VM that floods the console spends its own
 * core's time, never another core's. A line left behind because the UART
 * was busy goes out at that core's next run-loop pass (console_flush), or
 * before it sleeps; and since a core whose guest runs alone may come back
 * to neither for a long time, the core that had the UART kicks it when it
 * lets go (an IPI: the short trap path flushes too).
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <arch/cpu.h>
#include "core/console.h"
#include "core/pcpu.h"
#include "core/pl011.h"
#include "core/uart16550.h"
#include "partition/hostdt.h"

#define CONSOLE_RING 16384u  /* per core, power of two: a guest line that finds no room is dropped */

struct console_ring {
	_Atomic uint32_t head;   /* written by the owning core */
	_Atomic uint32_t tail;   /* written by the owning core too, as it writes out */
	char buf[CONSOLE_RING];
};

static struct console_ring rings[CONFIG_MAX_CORES];
static atomic_flag uart_busy = ATOMIC_FLAG_INIT;
static _Atomic uint32_t uart_waiters;   /* cores whose ring found the UART busy (bit per core) */
static void (*console_putc)(int c) = arch_early_putc;
static int (*uart_getc)(void);
static void (*uart_rx_interrupt)(bool on);

/* The driver follows the UART's compatible (partition/hostdt.c lists the ones it knows). */
void console_use_uart(const struct hostdt_uart *u)
{
	if (strcmp(u->compatible, "arm,pl011") == 0) {
		pl011_init((uintptr_t)u->base);
		console_putc = pl011_putc;
		uart_getc = pl011_getc;
		uart_rx_interrupt = pl011_rx_interrupt;
	} else {
		uart16550_init((uintptr_t)u->base, u->reg_shift, u->reg_io_width);
		console_putc = uart16550_putc;
		uart_getc = uart16550_getc;
		uart_rx_interrupt = uart16550_rx_interrupt;
	}
}

void console_use_early(void)
{
	console_putc = arch_early_putc;
}

bool console_rx_interrupt(bool on)
{
	if (!uart_rx_interrupt)
		return false;
	uart_rx_interrupt(on);
	return true;
}

int console_getc(void)
{
	return uart_getc ? uart_getc() : -1;
}

static void put_raw(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			console_putc('\r');
		console_putc(s[i]);
	}
}

/* Write a ring out up to what it holds now (the UART is ours: tail moves only under the flag). */
static void write_out(struct console_ring *r)
{
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

/*
 * Let the UART go; a core that found it busy meanwhile is kicked to write
 * its lines. The seq_cst pair with flush_ring: either that core's second
 * try finds the flag clear, or this load sees its bit.
 */
static void uart_release(unsigned self)
{
	atomic_flag_clear_explicit(&uart_busy, memory_order_seq_cst);
	uint32_t w = atomic_load_explicit(&uart_waiters, memory_order_seq_cst) & ~(1u << self);
	for (unsigned c = 0; w && c < CONFIG_MAX_CORES; c++)
		if (w & 1u << c)
			ipc_kick(c);
}

/* This core's ring, if the UART is free; else the core is kicked when it is. */
static void flush_ring(struct console_ring *r)
{
	if (atomic_load_explicit(&r->head, memory_order_relaxed) ==
	    atomic_load_explicit(&r->tail, memory_order_relaxed))
		return;
	unsigned self = (unsigned)(r - rings);
	uint32_t bit = 1u << self;
	if (atomic_flag_test_and_set_explicit(&uart_busy, memory_order_acquire)) {
		atomic_fetch_or_explicit(&uart_waiters, bit, memory_order_seq_cst);
		if (atomic_flag_test_and_set_explicit(&uart_busy, memory_order_seq_cst))
			return;   /* still busy: its writer kicks this core when it lets go */
	}
	if (atomic_load_explicit(&uart_waiters, memory_order_relaxed) & bit)
		atomic_fetch_and_explicit(&uart_waiters, ~bit, memory_order_relaxed);
	write_out(r);
	uart_release(self);
}

/*
 * Every core's lines, waiting a while for the UART: at power-off, when no VM
 * is left to run. Bounded, since a panic may come while this very core
 * holds the flag: then the lines are given up, the power-off is not.
 */
void console_flush_all(void)
{
	uint64_t hz = core_timebase_hz() ? core_timebase_hz() : 10000000;
	uint64_t until = arch_time_now() + hz / 10;   /* 100 ms */
	while (atomic_flag_test_and_set_explicit(&uart_busy, memory_order_acquire))
		if (arch_time_now() > until)
			return;
		else
			arch_relax();
	for (unsigned c = 0; c < CONFIG_MAX_CORES; c++)
		write_out(&rings[c]);
	atomic_flag_clear_explicit(&uart_busy, memory_order_release);
}

bool console_flush(void)
{
	struct pcpu *p = arch_this_pcpu();
	if (!p)
		return true;
	struct console_ring *r = &rings[p->id];
	flush_ring(r);
	return atomic_load_explicit(&r->head, memory_order_relaxed) ==
	       atomic_load_explicit(&r->tail, memory_order_relaxed);
}

/* Append to this core's ring; a full ring waits (wait) or refuses the text. */
static bool append(const char *s, size_t n, bool wait)
{
	struct pcpu *p = arch_this_pcpu();
	if (!p) {
		/* Early boot, one core: nobody else can be writing. */
		put_raw(s, n);
		return true;
	}
	struct console_ring *r = &rings[p->id];
	uint32_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	if (!wait && CONSOLE_RING - (h - atomic_load_explicit(&r->tail, memory_order_relaxed)) < n) {
		flush_ring(r);   /* make room if the UART is free; else refuse the text */
		if (CONSOLE_RING - (h - atomic_load_explicit(&r->tail, memory_order_relaxed)) < n)
			return false;
	}
	for (size_t i = 0; i < n; i++) {
		while (h - atomic_load_explicit(&r->tail, memory_order_relaxed) >= CONSOLE_RING) {
			atomic_store_explicit(&r->head, h, memory_order_release);
			flush_ring(r);   /* full: this core's own output waits for the UART */
			arch_relax();
		}
		r->buf[h++ % CONSOLE_RING] = s[i];
	}
	atomic_store_explicit(&r->head, h, memory_order_release);
	flush_ring(r);
	return true;
}

void console_write(const char *s, size_t n)
{
	append(s, n, true);
}

bool console_try_write(const char *s, size_t n)
{
	return append(s, n, false);
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
