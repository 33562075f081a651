/* The legacy SBI 0.1 calls guests still use: timer, console, clear IPI, shutdown. */
#include <arch/csr.h>
#include "arch/riscv64/sbi/sbi_guest.h"

static void legacy_handle(struct sbi_call *c)
{
	c->error = 0;
	switch (c->eid) {
	case SBI_LEGACY_SET_TIMER:
		sbi_set_timer_for(c->p, c->v, c->a[0]);
		return;
	case SBI_EXT_LEGACY_PUTCHAR:
		vcpu_console_putc(c->v, (char)c->a[0]);
		return;
	case SBI_LEGACY_GETCHAR:
		c->error = -1;   /* no input yet */
		return;
	case SBI_LEGACY_CLEAR_IPI:
		csr_clear(CSR_HVIP, HIP_VSSIP);
		return;
	case SBI_LEGACY_SHUTDOWN:
		vm_system_down(c->p, c->v, VM_DOWN_SHUTDOWN, "shutdown");
		return;
	default:
		c->error = SBI_ERR_NOT_SUPPORTED;   /* legacy IPI and fences take host pointers: use the new calls */
	}
}

const struct sbi_ext sbi_ext_legacy = {
	.name = "legacy", .eid_min = 0x00, .eid_max = 0x0f, .legacy = true,
	.handle = legacy_handle,
};
