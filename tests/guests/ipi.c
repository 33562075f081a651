/*
 * ipi: every hart sends IPIs to every other hart, one sender and one IPI
 * at a time (round-based, so IPIs never coalesce): 7 with hart_mask =
 * 1 << target, hart_mask_base = 0 and one with hart_mask = 1,
 * hart_mask_base = target.  The receiver's handler clears sip.SSIP and
 * counts the IPI for (current sender, itself); the sender waits for that
 * count before the next IPI.  Every count must be exact (no loss, no
 * duplicates).  Also a self-IPI, and masks naming a hart that does not
 * exist must return SBI_ERR_INVALID_PARAM.
 */
#include "guest.h"

const char guest_name[] = "ipi";

#define PER_PAIR 8

static unsigned long ids[GUEST_MAX_HARTS];
static int n;
static int idx_of_slot[GUEST_MAX_HARTS];       /* slot -> index in ids[] */
static volatile int turn = -1;                 /* sender index; -1: self test; n: done */
static volatile int recv[GUEST_MAX_HARTS][GUEST_MAX_HARTS];   /* [sender][receiver] */
static volatile int self_recv, spurious, progress, ready, release;

static void on_ipi(void)
{
	int me = idx_of_slot[guest_slot()];
	int s = atomic_load(&turn);

	csr_clear(sip, SIP_SSIP);
	if (s < 0 && me == 0)
		atomic_add(&self_recv, 1);
	else if (s >= 0 && s < n && s != me)
		atomic_add(&recv[s][me], 1);
	else
		atomic_add(&spurious, 1);
	atomic_add(&progress, 1);
}

/* Waits for our turn; the timeout restarts whenever any IPI is delivered. */
static int wait_turn(int want)
{
	unsigned long last = rdtime();
	int seen = atomic_load(&progress);

	while (atomic_load(&turn) < want) {
		int p = atomic_load(&progress);
		if (p != seen) {
			seen = p;
			last = rdtime();
		} else if (rdtime() - last > WAIT_TIMEOUT) {
			return -1;
		}
		guest_nap(NAP_TICKS);
	}
	return 0;
}

static void send_all(int me)
{
	for (int r = 0; r < n; r++) {
		if (r == me)
			continue;
		for (int k = 0; k < PER_PAIR; k++) {
			int before = atomic_load(&recv[me][r]);
			struct sbiret ret = k == PER_PAIR - 1 ? sbi_send_ipi(1, ids[r])
							      : sbi_send_ipi(1UL << ids[r], 0);
			if (ret.error != SBI_SUCCESS)
				guest_fail("send_ipi hart %lu -> hart %lu returned %ld",
					   ids[me], ids[r], ret.error);
			if (guest_wait_ge(&recv[me][r], before + 1, WAIT_TIMEOUT))
				guest_fail("IPI %d of %d hart %lu -> hart %lu lost (%s form)",
					   k + 1, PER_PAIR, ids[me], ids[r],
					   k == PER_PAIR - 1 ? "base" : "mask");
		}
	}
}

/* Both the boot hart and the secondaries run this. */
static void take_part(int me)
{
	csr_set(sie, SIE_SSIE);
	irq_enable();
	atomic_add(&ready, 1);
	if (wait_turn(me))
		guest_fail("hart %lu: no progress for 5 s waiting for its turn (turn %d)",
			   ids[me], atomic_load(&turn));
	send_all(me);
	atomic_store(&turn, me + 1);
}

static void secondary(unsigned long hartid)
{
	int me = 0;

	while (ids[me] != hartid)
		me++;
	idx_of_slot[guest_slot()] = me;
	take_part(me);
	if (guest_wait_ge(&release, 1, 6 * WAIT_TIMEOUT))
		guest_fail("hart %lu: never released", hartid);
	irq_disable();
}

static void check_invalid_masks(void)
{
	unsigned long bad = guest_invalid_hartid();
	char what[64];

	guest_snprintf(what, sizeof(what), "send_ipi(mask 1<<%lu, base 0)", bad);
	guest_expect_invalid_mask(sbi_send_ipi(1UL << bad, 0), what);
	guest_snprintf(what, sizeof(what), "send_ipi(mask 1, base %lu)", bad);
	guest_expect_invalid_mask(sbi_send_ipi(1, bad), what);
}

void guest_main(unsigned long self)
{
	n = guest_count_harts(ids);
	/* the boot hart takes index 0 */
	for (int i = 0; i < n; i++)
		if (ids[i] == self) {
			ids[i] = ids[0];
			ids[0] = self;
		}
	idx_of_slot[0] = 0;
	guest_set_irq_handler(IRQ_S_SOFT, on_ipi);
	guest_printf("ipi: boot hart %lu, %d harts\n", self, n);

	check_invalid_masks();

	/* self-IPI */
	csr_set(sie, SIE_SSIE);
	irq_enable();
	struct sbiret r = sbi_send_ipi(1UL << self, 0);
	if (r.error != SBI_SUCCESS || guest_wait_ge(&self_recv, 1, WAIT_TIMEOUT))
		guest_fail("self-IPI: send_ipi returned %ld, received %d",
			   r.error, atomic_load(&self_recv));
	irq_disable();

	for (int i = 1; i < n; i++) {
		r = guest_hart_start(ids[i], secondary);
		if (r.error != SBI_SUCCESS)
			guest_fail("hart_start(%lu) returned %ld", ids[i], r.error);
	}
	if (guest_wait_ge(&ready, n - 1, WAIT_TIMEOUT))
		guest_fail("only %d of %d secondary harts came up", atomic_load(&ready), n - 1);
	atomic_store(&turn, 0);
	take_part(0);
	if (wait_turn(n))
		guest_fail("senders stalled at turn %d", atomic_load(&turn));
	guest_sleep(20 * TICKS_PER_MS);        /* let late duplicates show up */

	int total = atomic_load(&self_recv);
	for (int s = 0; s < n; s++)
		for (int d = 0; d < n; d++) {
			if (s == d)
				continue;
			int got = atomic_load(&recv[s][d]);
			if (got != PER_PAIR)
				guest_fail("hart %lu -> hart %lu: %d IPIs received, %d sent",
					   ids[s], ids[d], got, PER_PAIR);
			total += got;
		}
	if (atomic_load(&self_recv) != 1 || atomic_load(&spurious))
		guest_fail("%d self-IPIs (want 1), %d spurious IPIs",
			   atomic_load(&self_recv), atomic_load(&spurious));
	atomic_store(&release, 1);
	irq_disable();
	guest_join_harts(ids, n);
	guest_printf("PASS ipi: %d harts, %d IPIs\n", n, total);
}
