/*
 * stress: for STRESS_SECONDS (build option, default 10) of guest time every
 * hart alternates between
 *   - WFI with only the software interrupt enabled, until the ring token
 *     arrives: an IPI from hart i-1; it then wakes hart i+1 (mod n), and
 *   - WFI with only the timer interrupt enabled, for a short SBI timer
 *     (pseudo-random 0.1-2 ms).
 * Wake-ups (IPIs and timer interrupts taken) are counted per hart; every
 * hart must get >= 100.  The boot hart is the watchdog: a hart that makes
 * no progress for 1 s fails the test (so while it waits for the token the
 * boot hart also enables its timer, with a 100 ms watchdog tick).  With one
 * hart only the timer part runs.
 */
#include "guest.h"

#ifndef STRESS_SECONDS
#define STRESS_SECONDS 10
#endif

const char guest_name[] = "stress";

#define MIN_WAKEUPS   100
#define STALL_LIMIT   GUEST_TIMEBASE_HZ              /* 1 s */
#define WATCHDOG_TICK (100 * TICKS_PER_MS)

static unsigned long ids[GUEST_MAX_HARTS];
static int n;
static int idx_of_slot[GUEST_MAX_HARTS];
static volatile int got_ipi[GUEST_MAX_HARTS], got_timer[GUEST_MAX_HARTS];
static volatile int ipi_wakeups[GUEST_MAX_HARTS], timer_wakeups[GUEST_MAX_HARTS];
static volatile unsigned long last_progress[GUEST_MAX_HARTS];
static volatile int done[GUEST_MAX_HARTS], ready, go, stop;
static volatile unsigned long t_end;

static int me_idx(void)
{
	return idx_of_slot[guest_slot()];
}

static void on_ipi(void)
{
	csr_clear(sip, SIP_SSIP);
	atomic_store(&got_ipi[me_idx()], 1);
}

static void on_timer(void)
{
	sbi_set_timer(-1UL);
	atomic_store(&got_timer[me_idx()], 1);
}

static void set_timer(unsigned long deadline)
{
	struct sbiret r = sbi_set_timer(deadline);
	if (r.error != SBI_SUCCESS)
		guest_fail("hart %lu: set_timer returned %ld", guest_hartid(), r.error);
}

static void progress(int me, volatile int *counter)
{
	atomic_add(counter, 1);
	atomic_store_ul(&last_progress[me], rdtime());
}

/* Boot hart only: fail if another hart has been stuck for 1 s. */
static void watchdog(void)
{
	unsigned long now = rdtime();

	for (int i = 1; i < n; i++) {
		unsigned long last = atomic_load_ul(&last_progress[i]);
		if (!atomic_load(&done[i]) && now > last && now - last > STALL_LIMIT)
			guest_fail("hart %lu made no progress for 1 s (%d IPI and %d timer wake-ups)",
				   ids[i], atomic_load(&ipi_wakeups[i]),
				   atomic_load(&timer_wakeups[i]));
	}
}

static unsigned long next_rand(unsigned long *seed)
{
	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return *seed >> 33;
}

/* WFI for a short timer, with only the timer interrupt enabled. */
static void wait_timer(int me, unsigned long *seed)
{
	unsigned long ticks = 100 * TICKS_PER_US + next_rand(seed) % (1900 * TICKS_PER_US + 1);

	atomic_store(&got_timer[me], 0);
	csr_write(sie, SIE_STIE);
	set_timer(rdtime() + ticks);
	while (!atomic_load(&got_timer[me])) {
		wfi_then_take_irqs();
		if (me == 0)
			watchdog();
	}
	progress(me, &timer_wakeups[me]);
}

/* WFI for the ring token (software interrupt only; the boot hart also
 * takes its watchdog tick). */
static void wait_token(int me)
{
	csr_write(sie, SIE_SSIE | (me == 0 ? SIE_STIE : 0));
	if (me == 0) {
		atomic_store(&got_timer[0], 0);
		set_timer(rdtime() + WATCHDOG_TICK);
	}
	while (!atomic_load(&got_ipi[me])) {
		wfi_then_take_irqs();
		if (me == 0 && atomic_load(&got_timer[0])) {
			watchdog();
			atomic_store(&got_timer[0], 0);
			set_timer(rdtime() + WATCHDOG_TICK);
		}
	}
	atomic_store(&got_ipi[me], 0);
	progress(me, &ipi_wakeups[me]);
}

