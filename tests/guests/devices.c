/*
 * devices: checks what a VM config asks tessera to give the guest.
 * - the device tree in a1: a valid FDT whose /chosen/bootargs contain
 *   "tessera-test=1", one /cpus/cpu@N per vCPU, and, when /chosen names an
 *   initrd, an initrd whose bytes are the pattern the test wrote;
 * - a second memory region at 0x90000000 (written and read back);
 * - the goldfish RTC passed through at its host address 0x101000 and again
 *   as an "mmio" device at 0x40000000: both read a running clock;
 * - the RTC's alarm interrupt, routed from the host PLIC through the virtual
 *   PLIC at the source the generated tree names: taken three times on vCPU 0
 *   and, when there are two vCPUs, three times on vCPU 1 (whose core is not
 *   the one the host interrupt arrives on).
 */
#include "guest.h"

const char guest_name[] = "devices";

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static int str_has(const char *hay, const char *needle)
{
	for (; *hay; hay++) {
		const char *h = hay, *n = needle;
		while (*n && *h == *n)
			h++, n++;
		if (!*n)
			return 1;
	}
	return 0;
}

/*
 * Walk the structure block; call fn for every property with the path depth
 * and the name of the node it is in.
 */
struct prop_seen {
	const char *bootargs, *stdout_path;
	int rtc_node;
	uint32_t rtc_irq;
	uint64_t plic_base;
	uint64_t initrd_start, initrd_end;
	int cpus;
};

/* The console UART named by /chosen/stdout-path ("/soc/serial@<hex>"), if any. */
static uintptr_t uart_base;

static void walk(const uint8_t *fdt, struct prop_seen *seen)
{
	const uint8_t *structs = fdt + be32(fdt + 8);
	const char *strings = (const char *)fdt + be32(fdt + 12);
	const char *node[8] = { 0 };
	int depth = -1;
	for (unsigned off = 0;;) {
		uint32_t tag = be32(structs + off);
		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			const char *name = (const char *)structs + off;
			if (++depth < 8)
				node[depth] = name;
			unsigned len = 0;
			while (name[len])
				len++;
			off += (len + 4) & ~3u;
			if (depth == 2 && str_eq(node[1], "cpus") && name[0] == 'c' && name[1] == 'p' &&
			    name[2] == 'u' && name[3] == '@')
				seen->cpus++;
			if (depth == 2 && str_eq(node[1], "soc") && str_eq(name, "rtc@101000"))
				seen->rtc_node = 1;
		} else if (tag == FDT_END_NODE) {
			depth--;
		} else if (tag == FDT_PROP) {
			uint32_t len = be32(structs + off), nameoff = be32(structs + off + 4);
			const uint8_t *val = structs + off + 8;
			const char *pname = strings + nameoff;
			if (depth == 2 && str_eq(node[1], "soc") && str_eq(node[2], "rtc@101000") &&
			    str_eq(pname, "interrupts") && len == 4)
				seen->rtc_irq = be32(val);
			if (depth == 2 && str_eq(node[1], "soc") && node[2][0] == 'p' && node[2][1] == 'l' &&
			    node[2][2] == 'i' && node[2][3] == 'c' && str_eq(pname, "reg") && len == 16)
				seen->plic_base = be64(val);
			if (depth == 1 && str_eq(node[1], "chosen")) {
				if (str_eq(pname, "bootargs"))
					seen->bootargs = (const char *)val;
				else if (str_eq(pname, "stdout-path"))
					seen->stdout_path = (const char *)val;
				else if (str_eq(pname, "linux,initrd-start"))
					seen->initrd_start = len == 8 ? be64(val) : be32(val);
				else if (str_eq(pname, "linux,initrd-end"))
					seen->initrd_end = len == 8 ? be64(val) : be32(val);
			}
			off += 8 + ((len + 3) & ~3u);
		} else if (tag == FDT_NOP) {
			continue;
		} else {
			break;   /* FDT_END or garbage */
		}
	}
}

static uint32_t rtc_virq;
static uintptr_t vplic;

