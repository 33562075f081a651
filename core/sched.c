/*
 * The per-core run loop: each core runs the vCPUs pinned to it, round-robin
 * with a time slice when more than one is runnable, and sleeps in wfi when
 * none is. Only this core touches its run queue.
 */
#include <arch/cpu.h>
#include <arch/vcpu.h>
#include "core/console.h"
#include "core/hwirq.h"
#include "core/pcpu.h"
#include "core/vm.h"
#include "partition/hostdt.h"

#define SLICE_MS 5
#define INPUT_POLL_MS 20   /* the console core looks at its UART this often */
#define WATCH_GRACE_US 20  /* a lost VS timer interrupt is raised again this much later */

void sched_add(struct pcpu *p, struct vcpu *v)
{
	if (v->on_rq)
		return;
	v->on_rq = true;
	v->rq_next = p->rq_head;
	p->rq_head = v;
}

void sched_remove(struct pcpu *p, struct vcpu *v)
{
	if (!v->on_rq)
		return;
	for (struct vcpu **link = &p->rq_head; *link; link = &(*link)->rq_next) {
		if (*link == v) {
			*link = v->rq_next;
			break;
		}
	}
	v->on_rq = false;
	v->run = VCPU_OFFLINE;
	if (p->rq_last == v)
		p->rq_last = NULL;
	if (p->loaded == v) {
		arch_vcpu_put(&v->arch);
		p->loaded = NULL;
	}
}

/* Without Sstc the guest's deadline is served here, with a virtual timer interrupt. */
static void timer_emulate(struct vcpu *v, uint64_t now)
{
	if (!v->vm->arch.sstc && now >= v->arch.vs.vstimecmp)
		atomic_fetch_or_explicit(&v->pending_virq, ARCH_VIRQ_TIMER, memory_order_relaxed);
}

static bool has_pending(struct pcpu *p, struct vcpu *v, uint64_t now)
{
	timer_emulate(v, now);
	arch_vcpu_set_ext(&v->arch, atomic_load_explicit(&v->ext_level, memory_order_relaxed),
			  p->loaded == v);
	return atomic_load_explicit(&v->pending_virq, memory_order_relaxed) ||
	       arch_vcpu_irq_pending(&v->arch, p->loaded == v, now);
}

/* Start v afresh at pc the next time it runs (run_vcpu applies it). */
void vcpu_reset_at(struct pcpu *p, struct vcpu *v, uint64_t pc, unsigned long arg)
{
	if (p->loaded == v) {
		arch_vcpu_put(&v->arch);
		p->loaded = NULL;
	}
	v->reset_pending = true;
	v->reset_pc = pc;
	v->reset_arg = arg;
}

/* Leaving a halt: a suspended vCPU is started again; a non-retentive one at its resume address. */
static void resume(struct pcpu *p, struct vcpu *v)
{
	v->run = VCPU_RUNNABLE;
	int suspended = HSM_SUSPENDED;
	if (!atomic_compare_exchange_strong(&v->hsm, &suspended, HSM_STARTED))
		return;
	if (v->suspend_nonret) {
		v->suspend_nonret = false;
		vcpu_reset_at(p, v, v->resume_pc, v->resume_arg);
	}
}

/* A virtual interrupt arrived for a halted (or suspended) vCPU: run it again. */
void sched_wake(struct pcpu *p, struct vcpu *v)
{
	if (v->run == VCPU_HALTED)
		resume(p, v);
}

static struct vcpu *pick(struct pcpu *p, unsigned *runnable)
{
	uint64_t now = arch_time_now();
	struct vcpu *first = NULL, *after = NULL;
	bool past_last = p->rq_last == NULL;
	*runnable = 0;
	for (struct vcpu *v = p->rq_head; v; v = v->rq_next) {
		if (v->run == VCPU_HALTED && has_pending(p, v, now))
			resume(p, v);
		if (v->run == VCPU_RUNNABLE) {
			(*runnable)++;
			if (!first)
				first = v;
			if (past_last && !after)
				after = v;
		}
		if (v == p->rq_last)
			past_last = true;
	}
	return after ? after : first;
}

static void set_timer(struct pcpu *p, uint64_t deadline)
{
	if (deadline == p->timer_deadline)
		return;
	p->timer_deadline = deadline;
	if (deadline == UINT64_MAX)
		arch_timer_disarm();
	else
		arch_timer_arm(deadline);
}

/*
 * The short trap path took the core's timer while v runs (no Sstc). If v is
 * alone on the core and its own emulated deadline has come, inject its timer
 * interrupt and let it go on; the console core re-arms for its UART poll.
 * Anything else (slices, other vCPUs) means more than one vCPU: run loop.
 */
bool sched_fast_timer(struct pcpu *p, struct vcpu *v)
{
	uint64_t now = arch_time_now();
	if (v->vm->arch.sstc || p->rq_head != v || v->rq_next || v->arch.vs.vstimecmp > now)
		return false;
	arch_vcpu_inject(&v->arch, ARCH_VIRQ_TIMER, true);
	p->timer_deadline = 0;   /* force set_timer to act */
	set_timer(p, p->console_input ? now + INPUT_POLL_MS * core_platform()->timebase_hz / 1000
				      : UINT64_MAX);
	return true;
}

