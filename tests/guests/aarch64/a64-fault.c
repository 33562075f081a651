/*
 * A misbehaving AArch64 guest, run beside a64-hello: an undefined
 * instruction (taken at EL1 by the CPU itself) and a system register
 * tessera keeps from guests (the EL1 physical timer: trapped to EL2, then
 * injected) must each come back to it as an Undefined Instruction
 * exception at its own EL1 vector (ESR_EL1.EC 0, ELR_EL1 at it), and a
 * load pair from its emulated UART (no syndrome to decode) must stop this
 * VM only, logged with its vCPU, pc and cause.
 */
#include "a64.h"

static volatile uint64_t undef_esr, undef_elr;

/* The EL1 vector table: only "current EL, SPx, synchronous" (offset 0x200) is expected. */
__asm__(".section .text\n"
	".balign 2048\n"
	"el1_vectors:\n"
	".rept 4\n.balign 128\nb unexpected\n.endr\n"
	".balign 128\nb sync_spx\n"
	".rept 11\n.balign 128\nb unexpected\n.endr\n"
	"sync_spx:\n"
	"mrs x9, esr_el1\nadr x10, undef_esr\nstr x9, [x10]\n"
	"mrs x9, elr_el1\nadr x10, undef_elr\nstr x9, [x10]\n"
	"add x9, x9, #4\nmsr elr_el1, x9\neret\n"
	"unexpected:\nb unexpected_vector\n");

void unexpected_vector(void);
void unexpected_vector(void)
{
	puts_uart("FAIL a64-fault: an exception at an unexpected vector\n");
	for (;;)
		;
}

void secondary_main(uint64_t context)
{
	(void)context;
}

void guest_main(uint64_t dtb)
{
	(void)dtb;
	extern char el1_vectors[];
	__asm__ volatile("msr vbar_el1, %0; isb" :: "r"(el1_vectors));
	uint64_t at;
	__asm__ volatile("adr %0, 1f\n1: udf #0" : "=r"(at));
	if (undef_esr >> 26 == 0 && undef_elr == at)
		puts_uart("a64-fault: undefined instruction taken at EL1, ESR_EL1.EC 0, ELR_EL1 at it\n");
	else
		puts_uart("FAIL a64-fault: no Undefined Instruction exception at EL1\n");
	undef_esr = ~0UL;
	__asm__ volatile("adr %0, 1f\n1: mrs x0, cntp_ctl_el0" : "=r"(at) :: "x0");
	if (undef_esr >> 26 == 0 && undef_elr == at)
		puts_uart("a64-fault: CNTP_CTL_EL0 refused as an undefined instruction at EL1\n");
	else
		puts_uart("FAIL a64-fault: CNTP_CTL_EL0 did not come back as Undefined Instruction\n");
	puts_uart("a64-fault: load pair from the UART\n");
	uint64_t a, b;
	__asm__ volatile("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(UART_GPA) : "memory");
	puts_uart("FAIL a64-fault: the load pair returned\n");
	for (;;)
		;
}
