/* Hypercall dispatch: find the extension, let it answer, return to the guest. */
#include <stdio.h>
#include <arch/vcpu.h>
#include "arch/riscv64/sbi/sbi_guest.h"

#define SBI_EXTENSION_LIST \
	&sbi_ext_time, &sbi_ext_base, &sbi_ext_vendor, &sbi_ext_ipi, &sbi_ext_rfence, &sbi_ext_hsm, \
	&sbi_ext_srst, &sbi_ext_dbcn, &sbi_ext_legacy
/* A short list would leave NULL entries that the lookup walks into. */
_Static_assert(sizeof((const struct sbi_ext *[]){ SBI_EXTENSION_LIST }) / sizeof(void *) == SBI_NEXTENSIONS,
	       "SBI_NEXTENSIONS must count the extensions");
const struct sbi_ext *const sbi_extensions[SBI_NEXTENSIONS] = { SBI_EXTENSION_LIST };

bool sbi_check_extensions(char *why, size_t len)
{
	unsigned n = SBI_NEXTENSIONS;
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			if (sbi_extensions[i]->eid_min <= sbi_extensions[j]->eid_max &&
			    sbi_extensions[j]->eid_min <= sbi_extensions[i]->eid_max) {
				snprintf(why, len, "SBI extensions %s and %s claim the same EIDs",
					 sbi_extensions[i]->name, sbi_extensions[j]->name);
				return false;
			}
	return true;
}

int arch_hypercalls_check(char *why, size_t whylen)
{
	return sbi_check_extensions(why, whylen) ? 0 : -1;
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

/* An SBI hart mask (base -1: every hart) as a set of the VM's vCPUs. */
int sbi_hart_mask(const struct vm *vm, unsigned long mask, unsigned long base, uint32_t *out)
{
	if (base == (unsigned long)-1) {
		*out = (1u << vm->nvcpus) - 1;
		return 0;
	}
	if (base >= vm->nvcpus) {
		*out = 0;   /* an empty mask names nobody, wherever it starts */
		return mask ? E_INVAL : 0;
	}
	if (mask >> (vm->nvcpus - base))
		return E_INVAL;
	*out = (uint32_t)(mask << base);
	return 0;
}

void arch_handle_hypercall(struct pcpu *p, struct vcpu *v)
{
	struct sbi_call c;
	sbi_call_init(&c, p, v);
	const struct sbi_ext *ext = sbi_find_ext(v, c.eid);
	if (ext)
		ext->handle(&c);
	sbi_call_answer(&v->arch, ext, &c);
}
