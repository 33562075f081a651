/* SBI HSM: start, stop, status and suspend of the VM's own vCPUs. */
#include "arch/riscv64/sbi/sbi_guest.h"

enum { HSM_HART_START, HSM_HART_STOP, HSM_HART_GET_STATUS, HSM_HART_SUSPEND };
#define HSM_SUSPEND_RETENTIVE     0x00000000u
#define HSM_SUSPEND_NON_RETENTIVE 0x80000000u

/* The SBI spec's numbering of hart states. */
static const unsigned long hsm_state[] = {
	[VCPU_POWER_ON] = 0, [VCPU_POWER_OFF] = 1, [VCPU_POWER_ON_PENDING] = 2,
	[VCPU_POWER_OFF_PENDING] = 3, [VCPU_POWER_SUSPENDED] = 4,
};

static int hsm_suspend(struct sbi_call *c)
{
	uint32_t type = (uint32_t)c->a[0];
	if (type != HSM_SUSPEND_RETENTIVE && type != HSM_SUSPEND_NON_RETENTIVE)
		return E_INVAL;
	return vcpu_suspend(c->p, c->v, type == HSM_SUSPEND_NON_RETENTIVE, c->a[1], c->a[2]);
}

static void hsm_handle(struct sbi_call *c)
{
	int rc;
	switch (c->fid) {
	case HSM_HART_START:
		rc = vcpu_cpu_up(c->p, c->v, c->a[0], c->a[1], c->a[2]);
		break;
	case HSM_HART_STOP:
		vcpu_cpu_down(c->p, c->v);
		rc = 0;
		break;
	case HSM_HART_GET_STATUS:
		rc = vcpu_power_state(c->v, c->a[0]);
		if (rc >= 0) {
			c->value = hsm_state[rc];
			rc = 0;
		}
		break;
	case HSM_HART_SUSPEND:
		rc = hsm_suspend(c);
		break;
	default:
		return;
	}
	c->error = sbi_error_from(rc);
}

const struct sbi_ext sbi_ext_hsm = {
	.name = "hsm", .eid_min = SBI_EXT_HSM, .eid_max = SBI_EXT_HSM,
	.handle = hsm_handle,
};
