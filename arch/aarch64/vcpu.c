/*
 * vCPUs on AArch64: reset state, the EL1 half of the world switch (guest.S
 * has the registers), exit decode and the MMIO syndrome. Interrupts come
 * through the VM's virtual GICv3 (irqc/vgic.c), flushed into the list
 * registers on every entry; the guest's timer is its own CNTV.
 */
#include <stddef.h>
#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <arch/vcpu.h>
#include "arch/aarch64/irqc/gicv3.h"
#include "arch/aarch64/irqc/vgic.h"
#include "core/errno.h"
#include "core/pcpu.h"
#include "core/vm.h"

_Static_assert(offsetof(struct arch_vcpu, elr_el2) == AVCPU_ELR, "AVCPU_ELR");
_Static_assert(offsetof(struct arch_vcpu, spsr_el2) == AVCPU_SPSR, "AVCPU_SPSR");
_Static_assert(offsetof(struct arch_vcpu, esr_el2) == AVCPU_ESR, "AVCPU_ESR");
_Static_assert(offsetof(struct arch_vcpu, far_el2) == AVCPU_FAR, "AVCPU_FAR");
_Static_assert(offsetof(struct arch_vcpu, hpfar_el2) == AVCPU_HPFAR, "AVCPU_HPFAR");
_Static_assert(offsetof(struct arch_vcpu, kind) == AVCPU_KIND, "AVCPU_KIND");
_Static_assert(offsetof(struct arch_vcpu, q) == AVCPU_FP, "AVCPU_FP");
_Static_assert(offsetof(struct arch_vcpu, fpsr) == AVCPU_FP + 512, "fpsr after q31");

void guest_run(struct arch_vcpu *a);
void fpsimd_save(struct arch_vcpu *a);
void fpsimd_restore(struct arch_vcpu *a);

#define SPSR_EL1H_MASKED 0x3c5   /* EL1 with SP_EL1, D, A, I, F masked: how a CPU comes out of reset */
#define SCTLR_EL1_RESET  0x30d00800UL   /* the RES1 bits; MMU and caches off */
#define MPIDR_RES1       (1UL << 31)
#define HCR_GUEST (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TSC | HCR_RW)

#define ESR_EC(esr)      ((esr) >> 26)
#define EC_UNKNOWN       0x00
#define EC_WFX           0x01
#define EC_HVC64         0x16
#define EC_SMC64         0x17
#define EC_SYSREG        0x18
#define EC_IABT_LOW      0x20
#define EC_DABT_LOW      0x24
#define ISS_DABT_ISV     (1UL << 24)
#define ISS_DABT_S1PTW   (1UL << 7)
#define ISS_DABT_WNR     (1UL << 6)
/* ISS of a trapped MSR/MRS: Op0 21:20, Op2 19:17, Op1 16:14, CRn 13:10, Rt 9:5, CRm 4:1, read 0 */
#define ISS_SYSREG_MASK  (0x3ffc1eUL | 1UL)
#define ISS_SGI1R_WRITE  (3UL << 20 | 5UL << 17 | 0UL << 14 | 12UL << 10 | 11UL << 1)
#define VECTOR_IRQ       9
#define VECTOR_FIQ       10
#define VECTOR_SERROR    11

/* a0: the vCPU's id (its MPIDR); a1: what the guest gets in x0 (its device tree, or PSCI's context id). */
void arch_vcpu_reset(struct arch_vcpu *a, uint64_t entry, unsigned long a0, unsigned long a1)
{
	*a = (struct arch_vcpu){ .elr_el2 = entry, .spsr_el2 = SPSR_EL1H_MASKED, .hcr = HCR_GUEST };
	a->x[0] = a1;
	a->vmpidr = MPIDR_RES1 | (a0 & 0xff) | ((a0 >> 8) & 0xff) << 8;
	a->el1[EL1_SCTLR] = SCTLR_EL1_RESET;
}

