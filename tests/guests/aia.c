/*
 * aia: a VM on an AIA host. tessera gives it a virtual APLIC (MSI delivery)
 * and one IMSIC guest interrupt file per vCPU, at QEMU virt's supervisor
 * addresses: the APLIC at 0x0d000000, vCPU i's file at 0x28000000 + 4 KiB * i.
 * Two harts, each with its file on (eidelivery, threshold 0, identities
 * 1..63 enabled through siselect/sireg) and claiming through stopei.
 * - IMSIC IPIs: the harts ping-pong ROUNDS MSIs by storing each other's
 *   identity into each other's file; every one arrives, and each hart counts
 *   its exits across the run (TESSERA_INFO_EXITS_NOT_CALLS): the MSIs take
 *   none, so only tessera's own timer may show. Hart 1 waits in WFI: alone
 *   on its core that stays in the hart; sharing it, WFI gives the core away
 *   and the MSIs wake it through hgeip (SGEI).
 * - vAPLIC registers: domaincfg, sourcecfg (reserved modes, delegation and
 *   lines it does not have read 0), target masks, setie/clrie by number,
 *   genmsi, and a detached source made pending by setipnum.
 * - the emulated console UART's interrupt (line 10, level) as an MSI.
 * - with "rtc" in the bootargs: the passed-through goldfish RTC's alarm
 *   (line 11), which the host APLIC sends straight to the file of the hart
 *   the guest targets: three on hart 1, three on hart 0.
 */
#include "guest.h"

const char guest_name[] = "aia";

#define APLIC           0x0d000000UL
#define FILES           0x28000000UL
#define DOMAINCFG       0x0000
#define SOURCECFG(s)    (0x0004 + 4 * ((s) - 1))
#define SETIP           0x1c00
#define SETIPNUM        0x1cdc
#define SETIE           0x1e00
#define SETIENUM        0x1edc
#define CLRIENUM        0x1fdc
#define GENMSI          0x3000
#define TARGET(s)       (0x3004 + 4 * ((s) - 1))
#define TGT(hart, eiid) ((unsigned)(hart) << 18 | (eiid))

#define CSR_SISELECT 0x150
#define CSR_SIREG    0x151
#define EIDELIVERY   0x70
#define EITHRESHOLD  0x72
#define EIE0         0xc0

enum { ID_PING = 5, ID_PONG = 6, ID_SELF = 7, ID_GENMSI = 8, ID_UART = 9, ID_RTC = 10, ID_DETACHED = 11,
       ID_WAKE = 12 };
#define ROUNDS 1000
#define UART_LINE 10
#define RTC_LINE  11

static volatile int got[2][64];   /* [hart slot][identity] */

static volatile uint32_t *aplic(unsigned long off)
{
	return (volatile uint32_t *)(APLIC + off);
}

static void msi(unsigned hart, unsigned id)
{
	*(volatile uint32_t *)(FILES + 0x1000UL * hart) = id;
}

static unsigned long claim(void)
{
	unsigned long top;
	asm volatile("csrrw %0, 0x15c, zero" : "=r"(top) :: "memory");   /* stopei */
	return top >> 16;
}

static void ping_pong(unsigned long id);
static void uart_done(void);
static void rtc_done(void);

static void on_ext(void)
{
	unsigned long id, me = guest_slot();
	while ((id = claim()) != 0) {
		if (id < 64)
			atomic_add(&got[me][id], 1);
		if (id == ID_PING || id == ID_PONG)
			ping_pong(id);
		else if (id == ID_UART)
			uart_done();
		else if (id == ID_RTC)
			rtc_done();
	}
}

static void file_on(void)
{
	csr_write(CSR_SISELECT, EIDELIVERY);
	csr_write(CSR_SIREG, 1);
	csr_write(CSR_SISELECT, EITHRESHOLD);
	csr_write(CSR_SIREG, 0);
	csr_write(CSR_SISELECT, EIE0);
	csr_write(CSR_SIREG, ~1UL);      /* identities 1..63 */
	csr_set(sie, SIE_SEIE);
}

static unsigned long exits(void)
{
	return sbi_tessera_vm_info(TESSERA_INFO_EXITS_NOT_CALLS).value;
}

