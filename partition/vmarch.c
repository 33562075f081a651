/*
 * What a VM config may hold on each architecture (vmconfig.h's
 * vmcfg_check_arch): the few fields whose meaning is one architecture's.
 * tessera checks its own architecture at boot; tessera-config --arch checks
 * the one a user names.
 */
#include <stdio.h>
#include <string.h>
#include "core/errno.h"
#include "partition/vmconfig.h"

/* The guest-physical windows of the virtual interrupt controller each architecture gives a VM. */
struct window { uint64_t gpa, size; const char *what; };

static unsigned windows(const struct vmcfg *c, enum vmcfg_arch a, struct window *w)
{
	if (a == VMCFG_ARCH_AARCH64) {
		w[0] = (struct window){ 0x08000000, 0x10000, "the virtual GICv3 distributor" };
		w[1] = (struct window){ 0x080a0000, 0x20000ull * c->vcpus, "the virtual GICv3 redistributors" };
		return 2;
	}
	return 0;   /* RISC-V: the controller's windows depend on the host's (PLIC or AIA): checked at boot */
}

int vmcfg_arch_from_name(const char *name, enum vmcfg_arch *a)
{
	if (!strcmp(name, "riscv64"))
		*a = VMCFG_ARCH_RISCV64;
	else if (!strcmp(name, "aarch64"))
		*a = VMCFG_ARCH_AARCH64;
	else
		return E_INVAL;
	return 0;
}

int vmcfg_check_arch(const struct vmcfg *c, enum vmcfg_arch a, char *err, size_t errlen)
{
	if (a == VMCFG_ARCH_AARCH64 && c->console == VMCFG_CONSOLE_SBI) {
		snprintf(err, errlen, "%s: console: \"sbi\" (also the default) is RISC-V's SBI console; an "
			 "AArch64 VM needs {\"uart16550\": GPA}", c->file);
		return E_FIELD;
	}
	struct window w[2];
	unsigned n = windows(c, a, w);
	for (unsigned i = 0; i < n; i++) {
		for (unsigned m = 0; m < c->nmem; m++)
			if (c->mem[m].gpa < w[i].gpa + w[i].size && w[i].gpa < c->mem[m].gpa + c->mem[m].size) {
				snprintf(err, errlen, "%s: memory[%u]: 0x%lx+0x%lx covers %s at 0x%lx-0x%lx",
					 c->file, m, (unsigned long)c->mem[m].gpa, (unsigned long)c->mem[m].size,
					 w[i].what, (unsigned long)w[i].gpa, (unsigned long)(w[i].gpa + w[i].size));
				return E_CONFLICT;
			}
		if (c->console == VMCFG_CONSOLE_UART16550 && c->console_gpa < w[i].gpa + w[i].size &&
		    w[i].gpa < c->console_gpa + 0x1000) {
			snprintf(err, errlen, "%s: console.uart16550: 0x%lx is inside %s", c->file,
				 (unsigned long)c->console_gpa, w[i].what);
			return E_CONFLICT;
		}
	}
	return 0;
}