static void pass_token(int me)
{
	unsigned long to = ids[(me + 1) % n];
	struct sbiret r = sbi_send_ipi(1UL << to, 0);

	if (r.error != SBI_SUCCESS)
		guest_fail("send_ipi hart %lu -> hart %lu returned %ld", ids[me], to, r.error);
}

static void run(int me)
{
	unsigned long seed = ids[me] * 0x9e3779b97f4a7c15UL + rdtime();

	irq_disable();
	if (me == 0 && n > 1)
		pass_token(me);                  /* the one token of the ring */
	for (;;) {
		if (n > 1) {
			/*
			 * The boot hart decides when the ring stops and says so before
			 * it passes the token on, so every hart learns it with the
			 * token: a hart that read the clock itself could still see time
			 * left after the boot hart had stopped, and wait for ever for a
			 * token nobody passes.
			 */
			wait_token(me);
			if (me == 0 && rdtime() >= t_end)
				atomic_store(&stop, 1);
			int last = atomic_load(&stop);
			if (!last || me != n - 1)
				pass_token(me);          /* the last hart keeps the final token */
			if (last)
				break;
		} else if (rdtime() >= t_end) {
			break;
		}
		wait_timer(me, &seed);
	}
	csr_write(sie, 0);
	sbi_set_timer(-1UL);
	atomic_store(&done[me], 1);
}

static void secondary(unsigned long hartid)
{
	int me = 0;

	while (ids[me] != hartid)
		me++;
	idx_of_slot[guest_slot()] = me;
	atomic_add(&ready, 1);
	if (guest_wait_ge(&go, 1, WAIT_TIMEOUT))
		guest_fail("hart %lu: no go signal", hartid);
	run(me);
}

void guest_main(unsigned long self)
{
	n = guest_count_harts(ids);
	for (int i = 0; i < n; i++)       /* the boot hart takes index 0 */
		if (ids[i] == self) {
			ids[i] = ids[0];
			ids[0] = self;
		}
	idx_of_slot[0] = 0;
	guest_set_irq_handler(IRQ_S_SOFT, on_ipi);
	guest_set_irq_handler(IRQ_S_TIMER, on_timer);
	guest_printf("stress: boot hart %lu, %d harts, %d s\n", self, n, STRESS_SECONDS);

	for (int i = 1; i < n; i++) {
		struct sbiret r = guest_hart_start(ids[i], secondary);
		if (r.error != SBI_SUCCESS)
			guest_fail("hart_start(%lu) returned %ld", ids[i], r.error);
	}
	if (guest_wait_ge(&ready, n - 1, WAIT_TIMEOUT))
		guest_fail("only %d of %d secondary harts came up", atomic_load(&ready), n - 1);

	unsigned long start = rdtime();
	for (int i = 0; i < n; i++)
		last_progress[i] = start;
	t_end = start + STRESS_SECONDS * GUEST_TIMEBASE_HZ;
	atomic_store(&go, 1);
	run(0);

	for (int i = 1; i < n; i++)
		if (guest_wait_ge(&done[i], 1, WAIT_TIMEOUT))
			guest_fail("hart %lu did not finish", ids[i]);
	guest_join_harts(ids, n);

	int total = 0;
	for (int i = 0; i < n; i++) {
		int ipis = atomic_load(&ipi_wakeups[i]), timers = atomic_load(&timer_wakeups[i]);
		guest_printf("stress: hart %lu: %d wake-ups (%d IPI, %d timer)\n",
			     ids[i], ipis + timers, ipis, timers);
		if (ipis + timers < MIN_WAKEUPS)
			guest_fail("hart %lu woke only %d times, want >= %d",
				   ids[i], ipis + timers, MIN_WAKEUPS);
		total += ipis + timers;
	}
	guest_printf("PASS stress: %d harts, %d wake-ups in %d s\n", n, total, STRESS_SECONDS);
}
