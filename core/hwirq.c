/* Routing of passed-through devices' interrupts: see hwirq.h. */
#include <stdio.h>
#include <arch/cpu.h>
#include "core/console.h"
#include "core/errno.h"
#include "core/hwirq.h"
#include "core/irqc.h"
#include "core/pcpu.h"
#include "core/vm.h"
#include "partition/hostdt.h"
#include "partition/irqc_dt.h"

struct hwirq_route {
	struct vm *vm;
	uint32_t host, virq;
	_Atomic int claimed_ctx;   /* the context that claimed it, until completed; -1 */
};

/* Written by the boot core before any VM starts, read-only afterwards. */
static struct hwirq_route routes[HWIRQ_MAX];
static unsigned nroutes;

static struct hwirq_route *route_of_host(uint32_t host)
{
	for (unsigned i = 0; i < nroutes; i++)
		if (routes[i].host == host)
			return &routes[i];
	return NULL;
}

int hwirq_register(struct vm *vm, char *err, unsigned errlen)
{
	for (unsigned i = 0; i < vm->irqs.n; i++) {
		const struct irqmap_entry *e = &vm->irqs.e[i];
		const char *path = vm->cfg.devices[e->dev].path;
		struct hwirq_route *r = route_of_host(e->host);
		if (r && r->vm == vm)
			continue;   /* a line two of its devices share */
		if (r) {
			snprintf(err, errlen, "%s: devices[%u].passthrough: %s: host interrupt %u already "
				 "belongs to vm %u (%s)", vm->cfg.file, e->dev, path, e->host,
				 r->vm->cfg.id, r->vm->cfg.name);
			return E_INVAL;
		}
		if (!hostirq_has_source(e->host)) {
			snprintf(err, errlen, "%s: devices[%u].passthrough: %s: host interrupt %u is not a "
				 "source of the %s", vm->cfg.file, e->dev, path, e->host,
				 irqc_dt_host_what(core_platform()->irqc.model));
			return E_INVAL;
		}
		if (nroutes == HWIRQ_MAX) {
			snprintf(err, errlen, "%s: devices[%u].passthrough: %s: more than %d routed "
				 "interrupts in all", vm->cfg.file, e->dev, path, HWIRQ_MAX);
			return E_NOMEM;
		}
		routes[nroutes] = (struct hwirq_route){ vm, e->host, e->virq, -1 };
		nroutes++;
		virqc_route_host(vm, e->virq, e->host);
		hostirq_prepare(e->host);
	}
	return 0;
}

void hwirq_core_init(struct pcpu *p)
{
	p->irq_ctx = hostirq_core_init(core_platform(), p->hartid);
}

static void complete(struct hwirq_route *r)
{
	int ctx = atomic_exchange(&r->claimed_ctx, -1);
	if (ctx >= 0)
		hostirq_complete(ctx, r->host);
}

void hwirq_attach(struct pcpu *p, struct vm *vm)
{
	for (unsigned i = 0; i < nroutes; i++) {
		if (routes[i].vm != vm)
			continue;
		if (p->irq_ctx < 0) {
			log_line("vm %u (%s): core %u has no %s context: interrupt %u stays off",
				 vm->cfg.id, vm->cfg.name, p->id, irqc_dt_host_what(core_platform()->irqc.model),
				 routes[i].host);
			continue;
		}
		hostirq_enable(p->irq_ctx, routes[i].host, true);
		complete(&routes[i]);   /* one claimed before the VM went down: open the gateway */
	}
}

void hwirq_detach(struct pcpu *p, const struct vm *vm)
{
	for (unsigned i = 0; i < nroutes && p->irq_ctx >= 0; i++)
		if (routes[i].vm == vm)
			hostirq_enable(p->irq_ctx, routes[i].host, false);
}

void hwirq_poll(struct pcpu *p)
{
	if (p->irq_ctx < 0 || !hostirq_pending())
		return;
	uint32_t src;
	while ((src = hostirq_claim(p->irq_ctx)) != 0) {
		if (src == p->console_irq) {   /* tessera's own: the console UART received */
			console_input_poll();
			hostirq_complete(p->irq_ctx, src);
			continue;
		}
		struct hwirq_route *r = route_of_host(src);
		if (!r) {
			/* not tessera's: switch it off here rather than take it forever */
			hostirq_enable(p->irq_ctx, src, false);
			hostirq_complete(p->irq_ctx, src);
			log_line("core %u: host interrupt %u belongs to no VM: disabled", p->id, src);
			continue;
		}
		atomic_store(&r->claimed_ctx, p->irq_ctx);
		/* a VM going down keeps it claimed: attach completes it on the next start */
		if (atomic_load(&r->vm->state) == VM_RUNNING)
			virqc_host_raise(r->vm, r->virq);
	}
}

void hwirq_complete(const struct vm *vm, uint32_t virq)
{
	for (unsigned i = 0; i < nroutes; i++)
		if (routes[i].vm == vm && routes[i].virq == virq)
			complete(&routes[i]);
}
