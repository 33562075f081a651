/* The state of a VM's virtual interrupt controller, held in struct vm (core/irqc.h). */
#ifndef ARCH_IRQC_H
#define ARCH_IRQC_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Virtual PLIC (irqc/vplic.c): sources 1..31, one S-mode context per vCPU. */
#define VPLIC_SOURCES 32
struct virqc {
	atomic_flag lock;            /* the VM's own: its vCPUs on any core */
	bool present;
	uint32_t priority[VPLIC_SOURCES];
	uint32_t pending, claimed, level;
	uint32_t enable[8], threshold[8];
	uint32_t hw;                 /* sources that carry host interrupts */
};
#endif
