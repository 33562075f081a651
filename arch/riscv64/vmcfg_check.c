/*
 * RISC-V's config rules (partition/vmcfg_arch.h): none beyond the common
 * ones. The virtual interrupt controller's windows follow the host's (PLIC
 * or AIA), so they are checked at boot, when the VM gets them.
 */
#include "partition/vmcfg_arch.h"

int vmcfg_check_riscv64(const struct vmcfg *c, char *err, size_t errlen)
{
	(void)c;
	if (errlen)
		err[0] = '\0';
	return 0;
}
