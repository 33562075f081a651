/*
 * The AIA in device trees (partition/irqc_dt.h): finding the host's (an
 * APLIC domain in MSI mode whose messages go to the supervisor-level IMSIC),
 * and a VM's nodes in its generated tree: "riscv,imsics" with one interrupt
 * file page per vCPU, wired to that vCPU's cpu-intc, and "riscv,aplic" whose
 * msi-parent it is, two interrupt cells (source, trigger). Reading the
 * host's: aia_hostdt.c.
 */
#include <stdio.h>
#include <libfdt.h>
#include "arch/riscv64/irqc/models.h"
#include "partition/hostdt.h"
#include "partition/vmconfig.h"

#define IRQ_TYPE_LEVEL_HIGH 4   /* every line a VM gets is level-triggered, active high */

int aia_dt_host_files(const void *fdt);
/* The IMSIC whose files signal supervisor external interrupts (cause 9): tessera's level. */
int aia_dt_host_files(const void *fdt)
{
	int node = -1, len;
	while ((node = hostdt_node_by_compatible(fdt, node, "riscv,imsics")) >= 0) {
		const fdt32_t *ext = fdt_getprop(fdt, node, "interrupts-extended", &len);
		if (ext && len >= 8 && fdt32_ld(&ext[1]) == 9)
			return node;
	}
	return -FDT_ERR_NOTFOUND;
}

/* The APLIC domain that sends its interrupts to those files. */
static int host_node(const void *fdt)
{
	int files = aia_dt_host_files(fdt), node = -1, len;
	if (files < 0)
		return files;
	uint32_t ph = fdt_get_phandle(fdt, files);
	while ((node = hostdt_node_by_compatible(fdt, node, "riscv,aplic")) >= 0) {
		const fdt32_t *parent = fdt_getprop(fdt, node, "msi-parent", &len);
		if (ph && parent && len >= 4 && fdt32_ld(parent) == ph)
			return node;
	}
	return -FDT_ERR_NOTFOUND;
}

static void guest_node_name(const struct irqc_dt_guest *g, char *buf, size_t len)
{
	snprintf(buf, len, "aplic@%lx", (unsigned long)g->gpa);
}

static int files_node(void *fdt, const struct irqc_dt_guest *g)
{
	char name[40];
	fdt32_t ext[2 * VMCFG_MAX_VCPUS];
	fdt64_t reg[2] = { cpu_to_fdt64(g->files_gpa), cpu_to_fdt64(0x1000ull * g->nvcpus) };
	uint32_t n = 0;
	for (; n < g->nvcpus && n < VMCFG_MAX_VCPUS; n++) {
		ext[2 * n] = cpu_to_fdt32(n + 1);    /* phandle of cpu@n's interrupt-controller */
		ext[2 * n + 1] = cpu_to_fdt32(9);    /* supervisor external interrupt */
	}
	static const char compat[] = "riscv,imsics";
	snprintf(name, sizeof(name), "imsics@%lx", (unsigned long)g->files_gpa);
	int rc = fdt_begin_node(fdt, name);
	rc = rc ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
	rc = rc ?: fdt_property(fdt, "reg", reg, sizeof(reg));
	rc = rc ?: fdt_property_u32(fdt, "#interrupt-cells", 0);
	rc = rc ?: fdt_property(fdt, "interrupt-controller", "", 0);
	rc = rc ?: fdt_property(fdt, "msi-controller", "", 0);
	rc = rc ?: fdt_property(fdt, "interrupts-extended", ext, (int)(8 * n));
	rc = rc ?: fdt_property_u32(fdt, "riscv,num-ids", g->file_ids);
	rc = rc ?: fdt_property_u32(fdt, "phandle", IRQC_DT_FILES_PHANDLE);
	return rc ?: fdt_end_node(fdt);
}

static int guest_node(void *fdt, const struct irqc_dt_guest *g)
{
	char name[40];
	fdt64_t reg[2] = { cpu_to_fdt64(g->gpa), cpu_to_fdt64(g->size) };
	static const char compat[] = "riscv,aplic";
	int rc = files_node(fdt, g);
	guest_node_name(g, name, sizeof(name));
	rc = rc ?: fdt_begin_node(fdt, name);
	rc = rc ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
	rc = rc ?: fdt_property(fdt, "reg", reg, sizeof(reg));
	rc = rc ?: fdt_property_u32(fdt, "#address-cells", 0);
	rc = rc ?: fdt_property_u32(fdt, "#interrupt-cells", 2);
	rc = rc ?: fdt_property(fdt, "interrupt-controller", "", 0);
	rc = rc ?: fdt_property_u32(fdt, "msi-parent", IRQC_DT_FILES_PHANDLE);
	rc = rc ?: fdt_property_u32(fdt, "riscv,num-sources", g->lines - 1);
	rc = rc ?: fdt_property_u32(fdt, "phandle", IRQC_DT_GUEST_PHANDLE);
	return rc ?: fdt_end_node(fdt);
}

static int device_interrupts(void *fdt, const uint32_t *lines, unsigned n)
{
	fdt32_t cells[2 * 16];
	unsigned k = 0;
	for (; k < n && k < 16; k++) {
		cells[2 * k] = cpu_to_fdt32(lines[k]);
		cells[2 * k + 1] = cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH);
	}
	int rc = fdt_property_u32(fdt, "interrupt-parent", IRQC_DT_GUEST_PHANDLE);
	return rc ?: fdt_property(fdt, "interrupts", cells, (int)(8 * k));
}

int aia_dt_read_host(const void *fdt, int node, struct host_platform *p, char *err, size_t errlen);

const struct irqc_dt_ops aia_dt_ops = {
	.host_what = "host APLIC", .guest_what = "virtual APLIC",
	.host_node = host_node, .read_host = aia_dt_read_host, .guest_node = guest_node,
	.guest_node_name = guest_node_name, .device_interrupts = device_interrupts,
};
