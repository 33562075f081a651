/* SBI IPI: virtual software interrupts to vCPUs of the same VM. */
#include "arch/riscv64/sbi/sbi_guest.h"

#define IPI_SEND_IPI 0

static void ipi_handle(struct sbi_call *c)
{
	if (c->fid != IPI_SEND_IPI)
		return;
	uint32_t targets;
	int rc = sbi_hart_mask(c->v->vm, c->a[0], c->a[1], &targets);
	if (rc == 0)
		rc = vm_send_ipi(c->p, c->v, targets);
	c->error = sbi_error_from(rc);
	/*
	 * A vCPU of this core woken (or the caller's own line raised) is the
	 * run loop's to schedule; vCPUs elsewhere got a message.
	 */
	const struct vm *vm = c->v->vm;
	for (unsigned i = 0; rc == 0 && i < vm->nvcpus; i++)
		if ((targets & (1u << i)) && vm->vcpu[i].pcpu == c->p->id)
			c->resched = true;
}

const struct sbi_ext sbi_ext_ipi = {
	.name = "ipi", .eid_min = SBI_EXT_IPI, .eid_max = SBI_EXT_IPI,
	.handle = ipi_handle,
	/* send_ipi on the short path: other cores' vCPUs get mailbox messages, as a device's kick does */
	.fast_fids = 1u << IPI_SEND_IPI,
};
