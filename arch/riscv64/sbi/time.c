/* SBI TIME: with Sstc the deadline goes straight into vstimecmp. */
#include <arch/csr.h>
#include "arch/riscv64/sbi/sbi_guest.h"

void sbi_set_timer_for(struct vcpu *v, uint64_t deadline)
{
	/*
	 * The vCPU is loaded: it is the one making the call. With Sstc the
	 * comparator alone drives VSTIP; hvip.VSTIP is never touched, since on
	 * QEMU it shares a bit with the comparator's output and clearing it just
	 * after the comparator fired would lose that interrupt.
	 */
	if (v->vm->arch.sstc) {
		csr_write(CSR_VSTIMECMP, deadline);
		v->timer_watch = deadline == UINT64_MAX ? 0 : deadline;
		/*
		 * QEMU 7.2 marks a deadline already past as pending without
		 * telling the vCPU to look (unlike a deadline reached later): the
		 * interrupt would wait for some unrelated event. Rewriting hvip with
		 * its own value makes QEMU look; on hardware it changes nothing.
		 */
		if (deadline <= csr_read(time))
			csr_write(CSR_HVIP, csr_read(CSR_HVIP));
		return;
	}
	v->arch.vs.vstimecmp = deadline;   /* served by the core's timer (no Sstc) */
	atomic_fetch_and(&v->pending_virq, ~(unsigned)ARCH_VIRQ_TIMER);
	csr_clear(CSR_HVIP, HIP_VSTIP);
}

#define TIME_SET_TIMER 0

static void time_handle(struct sbi_call *c)
{
	if (c->fid != TIME_SET_TIMER)
		return;
	sbi_set_timer_for(c->v, c->a[0]);
	c->error = SBI_SUCCESS;
}

/*
 * Short path only with Sstc, and only when the core's own timer is due no
 * later than the new deadline: the run loop then sees the deadline (its
 * timer_watch) in time. Otherwise the run loop arms the core's timer.
 */
static bool time_fast(const struct sbi_call *c)
{
	return c->v->vm->arch.sstc && c->a[0] >= c->p->timer_deadline;
}

const struct sbi_ext sbi_ext_time = {
	.name = "time", .eid_min = SBI_EXT_TIME, .eid_max = SBI_EXT_TIME,
	.handle = time_handle, .fast = time_fast,
};
