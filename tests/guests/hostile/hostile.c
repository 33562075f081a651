/*
 * hostile: a guest that attacks what it does not own. The attack comes from
 * the bootargs ("attack=NAME", "addr=0x..."); tests/qemu/hostile-scenarios.sh
 * runs each one beside the victim guest and checks that the attacker is
 * contained and the victim untouched. Attacks that tessera must refuse
 * print "hostile: NAME: contained (...)" and shut down; attacks that make
 * tessera stop the VM print "hostile: NAME: ..." first and never get to a
 * PASS line.
 */
#include "guest.h"

const char guest_name[] = "hostile";

static unsigned long parse_hex(const char *s)
{
	unsigned long v = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++)
		v = v * 16 + (unsigned long)(*s <= '9' ? *s - '0' : (*s | 32) - 'a' + 10);
	return v;
}

static void expect(struct sbiret r, long want, const char *what)
{
	if (r.error != want)
		guest_fail("%s returned %ld, expected %ld", what, r.error, want);
}

/* ---- memory and MMIO the VM does not own: tessera stops the VM ---- */
static void load_at(unsigned long addr)
{
	guest_printf("hostile: load from 0x%lx\n", addr);
	unsigned long v = *(volatile unsigned long *)addr;
	guest_printf("hostile: FAIL load from 0x%lx returned 0x%lx\n", addr, v);
}

static void store_at(unsigned long addr)
{
	guest_printf("hostile: store to 0x%lx\n", addr);
	*(volatile unsigned long *)addr = 0xdeadbeefdeadbeefUL;
	guest_printf("hostile: FAIL store to 0x%lx went through\n", addr);
}

static void jump_to(unsigned long addr)
{
	guest_printf("hostile: jump to 0x%lx\n", addr);
	((void (*)(void))addr)();
}

/* ---- SBI calls that must be refused ---- */
static void attack_hsm(void)
{
	unsigned long n = (unsigned long)sbi_tessera_vm_info(TESSERA_INFO_NR_VCPUS).value;
	unsigned long bad[] = { n, n + 1, 64, 1UL << 32, ~0UL };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect(sbi_hart_start(bad[i], 0x80200000UL, 0), SBI_ERR_INVALID_PARAM, "hart_start(foreign)");
		expect(sbi_hart_get_status(bad[i]), SBI_ERR_INVALID_PARAM, "hart_get_status(foreign)");
	}
	/* its own running hart: already started */
	expect(sbi_hart_start(0, 0x80200000UL, 0), SBI_ERR_ALREADY_AVAILABLE, "hart_start(self)");
	/* suspend with a reserved type */
	expect(sbi_ecall(SBI_EXT_HSM, 3, 0x12345678, 0x80200000UL, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM,
	       "hart_suspend(bad type)");
	guest_printf("hostile: hsm: contained (foreign harts refused)\n");
}

static void attack_ipi(void)
{
	unsigned long n = (unsigned long)sbi_tessera_vm_info(TESSERA_INFO_NR_VCPUS).value;
	struct { unsigned long mask, base; } bad[] = {
		{ ~0UL, 0 }, { 1UL << n, 0 }, { 1, n }, { 1, 1UL << 40 }, { 1UL << 63, 0 }, { 3, ~1UL },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect(sbi_send_ipi(bad[i].mask, bad[i].base), SBI_ERR_INVALID_PARAM, "send_ipi");
		expect(sbi_remote_fence_i(bad[i].mask, bad[i].base), SBI_ERR_INVALID_PARAM,
		       "remote_fence_i");
		expect(sbi_remote_sfence_vma(bad[i].mask, bad[i].base, 0, ~0UL), SBI_ERR_INVALID_PARAM,
		       "remote_sfence_vma");
	}
	guest_printf("hostile: ipi: contained (foreign hart masks refused)\n");
}

static void attack_srst(void)
{
	unsigned long types[] = { 3, 0xf0000000UL - 1, 0x100000000UL, ~0UL };
	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		expect(sbi_system_reset(types[i], 0), SBI_ERR_INVALID_PARAM, "system_reset(bad type)");
	guest_printf("hostile: srst: contained (bad reset types refused)\n");
}

