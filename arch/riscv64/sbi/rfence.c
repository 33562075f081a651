/*
 * SBI RFENCE: remote_fence_i is a fence.i, remote_sfence_vma(_asid) an
 * HFENCE.VVMA of the VM's VMID, on each core that holds a target vCPU. Each
 * flushes all of the VM's VS-stage translations, which is always correct;
 * ranges and ASIDs are checked, not used to narrow it.
 */
#include "arch/riscv64/sbi/sbi_guest.h"

enum { RFENCE_REMOTE_FENCE_I, RFENCE_REMOTE_SFENCE_VMA, RFENCE_REMOTE_SFENCE_VMA_ASID };

static void rfence_handle(struct sbi_call *c)
{
	if (c->fid > RFENCE_REMOTE_SFENCE_VMA_ASID)
		return;   /* the hfence calls: guests have no H extension */
	uint32_t targets;
	int rc = sbi_hart_mask(c->v->vm, c->a[0], c->a[1], &targets);
	if (rc == 0)
		rc = vm_rfence(c->p, c->v, targets, c->fid == RFENCE_REMOTE_FENCE_I ? ARCH_RFENCE_I : ARCH_RFENCE_VS_TLB);
	c->error = sbi_error_from(rc);
}

const struct sbi_ext sbi_ext_rfence = {
	.name = "rfence", .eid_min = SBI_EXT_RFENCE, .eid_max = SBI_EXT_RFENCE,
	.handle = rfence_handle,
};
