/*
 * SGIs between all vCPUs, the counterpart of ipi.c. One sender at a time
 * (turn), one SGI at a time, so none can merge with another: each vCPU
 * sends to each other one 6 SGIs by a one-bit ICC_SGI1R_EL1 target list,
 * 1 by a list of all the others and 1 by IRM (every vCPU but itself). The
 * SGI's INTID is 8 + the sender's index; the receiver counts it for (the
 * sender, itself), and the sender waits for that count before the next
 * one. Every count must be exact at the end: nothing lost, nothing twice.
 * Before that vCPU 0 sends SGIs to targets no vCPU has (a list bit past the
 * last vCPU, Aff1 1, range 1), which must reach nobody, and one to itself.
 * Every wait is a WFI, bounded by a 1 ms virtual-timer nap, and gives up
 * after 5 s without progress (6 s waiting on others): "FAIL a64-ipi: ..."
 * and SYSTEM_OFF. With the MMU on (mmu_on) for the atomic in fail().
 */
#include "a64.h"

#define GICD      0x08000000UL
#define GICR(i)   (0x080a0000UL + 0x20000UL * (i))
#define SGI_BASE  0x10000UL
#define TIMER_PPI 27
#define SGI_FIRST 8        /* INTID 8 + sender */
#define MAX_VCPUS 8
#define SINGLE    6        /* one-target SGIs per pair; then one listing all, one IRM */
#define PER_PAIR  (SINGLE + 2)
#define PSCI_CPU_OFF       0x84000002UL
#define PSCI_CPU_ON        0xc4000003UL
#define PSCI_AFFINITY_INFO 0xc4000004UL
#define PSCI_SYSTEM_OFF    0x84000008UL

#define sysreg_r(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define sysreg_w(r, v) __asm__ volatile("msr " #r ", %0; isb" :: "r"((uint64_t)(v)) : "memory")

static unsigned n;
static volatile uint32_t turn;   /* 1 + the sender's index; 0: vCPU 0's own tests; n + 1: all done */
/* Each written by its receiver only (so no atomics): [sender][receiver]. */
static volatile uint32_t recv[MAX_VCPUS][MAX_VCPUS];
static volatile uint32_t self_recv, spurious[MAX_VCPUS], progress[MAX_VCPUS], ready[MAX_VCPUS];
static volatile uint32_t release;

/* The IRQ vector (current EL, SPx: 0x280) calls irq_handler with x0-x18, x30 saved; the rest fail. */
__asm__(".section .text\n.balign 2048\nvectors:\n"
	".rept 5\n.balign 128\nb bad_vector\n.endr\n"
	".balign 128\nsub sp, sp, #160\n"
	"stp x0, x1, [sp]\nstp x2, x3, [sp, #16]\nstp x4, x5, [sp, #32]\nstp x6, x7, [sp, #48]\n"
	"stp x8, x9, [sp, #64]\nstp x10, x11, [sp, #80]\nstp x12, x13, [sp, #96]\n"
	"stp x14, x15, [sp, #112]\nstp x16, x17, [sp, #128]\nstp x18, x30, [sp, #144]\n"
	"bl irq_handler\n"
	"ldp x0, x1, [sp]\nldp x2, x3, [sp, #16]\nldp x4, x5, [sp, #32]\nldp x6, x7, [sp, #48]\n"
	"ldp x8, x9, [sp, #64]\nldp x10, x11, [sp, #80]\nldp x12, x13, [sp, #96]\n"
	"ldp x14, x15, [sp, #112]\nldp x16, x17, [sp, #128]\nldp x18, x30, [sp, #144]\n"
	"add sp, sp, #160\neret\n"
	".rept 10\n.balign 128\nb bad_vector\n.endr\n");

static unsigned self(void)
{
	return (unsigned)(mpidr() & 0xff);
}

static volatile uint32_t failing;   /* the first vCPU to fail reports; the others wait for its SYSTEM_OFF */

static void fail(const char *what, uint64_t a, uint64_t b)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
	if (atomic_add(&failing, 1))
		for (;;)
			__asm__ volatile("wfi");
	puts_uart("FAIL a64-ipi: vCPU ");
	put_dec(self());
	puts_uart(": ");
	puts_uart(what);
	puts_uart(" (");
	put_dec(a);
	puts_uart(", ");
	put_dec(b);
	puts_uart(")\n");
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		;
}

void bad_vector(void);
void bad_vector(void)
{
	fail("an exception at an unexpected vector (ESR_EL1, ELR_EL1)", sysreg_r(esr_el1), sysreg_r(elr_el1));
}

