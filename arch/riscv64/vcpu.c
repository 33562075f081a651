/* vCPU state on RISC-V: reset, load/put on a core, virtual interrupts, exit decoding. */
#include <string.h>
#include <arch/csr.h>
#include <arch/vcpu.h>
#include <stddef.h>
#include "arch/riscv64/irqc/models.h"

/* guest.S and trap.S reach struct arch_vcpu by these offsets (arch/vcpu.h). */
#define AVCPU_AT(field, off) _Static_assert(offsetof(struct arch_vcpu, field) == (off), #field " offset")
AVCPU_AT(gpr, AVCPU_GPR(0));
AVCPU_AT(pc, AVCPU_PC);
AVCPU_AT(sstatus, AVCPU_SSTATUS);
AVCPU_AT(hstatus, AVCPU_HSTATUS);
AVCPU_AT(host_sp, AVCPU_HOST_SP);
AVCPU_AT(scause, AVCPU_SCAUSE);
AVCPU_AT(stval, AVCPU_STVAL);
AVCPU_AT(htval, AVCPU_HTVAL);
AVCPU_AT(htinst, AVCPU_HTINST);

void arch_fp_save(uint64_t *fp);
void arch_fp_restore(const uint64_t *fp);

#define INSN_WFI 0x10500073UL

void arch_vcpu_reset(struct arch_vcpu *a, uint64_t entry, unsigned long a0, unsigned long a1)
{
	uint8_t vgein = a->vgein;
	bool sw_file = a->sw_file;
	uint16_t file_ids = a->file_ids;
	memset(a, 0, sizeof(*a));
	a->vgein = vgein;
	a->sw_file = sw_file;
	a->file_ids = file_ids;
	a->pc = entry;
	a->gpr[10] = a0;
	a->gpr[11] = a1;
	a->sstatus = SSTATUS_SPP | SSTATUS_FS_INITIAL;   /* sret to VS-mode */
	a->hstatus = HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VTW | HSTATUS_VSXL_64 |
		     (unsigned long)vgein << HSTATUS_VGEIN_SHIFT;
	a->vs.vstimecmp = UINT64_MAX;
	if (vgein)
		imsic_file_reset(a);
	/* f0-f31 and fcsr start at zero: the first load restores the zeroed fp[]
	 * instead of keeping whatever the core's last vCPU left in them */
	a->fp_saved = true;
}

void arch_vcpu_load(struct arch_vcpu *a, const struct arch_vm *vm)
{
	/* a VMID shared with other VMs: what the last one cached under it is not this VM's */
	bool fence = vm->shared_vmid && csr_read(CSR_HGATP) != vm->hgatp;
	csr_write(CSR_HGATP, vm->hgatp);
	if (fence)
		hfence_gvma_all();
	csr_write(CSR_HENVCFG, vm->sstc ? HENVCFG_STCE : 0);
	csr_write(CSR_VSSTATUS, a->vs.vsstatus);
	csr_write(CSR_VSIE, a->vs.vsie);
	csr_write(CSR_VSTVEC, a->vs.vstvec);
	csr_write(CSR_VSSCRATCH, a->vs.vsscratch);
	csr_write(CSR_VSEPC, a->vs.vsepc);
	csr_write(CSR_VSCAUSE, a->vs.vscause);
	csr_write(CSR_VSTVAL, a->vs.vstval);
	csr_write(CSR_VSATP, a->vs.vsatp);
	csr_write(CSR_SCOUNTEREN, a->vs.scounteren);
	csr_write(CSR_SENVCFG, a->vs.senvcfg);
	csr_write(CSR_HVIP, a->vs.hvip);
	if (vm->sstc)
		csr_write(CSR_VSTIMECMP, a->vs.vstimecmp);
	if (a->fp_saved)
		arch_fp_restore(a->fp);
	a->fp_saved = false;
	if (a->vgein || a->sw_file)
		csr_write(CSR_VSISELECT, a->vs.vsiselect);
	if (a->vgein)
		imsic_file_load(a);
}