static void check_dtb(void)
{
	const uint8_t *fdt = (const uint8_t *)guest_boot_dtb;
	if (!fdt)
		guest_fail("no device tree in a1");
	if (be32(fdt) != FDT_MAGIC)
		guest_fail("a1 = 0x%lx holds no FDT (magic 0x%x)", guest_boot_dtb, be32(fdt));
	struct prop_seen seen = { 0 };
	walk(fdt, &seen);
	if (!seen.bootargs || !str_has(seen.bootargs, "tessera-test=1"))
		guest_fail("/chosen/bootargs is \"%s\"", seen.bootargs ? seen.bootargs : "(none)");
	struct sbiret n = sbi_ecall(SBI_EXT_TESSERA, 1, TESSERA_INFO_NR_VCPUS, 0, 0, 0, 0, 0);
	if (n.error || (long)seen.cpus != n.value)
		guest_fail("device tree lists %d cpus, the VM has %ld", seen.cpus, n.value);
	guest_printf("devices: device tree at 0x%lx: bootargs \"%s\", %d cpus\n", guest_boot_dtb,
		     seen.bootargs, seen.cpus);
	if (seen.rtc_node)
		guest_printf("devices: device tree lists the passed-through rtc@101000\n");
	if (seen.rtc_node && seen.rtc_irq && seen.plic_base) {
		rtc_virq = seen.rtc_irq;
		vplic = (uintptr_t)seen.plic_base;
	}
	if (seen.stdout_path) {
		const char *at = seen.stdout_path;
		while (*at && *at != '@')
			at++;
		for (at += *at ? 1 : 0; *at; at++)
			uart_base = uart_base * 16 + (unsigned long)(*at <= '9' ? *at - '0' : (*at | 32) - 'a' + 10);
	}
	if (seen.initrd_start) {
		unsigned long len = seen.initrd_end - seen.initrd_start;
		const uint8_t *rd = (const uint8_t *)seen.initrd_start;
		if (len == 0 || len > (1u << 20))
			guest_fail("initrd 0x%lx-0x%lx", (unsigned long)seen.initrd_start,
				   (unsigned long)seen.initrd_end);
		for (unsigned long i = 0; i < len; i++)
			if (rd[i] != (uint8_t)(i * 7 + 3))
				guest_fail("initrd byte %lu is 0x%x", i, rd[i]);
		guest_printf("devices: initrd at 0x%lx, %lu bytes, pattern ok\n",
			     (unsigned long)seen.initrd_start, len);
	}
}

static void check_uart(void)
{
	if (!uart_base)
		return;
	volatile uint8_t *u = (volatile uint8_t *)uart_base;
	u[7] = 0x5a;                          /* scratch register keeps what is written */
	if (u[7] != 0x5a)
		guest_fail("16550 at 0x%lx: scratch register reads 0x%x", (unsigned long)uart_base, u[7]);
	u[3] = 0x83;                          /* DLAB: divisor latch */
	u[0] = 0x01;
	u[3] = 0x03;
	if (u[3] != 0x03)
		guest_fail("16550: LCR reads 0x%x", u[3]);
	const char *msg = "devices: line through the console UART\n";
	for (const char *c = msg; *c; c++) {
		while (!(u[5] & 0x20))            /* LSR.THRE */
			;
		u[0] = (uint8_t)*c;
	}
	if ((u[5] & 0x60) != 0x60)
		guest_fail("16550: LSR 0x%x after the line, transmitter not empty", u[5]);
}

static void check_second_region(void)
{
	volatile unsigned long *p = (volatile unsigned long *)0x90000000UL;
	volatile unsigned long *end = (volatile unsigned long *)(0x90000000UL + (4UL << 20) - 8);
	*p = 0x7e55e7a;
	*end = ~0x7e55e7aUL;
	if (*p != 0x7e55e7a || *end != ~0x7e55e7aUL)
		guest_fail("memory at 0x90000000 does not keep what was written");
}

static uint64_t rtc_ns(uintptr_t base)
{
	volatile uint32_t *r = (volatile uint32_t *)base;
	uint64_t lo = r[0];                 /* TIME_LOW latches TIME_HIGH */
	return (uint64_t)r[1] << 32 | lo;
}

static void check_rtc(uintptr_t base, const char *how)
{
	uint64_t a = rtc_ns(base);
	guest_delay(2 * TICKS_PER_MS);
	uint64_t b = rtc_ns(base);
	if (a == 0 || b <= a)
		guest_fail("RTC %s at 0x%lx: %lu then %lu", how, (unsigned long)base, (unsigned long)a,
			   (unsigned long)b);
	guest_printf("devices: RTC %s at 0x%lx runs\n", how, (unsigned long)base);
}

/* ---- the RTC alarm interrupt through the virtual PLIC ---- */
#define RTC_BASE        0x101000UL
#define RTC_ALARM_LOW   0x08
#define RTC_ALARM_HIGH  0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_IRQ   0x1c
#define PLIC_ENABLE(c)  (0x2000 + 0x80 * (c))
#define PLIC_THRESH(c)  (0x200000 + 0x1000 * (c))
#define PLIC_CLAIM(c)   (0x200004 + 0x1000 * (c))

