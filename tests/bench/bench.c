/*
 * bench: tessera's costs seen from inside a guest, and the same guest on
 * OpenSBI alone for comparison (make bench, tools/bench). Every figure is
 * read from instret (under -icount shift=0 the count of instructions QEMU
 * executed, all privilege levels) or from time (10 MHz), over ITER
 * iterations, and printed as
 *   BENCH <name> <unit> median=<m> min=<m> p99=<p> n=<n>
 * One hart: the call, probe, set_timer, MMIO and timer-latency figures and
 * the boot cost. Two harts or more: the one-way IPI latency between hart 0
 * and hart 1 (ping-pong / 2), and hart_start to the started hart's entry
 * function (ticks, one sample: under icount it is the same every run).
 */
#include "bench.h"

const char guest_name[] = "bench";

#define PLIC_PRIORITY1 0x0c000004UL   /* priority of source 1: a vPLIC register under tessera */

static inline unsigned long rdinstret(void)
{
	unsigned long v;
	asm volatile("rdinstret %0" : "=r"(v) :: "memory");
	return v;
}

/* Instructions of the measurement itself (two instret reads back to back). */
static unsigned long empty_cost(void)
{
	unsigned long best = ~0UL;
	for (int i = 0; i < 100; i++) {
		unsigned long a = rdinstret(), b = rdinstret();
		if (b - a < best)
			best = b - a;
	}
	return best;
}

