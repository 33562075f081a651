/* tessera's vendor extension: a null call (benchmarks) and facts about the VM. */
#include "arch/riscv64/sbi/sbi_guest.h"

enum { VM_INFO_ID, VM_INFO_VCPUS, VM_INFO_BOOT_COUNT, VM_INFO_PCPU };

static void vendor_handle(struct sbi_call *c)
{
	struct vm *vm = c->v->vm;
	c->error = SBI_SUCCESS;
	switch (c->fid) {
	case 0:
		c->value = 0;
		return;
	case 1:
		switch (c->a[0]) {
		case VM_INFO_ID: c->value = vm->cfg.id; return;
		case VM_INFO_VCPUS: c->value = vm->nvcpus; return;
		case VM_INFO_BOOT_COUNT: c->value = vm->boot_count; return;
		case VM_INFO_PCPU: c->value = c->v->pcpu; return;
		}
		c->error = SBI_ERR_INVALID_PARAM;
		return;
	default:
		c->error = SBI_ERR_NOT_SUPPORTED;
	}
}

const struct sbi_ext sbi_ext_vendor = { SBI_EXT_TESSERA, SBI_EXT_TESSERA, false, NULL, vendor_handle,
					sbi_fast_always };
