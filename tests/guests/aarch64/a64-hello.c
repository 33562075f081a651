/*
 * The first AArch64 guest: PSCI from a VM's side (version, features, an
 * unknown call, CPU_ON of every other vCPU with its context id, AFFINITY_INFO
 * before and after each stops itself with CPU_OFF), MMIO through the
 * emulated UART (16550 or PL011) at widths 1 and 4 (the syndrome decode), FP/SIMD state kept
 * across exits, then SYSTEM_OFF. Prints "PASS a64-hello" or "FAIL ...".
 */
#include "a64.h"

#define PSCI_VERSION       0x84000000UL
#define PSCI_CPU_OFF       0x84000002UL
#define PSCI_CPU_ON        0xc4000003UL
#define PSCI_AFFINITY_INFO 0xc4000004UL
#define PSCI_SYSTEM_OFF    0x84000008UL
#define PSCI_FEATURES      0x8400000aUL

static volatile uint64_t seen[8];   /* the context id each secondary was started with */
static unsigned failures;

static void check(int ok, const char *what)
{
	if (ok)
		return;
	failures++;
	puts_uart("FAIL a64-hello: ");
	puts_uart(what);
	puts_uart("\n");
}

void secondary_main(uint64_t context)
{
	unsigned id = (unsigned)(mpidr() & 0xff);
	puts_uart("a64-hello: vCPU ");
	put_dec(id);
	puts_uart(" up, context ");
	put_hex(context);
	puts_uart("\n");
	seen[id] = context;
	psci(PSCI_CPU_OFF, 0, 0, 0);
	seen[id] = 0xdead;   /* CPU_OFF returned: it must not */
	for (;;)
		;
}

/* A read-write byte of the console UART: the 16550's scratch register, the PL011's IBRD. */
static void mmio_widths(void)
{
	uint64_t reg = UART_GPA + (uart_is_pl011() ? 0x24 : 7);
	volatile uint8_t *u = (volatile uint8_t *)reg;
	uint32_t w;
	u[0] = 0x5a;   /* a store of one byte */
	__asm__ volatile("ldrb %w0, [%1]" : "=r"(w) : "r"(reg));
	check(w == 0x5a, "ldrb of a read-write UART register");
	int64_t s;
	u[0] = 0xa5;
	__asm__ volatile("ldrsb %0, [%1]" : "=r"(s) : "r"(reg));
	check(s == (int64_t)(int8_t)0xa5, "ldrsb sign-extends");
}

static void fp_kept(void)
{
	uint64_t in = 0x1234567890abcdefUL, out;
	__asm__ volatile("fmov d7, %0" :: "r"(in));
	psci(PSCI_VERSION, 0, 0, 0);   /* an exit */
	__asm__ volatile("fmov %0, d7" : "=r"(out));
	check(out == in, "d7 changed across an exit");
}

static uint32_t be32(const volatile uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

void guest_main(uint64_t dtb)
{
	puts_uart("a64-hello: vCPU 0 at EL1, mpidr ");
	put_hex(mpidr());
	puts_uart("\n");
	if (dtb) {   /* "dtb": "generate": x0 is the tree, as Linux's boot protocol says */
		const volatile uint8_t *t = (const volatile uint8_t *)(uintptr_t)dtb;
		check(be32(t) == 0xd00dfeed, "x0 points at a device tree");
		puts_uart("a64-hello: device tree at ");
		put_hex(dtb);
		puts_uart(", ");
		put_dec(be32(t + 4));
		puts_uart(" bytes\n");
	}
	check(psci(PSCI_VERSION, 0, 0, 0) == 0x10001, "PSCI_VERSION is 1.1");
	check(psci(PSCI_FEATURES, PSCI_CPU_ON, 0, 0) == 0, "PSCI_FEATURES(CPU_ON)");
	check(psci(PSCI_FEATURES, 0x8400001fUL, 0, 0) == -1, "PSCI_FEATURES of an unknown call");
	check(psci(0x8400001fUL, 0, 0, 0) == -1, "an unknown call is NOT_SUPPORTED");
	check(psci(PSCI_CPU_ON, 0, (uint64_t)(uintptr_t)secondary_start, 0) == -4, "CPU_ON of itself: ALREADY_ON");
	check(psci(PSCI_CPU_ON, 99, (uint64_t)(uintptr_t)secondary_start, 0) == -2, "CPU_ON of no vCPU");
	mmio_widths();
	fp_kept();
	unsigned n = 1;
	while (n < 8 && psci(PSCI_AFFINITY_INFO, n, 0, 0) == 1)
		n++;   /* the vCPUs that exist are OFF until started */
	check(psci(PSCI_AFFINITY_INFO, n, 0, 0) == -2, "AFFINITY_INFO of no vCPU");
	if (n > 1)
		check(psci(PSCI_CPU_ON, 1, 0x10, 0) == -9, "CPU_ON outside the VM's memory: INVALID_ADDRESS");
	for (unsigned i = 1; i < n; i++) {
		uint64_t ctx = 0xc0de0000UL + i;
		check(psci(PSCI_CPU_ON, i, (uint64_t)(uintptr_t)secondary_start, ctx) == 0, "CPU_ON");
		while (seen[i] != ctx)
			;
		while (psci(PSCI_AFFINITY_INFO, i, 0, 0) != 1)
			;   /* OFF again after its CPU_OFF */
	}
	puts_uart("a64-hello: ");
	put_dec(n);
	puts_uart(" vCPUs\n");
	puts_uart(failures ? "FAIL a64-hello\n" : "PASS a64-hello\n");
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	puts_uart("FAIL a64-hello: SYSTEM_OFF returned\n");
}
