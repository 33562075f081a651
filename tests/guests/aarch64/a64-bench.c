/*
 * tessera's costs on AArch64 seen from inside a guest, and the same guest
 * at EL1 on QEMU without tessera (make bench, tools/bench). Under
 * `-icount shift=0` one instruction is one nanosecond of QEMU's virtual
 * clock, which drives both counters read here:
 *   - PMCCNTR_EL0, the cycle counter (QEMU: 1 GHz of virtual time), set to
 *     count at EL2 too (PMCCFILTR_EL0.NSH): instructions, for the calls;
 *   - CNTVCT_EL0 (CNTFRQ_EL0, 62.5 MHz on cortex-a72: 16 ns steps), whose
 *     offset tessera leaves at 0: time since QEMU started, for the boot,
 *     and the timer's deadline.
 * Each figure is printed as
 *   BENCH <name> <unit> median=<m> min=<m> p99=<p> n=<n>
 * then "PASS bench", and the guest powers off. With 2 vCPUs (or CPUs) it
 * also measures SGIs one way between vCPU 0 and vCPU 1 (ping-pong / 2).
 */
#include "a64.h"

#define ITER 1000
#define GICD 0x08000000UL
#define GICR(i) (0x080a0000UL + 0x20000UL * (i))
#define SGI_BASE 0x10000UL
#define TIMER_PPI 27
#define SGI_PING 1
#define SGI_PONG 2
#define PSCI_VERSION 0x84000000UL
#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_AFFINITY_INFO 0xc4000004UL
#define PSCI_SYSTEM_OFF 0x84000008UL

#define sysreg_r(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_) :: "memory"); v_; })
#define sysreg_w(r, v) __asm__ volatile("msr " #r ", %0; isb" :: "r"((uint64_t)(v)) : "memory")

static uint64_t samples[ITER];
static uint64_t boot_ns, ns_per_tick;
static volatile uint64_t timer_fired_at, pongs, cpu1_ready;

static inline uint64_t cycles(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, pmccntr_el0" : "=r"(v) :: "memory");
	return v;
}

