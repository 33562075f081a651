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
	if (harts >= 2) {
		ipi_latency(ids, harts);
	} else {
		calls(tessera);
		if (guest_has_sstc())
			timer_latency("timer_sstc", 1);
		timer_latency(guest_has_sstc() ? "timer_sbi_sstc_host" : "timer_sbi", 0);
	}
	guest_printf("PASS bench\n");
}
