/*
 * smp: HSM bring-up.  The boot hart starts every other hart (STOPPED ->
 * [START_PENDING] -> STARTED), each counts in on a shared counter, stops
 * itself with hart_stop, and the whole round is done a second time.  Also:
 * hart_start of a running hart returns SBI_ERR_ALREADY_AVAILABLE, and
 * hart_start / hart_get_status of a hart id that does not exist return
 * SBI_ERR_INVALID_PARAM.
 */
#include "guest.h"

const char guest_name[] = "smp";

static volatile int counted;      /* harts that counted in, over both rounds */
static volatile int round_no;     /* current round (1, 2) */
static volatile int stop_order;   /* secondaries of round <= stop_order stop */

static void secondary(unsigned long hartid)
{
	int round = atomic_load(&round_no);

	atomic_add(&counted, 1);
	if (guest_wait_ge(&stop_order, round, 6 * WAIT_TIMEOUT))
		guest_fail("hart %lu: no stop order in round %d", hartid, round);
	/* returning stops this hart (guest_hart_stop_self) */
}

static void check_status(unsigned long id, long want, const char *when)
{
	struct sbiret r = sbi_hart_get_status(id);

	if (r.error != SBI_SUCCESS || r.value != want)
		guest_fail("hart_get_status(%lu) %s: error %ld state %ld, want state %ld",
			   id, when, r.error, r.value, want);
}

/* After hart_start: START_PENDING for a while at most, then STARTED. */
static void wait_started(unsigned long id)
{
	unsigned long start = rdtime();

	for (;;) {
		struct sbiret r = sbi_hart_get_status(id);
		if (r.error != SBI_SUCCESS ||
		    (r.value != SBI_HSM_STARTED && r.value != SBI_HSM_START_PENDING))
			guest_fail("hart %lu after hart_start: error %ld state %ld",
				   id, r.error, r.value);
		if (r.value == SBI_HSM_STARTED)
			return;
		if (rdtime() - start > WAIT_TIMEOUT)
			guest_fail("hart %lu still START_PENDING after 5 s", id);
		guest_nap(NAP_TICKS);
	}
}

static void run_round(int round, const unsigned long *ids, int n, unsigned long self)
{
	atomic_store(&round_no, round);
	atomic_add(&counted, 1);                       /* the boot hart */
	for (int i = 0; i < n; i++) {
		if (ids[i] == self)
			continue;
		check_status(ids[i], SBI_HSM_STOPPED, "before hart_start");
		struct sbiret r = guest_hart_start(ids[i], secondary);
		if (r.error != SBI_SUCCESS)
			guest_fail("round %d: hart_start(%lu) returned %ld", round, ids[i], r.error);
		wait_started(ids[i]);
	}
	if (guest_wait_ge(&counted, round * n, WAIT_TIMEOUT))
		guest_fail("round %d: %d of %d harts counted in", round,
			   atomic_load(&counted) - (round - 1) * n, n);

	if (round == 1) {
		for (int i = 0; i < n; i++) {
			struct sbiret r = guest_hart_start(ids[i], secondary);
			if (r.error != SBI_ERR_ALREADY_AVAILABLE)
				guest_fail("hart_start of running hart %lu returned %ld, want %d",
					   ids[i], r.error, SBI_ERR_ALREADY_AVAILABLE);
		}
	}

	atomic_store(&stop_order, round);
	for (int i = 0; i < n; i++) {
		if (ids[i] != self && guest_wait_hart_status(ids[i], SBI_HSM_STOPPED, WAIT_TIMEOUT))
			guest_fail("round %d: hart %lu did not reach STOPPED after hart_stop (state %ld)",
				   round, ids[i], sbi_hart_get_status(ids[i]).value);
	}
}

void guest_main(unsigned long self)
{
	unsigned long ids[GUEST_MAX_HARTS];
	int n = guest_count_harts(ids);
	unsigned long bad = guest_invalid_hartid();

	guest_printf("smp: boot hart %lu, %d harts\n", self, n);
	check_status(self, SBI_HSM_STARTED, "of the boot hart");

	struct sbiret r = sbi_hart_start(bad, (unsigned long)guest_secondary_start, 0);
	if (r.error != SBI_ERR_INVALID_PARAM)
		guest_fail("hart_start(%lu) (no such hart) returned %ld, want %d",
			   bad, r.error, SBI_ERR_INVALID_PARAM);
	r = sbi_hart_get_status(bad);
	if (r.error != SBI_ERR_INVALID_PARAM)
		guest_fail("hart_get_status(%lu) (no such hart) returned %ld, want %d",
			   bad, r.error, SBI_ERR_INVALID_PARAM);

	if (n == 1) {
		r = sbi_hart_start(self, (unsigned long)guest_secondary_start, 0);
		if (r.error != SBI_ERR_ALREADY_AVAILABLE)
			guest_fail("hart_start of the boot hart returned %ld, want %d",
				   r.error, SBI_ERR_ALREADY_AVAILABLE);
		guest_printf("PASS smp: 1 harts (only the boot hart, nothing to start)\n");
		return;
	}

	run_round(1, ids, n, self);
	run_round(2, ids, n, self);
	guest_sleep(10 * TICKS_PER_MS);
	if (atomic_load(&counted) != 2 * n)
		guest_fail("%d harts counted in over two rounds, want %d",
			   atomic_load(&counted), 2 * n);
	guest_printf("PASS smp: %d harts\n", n);
}
