/*
 * The SBI call on the short trap path, inline in core's exit dispatch (a
 * call there is the most frequent exit): the extension table and the call
 * record, shared with the extensions' files (arch/riscv64/sbi/).
 */
#ifndef ARCH_HYPERCALL_H
#define ARCH_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>
#include "core/exit.h"
#include <arch/sbi.h>
#include "core/vm.h"

struct pcpu;

struct sbi_call {
	struct pcpu *p;
	struct vcpu *v;
	unsigned long eid, fid;
	const unsigned long *a;   /* a0..a5, read in place from the saved registers */
	long error;
	unsigned long value;
	bool resched;   /* done, but it changed this core's run queue or the caller's lines: run loop next */
};

struct sbi_ext {
	const char *name;
	unsigned long eid_min, eid_max;
	bool legacy;                              /* returns one value in a0 */
	bool (*probe)(const struct vcpu *v);      /* NULL: always there */
	void (*handle)(struct sbi_call *c);
	/*
	 * The function IDs (bit N: FID N, below 64) that may run on the short
	 * trap path: they touch only the calling vCPU, CSRs and at most bring
	 * its own core's timer forward, never the run queue or another core.
	 */
	uint64_t fast_fids;
};

#define SBI_FAST_ALL_FIDS UINT64_MAX
#define SBI_NEXTENSIONS 9
/* The most frequent calls' extensions first: the walk is short (sbi_guest.c). */
extern const struct sbi_ext *const sbi_extensions[SBI_NEXTENSIONS];

static inline const struct sbi_ext *sbi_find_ext(const struct vcpu *v, unsigned long eid)
{
	for (unsigned i = 0; i < SBI_NEXTENSIONS; i++) {
		const struct sbi_ext *e = sbi_extensions[i];
		if (eid >= e->eid_min && eid <= e->eid_max)
			return !e->probe || e->probe(v) ? e : NULL;
	}
	return NULL;
}

static inline void sbi_call_init(struct sbi_call *c, struct pcpu *p, struct vcpu *v)
{
	const unsigned long *r = v->arch.gpr;
	*c = (struct sbi_call){
		.p = p, .v = v, .eid = r[17], .fid = r[16],
		.a = &r[10],
		.error = SBI_ERR_NOT_SUPPORTED,
	};
}

/* Answer in a0 (and a1) and step over the ecall. */
static inline void sbi_call_answer(struct arch_vcpu *a, const struct sbi_ext *ext, const struct sbi_call *c)
{
	a->pc += 4;
	a->gpr[10] = (unsigned long)c->error;
	if (!ext || !ext->legacy)
		a->gpr[11] = c->value;
}

/*
 * The short trap path: the same table, the same lookup as the run loop's
 * (arch_handle_hypercall); a call runs here when its extension lists its
 * FID as fast. EXIT_NOT_HERE: nothing was done.
 */
static inline enum exit_result arch_hypercall_short(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	(void)e;
	unsigned long fid = v->arch.gpr[16];
	const struct sbi_ext *ext = sbi_find_ext(v, v->arch.gpr[17]);
	if (!ext || fid >= 64 || !((ext->fast_fids >> fid) & 1))
		return EXIT_NOT_HERE;
	struct sbi_call c;
	sbi_call_init(&c, p, v);
	ext->handle(&c);
	sbi_call_answer(&v->arch, ext, &c);
	return c.resched ? EXIT_RESCHEDULE : EXIT_RESUME;
}
#endif