#define EL1_SAVE(r, name) a->el1[r] = sysreg_read(name)
#define EL1_LOAD(r, name) sysreg_write(name, a->el1[r])
#define EL1_ALL(op) \
	op(EL1_SCTLR, sctlr_el1); op(EL1_TTBR0, ttbr0_el1); op(EL1_TTBR1, ttbr1_el1); \
	op(EL1_TCR, tcr_el1); op(EL1_MAIR, mair_el1); op(EL1_AMAIR, amair_el1); \
	op(EL1_VBAR, vbar_el1); op(EL1_CONTEXTIDR, contextidr_el1); op(EL1_TPIDR, tpidr_el1); \
	op(EL1_TPIDR_EL0, tpidr_el0); op(EL1_TPIDRRO_EL0, tpidrro_el0); op(EL1_SP_EL0, sp_el0); \
	op(EL1_SP_EL1, sp_el1); op(EL1_ELR, elr_el1); op(EL1_SPSR, spsr_el1); op(EL1_ESR, esr_el1); \
	op(EL1_FAR, far_el1); op(EL1_AFSR0, afsr0_el1); op(EL1_AFSR1, afsr1_el1); \
	op(EL1_PAR, par_el1); op(EL1_CPACR, cpacr_el1); op(EL1_CSSELR, csselr_el1); \
	op(EL1_CNTKCTL, cntkctl_el1); op(EL1_MDSCR, mdscr_el1); op(EL1_CNTV_CVAL, cntv_cval_el0); \
	op(EL1_CNTV_CTL, cntv_ctl_el0)

void arch_vcpu_load(struct arch_vcpu *a, const struct arch_vm *vm)
{
	sysreg_write(vtcr_el2, stage2_vtcr());
	sysreg_write(vttbr_el2, vm->vttbr);
	sysreg_write(vmpidr_el2, a->vmpidr);
	sysreg_write(vpidr_el2, sysreg_read(midr_el1));
	sysreg_write(cnthctl_el2, CNTHCTL_EL1PCTEN);   /* the counter, not the EL1 physical timer */
	sysreg_write(cntvoff_el2, 0);
	EL1_ALL(EL1_LOAD);
	fpsimd_restore(a);
	vgic_load(a);
	isb();
	if (vm->shared_vmid)   /* another VM's translations may be cached under this VMID */
		__asm__ volatile("tlbi vmalls12e1; dsb nsh" ::: "memory");
}

void arch_vcpu_put(struct arch_vcpu *a)
{
	EL1_ALL(EL1_SAVE);
	fpsimd_save(a);
	vgic_put(a);
	sysreg_write(cntv_ctl_el0, 0);   /* its timer stays quiet while another context runs */
	isb();
}

/* Interrupts reach an AArch64 guest through its vGIC (vgic_flush), not these. */
void arch_vcpu_inject(struct arch_vcpu *a, unsigned virqs, bool loaded)
{
	(void)a;
	(void)virqs;
	(void)loaded;
}

void arch_vcpu_set_ext(struct arch_vcpu *a, bool level, bool loaded)
{
	(void)a;
	(void)level;
	(void)loaded;
}

void arch_vcpu_trap_wfi(struct arch_vcpu *a, bool trap)
{
	a->hcr = trap ? a->hcr | HCR_TWI : a->hcr & ~HCR_TWI;
}

#define CNTV_ENABLE 1u
#define CNTV_IMASK  2u

bool arch_vcpu_irq_pending(const struct arch_vcpu *a, bool loaded, uint64_t now)
{
	if (arch_vcpu_timer_deadline(a, loaded) <= now)
		return true;
	return vgic_pending((const struct vcpu *)a, loaded);
}

/* When the guest's own timer fires (a halted vCPU is woken for it). */
uint64_t arch_vcpu_timer_deadline(const struct arch_vcpu *a, bool loaded)
{
	uint64_t ctl = loaded ? sysreg_read(cntv_ctl_el0) : a->el1[EL1_CNTV_CTL];
	if ((ctl & (CNTV_ENABLE | CNTV_IMASK)) != CNTV_ENABLE)
		return UINT64_MAX;
	return loaded ? sysreg_read(cntv_cval_el0) : a->el1[EL1_CNTV_CVAL];
}

