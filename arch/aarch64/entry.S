/*
 * tessera's AArch64 entry (the order of bring-up: boot/boot.h). The image
 * starts with an arm64 Linux Image header, so QEMU's -kernel and U-Boot's
 * booti load it at RAM base + text_offset and enter it with x0 = the device
 * tree, MMU off, at EL2 when the machine has virtualization. Secondaries
 * come in at secondary_entry through PSCI CPU_ON with x0 = their struct pcpu.
 */
#include "boot/boot.h"

#define SCTLR_EL2_M  (1 << 0)
#define SCTLR_EL2_A  (1 << 1)
#define CPTR_EL2_RES1 0x32ff     /* RES1 bits 13:12, 9:0; TFP (bit 10) clear: FP/SIMD not trapped */

	.macro	adr_l reg, sym		/* the address of sym, +-4 GiB from here */
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

	.section .text.head, "ax"
	.globl _start
_start:
	b	primary_entry		/* code0 */
	.word	0			/* code1 */
	.quad	0x200000		/* text_offset from a 2 MiB aligned base */
	.quad	_image_size		/* bytes to reserve, BSS included */
	.quad	0x2			/* flags: little-endian, 4 KiB pages, placed near the base of RAM */
	.quad	0, 0, 0
	.ascii	"ARM\x64"		/* magic */
	.word	0

	.text
primary_entry:
	msr	daifset, #0xf
	mov	x19, x0			/* the device tree */
	mrs	x1, CurrentEL
	ubfx	x1, x1, #2, #2
	adr_l	x2, boot_el
	str	w1, [x2]
	/* tessera is linked to run where the loaders put it: anywhere else, nothing can run */
	adr	x2, _start
	ldr	x3, =_start
	cmp	x2, x3
	b.ne	not_here
	cmp	x1, #2
	b.ne	1f
	bl	el2_setup
1:	adr_l	x2, __bss_start
	adr_l	x3, __bss_end
1:	cmp	x2, x3
	b.hs	2f
	stp	xzr, xzr, [x2], #16
	stp	xzr, xzr, [x2], #16
	stp	xzr, xzr, [x2], #16
	stp	xzr, xzr, [x2], #16
	b	1b
2:	adr_l	x2, boot_stack_top
	mov	sp, x2
	mrs	x0, mpidr_el1
	ldr	x2, =0xff00ffffff
	and	x0, x0, x2
	mov	x1, x19
	adr_l	x2, boot_el
	ldr	w2, [x2]
	cmp	w2, #2
	b.ne	arch_refuse_el1		/* no virtualization: say so and power off (cpu.c) */
	msr	tpidr_el2, xzr
	mrs	x0, mpidr_el1
	ldr	x2, =0xff00ffffff	/* Aff3..Aff0: the cpu's reg in the device tree */
	and	x0, x0, x2
	mov	x1, x19
	bl	boot_main
	b	arch_halt

/* Loaded elsewhere than linked: no C can run, so park. */
not_here:
	wfi
	b	not_here

/* EL2 as tessera runs: MMU off, no alignment checks, FP/SIMD usable, its vectors. */
el2_setup:
	mrs	x2, sctlr_el2
	bic	x2, x2, #SCTLR_EL2_M
	bic	x2, x2, #SCTLR_EL2_A
	msr	sctlr_el2, x2
	mov	x2, #CPTR_EL2_RES1
	msr	cptr_el2, x2
	adr_l	x2, arch_el2_vectors
	msr	vbar_el2, x2
	isb
	ret

/* Secondary cores, started by PSCI CPU_ON: x0 = its struct pcpu. */
	.globl secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	bl	el2_setup
	msr	tpidr_el2, x19
	ldr	x2, [x19]		/* pcpu->stack_top */
	mov	sp, x2
	mrs	x0, mpidr_el1
	ldr	x2, =0xff00ffffff
	and	x0, x0, x2
	mov	x1, x19
	bl	secondary_main
	b	arch_halt

/* arch_switch_stack(sp, fn, arg): continue in fn(arg) on a new stack. */
	.globl arch_switch_stack
arch_switch_stack:
	mov	sp, x0
	msr	tpidr_el2, x2
	mov	x0, x2
	br	x1

	.globl arch_halt
arch_halt:
	msr	daifset, #0xf
1:	wfi
	b	1b

	.section .data
	.balign 4
	.globl boot_el
boot_el:
	.word	0

	.section .bss
	.balign 16
boot_stack:
	.skip	BOOT_STACK_SIZE
boot_stack_top:
