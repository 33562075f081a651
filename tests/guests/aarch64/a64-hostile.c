/*
 * A hostile AArch64 guest, run beside a victim (a64-timer on other cores):
 * HVC and SMC sweeps over the PSCI and SMCCC ranges and beyond (every call
 * must come back, unknown ones NOT_SUPPORTED), HVC with non-zero
 * immediates, system registers tessera keeps (the EL1 physical timer and
 * the hypervisor's own registers, each must come back as an Undefined
 * Instruction at its own vector), writes all over its own vGIC's registers,
 * and last a read of the host GICv3's redistributor frames past its own
 * vCPUs': that stops this VM alone.
 */
#include "a64.h"

#define PSCI_SYSTEM_OFF 0x84000008UL
static volatile uint64_t undefs;

__asm__(".section .text\n"
	".balign 2048\n"
	"hostile_vectors:\n"
	".rept 4\n.balign 128\nb .\n.endr\n"
	".balign 128\n"   /* current EL, SPx, sync: count it and step over the instruction */
	"adr x9, undefs\nldr x10, [x9]\nadd x10, x10, #1\nstr x10, [x9]\n"
	"mrs x9, elr_el1\nadd x9, x9, #4\nmsr elr_el1, x9\neret\n"
	".rept 11\n.balign 128\nb .\n.endr\n");

/* One plain store (a compiler's writeback form has no syndrome to decode: that stops the VM). */
static void store32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" :: "r"(v), "r"(addr) : "memory");
}

static int64_t smc(uint64_t fn, uint64_t a1)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1) :: "x2", "x3", "memory");
	return (int64_t)x0;
}

static int64_t hvc_imm1(uint64_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;
	__asm__ volatile("hvc #1" : "+r"(x0) :: "x1", "x2", "x3", "memory");
	return (int64_t)x0;
}

/* Functions that would stop or reset the VM, or start, stop or suspend vCPUs: not swept. */
static int skipped(uint64_t fn)
{
	uint64_t f = fn & ~0x40000000UL;
	return f == 0x84000001 || f == 0x84000002 || f == 0x84000003 || f == 0x84000008 ||
	       f == 0x84000009 || f == 0x8400000c || f == 0x8400000e || f == 0x84000012 || f == 0x84000015;
}

void secondary_main(uint64_t context)
{
	(void)context;
}

void guest_main(uint64_t dtb)
{
	(void)dtb;
	extern char hostile_vectors[];
	__asm__ volatile("msr vbar_el1, %0; isb" :: "r"(hostile_vectors));
	unsigned calls = 0, unknown = 0;
	static const uint64_t bases[] = { 0x80000000UL, 0x84000000UL, 0xc4000000UL, 0x86000000UL,
					  0xc6000000UL, 0xbf000000UL, 0x00000000UL, 0xffff0000UL };
	for (unsigned b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
		for (uint64_t fn = bases[b]; fn < bases[b] + 0x40; fn++) {
			if (skipped(fn))
				continue;
			unknown += psci(fn, 0x1234, 0x40200000, 0) == -1;
			unknown += smc(fn, 0x1234) == -1;
			calls += 2;
		}
	unsigned imm = 0;
	for (unsigned i = 0; i < 16; i++)
		imm += hvc_imm1(0x84000000UL) == -1;
	puts_uart("a64-hostile: ");
	put_dec(calls);
	puts_uart(" HVC and SMC calls came back, ");
	put_dec(unknown);
	puts_uart(" NOT_SUPPORTED; HVC #1 refused ");
	put_dec(imm);
	puts_uart(" of 16\n");
	/* registers tessera keeps: each an Undefined Instruction at this guest's own vector */
	uint64_t v;
	__asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
	__asm__ volatile("msr cntp_cval_el0, %0" :: "r"(0UL));
	__asm__ volatile("mrs %0, cntp_tval_el0" : "=r"(v));
	puts_uart("a64-hostile: ");
	put_dec(undefs);
	puts_uart(" of 3 physical-timer accesses refused\n");
	/* its own vGIC: every register of the distributor and its redistributor written with ones */
	for (uint64_t off = 0; off < 0x10000; off += 4)
		store32(0x08000000UL + off, ~0u);
	for (uint64_t off = 0; off < 0x20000; off += 4)
		if (off != 0x14)   /* not GICR_WAKER: stays awake */
			store32(0x080a0000UL + off, ~0u);
	/* 8-byte stores at the last priority words: the access runs past the priority registers */
	__asm__ volatile("str %0, [%1]" :: "r"(~0UL), "r"(0x08000000UL + 0x43c) : "memory");
	__asm__ volatile("str %0, [%1]" :: "r"(~0UL), "r"(0x080a0000UL + 0x1041c) : "memory");
	puts_uart("a64-hostile: its own vGIC written all over\n");
	puts_uart("a64-hostile: reading the host redistributors past its own\n");
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(0x080a0000UL + 0x20000UL * 2) : "memory");
	puts_uart("FAIL a64-hostile: the read came back\n");
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
}
