/*
 * The device-tree side of the interrupt controller (docs/irqc.md). partition/
 * asks the controller for what concerns it and never names one itself: each
 * controller implements this in portable C under arch/<arch>/irqc/ (built
 * into the host tests and tools too).
 */
#ifndef PARTITION_IRQC_DT_H
#define PARTITION_IRQC_DT_H
#include <stddef.h>
#include <stdint.h>

/* How messages name the host's controller and a VM's virtual one. */
extern const char irqc_dt_host_what[], irqc_dt_guest_what[];

struct host_platform;
/* Fill p->irqc from the host tree (absent: present false); 0, or negative with a message. */
int irqc_dt_read_host(const void *fdt, struct host_platform *p, char *err, size_t errlen);
/* The host tree's controller whose sources tessera routes; negative: none. */
int irqc_dt_host_node(const void *fdt);

/* A VM's virtual controller as its generated tree shows it. */
struct irqc_dt_guest {
	uint64_t gpa, size;       /* size 0: the VM has none */
	uint32_t nvcpus;
	uint32_t lines;           /* lines 1 .. lines - 1 */
};
#define IRQC_DT_GUEST_PHANDLE 0x100

/* Its node, inside /soc, with phandle IRQC_DT_GUEST_PHANDLE. */
int irqc_dt_guest_node(void *fdt, const struct irqc_dt_guest *g);
/* That node's name (a passed-through node may not take it). */
void irqc_dt_guest_node_name(const struct irqc_dt_guest *g, char *buf, size_t len);
/* interrupt-parent and interrupts of a device whose lines are lines[0..n-1] (n > 0). */
int irqc_dt_device_interrupts(void *fdt, const uint32_t *lines, unsigned n);
#endif
