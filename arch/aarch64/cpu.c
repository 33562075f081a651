/* Per-core set-up and the hooks of core/arch.h for AArch64 at EL2. */
#include <stdio.h>
#include <string.h>
#include <arch/cpu.h>
#include <arch/sysreg.h>
#include "arch/aarch64/irqc/gicv3.h"
#include "arch/aarch64/psci.h"
#include "core/console.h"
#include "core/pl011.h"
#include "core/uart16550.h"
#include "partition/hostdt.h"
#include "partition/vmcfg_arch.h"

extern char secondary_entry[];
extern uint32_t boot_el;

void arch_cpu_init(struct pcpu *p)
{
	(void)p;
	sysreg_write(hcr_el2, HCR_RW);   /* no guest yet: EL1 is AArch64, nothing trapped */
	sysreg_write(cnthp_ctl_el2, 0);
	sysreg_write(cntvoff_el2, 0);
	isb();
}

void arch_ipi_send(unsigned long hartid)
{
	gicv3_send_sgi(hartid, GICV3_IPI_SGI);
}

void arch_ipi_clear(void)
{
	gicv3_ack_all();
}

void arch_wait_for_interrupt(void)
{
	dsb(sy);
	__asm__ volatile("wfi" ::: "memory");
}

uint64_t arch_time_now(void)
{
	isb();
	return sysreg_read(cntpct_el0);
}

/* The EL2 physical timer: its interrupt (a PPI) wakes WFI; interrupts stay masked. */
void arch_timer_arm(uint64_t deadline)
{
	sysreg_write(cnthp_cval_el2, deadline);
	sysreg_write(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
}

void arch_timer_disarm(void)
{
	sysreg_write(cnthp_ctl_el2, 0);
	isb();
}

long arch_start_secondary(unsigned long hartid, struct pcpu *p)
{
	return psci_call(PSCI_CPU_ON, hartid, (uint64_t)(uintptr_t)secondary_entry, (uint64_t)(uintptr_t)p);
}

const char *arch_strerror(long err)
{
	return psci_strerror(err);
}

int arch_cpu_can_host(const struct host_platform *p, char *why, size_t whylen)
{
	(void)p;
	if (boot_el == 2)
		return 0;
	snprintf(why, whylen, "entered at EL%u, not EL2 (no virtualization)", (unsigned)boot_el);
	return -1;
}

void arch_log_boot_cpu(const struct host_platform *p)
{
	log_line("  boot cpu mpidr 0x%lx, midr 0x%lx, entered at EL%u", (unsigned long)p->hartid[p->boot_index],
		 (unsigned long)sysreg_read(midr_el1), (unsigned)boot_el);
}

uint64_t arch_counter_hz(void)
{
	return sysreg_read(cntfrq_el0);
}

/* Nothing prints before the host tree has named the UART. */
void arch_early_putc(int c)
{
	(void)c;
}

const char *arch_early_console_name(void)
{
	return "nothing";
}

void arch_poweroff(bool failure)
{
	(void)failure;   /* PSCI has no failure code: the log says why */
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	arch_halt();
}

/* One table of PSCI calls (psci_guest.c), with no two handlers for one call: nothing to check. */
int arch_hypercalls_check(char *why, size_t whylen)
{
	if (whylen)
		why[0] = '\0';
	return 0;
}

int arch_check_vmcfg(const struct vmcfg *c, char *err, size_t errlen)
{
	return vmcfg_check_aarch64(c, err, errlen);
}

/*
 * Entered at EL1 (the machine gives no virtualization): nothing tessera
 * keeps per core is usable there (TPIDR_EL2), so this says why on the
 * tree's console UART directly and powers off through PSCI.
 */
__attribute__((noreturn)) void arch_refuse_el1(unsigned long mpidr, const void *fdt);
void arch_refuse_el1(unsigned long mpidr, const void *fdt)
{
	static struct host_platform h;
	static char err[HOSTDT_ERR_LEN];
	if (hostdt_read(fdt, mpidr, &h, err, sizeof(err)) == 0 && h.uart.present) {
		bool pl011 = !strcmp(h.uart.compatible, "arm,pl011");
		if (pl011)
			pl011_init((uintptr_t)h.uart.base);
		else
			uart16550_init((uintptr_t)h.uart.base, h.uart.reg_shift, h.uart.reg_io_width);
		for (const char *m = "tessera: entered at EL1, not EL2: this machine gives no virtualization "
				     "(QEMU: -M virt,virtualization=on); powering off\r\n"; *m; m++)
			pl011 ? pl011_putc(*m) : uart16550_putc(*m);
	}
	bool smc = !strcmp(h.psci_method, "smc"), hvc = !strcmp(h.psci_method, "hvc");
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;   /* no call from here to the asm */
	if (smc)
		__asm__ volatile("smc #0" : "+r"(x0) :: "memory", "x1", "x2", "x3");
	else if (hvc)
		__asm__ volatile("hvc #0" : "+r"(x0) :: "memory", "x1", "x2", "x3");
	arch_halt();
}

/*
 * tessera runs at EL2 with its MMU off, so RAM is Device memory to it: DC ZVA
 * (which faults on Device memory) is out, and the widest store is a pair of
 * 128-bit SIMD registers. 512 bytes per pass; q0 and q1 (a guest's, perhaps,
 * when a VM reboots on a core that runs another) are put back.
 */
void arch_zero_pages(void *dst, size_t n)
{
	uintptr_t p = (uintptr_t)dst, end = p + n;
	if (n % 4096 || p % 4096) {
		memset(dst, 0, n);
		return;
	}
	__uint128_t save[2] __attribute__((aligned(16)));
	__asm__ volatile(".arch_extension simd\n"
			 "stp q0, q1, [%0]\n movi v0.16b, #0\n movi v1.16b, #0"
			 : : "r"(save) : "memory");
#define Z(o) "stp q0, q1, [%0, #" #o "]\n"
	for (; p < end; p += 512)
		__asm__ volatile(".arch_extension simd\n"
				 Z(0) Z(32) Z(64) Z(96) Z(128) Z(160) Z(192) Z(224)
				 Z(256) Z(288) Z(320) Z(352) Z(384) Z(416) Z(448) Z(480)
				 : : "r"(p) : "memory");
#undef Z
	__asm__ volatile(".arch_extension simd\n ldp q0, q1, [%0]" : : "r"(save) : "memory");
}
