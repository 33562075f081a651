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
		node = hostdt_node_by_compatible(fdt, node, "arm,gic-v3");
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

/* <type number flags>: SPIs (type 0) are INTID 32 + number; PPIs belong to their core, not a VM. */
uint32_t irqc_dt_source(const void *spec, uint32_t cells)
{
	const fdt32_t *c = spec;
	if (cells != 3 || fdt32_ld(&c[0]) != 0 || fdt32_ld(&c[1]) > 987)
		return 0;
	return 32 + fdt32_ld(&c[1]);
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

/* The VM's GICv3 (vgic.c): distributor, then the redistributors of its vCPUs, one region. */
int irqc_dt_guest_node(void *fdt, const struct irqc_dt_guest *g)
{
	char name[40];
	irqc_dt_guest_node_name(g, name, sizeof(name));
	fdt64_t reg[4] = { cpu_to_fdt64(g->gpa), cpu_to_fdt64(g->size), cpu_to_fdt64(g->files_gpa),
			   cpu_to_fdt64(0x20000ull * g->nvcpus) };
	int rc = fdt_begin_node(fdt, name);
	rc = rc ?: fdt_property_string(fdt, "compatible", "arm,gic-v3");
	rc = rc ?: fdt_property_u32(fdt, "#interrupt-cells", 3);
	rc = rc ?: fdt_property_u32(fdt, "#address-cells", 0);
	rc = rc ?: fdt_property(fdt, "interrupt-controller", "", 0);
	rc = rc ?: fdt_property_u32(fdt, "#redistributor-regions", 1);
	rc = rc ?: fdt_property(fdt, "reg", reg, sizeof(reg));
	rc = rc ?: fdt_property_u32(fdt, "phandle", IRQC_DT_GUEST_PHANDLE);
	return rc ?: fdt_end_node(fdt);
}

void irqc_dt_guest_node_name(const struct irqc_dt_guest *g, char *buf, size_t len)
{
	snprintf(buf, len, "interrupt-controller@%lx", (unsigned long)g->gpa);
}

/* A device's lines are SPIs: line n is SPI n (INTID 32 + n), level-high. */
int irqc_dt_device_interrupts(void *fdt, const struct irqc_dt_guest *g, const uint32_t *lines, unsigned n)
{
	(void)g;
	fdt32_t irq[3 * 8];
	if (n > 8)
		return -FDT_ERR_NOSPACE;
	for (unsigned i = 0; i < n; i++) {
		irq[3 * i] = cpu_to_fdt32(0);
		irq[3 * i + 1] = cpu_to_fdt32(lines[i]);
		irq[3 * i + 2] = cpu_to_fdt32(4);
	}
	int rc = fdt_property_u32(fdt, "interrupt-parent", IRQC_DT_GUEST_PHANDLE);
	return rc ?: fdt_property(fdt, "interrupts", irq, (int)(12 * n));
}
