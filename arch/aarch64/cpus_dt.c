/*
 * The CPUs of an AArch64 guest tree (partition/guestdt.h's guestdt_cpus):
 * /cpus with each vCPU's MPIDR (its index) started through PSCI, /psci
 * (1.1 over HVC, psci_guest.c) and the generic timer, whose interrupts are
 * PPIs of the VM's GICv3 (the virtual timer: PPI 11, INTID 27). Portable C.
 */
#include <stdio.h>
#include <libfdt.h>
#include "partition/guestdt.h"

#define PPI          1
#define LEVEL_LOW    8     /* the timer's lines, as Arm's bindings give them */
#define ALL_CPUS(n)  (((1u << (n)) - 1) << 8)

static int timer(void *fdt, const struct guestdt_params *p)
{
	uint32_t flags = ALL_CPUS(p->cfg->vcpus > 8 ? 8 : p->cfg->vcpus) | LEVEL_LOW;
	/* secure physical, non-secure physical, virtual, hypervisor: PPIs 13, 14, 11, 10 */
	fdt32_t irq[12] = {
		cpu_to_fdt32(PPI), cpu_to_fdt32(13), cpu_to_fdt32(flags),
		cpu_to_fdt32(PPI), cpu_to_fdt32(14), cpu_to_fdt32(flags),
		cpu_to_fdt32(PPI), cpu_to_fdt32(11), cpu_to_fdt32(flags),
		cpu_to_fdt32(PPI), cpu_to_fdt32(10), cpu_to_fdt32(flags),
	};
	int rc = fdt_begin_node(fdt, "timer");
	rc = rc ?: fdt_property_string(fdt, "compatible", "arm,armv8-timer");
	rc = rc ?: fdt_property_u32(fdt, "interrupt-parent", IRQC_DT_GUEST_PHANDLE);
	rc = rc ?: fdt_property(fdt, "interrupts", irq, sizeof(irq));
	rc = rc ?: fdt_property(fdt, "always-on", "", 0);
	return rc ?: fdt_end_node(fdt);
}

static int psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int rc = fdt_begin_node(fdt, "psci");
	rc = rc ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
	rc = rc ?: fdt_property_string(fdt, "method", "hvc");
	return rc ?: fdt_end_node(fdt);
}

int guestdt_cpus(void *fdt, const struct guestdt_params *p)
{
	char name[24];
	int rc = fdt_begin_node(fdt, "cpus");
	rc = rc ?: fdt_property_u32(fdt, "#address-cells", 1);
	rc = rc ?: fdt_property_u32(fdt, "#size-cells", 0);
	for (uint32_t i = 0; i < p->cfg->vcpus && !rc; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		rc = fdt_begin_node(fdt, name);
		rc = rc ?: fdt_property_string(fdt, "device_type", "cpu");
		rc = rc ?: fdt_property_string(fdt, "compatible", "arm,armv8");
		rc = rc ?: fdt_property_u32(fdt, "reg", i);   /* MPIDR Aff0: arch_vcpu_reset */
		rc = rc ?: fdt_property_string(fdt, "enable-method", "psci");
		rc = rc ?: fdt_end_node(fdt);
	}
	rc = rc ?: fdt_end_node(fdt);
	rc = rc ?: psci(fdt);
	return rc ?: timer(fdt, p);
}
