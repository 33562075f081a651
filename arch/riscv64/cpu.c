/* Per-core hardware set-up and the hooks of arch/cpu.h for RISC-V HS-mode. */
#include <arch/cpu.h>
#include <arch/csr.h>
#include <arch/sbi.h>
#include <stdio.h>
#include <string.h>
#include "core/console.h"
#include "core/pcpu.h"
#include "partition/hostdt.h"
#include "partition/vmcfg_arch.h"
#include "arch/riscv64/irqc/models.h"

extern char arch_trap_entry[];
extern char secondary_entry[];

void arch_cpu_init(struct pcpu *p)
{
	(void)p;
	csr_write(stvec, (unsigned long)arch_trap_entry);
	csr_write(sscratch, 0);  /* 0 = trap came from tessera itself */
	csr_clear(sstatus, SSTATUS_SIE);
	/*
	 * Guests take their own exceptions that need no hypervisor (breakpoints,
	 * misaligned accesses, their page faults, ecalls from their user mode,
	 * illegal instructions) and their VS-level interrupts; everything else
	 * traps to tessera.
	 */
	csr_write(CSR_HEDELEG, (1UL << 0) | (1UL << 2) | (1UL << 3) | (1UL << 4) | (1UL << 6) |
				       (1UL << 8) | (1UL << 12) | (1UL << 13) | (1UL << 15));
	csr_write(CSR_HIDELEG, HIP_VS_MASK);
	csr_write(CSR_HVIP, 0);
	csr_write(CSR_HCOUNTEREN, 7);   /* cycle, time, instret readable by guests */
	csr_write(CSR_HTIMEDELTA, 0);
	csr_write(CSR_HGATP, 0);
	/* Guests use FP: HS sstatus.FS must not be Off while they run. */
	csr_set(sstatus, SSTATUS_FS_INITIAL);
	/* IPIs, the timer and host PLIC interrupts wake wfi; with sstatus.SIE clear they never trap. */
	csr_write(sie, SIE_SSIE | SIE_STIE | SIE_SEIE);
	csr_set(CSR_HIE, HIE_SGEIE);   /* guest files of vCPUs not running (read-only 0 without any) */
	csr_clear(sip, SIP_SSIP);
}

void arch_ipi_send(unsigned long hartid)
{
	if (!imsic_ipi_send(hartid))
		sbi_send_ipi_one(hartid);
}

void arch_ipi_clear(void)
{
	csr_clear(sip, SIP_SSIP);
	if (imsic_ipis)
		imsic_ipi_clear();
}

void arch_wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

uint64_t arch_time_now(void)
{
	return csr_read(time);
}

/*
 * With Sstc the core's own comparator is an S-mode CSR (the firmware
 * enabled it, as the guests' vstimecmp shows): a write instead of a call
 * into the firmware. Either way an expired deadline's STIP is taken back.
 */
void arch_timer_arm(uint64_t deadline)
{
	if (isa_has(&core_platform()->boot_isa, ISA_SSTC))
		csr_write(CSR_STIMECMP, deadline);
	else
		sbi_set_timer(deadline);
	csr_set(sie, SIE_STIE);
}

/* Masking is enough, and costs no call into the firmware: arming reprograms it. */
void arch_timer_disarm(void)
{
	csr_clear(sie, SIE_STIE);
}

long arch_start_secondary(unsigned long hartid, struct pcpu *p)
{
	return sbi_hart_start(hartid, (unsigned long)secondary_entry, (unsigned long)p);
}

/* The H extension is what hosting VMs takes; the ISA comes from the host tree. */
int arch_cpu_can_host(const struct host_platform *p, char *why, size_t whylen)
{
	if (isa_has(&p->boot_isa, ISA_H))
		return 0;
	char isa[200];
	isa_format(&p->boot_isa, isa, sizeof(isa));
	snprintf(why, whylen, "no H extension (isa \"%s\")", isa);
	return -1;
}

void arch_log_boot_cpu(const struct host_platform *p)
{
	char isa[200];
	isa_format(&p->boot_isa, isa, sizeof(isa));
	log_line("  boot hart %lu, isa %s", (unsigned long)p->hartid[p->boot_index], isa);
}

/* RISC-V trees always give the timebase (/cpus timebase-frequency). */
uint64_t arch_counter_hz(void)
{
	return 0;
}

const char *arch_early_console_name(void)
{
	return "SBI";
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

int arch_check_vmcfg(const struct vmcfg *c, char *err, size_t errlen)
{
	return vmcfg_check_riscv64(c, err, errlen);
}

/*
 * 512 bytes per pass, 64 doubleword stores and two loop instructions: this
 * hart has no wider store (no V; Zicboz's cbo.zero would need the block
 * size from the tree and the firmware's menvcfg.CBZE, neither probed yet).
 */
void arch_zero_pages(void *dst, size_t n)
{
	uintptr_t p = (uintptr_t)dst, end = p + n;
	if (n % 4096 || p % 4096) {
		memset(dst, 0, n);
		return;
	}
#define Z8(o) "sd zero," #o "+0(%0); sd zero," #o "+8(%0); sd zero," #o "+16(%0); sd zero," #o "+24(%0);" \
	      "sd zero," #o "+32(%0); sd zero," #o "+40(%0); sd zero," #o "+48(%0); sd zero," #o "+56(%0);"
	for (; p < end; p += 512)
		__asm__ volatile(Z8(0) Z8(64) Z8(128) Z8(192) Z8(256) Z8(320) Z8(384) Z8(448)
				 : : "r"(p) : "memory");
#undef Z8
}
