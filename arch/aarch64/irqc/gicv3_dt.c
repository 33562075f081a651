/*
 * partition/irqc_dt.h for AArch64: the host's GICv3 (distributor, one
 * redistributor region). The guest side (a vGICv3's nodes) comes with the
 * vGIC (docs/aarch64.md); until then a VM's tree gets no controller node.
 */
#include <libfdt.h>
#include <stdio.h>
#include "arch/aarch64/irqc/gicv3.h"
#include "partition/hostdt.h"
#include "partition/irqc_dt.h"

#define FAIL(code, ...) do { snprintf(err, errlen, __VA_ARGS__); return code; } while (0)

static int gic_node(const void *fdt)
{
	int node = -1;
	do
		node = fdt_node_offset_by_compatible(fdt, node, "arm,gic-v3");
	while (node >= 0 && fdt_getprop(fdt, node, "status", NULL) &&
	       strcmp(fdt_getprop(fdt, node, "status", NULL), "okay") != 0);
	return node;
}

unsigned irqc_dt_model(const void *fdt)
{
	return gic_node(fdt) >= 0 ? IRQC_GICV3 : IRQC_NONE;
}

const char *irqc_dt_host_what(unsigned model)
{
	(void)model;
	return "host GICv3";
}

const char *irqc_dt_guest_what(unsigned model)
{
	(void)model;
	return "virtual GICv3";
}

int irqc_dt_host_node(const void *fdt)
{
	return gic_node(fdt);
}

int irqc_dt_read_host(const void *fdt, struct host_platform *p, char *err, size_t errlen)
{
	int node = gic_node(fdt);
	p->irqc.model = node >= 0 ? IRQC_GICV3 : IRQC_NONE;
	if (node < 0)
		return 0;
	const char *name = fdt_get_name(fdt, node, NULL);
	if (hostdt_prop_u32(fdt, node, "#redistributor-regions", 1) != 1)
		FAIL(E_INVAL, "%s: #redistributor-regions %u: tessera reads one region", name,
		     hostdt_prop_u32(fdt, node, "#redistributor-regions", 1));
	int rc = hostdt_read_reg(fdt, node, 0, &p->irqc.base, &p->irqc.size);
	if (rc < 0)
		FAIL(E_INVAL, "%s: reg[0] (distributor): %s", name, fdt_strerror(rc));
	/* the redistributors: in irqc.files_base/size (an AIA's interrupt files there) */
	rc = hostdt_read_reg(fdt, node, 1, &p->irqc.files_base, &p->irqc.files_size);
	if (rc < 0)
		FAIL(E_INVAL, "%s: reg[1] (redistributors): %s", name, fdt_strerror(rc));
	if (p->irqc.size < 0x10000 || p->irqc.files_size < 0x20000)
		FAIL(E_INVAL, "%s: distributor 0x%lx bytes, redistributors 0x%lx bytes: too small", name,
		     (unsigned long)p->irqc.size, (unsigned long)p->irqc.files_size);
	p->irqc.phandle = fdt_get_phandle(fdt, node);
	for (unsigned i = 0; i < p->nharts; i++)
		p->irqc.ctx[i] = (int16_t)i;
	p->irqc.present = true;
	return 0;
}

int irqc_dt_guest_node(void *fdt, const struct irqc_dt_guest *g)
{
	(void)fdt;
	(void)g;
	return -FDT_ERR_BADSTRUCTURE;   /* no vGICv3 yet */
}

void irqc_dt_guest_node_name(const struct irqc_dt_guest *g, char *buf, size_t len)
{
	(void)g;
	snprintf(buf, len, "interrupt-controller@8000000");
}

int irqc_dt_device_interrupts(void *fdt, const struct irqc_dt_guest *g, const uint32_t *lines, unsigned n)
{
	(void)fdt;
	(void)g;
	(void)lines;
	(void)n;
	return -FDT_ERR_BADSTRUCTURE;
}
