/*
 * An EL1 vector table for guests that take interrupts: the IRQ at the
 * current EL with SP_ELx (offset 0x280) saves the caller-saved registers and
 * calls lib_irq_handler(); every other vector calls lib_bad_vector(), which
 * prints a FAIL line. A guest points VBAR_EL1 at lib_irq_vectors and defines
 * lib_irq_handler (weak here, so guests without interrupts link unchanged).
 */
	.weak	lib_irq_handler
	.section .text
	.balign	2048
	.globl	lib_irq_vectors
lib_irq_vectors:
	.rept	5
	.balign	128
	b	lib_bad_vector
	.endr
	.balign	128
	sub	sp, sp, #(20 * 8)
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	bl	lib_irq_handler
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #(20 * 8)
	eret
	.rept	10
	.balign	128
	b	lib_bad_vector
	.endr
