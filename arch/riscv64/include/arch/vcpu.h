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
};

struct arch_vcpu {
	unsigned long gpr[32];     /* gpr[0] unused */
	unsigned long pc, sstatus, hstatus, host_sp;
	unsigned long scause, stval, htval, htinst;   /* last trap */
	struct arch_vs_csrs vs;
	uint64_t fp[33];           /* f0-f31, fcsr: saved only when another vCPU takes the core */
	bool fp_saved;             /* fp[] is to be loaded: after a put, and at reset (zeros) */
};

/* Per-VM arch state: the G-stage root and what goes into hgatp. */
struct arch_vm {
	unsigned long hgatp;
	uintptr_t root;            /* host physical address of the 16 KiB root table */
	bool sstc;                 /* guest gets Sstc (henvcfg.STCE) */
	bool shared_vmid;          /* past the hart's VMIDs: VMID 0, fenced on every switch to it */
};

enum arch_irq { ARCH_VIRQ_SOFT = 1u << 0, ARCH_VIRQ_TIMER = 1u << 1, ARCH_VIRQ_EXT = 1u << 2 };

void arch_vcpu_reset(struct arch_vcpu *a, uint64_t entry, unsigned long a0, unsigned long a1);
void arch_vcpu_load(struct arch_vcpu *a, const struct arch_vm *vm);
void arch_vcpu_put(struct arch_vcpu *a);
void arch_vcpu_inject(struct arch_vcpu *a, unsigned virqs, bool loaded);
/* The external interrupt line from the VM's interrupt controller (a level, not an event). */
void arch_vcpu_set_ext(struct arch_vcpu *a, bool level, bool loaded);
/* Whether WFI in the guest exits to tessera (else the hart itself waits for an interrupt). */
void arch_vcpu_trap_wfi(struct arch_vcpu *a, bool trap);
bool arch_vcpu_irq_pending(const struct arch_vcpu *a, bool loaded, uint64_t now);
uint64_t arch_vcpu_timer_deadline(const struct arch_vcpu *a, bool loaded);
/* The guest's timer deadline when tessera must serve it (no timer in hardware: no Sstc); else UINT64_MAX. */
uint64_t arch_vcpu_emulated_deadline(const struct arch_vcpu *a, const struct arch_vm *vm);
bool arch_vcpu_timer_check(struct arch_vcpu *a);
void arch_guest_enter(struct arch_vcpu *a);
void arch_vcpu_decode_exit(const struct arch_vcpu *a, struct vcpu_exit *e);
/* The guest sees an illegal-instruction exception at its pc (vCPU must be loaded). */
void arch_vcpu_inject_illegal(struct arch_vcpu *a, unsigned long insn);
/* A trapped load or store to emulate (mmio.c, insn.c): 0, or negative (arch_mmio_strerror). */
int arch_mmio_decode(const struct arch_vcpu *a, struct mmio_access *m);
const char *arch_mmio_strerror(int rc);
bool arch_read_guest_insn(unsigned long pc, unsigned long *insn);
uint64_t arch_mmio_store_value(const struct arch_vcpu *a, const struct mmio_access *m);
void arch_mmio_complete(struct arch_vcpu *a, const struct mmio_access *m, uint64_t loaded);
static inline void arch_vcpu_skip_insn(struct arch_vcpu *a) { a->pc += 4; }
static inline unsigned long arch_vcpu_pc(const struct arch_vcpu *a) { return a->pc; }

/* G-stage (gstage.c) */
typedef uintptr_t (*arch_page_alloc_fn)(void);   /* returns a zeroed 4 KiB page or 0 */
int arch_vm_init(struct arch_vm *vm, unsigned vmid, uintptr_t root16k);
int arch_vm_map(struct arch_vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, bool exec,
		arch_page_alloc_fn alloc);
int arch_vm_translate(const struct arch_vm *vm, uint64_t gpa, uint64_t *hpa);
void arch_flush_guest_tlb(void);
/* What a guest's remote fence asks of one core (arch_rfence). */
enum arch_rfence_kind { ARCH_RFENCE_I = 1u << 0, ARCH_RFENCE_VS_TLB = 1u << 1 };
/* The fences on this core for the VM: instruction fetch, and its VS-stage translations. */
void arch_rfence(const struct arch_vm *vm, unsigned kinds);
#endif
#endif
