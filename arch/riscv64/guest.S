/*
 * Guest entry: arch_guest_enter(a) saves tessera's callee-saved registers on
 * the core stack, puts the context pointer in sscratch and srets into the
 * guest. The next trap from the guest lands in arch_trap_entry (trap.S),
 * which saves the guest registers and returns from arch_guest_enter.
 */

#include <arch/vcpu.h>

	.section .text
	.globl arch_guest_enter
arch_guest_enter:
	addi	sp, sp, -14*8
	sd	ra, 0*8(sp)
	sd	s0, 1*8(sp)
	sd	s1, 2*8(sp)
	sd	s2, 3*8(sp)
	sd	s3, 4*8(sp)
	sd	s4, 5*8(sp)
	sd	s5, 6*8(sp)
	sd	s6, 7*8(sp)
	sd	s7, 8*8(sp)
	sd	s8, 9*8(sp)
	sd	s9, 10*8(sp)
	sd	s10, 11*8(sp)
	sd	s11, 12*8(sp)
	sd	tp, 13*8(sp)
	sd	sp, AVCPU_HOST_SP(a0)
	csrw	sscratch, a0
	ld	t0, AVCPU_PC(a0)
	csrw	sepc, t0
	ld	t0, AVCPU_SSTATUS(a0)
	csrw	sstatus, t0
	ld	t0, AVCPU_HSTATUS(a0)
	csrw	0x600, t0		/* hstatus */
	ld	ra, AVCPU_GPR(1)(a0)
	ld	sp, AVCPU_GPR(2)(a0)
	ld	gp, AVCPU_GPR(3)(a0)
	ld	tp, AVCPU_GPR(4)(a0)
	ld	t0, AVCPU_GPR(5)(a0)
	ld	t1, AVCPU_GPR(6)(a0)
	ld	t2, AVCPU_GPR(7)(a0)
	ld	s0, AVCPU_GPR(8)(a0)
	ld	s1, AVCPU_GPR(9)(a0)
	ld	a1, AVCPU_GPR(11)(a0)
	ld	a2, AVCPU_GPR(12)(a0)
	ld	a3, AVCPU_GPR(13)(a0)
	ld	a4, AVCPU_GPR(14)(a0)
	ld	a5, AVCPU_GPR(15)(a0)
	ld	a6, AVCPU_GPR(16)(a0)
	ld	a7, AVCPU_GPR(17)(a0)
	ld	s2, AVCPU_GPR(18)(a0)
	ld	s3, AVCPU_GPR(19)(a0)
	ld	s4, AVCPU_GPR(20)(a0)
	ld	s5, AVCPU_GPR(21)(a0)
	ld	s6, AVCPU_GPR(22)(a0)
	ld	s7, AVCPU_GPR(23)(a0)
	ld	s8, AVCPU_GPR(24)(a0)
	ld	s9, AVCPU_GPR(25)(a0)
	ld	s10, AVCPU_GPR(26)(a0)
	ld	s11, AVCPU_GPR(27)(a0)
	ld	t3, AVCPU_GPR(28)(a0)
	ld	t4, AVCPU_GPR(29)(a0)
	ld	t5, AVCPU_GPR(30)(a0)
	ld	t6, AVCPU_GPR(31)(a0)
	ld	a0, AVCPU_GPR(10)(a0)
	sret

/*
 * Reached from arch_trap_entry with sp = the guest's struct arch_vcpu and
 * sscratch = the guest's sp. The short path first: save what a C call may
 * clobber (and s0, tp) and the exit's CSRs — and, for anything but an SBI
 * call, every register, since an emulated load or store may name any of
 * them — then run core's exit_dispatch_short on the core stack with
 * tessera's tp. If it handled the exit the guest goes straight on at its
 * pc; otherwise the rest is saved and arch_guest_enter returns to the run
 * loop. An SBI call or an interrupt reads no CSR but sepc and scause on the
 * short path (nothing on it traps into HS-mode, and the guest's callee-saved
 * registers stay in place through the C call); the rest is saved for the
 * run loop only if it gets the exit.
 */
.macro save_guest_callee_saved   /* gp, s2-s11 into the context at sp (s1 is saved first) */
	sd	gp, AVCPU_GPR(3)(sp)
	sd	s2, AVCPU_GPR(18)(sp)
	sd	s3, AVCPU_GPR(19)(sp)
	sd	s4, AVCPU_GPR(20)(sp)
	sd	s5, AVCPU_GPR(21)(sp)
	sd	s6, AVCPU_GPR(22)(sp)
	sd	s7, AVCPU_GPR(23)(sp)
	sd	s8, AVCPU_GPR(24)(sp)
	sd	s9, AVCPU_GPR(25)(sp)
	sd	s10, AVCPU_GPR(26)(sp)
	sd	s11, AVCPU_GPR(27)(sp)
.endm

.macro save_exit_csrs ctx   /* what the run loop and the decode read of a trap */
	csrr	t0, sstatus
	sd	t0, AVCPU_SSTATUS(\ctx)
	csrr	t0, 0x600		/* hstatus */
	sd	t0, AVCPU_HSTATUS(\ctx)
	csrr	t0, stval
	sd	t0, AVCPU_STVAL(\ctx)
	csrr	t0, 0x643		/* htval */
	sd	t0, AVCPU_HTVAL(\ctx)
	csrr	t0, 0x64a		/* htinst */
	sd	t0, AVCPU_HTINST(\ctx)
.endm

	.globl arch_guest_trap
