/*
 * AArch64 guest context. core/ treats struct arch_vcpu as opaque storage and
 * drives it only through the hooks of core/arch.h. The world switch, the
 * EL1 system registers and the timer come with the vCPU code (docs/aarch64.md):
 * what is here is the state that code will fill.
 */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include "core/exit.h"

struct arch_vcpu {
	uint64_t x[31];
	uint64_t sp_el1, elr_el2, spsr_el2;
	uint64_t esr_el2, far_el2, hpfar_el2;   /* last trap */
};

/* Per-VM arch state: the stage-2 root and what goes into VTTBR_EL2. */
struct arch_vm {
	uint64_t vttbr;
	uintptr_t root;
	bool shared_vmid;
};

/* A trapped access to emulate (ESR_EL2's data abort syndrome). */
struct mmio_access {
	bool write, sign;
	unsigned width;   /* bytes */
	unsigned reg;     /* the register transferred (31: xzr) */
};

enum arch_irq { ARCH_VIRQ_SOFT = 1u << 0, ARCH_VIRQ_TIMER = 1u << 1, ARCH_VIRQ_EXT = 1u << 2 };

static inline void arch_vcpu_skip_insn(struct arch_vcpu *a) { a->elr_el2 += 4; }
/* The guest's timer is the generic timer's virtual one: always in hardware. */
static inline bool arch_vm_timer_in_hw(const struct arch_vm *vm) { (void)vm; return true; }
static inline unsigned long arch_vcpu_pc(const struct arch_vcpu *a) { return a->elr_el2; }

/* What a guest's remote fence asks of one core (arch_rfence). */
enum arch_rfence_kind { ARCH_RFENCE_I = 1u << 0, ARCH_RFENCE_VS_TLB = 1u << 1 };
#include "core/arch.h"   /* the hooks this architecture implements */
#endif
