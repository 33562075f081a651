/*
 * EL2 exception vectors. tessera runs with interrupts masked (they only wake
 * WFI), so what reaches the current-EL vectors is an exception in tessera
 * itself, a bug: trap.c reports it. The lower-EL vectors are a guest's
 * traps and interrupts: guest.S saves it and returns to the run loop.
 */
	.macro	vector kind
	.balign	0x80
	mov	x0, #\kind
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	b	el2_trap
	.endm

	.macro	guest_vector kind
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x0, #\kind
	b	guest_exit
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
	guest_vector	8	/* lower EL, AArch64: sync */
	guest_vector	9
	guest_vector	10
	guest_vector	11
	guest_vector	12	/* lower EL, AArch32 */
	guest_vector	13
	guest_vector	14
	guest_vector	15

el2_trap:
	bl	arch_trap_el2
	b	arch_halt
