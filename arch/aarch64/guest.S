/*
 * The world switch's register half. guest_run(a) saves tessera's
 * callee-saved registers and a itself on the EL2 stack and erets into the
 * guest with its general registers. A trap from the guest (a lower-EL
 * vector, vectors.S) finds a on that stack, since SP_EL2 is untouched while
 * the guest runs, saves the guest's registers and the syndrome into it,
 * and returns from guest_run. FP/SIMD state is not touched here: tessera
 * uses none, so it stays in the registers until another vCPU is loaded
 * (fpsimd_save, fpsimd_restore).
 */
#include <arch/vcpu.h>

	.text
	.globl	guest_run
guest_run:
	stp	x29, x30, [sp, #-16]!
	stp	x27, x28, [sp, #-16]!
	stp	x25, x26, [sp, #-16]!
	stp	x23, x24, [sp, #-16]!
	stp	x21, x22, [sp, #-16]!
	stp	x19, x20, [sp, #-16]!
	stp	x0, xzr, [sp, #-16]!	/* a, for the trap */
	ldr	x1, [x0, #AVCPU_ELR]
	msr	elr_el2, x1
	ldr	x1, [x0, #AVCPU_SPSR]
	msr	spsr_el2, x1
	ldp	x2, x3, [x0, #AVCPU_X(2)]
	ldp	x4, x5, [x0, #AVCPU_X(4)]
	ldp	x6, x7, [x0, #AVCPU_X(6)]
	ldp	x8, x9, [x0, #AVCPU_X(8)]
	ldp	x10, x11, [x0, #AVCPU_X(10)]
	ldp	x12, x13, [x0, #AVCPU_X(12)]
	ldp	x14, x15, [x0, #AVCPU_X(14)]
	ldp	x16, x17, [x0, #AVCPU_X(16)]
	ldp	x18, x19, [x0, #AVCPU_X(18)]
	ldp	x20, x21, [x0, #AVCPU_X(20)]
	ldp	x22, x23, [x0, #AVCPU_X(22)]
	ldp	x24, x25, [x0, #AVCPU_X(24)]
	ldp	x26, x27, [x0, #AVCPU_X(26)]
	ldp	x28, x29, [x0, #AVCPU_X(28)]
	ldr	x30, [x0, #AVCPU_X(30)]
	ldp	x0, x1, [x0, #AVCPU_X(0)]
	eret
	dsb	nsh			/* no speculation past the eret */
	isb

/* From vectors.S: the guest's x0 and x1 pushed, x0 = which vector. */
	.globl	guest_exit
guest_exit:
	ldr	x1, [sp, #16]		/* a */
	stp	x2, x3, [x1, #AVCPU_X(2)]
	stp	x4, x5, [x1, #AVCPU_X(4)]
	stp	x6, x7, [x1, #AVCPU_X(6)]
	stp	x8, x9, [x1, #AVCPU_X(8)]
	stp	x10, x11, [x1, #AVCPU_X(10)]
	stp	x12, x13, [x1, #AVCPU_X(12)]
	stp	x14, x15, [x1, #AVCPU_X(14)]
	stp	x16, x17, [x1, #AVCPU_X(16)]
	stp	x18, x19, [x1, #AVCPU_X(18)]
	stp	x20, x21, [x1, #AVCPU_X(20)]
	stp	x22, x23, [x1, #AVCPU_X(22)]
	stp	x24, x25, [x1, #AVCPU_X(24)]
	stp	x26, x27, [x1, #AVCPU_X(26)]
	stp	x28, x29, [x1, #AVCPU_X(28)]
	str	x30, [x1, #AVCPU_X(30)]
	str	x0, [x1, #AVCPU_KIND]
	ldp	x2, x3, [sp], #16	/* the guest's x0, x1 */
	stp	x2, x3, [x1, #AVCPU_X(0)]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x1, #AVCPU_ELR]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [x1, #AVCPU_ESR]
	mrs	x2, hpfar_el2
	str	x2, [x1, #AVCPU_HPFAR]
	add	sp, sp, #16		/* a */
	ldp	x19, x20, [sp], #16
	ldp	x21, x22, [sp], #16
	ldp	x23, x24, [sp], #16
	ldp	x25, x26, [sp], #16
	ldp	x27, x28, [sp], #16
	ldp	x29, x30, [sp], #16
	ret

/* The FP/SIMD registers of the vCPU at x0 (AVCPU_FP), saved and restored. */
	.globl	fpsimd_save
fpsimd_save:
	add	x1, x0, #AVCPU_FP
	stp	q0, q1, [x1, #0]
	stp	q2, q3, [x1, #32]
	stp	q4, q5, [x1, #64]
	stp	q6, q7, [x1, #96]
	stp	q8, q9, [x1, #128]
	stp	q10, q11, [x1, #160]
	stp	q12, q13, [x1, #192]
	stp	q14, q15, [x1, #224]
	stp	q16, q17, [x1, #256]
	stp	q18, q19, [x1, #288]
	stp	q20, q21, [x1, #320]
	stp	q22, q23, [x1, #352]
	stp	q24, q25, [x1, #384]
	stp	q26, q27, [x1, #416]
	stp	q28, q29, [x1, #448]
	stp	q30, q31, [x1, #480]
	mrs	x2, fpsr
	mrs	x3, fpcr
	add	x1, x1, #512
	stp	x2, x3, [x1]
	ret

	.globl	fpsimd_restore
fpsimd_restore:
	add	x1, x0, #AVCPU_FP
	ldp	q0, q1, [x1, #0]
	ldp	q2, q3, [x1, #32]
	ldp	q4, q5, [x1, #64]
	ldp	q6, q7, [x1, #96]
	ldp	q8, q9, [x1, #128]
	ldp	q10, q11, [x1, #160]
	ldp	q12, q13, [x1, #192]
	ldp	q14, q15, [x1, #224]
	ldp	q16, q17, [x1, #256]
	ldp	q18, q19, [x1, #288]
	ldp	q20, q21, [x1, #320]
	ldp	q22, q23, [x1, #352]
	ldp	q24, q25, [x1, #384]
	ldp	q26, q27, [x1, #416]
	ldp	q28, q29, [x1, #448]
	ldp	q30, q31, [x1, #480]
	add	x1, x1, #512
	ldp	x2, x3, [x1]
	msr	fpsr, x2
	msr	fpcr, x3
	ret
