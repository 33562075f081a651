/*
 * The exit pipeline (docs/exits.md): the arch decodes a trap once into the
 * vCPU's exit record; one switch maps its reason to a handler (and another
 * to the handlers that may run on the short trap path, so that the compiler
 * can inline them); the handler returns a named result, which one place
 * applies.
 */
#include <stddef.h>
#include <arch/cpu.h>
#include <arch/hypercall.h>
#include <arch/vcpu.h>
#include "core/console.h"
#include "core/hwirq.h"
#include "core/pcpu.h"
#include "core/vm.h"

static enum exit_result exit_hypercall(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	(void)e;
	arch_handle_hypercall(p, v);
	return EXIT_RESCHEDULE;   /* it may have stopped, started or woken vCPUs */
}

/*
 * On the short path, while v is alone on its core: the core's timer, due
 * for v's own emulated deadline, tessera's IPI (the inbox) and, where the
 * guest's timer is not among them, a host device's interrupt (claimed and
 * raised in its VM).
 */
static enum exit_result exit_irq_short(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	if (e->irq == HOST_IRQ_TIMER)
		return sched_fast_timer(p, v) ? EXIT_RESUME : EXIT_NOT_HERE;
	if (e->irq == HOST_IRQ_IPI)
		return sched_fast_ipi(p, v);
	if (e->irq == HOST_IRQ_EXT && !ARCH_HOST_IRQ_CARRIES_GUEST_TIMER)
		return sched_fast_hwirq(p, v);
	return EXIT_NOT_HERE;
}

static enum exit_result exit_external_irq(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	(void)v;
	/* IPIs: the run loop polls the mailbox next. Timer: the slice ended or a deadline came. */
	if (e->irq == HOST_IRQ_TIMER) {
		arch_timer_disarm();
		p->timer_deadline = UINT64_MAX;
	} else if (e->irq == HOST_IRQ_EXT) {
		hwirq_poll(p);
	}
	return EXIT_RESCHEDULE;
}

static enum exit_result exit_halt(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	(void)e;
	arch_vcpu_skip_insn(&v->arch);
	if (!atomic_load_explicit(&v->pending_virq, memory_order_relaxed) &&
	    !arch_vcpu_irq_pending(&v->arch, p->loaded == v, arch_time_now()))
		v->run = VCPU_HALTED;
	return EXIT_RESCHEDULE;
}

/* Emulate the access: NULL when done, else why the guest faults (nothing was changed). */
static const char *mmio_emulate(struct vcpu *v, const struct vcpu_exit *e)
{
	struct vdev *d = vm_vdev_at(v->vm, e->addr, &v->last_vdev);
	struct mmio_access m;
	if (!d)
		return e->what;   /* no emulated device: the guest touched what it does not own */
	int rc = arch_mmio_decode(&v->arch, &m);
	if (rc)
		return arch_mmio_strerror(rc);
	uint64_t off = e->addr - d->gpa, val = 0;
	rc = m.write ? d->ops->write(v, d->dev, off, m.width, arch_mmio_store_value(&v->arch, &m))
			 : d->ops->read(v, d->dev, off, m.width, &val);
	if (rc)
		return m.write ? "MMIO write the device refuses" : "MMIO read the device refuses";
	if (arch_this_pcpu()->loaded == v)   /* else: taken off meanwhile (see exit_dispatch_short) */
		arch_mmio_complete(&v->arch, &m, val);
	return NULL;
}

static enum exit_result exit_mmio(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	(void)p;
	const char *why = mmio_emulate(v, e);
	if (!why)
		return EXIT_RESUME;
	e->what = why;
	return EXIT_STOP_VM;
}

/* A register the guest may access only through tessera: else, as on hardware, an illegal instruction. */
static enum exit_result exit_sysreg(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	(void)p;
	if (arch_emulate_sysreg(v, e) == 0)
		return EXIT_RESUME;
	e->injectable = true;
	return EXIT_INJECT_FAULT;
}

static enum exit_result exit_guest_fault(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	(void)p;
	(void)v;
	return e->injectable ? EXIT_INJECT_FAULT : EXIT_STOP_VM;
}

static enum exit_result exit_counted_only(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	(void)p;
	(void)v;
	(void)e;
	return EXIT_RESCHEDULE;
}

