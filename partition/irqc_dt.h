/*
 * The device-tree side of the interrupt controller (docs/irqc.md). partition/
 * asks the controller for what concerns it and never names one itself: each
 * controller implements this in portable C under arch/<arch>/irqc/ (built
 * into the host tests and tools too). A host tree has at most one controller
 * tessera drives; its model (a number the arch gives) also says which
 * virtual controller VMs get.
 */
#ifndef PARTITION_IRQC_DT_H
#define PARTITION_IRQC_DT_H
#include <stddef.h>
#include <stdint.h>

struct host_platform;

/* The model of the host tree's controller; 0: none tessera drives. */
unsigned irqc_dt_model(const void *fdt);
/* How messages name the host's controller and a VM's virtual one, by model. */
const char *irqc_dt_host_what(unsigned model);
const char *irqc_dt_guest_what(unsigned model);
/* Fill p->irqc from the host tree (absent: present false); 0, or negative with a message. */
int irqc_dt_read_host(const void *fdt, struct host_platform *p, char *err, size_t errlen);
/* The host tree's controller whose sources tessera routes (devices' interrupt parent); negative: none. */
int irqc_dt_host_node(const void *fdt);
/* The host source an interrupt specifier of `cells` big-endian cells names; 0: none tessera routes. */
uint32_t irqc_dt_source(const void *spec, uint32_t cells);

/* A VM's virtual controller as its generated tree shows it (the arch fills it: virqc_describe). */
struct irqc_dt_guest {
	unsigned model;
	uint64_t gpa, size;       /* size 0: the VM has none */
	uint32_t nvcpus;
	uint32_t lines;           /* lines 1 .. lines - 1 */
	uint64_t files_gpa;       /* per-vCPU interrupt files (one page each), 0: none */
	uint32_t file_ids;        /* interrupt identities 1 .. file_ids of each file */
	uint64_t isa_ext;         /* ISA extensions it brings (partition/isa.h bits): the cpus list them */
	bool always;              /* its node is written even for a VM with no device lines (Arm: the timer's) */
};
#define IRQC_DT_GUEST_PHANDLE 0x100   /* the node devices name as interrupt parent */
#define IRQC_DT_FILES_PHANDLE 0x101   /* the interrupt files' node, if any */

/* Its nodes, inside /soc. */
int irqc_dt_guest_node(void *fdt, const struct irqc_dt_guest *g);
/* The name of the node devices point at (a passed-through node may not take it). */
void irqc_dt_guest_node_name(const struct irqc_dt_guest *g, char *buf, size_t len);
/* interrupt-parent and interrupts of a device whose lines are lines[0..n-1] (n > 0). */
int irqc_dt_device_interrupts(void *fdt, const struct irqc_dt_guest *g, const uint32_t *lines, unsigned n);
#endif
