/*
 * bench-aia: the AIA figures of make bench (tools/bench), the same guest
 * under tessera and natively on OpenSBI, on QEMU virt with an APLIC in MSI
 * mode and IMSIC interrupt files (-M virt,aia=aplic-imsic). Run under
 * -icount shift=0,sleep=off, where the 10 MHz `time` and the RTC's clock
 * (-rtc clock=vm) count instructions: 1 ns each. The harts wait in WFI.
 * - aia_imsic_ipi: one way (ping-pong / 2) between the boot hart and a
 *   second one, each storing the other's identity into the other's IMSIC
 *   file; BATCH round trips per sample, in ns.
 * - aia_imsic_ipi_exits: exits the two vCPUs took during it (tessera only).
 * - aia_sbi_ipi: the same with sbi_send_ipi (SSIP).
 * - aia_rtc: the goldfish RTC's alarm, from the alarm time to the handler's
 *   read of the RTC, in ns. Under tessera the RTC is passed through and
 *   the host APLIC sends its MSI straight to the vCPU's guest file.
 * Bootargs: imsic-stride=N, the bytes between two harts' S-level files
 * (tessera: 4096; natively 4 KiB << the IMSIC's guest index bits); rtc=0
 * leaves the RTC out (a vCPU with a software file gets no passed-through
 * interrupts).
 */
#include "bench.h"

const char guest_name[] = "bench-aia";

#define APLIC        0x0d000000UL
#define FILES        0x28000000UL
#define DOMAINCFG_IE 0x100
#define SOURCECFG(s) (0x0004 + 4 * ((s) - 1))
#define SETIENUM     0x1edc
#define TARGET(s)    (0x3004 + 4 * ((s) - 1))
#define CSR_SISELECT 0x150
#define CSR_SIREG    0x151
#define EIDELIVERY   0x70
#define EITHRESHOLD  0x72
#define EIE0         0xc0
#define RTC          0x101000UL
#define RTC_LINE     11
#define LEVEL_HIGH   6

#define BATCH   10    /* round trips per IPI sample */
#define SAMPLES 200
#define ALARMS  200

enum { ID_PING = 5, ID_PONG = 6, ID_RTC = 7, ID_MARK = 8, ID_WAKE = 9 };

static unsigned long me, partner, stride;
static volatile int pongs, partner_ready, done;
static volatile unsigned long partner_e0, partner_exits;
static volatile uint64_t rtc_fired;

static volatile uint32_t *aplic(unsigned long off)
{
	return (volatile uint32_t *)(APLIC + off);
}

static void msi(unsigned long hart, unsigned id)
{
	*(volatile uint32_t *)(FILES + stride * hart) = id;
}

static unsigned long claim(void)
{
	unsigned long top;
	asm volatile("csrrw %0, 0x15c, zero" : "=r"(top) :: "memory");   /* stopei */
	return top >> 16;
}

static uint64_t rtc_ns(void)
{
	uint64_t lo = *(volatile uint32_t *)RTC;
	return lo | (uint64_t)*(volatile uint32_t *)(RTC + 4) << 32;
}

static void rtc_write(unsigned long off, uint32_t v)
{
	*(volatile uint32_t *)(RTC + off) = v;
}

static unsigned long exits(void)
{
	return guest_has_tessera() ? sbi_tessera_vm_info(TESSERA_INFO_EXITS_NOT_CALLS).value : 0;
}

static void on_ext(void)
{
	unsigned long id;
	while ((id = claim()) != 0) {
		if (id == ID_RTC) {
			rtc_fired = rtc_ns();   /* first: the figure ends here */
			rtc_write(0x1c, 1);     /* CLEAR_INTERRUPT: the line drops */
		} else if (id == ID_PING) {
			msi(me, ID_PONG);
		} else if (id == ID_PONG) {
			pongs++;
		} else if (id == ID_MARK) {
			partner_exits = exits() - partner_e0;   /* the IMSIC phase is over */
			atomic_store(&partner_ready, 2);
		}
	}
}

static void on_soft(void)
{
	csr_clear(sip, SIP_SSIP);
	if (guest_hartid() == me)
		pongs++;
	else
		bench_send_ipi(1UL << me);
}

static void file_on(void)
{
	csr_write(CSR_SISELECT, EIDELIVERY);
	csr_write(CSR_SIREG, 1);
	csr_write(CSR_SISELECT, EITHRESHOLD);
	csr_write(CSR_SIREG, 0);
	csr_write(CSR_SISELECT, EIE0);
	csr_write(CSR_SIREG, ~1UL);   /* identities 1..63 */
	csr_set(sie, SIE_SEIE | SIE_SSIE);
}

