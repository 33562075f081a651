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

/* The running core's struct pcpu, kept in tp while tessera runs. */
static inline struct pcpu *arch_this_pcpu(void)
{
	struct pcpu *p;
	__asm__ volatile("mv %0, tp" : "=r"(p));
	return p;
}

static inline void arch_relax(void)
{
	__asm__ volatile(".insn i 0x0f, 0, x0, x0, 0x010" ::: "memory");  /* Zihintpause pause */
}

#include "core/arch.h"   /* the hooks this architecture implements */

#endif
