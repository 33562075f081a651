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
}

const struct sbi_ext sbi_ext_ipi = {
	.name = "ipi", .eid_min = SBI_EXT_IPI, .eid_max = SBI_EXT_IPI,
	.handle = ipi_handle,
};
