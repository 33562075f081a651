/* The state of a VM's virtual interrupt controller, held in struct vm (core/irqc.h). */
#ifndef ARCH_IRQC_H
#define ARCH_IRQC_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define VIRQC_LINES 32
#define VIRQC_MAX_VCPUS 8

/* The vGICv3 comes with its own state (docs/aarch64.md). */
struct virqc {
	atomic_flag lock;
	bool present;
	uint32_t hw;                 /* lines that carry host interrupts */
};
#endif
