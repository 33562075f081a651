/* Per-core hardware set-up and the hooks of arch/cpu.h for RISC-V HS-mode. */
#include <arch/cpu.h>
#include <arch/csr.h>
#include <arch/sbi.h>

extern char arch_trap_entry[];
extern char secondary_entry[];

void arch_cpu_init(struct pcpu *p)
{
	(void)p;
	csr_write(stvec, (unsigned long)arch_trap_entry);
	csr_write(sscratch, 0);  /* 0 = trap came from tessera itself */
	csr_clear(sstatus, SSTATUS_SIE);
	/* Nothing is delegated to guests until a vCPU runs on this core. */
	csr_write(CSR_HEDELEG, 0);
	csr_write(CSR_HIDELEG, 0);
	csr_write(CSR_HVIP, 0);
	csr_write(CSR_HCOUNTEREN, 0);
	/* IPIs and the timer wake wfi; with sstatus.SIE clear they never trap. */
	csr_write(sie, SIE_SSIE | SIE_STIE);
	csr_clear(sip, SIP_SSIP);
}

void arch_ipi_send(unsigned long hartid)
{
	sbi_send_ipi_one(hartid);
}

void arch_ipi_clear(void)
{
	csr_clear(sip, SIP_SSIP);
}

void arch_wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

uint64_t arch_time_now(void)
{
	return csr_read(time);
}

void arch_timer_arm(uint64_t deadline)
{
	sbi_set_timer(deadline);
}

void arch_timer_disarm(void)
{
	sbi_set_timer(UINT64_MAX);
}

long arch_start_secondary(unsigned long hartid, struct pcpu *p)
{
	return sbi_hart_start(hartid, (unsigned long)secondary_entry, (unsigned long)p);
}

const char *arch_strerror(long err)
{
	return sbi_strerror(err);
}

void arch_early_putc(int c)
{
	sbi_console_putchar(c);
}

void arch_poweroff(bool failure)
{
	sbi_system_shutdown(failure ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE);
	arch_halt();
}

void arch_halt(void)
{
	csr_write(sie, 0);
	for (;;)
		__asm__ volatile("wfi");
}
