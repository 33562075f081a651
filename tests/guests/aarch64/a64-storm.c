/*
 * Storms and hogs from an AArch64 guest that shares its cores with a victim
 * (a64-timer): the attack is /chosen/bootargs "attack=NAME", for 1.5 s of
 * the counter:
 *   hvc   PSCI_VERSION over HVC as fast as it can (every one an exit);
 *   sgi   vCPU 0 sends SGI 3 to vCPU 1 as fast as it can (each a trapped
 *         ICC_SGI1R_EL1 write, and a VIRQ message when vCPU 1 is elsewhere);
 *   spin  a loop that never exits: only tessera's time slice takes the core.
 * Prints "a64-storm: NAME: ..." with its counts, then "PASS a64-storm: NAME"
 * (or "FAIL ...") and powers off. The victim's lines show it kept its time.
 */
#include "a64.h"

#define GICD 0x08000000UL
#define GICR(i) (0x080a0000UL + 0x20000UL * (i))
#define SGI_BASE 0x10000UL
#define STORM_SGI 3
#define PSCI_VERSION 0x84000000UL
#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_SYSTEM_OFF 0x84000008UL

#define sysreg_r(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_) :: "memory"); v_; })
#define sysreg_w(r, v) __asm__ volatile("msr " #r ", %0; isb" :: "r"((uint64_t)(v)) : "memory")

static volatile uint64_t taken, ready, stop;

static inline void w32(uint64_t a, uint32_t v) { __asm__ volatile("str %w0, [%1]" :: "r"(v), "r"(a) : "memory"); }

static int is(const uint8_t *v, uint32_t len, const char *want)
{
	const char *a = (const char *)v;
	const char *key = "attack=";
	uint32_t i = 0;
	for (; key[i]; i++)
		if (i >= len || a[i] != key[i])
			return 0;
	for (uint32_t j = 0; want[j]; j++, i++)
		if (i >= len || a[i] != want[j])
			return 0;
	return i < len && (a[i] == 0 || a[i] == ' ');
}

void lib_irq_handler(void)
{
	uint64_t iar = sysreg_r(icc_iar1_el1);
	if ((iar & 0xffffff) == STORM_SGI)
		taken++;
	if ((iar & 0xffffff) < 1020)
		sysreg_w(icc_eoir1_el1, iar);
}

void secondary_main(uint64_t context)
{
	(void)context;
	w32(GICR(1) + 0x14, 0);
	w32(GICR(1) + SGI_BASE + 0x100, 1u << STORM_SGI);
	__asm__ volatile("msr vbar_el1, %0; isb" :: "r"(lib_irq_vectors));
	sysreg_w(icc_sre_el1, 1);
	sysreg_w(icc_pmr_el1, 0xff);
	sysreg_w(icc_igrpen1_el1, 1);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	ready = 1;
	while (!stop)
		__asm__ volatile("wfi");
	for (;;)
		__asm__ volatile("wfi");
}

static uint64_t deadline(void)
{
	return sysreg_r(cntvct_el0) + sysreg_r(cntfrq_el0) * 3 / 2;
}

void guest_main(uint64_t dtb)
{
	const uint8_t *args;
	uint32_t len;
	if (fdt_find_prop((const void *)(uintptr_t)dtb, "chosen", "bootargs", &args, &len)) {
		puts_uart("FAIL a64-storm: no /chosen/bootargs with attack=\n");
		psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
	uint64_t end = deadline(), n = 0;
	if (is(args, len, "hvc")) {
		while (sysreg_r(cntvct_el0) < end) {
			psci(PSCI_VERSION, 0, 0, 0);
			n++;
		}
		puts_uart("a64-storm: hvc: ");
		put_dec(n);
		puts_uart(" calls\nPASS a64-storm: hvc\n");
	} else if (is(args, len, "sgi")) {
		w32(GICD, 2);
		psci(PSCI_CPU_ON, 1, (uint64_t)(uintptr_t)secondary_start, 0);
		while (!ready && sysreg_r(cntvct_el0) < end)
			;
		while (sysreg_r(cntvct_el0) < end) {
			sysreg_w(icc_sgi1r_el1, (uint64_t)STORM_SGI << 24 | 1UL << 1);
			n++;
		}
		stop = 1;
		for (uint64_t t = deadline(); !taken && sysreg_r(cntvct_el0) < t;)
			;
		puts_uart("a64-storm: sgi: ");
		put_dec(n);
		puts_uart(" SGIs at vCPU 1, ");
		put_dec(taken);
		puts_uart(" taken\n");
		puts_uart(ready && taken && taken <= n ? "PASS a64-storm: sgi\n" : "FAIL a64-storm: sgi\n");
	} else if (is(args, len, "spin")) {
		while (sysreg_r(cntvct_el0) < end)
			n++;
		puts_uart("a64-storm: spin: done\nPASS a64-storm: spin\n");
	} else {
		puts_uart("FAIL a64-storm: attack= is hvc, sgi or spin\n");
	}
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
}