uint64_t arch_vcpu_emulated_deadline(const struct arch_vcpu *a, const struct arch_vm *vm)
{
	(void)a;
	(void)vm;
	return UINT64_MAX;
}

bool arch_vcpu_timer_check(struct arch_vcpu *a)
{
	(void)a;
	return false;
}

/* The trap is saved whole (guest.S); the short path then runs in C and may send the guest straight back. */
void arch_guest_enter(struct arch_vcpu *a)
{
	struct vcpu *v = (struct vcpu *)a;
	do {
		vgic_flush(v);
		sysreg_write(hcr_el2, a->hcr);
		isb();
		guest_run(a);
		vgic_sync(v);
	} while (exit_dispatch_short(a) == FAST_EXIT_DONE);
}

static enum host_irq host_irq_kind(void)
{
	uint64_t id = sysreg_read(icc_hppir1_el1) & 0xffffff;
	return id == GICV3_IPI_SGI ? HOST_IRQ_IPI : id == GICV3_HYP_TIMER_PPI ? HOST_IRQ_TIMER : HOST_IRQ_EXT;
}

static void decode_sync(const struct arch_vcpu *a, struct vcpu_exit *e)
{
	uint64_t esr = a->esr_el2;
	switch (ESR_EC(esr)) {
	case EC_HVC64:
	case EC_SMC64:
		e->reason = EXIT_HYPERCALL;
		e->what = ESR_EC(esr) == EC_HVC64 ? "hvc" : "smc";
		return;
	case EC_WFX:
		e->reason = EXIT_HALT;
		e->what = esr & 1 ? "wfe" : "wfi";
		return;
	case EC_DABT_LOW:
		e->addr = (a->hpfar_el2 >> 4) << 12 | (a->far_el2 & 0xfff);
		if (esr & ISS_DABT_S1PTW) {
			e->reason = EXIT_GUEST_FAULT;
			e->what = "its page-table walk touched an address outside its memory";
			return;
		}
		e->reason = EXIT_MMIO;
		e->what = "load or store outside its memory";
		return;
	case EC_IABT_LOW:
		e->reason = EXIT_GUEST_FAULT;
		e->addr = (a->hpfar_el2 >> 4) << 12 | (a->far_el2 & 0xfff);
		e->what = "instruction fetch outside its executable memory";
		return;
	case EC_SYSREG:
		if ((esr & ISS_SYSREG_MASK) == ISS_SGI1R_WRITE) {
			e->reason = EXIT_SYSREG;
			e->addr = esr;
			e->what = "ICC_SGI1R_EL1 write";
			return;
		}
		e->reason = EXIT_GUEST_FAULT;
		e->injectable = true;
		e->what = "system register tessera does not give guests";
		return;
	case EC_UNKNOWN:
		e->reason = EXIT_GUEST_FAULT;
		e->injectable = true;
		e->what = "undefined instruction";
		return;
	default:
		e->reason = EXIT_GUEST_FAULT;
		e->what = "exception tessera does not handle";
	}
}

void arch_vcpu_decode_trap(const struct arch_vcpu *a, struct vcpu_exit *e)
{
	*e = (struct vcpu_exit){ .cause = a->esr_el2, .pc = a->elr_el2 };
	if (a->kind == VECTOR_IRQ || a->kind == VECTOR_FIQ) {
		e->reason = EXIT_EXTERNAL_IRQ;
		e->irq = host_irq_kind();
		e->cause = a->kind;
		e->what = "interrupt";
		return;
	}
	if (a->kind == VECTOR_SERROR || a->kind > VECTOR_SERROR) {
		e->reason = EXIT_GUEST_FAULT;
		e->cause = a->kind;
		e->what = a->kind > VECTOR_SERROR ? "exception from AArch32" : "SError";
		return;
	}
	decode_sync(a, e);
}

