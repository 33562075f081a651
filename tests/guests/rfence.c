/*
 * rfence: with every hart started, the boot hart calls remote_fence_i,
 * remote_sfence_vma and remote_sfence_vma_asid (whole address space and a
 * 4 KiB range, ASIDs 0 and 1) for all harts (hart_mask_base = -1), each
 * single hart (both mask forms) and a subset; all must return SBI_SUCCESS.
 * A mask naming a hart that does not exist must return
 * SBI_ERR_INVALID_PARAM.
 */
#include "guest.h"

const char guest_name[] = "rfence";

static volatile int ready, release;
static int calls;

static void secondary(unsigned long hartid)
{
	atomic_add(&ready, 1);
	if (guest_wait_ge(&release, 1, 6 * WAIT_TIMEOUT))
		guest_fail("hart %lu: never released", hartid);
}

static void check(struct sbiret r, const char *fn, unsigned long mask, unsigned long base)
{
	calls++;
	if (r.error != SBI_SUCCESS)
		guest_fail("%s(mask 0x%lx, base 0x%lx) returned %ld", fn, mask, base, r.error);
}

static void fence_all_kinds(unsigned long mask, unsigned long base)
{
	check(sbi_remote_fence_i(mask, base), "remote_fence_i", mask, base);
	check(sbi_remote_sfence_vma(mask, base, 0, -1UL), "remote_sfence_vma", mask, base);
	check(sbi_remote_sfence_vma(mask, base, GUEST_LOAD_ADDR, 0x1000),
	      "remote_sfence_vma(range)", mask, base);
	for (unsigned long asid = 0; asid < 2; asid++) {
		check(sbi_remote_sfence_vma_asid(mask, base, 0, -1UL, asid),
		      "remote_sfence_vma_asid", mask, base);
		check(sbi_remote_sfence_vma_asid(mask, base, GUEST_LOAD_ADDR, 0x1000, asid),
		      "remote_sfence_vma_asid(range)", mask, base);
	}
}

static void check_invalid(unsigned long bad)
{
	char what[80];
	unsigned long mask = 1UL << bad;

	guest_snprintf(what, sizeof(what), "remote_fence_i(mask 1<<%lu, base 0)", bad);
	guest_expect_invalid_mask(sbi_remote_fence_i(mask, 0), what);
	guest_snprintf(what, sizeof(what), "remote_sfence_vma(mask 1<<%lu, base 0)", bad);
	guest_expect_invalid_mask(sbi_remote_sfence_vma(mask, 0, 0, -1UL), what);
	guest_snprintf(what, sizeof(what), "remote_sfence_vma_asid(mask 1<<%lu, base 0)", bad);
	guest_expect_invalid_mask(sbi_remote_sfence_vma_asid(mask, 0, 0, -1UL, 1), what);
	guest_snprintf(what, sizeof(what), "remote_fence_i(mask 1, base %lu)", bad);
	guest_expect_invalid_mask(sbi_remote_fence_i(1, bad), what);
}

void guest_main(unsigned long self)
{
	unsigned long ids[GUEST_MAX_HARTS], subset = 0;
	int n = guest_count_harts(ids);

	guest_printf("rfence: boot hart %lu, %d harts\n", self, n);
	for (int i = 0; i < n; i++) {
		if (ids[i] == self)
			continue;
		struct sbiret r = guest_hart_start(ids[i], secondary);
		if (r.error != SBI_SUCCESS)
			guest_fail("hart_start(%lu) returned %ld", ids[i], r.error);
	}
	if (guest_wait_ge(&ready, n - 1, WAIT_TIMEOUT))
		guest_fail("only %d of %d secondary harts came up", atomic_load(&ready), n - 1);

	fence_all_kinds(0, -1UL);                       /* all harts */
	for (int i = 0; i < n; i++) {                   /* each hart, both forms */
		fence_all_kinds(1UL << ids[i], 0);
		fence_all_kinds(1, ids[i]);
		if (i % 2 == 0)
			subset |= 1UL << ids[i];
	}
	fence_all_kinds(subset, 0);                     /* every other hart */
	check_invalid(guest_invalid_hartid());

	atomic_store(&release, 1);
	guest_join_harts(ids, n);
	guest_printf("PASS rfence: %d harts, %d calls\n", n, calls);
}
