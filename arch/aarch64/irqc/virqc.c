/*
 * core/irqc.h's guest side on AArch64. The vGICv3 is not written yet
 * (docs/aarch64.md): a VM with passed-through interrupts is refused with
 * that reason; the emulated UART's line goes nowhere (guests poll it).
 */
#include <stdio.h>
#include "core/errno.h"
#include "core/irqc.h"
#include "core/vm.h"
#include "partition/irqc_dt.h"

unsigned virqc_lines(void)
{
	return 1;   /* no lines yet */
}

int virqc_create(struct vm *vm, bool lines, char *err, unsigned errlen)
{
	if (!lines || !vm->irqs.n)
		return 0;
	snprintf(err, errlen, "%s: devices: passed-through interrupts need the vGICv3, which is not "
		 "there yet", vm->cfg.file);
	return E_NOSUPP;
}

void virqc_describe(const struct vm *vm, struct irqc_dt_guest *g)
{
	(void)vm;
	g->size = 0;
}

void virqc_reset(struct vm *vm)
{
	(void)vm;
}

void virqc_set_level(struct vcpu *self, unsigned line, bool level)
{
	(void)self;
	(void)line;
	(void)level;
}

void virqc_raise(struct vm *vm, unsigned line)
{
	(void)vm;
	(void)line;
}

void virqc_route_host(struct vm *vm, unsigned line, uint32_t host)
{
	(void)vm;
	(void)line;
	(void)host;
}

void virqc_host_raise(struct vm *vm, unsigned line)
{
	(void)vm;
	(void)line;
}
