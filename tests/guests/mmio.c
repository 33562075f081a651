/*
 * mmio: every load and store form tessera emulates, each on an emulated
 * device: lw/lwu/sw, c.lw/c.sw and c.lwsp/c.swsp on a vPLIC priority
 * register; lb/lbu/sb, lh/lhu/sh, ld/sd, c.ld/c.sd and c.ldsp/c.sdsp on the
 * emulated 16550's divisor latch. On a hart that reports the trapping
 * instruction in htinst (QEMU 10) tessera decodes the transformed form; on
 * one that does not (QEMU 7.2) it reads the instruction. Either way the
 * value, the register it lands in, its sign extension and the next pc must
 * be right. Needs "console": {"uart16550": "0x10000000"} (which brings the
 * vPLIC at 0x0c000000).
 */
#include "guest.h"

const char guest_name[] = "mmio";

#define VPLIC_PRIO1  0x0c000004ul   /* priority of source 1: 3 bits */
#define UART         0x10000000ul
#define UART_LCR     (UART + 3)
#define LCR_DLAB     0x80

static unsigned forms;

/* Exactly the instruction written: the assembler would compress what it can. */
#define NORVC(insns) ".option push\n\t.option norvc\n\t" insns "\n\t.option pop"

static void expect(const char *form, unsigned long got, unsigned long want)
{
	if (got != want)
		guest_fail("%s: read 0x%lx, want 0x%lx", form, got, want);
	forms++;
}

/* The 32-bit forms, with an offset in the immediate (tessera must not use it twice). */
static void word_forms(void)
{
	unsigned long base = VPLIC_PRIO1 - 16, v;
	asm volatile(NORVC("sw %1, 16(%2)\n\tlw %0, 16(%2)") : "=&r"(v) : "r"(5ul), "r"(base) : "memory");
	expect("sw/lw", v, 5);
	asm volatile(NORVC("sw %1, 16(%2)\n\tlwu %0, 16(%2)") : "=&r"(v) : "r"(3ul), "r"(base) : "memory");
	expect("sw/lwu", v, 3);
}

/* c.lw and c.sw take registers x8-x15 only. */
static void compressed_word_forms(void)
{
	register unsigned long a3 asm("a3") = VPLIC_PRIO1;
	register unsigned long a4 asm("a4") = 6;
	register unsigned long a5 asm("a5");
	asm volatile(".option push\n\t.option rvc\n\t"
		     "c.sw a4, 0(a3)\n\tc.lw a5, 0(a3)\n\t"
		     ".option pop" : "=&r"(a5) : "r"(a3), "r"(a4) : "memory");
	expect("c.sw/c.lw", a5, 6);
	/* sp-relative: sp points at the device for two instructions (interrupts are off) */
	unsigned long v;
	asm volatile(".option push\n\t.option rvc\n\t"
		     "mv t0, sp\n\tmv sp, %1\n\t"
		     "c.swsp %2, 0(sp)\n\tc.lwsp %0, 0(sp)\n\t"
		     "mv sp, t0\n\t.option pop"
		     : "=&r"(v) : "r"(VPLIC_PRIO1), "r"(2ul) : "t0", "memory");
	expect("c.swsp/c.lwsp", v, 2);
}

/* The divisor latch (DLL at +0 while LCR.DLAB is set) keeps one byte: wider stores keep the low byte. */
static void uart_forms(void)
{
	unsigned long base = UART, v;
	*(volatile uint8_t *)UART_LCR = LCR_DLAB;
	asm volatile(NORVC("sb %1, 0(%2)\n\tlb %0, 0(%2)") : "=&r"(v) : "r"(0xa5ul), "r"(base) : "memory");
	expect("sb/lb", v, (unsigned long)(long)(int8_t)0xa5);
	asm volatile(NORVC("lbu %0, 0(%1)") : "=r"(v) : "r"(base) : "memory");
	expect("lbu", v, 0xa5);
	asm volatile(NORVC("sh %1, 0(%2)\n\tlh %0, 0(%2)") : "=&r"(v) : "r"(0x1234ul), "r"(base) : "memory");
	expect("sh/lh", v, 0x34);
	asm volatile(NORVC("sh %1, 0(%2)\n\tlhu %0, 0(%2)") : "=&r"(v) : "r"(0x56ul), "r"(base) : "memory");
	expect("sh/lhu", v, 0x56);
	asm volatile(NORVC("sd %1, 0(%2)\n\tld %0, 0(%2)") : "=&r"(v) : "r"(0x1122334455667788ul), "r"(base)
		     : "memory");
	expect("sd/ld", v, 0x88);
	register unsigned long a3 asm("a3") = UART;
	register unsigned long a4 asm("a4") = 0x99;
	register unsigned long a5 asm("a5");
	asm volatile(".option push\n\t.option rvc\n\t"
		     "c.sd a4, 0(a3)\n\tc.ld a5, 0(a3)\n\t"
		     ".option pop" : "=&r"(a5) : "r"(a3), "r"(a4) : "memory");
	expect("c.sd/c.ld", a5, 0x99);
	asm volatile(".option push\n\t.option rvc\n\t"
		     "mv t0, sp\n\tmv sp, %1\n\t"
		     "c.sdsp %2, 0(sp)\n\tc.ldsp %0, 0(sp)\n\t"
		     "mv sp, t0\n\t.option pop"
		     : "=&r"(v) : "r"(UART), "r"(0x42ul) : "t0", "memory");
	expect("c.sdsp/c.ldsp", v, 0x42);
	*(volatile uint8_t *)UART = 1;             /* divisor back as it was set up */
	*(volatile uint8_t *)UART_LCR = 0x03;      /* 8N1, DLAB off */
}

void guest_main(unsigned long hartid)
{
	(void)hartid;
	irq_disable();
	word_forms();
	compressed_word_forms();
	uart_forms();
	guest_printf("mmio: %u load/store forms emulated\n", forms);
	guest_printf("PASS mmio\n");
}
