/*
 * PSCI SYSTEM_RESET of the guest's own VM, the counterpart of reboot.c. The
 * boot count is /chosen/tessera,boot-count of the tree tessera generates
 * (x0 at entry, "dtb": "generate"): boots 0 to REBOOTS-1 start every other
 * vCPU (they park in WFI), mark a variable in RAM and reset the VM; every
 * boot must find the other vCPUs OFF again and the variable as the image
 * has it (RAM cleared, the image loaded again); the last boot passes and
 * powers off. Without the property (natively) boots cannot be told apart:
 * SKIP. Prints "PASS a64-reboot" or "FAIL a64-reboot: ...".
 */
#include "a64.h"

#define PSCI_CPU_ON        0xc4000003UL
#define PSCI_AFFINITY_INFO 0xc4000004UL
#define PSCI_SYSTEM_OFF    0x84000008UL
#define PSCI_SYSTEM_RESET  0x84000009UL
#define REBOOTS   3
#define MAX_VCPUS 8
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

static volatile uint32_t marker = 0x11111111u;   /* in .data: the image's value */
static volatile uint32_t parked[MAX_VCPUS];      /* in .bss: zero */

static void fail(const char *what, uint64_t v)
{
	puts_uart("FAIL a64-reboot: ");
	puts_uart(what);
	puts_uart(" (");
	put_hex(v);
	puts_uart(")\n");
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		;
}

static uint32_t be32(const volatile uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static int str_eq(const volatile uint8_t *a, const char *b)
{
	while (*b && *a == (uint8_t)*b)
		a++, b++;
	return *a == 0 && *b == 0;
}

/* /chosen/tessera,boot-count of the flattened tree at dtb; -1 if it has none. */
static int64_t boot_count(uint64_t dtb)
{
	const volatile uint8_t *t = (const volatile uint8_t *)(uintptr_t)dtb;
	if (!dtb || be32(t) != 0xd00dfeed)
		return -1;
	uint32_t size = be32(t + 4), off = be32(t + 8), strings = be32(t + 12), end = off + be32(t + 36);
	int depth = 0, in_chosen = 0;
	if (end > size)
		return -1;
	while (off + 4 <= end) {
		uint32_t tok = be32(t + off);
		off += 4;
		if (tok == FDT_BEGIN_NODE) {
			depth++;
			in_chosen = depth == 2 && str_eq(t + off, "chosen");
			while (off < end && t[off])
				off++;
			off = (off + 4) & ~3u;   /* past the NUL, aligned */
		} else if (tok == FDT_END_NODE) {
			depth--;
			in_chosen = 0;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(t + off), name = be32(t + off + 4);
			if (in_chosen && len == 4 && str_eq(t + strings + name, "tessera,boot-count"))
				return be32(t + off + 8);
			off = (off + 8 + len + 3) & ~3u;
		} else if (tok != FDT_NOP) {
			break;   /* FDT_END or a broken tree */
		}
	}
	return -1;
}

void secondary_main(uint64_t context)
{
	parked[mpidr() & 0xff] = (uint32_t)context;
	for (;;)
		__asm__ volatile("wfi");
}

/* Spins up to 5 s for AFFINITY_INFO(id) == ON. */
static void wait_on(unsigned id)
{
	uint64_t t0, freq, now;
	__asm__ volatile("mrs %0, cntvct_el0; mrs %1, cntfrq_el0" : "=r"(t0), "=r"(freq));
	while (psci(PSCI_AFFINITY_INFO, id, 0, 0) != 0 || parked[id] != 0xb007u + id) {
		__asm__ volatile("mrs %0, cntvct_el0" : "=r"(now));
		if (now - t0 > 5 * freq)
			fail("a started vCPU did not come up (vCPU)", id);
	}
}

void guest_main(uint64_t dtb)
{
	int64_t boot = boot_count(dtb);
	if (boot < 0) {
		puts_uart("SKIP a64-reboot: no /chosen/tessera,boot-count in the device tree\n");
		psci(PSCI_SYSTEM_OFF, 0, 0, 0);
		return;
	}
	if (boot > REBOOTS)
		fail("boot count past the reboots made", (uint64_t)boot);
	if (marker != 0x11111111u)
		fail("a reboot kept the last boot's RAM (marker)", marker);
	unsigned n = 1;
	while (n < MAX_VCPUS && psci(PSCI_AFFINITY_INFO, n, 0, 0) == 1)
		n++;   /* counts only OFF vCPUs: one left ON by the last boot stops the count */
	if (psci(PSCI_AFFINITY_INFO, n, 0, 0) != -2)
		fail("a vCPU not OFF at boot (vCPU)", n);
	for (unsigned i = 1; i < n; i++)
		if (parked[i])
			fail("a reboot kept the last boot's .bss (vCPU)", i);
	puts_uart("a64-reboot: boot ");
	put_dec((uint64_t)boot);
	puts_uart(", ");
	put_dec(n);
	puts_uart(" vCPUs\n");
	if (boot == REBOOTS) {
		puts_uart("PASS a64-reboot: booted ");
		put_dec(REBOOTS + 1);
		puts_uart(" times\n");
		psci(PSCI_SYSTEM_OFF, 0, 0, 0);
		fail("SYSTEM_OFF returned", 0);
	}
	/* the others left running, and the RAM written: the reset must undo both */
	for (unsigned i = 1; i < n; i++) {
		if (psci(PSCI_CPU_ON, i, (uint64_t)(uintptr_t)secondary_start, 0xb007u + i) != 0)
			fail("CPU_ON (vCPU)", i);
		wait_on(i);
	}
	marker = 0x22222222u;
	puts_uart("a64-reboot: SYSTEM_RESET\n");
	int64_t r = psci(PSCI_SYSTEM_RESET, 0, 0, 0);
	fail("SYSTEM_RESET returned", (uint64_t)r);
}