static void attack_unknown(void)
{
	unsigned long seed = 12345;
	unsigned tried = 0;
	static const unsigned long known[] = { SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI, SBI_EXT_RFENCE,
					       SBI_EXT_HSM, SBI_EXT_SRST, SBI_EXT_DBCN, SBI_EXT_TESSERA };
	for (int i = 0; i < 2000; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		unsigned long eid = seed >> 16;
		int skip = eid <= 0x0f;   /* legacy calls */
		for (unsigned k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			skip |= eid == known[k];
		if (skip)
			continue;
		expect(sbi_ecall(eid, seed & 0xff, seed, ~seed, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED,
		       "unknown extension");
		tried++;
	}
	for (unsigned k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		expect(sbi_ecall(known[k], 0x7fffffff, 0, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED,
		       "unknown function");
	guest_printf("hostile: unknown: contained (%u unknown extensions, every known one with an "
		     "unknown function: not supported)\n", tried);
}

/*
 * Every extension and function with garbage arguments, except the calls
 * whose normal effect would stop this VM (shutdown, hart stop, suspend).
 */
static void attack_sweep(void)
{
	static const unsigned long exts[] = { SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI, SBI_EXT_RFENCE,
					      SBI_EXT_HSM, SBI_EXT_SRST, SBI_EXT_DBCN, SBI_EXT_TESSERA,
					      0, 2, 3, 4, 5, 6, 7 };
	unsigned long seed = 777, calls = 0;
	for (unsigned e = 0; e < sizeof(exts) / sizeof(exts[0]); e++) {
		for (unsigned long fid = 0; fid < 16; fid++) {
			if ((exts[e] == SBI_EXT_HSM && (fid == 1 || fid == 3)) ||
			    (exts[e] == SBI_EXT_SRST && fid == 0) || (exts[e] == SBI_EXT_DBCN && fid == 2))
				continue;   /* would stop the VM, or print a byte */
			for (int k = 0; k < 40; k++) {
				unsigned long a[6];
				for (int j = 0; j < 6; j++) {
					seed = seed * 6364136223846793005UL + 1442695040888963407UL;
					/* mix huge values, small ones and addresses near the VM */
					a[j] = (seed >> 60) < 4 ? seed : (seed >> 60) < 8 ? (seed >> 50)
									   : 0x80000000UL + (seed >> 35);
				}
				if (exts[e] == SBI_EXT_HSM && fid == 0)
					a[0] |= 1UL << 40;   /* never start a real hart */
				if (exts[e] == SBI_EXT_TIME || exts[e] == 0)
					a[0] = ~0UL;         /* set_timer: keep it quiet */
				if (exts[e] == SBI_EXT_DBCN) {
					/* console output from beyond the VM's memory: refused, not printed */
					a[1] = 0x100000000UL + (a[1] & 0xffffffffUL);
				}
				sbi_ecall(exts[e], fid, a[0], a[1], a[2], a[3], a[4], a[5]);
				calls++;
			}
		}
	}
	sbi_set_timer(~0UL);
	guest_printf("hostile: sweep: contained (%lu calls with garbage arguments, tessera answered all)\n",
		     calls);
}

/* ---- the virtual PLIC: contexts and sources that do not exist for this VM ---- */
static void attack_vplic(void)
{
	volatile uint32_t *plic = (volatile uint32_t *)0x0c000000UL;
	plic[0x2000 / 4 + 5 * 0x80 / 4] = ~0u;          /* enables of context 5 */
	plic[(0x200000 + 7 * 0x1000) / 4] = 0;          /* threshold of context 7 */
	plic[(0x200004 + 7 * 0x1000) / 4] = 11;         /* complete on context 7 */
	plic[40] = 7;                                   /* priority of source 40 */
	plic[(0x3ffffc) / 4] = ~0u;                     /* the last word of the window */
	if (plic[(0x200004 + 7 * 0x1000) / 4] != 0)     /* claim on context 7 */
		guest_fail("claim on a context the VM does not have returned a source");
	if (plic[(0x200004) / 4] != 0)                  /* nothing pending for context 0 either */
		guest_fail("claim on context 0 returned a source nobody raised");
	if (plic[0x2000 / 4 + 5 * 0x80 / 4] != 0 || plic[40] != 0)
		guest_fail("a register the VM does not have kept a value");
	guest_printf("hostile: vplic: contained (foreign contexts and sources ignored)\n");
}

/* ---- instructions a guest may not execute: it gets the exception itself ---- */
static void csr_hstatus(void) { asm volatile("csrr t0, 0x600" ::: "t0"); }
static void csr_mstatus(void) { asm volatile("csrr t0, mstatus" ::: "t0"); }
static void csr_hgatp_write(void) { asm volatile("csrw 0x680, zero"); }
static void insn_hfence(void) { asm volatile(".insn r 0x73, 0, 0x31, x0, x0, x0"); }   /* hfence.gvma */
static void insn_hlv(void) { asm volatile(".insn r 0x73, 4, 0x36, t0, x0, x0" ::: "t0"); } /* hlv.d */
static void insn_zero(void) { asm volatile(".word 0"); }

static void attack_insn(void)
{
	static const struct { void (*fn)(void); const char *name; } t[] = {
		{ csr_hstatus, "csrr hstatus" }, { csr_mstatus, "csrr mstatus" },
		{ csr_hgatp_write, "csrw hgatp" }, { insn_hfence, "hfence.gvma" },
		{ insn_hlv, "hlv.d" }, { insn_zero, "the all-zero instruction" },
	};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!guest_try_illegal(t[i].fn))
			guest_fail("%s did not raise an illegal instruction in the guest", t[i].name);
	guest_printf("hostile: insn: contained (HS/M CSRs, hfence, hlv and illegal instructions "
		     "trap into the guest itself)\n");
}

/* ---- misaligned atomics: the guest's own exception, as on hardware ---- */
static unsigned long misaligned_word[2];
static void amo_misaligned(void)
{
	unsigned long addr = (unsigned long)misaligned_word + 1, old;
	asm volatile("amoadd.w %0, %1, (%2)" : "=r"(old) : "r"(1UL), "r"(addr) : "memory");
	(void)old;
}
static void lr_misaligned(void)
{
	unsigned long addr = (unsigned long)misaligned_word + 2, v;
	asm volatile("lr.d %0, (%1)" : "=r"(v) : "r"(addr) : "memory");
	(void)v;
}

static void attack_misaligned(void)
{
	unsigned long c1 = guest_try_exception(amo_misaligned), c2 = guest_try_exception(lr_misaligned);
	/* 6: store/AMO address misaligned, 4: load address misaligned (5/7: access fault) */
	if ((c1 != 6 && c1 != 7) || (c2 != 4 && c2 != 5))
		guest_fail("misaligned AMO / LR gave causes %lu / %lu in the guest", c1, c2);
	guest_printf("hostile: misaligned: contained (causes %lu and %lu taken by the guest itself)\n",
		     c1, c2);
}

/* ---- storms and hogs, bounded so the case ends ---- */
static void attack_ecall_storm(void)
{
	unsigned long end = rdtime() + guest_bootarg_num("ms", 1500) * TICKS_PER_MS, n = 0;
	while (rdtime() < end) {
		sbi_tessera_null();
		sbi_probe_extension(SBI_EXT_HSM);
		n += 2;
	}
	guest_printf("hostile: ecall-storm: %lu calls\n", n);
}

static volatile int storm_done;

static void ipi_sink(void)
{
	csr_clear(sip, SIP_SSIP);
}

/* End the storm: vCPU 1 sees storm_done at its next interrupt, and stops. */
static void stop_vcpu1(void)
{
	atomic_store(&storm_done, 1);
	sbi_send_ipi(2, 0);
	unsigned long ids[2] = { 0, 1 };
	guest_join_harts(ids, 2);
}

static void storm_target(unsigned long hartid)
{
	(void)hartid;
	csr_set(sie, SIE_SSIE);
	while (!atomic_load(&storm_done))
		wfi_then_take_irqs();
}

static void attack_ipi_storm(void)
{
	guest_set_irq_handler(IRQ_S_SOFT, ipi_sink);
	struct sbiret r = guest_hart_start(1, storm_target);
	if (r.error)
		guest_fail("hart_start(1): %ld", r.error);
	unsigned long end = rdtime() + guest_bootarg_num("ms", 1500) * TICKS_PER_MS, n = 0;
	while (rdtime() < end) {
		sbi_send_ipi(2, 0);
		n++;
	}
	stop_vcpu1();
	guest_printf("hostile: ipi-storm: %lu IPIs at vCPU 1\n", n);
}

/*
 * Flood another core's mailbox: vCPU 1 spins alone on its core with its
 * interrupts off (it never exits by itself) while vCPU 0, beside the victim,
 * toggles vCPU 1's enable of a pending source (the emulated UART's THR-empty
 * interrupt). Every 0->1 change of vCPU 1's line is a wake-up for its core.
 */
static volatile int flood_done;
static volatile unsigned long flood_spins;

static void flood_target(unsigned long hartid)
{
	(void)hartid;
	irq_disable();
	csr_write(sie, 0);
	while (!atomic_load(&flood_done))
		flood_spins++;
}

static void attack_virq_flood(void)
{
	volatile uint8_t *uart = (volatile uint8_t *)0x10000000UL;
	volatile uint32_t *plic = (volatile uint32_t *)0x0c000000UL;
	volatile uint32_t *enable1 = &plic[(0x2000 + 1 * 0x80) / 4];
	struct sbiret r = guest_hart_start(1, flood_target);
	if (r.error)
		guest_fail("hart_start(1): %ld", r.error);
	plic[10] = 1;                  /* priority of the UART's source */
	uart[1] = 0x02;                /* IER: THR empty -> the source is pending */
	unsigned long end = rdtime() + guest_bootarg_num("ms", 1500) * TICKS_PER_MS, n = 0;
	while (rdtime() < end) {
		for (int i = 0; i < 64; i++) {
			*enable1 = 1u << 10;
			*enable1 = 0;
		}
		n += 64;
	}
	uart[1] = 0;
	atomic_store(&flood_done, 1);
	unsigned long ids[2] = { 0, 1 };
	guest_join_harts(ids, 2);
	guest_printf("hostile: virq-flood: %lu wake-ups at vCPU 1 (it spun %lu times)\n", n,
		     flood_spins);
}

/*
 * Take the victim's core by asking for it back. vCPU 1 shares the victim's
 * core; vCPU 0, on a core of its own, watches it every "every" us (asleep on
 * its timer in between, so that under -icount it takes no time from the
 * victim's core). With run=1, vCPU 1 spins and counts, and vCPU 0 sends it an
 * IPI whenever the count has stopped (it is descheduled): the IPI makes the
 * core look at its run queue again. With run=0, vCPU 1 waits in WFI and gets
 * an IPI every time: a flood of wake-ups.
 */
static volatile unsigned long wake_beats;
static unsigned long wake_spin;

static void wake_target(unsigned long hartid)
{
	(void)hartid;
	csr_set(sie, SIE_SSIE);
	while (!atomic_load(&storm_done)) {
		if (wake_spin) {
			irq_enable();
			wake_beats++;
			irq_disable();
		} else {
			wfi_then_take_irqs();
		}
	}
}

static volatile unsigned long nap_done;
static void nap_timer(void)
{
	nap_done = 1;
	sbi_set_timer(~0UL);
}

static void nap(unsigned long ticks)
{
	nap_done = 0;
	sbi_set_timer(rdtime() + ticks);
	while (!nap_done)
		wfi_then_take_irqs();
}

static void attack_wake_steal(void)
{
	wake_spin = guest_bootarg_num("run", 1);
	unsigned long every = guest_bootarg_num("every", 50) * TICKS_PER_US, n = 0, seen = ~0UL;
	guest_set_irq_handler(IRQ_S_SOFT, ipi_sink);
	guest_set_irq_handler(IRQ_S_TIMER, nap_timer);
	csr_set(sie, SIE_STIE);
	struct sbiret r = guest_hart_start(1, wake_target);
	if (r.error)
		guest_fail("hart_start(1): %ld", r.error);
	unsigned long end = rdtime() + guest_bootarg_num("ms", 1500) * TICKS_PER_MS;
	while (rdtime() < end) {
		unsigned long beats = wake_beats;
		if (!wake_spin || beats == seen) {
			sbi_send_ipi(2, 0);
			n++;
		}
		seen = beats;
		nap(every);
	}
	stop_vcpu1();
	guest_printf("hostile: wake-steal: %lu IPIs at vCPU 1\n", n);
}

/*
 * The same from the victim's own core, with no help: spin, with the timer
 * set to fire "period" us after each time it got the core, just after a
 * 5 ms slice would have ended, so that its interrupt takes the core back
 * from whoever got it. With nap=N instead: sleep N us between short runs.
 */
static unsigned long steal_period;
static void steal_timer(void)
{
	sbi_set_timer(rdtime() + steal_period);
	nap_done++;
}

static void attack_slice_steal(void)
{
	unsigned long end = rdtime() + guest_bootarg_num("ms", 1500) * TICKS_PER_MS, n = 0;
	unsigned long naps = guest_bootarg_num("nap", 0) * TICKS_PER_US;
	steal_period = guest_bootarg_num("period", 5020) * TICKS_PER_US;
	guest_set_irq_handler(IRQ_S_TIMER, naps ? nap_timer : steal_timer);
	csr_set(sie, SIE_STIE);
	if (!naps)
		sbi_set_timer(rdtime() + steal_period);
	while (rdtime() < end) {
		if (naps) {
			nap(naps);
			n++;
		} else {
			irq_enable();
			irq_disable();
		}
	}
	sbi_set_timer(~0UL);
	guest_printf("hostile: slice-steal: %lu %s\n", naps ? n : (unsigned long)nap_done,
		     naps ? "naps" : "timer interrupts");
}

/*
 * Console flood: DBCN writes of 4096 newlines, back to back. tessera takes a
 * few lines per call and drops what its console cannot keep up with (it says
 * how much); the other cores never write this VM's output for it.
 */
static char flood_text[4096];
static volatile unsigned long flood_calls, flood_bytes;
static volatile int floods_done;

static void console_flood(unsigned long hartid)
{
	unsigned long end = rdtime() + guest_bootarg_num("ms", 1500) * TICKS_PER_MS;
	while (rdtime() < end) {
		struct sbiret r = sbi_dbcn_write(sizeof(flood_text), (unsigned long)flood_text, 0);
		if (r.error)
			guest_fail("DBCN write returned %ld", r.error);
		if (r.value <= 0 || r.value > (long)sizeof(flood_text))
			guest_fail("DBCN write took %ld of %lu bytes", r.value, sizeof(flood_text));
		__atomic_add_fetch(&flood_calls, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&flood_bytes, (unsigned long)r.value, __ATOMIC_RELAXED);
	}
	if (hartid)
		atomic_add(&floods_done, 1);
}

/* Every vCPU of the VM floods, each from its own core: they fight for the UART. */
static void attack_console_flood(void)
{
	memset(flood_text, '\n', sizeof(flood_text));
	long n = sbi_tessera_vm_info(TESSERA_INFO_NR_VCPUS).value;
	for (long h = 1; h < n; h++)
		if (guest_hart_start((unsigned long)h, console_flood).error)
			guest_fail("hart_start(%ld) failed", h);
	console_flood(0);
	while (atomic_load(&floods_done) < n - 1)
		cpu_relax();
	guest_printf("hostile: console-flood: %lu calls, %lu bytes taken\n", flood_calls, flood_bytes);
}

/* Exits that need the run loop, back to back (HSM status has no short path). */
static void attack_slow_calls(void)
{
	unsigned long end = rdtime() + guest_bootarg_num("ms", 1500) * TICKS_PER_MS, n = 0;
	while (rdtime() < end) {
		sbi_hart_get_status(0);
		n++;
	}
	guest_printf("hostile: slow-calls: %lu calls\n", n);
}

static void attack_spin(void)
{
	unsigned long end = rdtime() + guest_bootarg_num("ms", 1500) * TICKS_PER_MS;
	irq_disable();
	csr_write(sie, 0);
	while (rdtime() < end)
		;   /* never yields, never traps */
	guest_printf("hostile: spin: done\n");
}

void guest_main(unsigned long hartid)
{
	(void)hartid;
	char attack[24], addr[24];
	guest_bootarg("attack", attack, sizeof(attack));
	guest_bootarg("addr", addr, sizeof(addr));
	guest_printf("hostile: attack %s\n", attack[0] ? attack : "(none)");
	if (!strcmp(attack, "load"))
		load_at(parse_hex(addr));
	else if (!strcmp(attack, "store"))
		store_at(parse_hex(addr));
	else if (!strcmp(attack, "jump"))
		jump_to(parse_hex(addr));
	else if (!strcmp(attack, "exec-dtb"))
		jump_to(guest_boot_dtb);   /* its own memory, but data: G-stage says no execute */
	else if (!strcmp(attack, "hsm"))
		attack_hsm();
	else if (!strcmp(attack, "ipi"))
		attack_ipi();
	else if (!strcmp(attack, "srst"))
		attack_srst();
	else if (!strcmp(attack, "unknown"))
		attack_unknown();
	else if (!strcmp(attack, "sweep"))
		attack_sweep();
	else if (!strcmp(attack, "vplic"))
		attack_vplic();
	else if (!strcmp(attack, "insn"))
		attack_insn();
	else if (!strcmp(attack, "misaligned"))
		attack_misaligned();
	else if (!strcmp(attack, "ecall-storm"))
		attack_ecall_storm();
	else if (!strcmp(attack, "ipi-storm"))
		attack_ipi_storm();
	else if (!strcmp(attack, "spin"))
		attack_spin();
	else if (!strcmp(attack, "virq-flood"))
		attack_virq_flood();
	else if (!strcmp(attack, "wake-steal"))
		attack_wake_steal();
	else if (!strcmp(attack, "slice-steal"))
		attack_slice_steal();
	else if (!strcmp(attack, "console-flood"))
		attack_console_flood();
	else if (!strcmp(attack, "slow-calls"))
		attack_slow_calls();
	else
		guest_fail("unknown attack \"%s\"", attack);
	guest_printf("PASS hostile: %s\n", attack);
}
