/*
 * PSCI as a client: tessera asks the firmware (QEMU itself, when it boots
 * tessera at EL2 with no EL3) to start cores and to power off. The conduit is
 * the host tree's /psci method; with none, every call fails NOT_SUPPORTED.
 */
#include <string.h>
#include "arch/aarch64/psci.h"
#include "core/pcpu.h"
#include "partition/hostdt.h"

#define PSCI_NOT_SUPPORTED (-1)

/* Which conduit, decided before the argument registers are loaded (no call may come between). */
static int conduit(void)
{
	const char *m = core_platform()->psci_method;
	return strcmp(m, "smc") == 0 ? 1 : strcmp(m, "hvc") == 0 ? 2 : 0;
}

long psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	int how = conduit();
	if (!how)
		return PSCI_NOT_SUPPORTED;
	register uint64_t x0 __asm__("x0") = fn, x1 __asm__("x1") = a1, x2 __asm__("x2") = a2,
				 x3 __asm__("x3") = a3;
	if (how == 1)
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory", "x4", "x5", "x6",
				 "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17");
	else
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory", "x4", "x5", "x6",
				 "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17");
	return (long)x0;   /* SMCCC 1.0: x4-x17 may be lost */
}

static const char *const names[] = {
	"success", "not supported", "invalid parameters", "denied", "already on", "on pending",
	"internal failure", "not present", "disabled", "invalid address",
};

const char *psci_strerror(long err)
{
	unsigned long i = err <= 0 ? (unsigned long)-err : 0;
	return err <= 0 && i < sizeof(names) / sizeof(names[0]) ? names[i] : "unknown PSCI error";
}
