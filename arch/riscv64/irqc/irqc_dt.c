/* partition/irqc_dt.h for RISC-V: the model the host tree has, then that model's functions. */
#include <libfdt.h>
#include "arch/riscv64/irqc/models.h"
#include "partition/hostdt.h"

static const struct irqc_dt_ops *const models[IRQC_MODELS] = {
	[IRQC_PLIC] = &plic_dt_ops, [IRQC_AIA] = &aia_dt_ops,
};

unsigned irqc_dt_model(const void *fdt)
{
	for (unsigned m = 1; m < IRQC_MODELS; m++)
		if (models[m]->host_node(fdt) >= 0)
			return m;
	return IRQC_NONE;
}

/* A VM on a host with no controller still gets a virtual PLIC for its emulated lines. */
static const struct irqc_dt_ops *ops(unsigned model)
{
	return model > 0 && model < IRQC_MODELS ? models[model] : &plic_dt_ops;
}

const char *irqc_dt_host_what(unsigned model)
{
	return ops(model)->host_what;
}

const char *irqc_dt_guest_what(unsigned model)
{
	return ops(model)->guest_what;
}

int irqc_dt_host_node(const void *fdt)
{
	unsigned m = irqc_dt_model(fdt);
	return m ? models[m]->host_node(fdt) : -FDT_ERR_NOTFOUND;
}

/* PLIC and APLIC specifiers start with the source (the APLIC's second cell is its sense). */
uint32_t irqc_dt_source(const void *spec, uint32_t cells)
{
	(void)cells;
	return fdt32_ld((const fdt32_t *)spec);
}

int irqc_dt_read_host(const void *fdt, struct host_platform *p, char *err, size_t errlen)
{
	unsigned m = irqc_dt_model(fdt);
	p->irqc.model = m;
	if (!m)
		return 0;
	return models[m]->read_host(fdt, models[m]->host_node(fdt), p, err, errlen);
}

int irqc_dt_guest_node(void *fdt, const struct irqc_dt_guest *g)
{
	return ops(g->model)->guest_node(fdt, g);
}

void irqc_dt_guest_node_name(const struct irqc_dt_guest *g, char *buf, size_t len)
{
	ops(g->model)->guest_node_name(g, buf, len);
}

int irqc_dt_device_interrupts(void *fdt, const struct irqc_dt_guest *g, const uint32_t *lines, unsigned n)
{
	return ops(g->model)->device_interrupts(fdt, lines, n);
}
