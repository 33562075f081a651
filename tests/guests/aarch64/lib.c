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

/*
 * Exclusives are architected for Normal memory only, and with the stage-1
 * MMU off every data access is Device-nGnRnE: mmu_on maps the low 1 GiB
 * (UART, GIC) as Device and the next (the VM's RAM at 0x40000000) as Normal
 * write-back by one level-1 table, 39-bit VA, 4 KiB granule. Each vCPU
 * that shares data by atomic_add calls it first.
 */
static const uint64_t l1_table[512] __attribute__((aligned(4096))) = {
	[0] = 0x00000000UL | 3UL << 53 | 1UL << 10 | 0 << 2 | 1,   /* XN, AF, AttrIndx 0, block */
	[1] = 0x40000000UL | 1UL << 10 | 3UL << 8 | 1 << 2 | 1,     /* AF, inner shareable, AttrIndx 1 */
};

void mmu_on(void)
{
	uint64_t tcr = 25 | 1UL << 8 | 1UL << 10 | 3UL << 12 | 1UL << 23 | 1UL << 32;   /* T0SZ 25, WB walks, EPD1, 36-bit PA */
	__asm__ volatile("msr mair_el1, %0\n msr tcr_el1, %1\n msr ttbr0_el1, %2\n isb\n"
			 "tlbi vmalle1\n dsb nsh\n isb\n"
			 "mrs x9, sctlr_el1\n orr x9, x9, #1\n orr x9, x9, #(1 << 2)\n orr x9, x9, #(1 << 12)\n"
			 "msr sctlr_el1, x9\n isb"
			 :: "r"(0xff00UL), "r"(tcr), "r"(l1_table) : "x9", "memory");
}

uint32_t atomic_add(volatile uint32_t *p, uint32_t v)
{
	uint32_t old, tmp, fail;
	__asm__ volatile("1: ldaxr %w0, [%3]\n add %w1, %w0, %w4\n stlxr %w2, %w1, [%3]\n cbnz %w2, 1b"
			 : "=&r"(old), "=&r"(tmp), "=&r"(fail) : "r"(p), "r"(v) : "memory");
	return old;
}

uint32_t fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/*
 * A property of the first node whose name starts with node_prefix (the root
 * is ""), read from the flattened tree at dtb: 0 and its value and length,
 * or -1. Enough for the test guests: no paths, no phandles.
 */
int fdt_find_prop(const void *dtb, const char *node_prefix, const char *prop, const uint8_t **val, uint32_t *len)
{
	const uint8_t *d = dtb;
	if (!d || fdt_be32(d) != 0xd00dfeed)
		return -1;
	const uint8_t *st = d + fdt_be32(d + 8);
	const char *strs = (const char *)d + fdt_be32(d + 12);
	int depth = 0, in_node = 0, node_depth = -1;
	for (uint32_t off = 0, size = fdt_be32(d + 36); off < size;) {
		uint32_t tag = fdt_be32(st + off);
		off += 4;
		if (tag == 1) {   /* BEGIN_NODE: its NUL-terminated name, padded to 4 */
			const char *name = (const char *)st + off;
			depth++;
			if (!in_node && starts_with(name, node_prefix) && (node_prefix[0] || depth == 1)) {
				in_node = 1;
				node_depth = depth;
			}
			while (st[off])
				off++;
			off = (off + 4) & ~3u;
		} else if (tag == 2) {   /* END_NODE */
			if (depth-- == node_depth)
				return -1;   /* the node ended without the property */
		} else if (tag == 3) {   /* PROP: len, name offset, value */
			uint32_t l = fdt_be32(st + off);
			if (in_node && depth == node_depth && same(strs + fdt_be32(st + off + 4), prop)) {
				*val = st + off + 8;
				*len = l;
				return 0;
			}
			off = (off + 8 + l + 3) & ~3u;
		} else if (tag == 9) {   /* END */
			break;
		}
	}
	return -1;
}
