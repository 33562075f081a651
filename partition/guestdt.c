/* Guest device tree generation: see guestdt.h. */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "partition/guestdt.h"
#include "partition/hostdt.h"

static int reg_pair(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };
	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int memory(void *fdt, const struct vmcfg *c)
{
	char name[32];
	int rc = 0;
	for (unsigned i = 0; i < c->nmem && !rc; i++) {
		snprintf(name, sizeof(name), "memory@%lx", (unsigned long)c->mem[i].gpa);
		rc = fdt_begin_node(fdt, name);
		rc = rc ?: fdt_property_string(fdt, "device_type", "memory");
		rc = rc ?: reg_pair(fdt, c->mem[i].gpa, c->mem[i].size);
		rc = rc ?: fdt_end_node(fdt);
	}
	return rc;
}

static void uart_path(const struct guestdt_params *p, char *buf, size_t len)
{
	snprintf(buf, len, "/soc/serial@%lx", (unsigned long)p->uart_gpa);
}

/* The VM's interrupt controller: the controller writes its own node. */
static int irqc_node(void *fdt, const struct guestdt_params *p)
{
	struct irqc_dt_guest g = p->irqc;
	g.nvcpus = p->cfg->vcpus;
	return irqc_dt_guest_node(fdt, &g);
}

/* Properties that name other host nodes or host interrupts: not the guest's. */
static bool host_only(const char *name)
{
	static const char *const drop[] = { "interrupts", "interrupt-parent", "interrupts-extended",
					    "clocks", "clock-names", "resets", "reset-names", "dmas",
					    "dma-names", "power-domains", "phandle", "linux,phandle",
					    "iommus", "msi-parent", NULL };
	for (int i = 0; drop[i]; i++)
		if (!strcmp(name, drop[i]))
			return true;
	return !strncmp(name, "pinctrl-", 8);
}

/* reg of the host node, re-encoded with the guest /soc's 2+2 cells. */
static int copy_reg(void *fdt, const void *host, int node, const fdt32_t *reg, int len)
{
	int parent = hostdt_parent_offset(host, node);
	int ac = fdt_address_cells(host, parent), sc = fdt_size_cells(host, parent);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2 || len % ((ac + sc) * 4))
		return -FDT_ERR_BADNCELLS;
	fdt64_t out[2 * 8];
	int n = 0;
	for (int i = 0; i < len / 4 && n < 16; i += ac + sc) {
		uint64_t base = 0, size = 0;
		for (int k = 0; k < ac; k++)
			base = (base << 32) | fdt32_ld(&reg[i + k]);
		for (int k = 0; k < sc; k++)
			size = (size << 32) | fdt32_ld(&reg[i + ac + k]);
		out[n++] = cpu_to_fdt64(base);
		out[n++] = cpu_to_fdt64(size);
	}
	return fdt_property(fdt, "reg", out, n * 8);
}

/* What else in the guest's /soc is named `name`, or NULL: an earlier device's node
 * (two paths can name one host node: "/soc/rtc", "/soc/rtc@101000/"), the
 * emulated UART or the VM's interrupt controller. `what` holds the answer. */
static const char *soc_name_user(const struct guestdt_params *p, unsigned dev, const char *name,
				 char *what, size_t len)
{
	char own[40];
	for (unsigned j = 0; j < dev; j++) {
		int other = p->cfg->devices[j].kind == VMCFG_DEV_PASSTHROUGH ?
			    hostdt_path_offset(p->host_fdt, p->cfg->devices[j].path) : -1;
		const char *taken = other >= 0 ? fdt_get_name(p->host_fdt, other, NULL) : NULL;
		if (taken && !strcmp(taken, name)) {
			snprintf(what, len, "devices[%u]", j);
			return what;
		}
	}
	snprintf(own, sizeof(own), "serial@%lx", (unsigned long)p->uart_gpa);
	if (p->uart_gpa && !strcmp(own, name))
		return "the emulated console UART";
	irqc_dt_guest_node_name(&p->irqc, own, sizeof(own));
	if (p->irqc.size && !strcmp(own, name)) {
		snprintf(what, len, "the %s", irqc_dt_guest_what(p->irqc.model));
		return what;
	}
	return NULL;
}

/* A device passed through: the host's node, minus what points at the host. */
static int passthrough_node(void *fdt, const struct guestdt_params *p, unsigned dev,
			    char *err, size_t errlen)
{
	const char *path = p->cfg->devices[dev].path;
	const void *host = p->host_fdt;
	int node = hostdt_path_offset(host, path), prop, rc;
	if (node < 0)
		return node;
	const char *nodename = fdt_get_name(host, node, &rc);
	if (!nodename)
		return rc;
	char what[48];
	const char *user = soc_name_user(p, dev, nodename, what, sizeof(what));
	if (user) {
		snprintf(err, errlen, "%s: devices[%u].passthrough: %s: its node %s would have the "
			 "name of %s in the guest's /soc", p->cfg->file, dev, path, nodename, user);
		return -FDT_ERR_EXISTS;
	}
	if ((rc = fdt_begin_node(fdt, nodename)))
		return rc;
	fdt_for_each_property_offset(prop, host, node) {
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(host, prop, &name, &len);
		if (!val || host_only(name))
			continue;
		rc = !strcmp(name, "reg") ? copy_reg(fdt, host, node, val, len)
					  : fdt_property(fdt, name, val, len);
		if (rc)
			return rc;
	}
	/* its host interrupts, renumbered to lines of the VM's controller */
	uint32_t virq[IRQMAP_MAX];
	unsigned n = p->irqs && p->irqc.size ? irqmap_of_device(p->irqs, dev, virq, IRQMAP_MAX) : 0;
	if (n)
		rc = irqc_dt_device_interrupts(fdt, &p->irqc, virq, n);
	return rc ?: fdt_end_node(fdt);
}

static bool has_passthrough(const struct vmcfg *c)
{
	for (unsigned i = 0; i < c->ndevices; i++)
		if (c->devices[i].kind == VMCFG_DEV_PASSTHROUGH)
			return true;
	return false;
}

/* The emulated PL011's clock, for its "uartclk" and "apb_pclk": fixed, as on QEMU's virt. */
#define UART_CLK_PHANDLE 0x102
static int pl011_clock(void *fdt)
{
	int rc = fdt_begin_node(fdt, "apb-pclk");
	rc = rc ?: fdt_property_string(fdt, "compatible", "fixed-clock");
	rc = rc ?: fdt_property_u32(fdt, "#clock-cells", 0);
	rc = rc ?: fdt_property_u32(fdt, "clock-frequency", 24000000);
	rc = rc ?: fdt_property_string(fdt, "clock-output-names", "clk24mhz");
	rc = rc ?: fdt_property_u32(fdt, "phandle", UART_CLK_PHANDLE);
	return rc ?: fdt_end_node(fdt);
}

/* The emulated console UART, its interrupt through the VM's controller; passed-through devices. */
static int soc(void *fdt, const struct guestdt_params *p, char *err, size_t errlen)
{
	char name[40];
	bool pass = p->host_fdt && has_passthrough(p->cfg);
	if (!p->uart_gpa && !pass && !p->irqc.always)
		return 0;
	int rc = fdt_begin_node(fdt, "soc");
	rc = rc ?: fdt_property_u32(fdt, "#address-cells", 2);
	rc = rc ?: fdt_property_u32(fdt, "#size-cells", 2);
	rc = rc ?: fdt_property_string(fdt, "compatible", "simple-bus");
	rc = rc ?: fdt_property(fdt, "ranges", "", 0);
	for (unsigned i = 0; pass && i < p->cfg->ndevices && !rc; i++)
		if (p->cfg->devices[i].kind == VMCFG_DEV_PASSTHROUGH)
			rc = passthrough_node(fdt, p, i, err, errlen);
	if (p->irqc.size)
		rc = rc ?: irqc_node(fdt, p);
	if (rc || !p->uart_gpa)
		return rc ?: fdt_end_node(fdt);
	snprintf(name, sizeof(name), "serial@%lx", (unsigned long)p->uart_gpa);
	rc = p->uart_pl011 ? pl011_clock(fdt) : 0;
	rc = rc ?: fdt_begin_node(fdt, name);
	if (p->uart_pl011) {
		/* Linux's AMBA bus reads the PrimeCell id and wants the bus clock by name */
		static const char compat[] = "arm,pl011\0arm,primecell";
		static const char clock_names[] = "uartclk\0apb_pclk";
		const uint32_t clocks[2] = { cpu_to_fdt32(UART_CLK_PHANDLE), cpu_to_fdt32(UART_CLK_PHANDLE) };
		rc = rc ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
		rc = rc ?: reg_pair(fdt, p->uart_gpa, 0x1000);
		rc = rc ?: fdt_property(fdt, "clocks", clocks, sizeof(clocks));
		rc = rc ?: fdt_property(fdt, "clock-names", clock_names, sizeof(clock_names));
	} else {
		rc = rc ?: fdt_property_string(fdt, "compatible", "ns16550a");
		rc = rc ?: reg_pair(fdt, p->uart_gpa, 0x100);
		rc = rc ?: fdt_property_u32(fdt, "clock-frequency", 3686400);
	}
	if (p->irqc.size)
		rc = rc ?: irqc_dt_device_interrupts(fdt, &p->irqc, &p->uart_irq, 1);
	rc = rc ?: fdt_end_node(fdt);
	return rc ?: fdt_end_node(fdt);
}

static int chosen(void *fdt, const struct guestdt_params *p)
{
	char path[48];
	int rc = fdt_begin_node(fdt, "chosen");
	rc = rc ?: fdt_property_u32(fdt, "tessera,boot-count", p->boot_count);
	if (p->uart_gpa) {
		uart_path(p, path, sizeof(path));
		rc = rc ?: fdt_property_string(fdt, "stdout-path", path);
	} else if (p->host_stdout && p->host_fdt) {
		/* the host's console UART passed through: it is the guest's console */
		for (unsigned i = 0; i < p->cfg->ndevices; i++)
			if (p->cfg->devices[i].kind == VMCFG_DEV_PASSTHROUGH &&
			    !strcmp(p->cfg->devices[i].path, p->host_stdout)) {
				const char *leaf = strrchr(p->host_stdout, '/');
				snprintf(path, sizeof(path), "/soc%s", leaf ? leaf : "");
				rc = rc ?: fdt_property_string(fdt, "stdout-path", path);
			}
	}
	if (p->cfg->bootargs[0])
		rc = rc ?: fdt_property_string(fdt, "bootargs", p->cfg->bootargs);
	if (p->initrd_size) {
		rc = rc ?: fdt_property_u64(fdt, "linux,initrd-start", p->layout->initrd_gpa);
		rc = rc ?: fdt_property_u64(fdt, "linux,initrd-end", p->layout->initrd_gpa + p->initrd_size);
	}
	return rc ?: fdt_end_node(fdt);
}

int guestdt_build(void *buf, size_t size, const struct guestdt_params *p, char *err, size_t errlen)
{
	char model[64];
	snprintf(model, sizeof(model), "tessera VM %s", p->cfg->name);
	int rc = fdt_create(buf, (int)size);
	rc = rc ?: fdt_finish_reservemap(buf);
	rc = rc ?: fdt_begin_node(buf, "");
	rc = rc ?: fdt_property_u32(buf, "#address-cells", 2);
	rc = rc ?: fdt_property_u32(buf, "#size-cells", 2);
	rc = rc ?: fdt_property_string(buf, "compatible", "tessera,vm");
	rc = rc ?: fdt_property_string(buf, "model", model);
	rc = rc ?: chosen(buf, p);
	rc = rc ?: guestdt_cpus(buf, p);
	rc = rc ?: memory(buf, p->cfg);
	rc = rc ?: soc(buf, p, err, errlen);
	rc = rc ?: fdt_end_node(buf);
	rc = rc ?: fdt_finish(buf);
	if (rc == -FDT_ERR_EXISTS)   /* soc() has said which device */
		return -1;
	if (rc) {
		snprintf(err, errlen, "%s: dtb: cannot generate the guest device tree: %s", p->cfg->file,
			 fdt_strerror(rc));
		return -1;
	}
	return 0;
}
