/*
 * RISC-V guest context. core/ treats struct arch_vcpu as opaque storage and
 * drives it only through the functions below.
 */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>
#include "core/exit.h"
#include <arch/insn.h>
#include <arch/csr.h>
#endif

/* Offsets used by guest.S and trap.S. */
#define AVCPU_GPR(n)    ((n) * 8)
#define AVCPU_PC        (32 * 8)
#define AVCPU_SSTATUS   (33 * 8)
#define AVCPU_HSTATUS   (34 * 8)
#define AVCPU_HOST_SP   (35 * 8)
#define AVCPU_SCAUSE    (36 * 8)
#define AVCPU_STVAL     (37 * 8)
#define AVCPU_HTVAL     (38 * 8)
#define AVCPU_HTINST    (39 * 8)

#ifndef __ASSEMBLY__

/*
 * VS-level state that stays in the CSRs while the vCPU is loaded on its core;
 * scounteren and senvcfg have no VS copy (a guest in VS-mode writes the
 * hart's own), so they are switched with the rest.
 */
struct arch_vs_csrs {
	unsigned long vsstatus, vsie, vstvec, vsscratch, vsepc, vscause, vstval, vsatp;
	unsigned long hvip, vstimecmp;
	unsigned long scounteren, senvcfg;
	unsigned long vsiselect;   /* with an interrupt file (guest or software) only */
};

struct arch_vcpu {
	unsigned long gpr[32];     /* gpr[0] unused */
	unsigned long pc, sstatus, hstatus, host_sp;
	unsigned long scause, stval, htval, htinst;   /* last trap */
	struct arch_vs_csrs vs;
	uint64_t fp[33];           /* f0-f31, fcsr: saved only when another vCPU takes the core */
	bool fp_saved;             /* fp[] is to be loaded: after a put, and at reset (zeros) */
	/* Its guest interrupt file on its hart (AIA), kept across resets; 0: none (irqc/imsic.c). */
	uint8_t vgein;
	bool sw_file;              /* none left on its hart: a software one (irqc/vimsic.c) */
	uint16_t file_ids;
	/*
	 * The last load or store decoded (arch_mmio_decode): a decode is a pure
	 * function of htinst and the instruction word, and a guest loop
	 * polling a device traps on the same one again and again.
	 */
	struct {
		unsigned long htinst, insn;
		struct mmio_access m;
		bool valid;
	} mmio_memo;
};

/* Per-VM arch state: the G-stage root and what goes into hgatp. */
struct arch_vm {
	unsigned long hgatp;
	uintptr_t root;            /* host physical address of the 16 KiB root table */
	bool sstc;                 /* guest gets Sstc (henvcfg.STCE) */
	bool shared_vmid;          /* past the hart's VMIDs: VMID 0, fenced on every switch to it */
};

enum arch_irq { ARCH_VIRQ_SOFT = 1u << 0, ARCH_VIRQ_TIMER = 1u << 1, ARCH_VIRQ_EXT = 1u << 2 };

static inline void arch_vcpu_skip_insn(struct arch_vcpu *a) { a->pc += 4; }
/* The guest's timer runs in hardware (Sstc), not emulated by tessera. */
static inline bool arch_vm_timer_in_hw(const struct arch_vm *vm) { return vm->sstc; }
static inline unsigned long arch_vcpu_pc(const struct arch_vcpu *a) { return a->pc; }

/* What a guest's remote fence asks of one core (arch_rfence). */
enum arch_rfence_kind { ARCH_RFENCE_I = 1u << 0, ARCH_RFENCE_VS_TLB = 1u << 1 };

/*
 * The guest's own timer never comes to tessera as a host device's
 * interrupt (it is VSTIP, or tessera's own timer without Sstc): a device's
 * interrupt may be served on the short trap path (core/exit.c).
 */
#define ARCH_HOST_IRQ_CARRIES_GUEST_TIMER 0

void arch_vcpu_decode_trap(const struct arch_vcpu *a, struct vcpu_exit *e);
/*
 * The two most frequent exits decoded in place: an SBI call (its handler
 * reads the registers) and the core's timer; the rest in vcpu.c.
 */
static inline void arch_vcpu_decode_exit(const struct arch_vcpu *a, struct vcpu_exit *e)
{
	if (__builtin_expect(a->scause == 10, 1)) {
		e->reason = EXIT_HYPERCALL;
		e->cause = 10;
		e->pc = a->pc;
		e->what = "ecall from VS-mode";
		return;
	}
	if (a->scause == (SCAUSE_INTERRUPT | 5)) {
		e->reason = EXIT_EXTERNAL_IRQ;
		e->irq = HOST_IRQ_TIMER;
		e->cause = a->scause;
		e->pc = a->pc;
		e->what = "interrupt";
		return;
	}
	arch_vcpu_decode_trap(a, e);
}
#include "core/arch.h"   /* the hooks this architecture implements */
#endif
#endif