void irq_handler(void) __attribute__((target("general-regs-only")));
void irq_handler(void)
{
	uint64_t iar = sysreg_r(icc_iar1_el1);
	unsigned id = (unsigned)(iar & 0xffffff), me = self();
	uint32_t t = turn;
	if (id == TIMER_PPI) {
		;   /* a nap's end, taken after nap() turned the timer off */
	} else if (id >= SGI_FIRST && id < SGI_FIRST + n) {
		unsigned s = id - SGI_FIRST;
		if (t == 0 && s == 0 && me == 0)
			self_recv = self_recv + 1;
		else if (s + 1 == t && s != me)
			recv[s][me] = recv[s][me] + 1;
		else
			spurious[me] = spurious[me] + 1;
		progress[me] = progress[me] + 1;
	} else if (id < 1020) {
		spurious[me] = spurious[me] + 1;
	}
	if (id < 1020)
		sysreg_w(icc_eoir1_el1, iar);
}

/*
 * Sleeps in WFI until an interrupt, 1 ms at most (the virtual timer). IRQs
 * are masked over it: WFI still wakes for a pending one, which is taken
 * after, and the timer cannot fire and be handled just before the WFI.
 */
static void nap(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
	sysreg_w(cntv_cval_el0, sysreg_r(cntvct_el0) + sysreg_r(cntfrq_el0) / 1000);
	sysreg_w(cntv_ctl_el0, 1);
	__asm__ volatile("wfi" ::: "memory");
	sysreg_w(cntv_ctl_el0, 0);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static uint32_t all_progress(void)
{
	uint32_t sum = 0;
	for (unsigned i = 0; i < n; i++)
		sum += progress[i];
	return sum;
}

/* Waits for *p >= want; 0 if it got there, -1 after secs s in which no vCPU took an SGI. */
static int wait_secs(const volatile uint32_t *p, uint32_t want, unsigned secs)
{
	uint64_t limit = secs * sysreg_r(cntfrq_el0), last = sysreg_r(cntvct_el0);
	uint32_t seen = all_progress();
	while (*p < want) {
		uint32_t now = all_progress();
		if (now != seen) {
			seen = now;
			last = sysreg_r(cntvct_el0);
		} else if (sysreg_r(cntvct_el0) - last > limit) {
			return -1;
		}
		nap();
	}
	return 0;
}

/* 5 s; the vCPUs that only wait on others (their turn, the release) 6 s, so the one that saw the loss reports it. */
static int wait_ge(const volatile uint32_t *p, uint32_t want)
{
	return wait_secs(p, want, 5);
}

static void sleep_ms(unsigned ms)
{
	uint64_t end = sysreg_r(cntvct_el0) + sysreg_r(cntfrq_el0) / 1000 * ms;
	while (sysreg_r(cntvct_el0) < end)
		nap();
}

static void send_sgi(uint64_t v)
{
	__asm__ volatile("dsb sy" ::: "memory");   /* turn and the counts seen before the SGI */
	sysreg_w(icc_sgi1r_el1, v);
}

static uint64_t sgi_to(unsigned sender, uint32_t list)
{
	return (uint64_t)(SGI_FIRST + sender) << 24 | list;
}

/* A plain STR: tessera decodes MMIO by the syndrome, which a writeback store has not. */
static void w32(uint64_t a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" :: "r"(v), "r"(a) : "memory");
}

static void cpu_interface_on(unsigned id)
{
	w32(GICR(id) + 0x14, 0);   /* GICR_WAKER: awake */
	for (unsigned i = 0; i < 32; i += 4)
		w32(GICR(id) + SGI_BASE + 0x400 + i, 0x80808080u);   /* IPRIORITYR: all at 0x80 */
	w32(GICR(id) + SGI_BASE + 0x100, 0xffffu | 1u << TIMER_PPI);   /* ISENABLER0: the SGIs, the timer */
	extern char vectors[];
	__asm__ volatile("msr vbar_el1, %0; isb" :: "r"(vectors));
	sysreg_w(icc_sre_el1, 1);
	sysreg_w(icc_pmr_el1, 0xff);
	sysreg_w(icc_igrpen1_el1, 1);
	__asm__ volatile("msr daifclr, #2" ::: "memory");   /* IRQs on */
}

/* Sender me's part: each other vCPU by itself, then all of them listed, then IRM. */
static void send_all(unsigned me)
{
	uint32_t others = ((1u << n) - 1) & ~(1u << me);
	for (unsigned k = 0; k < SINGLE; k++)
		for (unsigned r = 0; r < n; r++) {
			if (r == me)
				continue;
			send_sgi(sgi_to(me, 1u << r));
			if (wait_ge(&recv[me][r], k + 1))
				fail("a one-target SGI lost (sender, receiver)", me, r);
		}
	for (unsigned k = SINGLE; k < PER_PAIR; k++) {
		send_sgi(k == SINGLE ? sgi_to(me, others) : sgi_to(me, 0) | 1UL << 40);
		for (unsigned r = 0; r < n; r++)
			if (r != me && wait_ge(&recv[me][r], k + 1))
				fail(k == SINGLE ? "an SGI to all listed lost (sender, receiver)"
						 : "an IRM SGI lost (sender, receiver)", me, r);
	}
}

static void wait_turn(unsigned me)
{
	if (wait_secs(&turn, me + 1, 6))
		fail("no progress for 5 s waiting for its turn (turn, its)", turn, me + 1);
}

void secondary_main(uint64_t context)
{
	(void)context;
	mmu_on();   /* for atomic_add in fail() */
	unsigned me = self();
	cpu_interface_on(me);
	ready[me] = 1;
	wait_turn(me);
	send_all(me);
	turn = me + 2;
	if (wait_secs(&release, 1, 6))
		fail("never released (release, 0)", release, 0);
	__asm__ volatile("msr daifset, #2" ::: "memory");
	psci(PSCI_CPU_OFF, 0, 0, 0);
	fail("CPU_OFF returned", 0, 0);
}

void guest_main(uint64_t dtb)
{
	(void)dtb;
	mmu_on();
	n = 1;
	while (n < MAX_VCPUS && psci(PSCI_AFFINITY_INFO, n, 0, 0) == 1)
		n++;
	puts_uart("a64-ipi: vCPU 0, ");
	put_dec(n);
	puts_uart(" vCPUs\n");
	w32(GICD, 2);   /* GICD_CTLR.EnableGrp1A */
	cpu_interface_on(0);
	for (unsigned i = 1; i < n; i++)
		if (psci(PSCI_CPU_ON, i, (uint64_t)(uintptr_t)secondary_start, i) != 0)
			fail("CPU_ON (vCPU, 0)", i, 0);
	for (unsigned i = 1; i < n; i++)
		if (wait_ge(&ready[i], 1))
			fail("a secondary did not come up (vCPU, 0)", i, 0);
	/* Targets no vCPU has: nothing must arrive anywhere (it would count as spurious or self). */
	if (n < 16)
		send_sgi(sgi_to(0, 1u << n));
	send_sgi(sgi_to(0, 0xffff) | 1UL << 16);   /* Aff1 1 */
	send_sgi(sgi_to(0, 0xffff) | 1UL << 44);   /* RS 1: Aff0 16-31 */
	sleep_ms(10);
	for (unsigned i = 0; i < n; i++)
		if (spurious[i] || self_recv)
			fail("an SGI to no vCPU arrived (at vCPU, self-SGIs)", i, self_recv);
	send_sgi(sgi_to(0, 1));   /* to itself */
	if (wait_ge(&self_recv, 1))
		fail("the SGI to itself lost", 0, 0);
	turn = 1;
	send_all(0);
	turn = 2;
	if (wait_ge(&turn, n + 1))
		fail("senders stalled (turn, vCPUs)", turn, n);
	sleep_ms(20);   /* for a late duplicate to show */
	uint32_t total = self_recv;
	for (unsigned s = 0; s < n; s++)
		for (unsigned r = 0; r < n; r++) {
			if (r == s)
				continue;
			if (recv[s][r] != PER_PAIR)
				fail("an SGI count is not exact (sender, receiver)", s, r);
			total += recv[s][r];
		}
	for (unsigned i = 0; i < n; i++)
		if (spurious[i])
			fail("interrupts nobody sent (at vCPU, count)", i, spurious[i]);
	if (self_recv != 1)
		fail("SGIs to itself (got, want)", self_recv, 1);
	release = 1;
	for (unsigned i = 1; i < n; i++) {
		uint64_t t0 = sysreg_r(cntvct_el0);
		while (psci(PSCI_AFFINITY_INFO, i, 0, 0) != 1)
			if (sysreg_r(cntvct_el0) - t0 > 5 * sysreg_r(cntfrq_el0))
				fail("a secondary not OFF after its CPU_OFF (vCPU, 0)", i, 0);
			else
				nap();
	}
	puts_uart("a64-ipi: ");
	put_dec(n);
	puts_uart(" vCPUs, ");
	put_dec(total);
	puts_uart(" SGIs, each once\n");
	puts_uart("PASS a64-ipi\n");
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	puts_uart("FAIL a64-ipi: SYSTEM_OFF returned\n");
}
