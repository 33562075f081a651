/*
 * EL2 exception vectors. tessera runs with interrupts masked (they only wake
 * WFI), so what reaches these is an exception in tessera itself, a bug:
 * trap.c reports it. Guests' traps (lower EL) are not taken yet: no vCPU
 * runs on AArch64 so far (docs/aarch64.md).
 */
	.macro	vector kind
	.balign	0x80
	mov	x0, #\kind
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	b	el2_trap
	.endm

	.text
	.balign	0x800
	.globl	arch_el2_vectors
arch_el2_vectors:
	vector	0	/* current EL, SP_EL0: sync */
	vector	1	/* irq */
	vector	2	/* fiq */
	vector	3	/* serror */
	vector	4	/* current EL, SP_ELx: sync */
	vector	5
	vector	6
	vector	7
	vector	8	/* lower EL, AArch64: sync */
	vector	9
	vector	10
	vector	11
	vector	12	/* lower EL, AArch32 */
	vector	13
	vector	14
	vector	15

el2_trap:
	bl	arch_trap_el2
	b	arch_halt
