/*
 * AArch64 guest context. core/ treats struct arch_vcpu as opaque storage and
 * drives it only through the hooks of core/arch.h. The fields guest.S uses
 * come first, at the offsets below (checked in vcpu.c).
 */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#define AVCPU_X(n)     (8 * (n))
#define AVCPU_ELR      248
#define AVCPU_SPSR     256
#define AVCPU_ESR      264
#define AVCPU_FAR      272
#define AVCPU_HPFAR    280
#define AVCPU_KIND     288
#define AVCPU_FP       304   /* q0-q31, then fpsr, fpcr: 16-byte aligned */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>
#include "core/exit.h"

/* The EL1 system registers a vCPU owns while loaded (vcpu.c saves and restores them). */
enum el1_reg {
	EL1_SCTLR, EL1_TTBR0, EL1_TTBR1, EL1_TCR, EL1_MAIR, EL1_AMAIR, EL1_VBAR, EL1_CONTEXTIDR,
	EL1_TPIDR, EL1_TPIDR_EL0, EL1_TPIDRRO_EL0, EL1_SP_EL0, EL1_SP_EL1, EL1_ELR, EL1_SPSR,
	EL1_ESR, EL1_FAR, EL1_AFSR0, EL1_AFSR1, EL1_PAR, EL1_CPACR, EL1_CSSELR, EL1_CNTKCTL,
	EL1_MDSCR, EL1_CNTV_CTL, EL1_CNTV_CVAL, EL1_REGS
};

struct arch_vcpu {
	uint64_t x[31];
	uint64_t elr_el2, spsr_el2;
	uint64_t esr_el2, far_el2, hpfar_el2;   /* the last trap */
	uint64_t kind;                          /* which vector took it (8: sync, 9: irq, 10: fiq, 11: serror) */
	uint64_t pad;
	__uint128_t q[32];
	uint64_t fpsr, fpcr;
	uint64_t el1[EL1_REGS];
	uint64_t hcr, vmpidr;
	uint64_t ich_vmcr, ich_ap1r0;            /* the virtual CPU interface (vgic.c) */
	uint8_t lr_intid[16];                    /* what each list register holds while the guest runs */
	unsigned lrs_used;
};

/* Per-VM arch state: the stage-2 root and what goes into VTTBR_EL2. */
struct arch_vm {
	uint64_t vttbr;
	uintptr_t root;
	bool shared_vmid;
};

/* A trapped access to emulate (ESR_EL2's data abort syndrome). */
struct mmio_access {
	bool write, sign, wide;
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
uint64_t stage2_vtcr(void);
/*
 * The guest's virtual timer fires as a host PPI while the vCPU runs: the
 * run loop injects it from the timer's level at entry. Served on the short
 * trap path it was injected stale, and a guest saw its timer early
 * (a64-hostile-sgi-storm-at-victim-core): host interrupts take the run loop.
 */
#define ARCH_HOST_IRQ_CARRIES_GUEST_TIMER 1

void arch_vcpu_decode_trap(const struct arch_vcpu *a, struct vcpu_exit *e);
static inline void arch_vcpu_decode_exit(const struct arch_vcpu *a, struct vcpu_exit *e) { arch_vcpu_decode_trap(a, e); }
#include "core/arch.h"   /* the hooks this architecture implements */
#endif
#endif
