/* SBI SRST: shutdown and reboot of the calling VM only. */
#include "arch/riscv64/sbi/sbi_guest.h"

static void srst_handle(struct sbi_call *c)
{
	if (c->fid != 0)
		return;
	unsigned long type = c->a[0], reason = c->a[1];
	if (type > 2 || (reason > 1 && reason < 0xF0000000UL) || reason > 0xFFFFFFFFUL) {
		c->error = SBI_ERR_INVALID_PARAM;
		return;
	}
	c->error = SBI_SUCCESS;
	if (type == 0)
		vm_system_down(c->p, c->v, VM_DOWN_SHUTDOWN, reason == 1 ? "shutdown, system failure" : "shutdown");
	else
		vm_system_down(c->p, c->v, VM_DOWN_REBOOT, type == 1 ? "cold reboot" : "warm reboot");
}

const struct sbi_ext sbi_ext_srst = { SBI_EXT_SRST, SBI_EXT_SRST, false, NULL, srst_handle, NULL };