/* Waits (interrupts on) until got[slot][id] >= n, else FAIL. */
static void wait_got(unsigned slot, unsigned id, int n, const char *what)
{
	irq_enable();
	unsigned long t0 = rdtime();
	while (atomic_load(&got[slot][id]) < n)
		if (rdtime() - t0 > WAIT_TIMEOUT)
			guest_fail("%s: identity %u on hart %u arrived %d times of %d", what, id, slot,
				   atomic_load(&got[slot][id]), n);
	irq_disable();
}

/* ---- IMSIC IPIs ---- */
static volatile int pongs_left, hart1_ready, hart1_done;
static volatile unsigned long hart1_exits;

static void ping_pong(unsigned long id)
{
	if (id == ID_PING) {
		msi(0, ID_PONG);
		return;
	}
	if (atomic_add(&pongs_left, -1) > 0)
		msi(1, ID_PING);
}

static void hart1(unsigned long hartid)
{
	(void)hartid;
	file_on();
	unsigned long e0 = exits();
	atomic_store(&hart1_ready, 1);
	while (!atomic_load(&hart1_done))
		wfi_then_take_irqs();   /* alone on its core WFI stays in the hart; shared, it exits */
	hart1_exits = exits() - e0;
	atomic_store(&hart1_done, 2);
	/* stays for the genmsi and RTC tests (its file keeps working with interrupts on) */
	irq_enable();
	for (;;)
		wfi();
}

static void imsic_ipis(void)
{
	if (guest_wait_ge(&hart1_ready, 1, WAIT_TIMEOUT))
		guest_fail("hart 1 never turned its file on");
	msi(0, ID_SELF);
	wait_got(0, ID_SELF, 1, "self MSI");
	guest_printf("aia: a store into its own file interrupts hart 0\n");
	unsigned long e0 = exits();
	atomic_store(&pongs_left, ROUNDS);
	msi(1, ID_PING);
	wait_got(0, ID_PONG, ROUNDS, "ping-pong");
	unsigned long mine = exits() - e0;
	atomic_store(&hart1_done, 1);
	msi(1, ID_WAKE);   /* hart 1 sleeps in WFI until an interrupt */
	if (guest_wait_ge(&hart1_done, 2, WAIT_TIMEOUT))
		guest_fail("hart 1 never finished");
	if (got[1][ID_PING] != ROUNDS || got[0][ID_PONG] != ROUNDS)
		guest_fail("ping-pong: %d pings, %d pongs of %d", got[1][ID_PING], got[0][ID_PONG], ROUNDS);
	guest_printf("aia: %d IMSIC IPIs between hart 0 and hart 1, all arrived, exits meanwhile: "
		     "hart 0 %lu, hart 1 %lu\n", 2 * ROUNDS, mine, hart1_exits);
}

/* ---- the virtual APLIC's registers ---- */
static void expect(unsigned long off, uint32_t want, const char *what)
{
	uint32_t v = *aplic(off);
	if (v != want)
		guest_fail("APLIC %s (0x%lx) reads 0x%x, expected 0x%x", what, off, v, want);
}

