/*
 * Interrupts of passed-through devices: which host controller sources a VM owns and
 * the line of its virtual controller each one becomes. Computed once from the host tree
 * and the VM config; the guest DTB builder and the router use the same map.
 */
#ifndef PARTITION_IRQMAP_H
#define PARTITION_IRQMAP_H
#include <stddef.h>
#include <stdint.h>
#include "partition/vmconfig.h"

#define IRQMAP_MAX 31   /* lines 1..31 */

struct irqmap_entry {
	uint32_t host;     /* host controller source */
	uint32_t virq;     /* the VM's line */
	unsigned dev;      /* index in cfg->devices */
};

struct irqmap {
	unsigned n;
	struct irqmap_entry e[IRQMAP_MAX];
};

/*
 * Fill m for cfg's passthrough devices. `taken` has bit s set for lines
 * already used (the emulated UART); `nsources` bounds the lines
 * (1..nsources-1). A host source keeps its number when free, else
 * gets the lowest free one. 0, or negative with "file: devices[i]...: why".
 */
int irqmap_build(const void *host_fdt, const struct vmcfg *cfg, uint32_t taken, unsigned nsources,
		 struct irqmap *m, char *err, size_t errlen);

/* The lines of device dev, in the order of its host interrupts: count written. */
unsigned irqmap_of_device(const struct irqmap *m, unsigned dev, uint32_t *virq, unsigned max);
/* The one host-controller source of the host node at path (tessera's console UART); 0 if not exactly one. */
uint32_t irqmap_host_source(const void *fdt, const char *path);
#endif
