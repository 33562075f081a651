/* HS-mode trap handling for tessera's own traps. */
#include <arch/csr.h>
#include "core/panic.h"

struct hs_frame {
	unsigned long pc, ra, sp, gp, tp, t0, t1, t2, s0, s1;
	unsigned long a[8];
	unsigned long s2_11[10];
	unsigned long t3_6[4];
	unsigned long sstatus, scause, stval, pad;
};

_Static_assert(sizeof(struct hs_frame) == 36 * 8, "frame layout matches trap.S");

void arch_trap_handler(struct hs_frame *f);
extern char arch_hlvx_insn[];

void arch_trap_handler(struct hs_frame *f)
{
	if (f->scause & SCAUSE_INTERRUPT) {
		/* Interrupts only wake wfi; one that traps is acknowledged and ignored. */
		unsigned long irq = f->scause & ~SCAUSE_INTERRUPT;
		if (irq == 1)
			csr_clear(sip, SIP_SSIP);
		else if (irq == 5)
			csr_clear(sie, SIE_STIE);
		return;
	}
	/* Reading guest memory with hlvx may fault: report it to the reader. */
	if (f->pc == (unsigned long)arch_hlvx_insn) {
		f->t1 = 1;
		f->pc += 4;
		return;
	}
	/* Any other exception in HS-mode is a bug in tessera, never a guest's doing. */
	panic("HS-mode exception: scause %lx sepc %lx stval %lx ra %lx sp %lx",
	      f->scause, f->pc, f->stval, f->ra, f->sp);
}
