/* SBI SRST: shutdown and reboot of the calling VM only. */
#include "arch/riscv64/sbi/sbi_guest.h"

#define SRST_SYSTEM_RESET 0
enum { SRST_SHUTDOWN, SRST_COLD_REBOOT, SRST_WARM_REBOOT };
enum { SRST_NO_REASON, SRST_SYSTEM_FAILURE };
#define SRST_VENDOR_REASONS 0xF0000000UL   /* up to 0xFFFFFFFF */

static void srst_handle(struct sbi_call *c)
{
	if (c->fid != SRST_SYSTEM_RESET)
		return;
	unsigned long type = c->a[0], reason = c->a[1];
	if (type > SRST_WARM_REBOOT || (reason > SRST_SYSTEM_FAILURE && reason < SRST_VENDOR_REASONS) ||
	    reason > 0xFFFFFFFFUL) {
		c->error = SBI_ERR_INVALID_PARAM;
		return;
	}
	c->error = SBI_SUCCESS;
	if (type == SRST_SHUTDOWN)
		vm_system_down(c->p, c->v, VM_DOWN_SHUTDOWN,
			       reason == SRST_SYSTEM_FAILURE ? "shutdown, system failure" : "shutdown");
	else
		vm_system_down(c->p, c->v, VM_DOWN_REBOOT,
			       type == SRST_COLD_REBOOT ? "cold reboot" : "warm reboot");
}

const struct sbi_ext sbi_ext_srst = {
	.name = "srst", .eid_min = SBI_EXT_SRST, .eid_max = SBI_EXT_SRST,
	.handle = srst_handle,
};
