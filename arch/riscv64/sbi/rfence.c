/*
 * SBI RFENCE: fence.i and sfence.vma on other vCPUs of the VM. Every fence is
 * done in full on each target core (all of the VM's translations), which is
 * always correct; ranges and ASIDs are checked, not used to narrow it.
 */
#include "arch/riscv64/sbi/sbi_guest.h"

static void rfence_handle(struct sbi_call *c)
{
	if (c->fid > 2)
		return;   /* the hfence calls: guests have no H extension */
	uint32_t targets;
	int rc = vm_hart_mask(c->v->vm, c->a[0], c->a[1], &targets);
	if (rc == 0)
		rc = vm_rfence(c->p, c->v, targets);
	c->error = sbi_error_from(rc);
}

const struct sbi_ext sbi_ext_rfence = { SBI_EXT_RFENCE, SBI_EXT_RFENCE, false, NULL, rfence_handle, NULL };