static volatile int rtc_irqs[2];
static volatile int hart1_ready;

static volatile uint32_t *vplic_reg(unsigned long off)
{
	return (volatile uint32_t *)(vplic + off);
}

static void rtc_write(unsigned long off, uint32_t v)
{
	*(volatile uint32_t *)(RTC_BASE + off) = v;
}

static void external_irq(void)
{
	unsigned long ctx = guest_hartid();
	uint32_t src = *vplic_reg(PLIC_CLAIM(ctx));
	if (src != rtc_virq)
		guest_fail("hart %lu claimed source %u, expected the RTC's %u", ctx, src, rtc_virq);
	rtc_write(RTC_CLEAR_IRQ, 1);
	rtc_irqs[ctx]++;
	*vplic_reg(PLIC_CLAIM(ctx)) = src;
}

static void rtc_alarm_soon(void)
{
	uint64_t at = rtc_ns(RTC_BASE) + 1000000;   /* 1 ms */
	rtc_write(RTC_ALARM_HIGH, (uint32_t)(at >> 32));
	rtc_write(RTC_ALARM_LOW, (uint32_t)at);
}

static void route_to(unsigned long ctx)
{
	*vplic_reg(PLIC_ENABLE(0)) = 0;
	*vplic_reg(PLIC_ENABLE(1)) = 0;
	*vplic_reg(PLIC_THRESH(ctx)) = 0;
	*vplic_reg(PLIC_ENABLE(ctx)) = 1u << rtc_virq;
}

/* Arm three alarms and wait for each to arrive on hart `ctx`. */
static void three_alarms(unsigned long ctx, int own_wait)
{
	for (int i = 1; i <= 3; i++) {
		rtc_alarm_soon();
		unsigned long t0 = rdtime();
		while (rtc_irqs[ctx] < i) {
			if (rdtime() - t0 > WAIT_TIMEOUT)
				guest_fail("RTC alarm %d never arrived on vCPU %lu (vPLIC source %u)", i,
					   ctx, rtc_virq);
			if (own_wait)
				wfi_then_take_irqs();
		}
	}
}

static void hart1_main(unsigned long hartid)
{
	(void)hartid;
	csr_set(sie, SIE_SEIE);
	atomic_store(&hart1_ready, 1);
	while (atomic_load(&rtc_irqs[1]) < 3)
		wfi_then_take_irqs();
}

static void check_rtc_irq(void)
{
	if (!rtc_virq) {
		guest_printf("devices: no RTC interrupt in the device tree: interrupt test skipped\n");
		return;
	}
	guest_set_irq_handler(IRQ_S_EXT, external_irq);
	*vplic_reg(4 * rtc_virq) = 1;             /* priority */
	rtc_write(RTC_IRQ_ENABLED, 1);
	route_to(0);
	csr_set(sie, SIE_SEIE);
	three_alarms(0, 1);
	guest_printf("devices: RTC interrupt taken 3 times on vCPU 0 (vPLIC source %u)\n", rtc_virq);
	struct sbiret n = sbi_ecall(SBI_EXT_TESSERA, 1, TESSERA_INFO_NR_VCPUS, 0, 0, 0, 0, 0);
	if (n.value < 2)
		return;
	csr_clear(sie, SIE_SEIE);
	route_to(1);
	struct sbiret r = guest_hart_start(1, hart1_main);
	if (r.error)
		guest_fail("hart_start(1): %ld", r.error);
	if (guest_wait_ge(&hart1_ready, 1, WAIT_TIMEOUT))
		guest_fail("hart 1 did not start");
	three_alarms(1, 0);
	unsigned long ids[2] = { 0, 1 };
	guest_join_harts(ids, 2);
	if (rtc_irqs[0] != 3)
		guest_fail("vCPU 0 took %d RTC interrupts while routed to vCPU 1", rtc_irqs[0] - 3);
	guest_printf("devices: RTC interrupt taken 3 times on vCPU 1 (vPLIC source %u)\n", rtc_virq);
}

void guest_main(unsigned long hartid)
{
	(void)hartid;
	if (!guest_has_tessera()) {
		guest_printf("SKIP devices: needs tessera's VM config\n");
		return;
	}
	check_dtb();
	check_second_region();
	check_uart();
	check_rtc(0x101000, "passed through");
	check_rtc(0x40000000, "mapped as mmio");
	check_rtc_irq();
	guest_printf("PASS devices\n");
}
