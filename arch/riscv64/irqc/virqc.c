/* core/irqc.h's virtual side for RISC-V: the counterpart of the host's controller (hostirq.c). */
#include "arch/riscv64/irqc/models.h"
#include "core/irqc.h"

static const struct virqc_ops *impl(void)
{
	return virqc_model == IRQC_AIA ? &vaplic_ops : &vplic_ops;
}

unsigned virqc_lines(void)
{
	return impl()->lines;
}

int virqc_create(struct vm *vm, bool lines, char *err, unsigned errlen)
{
	return impl()->create(vm, lines, err, errlen);
}

void virqc_describe(const struct vm *vm, struct irqc_dt_guest *g)
{
	impl()->describe(vm, g);
}

void virqc_reset(struct vm *vm)
{
	impl()->reset(vm);
}

void virqc_set_level(struct vcpu *self, unsigned line, bool level)
{
	impl()->set_level(self, line, level);
}

void virqc_raise(struct vm *vm, unsigned line)
{
	impl()->raise(vm, line);
}

void virqc_route_host(struct vm *vm, unsigned line, uint32_t host)
{
	impl()->route_host(vm, line, host);
}

void virqc_host_raise(struct vm *vm, unsigned line)
{
	impl()->host_raise(vm, line);
}
