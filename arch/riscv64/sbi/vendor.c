/* tessera's vendor extension: a null call (benchmarks) and facts about the VM. */
#include <arch/cpu.h>
#include "arch/riscv64/sbi/sbi_guest.h"

enum { VM_INFO_ID, VM_INFO_VCPUS, VM_INFO_BOOT_COUNT, VM_INFO_PCPU, VM_INFO_EXITS_NOT_CALLS };
enum { VENDOR_NULL, VENDOR_VM_INFO, VENDOR_TEST_HOLD_CORE };

#ifdef CONFIG_TEST_HOOKS
#define TEST_HOLD_MAX_US 2000000u
/*
 * Test builds only (docs/testing.md): keep this core in tessera, interrupts
 * off and its inbox unread, for a0 microseconds, as a core held by firmware
 * would be. Other cores' sends to it then wait for room.
 */
static void vendor_test_hold_core(struct sbi_call *c)
{
	if (c->a[0] > TEST_HOLD_MAX_US) {
		c->error = SBI_ERR_INVALID_PARAM;
		return;
	}
	uint64_t end = arch_time_now() + c->a[0] * core_timebase_hz() / 1000000u;
	while (arch_time_now() < end)
		;
	c->value = 0;
}
#endif

static void vendor_handle(struct sbi_call *c)
{
	struct vm *vm = c->v->vm;
	c->error = SBI_SUCCESS;
	switch (c->fid) {
	case VENDOR_NULL:
		c->value = 0;
		return;
	case VENDOR_VM_INFO:
		switch (c->a[0]) {
		case VM_INFO_ID: c->value = vm->cfg.id; return;
		case VM_INFO_VCPUS: c->value = vm->nvcpus; return;
		case VM_INFO_BOOT_COUNT: c->value = vm->boot_count; return;
		case VM_INFO_PCPU: c->value = c->v->pcpu; return;
		case VM_INFO_EXITS_NOT_CALLS:   /* the caller's exits other than SBI calls (tests) */
			c->value = 0;
			for (unsigned r = 0; r < EXIT_REASON_COUNT; r++)
				c->value += r == EXIT_HYPERCALL ? 0 : c->v->exits[r];
			return;
		}
		c->error = SBI_ERR_INVALID_PARAM;
		return;
#ifdef CONFIG_TEST_HOOKS
	case VENDOR_TEST_HOLD_CORE:
		vendor_test_hold_core(c);
		return;
#endif
	default:
		c->error = SBI_ERR_NOT_SUPPORTED;
	}
}

const struct sbi_ext sbi_ext_vendor = {
	.name = "tessera", .eid_min = SBI_EXT_TESSERA, .eid_max = SBI_EXT_TESSERA,
	.handle = vendor_handle, .fast_fids = SBI_FAST_ALL_FIDS,
};
