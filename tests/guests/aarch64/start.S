/*
 * Entry of the AArch64 test guests: vCPU 0 at the kernel address with x0 =
 * its device tree (0 with "dtb": "none"), the others where PSCI CPU_ON
 * sends them, with x0 = the context id. Each vCPU gets a 16 KiB stack by
 * its MPIDR's Aff0 and FP/SIMD on, then guest_main(x0) or secondary_main(x0).
 */
	.section .text.start, "ax"
	.globl	_start
_start:
	adr	x1, guest_main
	b	common

	.globl	secondary_start
secondary_start:
	adr	x1, secondary_main
common:
	mov	x4, #(3 << 20)		/* CPACR_EL1.FPEN: FP/SIMD on (off out of reset) */
	msr	cpacr_el1, x4
	isb
	mrs	x2, mpidr_el1
	and	x2, x2, #0xff
	add	x2, x2, #1
	adr	x3, stacks
	add	x3, x3, x2, lsl #14
	mov	sp, x3
	blr	x1
1:	wfi
	b	1b

	.bss
	.balign	16
stacks:
	.space	16384 * 8
