/*
 * SBI RFENCE: remote_fence_i is a fence.i, remote_sfence_vma(_asid) an
 * HFENCE.VVMA of the VM's VMID, on each core that holds a target vCPU. Each
 * flushes all of the VM's VS-stage translations, which is always correct;
 * ranges and ASIDs are checked, not used to narrow it.
 */
#include "arch/riscv64/sbi/sbi_guest.h"

static void rfence_handle(struct sbi_call *c)
{
	if (c->fid > 2)
		return;   /* the hfence calls: guests have no H extension */
	uint32_t targets;
	int rc = sbi_hart_mask(c->v->vm, c->a[0], c->a[1], &targets);
	if (rc == 0)
		rc = vm_rfence(c->p, c->v, targets, c->fid == 0 ? ARCH_RFENCE_I : ARCH_RFENCE_VS_TLB);
	c->error = sbi_error_from(rc);
}

const struct sbi_ext sbi_ext_rfence = { SBI_EXT_RFENCE, SBI_EXT_RFENCE, false, NULL, rfence_handle, NULL };
