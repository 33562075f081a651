/*
 * core/irqc.h's guest side on AArch64. The vGICv3 is not written yet
 * (docs/aarch64.md): a VM that needs a controller is refused with that
 * reason, and VMs cannot be created at all until the stage-2 and vCPU code
 * lands (stage2.c), so nothing below is reached with a live VM.
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
	if (!lines)
		return 0;
	snprintf(err, errlen, "%s: the VM needs an interrupt controller, and the vGICv3 is not there yet",
		 vm->cfg.file);
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