void arch_vcpu_put(struct arch_vcpu *a)
{
	a->vs.vsstatus = csr_read(CSR_VSSTATUS);
	a->vs.vsie = csr_read(CSR_VSIE);
	a->vs.vstvec = csr_read(CSR_VSTVEC);
	a->vs.vsscratch = csr_read(CSR_VSSCRATCH);
	a->vs.vsepc = csr_read(CSR_VSEPC);
	a->vs.vscause = csr_read(CSR_VSCAUSE);
	a->vs.vstval = csr_read(CSR_VSTVAL);
	a->vs.vsatp = csr_read(CSR_VSATP);
	a->vs.scounteren = csr_read(CSR_SCOUNTEREN);
	a->vs.senvcfg = csr_read(CSR_SENVCFG);
	a->vs.hvip = csr_read(CSR_HVIP);
	if (csr_read(CSR_HENVCFG) & HENVCFG_STCE) {
		/* VSTIP comes from vstimecmp, which is saved: it is not an injected bit */
		a->vs.hvip &= ~HIP_VSTIP;
		a->vs.vstimecmp = csr_read(CSR_VSTIMECMP);
		csr_write(CSR_VSTIMECMP, UINT64_MAX);
	}
	csr_write(CSR_HVIP, 0);
	arch_fp_save(a->fp);
	a->fp_saved = true;
	if (a->vgein || a->sw_file)
		a->vs.vsiselect = csr_read(CSR_VSISELECT);
	if (a->vgein)
		imsic_file_put(a);
}

static unsigned long virq_bits(unsigned virqs)
{
	return ((virqs & ARCH_VIRQ_SOFT) ? HIP_VSSIP : 0) | ((virqs & ARCH_VIRQ_TIMER) ? HIP_VSTIP : 0) |
	       ((virqs & ARCH_VIRQ_EXT) ? HIP_VSEIP : 0);
}

void arch_vcpu_inject(struct arch_vcpu *a, unsigned virqs, bool loaded)
{
	unsigned long bits = virq_bits(virqs);
	if (loaded)
		csr_set(CSR_HVIP, bits);
	else
		a->vs.hvip |= bits;
}

void arch_vcpu_set_ext(struct arch_vcpu *a, bool level, bool loaded)
{
	if (loaded) {
		if (level)
			csr_set(CSR_HVIP, HIP_VSEIP);
		else
			csr_clear(CSR_HVIP, HIP_VSEIP);
	} else {
		a->vs.hvip = level ? a->vs.hvip | HIP_VSEIP : a->vs.hvip & ~HIP_VSEIP;
	}
}

/*
 * The vCPU's vstimecmp deadline has passed (it is loaded): true once hip
 * shows VSTIP. QEMU 7.2 sometimes loses a VS timer interrupt whose deadline
 * was written from HS-mode; writing the same deadline again raises it.
 */
bool arch_vcpu_timer_check(struct arch_vcpu *a)
{
	(void)a;
	if (csr_read(CSR_HIP) & HIP_VSTIP)
		return true;
	csr_write(CSR_VSTIMECMP, csr_read(CSR_VSTIMECMP));
	csr_write(CSR_HVIP, csr_read(CSR_HVIP));
	return (csr_read(CSR_HIP) & HIP_VSTIP) != 0;
}

/* Pending and enabled by the guest (vsie), whatever vsstatus.SIE says: what ends a WFI. */
bool arch_vcpu_irq_pending(const struct arch_vcpu *a, bool loaded, uint64_t now)
{
	if (loaded)
		return (csr_read(CSR_HIP) & csr_read(CSR_HIE) & HIP_VS_MASK) != 0;
	unsigned long pending = a->vs.hvip | (now >= a->vs.vstimecmp ? HIP_VSTIP : 0) |
				(a->vgein && imsic_file_pending(a) ? HIP_VSEIP : 0);
	return (pending & (a->vs.vsie << 1) & HIP_VS_MASK) != 0;
}

uint64_t arch_vcpu_timer_deadline(const struct arch_vcpu *a, bool loaded)
{
	unsigned long vsie = loaded ? csr_read(CSR_VSIE) : a->vs.vsie;
	if (!(vsie & SIE_STIE))
		return UINT64_MAX;
	return loaded && (csr_read(CSR_HENVCFG) & HENVCFG_STCE) ? csr_read(CSR_VSTIMECMP)
								: a->vs.vstimecmp;
}

uint64_t arch_vcpu_emulated_deadline(const struct arch_vcpu *a, const struct arch_vm *vm)
{
	return vm->sstc ? UINT64_MAX : a->vs.vstimecmp;
}

