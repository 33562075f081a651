/*
 * The /cpus node of a RISC-V guest tree (partition/guestdt.h's
 * guestdt_cpus): each vCPU's ISA as isa_for_guest allows, its MMU type and
 * its local interrupt controller. Portable C, built for the host tests too.
 */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "partition/guestdt.h"

/*
 * A vCPU's extensions, both ways a kernel may read them: riscv,isa (older
 * kernels) and riscv,isa-base + riscv,isa-extensions (newer ones). Only what
 * isa_for_guest() allows is named.
 */
static int cpu_isa(void *fdt, const struct isa *g)
{
	char isa[256], list[256];
	size_t n = 0;
	if (isa_format(g, isa, sizeof(isa)) >= sizeof(isa))
		return -FDT_ERR_NOSPACE;
	for (int e = 0; e < ISA_NEXT; e++) {
		if (!isa_has(g, (enum isa_ext)e))
			continue;
		size_t k = strlen(isa_name((enum isa_ext)e)) + 1;
		if (n + k > sizeof(list))
			return -FDT_ERR_NOSPACE;
		memcpy(list + n, isa_name((enum isa_ext)e), k);
		n += k;
	}
	int rc = fdt_property_string(fdt, "riscv,isa", isa);
	rc = rc ?: fdt_property_string(fdt, "riscv,isa-base", g->xlen == 32 ? "rv32i" : "rv64i");
	return rc ?: fdt_property(fdt, "riscv,isa-extensions", list, (int)n);
}

int guestdt_cpus(void *fdt, const struct guestdt_params *p)
{
	char name[24];
	struct isa g = isa_for_guest(p->host_isa, p->sstc);
	g.ext |= p->host_isa->ext & p->irqc.isa_ext;   /* what its interrupt controller brings */
	int rc = fdt_begin_node(fdt, "cpus");
	rc = rc ?: fdt_property_u32(fdt, "#address-cells", 1);
	rc = rc ?: fdt_property_u32(fdt, "#size-cells", 0);
	rc = rc ?: fdt_property_u32(fdt, "timebase-frequency", (uint32_t)p->timebase_hz);
	for (uint32_t i = 0; i < p->cfg->vcpus && !rc; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		rc = fdt_begin_node(fdt, name);
		rc = rc ?: fdt_property_string(fdt, "device_type", "cpu");
		rc = rc ?: fdt_property_u32(fdt, "reg", i);
		rc = rc ?: fdt_property_string(fdt, "status", "okay");
		rc = rc ?: fdt_property_string(fdt, "compatible", "riscv");
		rc = rc ?: cpu_isa(fdt, &g);
		if (p->mmu_type)
			rc = rc ?: fdt_property_string(fdt, "mmu-type", p->mmu_type);
		rc = rc ?: fdt_begin_node(fdt, "interrupt-controller");
		rc = rc ?: fdt_property_u32(fdt, "#interrupt-cells", 1);
		rc = rc ?: fdt_property(fdt, "interrupt-controller", "", 0);
		rc = rc ?: fdt_property_string(fdt, "compatible", "riscv,cpu-intc");
		rc = rc ?: fdt_property_u32(fdt, "phandle", i + 1);
		rc = rc ?: fdt_end_node(fdt);
		rc = rc ?: fdt_end_node(fdt);
	}
	return rc ?: fdt_end_node(fdt);
}

