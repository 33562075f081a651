/* SBI TIME: with Sstc the deadline goes straight into vstimecmp. */
#include <arch/csr.h>
#include "arch/riscv64/sbi/sbi_guest.h"

static inline void set_timer_for(struct pcpu *p, struct vcpu *v, uint64_t deadline)
{
	/*
	 * The vCPU is loaded: it is the one making the call. With Sstc the
	 * comparator alone drives VSTIP; hvip.VSTIP is never touched, since on
	 * QEMU it shares a bit with the comparator's output and clearing it just
	 * after the comparator fired would lose that interrupt.
	 */
	if (v->vm->arch.sstc) {
		csr_write(CSR_VSTIMECMP, deadline);
		/*
		 * QEMU 7.2 marks a deadline already past as pending without
		 * telling the vCPU to look (unlike a deadline reached later): the
		 * interrupt would wait for some unrelated event. Rewriting hvip with
		 * its own value makes QEMU look; on hardware it changes nothing.
		 */
		if (deadline <= csr_read(time))
			csr_write(CSR_HVIP, csr_read(CSR_HVIP));
		sched_guest_timer_set(p, v, deadline, true);   /* last: a tail call */
		return;
	}
	v->arch.vs.vstimecmp = deadline;   /* served by the core's timer (no Sstc) */
	atomic_fetch_and(&v->pending_virq, ~(unsigned)ARCH_VIRQ_TIMER);
	csr_clear(CSR_HVIP, HIP_VSTIP);
	sched_guest_timer_set(p, v, deadline, false);
}

/* The legacy extension's set_timer too. */
void sbi_set_timer_for(struct pcpu *p, struct vcpu *v, uint64_t deadline)
{
	set_timer_for(p, v, deadline);
}

#define TIME_SET_TIMER 0

static void time_handle(struct sbi_call *c)
{
	if (c->fid != TIME_SET_TIMER)
		return;
	c->error = SBI_SUCCESS;
	set_timer_for(c->p, c->v, c->a[0]);
}

const struct sbi_ext sbi_ext_time = {
	.name = "time", .eid_min = SBI_EXT_TIME, .eid_max = SBI_EXT_TIME,
	.handle = time_handle,
	/* set_timer touches only the calling vCPU and, at most, brings its core's timer forward */
	.fast_fids = 1u << TIME_SET_TIMER,
};
