/*
 * PSCI 1.1 for guests, over HVC or SMC (HCR_EL2.TSC): the calls of a VM's
 * own vCPUs and of the VM as a whole, never of the machine. A vCPU's MPIDR
 * is its index in the VM (Aff0, arch_vcpu_reset). Anything else is
 * NOT_SUPPORTED, as PSCI says an unknown function must be.
 */
#include <arch/hypercall.h>
#include <arch/vcpu.h>
#include "core/errno.h"
#include "core/vm.h"

enum {
	PSCI_V_VERSION = 0x84000000, PSCI_V_CPU_SUSPEND = 0x84000001, PSCI_V_CPU_OFF = 0x84000002,
	PSCI_V_CPU_ON = 0x84000003, PSCI_V_AFFINITY_INFO = 0x84000004, PSCI_V_MIGRATE_INFO_TYPE = 0x84000006,
	PSCI_V_SYSTEM_OFF = 0x84000008, PSCI_V_SYSTEM_RESET = 0x84000009, PSCI_V_FEATURES = 0x8400000a,
};
#define PSCI_64         0x40000000u   /* the SMC64 form of a call that takes addresses */
#define PSCI_1_1        0x10001
#define PSCI_SUCCESS            0
#define PSCI_NOT_SUPPORTED      (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED             (-3)
#define PSCI_ALREADY_ON         (-4)
#define PSCI_INTERNAL_FAILURE   (-6)
#define PSCI_INVALID_ADDRESS    (-9)
#define MIGRATE_NOT_REQUIRED    2
#define POWER_STATE_POWERDOWN   (1u << 16)

static long psci_error_from(int err)
{
	switch (err) {
	case E_OK: return PSCI_SUCCESS;
	case E_INVAL: return PSCI_INVALID_PARAMETERS;
	case E_ALREADY: return PSCI_ALREADY_ON;
	case E_ADDR: return PSCI_INVALID_ADDRESS;
	case E_DENIED: return PSCI_DENIED;
	case E_NOSUPP: return PSCI_NOT_SUPPORTED;
	default: return PSCI_INTERNAL_FAILURE;
	}
}

/* An MPIDR the guest names, as the index of one of its vCPUs (E_INVAL: none). */
static long vcpu_index(const struct vcpu *v, uint64_t mpidr)
{
	uint64_t idx = (mpidr & 0xff) | ((mpidr >> 8) & 0xff) << 8;
	if (mpidr & ~0xffffUL || idx >= v->vm->nvcpus)
		return E_INVAL;
	return (long)idx;
}

static bool known(uint32_t fn)
{
	switch (fn & ~PSCI_64) {
	case PSCI_V_VERSION: case PSCI_V_CPU_SUSPEND: case PSCI_V_CPU_OFF: case PSCI_V_CPU_ON:
	case PSCI_V_AFFINITY_INFO: case PSCI_V_MIGRATE_INFO_TYPE: case PSCI_V_SYSTEM_OFF:
	case PSCI_V_SYSTEM_RESET: case PSCI_V_FEATURES:
		return true;
	}
	return false;
}

/*
 * The calls that only answer (nothing changes, nothing of another core's
 * is touched): true and the answer in *ret. They run on the short trap
 * path; the rest need the run loop.
 */
static bool psci_answer(struct vcpu *v, uint32_t fn, const uint64_t *x, long *ret)
{
	long t;
	switch (fn & ~PSCI_64) {
	case PSCI_V_VERSION:
		*ret = PSCI_1_1;
		return true;
	case PSCI_V_AFFINITY_INFO:
		if (x[2] != 0 || (t = vcpu_index(v, x[1])) < 0) {
			*ret = PSCI_INVALID_PARAMETERS;   /* level 0 only: vCPUs have no clusters */
			return true;
		}
		t = vcpu_power_state(v, (unsigned long)t);
		*ret = t == VCPU_POWER_OFF ? 1 : t == VCPU_POWER_ON_PENDING ? 2 : 0;
		return true;
	case PSCI_V_MIGRATE_INFO_TYPE:
		*ret = MIGRATE_NOT_REQUIRED;
		return true;
	case PSCI_V_FEATURES:
		*ret = known((uint32_t)x[1]) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
		return true;
	}
	if (known(fn))
		return false;
	*ret = PSCI_NOT_SUPPORTED;
	return true;
}

/* The calls that act on a vCPU or the VM (psci_answer took the rest). */
static long psci_act(struct pcpu *p, struct vcpu *v, uint32_t fn, const uint64_t *x)
{
	long t;
	switch (fn & ~PSCI_64) {
	case PSCI_V_CPU_SUSPEND:   /* a standby state returns at once; a powerdown one resumes at x2 */
		return psci_error_from(vcpu_suspend(p, v, (x[1] & POWER_STATE_POWERDOWN) != 0, x[2], x[3]));
	case PSCI_V_CPU_OFF:
		vcpu_cpu_down(p, v);
		return PSCI_SUCCESS;
	case PSCI_V_CPU_ON:
		if ((t = vcpu_index(v, x[1])) < 0)
			return PSCI_INVALID_PARAMETERS;
		return psci_error_from(vcpu_cpu_up(p, v, (unsigned long)t, x[2], x[3]));
	case PSCI_V_SYSTEM_OFF:
		vm_system_down(p, v, VM_DOWN_SHUTDOWN, "shutdown");
		return PSCI_SUCCESS;
	case PSCI_V_SYSTEM_RESET:
		vm_system_down(p, v, VM_DOWN_REBOOT, "reboot");
		return PSCI_SUCCESS;
	}
	return PSCI_NOT_SUPPORTED;
}

/* A trapped SMC returns to itself; an HVC already to the next instruction. */
static void hypercall_return(struct arch_vcpu *a, long ret)
{
	if (a->esr_el2 >> 26 == 0x17)
		a->elr_el2 += 4;
	a->x[0] = (uint64_t)ret;
}

/* An HVC or a trapped SMC: the function in w0, arguments in x1-x3, the answer in x0. */
void arch_handle_hypercall(struct pcpu *p, struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	long ret;
	if (a->esr_el2 & 0xffff)   /* HVC #imm with imm != 0: not an SMCCC call */
		ret = PSCI_NOT_SUPPORTED;
	else if (!psci_answer(v, (uint32_t)a->x[0], a->x, &ret))
		ret = psci_act(p, v, (uint32_t)a->x[0], a->x);
	hypercall_return(a, ret);
}

/* On the short trap path: a call that only answers goes straight back to the guest. */
enum exit_result arch_hypercall_short(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	(void)p;
	(void)e;
	struct arch_vcpu *a = &v->arch;
	long ret = PSCI_NOT_SUPPORTED;
	if (!(a->esr_el2 & 0xffff) && !psci_answer(v, (uint32_t)a->x[0], a->x, &ret))
		return EXIT_NOT_HERE;
	hypercall_return(a, ret);
	return EXIT_RESUME;
}
