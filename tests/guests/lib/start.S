/*
 * Guest entry.  The image is loaded and entered at 0x80200000 in S-mode
 * (VS-mode under tessera) with a0 = hart id, a1 = DTB address or 0,
 * paging off.
 *
 * Per-hart state is indexed by a small "slot" (0..GUEST_MAX_HARTS-1) kept
 * in tp, never by the hart id: the boot hart is slot 0, every hart started
 * through guest_hart_start() gets its slot in the HSM `opaque` argument.
 */
#include "layout.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	csrr	t2, instret		/* first instruction: boot cost (make bench); t2 kept below */
	csrw	sie, zero
	csrci	sstatus, 2		/* SIE off */
	/* Only the first hart to arrive is the boot hart. */
	la	t0, guest_boot_lottery
	li	t1, 1
	amoswap.w.aqrl t1, t1, (t0)
	bnez	t1, .Lgive_back

	/* Boot hart: clear BSS (64-byte aligned, see guest.ld). */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	t0, guest_entry_instret
	sd	t2, 0(t0)
	fence	rw, rw
	li	tp, 0
	la	sp, guest_stacks
	li	t0, GUEST_STACK_SIZE
	add	sp, sp, t0
	call	guest_boot_entry	/* (hartid, dtb): never returns */
	j	.Lpark

/*
 * A hart that should not run here (late arrival at _start, or a bad slot):
 * give it back to the firmware with HSM hart_stop so it can be started.
 */
.Lgive_back:
	li	a7, 0x48534D
	li	a6, 1
	ecall
.Lpark:
	wfi
	j	.Lpark

/* HSM start address for secondary harts: a0 = hart id, a1 = slot. */
	.text
	.globl guest_secondary_start
	.balign 4
guest_secondary_start:
	csrw	sie, zero
	csrci	sstatus, 2
	li	t0, GUEST_MAX_HARTS
	bgeu	a1, t0, .Lgive_back
	mv	tp, a1
	la	sp, guest_stacks
	addi	t0, a1, 1
	slli	t0, t0, GUEST_STACK_SHIFT
	add	sp, sp, t0
	call	guest_secondary_entry	/* (hartid, slot): never returns */
	j	.Lpark

/* Trap vector (direct mode): save caller-saved registers, call C. */
	.globl guest_trap_vector
	.balign 4
guest_trap_vector:
	addi	sp, sp, -TF_SIZE
	sd	ra, TF_RA(sp)
	sd	t0, TF_T0(sp)
	sd	t1, TF_T1(sp)
	sd	t2, TF_T2(sp)
	sd	a0, TF_A0+0(sp)
	sd	a1, TF_A0+8(sp)
	sd	a2, TF_A0+16(sp)
	sd	a3, TF_A0+24(sp)
	sd	a4, TF_A0+32(sp)
	sd	a5, TF_A0+40(sp)
	sd	a6, TF_A0+48(sp)
	sd	a7, TF_A0+56(sp)
	sd	t3, TF_T3(sp)
	sd	t4, TF_T4(sp)
	sd	t5, TF_T5(sp)
	sd	t6, TF_T6(sp)
	csrr	t0, sepc
	sd	t0, TF_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, TF_SSTATUS(sp)
	mv	a0, sp
	call	guest_trap_dispatch
	ld	t0, TF_SEPC(sp)
	csrw	sepc, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	sstatus, t0
	ld	ra, TF_RA(sp)
	ld	t0, TF_T0(sp)
	ld	t1, TF_T1(sp)
	ld	t2, TF_T2(sp)
	ld	a0, TF_A0+0(sp)
	ld	a1, TF_A0+8(sp)
	ld	a2, TF_A0+16(sp)
	ld	a3, TF_A0+24(sp)
	ld	a4, TF_A0+32(sp)
	ld	a5, TF_A0+40(sp)
	ld	a6, TF_A0+48(sp)
	ld	a7, TF_A0+56(sp)
	ld	t3, TF_T3(sp)
	ld	t4, TF_T4(sp)
	ld	t5, TF_T5(sp)
	ld	t6, TF_T6(sp)
	addi	sp, sp, TF_SIZE
	sret

	.data
	.balign 4
	.globl guest_boot_lottery
guest_boot_lottery:			/* reset by guest_reboot_warm() */
	.word	0

	.bss
	.balign 16
	.globl guest_stacks
guest_stacks:
	.space	GUEST_MAX_HARTS * GUEST_STACK_SIZE
