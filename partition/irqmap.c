/* Interrupt renumbering for passed-through devices: see irqmap.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "partition/hostdt.h"
#include "partition/irqc_dt.h"
#include "partition/irqmap.h"

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* interrupt-parent of node: its own or the nearest ancestor's (phandle), 0 if none. */
static uint32_t interrupt_parent(const void *fdt, int node)
{
	for (; node >= 0; node = hostdt_parent_offset(fdt, node)) {
		int len;
		const fdt32_t *v = fdt_getprop(fdt, node, "interrupt-parent", &len);
		if (v && len == 4)
			return fdt32_ld(v);
	}
	return 0;
}

/* One entry per (device, host source); a line shared by two devices keeps one line of the VM's. */
static int add(struct irqmap *m, uint32_t host, unsigned dev, uint32_t *taken, unsigned nsources)
{
	uint32_t virq = 0;
	for (unsigned i = 0; i < m->n; i++)
		if (m->e[i].host == host) {
			if (m->e[i].dev == dev)
				return 0;
			virq = m->e[i].virq;
		}
	if (!virq && host < nsources && !(*taken & (1u << host)))
		virq = host;
	for (uint32_t s = 1; !virq && s < nsources; s++)
		if (!(*taken & (1u << s)))
			virq = s;
	if (!virq || m->n == IRQMAP_MAX)
		return -1;
	*taken |= 1u << virq;
	m->e[m->n++] = (struct irqmap_entry){ host, virq, dev };
	return 0;
}

/* The host controller's phandle (0: none) and #interrupt-cells; -1 if the cells are out of range. */
static int host_controller(const void *fdt, uint32_t *ph, uint32_t *cells)
{
	int host = irqc_dt_host_node(fdt);
	*ph = host >= 0 ? fdt_get_phandle(fdt, host) : 0;
	const fdt32_t *c = host >= 0 ? fdt_getprop(fdt, host, "#interrupt-cells", NULL) : NULL;
	*cells = c ? fdt32_ld(c) : 1;
	return *cells >= 1 && *cells <= 3 ? 0 : -1;
}

enum { SRC_NOT_HOST = -1, SRC_MALFORMED = -2, SRC_OTHER_IRQC = -3, SRC_ZERO = -4, SRC_TOO_MANY = -5 };

/* The host-controller sources of node, in order: how many (0: it has no interrupts), or SRC_*. */
static int node_sources(const void *fdt, int node, uint32_t host_ph, uint32_t cells,
			uint32_t *src, unsigned max)
{
	int len;
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts-extended", &len);
	int stride = 1 + (int)cells, first = 1;   /* <phandle source ...> */
	if (!irq) {
		irq = fdt_getprop(fdt, node, "interrupts", &len);
		stride = (int)cells;
		first = 0;
		if (!irq)
			return 0;
		if (!host_ph || interrupt_parent(fdt, node) != host_ph)
			return SRC_NOT_HOST;
	}
	if (len <= 0 || len % (4 * stride))
		return SRC_MALFORMED;
	unsigned n = 0;
	for (int i = 0; i < len / 4; i += stride) {
		if (first && (!host_ph || fdt32_ld(&irq[i]) != host_ph))
			return SRC_OTHER_IRQC;
		if (n == max)
			return SRC_TOO_MANY;
		if ((src[n++] = irqc_dt_source(&irq[i + first], cells)) == 0)
			return SRC_ZERO;
	}
	return (int)n;
}

int irqmap_build(const void *fdt, const struct vmcfg *cfg, uint32_t taken, unsigned nsources,
		 struct irqmap *m, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	taken |= 1u;   /* source 0 does not exist */
	if (nsources > 32)
		nsources = 32;
	uint32_t host_ph = 0, cells = 1;
	bool host_looked = false;
	unsigned model = fdt ? irqc_dt_model(fdt) : 0;   /* a whole-tree search: only for VMs with passthrough */
	for (unsigned d = 0; d < cfg->ndevices; d++) {
		const struct vmcfg_device *dev = &cfg->devices[d];
		if (dev->kind != VMCFG_DEV_PASSTHROUGH || !fdt)
			continue;
		if (!host_looked) {
			if (host_controller(fdt, &host_ph, &cells))
				FAIL("%s: #interrupt-cells %u: not 1 to 3", irqc_dt_host_what(model), cells);
			host_looked = true;
		}
		int node = hostdt_path_offset(fdt, dev->path);
		if (node < 0)
			FAIL("%s: devices[%u].passthrough: %s is not in the host device tree", cfg->file,
			     d, dev->path);
		uint32_t src[IRQMAP_MAX + 1];
		int n = node_sources(fdt, node, host_ph, cells, src, IRQMAP_MAX + 1);
		const char *what = irqc_dt_host_what(model);
		switch (n) {
		case SRC_NOT_HOST:
			FAIL("%s: devices[%u].passthrough: %s: its interrupt parent is not the %s; tessera "
			     "can route only its interrupts", cfg->file, d, dev->path, what);
		case SRC_MALFORMED:
			FAIL("%s: devices[%u].passthrough: %s: interrupts is not a list of %s sources",
			     cfg->file, d, dev->path, what);
		case SRC_OTHER_IRQC:
			FAIL("%s: devices[%u].passthrough: %s: interrupts-extended names a controller "
			     "other than the %s", cfg->file, d, dev->path, what);
		case SRC_ZERO:
			FAIL("%s: devices[%u].passthrough: %s: an interrupt names no source of the %s "
			     "tessera routes (source 0, or a kind it does not pass through)",
			     cfg->file, d, dev->path, what);
		case SRC_TOO_MANY:
			FAIL("%s: devices[%u].passthrough: %s: more than %d interrupts", cfg->file, d,
			     dev->path, IRQMAP_MAX);
		}
		for (int i = 0; i < n; i++)
			if (add(m, src[i], d, &taken, nsources))
				FAIL("%s: devices[%u].passthrough: %s: no %s source left for host "
				     "interrupt %u (a VM has %u)", cfg->file, d, dev->path, irqc_dt_guest_what(model),
				     src[i], nsources - 1);
	}
	return 0;
}

uint32_t irqmap_host_source(const void *fdt, const char *path)
{
	uint32_t ph, cells, src[1];
	int node = hostdt_path_offset(fdt, path);
	if (node < 0 || host_controller(fdt, &ph, &cells) || !ph)
		return 0;
	int n = node_sources(fdt, node, ph, cells, src, 1);
	return n == 1 ? src[0] : 0;
}

unsigned irqmap_of_device(const struct irqmap *m, unsigned dev, uint32_t *virq, unsigned max)
{
	unsigned n = 0;
	for (unsigned i = 0; i < m->n && n < max; i++)
		if (m->e[i].dev == dev)
			virq[n++] = m->e[i].virq;
	return n;
}
