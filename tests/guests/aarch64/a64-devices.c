/*
 * A passed-through device on AArch64: QEMU's PL031 RTC (/pl031@9010000,
 * host SPI 2), mapped at its host address. The guest finds its interrupt in
 * the generated tree (the vGIC line tessera gave it), sets the RTC's match
 * register three times and takes each alarm at its IRQ vector through the
 * virtual CPU interface. The second and third alarms prove the first was
 * ended in the host too: the host SPI stays active until the guest's EOI
 * deactivates it through the hardware-linked list register.
 * Prints "PASS a64-devices" or "FAIL ...".
 */
#include "a64.h"

#define RTC 0x09010000UL
#define RTC_DR 0x00
#define RTC_MR 0x04
#define RTC_IMSC 0x10
#define RTC_MIS 0x18
#define RTC_ICR 0x1c
#define GICD 0x08000000UL
#define GICR0 0x080a0000UL
#define SGI_BASE 0x10000UL
#define PSCI_SYSTEM_OFF 0x84000008UL
#define ALARMS 3

#define sysreg_r(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_) :: "memory"); v_; })
#define sysreg_w(r, v) __asm__ volatile("msr " #r ", %0; isb" :: "r"((uint64_t)(v)) : "memory")

static volatile uint32_t alarms, strays;
static unsigned rtc_intid;

static inline void w32(uint64_t a, uint32_t v) { __asm__ volatile("str %w0, [%1]" :: "r"(v), "r"(a) : "memory"); }
static inline uint32_t r32(uint64_t a)
{
	uint32_t v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/* The INTID of the pl031@... node, from its "interrupts" <0 N flags>: 32 + N; 0 if none. */
static unsigned find_rtc_intid(const void *dtb)
{
	const uint8_t *v;
	uint32_t len;
	if (fdt_find_prop(dtb, "pl031@", "interrupts", &v, &len) || len != 12 || fdt_be32(v) != 0)
		return 0;
	return 32 + fdt_be32(v + 4);
}

void lib_irq_handler(void)
{
	uint64_t iar = sysreg_r(icc_iar1_el1);
	unsigned id = (unsigned)(iar & 0xffffff);
	if (id == rtc_intid && (r32(RTC + RTC_MIS) & 1)) {
		w32(RTC + RTC_ICR, 1);   /* the device lowers its line */
		alarms++;
	} else if (id < 1020) {
		strays++;
	}
	if (id < 1020)
		sysreg_w(icc_eoir1_el1, iar);   /* EOImode 0: this also deactivates, and the host's SPI with it */
}

void secondary_main(uint64_t context)
{
	(void)context;
}

static int wait_alarm(uint32_t want)
{
	uint64_t freq = sysreg_r(cntfrq_el0), end = sysreg_r(cntvct_el0) + 3 * freq;
	while (alarms < want && sysreg_r(cntvct_el0) < end) {
		sysreg_w(cntv_cval_el0, sysreg_r(cntvct_el0) + freq / 100);   /* a 10 ms nap at most */
		sysreg_w(cntv_ctl_el0, 3);   /* enabled, masked: it only ends the WFI */
		__asm__ volatile("msr daifset, #2; wfi; msr daifclr, #2" ::: "memory");
	}
	sysreg_w(cntv_ctl_el0, 0);
	return alarms >= want;
}

void guest_main(uint64_t dtb)
{
	rtc_intid = find_rtc_intid((const void *)(uintptr_t)dtb);
	if (!rtc_intid) {
		puts_uart("FAIL a64-devices: no pl031 node with an SPI in the generated tree\n");
		psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
	puts_uart("a64-devices: the RTC is SPI ");
	put_dec(rtc_intid - 32);
	puts_uart(" (INTID ");
	put_dec(rtc_intid);
	puts_uart(")\n");
	w32(GICD, 2);   /* EnableGrp1 */
	w32(GICD + 0x6000 + 8 * rtc_intid, 0);   /* IROUTER: vCPU 0 */
	w32(GICD + 0x400 + (rtc_intid & ~3u), 0x80808080u);
	w32(GICD + 0x100 + 4 * (rtc_intid / 32), 1u << (rtc_intid % 32));   /* ISENABLER */
	w32(GICR0 + 0x14, 0);
	__asm__ volatile("msr vbar_el1, %0; isb" :: "r"(lib_irq_vectors));
	sysreg_w(icc_sre_el1, 1);
	sysreg_w(icc_pmr_el1, 0xff);
	sysreg_w(icc_igrpen1_el1, 1);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	w32(RTC + RTC_ICR, 1);
	w32(RTC + RTC_IMSC, 1);
	unsigned fails = 0;
	for (uint32_t i = 1; i <= ALARMS; i++) {
		w32(RTC + RTC_MR, r32(RTC + RTC_DR) + 1);
		if (!wait_alarm(i)) {
			puts_uart("FAIL a64-devices: alarm ");
			put_dec(i);
			puts_uart(" did not come within 3 s\n");
			fails++;
			break;
		}
		puts_uart("a64-devices: alarm ");
		put_dec(i);
		puts_uart(" taken\n");
	}
	w32(RTC + RTC_IMSC, 0);
	if (strays) {
		puts_uart("FAIL a64-devices: interrupts nobody raised\n");
		fails++;
	}
	puts_uart(fails ? "FAIL a64-devices\n" : "PASS a64-devices\n");
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
}
