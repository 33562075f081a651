/*
 * The PLIC in device trees (partition/irqc_dt.h): finding the host's, and
 * the virtual PLIC's node in a generated tree: one S-mode context per vCPU,
 * wired to that vCPU's cpu-intc, one interrupt cell. (Reading the host's:
 * plic_hostdt.c.)
 */
#include <stdio.h>
#include <libfdt.h>
#include "arch/riscv64/irqc/models.h"
#include "partition/hostdt.h"
#include "partition/vmconfig.h"

static int host_node(const void *fdt)
{
	int node = hostdt_node_by_compatible(fdt, -1, "riscv,plic0");
	return node >= 0 ? node : hostdt_node_by_compatible(fdt, -1, "sifive,plic-1.0.0");
}

static void guest_node_name(const struct irqc_dt_guest *g, char *buf, size_t len)
{
	snprintf(buf, len, "plic@%lx", (unsigned long)g->gpa);
}

static int guest_node(void *fdt, const struct irqc_dt_guest *g)
{
	char name[40];
	fdt32_t ext[2 * VMCFG_MAX_VCPUS];
	fdt64_t reg[2] = { cpu_to_fdt64(g->gpa), cpu_to_fdt64(g->size) };
	uint32_t n = 0;
	for (; n < g->nvcpus && n < VMCFG_MAX_VCPUS; n++) {
		ext[2 * n] = cpu_to_fdt32(n + 1);    /* phandle of cpu@n's interrupt-controller */
		ext[2 * n + 1] = cpu_to_fdt32(9);    /* supervisor external interrupt */
	}
	static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";
	guest_node_name(g, name, sizeof(name));
	int rc = fdt_begin_node(fdt, name);
	rc = rc ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
	rc = rc ?: fdt_property(fdt, "reg", reg, sizeof(reg));
	rc = rc ?: fdt_property_u32(fdt, "#address-cells", 0);
	rc = rc ?: fdt_property_u32(fdt, "#interrupt-cells", 1);
	rc = rc ?: fdt_property(fdt, "interrupt-controller", "", 0);
	rc = rc ?: fdt_property(fdt, "interrupts-extended", ext, (int)(8 * n));
	rc = rc ?: fdt_property_u32(fdt, "riscv,ndev", g->lines - 1);
	rc = rc ?: fdt_property_u32(fdt, "phandle", IRQC_DT_GUEST_PHANDLE);
	return rc ?: fdt_end_node(fdt);
}

static int device_interrupts(void *fdt, const uint32_t *lines, unsigned n)
{
	fdt32_t cells[32];
	unsigned k = 0;
	for (; k < n && k < 32; k++)
		cells[k] = cpu_to_fdt32(lines[k]);
	int rc = fdt_property_u32(fdt, "interrupt-parent", IRQC_DT_GUEST_PHANDLE);
	if (rc)
		return rc;
	return fdt_property(fdt, "interrupts", cells, (int)(4 * k));
}

int plic_dt_read_host(const void *fdt, int node, struct host_platform *p, char *err, size_t errlen);

const struct irqc_dt_ops plic_dt_ops = {
	.host_what = "host PLIC", .guest_what = "virtual PLIC",
	.host_node = host_node, .read_host = plic_dt_read_host, .guest_node = guest_node,
	.guest_node_name = guest_node_name, .device_interrupts = device_interrupts,
};