static void aplic_registers(void)
{
	expect(DOMAINCFG, 0x80000004, "domaincfg at reset");
	*aplic(DOMAINCFG) = 0xffffffff;
	expect(DOMAINCFG, 0x80000104, "domaincfg (only IE is writable)");
	*aplic(SOURCECFG(3)) = 2;
	expect(SOURCECFG(3), 0, "sourcecfg, reserved mode 2");
	*aplic(SOURCECFG(3)) = 0x400 | 6;
	expect(SOURCECFG(3), 0, "sourcecfg, delegated (no child domain)");
	*aplic(SOURCECFG(3)) = 7;
	expect(SOURCECFG(3), 7, "sourcecfg, level low");
	*aplic(SOURCECFG(40)) = 6;
	expect(SOURCECFG(40), 0, "sourcecfg of a line the VM does not have");
	*aplic(TARGET(3)) = 0xffffffff;
	expect(TARGET(3), 0xfffc07ff, "target (no guest index)");
	*aplic(SETIENUM) = 3;
	expect(SETIE, 1u << 3, "setie after setienum 3");
	*aplic(CLRIENUM) = 3;
	expect(SETIE, 0, "setie after clrienum 3");
	*aplic(SOURCECFG(3)) = 0;
	*aplic(SETIENUM) = 3;
	expect(SETIE, 0, "setie of an inactive source");
	guest_printf("aia: APLIC domaincfg, sourcecfg, target and enables behave\n");

	*aplic(GENMSI) = TGT(1, ID_GENMSI);
	wait_got(1, ID_GENMSI, 1, "genmsi");
	guest_printf("aia: genmsi reaches hart 1\n");

	*aplic(SOURCECFG(3)) = 1;   /* detached: pending only by setip */
	*aplic(TARGET(3)) = TGT(0, ID_DETACHED);
	*aplic(SETIENUM) = 3;
	*aplic(SETIPNUM) = 3;
	wait_got(0, ID_DETACHED, 1, "setipnum of a detached source");
	expect(SETIP, 0, "setip after the MSI went out");
	guest_printf("aia: setipnum of a detached source sends its MSI, then it is no longer pending\n");
}

/* ---- the emulated console UART ---- */
#define UART 0x10000000UL
static volatile uint8_t *uart(unsigned long off)
{
	return (volatile uint8_t *)(UART + off);
}

static void uart_done(void)
{
	*uart(1) = 0;          /* IER: no more */
	(void)*uart(2);        /* IIR */
}

static void uart_irq(void)
{
	*aplic(SOURCECFG(UART_LINE)) = 6;   /* level high */
	*aplic(TARGET(UART_LINE)) = TGT(0, ID_UART);
	*aplic(SETIENUM) = UART_LINE;
	*uart(1) = 0x02;   /* IER: transmitter empty, which it is */
	wait_got(0, ID_UART, 1, "UART interrupt");
	guest_printf("aia: the emulated UART's interrupt arrives as an MSI\n");
}

/* ---- the passed-through RTC ---- */
#define RTC 0x101000UL
static void rtc_write(unsigned long off, uint32_t v)
{
	*(volatile uint32_t *)(RTC + off) = v;
}

static uint64_t rtc_ns(void)
{
	uint64_t lo = *(volatile uint32_t *)RTC;
	return lo | (uint64_t)*(volatile uint32_t *)(RTC + 4) << 32;
}

static void rtc_done(void)
{
	rtc_write(0x1c, 1);   /* CLEAR_INTERRUPT: the line drops */
}

static void rtc_alarms(unsigned hart)
{
	*aplic(TARGET(RTC_LINE)) = TGT(hart, ID_RTC);
	for (int k = 1; k <= 3; k++) {
		int before = atomic_load(&got[hart][ID_RTC]);
		uint64_t at = rtc_ns() + 1000000;   /* 1 ms */
		rtc_write(0x0c, (uint32_t)(at >> 32));
		rtc_write(0x08, (uint32_t)at);
		rtc_write(0x10, 1);   /* IRQ_ENABLED */
		wait_got(hart, ID_RTC, before + 1, "RTC alarm");
	}
}

static void rtc_irqs(void)
{
	*aplic(SOURCECFG(RTC_LINE)) = 6;
	*aplic(SETIENUM) = RTC_LINE;
	rtc_alarms(1);
	rtc_alarms(0);
	guest_printf("aia: 3 RTC alarms on hart 1 and 3 on hart 0 through the host APLIC\n");
}

void guest_main(unsigned long hartid)
{
	unsigned long ids[GUEST_MAX_HARTS];
	if (guest_count_harts(ids) < 2)
		guest_fail("needs 2 harts");
	guest_set_irq_handler(IRQ_S_EXT, on_ext);
	file_on();
	struct sbiret r = guest_hart_start(ids[1], hart1);
	if (r.error)
		guest_fail("hart_start: %ld", r.error);
	(void)hartid;
	imsic_ipis();
	aplic_registers();
	uart_irq();
	char buf[8];
	if (guest_bootarg("rtc", buf, sizeof(buf))[0])
		rtc_irqs();
	guest_printf("PASS aia\n");
}
