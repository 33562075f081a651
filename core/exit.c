/* One handler per exit reason; each decides what happens to the vCPU next. */
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

static void exit_mmio(struct pcpu *p, struct vcpu *v, const struct vcpu_exit *e)
{
	struct vdev *d = vm_vdev_at(v->vm, e->addr);
	struct mmio_access m;
	if (!d) {
		/* No emulated device here: the guest touched what it does not own. */
		vm_fault(p, v, e);
		return;
	}
	if (arch_mmio_decode(&v->arch, &m)) {
		struct vcpu_exit f = *e;
		f.what = "MMIO access with an instruction tessera does not emulate";
		vm_fault(p, v, &f);
		return;
	}
	uint64_t off = e->addr - d->gpa, val = 0;
	int rc = m.write ? d->ops->write(v, d->dev, off, m.width, arch_mmio_store_value(&v->arch, &m))
			 : d->ops->read(v, d->dev, off, m.width, &val);
	if (rc) {
		struct vcpu_exit f = *e;
		f.what = m.write ? "MMIO write the device refuses" : "MMIO read the device refuses";
		vm_fault(p, v, &f);
		return;
	}
	arch_mmio_complete(&v->arch, &m, val);
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
