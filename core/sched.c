/*
 * The per-core run loop: each core runs the vCPUs pinned to it and sleeps in
 * wfi when none is runnable. Only this core touches its run queue.
 *
 * Sharing is by time used, not by turns: each vCPU's run time on the core is
 * summed (vruntime) and the runnable vCPU that has run least goes next. The
 * one on the core keeps it until it is FAIR_GAP ahead of the next (or its
 * turn of MIN_TURN is not over yet: wake-ups cannot preempt it sooner). A
 * vCPU that wakes up is lifted to FAIR_GAP behind the core's front runner:
 * sleeping earns no more credit than that. So however a vCPU times its
 * exits, wake-ups and sleeps, over any few slices each runnable vCPU on the
 * core gets an equal share of it (docs/scheduling.md).
 */
#include <arch/cpu.h>
#include <arch/vcpu.h>
#include "core/console.h"
#include "core/hwirq.h"
#include "core/pcpu.h"
#include "core/vm.h"
#include "partition/hostdt.h"

#define SLICE_MS 5           /* two vCPUs that both want the core swap this often */
#define MIN_TURN_US 1000     /* a vCPU given the core keeps it at least this long */
#define FAIR_GAP (SLICE_MS * core_platform()->timebase_hz / 2000)
#define MIN_TURN (MIN_TURN_US * core_platform()->timebase_hz / 1000000)
#define WATCH_GRACE_US 20  /* a lost VS timer interrupt is raised again this much later */
#define TIMER_LEAD_MAX_US 10   /* the most an emulated deadline's timer is armed early */

/* v becomes runnable: no more credit for the time it was away than one gap. */
/* The console core without the UART's interrupt: its timer looks at the UART every CONSOLE_POLL_MS. */
static bool console_polled(const struct pcpu *p)
{
	return p->console_input && !p->console_irq;
}

static void fair_join(struct pcpu *p, struct vcpu *v)
{
	if (p->vruntime_front > FAIR_GAP && v->vruntime < p->vruntime_front - FAIR_GAP)
		v->vruntime = p->vruntime_front - FAIR_GAP;
}

/* A (re)started vCPU (or a reboot's rebuild) brings no history. */
static void fair_start(struct pcpu *p, struct vcpu *v)
{
	v->vruntime = 0;
	fair_join(p, v);
}

/* This pass of the run loop was v's time: the guest, its exit and the loop's work around them. */
static void charge_round(struct pcpu *p, struct vcpu *v)
{
	v->vruntime += arch_time_now() - p->round_start;
	if (v->vruntime > p->vruntime_front)
		p->vruntime_front = v->vruntime;
}

