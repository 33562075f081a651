/*
 * AArch64's config rules (partition/vmcfg_arch.h): the console must be an
 * emulated UART, PL011 or 16550 (there is no SBI, whose console is the
 * default), and memory and the console must leave the virtual GICv3's windows (irqc/vgic.c) free.
 */
#include <stdio.h>
#include "core/errno.h"
#include "partition/vmcfg_arch.h"

struct window { uint64_t gpa, size; const char *what; };

int vmcfg_check_aarch64(const struct vmcfg *c, char *err, size_t errlen)
{
	if (c->console == VMCFG_CONSOLE_SBI) {
		snprintf(err, errlen, "%s: console: \"sbi\" (also the default) is RISC-V's SBI console; an "
			 "AArch64 VM needs {\"pl011\": GPA} or {\"uart16550\": GPA}", c->file);
		return E_FIELD;
	}
	const struct window w[] = {
		{ 0x08000000, 0x10000, "the virtual GICv3 distributor" },
		{ 0x080a0000, 0x20000ull * c->vcpus, "the virtual GICv3 redistributors" },
	};
	for (unsigned i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		for (unsigned m = 0; m < c->nmem; m++)
			if (c->mem[m].gpa < w[i].gpa + w[i].size && w[i].gpa < c->mem[m].gpa + c->mem[m].size) {
				snprintf(err, errlen, "%s: memory[%u]: 0x%lx+0x%lx covers %s at 0x%lx-0x%lx",
					 c->file, m, (unsigned long)c->mem[m].gpa, (unsigned long)c->mem[m].size,
					 w[i].what, (unsigned long)w[i].gpa, (unsigned long)(w[i].gpa + w[i].size));
				return E_CONFLICT;
			}
		if (c->console_gpa < w[i].gpa + w[i].size && w[i].gpa < c->console_gpa + 0x1000) {
			snprintf(err, errlen, "%s: %s: 0x%lx is inside %s", c->file, vmcfg_console_field(c),
				 (unsigned long)c->console_gpa, w[i].what);
			return E_CONFLICT;
		}
	}
	return 0;
}