/*
 * As the hardware would: an Undefined Instruction exception taken to the
 * guest's EL1, at its vector for the level it came from.
 */
void arch_vcpu_inject_illegal(struct arch_vcpu *a, unsigned long insn)
{
	(void)insn;
	bool from_el0 = (a->spsr_el2 & 0xf) == 0;
	sysreg_write(esr_el1, 1UL << 25);   /* EC 0 (unknown), IL: a 32-bit instruction */
	sysreg_write(elr_el1, a->elr_el2);
	sysreg_write(spsr_el1, a->spsr_el2);
	a->elr_el2 = sysreg_read(vbar_el1) + (from_el0 ? 0x400 : (a->spsr_el2 & 1) ? 0x200 : 0);
	a->spsr_el2 = SPSR_EL1H_MASKED;
}

/* The one trapped system register guests may use: ICC_SGI1R_EL1, an SGI to other vCPUs. */
int arch_emulate_sysreg(struct vcpu *v, const struct vcpu_exit *e)
{
	if ((e->addr & ISS_SYSREG_MASK) != ISS_SGI1R_WRITE)
		return E_NOSUPP;
	unsigned rt = (unsigned)(e->addr >> 5) & 31;
	vgic_send_sgi(v, rt == 31 ? 0 : v->arch.x[rt]);
	v->arch.elr_el2 += 4;
	return 0;
}

/* ---- MMIO: the data abort syndrome says what the instruction did ---- */

#define E_NO_SYNDROME (-100)

int arch_mmio_decode(struct arch_vcpu *a, struct mmio_access *m)
{
	uint64_t esr = a->esr_el2;
	if (!(esr & ISS_DABT_ISV))
		return E_NO_SYNDROME;
	*m = (struct mmio_access){
		.write = (esr & ISS_DABT_WNR) != 0, .sign = (esr >> 21) & 1, .wide = (esr >> 15) & 1,
		.width = 1u << ((esr >> 22) & 3), .reg = (esr >> 16) & 31,
	};
	return 0;
}

const char *arch_mmio_strerror(int rc)
{
	return rc == E_NO_SYNDROME ? "MMIO by an instruction the syndrome does not describe (a pair, "
				     "a writeback or SIMD access)"
				   : "MMIO decode failed";
}

/*
 * The instruction at the loaded vCPU's pc, through both stages (AT S12E1R;
 * the guest's PAR_EL1 is put back). MMIO does not need it: the syndrome
 * says what the access was.
 */
bool arch_read_guest_insn(unsigned long pc, unsigned long *insn)
{
	uint64_t saved = sysreg_read(par_el1);
	__asm__ volatile("at s12e1r, %0" :: "r"(pc) : "memory");
	isb();
	uint64_t par = sysreg_read(par_el1);
	sysreg_write(par_el1, saved);
	if ((par & 1) || (pc & 3))
		return false;   /* not mapped for the guest, or not an instruction address */
	*insn = *(volatile uint32_t *)(uintptr_t)((par & 0x0000fffffffff000UL) | (pc & 0xfff));
	return true;
}

uint64_t arch_mmio_store_value(const struct arch_vcpu *a, const struct mmio_access *m)
{
	uint64_t v = m->reg == 31 ? 0 : a->x[m->reg];
	return m->width == 8 ? v : v & ((1ULL << (8 * m->width)) - 1);
}

void arch_mmio_complete(struct arch_vcpu *a, const struct mmio_access *m, uint64_t loaded)
{
	if (!m->write && m->reg != 31) {
		unsigned bits = 8 * m->width;
		if (m->sign && bits < 64)
			loaded = (uint64_t)((int64_t)(loaded << (64 - bits)) >> (64 - bits));
		a->x[m->reg] = m->wide ? loaded : loaded & 0xffffffffULL;
	}
	a->elr_el2 += 4;
}