arch_guest_trap:
	sd	ra, AVCPU_GPR(1)(sp)
	sd	tp, AVCPU_GPR(4)(sp)
	sd	t0, AVCPU_GPR(5)(sp)
	sd	t1, AVCPU_GPR(6)(sp)
	sd	t2, AVCPU_GPR(7)(sp)
	sd	s0, AVCPU_GPR(8)(sp)
	sd	s1, AVCPU_GPR(9)(sp)
	sd	a0, AVCPU_GPR(10)(sp)
	sd	a1, AVCPU_GPR(11)(sp)
	sd	a2, AVCPU_GPR(12)(sp)
	sd	a3, AVCPU_GPR(13)(sp)
	sd	a4, AVCPU_GPR(14)(sp)
	sd	a5, AVCPU_GPR(15)(sp)
	sd	a6, AVCPU_GPR(16)(sp)
	sd	a7, AVCPU_GPR(17)(sp)
	sd	t3, AVCPU_GPR(28)(sp)
	sd	t4, AVCPU_GPR(29)(sp)
	sd	t5, AVCPU_GPR(30)(sp)
	sd	t6, AVCPU_GPR(31)(sp)
	csrrw	t0, sscratch, zero	/* guest sp; sscratch = 0: back in tessera */
	sd	t0, AVCPU_GPR(2)(sp)
	csrr	t0, sepc
	sd	t0, AVCPU_PC(sp)
	csrr	s1, scause		/* s1: the cause, kept across the call */
	sd	s1, AVCPU_SCAUSE(sp)
	li	t1, 10			/* ecall from VS-mode */
	beq	s1, t1, 1f
	bltz	s1, 1f			/* an interrupt: neither reads a register of the guest */
	save_exit_csrs sp
	save_guest_callee_saved
1:	mv	s0, sp
	ld	sp, AVCPU_HOST_SP(s0)
	ld	tp, 13*8(sp)		/* tessera's tp, saved by arch_guest_enter */
	mv	a0, s0
	call	exit_dispatch_short
	beqz	a0, .Lslow
	csrw	sscratch, s0
	ld	t0, AVCPU_PC(s0)
	csrw	sepc, t0
	li	t0, 10
	beq	s1, t0, 2f		/* a call's answer is in a0/a1 */
	bltz	s1, 2f			/* an interrupt changed no register of the guest */
	ld	t0, AVCPU_SSTATUS(s0)	/* a nested trap (HLVX) may have changed these */
	csrw	sstatus, t0
	ld	t0, AVCPU_HSTATUS(s0)
	csrw	0x600, t0
	ld	gp, AVCPU_GPR(3)(s0)
	ld	s1, AVCPU_GPR(9)(s0)
	ld	s2, AVCPU_GPR(18)(s0)
	ld	s3, AVCPU_GPR(19)(s0)
	ld	s4, AVCPU_GPR(20)(s0)
	ld	s5, AVCPU_GPR(21)(s0)
	ld	s6, AVCPU_GPR(22)(s0)
	ld	s7, AVCPU_GPR(23)(s0)
	ld	s8, AVCPU_GPR(24)(s0)
	ld	s9, AVCPU_GPR(25)(s0)
	ld	s10, AVCPU_GPR(26)(s0)
	ld	s11, AVCPU_GPR(27)(s0)
	j	4f
2:	ld	s1, AVCPU_GPR(9)(s0)	/* the guest's s1: the cause was in it */
4:	ld	ra, AVCPU_GPR(1)(s0)
	ld	sp, AVCPU_GPR(2)(s0)
	ld	tp, AVCPU_GPR(4)(s0)
	ld	t0, AVCPU_GPR(5)(s0)
	ld	t1, AVCPU_GPR(6)(s0)
	ld	t2, AVCPU_GPR(7)(s0)
	ld	a0, AVCPU_GPR(10)(s0)
	ld	a1, AVCPU_GPR(11)(s0)
	ld	a2, AVCPU_GPR(12)(s0)
	ld	a3, AVCPU_GPR(13)(s0)
	ld	a4, AVCPU_GPR(14)(s0)
	ld	a5, AVCPU_GPR(15)(s0)
	ld	a6, AVCPU_GPR(16)(s0)
	ld	a7, AVCPU_GPR(17)(s0)
	ld	t3, AVCPU_GPR(28)(s0)
	ld	t4, AVCPU_GPR(29)(s0)
	ld	t5, AVCPU_GPR(30)(s0)
	ld	t6, AVCPU_GPR(31)(s0)
	ld	s0, AVCPU_GPR(8)(s0)
	sret

/* The run loop handles this exit: for a call or an interrupt, the rest of the guest's registers and the exit's CSRs. */
.Lslow:
	mv	sp, s0
	li	t0, 10
	beq	s1, t0, 6f
	bgez	s1, 5f
6:	save_exit_csrs sp
	save_guest_callee_saved
5:
	ld	sp, AVCPU_HOST_SP(sp)
	ld	ra, 0*8(sp)
	ld	s0, 1*8(sp)
	ld	s1, 2*8(sp)
	ld	s2, 3*8(sp)
	ld	s3, 4*8(sp)
	ld	s4, 5*8(sp)
	ld	s5, 6*8(sp)
	ld	s6, 7*8(sp)
	ld	s7, 8*8(sp)
	ld	s8, 9*8(sp)
	ld	s9, 10*8(sp)
	ld	s10, 11*8(sp)
	ld	s11, 12*8(sp)
	ld	tp, 13*8(sp)
	addi	sp, sp, 14*8
	ret