static void partner_main(unsigned long hartid)
{
	(void)hartid;
	file_on();
	partner_e0 = exits();
	atomic_store(&partner_ready, 1);
	while (!atomic_load(&done))
		wfi_then_take_irqs();
	atomic_store(&partner_ready, 3);
}

/* One way in ns: BATCH round trips per sample, each started by send(). */
static void ping_pong(const char *name, void (*send)(void))
{
	for (int i = 0; i < SAMPLES; i++) {
		int want = pongs + BATCH;
		unsigned long t0 = rdtime();
		for (int k = 0; k < BATCH; k++) {
			int next = pongs + 1;
			send();
			while (pongs < next) {
				wfi_then_take_irqs();
				if (rdtime() - t0 > WAIT_TIMEOUT)
					guest_fail("%s: no answer from hart %lu (sample %d)", name, partner, i);
			}
		}
		if (pongs != want)
			guest_fail("%s: %d answers, expected %d", name, pongs, want);
		samples[i] = (rdtime() - t0) * (1000000000UL / GUEST_TIMEBASE_HZ) / (2 * BATCH);
	}
	bench_report(name, "ns", SAMPLES);
}

static void send_msi(void)
{
	msi(partner, ID_PING);
}

static void send_sbi(void)
{
	bench_send_ipi(1UL << partner);
}

static void rtc_latency(void)
{
	*aplic(0) = DOMAINCFG_IE;
	*aplic(SOURCECFG(RTC_LINE)) = LEVEL_HIGH;
	*aplic(TARGET(RTC_LINE)) = (uint32_t)me << 18 | ID_RTC;
	*aplic(SETIENUM) = RTC_LINE;
	rtc_write(0x10, 1);   /* IRQ_ENABLED */
	for (int i = 0; i < ALARMS; i++) {
		rtc_fired = 0;
		uint64_t at = rtc_ns() + 20000 + (uint64_t)(i % 7) * 100;
		rtc_write(0x0c, (uint32_t)(at >> 32));
		rtc_write(0x08, (uint32_t)at);   /* the low half arms it */
		unsigned long t0 = rdtime();
		while (!rtc_fired) {
			wfi_then_take_irqs();
			if (rdtime() - t0 > WAIT_TIMEOUT)
				guest_fail("RTC alarm %d never arrived", i);
		}
		samples[i] = rtc_fired - at;
	}
	bench_report("aia_rtc", "ns", ALARMS);
}

void guest_main(unsigned long hartid)
{
	unsigned long ids[GUEST_MAX_HARTS];
	int n = guest_count_harts(ids);
	if (n < 2)
		guest_fail("needs 2 harts, has %d", n);
	me = hartid;
	partner = ids[0] == me ? ids[1] : ids[0];
	stride = guest_bootarg_num("imsic-stride", 4096);
	guest_set_irq_handler(IRQ_S_EXT, on_ext);
	guest_set_irq_handler(IRQ_S_SOFT, on_soft);
	file_on();
	struct sbiret r = guest_hart_start(partner, partner_main);
	if (r.error)
		guest_fail("hart_start(%lu): %ld", partner, r.error);
	if (guest_wait_ge(&partner_ready, 1, WAIT_TIMEOUT))
		guest_fail("hart %lu never turned its file on", partner);

	guest_delay(TICKS_PER_MS);   /* hart_start's own messages settle first */
	unsigned long e0 = exits();
	ping_pong("aia_imsic_ipi", send_msi);
	unsigned long mine = exits() - e0;
	msi(partner, ID_MARK);
	if (guest_wait_ge(&partner_ready, 2, WAIT_TIMEOUT))
		guest_fail("hart %lu never counted its exits", partner);
	if (guest_has_tessera())
		guest_printf("BENCH aia_imsic_ipi_exits exits median=%lu min=%lu p99=%lu n=1\n",
			     mine + partner_exits, mine + partner_exits, mine + partner_exits);
	ping_pong("aia_sbi_ipi", send_sbi);
	atomic_store(&done, 1);
	msi(partner, ID_WAKE);
	if (guest_wait_ge(&partner_ready, 3, WAIT_TIMEOUT))
		guest_fail("hart %lu never finished", partner);
	if (guest_bootarg_num("rtc", 1))
		rtc_latency();
	guest_printf("PASS bench\n");
}
