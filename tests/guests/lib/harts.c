/*
 * Boot and secondary entry, per-hart slots, hart enumeration and HSM
 * helpers.  A slot is given to a hart id the first time it is started and
 * kept for it, so a hart that is stopped and started again reuses its
 * stack.
 */
#include "guest.h"

struct hart_local guest_hart_local[GUEST_MAX_HARTS];
static guest_lock_t slot_lock = GUEST_LOCK_INIT;
static int nr_slots;
static int has_tessera;
unsigned long guest_boot_dtb;
unsigned long guest_entry_instret;

void guest_boot_entry(unsigned long hartid, unsigned long dtb)
{
	guest_boot_dtb = dtb;
	csr_write(stvec, (unsigned long)guest_trap_vector);
	guest_hart_local[0].hartid = hartid;
	guest_hart_local[0].used = 1;
	nr_slots = 1;
	guest_console_init();
	has_tessera = sbi_has_extension(SBI_EXT_TESSERA);
	guest_main(hartid);
	guest_shutdown();
}

void guest_secondary_entry(unsigned long hartid, unsigned long slot)
{
	struct hart_local *me = &guest_hart_local[slot];

	csr_write(stvec, (unsigned long)guest_trap_vector);
	if (!me->used || me->hartid != hartid || !me->entry)
		guest_fail("hart %lu entered on slot %lu (of hart %lu)",
			   hartid, slot, me->hartid);
	me->entry(hartid);
	guest_hart_stop_self();
}

int guest_has_tessera(void)
{
	return has_tessera;
}

int guest_slot_of(unsigned long hartid)
{
	int slot = -1;

	spin_lock(&slot_lock);
	for (int i = 0; i < nr_slots; i++)
		if (guest_hart_local[i].hartid == hartid)
			slot = i;
	spin_unlock(&slot_lock);
	return slot;
}

static int slot_for(unsigned long hartid)
{
	int slot = guest_slot_of(hartid);

	if (slot >= 0)
		return slot;
	spin_lock(&slot_lock);
	if (nr_slots < GUEST_MAX_HARTS) {
		slot = nr_slots++;
		guest_hart_local[slot].hartid = hartid;
		guest_hart_local[slot].used = 1;
	}
	spin_unlock(&slot_lock);
	return slot;
}

struct sbiret guest_hart_start(unsigned long hartid, void (*fn)(unsigned long hartid))
{
	int slot = slot_for(hartid);

	if (slot < 0)
		return (struct sbiret){ .error = SBI_ERR_FAILED };
	if (slot > 0)   /* slot 0 is the boot hart: running, never restarted */
		guest_hart_local[slot].entry = fn;
	asm volatile("fence rw, rw" ::: "memory");
	return sbi_hart_start(hartid, (unsigned long)guest_secondary_start,
			      (unsigned long)slot);
}

void guest_hart_stop_self(void)
{
	irq_disable();
	csr_write(sie, 0);
	struct sbiret r = sbi_hart_stop();
	guest_fail("hart %lu: hart_stop returned %ld", guest_hartid(), r.error);
}

int guest_wait_hart_status(unsigned long hartid, long state, unsigned long timeout)
{
	unsigned long start = rdtime();

	for (;;) {
		struct sbiret r = sbi_hart_get_status(hartid);
		if (r.error == SBI_SUCCESS && r.value == state)
			return 0;
		if (rdtime() - start > timeout)
			return -1;
		guest_nap(NAP_TICKS);
	}
}

int guest_count_harts(unsigned long ids[GUEST_MAX_HARTS])
{
	unsigned long self = guest_hartid();
	int n = 0, have_self = 0;

	if (has_tessera) {
		struct sbiret r = sbi_tessera_vm_info(TESSERA_INFO_NR_VCPUS);
		if (r.error == SBI_SUCCESS && r.value > 0) {
			for (long i = 0; i < r.value && n < GUEST_MAX_HARTS; i++)
				ids[n++] = (unsigned long)i;
			return n;
		}
	}
	for (unsigned long id = 0; id < 32; id++) {
		if (sbi_hart_get_status(id).error != SBI_SUCCESS)
			continue;
		if (n == GUEST_MAX_HARTS) {
			if (!have_self && id == self)   /* keep the boot hart */
				ids[n - 1] = id;
			continue;
		}
		have_self |= id == self;
		ids[n++] = id;
	}
	return n;
}

unsigned long guest_invalid_hartid(void)
{
	if (has_tessera) {
		struct sbiret r = sbi_tessera_vm_info(TESSERA_INFO_NR_VCPUS);
		if (r.error == SBI_SUCCESS && r.value > 0 && r.value < 64)
			return (unsigned long)r.value;
	}
	for (unsigned long id = 0; id < 64; id++)
		if (sbi_hart_get_status(id).error == SBI_ERR_INVALID_PARAM)
			return id;
	return 63;
}

void guest_expect_invalid_mask(struct sbiret r, const char *what)
{
	static int skipped;

	if (r.error == SBI_ERR_INVALID_PARAM)
		return;
	if (r.error == SBI_SUCCESS && !has_tessera) {
		if (!skipped++)
			guest_printf("SKIP %s: %s: firmware ignores absent harts in hart masks "
				     "(returned 0, not %d)\n", guest_name, what,
				     SBI_ERR_INVALID_PARAM);
		return;
	}
	guest_fail("%s returned %ld, want %d", what, r.error, SBI_ERR_INVALID_PARAM);
}

void guest_join_harts(const unsigned long *ids, int n)
{
	unsigned long self = guest_hartid();

	for (int i = 0; i < n; i++)
		if (ids[i] != self && guest_wait_hart_status(ids[i], SBI_HSM_STOPPED, WAIT_TIMEOUT))
			guest_fail("hart %lu did not stop (state %ld)", ids[i],
				   sbi_hart_get_status(ids[i]).value);
}