void sched_add(struct pcpu *p, struct vcpu *v)
{
	if (v->on_rq)
		return;
	fair_start(p, v);
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

/* A guest deadline the hardware does not serve is served here, with a virtual timer interrupt. */
static void timer_emulate(struct vcpu *v, uint64_t now)
{
	if (now >= arch_vcpu_emulated_deadline(&v->arch, &v->vm->arch))
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
	fair_join(p, v);
	int suspended = VCPU_POWER_SUSPENDED;
	if (!atomic_compare_exchange_strong(&v->power, &suspended, VCPU_POWER_ON))
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

/* The runnable vCPU other than skip that has run least (ties: the first). */
static struct vcpu *least_run(struct pcpu *p, const struct vcpu *skip)
{
	struct vcpu *best = NULL;
	for (struct vcpu *v = p->rq_head; v; v = v->rq_next)
		if (v != skip && v->run == VCPU_RUNNABLE && (!best || v->vruntime < best->vruntime))
			best = v;
	return best;
}

/*
 * What runs next, and until when at most (*until: when another runnable
 * vCPU's turn comes, UINT64_MAX if none is waiting).
 */
static struct vcpu *pick(struct pcpu *p, uint64_t *until)
{
	uint64_t now = arch_time_now();
	for (struct vcpu *v = p->rq_head; v; v = v->rq_next)
		if (v->run == VCPU_HALTED && has_pending(p, v, now))
			resume(p, v);
	struct vcpu *cur = p->rq_last && p->rq_last->run == VCPU_RUNNABLE ? p->rq_last : NULL;
	struct vcpu *rival = least_run(p, cur), *next = rival;
	if (cur && (!rival || now - p->turn_start < MIN_TURN ||
		    cur->vruntime < rival->vruntime + FAIR_GAP))
		next = cur;
	*until = UINT64_MAX;
	if (!next)
		return NULL;
	if (next != cur)
		p->turn_start = now;
	struct vcpu *other = next == cur ? rival : least_run(p, next);
	if (other) {
		uint64_t ahead = other->vruntime + FAIR_GAP > next->vruntime
				 ? other->vruntime + FAIR_GAP - next->vruntime : 0;
		*until = now + ahead;
		if (*until < p->turn_start + MIN_TURN)
			*until = p->turn_start + MIN_TURN;
	}
	return next;
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
 * An emulated deadline (no Sstc) reaches tessera through the firmware and a
 * trap, which takes time: the core's timer is armed that much early
 * (timer_lead: the delay measured when the last one fired, at most
 * TIMER_LEAD_MAX_US), and the injection waits for the deadline itself
 * (sched_fast_timer). The guest then takes it neither early nor late by the
 * delivery's cost. Too close to arm early, it is armed at the deadline.
 */
static uint64_t emulated_arm_at(const struct pcpu *p, uint64_t deadline, uint64_t now)
{
	return deadline > now && deadline - now > p->timer_lead ? deadline - p->timer_lead : deadline;
}

/*
 * The guest set its timer, on either path (the calling vCPU is loaded on
 * p). Served by the hardware, the deadline is watched a little after it
 * (see run_vcpu); else the core's timer serves it. The core's timer is only
 * ever brought forward here, which is always safe: when it fires the run
 * loop works out the next deadline again. One already armed early enough
 * costs nothing, so a guest that moves its deadline later takes no call
 * into the firmware.
 */
/* A deadline tessera serves with the core's timer (no Sstc), armed early by its delivery delay. */
static __attribute__((noinline)) void guest_timer_emulated(struct pcpu *p, uint64_t deadline)
{
	deadline = emulated_arm_at(p, deadline, arch_time_now());
	if (deadline < p->timer_deadline)
		set_timer(p, deadline);
}

void sched_guest_timer_set(struct pcpu *p, struct vcpu *v, uint64_t deadline, bool in_hw)
{
	if (deadline == UINT64_MAX) {
		v->timer_watch = 0;
		return;
	}
	if (!in_hw) {
		guest_timer_emulated(p, deadline);
		return;
	}
	/* The hardware's deadline (Sstc): the core's timer only watches that it came. */
	v->timer_watch = deadline;
	deadline += p->watch_grace;
	if (deadline < p->timer_deadline)
		set_timer(p, deadline);
}

/*
 * The short trap path took the core's timer while v runs (its deadline
 * is tessera's to serve). If v is
 * alone on the core and its own emulated deadline has come, inject its timer
 * interrupt and let it go on; a polling console core re-arms for its UART.
 * Anything else (slices, other vCPUs) means more than one vCPU: run loop.
 */
bool sched_fast_timer(struct pcpu *p, struct vcpu *v)
{
	uint64_t now = arch_time_now(), due = arch_vcpu_emulated_deadline(&v->arch, &v->vm->arch);
	if (p->rq_head != v || v->rq_next || due > now + p->timer_lead)
		return false;
	if (p->timer_deadline <= now) {   /* how late the timer came: the next one is armed that early */
		uint64_t late = now - p->timer_deadline;
		p->timer_lead = late < p->timer_lead_max ? late : p->timer_lead_max;
	}
	while (now < due)   /* armed early: at most timer_lead */
		now = arch_time_now();
	arch_vcpu_inject(&v->arch, ARCH_VIRQ_TIMER, true);
	p->timer_deadline = 0;   /* force set_timer to act */
	set_timer(p, console_polled(p) ? now + CONSOLE_POLL_MS * core_platform()->timebase_hz / 1000
				      : UINT64_MAX);
	return true;
}

/*
 * The short trap path took tessera's IPI while v runs alone on the core:
 * the inbox is read here (a virtual interrupt for v is the usual message).
 * If v is still loaded and alone and nothing else waits for the run loop,
 * its lines are brought up to date and it goes on; else the run loop
 * picks next (EXIT_RESCHEDULE). Never here: more than one vCPU (the run
 * loop shares the core).
 */
enum exit_result sched_fast_ipi(struct pcpu *p, struct vcpu *v)
{
	if (p->rq_head != v || v->rq_next)
		return EXIT_NOT_HERE;
	arch_ipi_clear();
	mailbox_poll(&p->ep);
	console_flush();
	if (p->loaded != v || p->rq_head != v || v->rq_next || p->vm_finish_mask || p->rebuild ||
	    p->selftest.requested || !mailbox_idle(&p->ep))
		return EXIT_RESCHEDULE;
	vcpu_sync_irqs(p, v);
	return EXIT_RESUME;
}

/*
 * The short trap path took a host device's interrupt while v runs alone on
 * the core: it is claimed and raised in its VM here (a passed-through
 * device's line, usually v's own), and v goes on with its lines brought up
 * to date, as after tessera's IPI.
 */
enum exit_result sched_fast_hwirq(struct pcpu *p, struct vcpu *v)
{
	if (p->rq_head != v || v->rq_next)
		return EXIT_NOT_HERE;
	hwirq_poll(p);
	if (p->loaded != v || p->rq_head != v || v->rq_next || p->vm_finish_mask || p->rebuild ||
	    p->selftest.requested || !mailbox_idle(&p->ep))
		return EXIT_RESCHEDULE;
	vcpu_sync_irqs(p, v);
	return EXIT_RESUME;
}

void vcpu_sync_irqs(struct pcpu *p, struct vcpu *v)
{
	(void)p;
	unsigned virqs = atomic_exchange_explicit(&v->pending_virq, 0, memory_order_acquire);
	if (virqs)
		arch_vcpu_inject(&v->arch, virqs, true);
	arch_vcpu_set_ext(&v->arch, atomic_load_explicit(&v->ext_level, memory_order_acquire), true);
}

/* Nothing to run: sleep until a message, a timer or a guest interrupt. */

static void idle(struct pcpu *p)
{
	uint64_t deadline = UINT64_MAX;
	if (console_polled(p))   /* look at the UART again soon */
		deadline = arch_time_now() + CONSOLE_POLL_MS * core_platform()->timebase_hz / 1000;
	for (struct vcpu *v = p->rq_head; v; v = v->rq_next) {
		uint64_t d = arch_vcpu_timer_deadline(&v->arch, p->loaded == v);
		if (d < deadline)
			deadline = d;
	}
	if (!console_flush()) {   /* the UART was busy: try again soon */
		uint64_t retry = arch_time_now() + core_platform()->timebase_hz / 1000;
		if (retry < deadline)
			deadline = retry;
	}
	set_timer(p, deadline);
	if (mailbox_idle(&p->ep))
		arch_wait_for_interrupt();
}

static void run_vcpu(struct pcpu *p, struct vcpu *v, uint64_t until)
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
	vcpu_sync_irqs(p, v);
	uint64_t deadline = until;   /* another vCPU's turn */
	/* A halted vCPU on this core waits for its timer: wake up for it, however v behaves. */
	for (struct vcpu *o = p->rq_head; o; o = o->rq_next) {
		if (o == v || o->run != VCPU_HALTED)
			continue;   /* a runnable one's turn is in until */
		uint64_t d = arch_vcpu_timer_deadline(&o->arch, false);
		/*
		 * Due since pick() looked (time passes between the two reads,
		 * more so on a loaded host): v must not run on without a timer
		 * while o waits; pick() again, which wakes o.
		 */
		if (d <= now)
			return;
		if (d < deadline)
			deadline = d;
	}
	/* A deadline already past is pending for the guest: arming for it would trap at once, forever. */
	uint64_t emulated = arch_vcpu_emulated_deadline(&v->arch, &v->vm->arch);
	if (emulated > now && emulated_arm_at(p, emulated, now) < deadline)
		deadline = emulated_arm_at(p, emulated, now);
	/*
	 * A deadline the guest set through a call, served by the hardware:
	 * watched by our own timer too, a little after it
	 * (arch_vcpu_timer_check), so that the guest, not tessera, takes the
	 * interrupt first when QEMU does signal it.
	 */
	uint64_t watch = v->timer_watch ? v->timer_watch + p->watch_grace : 0;
	if (watch > now && watch < deadline)
		deadline = watch;
	else if (watch && watch <= now)
		v->timer_watch = arch_vcpu_timer_check(&v->arch) ? 0 : v->timer_watch;
	/*
	 * Alone on its core, the vCPU's WFI waits in the hart itself: its
	 * interrupts (and tessera's own, which trap) wake it without an exit.
	 * With others on the run queue a WFI gives the core away. A console
	 * core without the UART's interrupt polls it with its own timer.
	 */
	bool alone = p->rq_head == v && !v->rq_next;
	arch_vcpu_trap_wfi(&v->arch, !alone);
	if (alone && console_polled(p)) {
		uint64_t poll = now + CONSOLE_POLL_MS * core_platform()->timebase_hz / 1000;
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
	arch_guest_enter(&v->arch);
	if (p->loaded == v)   /* else taken off on the short path, its exit handled there */
		exit_dispatch(p, v);
	/* a vCPU that exits all the time would otherwise run on time nobody is charged for */
	charge_round(p, v);
}

/*
 * A VM this core reboots is rebuilt in steps (vm_load_step), each charged to
 * the VM's vCPU on this core as if it ran: the step goes when that vCPU
 * would be picked, so a large VM's reboot takes its own share of a shared
 * core and no more.
 */
void sched_rebuild(struct pcpu *p, struct vm *vm)
{
	struct vcpu *s = NULL;
	for (unsigned i = 0; i < vm->nvcpus && !s; i++)
		if (vm->vcpu[i].pcpu == p->id)
			s = &vm->vcpu[i];
	if (!s) {   /* not one of its cores (never: the last core out is): all at once */
		vm_load_images(vm);
		vm_rebuilt(p, vm);
		return;
	}
	p->rebuild = vm;
	p->rebuild_vcpu = s;
	fair_start(p, s);
}

static bool rebuild_turn(struct pcpu *p, const struct vcpu *next)
{
	return p->rebuild && (!next || p->rebuild_vcpu->vruntime <= next->vruntime);
}

/* v runs until the rebuild's turn at the latest: when v is a gap ahead of it. */
static uint64_t rebuild_deadline(struct pcpu *p, const struct vcpu *v, uint64_t until)
{
	uint64_t now = arch_time_now(), s = p->rebuild_vcpu->vruntime + FAIR_GAP;
	uint64_t when = now + (s > v->vruntime ? s - v->vruntime : 0);
	if (when < now + MIN_TURN)
		when = now + MIN_TURN;
	return when < until ? when : until;
}

static void rebuild_step(struct pcpu *p)
{
	struct vm *vm = p->rebuild;
	bool done = vm_load_step(vm);
	charge_round(p, p->rebuild_vcpu);
	if (done) {
		p->rebuild = NULL;
		p->rebuild_vcpu = NULL;
		vm_rebuilt(p, vm);
	}
}

void core_run(struct pcpu *p)
{
	p->watch_grace = WATCH_GRACE_US * core_platform()->timebase_hz / 1000000;
	p->timer_lead_max = TIMER_LEAD_MAX_US * core_platform()->timebase_hz / 1000000;
	p->timer_lead = 0;
	p->timer_deadline = 0;
	set_timer(p, UINT64_MAX);
	for (;;) {
		p->round_start = arch_time_now();
		arch_ipi_clear();   /* first: a kick that comes after it is not lost */
		console_flush();   /* what this core printed while the UART was busy */
		mailbox_poll(&p->ep);
		if (p->vm_finish_mask)
			vm_finish_pending(p);
		if (console_polled(p))
			console_input_poll();
		hwirq_poll(p);
		if (p->selftest.requested) {
			p->selftest.requested = false;
			selftest_run_local(p);
			continue;
		}
		uint64_t until;
		struct vcpu *v = pick(p, &until);
		if (rebuild_turn(p, v)) {
			rebuild_step(p);
			continue;
		}
		if (p->rebuild)
			until = rebuild_deadline(p, v, until);
		if (v)
			run_vcpu(p, v, until);
		else
			idle(p);
	}
}
