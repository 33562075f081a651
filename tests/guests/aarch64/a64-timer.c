/*
 * Interrupts through the virtual GICv3: the guest's own virtual timer
 * (PPI 27) ten times at 1 ms, each taken at its EL1 IRQ vector and ended
 * with ICC_EOIR1_EL1; then, with 2 or more vCPUs, SGIs between vCPU 0 and
 * vCPU 1 (ICC_SGI1R_EL1, trapped and sent by tessera), 200 round trips.
 * Prints "PASS a64-timer" or "FAIL ...".
 */
#include "a64.h"

#define GICD      0x08000000UL
#define GICR(i)   (0x080a0000UL + 0x20000UL * (i))
#define SGI_BASE  0x10000UL
#define TIMER_PPI 27
#define SGI_PING  1
#define SGI_PONG  2
#define ROUNDS    200
#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_AFFINITY_INFO 0xc4000004UL
#define PSCI_SYSTEM_OFF 0x84000008UL

static volatile uint32_t ticks, pings, pongs, spurious, cpu1_ready;
static volatile uint64_t period;

static inline void w32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint32_t r32(uint64_t a) { return *(volatile uint32_t *)a; }

#define sysreg_r(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define sysreg_w(r, v) __asm__ volatile("msr " #r ", %0; isb" :: "r"((uint64_t)(v)) : "memory")

/* One IRQ vector (current EL, SPx: offset 0x280) into irq_handler, the rest into a FAIL. */
__asm__(".section .text\n"
	".balign 2048\n"
	"irq_vectors:\n"
	".rept 5\n.balign 128\nb bad_vector\n.endr\n"
	".balign 128\n"
	"stp x29, x30, [sp, #-16]!\nstp x0, x1, [sp, #-16]!\nstp x2, x3, [sp, #-16]!\n"
	"stp x4, x5, [sp, #-16]!\nstp x6, x7, [sp, #-16]!\nstp x8, x9, [sp, #-16]!\n"
	"stp x10, x11, [sp, #-16]!\nstp x12, x13, [sp, #-16]!\nstp x14, x15, [sp, #-16]!\n"
	"stp x16, x17, [sp, #-16]!\nstp x18, x19, [sp, #-16]!\n"
	"bl irq_handler\n"
	"ldp x18, x19, [sp], #16\nldp x16, x17, [sp], #16\nldp x14, x15, [sp], #16\n"
	"ldp x12, x13, [sp], #16\nldp x10, x11, [sp], #16\nldp x8, x9, [sp], #16\n"
	"ldp x6, x7, [sp], #16\nldp x4, x5, [sp], #16\nldp x2, x3, [sp], #16\n"
	"ldp x0, x1, [sp], #16\nldp x29, x30, [sp], #16\neret\n"
	".rept 10\n.balign 128\nb bad_vector\n.endr\n"
	"bad_vector:\nb bad_vector_c\n");

void bad_vector_c(void);
void bad_vector_c(void)
{
	puts_uart("FAIL a64-timer: an exception at an unexpected vector\n");
	for (;;)
		;
}

static void send_sgi(unsigned intid, unsigned vcpu)
{
	sysreg_w(icc_sgi1r_el1, (uint64_t)intid << 24 | 1UL << vcpu);
}

void irq_handler(void);
void irq_handler(void)
{
	uint64_t iar = sysreg_r(icc_iar1_el1);
	unsigned id = (unsigned)(iar & 0xffffff);
	if (id == TIMER_PPI) {
		if (++ticks < 10)
			sysreg_w(cntv_cval_el0, sysreg_r(cntv_cval_el0) + period);
		else
			sysreg_w(cntv_ctl_el0, 0);
	} else if (id == SGI_PING) {
		pings++;
		send_sgi(SGI_PONG, 0);
	} else if (id == SGI_PONG) {
		pongs++;
	} else {
		spurious++;
	}
	if (id < 1020)
		sysreg_w(icc_eoir1_el1, iar);
}

/*
 * Sleep until an interrupt, unless cond already holds: IRQs are masked over
 * the check and the WFI, so one taken just before it cannot be slept
 * through (a pending interrupt wakes WFI even while masked).
 */
