/* One handler per exit reason; each decides what happens to the vCPU next. */
#include <stddef.h>
#include <arch/cpu.h>
#include <arch/vcpu.h>
#include "core/console.h"
#include "core/hwirq.h"
#include "core/pcpu.h"
#include "core/vm.h"

typedef void (*exit_handler_fn)(struct pcpu *p, struct vcpu *v, const struct vcpu_exit *e);

static void exit_hypercall(struct pcpu *p, struct vcpu *v, const struct vcpu_exit *e)
{
	(void)e;
	arch_handle_hypercall(p, v);
}

static void exit_external_irq(struct pcpu *p, struct vcpu *v, const struct vcpu_exit *e)
{
	(void)v;
	/* IPIs: the run loop polls the mailbox next. Timer: the slice ended or a deadline came. */
	if (e->irq == HOST_IRQ_TIMER) {
		arch_timer_disarm();
		p->timer_deadline = UINT64_MAX;
	} else if (e->irq == HOST_IRQ_EXT) {
		hwirq_poll(p);
	}
}

static void exit_halt(struct pcpu *p, struct vcpu *v, const struct vcpu_exit *e)
{
	(void)e;
	arch_vcpu_skip_insn(&v->arch);
	if (!atomic_load_explicit(&v->pending_virq, memory_order_relaxed) &&
	    !arch_vcpu_irq_pending(&v->arch, p->loaded == v, arch_time_now()))
		v->run = VCPU_HALTED;
}

/* Emulate the access: NULL when done, else why the guest faults (nothing was changed). */
static const char *mmio_emulate(struct vcpu *v, const struct vcpu_exit *e)
{
	struct vdev *d = vm_vdev_at(v->vm, e->addr);
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
	if (arch_this_pcpu()->loaded == v)   /* else: taken off meanwhile (see exit_try_fast) */
		arch_mmio_complete(&v->arch, &m, val);
	return NULL;
}

static void exit_mmio(struct pcpu *p, struct vcpu *v, const struct vcpu_exit *e)
{
	const char *why = mmio_emulate(v, e);
	if (why) {
		struct vcpu_exit f = *e;
		f.what = why;
		vm_fault(p, v, &f);
	}
}

static void exit_guest_fault(struct pcpu *p, struct vcpu *v, const struct vcpu_exit *e)
{
	if (e->injectable)
		arch_vcpu_inject_illegal(&v->arch, e->addr);
	else
		vm_fault(p, v, e);
}

static void exit_counted_only(struct pcpu *p, struct vcpu *v, const struct vcpu_exit *e)
{
	(void)p;
	(void)v;
	(void)e;
}

static const exit_handler_fn exit_handlers[EXIT_REASON_COUNT] = {
	[EXIT_HYPERCALL] = exit_hypercall,
	[EXIT_EXTERNAL_IRQ] = exit_external_irq,
	[EXIT_HALT] = exit_halt,
	[EXIT_CPU_UP] = exit_counted_only,
	[EXIT_CPU_DOWN] = exit_counted_only,
	[EXIT_SYSTEM_DOWN] = exit_counted_only,
	[EXIT_MMIO] = exit_mmio,
	[EXIT_FAIL_ENTRY] = exit_guest_fault,
	[EXIT_GUEST_FAULT] = exit_guest_fault,
};

void exit_handle(struct pcpu *p, struct vcpu *v, const struct vcpu_exit *e)
{
	exit_handlers[e->reason](p, v, e);
}

_Static_assert(offsetof(struct vcpu, arch) == 0, "exit_try_fast finds the vCPU from its arch part");

/*
 * A trap from a vCPU the core does not hold would mean that tessera went
 * back into a guest it had taken off the core (a bug in tessera, never the
 * guest's doing): say so, and leave it to the run loop, which drops it.
 */
bool exit_from_loaded(const struct arch_vcpu *a, uint64_t pc)
{
	const struct vcpu *v = (const struct vcpu *)a;
	struct pcpu *p = arch_this_pcpu();
	if (p->loaded == v)
		return true;
	log_line("tessera: core %u: bogus trap from vm %u (%s) vcpu %u, which is not on this core, at pc 0x%lx",
		 p->id, (unsigned)v->vm->cfg.id, v->vm->cfg.name, v->id, (unsigned long)pc);
	return false;
}

/*
 * Exits that need neither the run queue nor another core are handled on the
 * short trap path: fast SBI calls and emulated MMIO. The virtual interrupt
 * lines are brought up to date before the guest goes on, as the run loop
 * would (a claim from the virtual controller lowers the line, a complete may raise it).
 */
enum fast_exit exit_try_fast(struct arch_vcpu *a, const struct vcpu_exit *e)
{
	struct vcpu *v = (struct vcpu *)a;
	if (e->reason != EXIT_MMIO || mmio_emulate(v, e))
		return FAST_EXIT_SLOW;   /* the run loop handles it (and faults the VM, with the reason) */
	/*
	 * A device that woke another core may have waited for room in its
	 * mailbox, serving this core's own inbox meanwhile: a shutdown of this
	 * VM takes the vCPU off the core. Its guest must not go on.
	 */
	struct pcpu *p = arch_this_pcpu();
	if (p->loaded != v) {
		p->exits_cut_short++;
		return FAST_EXIT_RESCHED;
	}
	arch_vcpu_set_ext(a, atomic_load_explicit(&v->ext_level, memory_order_acquire), true);
	unsigned virqs = atomic_exchange_explicit(&v->pending_virq, 0, memory_order_acquire);
	if (virqs)
		arch_vcpu_inject(a, virqs, true);
	v->exits[e->reason]++;
	return FAST_EXIT_DONE;
}

/* Neither of these two sends a message: the vCPU stays on the core. */
enum fast_exit exit_try_fast_timer(struct arch_vcpu *a)
{
	struct vcpu *v = (struct vcpu *)a;
	if (!sched_fast_timer(arch_this_pcpu(), v))
		return FAST_EXIT_SLOW;
	v->exits[EXIT_EXTERNAL_IRQ]++;
	return FAST_EXIT_DONE;
}

/* A fast SBI call touches only the caller: no interrupt line to update. */
enum fast_exit exit_try_fast_hypercall(struct arch_vcpu *a)
{
	struct vcpu *v = (struct vcpu *)a;
	if (!arch_handle_hypercall_fast(arch_this_pcpu(), v))
		return FAST_EXIT_SLOW;
	v->exits[EXIT_HYPERCALL]++;
	return FAST_EXIT_DONE;
}