static inline struct sbiret ecall0(unsigned long ext, unsigned long fid, unsigned long a0)
{
	register unsigned long r0 asm("a0") = a0, r1 asm("a1"), r6 asm("a6") = fid, r7 asm("a7") = ext;
	asm volatile("ecall" : "+r"(r0), "=r"(r1) : "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){ (long)r0, (long)r1 };
}

#define MEASURE(name, body)                                            \
	do {                                                           \
		unsigned long base = empty_cost();                      \
		for (int i = 0; i < ITER; i++) {                        \
			unsigned long t0 = rdinstret();                 \
			body;                                           \
			samples[i] = rdinstret() - t0 - base;           \
		}                                                       \
		bench_report(name, "insns", ITER);                      \
	} while (0)

static void calls(int tessera)
{
	MEASURE("sbi_get_spec_version", ecall0(SBI_EXT_BASE, 0, 0));
	if (tessera)
		MEASURE("sbi_vendor_null", ecall0(SBI_EXT_TESSERA, 0, 0));
	MEASURE("sbi_probe_time", ecall0(SBI_EXT_BASE, 3, SBI_EXT_TIME));
	unsigned long far = rdtime() + 3600 * GUEST_TIMEBASE_HZ;
	MEASURE("sbi_set_timer", ecall0(SBI_EXT_TIME, 0, far + (unsigned long)i));
	ecall0(SBI_EXT_TIME, 0, ~0UL);
	MEASURE("mmio_read", (void)*(volatile uint32_t *)PLIC_PRIORITY1);
}

/* ---- timer latency: deadline to the first instruction of the handler ---- */
static volatile unsigned long fired_at;
static volatile int use_sstc;

static void timer_irq(void)
{
	fired_at = rdtime();
	if (use_sstc)
		guest_sstc_set(~0UL);
	else
		ecall0(SBI_EXT_TIME, 0, ~0UL);
}

static void timer_latency(const char *name, int sstc)
{
	use_sstc = sstc;
	guest_set_irq_handler(IRQ_S_TIMER, timer_irq);
	csr_set(sie, SIE_STIE);
	for (int i = 0; i < ITER; i++) {
		fired_at = 0;
		unsigned long deadline = rdtime() + 20 + (unsigned long)(i % 7);
		if (sstc)
			guest_sstc_set(deadline);
		else
			ecall0(SBI_EXT_TIME, 0, deadline);
		while (!fired_at)
			wfi_then_take_irqs();
		samples[i] = fired_at - deadline;
	}
	csr_clear(sie, SIE_STIE);
	bench_report(name, "ticks", ITER);
}

/* ---- a device interrupt through the PLIC: the goldfish RTC's alarm ----
 * From the alarm time to the handler's first read of the RTC, in ns (under
 * -rtc clock=vm and icount: instructions). Under tessera the RTC is passed
 * through and its line reaches the guest through the virtual PLIC (context
 * = vCPU), natively through QEMU's PLIC (S-mode context of hart h: 2h + 1).
 * Bootarg rtc=N: the RTC's PLIC source (QEMU virt: 11); 0 or absent: skipped. */
#define PLIC        0x0c000000UL
#define RTC         0x101000UL
#define RTC_ALARMS  200
static volatile unsigned long rtc_fired;
static unsigned long plic_ctx;

static volatile uint32_t *plic(unsigned long off)
{
	return (volatile uint32_t *)(PLIC + off);
}

static unsigned long rtc_ns(void)
{
	unsigned long lo = *(volatile uint32_t *)RTC;
	return lo | (unsigned long)*(volatile uint32_t *)(RTC + 4) << 32;
}

static void rtc_irq(void)
{
	rtc_fired = rtc_ns();   /* first: the figure ends here */
	uint32_t src = *plic(0x200004 + 0x1000 * plic_ctx);
	*(volatile uint32_t *)(RTC + 0x1c) = 1;   /* CLEAR_INTERRUPT */
	*plic(0x200004 + 0x1000 * plic_ctx) = src;
}

static void rtc_latency(int tessera, unsigned long src)
{
	unsigned long h = guest_hartid();
	plic_ctx = tessera ? h : 2 * h + 1;
	*plic(4 * src) = 1;
	*plic(0x200000 + 0x1000 * plic_ctx) = 0;
	*plic(0x2000 + 0x80 * plic_ctx + 4 * (src / 32)) = 1u << (src % 32);
	guest_set_irq_handler(IRQ_S_EXT, rtc_irq);
	csr_set(sie, SIE_SEIE);
	*(volatile uint32_t *)(RTC + 0x10) = 1;   /* IRQ_ENABLED */
	for (int i = 0; i < RTC_ALARMS; i++) {
		rtc_fired = 0;
		unsigned long at = rtc_ns() + 20000 + (unsigned long)(i % 7) * 100;
		*(volatile uint32_t *)(RTC + 0x0c) = (uint32_t)(at >> 32);
		*(volatile uint32_t *)(RTC + 0x08) = (uint32_t)at;   /* the low half arms it */
		unsigned long t0 = rdtime();
		while (!rtc_fired) {
			wfi_then_take_irqs();
			if (rdtime() - t0 > WAIT_TIMEOUT)
				guest_fail("RTC alarm %d never arrived", i);
		}
		samples[i] = rtc_fired - at;
	}
	*(volatile uint32_t *)(RTC + 0x10) = 0;
	csr_clear(sie, SIE_SEIE);
	bench_report("rtc_plic", "ns", RTC_ALARMS);
}

/* ---- IPI ping-pong between the boot hart and another ---- */
static volatile int pongs, pings, ponger_ready, done;
static volatile unsigned long ponger_entered;   /* time at the started hart's entry function */
static unsigned long me, partner;   /* hart ids (natively the boot hart may be any) */

static void ipi_irq(void)
{
	csr_clear(sip, SIP_SSIP);
	if (guest_slot() == 0) {
		pongs++;
		return;
	}
	pings++;
	bench_send_ipi(1UL << me);   /* back to the boot hart */
}

static void ponger(unsigned long hartid)
{
	ponger_entered = rdtime();
	(void)hartid;
	csr_set(sie, SIE_SSIE);
	atomic_store(&ponger_ready, 1);
	while (!atomic_load(&done))
		wfi_then_take_irqs();
}

static void ipi_latency(const unsigned long *ids, int n)
{
	me = guest_hartid();
	for (int i = 0; i < n; i++)
		if (ids[i] != me) {
			partner = ids[i];
			break;
		}
	guest_set_irq_handler(IRQ_S_SOFT, ipi_irq);
	unsigned long started = rdtime();
	struct sbiret r = guest_hart_start(partner, ponger);
	if (r.error)
		guest_fail("hart_start(%lu): %ld", partner, r.error);
	if (guest_wait_ge(&ponger_ready, 1, WAIT_TIMEOUT))
		guest_fail("hart 1 did not start");
	samples[0] = ponger_entered - started;
	bench_report("hart_start", "ticks", 1);   /* the call to the entry function's first read */
	csr_set(sie, SIE_SSIE);
	for (int i = 0; i < ITER; i++) {
		int want = pongs + 1;
		unsigned long t0 = rdtime();
		bench_send_ipi(1UL << partner);
		while (pongs < want) {
			wfi_then_take_irqs();
			if (rdtime() - t0 > WAIT_TIMEOUT)
				guest_fail("no IPI back from hart 1 (round %d)", i);
		}
		samples[i] = (rdtime() - t0) * 5;   /* one way, in tenths of a tick */
	}
	atomic_store(&done, 1);
	bench_send_ipi(1UL << partner);   /* wake it to see done */
	unsigned long pair[2] = { me, partner };
	guest_join_harts(pair, 2);
	bench_report("ipi_one_way", "deciticks", ITER);
}

/* Bootarg idle=MS: a filler VM sharing a core with the measured one; it takes
 * a timer interrupt every millisecond for MS ms, then stops. */
static void idle_tick(void)
{
	ecall0(SBI_EXT_TIME, 0, ~0UL);
}

static void idle_for(unsigned long ms)
{
	unsigned long end = rdtime() + ms * (GUEST_TIMEBASE_HZ / 1000);
	guest_set_irq_handler(IRQ_S_TIMER, idle_tick);
	csr_set(sie, SIE_STIE);
	while (rdtime() < end) {
		unsigned long next = rdtime() + GUEST_TIMEBASE_HZ / 1000;
		ecall0(SBI_EXT_TIME, 0, next < end ? next : end);
		wfi_then_take_irqs();
	}
	csr_clear(sie, SIE_STIE);
}

void guest_main(unsigned long hartid)
{
	(void)hartid;
	int tessera = guest_has_tessera();
	unsigned long ids[GUEST_MAX_HARTS];
	int harts = guest_count_harts(ids);
	guest_printf("BENCH boot insns median=%lu min=%lu p99=%lu n=1\n", guest_entry_instret,
		     guest_entry_instret, guest_entry_instret);
#ifdef BENCH_BOOT_ONLY
	(void)tessera;
	(void)harts;
	return;
#endif
	unsigned long idle = guest_bootarg_num("idle", 0);
	if (idle) {
		idle_for(idle);
		guest_printf("PASS bench\n");
		return;
	}
	if (harts >= 2) {
		ipi_latency(ids, harts);
	} else {
		calls(tessera);
		if (guest_has_sstc())
			timer_latency("timer_sstc", 1);
		timer_latency(guest_has_sstc() ? "timer_sbi_sstc_host" : "timer_sbi", 0);
		unsigned long rtc = guest_bootarg_num("rtc", 0);
		if (rtc)
			rtc_latency(tessera, rtc);
	}
	guest_printf("PASS bench\n");
}
