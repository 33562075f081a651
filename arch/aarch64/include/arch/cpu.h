/*
 * What core/ needs inline from the architecture (the running core's struct
 * pcpu, a pause); the hooks themselves are declared by core/, in core/arch.h.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pcpu;

/* The running core's struct pcpu, kept in TPIDR_EL2 while tessera runs. */
static inline struct pcpu *arch_this_pcpu(void)
{
	struct pcpu *p;
	__asm__ volatile("mrs %0, tpidr_el2" : "=r"(p));
	return p;
}

static inline void arch_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

#include "core/arch.h"   /* the hooks this architecture implements */

#endif
