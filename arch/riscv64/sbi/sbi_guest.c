/* Hypercall dispatch: find the extension, let it answer, return to the guest. */
#include <stdio.h>
#include <arch/vcpu.h>
#include "arch/riscv64/sbi/sbi_guest.h"

static const struct sbi_ext *const extensions[] = {
	&sbi_ext_time, &sbi_ext_base, &sbi_ext_vendor, &sbi_ext_ipi, &sbi_ext_rfence, &sbi_ext_hsm,
	&sbi_ext_srst, &sbi_ext_dbcn, &sbi_ext_legacy,
};

static inline const struct sbi_ext *find_ext(const struct vcpu *v, unsigned long eid)
{
	for (unsigned i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		const struct sbi_ext *e = extensions[i];
		if (eid >= e->eid_min && eid <= e->eid_max)
			return !e->probe || e->probe(v) ? e : NULL;
	}
	return NULL;
}

const struct sbi_ext *sbi_find_ext(const struct vcpu *v, unsigned long eid)
{
	return find_ext(v, eid);
}

bool sbi_check_extensions(char *why, size_t len)
{
	unsigned n = sizeof(extensions) / sizeof(extensions[0]);
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			if (extensions[i]->eid_min <= extensions[j]->eid_max &&
			    extensions[j]->eid_min <= extensions[i]->eid_max) {
				snprintf(why, len, "SBI extensions %s and %s claim the same EIDs",
					 extensions[i]->name, extensions[j]->name);
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

static void call_init(struct sbi_call *c, struct pcpu *p, struct vcpu *v)
{
	const unsigned long *r = v->arch.gpr;
	*c = (struct sbi_call){
		.p = p, .v = v, .eid = r[17], .fid = r[16],
		.a = &r[10],
		.error = SBI_ERR_NOT_SUPPORTED,
	};
}

/* Answer in a0 (and a1) and step over the ecall. */
static void answer(struct arch_vcpu *a, const struct sbi_ext *ext, const struct sbi_call *c)
{
	a->pc += 4;
	a->gpr[10] = (unsigned long)c->error;
	if (!ext || !ext->legacy)
		a->gpr[11] = c->value;
}

void arch_handle_hypercall(struct pcpu *p, struct vcpu *v)
{
	struct sbi_call c;
	call_init(&c, p, v);
	const struct sbi_ext *ext = sbi_find_ext(v, c.eid);
	if (ext)
		ext->handle(&c);
	answer(&v->arch, ext, &c);
}

/*
 * The short trap path: the same table, the same lookup; a call runs here
 * when its extension lists its FID as fast (the most frequent calls come
 * first in the table, so the walk is short).
 */
enum exit_result arch_hypercall_short(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	(void)e;
	unsigned long fid = v->arch.gpr[16];
	const struct sbi_ext *ext = find_ext(v, v->arch.gpr[17]);
	if (!ext || fid >= 64 || !((ext->fast_fids >> fid) & 1))
		return EXIT_NOT_HERE;
	struct sbi_call c;
	call_init(&c, p, v);
	ext->handle(&c);
	answer(&v->arch, ext, &c);
	return c.resched ? EXIT_RESCHEDULE : EXIT_RESUME;
}
