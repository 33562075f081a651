/*
 * vCPUs on AArch64: not written yet (docs/aarch64.md lists what comes: the
 * world switch with the EL1 system registers, FP/SIMD and the timer, HVC
 * and PSCI for guests, data-abort decode). No VM gets this far, since
 * arch_vm_init refuses them all; these hooks exist so that core/ links
 * unchanged, and each says so if it is ever reached.
 */
#include <arch/cpu.h>
#include <arch/vcpu.h>
#include "core/errno.h"
#include "core/panic.h"
#include "core/pcpu.h"

#define NOT_YET() panic("%s: no vCPUs on AArch64 yet", __func__)

void arch_vcpu_reset(struct arch_vcpu *a, uint64_t entry, unsigned long a0, unsigned long a1)
{
	*a = (struct arch_vcpu){ .elr_el2 = entry };
	a->x[0] = a0;
	a->x[1] = a1;
}

void arch_vcpu_load(struct arch_vcpu *a, const struct arch_vm *vm)
{
	(void)a;
	(void)vm;
	NOT_YET();
}

void arch_vcpu_put(struct arch_vcpu *a)
{
	(void)a;
}

void arch_vcpu_inject(struct arch_vcpu *a, unsigned virqs, bool loaded)
{
	(void)a;
	(void)virqs;
	(void)loaded;
}

void arch_vcpu_set_ext(struct arch_vcpu *a, bool level, bool loaded)
{
	(void)a;
	(void)level;
	(void)loaded;
}

void arch_vcpu_trap_wfi(struct arch_vcpu *a, bool trap)
{
	(void)a;
	(void)trap;
}

bool arch_vcpu_irq_pending(const struct arch_vcpu *a, bool loaded, uint64_t now)
{
	(void)a;
	(void)loaded;
	(void)now;
	return false;
}

uint64_t arch_vcpu_timer_deadline(const struct arch_vcpu *a, bool loaded)
{
	(void)a;
	(void)loaded;
	return UINT64_MAX;
}

uint64_t arch_vcpu_emulated_deadline(const struct arch_vcpu *a, const struct arch_vm *vm)
{
	(void)a;
	(void)vm;
	return UINT64_MAX;
}

bool arch_vcpu_timer_check(struct arch_vcpu *a)
{
	(void)a;
	return false;
}

void arch_guest_enter(struct arch_vcpu *a)
{
	(void)a;
	NOT_YET();
}

void arch_vcpu_decode_exit(const struct arch_vcpu *a, struct vcpu_exit *e)
{
	(void)a;
	(void)e;
	NOT_YET();
}

void arch_vcpu_inject_illegal(struct arch_vcpu *a, unsigned long insn)
{
	(void)a;
	(void)insn;
}

int arch_emulate_sysreg(struct vcpu *v, const struct vcpu_exit *e)
{
	(void)v;
	(void)e;
	return E_NOSUPP;
}

int arch_mmio_decode(const struct arch_vcpu *a, struct mmio_access *m)
{
	(void)a;
	(void)m;
	return E_NOSUPP;
}

const char *arch_mmio_strerror(int rc)
{
	(void)rc;
	return "MMIO decode: not on AArch64 yet";
}

bool arch_read_guest_insn(unsigned long pc, unsigned long *insn)
{
	(void)pc;
	(void)insn;
	return false;
}

uint64_t arch_mmio_store_value(const struct arch_vcpu *a, const struct mmio_access *m)
{
	(void)a;
	(void)m;
	return 0;
}

void arch_mmio_complete(struct arch_vcpu *a, const struct mmio_access *m, uint64_t loaded)
{
	(void)a;
	(void)m;
	(void)loaded;
}

void arch_handle_hypercall(struct pcpu *p, struct vcpu *v)
{
	(void)p;
	(void)v;
	NOT_YET();
}

enum exit_result arch_hypercall_short(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	(void)p;
	(void)v;
	(void)e;
	return EXIT_NOT_HERE;
}
