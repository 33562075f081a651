/*
 * tessera's RISC-V entry (the order of bring-up: boot/boot.h). The image starts with a Linux-style RISC-V Image header so
 * U-Boot's booti accepts it; OpenSBI's fw_jump simply jumps to its start.
 * Both enter in HS-mode with a0 = hart id and a1 = device tree.
 */
#include "boot/boot.h"

	.section .text.head, "ax"
	.globl _start
_start:
	.option push
	.option norvc
	j	boot_entry		/* code0 */
	.word	0			/* code1 */
	.option pop
	.dword	0x200000		/* text_offset from the start of RAM */
	.dword	_image_size		/* bytes to reserve, BSS included */
	.dword	0			/* flags: little-endian */
	.word	0x2			/* header version 0.2 */
	.word	0
	.dword	0
	.ascii	"RISCV\0\0\0"		/* magic (deprecated form) */
	.ascii	"RSC\x05"		/* magic2 */
	.word	0

link_address:
	.dword	_start

boot_entry:
	csrw	sie, zero
	csrw	sscratch, zero
	mv	tp, zero
	/* Only one boot hart: see late_hart below. */
	lla	t0, boot_lottery
	li	t1, 1
	amoswap.w.aqrl t1, t1, (t0)
	bnez	t1, late_hart
	/* tessera is linked to run where fw_jump puts it: refuse anywhere else. */
	lla	t0, _start
	ld	t1, link_address
	bne	t0, t1, wrong_address
	/* BSS: 64 bytes a turn (both ends are 64-byte aligned, tessera.ld) */
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	sd	zero, 8(t0)
	sd	zero, 16(t0)
	sd	zero, 24(t0)
	sd	zero, 32(t0)
	sd	zero, 40(t0)
	sd	zero, 48(t0)
	sd	zero, 56(t0)
	addi	t0, t0, 64
	j	1b
2:	lla	sp, boot_stack_top
	call	boot_main
	j	arch_halt

wrong_address:
	lla	s0, wrong_address_msg
3:	lbu	a0, 0(s0)
	beqz	a0, 4f
	li	a7, 0x01		/* legacy console_putchar: works before anything is set up */
	ecall
	addi	s0, s0, 1
	j	3b
4:	li	a7, 0x53525354		/* SRST shutdown, reason: system failure */
	li	a6, 0
	li	a0, 0
	li	a1, 1
	ecall
	j	arch_halt

/*
 * OpenSBI 1.1 marks a hart START_PENDING before it stores the start address,
 * so a hart still on its way to its wait loop can leave early, for the old
 * address (this one) with the old argument (the DTB). Such a hart is one
 * tessera is starting: find its struct pcpu by hart id and go on as a
 * secondary. Not found (no start was asked for it): park it.
 */
late_hart:
	lla	t0, core_count_published
	lwu	t1, 0(t0)
	lla	t2, core_hartid
	lla	t3, core_pcpu_ptr
1:	beqz	t1, 3f
	ld	t4, 0(t2)
	beq	t4, a0, 2f
	addi	t2, t2, 8
	addi	t3, t3, 8
	addi	t1, t1, -1
	j	1b
2:	ld	a1, 0(t3)
	beqz	a1, 3f
	j	secondary_entry
3:	wfi
	j	3b

/* Secondary harts, started by SBI HSM: a0 = hart id, a1 = its struct pcpu. */
	.globl secondary_entry
secondary_entry:
	csrw	sie, zero
	csrw	sscratch, zero
	mv	tp, a1
	ld	sp, 0(a1)		/* pcpu->stack_top */
	call	secondary_main
	j	arch_halt

/* arch_switch_stack(sp, fn, arg): continue in fn(arg) on a new stack. */
	.globl arch_switch_stack
arch_switch_stack:
	mv	sp, a0
	mv	tp, a2
	mv	a0, a2
	jr	a1

	.section .rodata
wrong_address_msg:
	.asciz	"tessera: loaded at the wrong address: it must be loaded at 0x80200000 (text_offset 0x200000)\r\n"

	.section .data
	.balign 4
boot_lottery:
	.word	0

	.section .bss
	.balign 16
boot_stack:
	.skip	BOOT_STACK_SIZE
boot_stack_top:
