/*
 * PSCI bring-up on AArch64, the counterpart of smp.c: vCPU 0 starts every
 * other vCPU with CPU_ON (AFFINITY_INFO OFF -> [ON_PENDING] -> ON), all meet
 * at a barrier and add to one shared counter with LDAXR/STLXR, then the
 * secondaries stop themselves with CPU_OFF (AFFINITY_INFO OFF again), and
 * the round is done a second time (CPU_ON after CPU_OFF). Also: CPU_ON of a
 * running vCPU is ALREADY_ON, CPU_ON / AFFINITY_INFO of an MPIDR no vCPU has
 * is INVALID_PARAMETERS. Every wait times out after 5 s: "FAIL a64-smp: ..."
 * and SYSTEM_OFF. Prints "PASS a64-smp".
 */
#include "a64.h"

#define PSCI_CPU_OFF       0x84000002UL
#define PSCI_CPU_ON        0xc4000003UL
#define PSCI_AFFINITY_INFO 0xc4000004UL
#define PSCI_SYSTEM_OFF    0x84000008UL
#define MAX_VCPUS 8
#define ADDS      20000   /* per vCPU and round: long enough for the vCPUs to contend */

#define sysreg_r(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })

static volatile uint32_t counter;       /* the contended one */
static volatile uint32_t arrived;       /* the barrier: vCPUs at it, over both rounds */
static volatile uint32_t finished;      /* vCPUs done adding, over both rounds */
static volatile uint32_t round_no;      /* the round being run (1, 2) */
static volatile uint32_t stop_round;    /* secondaries of rounds <= this stop */
static volatile uint64_t seen[MAX_VCPUS];   /* the context id each secondary got */
static unsigned nvcpus;

static uint32_t load(const volatile uint32_t *p)
{
	uint32_t v;
	__asm__ volatile("ldar %w0, [%1]" : "=r"(v) : "r"(p) : "memory");
	return v;
}

static void store(volatile uint32_t *p, uint32_t v)
{
	__asm__ volatile("stlr %w0, [%1]" :: "r"(v), "r"(p) : "memory");
}

static uint64_t now(void)
{
	return sysreg_r(cntvct_el0);
}

static volatile uint32_t failing;   /* the first vCPU to fail reports; the others wait for its SYSTEM_OFF */

static void fail(const char *what, uint64_t a, uint64_t b)
{
	if (atomic_add(&failing, 1))
		for (;;)
			__asm__ volatile("wfi");
	puts_uart("FAIL a64-smp: ");
	puts_uart(what);
	puts_uart(" (");
	put_hex(a);
	puts_uart(", ");
	put_hex(b);
	puts_uart(")\n");
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		;
}

/* Waits up to 5 s for *p >= want; 0 if it got there. */
static int wait_ge(const volatile uint32_t *p, uint32_t want)
{
	uint64_t t0 = now(), limit = 5 * sysreg_r(cntfrq_el0);
	while (load(p) < want)
		if (now() - t0 > limit)
			return -1;
	return 0;
}

/* Waits up to 5 s for AFFINITY_INFO(id) to be want (0 ON, 1 OFF), seeing only via on the way. */
static void wait_affinity(unsigned id, int64_t want, int64_t via, const char *what)
{
	uint64_t t0 = now(), limit = 5 * sysreg_r(cntfrq_el0);
	int64_t s;
	while ((s = psci(PSCI_AFFINITY_INFO, id, 0, 0)) != want)
		if (s != via || now() - t0 > limit)
			fail(what, id, (uint64_t)s);
}

/* What every vCPU does in a round: the barrier, then its share of the adds. */
static void work(uint32_t round)
{
	atomic_add(&arrived, 1);
	if (wait_ge(&arrived, round * nvcpus))
		fail("the barrier: vCPUs missing (arrived, want)", load(&arrived), round * nvcpus);
	for (unsigned i = 0; i < ADDS; i++)
		atomic_add(&counter, 1);
	atomic_add(&finished, 1);
}

void secondary_main(uint64_t context)
{
	mmu_on();
	unsigned id = (unsigned)(mpidr() & 0xff);
	uint32_t round = load(&round_no);
	seen[id] = context;
	work(round);
	if (wait_ge(&stop_round, round))
		fail("a secondary got no stop order (vCPU, round)", id, round);
	psci(PSCI_CPU_OFF, 0, 0, 0);
	fail("CPU_OFF returned (vCPU, round)", id, round);
}

static void run_round(uint32_t round)
{
	store(&round_no, round);
	for (unsigned i = 1; i < nvcpus; i++) {
		uint64_t ctx = 0xc0de0000UL | round << 8 | i;
		if (psci(PSCI_AFFINITY_INFO, i, 0, 0) != 1)
			fail("a secondary not OFF before CPU_ON (vCPU, round)", i, round);
		int64_t r = psci(PSCI_CPU_ON, i, (uint64_t)(uintptr_t)secondary_start, ctx);
		if (r != 0)
			fail("CPU_ON of an OFF vCPU (vCPU, return)", i, (uint64_t)r);
		wait_affinity(i, 0, 2, "a started vCPU did not turn ON (vCPU, AFFINITY_INFO)");
	}
	work(round);
	if (wait_ge(&finished, round * nvcpus))
		fail("vCPUs did not finish adding (finished, want)", load(&finished), round * nvcpus);
	if (load(&counter) != round * nvcpus * ADDS)
		fail("the shared counter lost adds (counter, want)", load(&counter), round * nvcpus * ADDS);
	for (unsigned i = 1; i < nvcpus; i++) {
		if (seen[i] != (0xc0de0000UL | round << 8 | i))
			fail("a secondary's context id (vCPU, seen)", i, seen[i]);
		int64_t r = psci(PSCI_CPU_ON, i, (uint64_t)(uintptr_t)secondary_start, 0);
		if (r != -4)
			fail("CPU_ON of a running vCPU is not ALREADY_ON (vCPU, return)", i, (uint64_t)r);
	}
	store(&stop_round, round);
	for (unsigned i = 1; i < nvcpus; i++)
		wait_affinity(i, 1, 0, "a vCPU not OFF after its CPU_OFF (vCPU, AFFINITY_INFO)");
	puts_uart("a64-smp: round ");
	put_dec(round);
	puts_uart(": ");
	put_dec(nvcpus);
	puts_uart(" vCPUs, counter ");
	put_dec(load(&counter));
	puts_uart("\n");
}

void guest_main(uint64_t dtb)
{
	(void)dtb;
	mmu_on();
	unsigned n = 1;
	while (n < MAX_VCPUS && psci(PSCI_AFFINITY_INFO, n, 0, 0) == 1)
		n++;
	nvcpus = n;
	puts_uart("a64-smp: vCPU 0, ");
	put_dec(n);
	puts_uart(" vCPUs\n");
	uint64_t entry = (uint64_t)(uintptr_t)secondary_start;
	int64_t r;
	if ((r = psci(PSCI_AFFINITY_INFO, 0, 0, 0)) != 0)
		fail("AFFINITY_INFO of vCPU 0 itself is not ON (return)", (uint64_t)r, 0);
	if ((r = psci(PSCI_AFFINITY_INFO, n, 0, 0)) != -2)
		fail("AFFINITY_INFO of no vCPU (mpidr, return)", n, (uint64_t)r);
	if ((r = psci(PSCI_CPU_ON, n, entry, 0)) != -2)
		fail("CPU_ON of no vCPU (mpidr, return)", n, (uint64_t)r);
	if ((r = psci(PSCI_CPU_ON, 0x100, entry, 0)) != -2)   /* Aff1 1: no cluster 1 */
		fail("CPU_ON of no vCPU (mpidr, return)", 0x100, (uint64_t)r);
	if ((r = psci(PSCI_CPU_ON, 0, entry, 0)) != -4)
		fail("CPU_ON of vCPU 0 itself is not ALREADY_ON (return)", (uint64_t)r, 0);
	run_round(1);
	run_round(2);   /* every secondary again, after its CPU_OFF */
	puts_uart("PASS a64-smp\n");
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	puts_uart("FAIL a64-smp: SYSTEM_OFF returned\n");
}