/* Nothing to run: sleep until a message, a timer or a guest interrupt. */

static void idle(struct pcpu *p)
{
	uint64_t deadline = UINT64_MAX;
	if (p->console_input)   /* look at the UART again soon */
		deadline = arch_time_now() + INPUT_POLL_MS * core_platform()->timebase_hz / 1000;
	for (struct vcpu *v = p->rq_head; v; v = v->rq_next) {
		uint64_t d = arch_vcpu_timer_deadline(&v->arch, p->loaded == v);
		if (d < deadline)
			deadline = d;
	}
	set_timer(p, deadline);
	if (mailbox_idle(&p->ep))
		arch_wait_for_interrupt();
}

static void run_vcpu(struct pcpu *p, struct vcpu *v, unsigned runnable)
{
	if (v->reset_pending) {
		v->reset_pending = false;
		arch_vcpu_reset(&v->arch, v->reset_pc, v->id, v->reset_arg);
	}
	if (p->loaded != v) {
		if (p->loaded)
			arch_vcpu_put(&p->loaded->arch);
		arch_vcpu_load(&v->arch, &v->vm->arch);
		p->loaded = v;
	}
	uint64_t now = arch_time_now();
	timer_emulate(v, now);
	unsigned virqs = atomic_exchange_explicit(&v->pending_virq, 0, memory_order_acquire);
	if (virqs)
		arch_vcpu_inject(&v->arch, virqs, true);
	arch_vcpu_set_ext(&v->arch, atomic_load_explicit(&v->ext_level, memory_order_acquire), true);
	/* Share the core only when someone else is waiting for it. */
	uint64_t deadline = runnable > 1 ? now + SLICE_MS * core_platform()->timebase_hz / 1000
					 : UINT64_MAX;
	/* A halted vCPU on this core waits for its timer: wake up for it, however v behaves. */
	for (struct vcpu *o = p->rq_head; o; o = o->rq_next) {
		uint64_t d = o == v ? UINT64_MAX : arch_vcpu_timer_deadline(&o->arch, false);
		if (d > now && d < deadline)
			deadline = d;   /* one already due makes it runnable in pick() */
	}
	/* A deadline already past is pending in hvip: arming for it would trap at once, forever. */
	if (!v->vm->arch.sstc && v->arch.vs.vstimecmp > now && v->arch.vs.vstimecmp < deadline)
		deadline = v->arch.vs.vstimecmp;
	/*
	 * An SBI deadline under Sstc: watched by our own timer too, a little
	 * after it (arch_vcpu_timer_check), so that the guest, not tessera,
	 * takes the interrupt first when QEMU does signal it.
	 */
	uint64_t watch = v->timer_watch ? v->timer_watch + WATCH_GRACE_US * core_platform()->timebase_hz / 1000000 : 0;
	if (watch > now && watch < deadline)
		deadline = watch;
	else if (watch && watch <= now)
		v->timer_watch = arch_vcpu_timer_check(&v->arch) ? 0 : v->timer_watch;
	/*
	 * Alone on its core, the vCPU's WFI waits in the hart itself: its
	 * interrupts (and tessera's own, which trap) wake it without an exit.
	 * With others on the run queue a WFI gives the core away. The console
	 * core keeps polling its UART with its own timer.
	 */
	bool alone = p->rq_head == v && !v->rq_next;
	arch_vcpu_trap_wfi(&v->arch, !alone);
	if (alone && p->console_input) {
		uint64_t poll = now + INPUT_POLL_MS * core_platform()->timebase_hz / 1000;
		if (poll < deadline)
			deadline = poll;
	}
	set_timer(p, deadline);
	p->rq_last = v;

	/*
	 * A message left in the inbox (mailbox_poll takes a bounded number per
	 * ring; a sender saw the ring non-empty and did not kick) would wait
	 * for this vCPU's next exit, which may never come: serve it first.
	 */
	if (!mailbox_idle(&p->ep))
		return;
	struct vcpu_exit e;
	arch_guest_enter(&v->arch);
	if (p->loaded != v)
		return;   /* taken off on the short path, its exit handled there (exit_try_fast) */
	arch_vcpu_decode_exit(&v->arch, &e);
	v->exits[e.reason]++;
	exit_handle(p, v, &e);
}

void core_run(struct pcpu *p)
{
	p->timer_deadline = 0;
	set_timer(p, UINT64_MAX);
	for (;;) {
		arch_ipi_clear();
		mailbox_poll(&p->ep);
		if (p->vm_finish_mask)
			vm_finish_pending(p);
		if (p->console_input)
			console_input_poll();
		hwirq_poll(p);
		if (p->selftest.requested) {
			p->selftest.requested = false;
			selftest_run_local(p);
			continue;
		}
		unsigned runnable;
		struct vcpu *v = pick(p, &runnable);
		if (v)
			run_vcpu(p, v, runnable);
		else
			idle(p);
	}
}