/* The run loop's handler of each reason. */
static enum exit_result exit_handle(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	switch (e->reason) {
	case EXIT_HYPERCALL: return exit_hypercall(p, v, e);
	case EXIT_EXTERNAL_IRQ: return exit_external_irq(p, v, e);
	case EXIT_HALT: return exit_halt(p, v, e);
	case EXIT_MMIO: return exit_mmio(p, v, e);
	case EXIT_SYSREG: return exit_sysreg(p, v, e);
	case EXIT_FAIL_ENTRY:
	case EXIT_GUEST_FAULT: return exit_guest_fault(p, v, e);
	case EXIT_CPU_UP:
	case EXIT_CPU_DOWN:
	case EXIT_SYSTEM_DOWN:
	case EXIT_REASON_COUNT: break;
	}
	return exit_counted_only(p, v, e);
}

/*
 * The same exits on the short trap path (no run queue, nothing of another
 * core's): a handler returns EXIT_NOT_HERE, having done nothing, when the
 * exit needs the run loop; a reason not listed never runs here.
 */
static inline enum exit_result exit_handle_short(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e)
{
	switch (e->reason) {
	case EXIT_HYPERCALL: return arch_hypercall_short(p, v, e);
	case EXIT_EXTERNAL_IRQ: return exit_irq_short(p, v, e);
	case EXIT_MMIO: return exit_mmio(p, v, e);
	case EXIT_SYSREG: return exit_sysreg(p, v, e);
	default: return EXIT_NOT_HERE;
	}
}

/* An emulated device may have changed the vCPU's interrupt lines: sync them after. */
static inline bool exit_moves_lines(enum exit_reason reason)
{
	return reason == EXIT_MMIO || reason == EXIT_SYSREG;
}

_Static_assert(offsetof(struct vcpu, arch) == 0, "the exit path finds the vCPU from its arch part");

/*
 * A trap from a vCPU the core does not hold would mean that tessera went
 * back into a guest it had taken off the core (a bug in tessera, never the
 * guest's doing): say so, and leave it to the run loop, which drops it.
 */
static __attribute__((noinline, cold)) enum fast_exit exit_from_unloaded(struct pcpu *p, struct vcpu *v)
{
	log_line("tessera: core %u: bogus trap from vm %u (%s) vcpu %u, which is not on this core, at pc 0x%lx",
		 p->id, (unsigned)v->vm->cfg.id, v->vm->cfg.name, v->id, (unsigned long)v->exit.pc);
	v->exit.result = EXIT_NOT_HERE;
	return FAST_EXIT_SLOW;
}

/*
 * A device that woke another core may have waited for room in its
 * mailbox, serving this core's own inbox meanwhile: a shutdown of this
 * VM takes the vCPU off the core. Its guest must not go on.
 */
static __attribute__((noinline, cold)) enum fast_exit exit_cut_short(struct pcpu *p, struct vcpu *v)
{
	p->exits_cut_short++;
	v->exit.result = EXIT_RESCHEDULE;
	return FAST_EXIT_SLOW;
}

/* The short trap path: handle what needs neither the run queue nor another core. */
enum fast_exit exit_dispatch_short(struct arch_vcpu *a)
{
	struct vcpu *v = (struct vcpu *)a;
	struct vcpu_exit *e = &v->exit;
	struct pcpu *p = arch_this_pcpu();
	arch_vcpu_decode_exit(a, e);
	if (__builtin_expect(p->loaded != v, 0))
		return exit_from_unloaded(p, v);
	enum exit_reason reason = e->reason;   /* kept in a register across the handler */
	enum exit_result r = exit_handle_short(p, v, e);
	e->result = r;
	if (r == EXIT_NOT_HERE)
		return FAST_EXIT_SLOW;
	v->exits[reason]++;
	if (__builtin_expect(p->loaded != v, 0))
		return exit_cut_short(p, v);
	if (r != EXIT_RESUME)
		return FAST_EXIT_SLOW;   /* the run loop applies it */
	if (exit_moves_lines(reason))
		vcpu_sync_irqs(p, v);   /* as the run loop would: a claim lowers a line, a complete may raise it */
	return FAST_EXIT_DONE;
}

static void apply(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e, enum exit_result r)
{
	switch (r) {
	case EXIT_INJECT_FAULT:
		arch_vcpu_inject_illegal(&v->arch, e->addr);
		break;
	case EXIT_STOP_VM:
		vm_fault(p, v, e);
		break;
	case EXIT_RESUME:
	case EXIT_RESCHEDULE:
	case EXIT_NOT_HERE:
		break;   /* the run loop picks next, which may be v again */
	}
}

/* The run loop: what the short path left, or the result it came to. */
void exit_dispatch(struct pcpu *p, struct vcpu *v)
{
	struct vcpu_exit *e = &v->exit;
	if (e->result != EXIT_NOT_HERE) {   /* handled on the short path */
		apply(p, v, e, e->result);
		return;
	}
	v->exits[e->reason]++;
	apply(p, v, e, exit_handle(p, v, e));
}
