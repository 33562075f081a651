/* SBI HSM: start, stop, status and suspend of the VM's own vCPUs. */
#include "arch/riscv64/sbi/sbi_guest.h"

static void hsm_handle(struct sbi_call *c)
{
	int rc;
	switch (c->fid) {
	case 0:
		rc = vcpu_cpu_up(c->p, c->v, c->a[0], c->a[1], c->a[2]);
		break;
	case 1:
		vcpu_cpu_down(c->p, c->v);
		rc = 0;
		break;
	case 2:
		rc = vcpu_hsm_status(c->v, c->a[0]);
		if (rc >= 0) {
			c->value = (unsigned long)rc;
			rc = 0;
		}
		break;
	case 3:
		rc = vcpu_suspend(c->p, c->v, (uint32_t)c->a[0], c->a[1], c->a[2]);
		break;
	default:
		return;
	}
	c->error = sbi_error_from(rc);
}

const struct sbi_ext sbi_ext_hsm = { SBI_EXT_HSM, SBI_EXT_HSM, false, NULL, hsm_handle, NULL };