/* Plain loads and stores (no writeback, which the syndrome of a trapped access cannot describe). */
static inline void w32(uint64_t a, uint32_t v) { __asm__ volatile("str %w0, [%1]" :: "r"(v), "r"(a) : "memory"); }
static inline uint32_t r32(uint64_t a)
{
	uint32_t v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static void sort(uint64_t *s, int n)
{
	for (int gap = n / 2; gap > 0; gap /= 2)
		for (int i = gap; i < n; i++)
			for (int j = i; j >= gap && s[j - gap] > s[j]; j -= gap) {
				uint64_t t = s[j];
				s[j] = s[j - gap];
				s[j - gap] = t;
			}
}

static void report(const char *name, const char *unit, int n)
{
	sort(samples, n);
	puts_uart("BENCH ");
	puts_uart(name);
	puts_uart(" ");
	puts_uart(unit);
	puts_uart(" median=");
	put_dec(samples[n / 2]);
	puts_uart(" min=");
	put_dec(samples[0]);
	puts_uart(" p99=");
	put_dec(samples[(n * 99) / 100]);
	puts_uart(" n=");
	put_dec((uint64_t)n);
	puts_uart("\n");
}

/* The cycle counter on, counting at EL1, EL0 and EL2 alike. */
static void pmu_on(void)
{
	sysreg_w(pmccfiltr_el0, 1UL << 27);   /* NSH: count at EL2 too */
	sysreg_w(pmcntenset_el0, 1UL << 31);
	sysreg_w(pmcr_el0, 1 | 1 << 2);        /* E, reset the cycle counter */
}

/* The cost of two reads back to back, taken off every sample. */
static uint64_t empty_cost(void)
{
	uint64_t best = ~0UL;
	for (int i = 0; i < 100; i++) {
		uint64_t a = cycles(), b = cycles();
		if (b - a < best)
			best = b - a;
	}
	return best;
}

#define MEASURE(name, body)                                    \
	do {                                                   \
		uint64_t base_ = empty_cost();                 \
		for (int i = 0; i < ITER; i++) {               \
			uint64_t t0 = cycles();                \
			body;                                  \
			samples[i] = cycles() - t0 - base_;    \
		}                                              \
		report(name, "insns", ITER);                   \
	} while (0)

void lib_irq_handler(void)
{
	uint64_t iar = sysreg_r(icc_iar1_el1);
	unsigned id = (unsigned)(iar & 0xffffff);
	if (id == TIMER_PPI) {
		timer_fired_at = sysreg_r(cntvct_el0);
		sysreg_w(cntv_ctl_el0, 0);
	} else if (id == SGI_PING) {
		sysreg_w(icc_sgi1r_el1, (uint64_t)SGI_PONG << 24 | 1);
	} else if (id == SGI_PONG) {
		pongs++;
	}
	if (id < 1020)
		sysreg_w(icc_eoir1_el1, iar);
}

/* This CPU's redistributor awake, its SGIs and PPIs group 1, `ppis` enabled, IRQs on. */
static void cpu_interface_on(unsigned id, uint32_t ppis)
{
	w32(GICR(id) + 0x14, 0);   /* GICR_WAKER: awake */
	while (r32(GICR(id) + 0x14) & 4)   /* ChildrenAsleep */
		;
	w32(GICR(id) + SGI_BASE + 0x80, ~0u);   /* IGROUPR0: group 1 (natively they reset to 0) */
	for (unsigned i = 0; i < 32; i += 4)
		w32(GICR(id) + SGI_BASE + 0x400 + i, 0x80808080u);
	w32(GICR(id) + SGI_BASE + 0x100, ppis);
	__asm__ volatile("msr vbar_el1, %0; isb" :: "r"(lib_irq_vectors));
	sysreg_w(icc_sre_el1, 1);
	sysreg_w(icc_pmr_el1, 0xff);
	sysreg_w(icc_igrpen1_el1, 1);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

/* Sleep until cond, IRQs masked over the check and the WFI (a wake-up just before it is not lost). */
#define WAIT_UNTIL(cond)                                                        \
	do {                                                                    \
		__asm__ volatile("msr daifset, #2" ::: "memory");               \
		while (!(cond))                                                 \
			__asm__ volatile("wfi; msr daifclr, #2; isb; msr daifset, #2" ::: "memory"); \
		__asm__ volatile("msr daifclr, #2; isb" ::: "memory");          \
	} while (0)

static void calls(void)
{
	MEASURE("a64_hvc_psci_version", psci(PSCI_VERSION, 0, 0, 0));
	MEASURE("a64_mmio_gicd_typer", (void)r32(GICD + 0x4));
}

/* Deadline to the handler's first read of the counter, in ns. */
static void timer_latency(void)
{
	for (int i = 0; i < ITER; i++) {
		uint64_t deadline = sysreg_r(cntvct_el0) + 20 + (uint64_t)(i % 7);
		timer_fired_at = 0;
		sysreg_w(cntv_cval_el0, deadline);
		sysreg_w(cntv_ctl_el0, 1);
		WAIT_UNTIL(timer_fired_at);
		samples[i] = (timer_fired_at - deadline) * ns_per_tick;
	}
	report("a64_timer", "ns", ITER);
}

void secondary_main(uint64_t context)
{
	(void)context;
	pmu_on();
	cpu_interface_on(1, 1u << SGI_PING);
	cpu1_ready = 1;
	for (;;)
		__asm__ volatile("wfi");
}

static void sgi_one_way(void)
{
	psci(PSCI_CPU_ON, 1, (uint64_t)(uintptr_t)secondary_start, 0);
	while (!cpu1_ready)
		__asm__ volatile("yield");
	for (int i = 0; i < ITER; i++) {
		uint64_t before = pongs, t0 = cycles();
		sysreg_w(icc_sgi1r_el1, (uint64_t)SGI_PING << 24 | 1UL << 1);
		WAIT_UNTIL(pongs != before);
		samples[i] = (cycles() - t0) / 2;
	}
	report("a64_sgi_one_way", "ns", ITER);
}

void guest_main(uint64_t dtb)
{
	(void)dtb;
	uint64_t freq = sysreg_r(cntfrq_el0);
	ns_per_tick = freq ? 1000000000UL / freq : 0;
	boot_ns = sysreg_r(cntvct_el0) * ns_per_tick;   /* first thing: the guest's first instructions */
	samples[0] = boot_ns;
	report("a64_boot", "insns", 1);
	pmu_on();
	calls();
	w32(GICD, 2);   /* GICD_CTLR.EnableGrp1 */
	cpu_interface_on(0, 1u << TIMER_PPI | 1u << SGI_PONG);
	timer_latency();
	if (psci(PSCI_AFFINITY_INFO, 1, 0, 0) == 1)   /* a second vCPU, off */
		sgi_one_way();
	puts_uart("PASS bench\n");
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
}