#define WAIT_UNTIL(cond)                                                        \
	do {                                                                    \
		for (;;) {                                                      \
			__asm__ volatile("msr daifset, #2" ::: "memory");       \
			if (cond)                                               \
				break;                                          \
			__asm__ volatile("wfi");                                \
			__asm__ volatile("msr daifclr, #2; isb" ::: "memory");  \
		}                                                               \
		__asm__ volatile("msr daifclr, #2; isb" ::: "memory");          \
	} while (0)

static void cpu_interface_on(unsigned id, uint32_t ppis)
{
	w32(GICR(id) + 0x14, 0);   /* GICR_WAKER: awake */
	for (unsigned i = 0; i < 32; i += 4)
		w32(GICR(id) + SGI_BASE + 0x400 + i, 0x80808080u);
	w32(GICR(id) + SGI_BASE + 0x100, ppis);   /* ISENABLER0 */
	extern char irq_vectors[];
	__asm__ volatile("msr vbar_el1, %0; isb" :: "r"(irq_vectors));
	sysreg_w(icc_sre_el1, 1);
	sysreg_w(icc_pmr_el1, 0xff);
	sysreg_w(icc_igrpen1_el1, 1);
	__asm__ volatile("msr daifclr, #2" ::: "memory");   /* IRQs on */
}

void secondary_main(uint64_t context)
{
	(void)context;
	cpu_interface_on(1, 1u << SGI_PING);
	cpu1_ready = 1;
	for (;;)
		__asm__ volatile("wfi");
}

void guest_main(uint64_t dtb)
{
	(void)dtb;
	unsigned fails = 0;
	if ((r32(GICD + 0xffe8) & 0xf0) != 0x30 || (r32(GICR(0) + 0xffe8) & 0xf0) != 0x30) {
		puts_uart("FAIL a64-timer: no GICv3 at the distributor and redistributor addresses\n");
		fails++;
	}
	/* GICR_TYPER.Last: on vCPU 0's redistributor only when it is the VM's one vCPU */
	if (!!(r32(GICR(0) + 0x8) & 0x10) != (psci(PSCI_AFFINITY_INFO, 1, 0, 0) == -2)) {
		puts_uart("FAIL a64-timer: GICR_TYPER.Last does not match the vCPUs\n");
		fails++;
	}
	w32(GICD, 2);   /* GICD_CTLR.EnableGrp1A */
	cpu_interface_on(0, 1u << TIMER_PPI | 1u << SGI_PONG);
	period = sysreg_r(cntfrq_el0) / 1000;
	uint64_t start = sysreg_r(cntvct_el0);
	sysreg_w(cntv_cval_el0, start + period);
	sysreg_w(cntv_ctl_el0, 1);
	WAIT_UNTIL(ticks >= 10);
	uint64_t took = sysreg_r(cntvct_el0) - start;
	puts_uart("a64-timer: 10 timer interrupts in ");
	put_dec(took / (period ? period / 1000 : 1));
	puts_uart(" us\n");
	if (took < 10 * period) {
		puts_uart("FAIL a64-timer: the timer interrupts came early\n");
		fails++;
	}
	if (psci(PSCI_AFFINITY_INFO, 1, 0, 0) == 1) {
		psci(PSCI_CPU_ON, 1, (uint64_t)(uintptr_t)secondary_start, 0);
		while (!cpu1_ready)
			;
		for (unsigned i = 0; i < ROUNDS; i++) {
			uint32_t before = pongs;
			send_sgi(SGI_PING, 1);
			WAIT_UNTIL(pongs != before);
		}
		puts_uart("a64-timer: ");
		put_dec(pongs);
		puts_uart(" SGI round trips\n");
		if (pings != ROUNDS || pongs != ROUNDS) {
			puts_uart("FAIL a64-timer: SGIs lost or doubled\n");
			fails++;
		}
	}
	if (spurious) {
		puts_uart("FAIL a64-timer: interrupts nobody raised\n");
		fails++;
	}
	puts_uart(fails ? "FAIL a64-timer\n" : "PASS a64-timer\n");
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
}
