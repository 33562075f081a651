/*
 * Stress on AArch64, as stress.c on RISC-V: for STRESS_SECONDS of the
 * counter every vCPU alternates between
 *   - waiting in WFI for the ring token, SGI 5 from vCPU i-1, which it then
 *     passes on to vCPU i+1 (mod n), and
 *   - waiting in WFI for its own virtual timer, a pseudo-random 0.1-2 ms.
 * Every vCPU must wake at least MIN_WAKEUPS times by each (with one vCPU,
 * only the timer runs). A lost token or timer interrupt stalls the ring: a
 * wait that outlasts the run by a second ends that vCPU, and its counts fall
 * short. Prints "PASS a64-stress: ..." or "FAIL ...".
 */
#include "a64.h"

#ifndef STRESS_SECONDS
#define STRESS_SECONDS 4
#endif
#define MAX_VCPUS 8
#define MIN_WAKEUPS 100
#define TOKEN_SGI 5
#define TIMER_PPI 27
#define GICD 0x08000000UL
#define GICR(i) (0x080a0000UL + 0x20000UL * (i))
#define SGI_BASE 0x10000UL
#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_AFFINITY_INFO 0xc4000004UL
#define PSCI_SYSTEM_OFF 0x84000008UL

#define sysreg_r(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_) :: "memory"); v_; })
#define sysreg_w(r, v) __asm__ volatile("msr " #r ", %0; isb" :: "r"((uint64_t)(v)) : "memory")

static unsigned n;
static uint64_t freq, end;
static volatile uint32_t token_wakeups[MAX_VCPUS], timer_wakeups[MAX_VCPUS], has_token[MAX_VCPUS];
static volatile uint32_t timer_fired[MAX_VCPUS], started[MAX_VCPUS], done[MAX_VCPUS];

static inline void w32(uint64_t a, uint32_t v) { __asm__ volatile("str %w0, [%1]" :: "r"(v), "r"(a) : "memory"); }

static unsigned self(void)
{
	return (unsigned)(mpidr() & 0xff);
}

void lib_irq_handler(void)
{
	uint64_t iar = sysreg_r(icc_iar1_el1);
	unsigned id = (unsigned)(iar & 0xffffff), me = self();
	if (id == TOKEN_SGI) {
		has_token[me] = 1;
	} else if (id == TIMER_PPI) {
		sysreg_w(cntv_ctl_el0, 0);
		timer_fired[me] = 1;
	}
	if (id < 1020)
		sysreg_w(icc_eoir1_el1, iar);
}

static void cpu_interface_on(unsigned id)
{
	w32(GICR(id) + 0x14, 0);
	for (unsigned i = 0; i < 32; i += 4)
		w32(GICR(id) + SGI_BASE + 0x400 + i, 0x80808080u);
	w32(GICR(id) + SGI_BASE + 0x100, 1u << TOKEN_SGI | 1u << TIMER_PPI);
	__asm__ volatile("msr vbar_el1, %0; isb" :: "r"(lib_irq_vectors));
	sysreg_w(icc_sre_el1, 1);
	sysreg_w(icc_pmr_el1, 0xff);
	sysreg_w(icc_igrpen1_el1, 1);
}

/*
 * Wait with IRQs masked over the WFI, so a wake-up taken just before it is
 * not slept through. A token wait arms the timer at the give-up time, so a
 * ring that stopped still wakes it.
 */
static void wait_for(volatile uint32_t *flag)
{
	if (flag != &timer_fired[self()]) {
		sysreg_w(cntv_cval_el0, end + freq);
		sysreg_w(cntv_ctl_el0, 1);
	}
	while (!*flag && sysreg_r(cntvct_el0) < end + freq) {
		__asm__ volatile("msr daifset, #2" ::: "memory");
		if (!*flag)
			__asm__ volatile("wfi");
		__asm__ volatile("msr daifclr, #2; isb" ::: "memory");
	}
}

static void run(unsigned me)
{
	uint64_t seed = 0x9e3779b97f4a7c15UL * (me + 1);
	cpu_interface_on(me);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	started[me] = 1;
	while (sysreg_r(cntvct_el0) < end) {
		if (n > 1) {
			wait_for(&has_token[me]);
			if (!has_token[me])
				break;
			has_token[me] = 0;
			token_wakeups[me]++;
			unsigned next = (me + 1) % n;
			sysreg_w(icc_sgi1r_el1, (uint64_t)TOKEN_SGI << 24 | 1UL << next);
		}
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		uint64_t wait = freq / 10000 + (seed >> 33) % (freq / 526);   /* 0.1 ms + up to 1.9 ms */
		timer_fired[me] = 0;
		sysreg_w(cntv_cval_el0, sysreg_r(cntvct_el0) + wait);
		sysreg_w(cntv_ctl_el0, 1);
		wait_for(&timer_fired[me]);
		if (!timer_fired[me])
			break;
		timer_wakeups[me]++;
	}
	done[me] = 1;
}

void secondary_main(uint64_t context)
{
	(void)context;
	run(self());
	for (;;)
		__asm__ volatile("wfi");
}

/* vCPU 0 starts the others, runs its own part, then reports everyone's counts. */
void guest_main(uint64_t dtb)
{
	(void)dtb;
	freq = sysreg_r(cntfrq_el0);
	for (n = 1; n < MAX_VCPUS && psci(PSCI_AFFINITY_INFO, n, 0, 0) >= 0; n++)
		;
	end = sysreg_r(cntvct_el0) + STRESS_SECONDS * freq;
	w32(GICD, 2);
	for (unsigned i = 1; i < n; i++)
		psci(PSCI_CPU_ON, i, (uint64_t)(uintptr_t)secondary_start, 0);
	for (unsigned i = 1; i < n; i++)
		while (!started[i] && sysreg_r(cntvct_el0) < end)
			;
	if (n > 1)
		has_token[0] = 1;   /* vCPU 0 starts with the token */
	run(0);
	uint64_t give_up = sysreg_r(cntvct_el0) + 2 * freq;
	for (unsigned i = 1; i < n; i++)
		while (!done[i] && sysreg_r(cntvct_el0) < give_up)
			;
	unsigned fails = 0;
	for (unsigned i = 0; i < n; i++) {
		puts_uart("a64-stress: vCPU ");
		put_dec(i);
		puts_uart(": ");
		put_dec(token_wakeups[i]);
		puts_uart(" token wake-ups, ");
		put_dec(timer_wakeups[i]);
		puts_uart(" timer wake-ups\n");
		if (timer_wakeups[i] < MIN_WAKEUPS || (n > 1 && token_wakeups[i] < MIN_WAKEUPS) || !done[i]) {
			puts_uart("FAIL a64-stress: vCPU ");
			put_dec(i);
			puts_uart(" stalled or woke too rarely\n");
			fails++;
		}
	}
	if (!fails) {
		puts_uart("PASS a64-stress: ");
		put_dec(n);
		puts_uart(" vCPUs, ");
		put_dec(STRESS_SECONDS);
		puts_uart(" s\n");
	}
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
}
