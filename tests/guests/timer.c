/*
 * timer: 100 timer interrupts through SBI set_timer, 100 through the Sstc
 * stimecmp CSR (SKIP when writing it traps), one through the legacy
 * set_timer.  Each deadline is now + 1 ms; each interrupt must come at or
 * after its deadline, in order, exactly once.  The worst lateness (time of
 * the interrupt handler - deadline) is reported in timebase ticks.
 */
#include "guest.h"

const char guest_name[] = "timer";

#define TICKS  100
#define PERIOD TICKS_PER_MS

enum mode { MODE_SBI, MODE_SSTC, MODE_LEGACY };
static const char *const mode_name[] = { "SBI set_timer", "Sstc stimecmp", "legacy set_timer" };

static volatile enum mode mode;
static volatile int fired;
static volatile unsigned long fired_at;

static void arm(unsigned long deadline)
{
	switch (mode) {
	case MODE_SBI: {
		struct sbiret r = sbi_set_timer(deadline);
		if (r.error != SBI_SUCCESS)
			guest_fail("set_timer returned %ld", r.error);
		break;
	}
	case MODE_SSTC:
		guest_sstc_set(deadline);
		break;
	case MODE_LEGACY:
		sbi_legacy_set_timer(deadline);
		break;
	}
}

static void on_timer(void)
{
	unsigned long now = rdtime();

	arm(-1UL);                  /* clears the pending timer interrupt */
	fired_at = now;
	atomic_add(&fired, 1);
}

/* Runs count ticks in mode m; returns the worst lateness in ticks. */
static unsigned long run(enum mode m, int count)
{
	unsigned long worst = 0, prev = 0, sum = 0;

	mode = m;
	atomic_store(&fired, 0);
	csr_set(sie, SIE_STIE);
	for (int i = 0; i < count; i++) {
		irq_disable();
		unsigned long deadline = rdtime() + PERIOD;
		arm(deadline);
		irq_enable();
		/* poll, not WFI: a lost interrupt must end in FAIL, not a hang */
		while (atomic_load(&fired) == i) {
			unsigned long now = rdtime();
			if (now > deadline && now - deadline > WAIT_TIMEOUT)
				guest_fail("%s: interrupt %d lost (no interrupt 5 s after its deadline)",
					   mode_name[m], i + 1);
			cpu_relax();
		}
		irq_disable();
		unsigned long at = fired_at;
		if (atomic_load(&fired) != i + 1)
			guest_fail("%s: %d interrupts for %d deadlines", mode_name[m],
				   atomic_load(&fired), i + 1);
		if (at < deadline)
			guest_fail("%s: interrupt %d came %lu ticks before its deadline",
				   mode_name[m], i + 1, deadline - at);
		if (at <= prev)
			guest_fail("%s: interrupt %d at %lu, not after the previous one at %lu",
				   mode_name[m], i + 1, at, prev);
		if (at - deadline > worst)
			worst = at - deadline;
		sum += at - deadline;
		prev = at;
	}
	/* no late duplicates */
	irq_enable();
	guest_delay(5 * PERIOD);
	irq_disable();
	if (atomic_load(&fired) != count)
		guest_fail("%s: %d interrupts for %d deadlines", mode_name[m],
			   atomic_load(&fired), count);
	csr_clear(sie, SIE_STIE);
	guest_printf("timer: %s: %d ticks, late by %lu ticks on average, %lu at worst\n",
		     mode_name[m], count, sum / (unsigned long)count, worst);
	return worst;
}

void guest_main(unsigned long hartid)
{
	unsigned long worst, w;
	int sstc = guest_has_sstc();

	(void)hartid;
	guest_set_irq_handler(IRQ_S_TIMER, on_timer);

	worst = run(MODE_SBI, TICKS);
	if (sstc) {
		w = run(MODE_SSTC, TICKS);
		if (w > worst)
			worst = w;
		/* back to SBI: leave stimecmp at "never" (done by the handler) */
	} else {
		guest_printf("SKIP timer: no Sstc (writing stimecmp traps)\n");
	}
	w = run(MODE_LEGACY, 1);
	if (w > worst)
		worst = w;

	if (sstc)
		guest_printf("PASS timer: sbi %d ticks, sstc %d ticks, worst late %lu ticks\n",
			     TICKS, TICKS, worst);
	else
		guest_printf("PASS timer: sbi %d ticks, sstc skipped, worst late %lu ticks\n",
			     TICKS, worst);
}
