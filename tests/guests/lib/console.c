/*
 * Console output and a tiny printf (%d %i %u %x %lx %ld %lu %s %c %p %%,
 * with optional '-' or '0' flag and width).  Output goes through SBI DBCN write
 * (guest-physical buffer address = its address here, paging is off) when
 * the extension is present, else the legacy console_putchar.  A whole
 * printf call is written under one lock, so lines from different harts do
 * not interleave.
 */
#include "guest.h"

static int has_dbcn;
static guest_lock_t print_lock = GUEST_LOCK_INIT;
static volatile int print_owner = -1;

void guest_console_init(void)
{
	has_dbcn = sbi_has_extension(SBI_EXT_DBCN);
}

int guest_has_dbcn(void)
{
	return has_dbcn;
}

void guest_console_write(const char *s, unsigned long n)
{
	while (n && has_dbcn) {
		struct sbiret r = sbi_dbcn_write(n, (unsigned long)s, 0);
		if (r.error != SBI_SUCCESS || r.value <= 0 || (unsigned long)r.value > n)
			break;          /* fall back to the legacy console */
		s += r.value;
		n -= (unsigned long)r.value;
	}
	while (n--)
		sbi_legacy_putchar(*s++);
}

/* ---- formatting ---- */
struct out {
	char *buf;
	unsigned long size, pos;
	int flush;              /* printf: write out when full; snprintf: truncate */
	int total;
};

static void out_flush(struct out *o)
{
	guest_console_write(o->buf, o->pos);
	o->pos = 0;
}

static void out_c(struct out *o, char c)
{
	o->total++;
	if (o->pos + 1 >= o->size) {
		if (!o->flush)
			return;
		out_flush(o);
	}
	o->buf[o->pos++] = c;
}

/* pad: ' ' or '0' to the left, '-' for spaces to the right */
static void out_num(struct out *o, unsigned long v, unsigned int base, int neg,
		    int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		unsigned int d = (unsigned int)(v % base);
		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (neg && pad == '0')
		out_c(o, '-');
	for (; pad != '-' && width > n; width--)
		out_c(o, pad);
	if (neg && pad != '0')
		out_c(o, '-');
	for (int i = n; i; )
		out_c(o, tmp[--i]);
	for (; width > n; width--)
		out_c(o, ' ');
}

static void format(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_c(o, *fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, lng = 0;
		if (*fmt == '0' || *fmt == '-')
			pad = *fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			long v = lng ? va_arg(ap, long) : va_arg(ap, int);
			out_num(o, v < 0 ? -(unsigned long)v : (unsigned long)v, 10,
				v < 0, width, pad);
			break;
		}
		case 'u':
			out_num(o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int),
				10, 0, width, pad);
			break;
		case 'x':
			out_num(o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int),
				16, 0, width, pad);
			break;
		case 'p':
			out_c(o, '0');
			out_c(o, 'x');
			out_num(o, (unsigned long)va_arg(ap, void *), 16, 0, width, pad);
			break;
		case 'c':
			out_c(o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len = 0;
			if (!s)
				s = "(null)";
			while (s[len])
				len++;
			for (; pad != '-' && width > len; width--)
				out_c(o, ' ');
			while (*s)
				out_c(o, *s++);
			for (; width > len; width--)
				out_c(o, ' ');
			break;
		}
		case '%':
			out_c(o, '%');
			break;
		case '\0':
			return;
		default:
			out_c(o, '%');
			out_c(o, *fmt);
		}
	}
}

/* Interrupts stay off while the lock is held, so a handler never spins on
 * a lock its own hart holds; a lock held for over 1 s (a hart died while
 * printing) is ignored. */
struct print_state {
	unsigned long sie;      /* sstatus.SIE before */
	int locked;             /* we took the lock */
};

static struct print_state print_begin(void)
{
	struct print_state st = { csr_read(sstatus) & SSTATUS_SIE, 0 };
	int me = (int)guest_slot();

	irq_disable();
	if (atomic_load(&print_owner) == me)
		return st;              /* re-entered from a trap: no lock */
	unsigned long start = rdtime();
	while (!spin_trylock(&print_lock))
		if (rdtime() - start > GUEST_TIMEBASE_HZ)
			return st;
	atomic_store(&print_owner, me);
	st.locked = 1;
	return st;
}

static void print_end(struct print_state st)
{
	if (st.locked) {
		atomic_store(&print_owner, -1);
		spin_unlock(&print_lock);
	}
	if (st.sie)
		irq_enable();
}

void guest_vprintf(const char *fmt, va_list ap)
{
	char buf[160];
	struct out o = { .buf = buf, .size = sizeof(buf), .flush = 1 };
	struct print_state st = print_begin();

	format(&o, fmt, ap);
	out_flush(&o);
	print_end(st);
}

void guest_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	guest_vprintf(fmt, ap);
	va_end(ap);
}

int guest_snprintf(char *buf, unsigned long size, const char *fmt, ...)
{
	struct out o = { .buf = buf, .size = size, .flush = 0 };
	va_list ap;

	va_start(ap, fmt);
	format(&o, fmt, ap);
	va_end(ap);
	if (size)
		buf[o.pos] = '\0';
	return o.total;
}

void guest_fail(const char *fmt, ...)
{
	char msg[160];
	struct out o = { .buf = msg, .size = sizeof(msg), .flush = 0 };
	va_list ap;

	va_start(ap, fmt);
	format(&o, fmt, ap);
	va_end(ap);
	msg[o.pos] = '\0';
	guest_printf("FAIL %s: %s\n", guest_name, msg);
	guest_shutdown();
}

/* ---- power ---- */
void guest_shutdown(void)
{
	irq_disable();
	sbi_system_reset(SBI_SRST_SHUTDOWN, 0);
	sbi_legacy_shutdown();
	for (;;)
		wfi();
}

extern volatile int guest_boot_lottery;       /* start.S */

struct sbiret guest_reboot_warm(void)
{
	/* If the image is not reloaded, the next boot must win the lottery. */
	atomic_store(&guest_boot_lottery, 0);
	struct sbiret r = sbi_system_reset(SBI_SRST_WARM_REBOOT, 0);
	atomic_store(&guest_boot_lottery, 1);
	return r;
}