/* Deliver an exception to the guest as if the hardware had trapped into VS-mode. */
static void inject_exception(struct arch_vcpu *a, unsigned long cause, unsigned long tval)
{
	unsigned long vsstatus = csr_read(CSR_VSSTATUS);
	bool from_vs = a->hstatus & HSTATUS_SPVP;
	vsstatus &= ~(SSTATUS_SPP | SSTATUS_SPIE);
	if (from_vs)
		vsstatus |= SSTATUS_SPP;
	if (vsstatus & SSTATUS_SIE)
		vsstatus |= SSTATUS_SPIE;
	vsstatus &= ~SSTATUS_SIE;
	csr_write(CSR_VSSTATUS, vsstatus);
	csr_write(CSR_VSEPC, a->pc);
	csr_write(CSR_VSCAUSE, cause);
	csr_write(CSR_VSTVAL, tval);
	a->pc = csr_read(CSR_VSTVEC) & ~3UL;
	a->sstatus |= SSTATUS_SPP;   /* enter the handler in VS-mode */
	a->hstatus |= HSTATUS_SPVP;
}

void arch_vcpu_inject_illegal(struct arch_vcpu *a, unsigned long insn)
{
	inject_exception(a, 2, insn);
}

/* The instruction at the guest pc: from stval/htinst if the hart gave it, else read it. */
static bool guest_insn(const struct arch_vcpu *a, unsigned long *insn)
{
	if (a->stval) {
		*insn = a->stval;
		return true;
	}
	return arch_read_guest_insn(a->pc, insn);
}

static const char *const exception_names[] = {
	[0] = "instruction address misaligned", [1] = "instruction access fault",
	[2] = "illegal instruction", [3] = "breakpoint", [4] = "load address misaligned",
	[5] = "load access fault", [6] = "store address misaligned", [7] = "store access fault",
	[8] = "ecall from VU-mode", [10] = "ecall from VS-mode", [12] = "instruction page fault",
	[13] = "load page fault", [15] = "store page fault", [20] = "instruction guest-page fault",
	[21] = "load guest-page fault", [22] = "virtual instruction", [23] = "store guest-page fault",
};

/* Every exit but an SBI call (arch_vcpu_decode_exit takes those in place). */
void arch_vcpu_decode_trap(const struct arch_vcpu *a, struct vcpu_exit *e)
{
	unsigned long cause = a->scause;
	unsigned long code = cause & ~SCAUSE_INTERRUPT;
	if (cause == 20 || cause == 21 || cause == 23) {   /* guest-page faults: MMIO, the next most frequent */
		e->reason = EXIT_MMIO;
		e->cause = cause;
		e->pc = a->pc;
		e->addr = (a->htval << 2) | (a->stval & 3);
		e->what = exception_names[cause];
		e->injectable = false;
		return;
	}
	*e = (struct vcpu_exit){ .cause = cause, .pc = a->pc, .what = "unknown exception" };
	if (code < sizeof(exception_names) / sizeof(exception_names[0]) && exception_names[code])
		e->what = exception_names[code];
	if (cause & SCAUSE_INTERRUPT) {
		e->reason = EXIT_EXTERNAL_IRQ;
		/* 12: a guest file (SGEI); 9 on an AIA host: tessera's IPI in its S-file (imsic_ipi.c) */
		e->irq = code == 1 || (code == 9 && imsic_ipis) ? HOST_IRQ_IPI : code == 5 ? HOST_IRQ_TIMER :
			 code == 9 || code == 12 ? HOST_IRQ_EXT : HOST_IRQ_NONE;
		e->what = "interrupt";
		return;
	}
	switch (code) {
	case 10:
		e->reason = EXIT_HYPERCALL;
		return;
	case 20:
	case 21:
	case 23:
		e->reason = EXIT_MMIO;
		e->addr = (a->htval << 2) | (a->stval & 3);
		return;
	case 22: {
		unsigned long insn = 0;
		if (guest_insn(a, &insn) && insn == INSN_WFI) {
			e->reason = EXIT_HALT;
			return;
		}
		if ((insn & 0x7f) == 0x73 && ((insn >> 12) & 3) != 0) {   /* a csrr[wsc](i) */
			e->reason = EXIT_SYSREG;
			e->addr = insn;
			e->what = "system register access";
			return;
		}
		e->reason = EXIT_GUEST_FAULT;
		e->addr = insn;
		e->injectable = true;   /* the guest sees an illegal instruction, as on hardware */
		return;
	}
	default:
		e->reason = EXIT_GUEST_FAULT;
		e->addr = a->stval;
		return;
	}
}

void arch_vcpu_trap_wfi(struct arch_vcpu *a, bool trap)
{
	a->hstatus = trap ? a->hstatus | HSTATUS_VTW : a->hstatus & ~HSTATUS_VTW;
}
