/* Hypercall dispatch: find the extension, let it answer, return to the guest. */
#include <arch/vcpu.h>
#include "arch/riscv64/sbi/sbi_guest.h"

static const struct sbi_ext *const extensions[] = {
	&sbi_ext_base, &sbi_ext_time, &sbi_ext_ipi, &sbi_ext_rfence, &sbi_ext_hsm,
	&sbi_ext_srst, &sbi_ext_dbcn, &sbi_ext_legacy, &sbi_ext_vendor,
};

const struct sbi_ext *sbi_find_ext(const struct vcpu *v, unsigned long eid)
{
	for (unsigned i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		const struct sbi_ext *e = extensions[i];
		if (eid >= e->eid_min && eid <= e->eid_max)
			return !e->probe || e->probe(v) ? e : NULL;
	}
	return NULL;
}

long sbi_error_from(int err)
{
	switch (err) {
	case E_OK: return SBI_SUCCESS;
	case E_INVAL: return SBI_ERR_INVALID_PARAM;
	case E_ALREADY: return SBI_ERR_ALREADY_AVAILABLE;
	case E_ADDR: return SBI_ERR_INVALID_ADDRESS;
	case E_DENIED: return SBI_ERR_DENIED;
	case E_NOSUPP: return SBI_ERR_NOT_SUPPORTED;
	default: return SBI_ERR_FAILED;
	}
}

void arch_handle_hypercall(struct pcpu *p, struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	struct sbi_call c = {
		.p = p, .v = v, .eid = a->gpr[17], .fid = a->gpr[16],
		.a = { a->gpr[10], a->gpr[11], a->gpr[12], a->gpr[13], a->gpr[14], a->gpr[15] },
		.error = SBI_ERR_NOT_SUPPORTED,
	};
	const struct sbi_ext *ext = sbi_find_ext(v, c.eid);
	a->pc += 4;
	if (ext)
		ext->handle(&c);
	if (ext && ext->legacy) {
		a->gpr[10] = (unsigned long)c.error;
	} else {
		a->gpr[10] = (unsigned long)c.error;
		a->gpr[11] = c.value;
	}
}
