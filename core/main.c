/*
 * Boot: the boot hart reads the host device tree, sets up every core's
 * struct pcpu and mailbox endpoint, starts the other harts and collects
 * their reports through the mailboxes.
 */
#include <stdint.h>
#include <arch/cpu.h>
#include "boot/boot.h"
#include "core/console.h"
#include "core/irqc.h"
#include "core/hwirq.h"
#include "core/panic.h"
#include "core/pcpu.h"
#include "core/poweroff.h"
#include "partition/hostdt.h"

#ifndef TESSERA_VERSION
#define TESSERA_VERSION "0.0.0"
#endif
#define BRINGUP_TIMEOUT_MS 3000


static struct host_platform plat;   /* written by the boot core before any other core runs */
static struct mbox_net mbox_net;    /* the rings: each written by one producer and one consumer */
static struct pcpu pcpus[CONFIG_MAX_CORES];
/* Read-only once harts start; arch/riscv64/entry.S reads them too (late_hart). */
unsigned long core_hartid[CONFIG_MAX_CORES];
struct pcpu *core_pcpu_ptr[CONFIG_MAX_CORES];
uint32_t core_count_published;
static unsigned ncores, boot_core;
static uint8_t core_stacks[CONFIG_MAX_CORES][PCPU_STACK_SIZE] __attribute__((aligned(16)));

uint64_t core_timebase_hz(void)
{
	return plat.timebase_hz;
}

const struct host_platform *core_platform(void)
{
	return &plat;
}

struct pcpu *core_pcpu(unsigned id)
{
	return id < ncores ? &pcpus[id] : NULL;
}

unsigned core_count(void)
{
	return ncores;
}

void ipc_kick(unsigned core)
{
	arch_ipi_send(core_hartid[core]);
}

void ipc_relax(void)
{
	arch_relax();
}

void core_send(struct pcpu *p, unsigned to, struct mbox_msg *m)
{
	int rc = mailbox_send(&p->ep, to, m);
	if (rc)
		log_line("core %u: message type %u to core %u not sent: error %d", p->id, m->type, to, rc);
}

bool core_wait(struct pcpu *p, bool (*done)(struct pcpu *p), uint64_t ticks)
{
	uint64_t deadline = arch_time_now() + ticks;
	arch_timer_arm(deadline);
	for (;;) {
		arch_ipi_clear();
		mailbox_poll(&p->ep);
		if (done(p))
			break;
		if (arch_time_now() >= deadline)
			break;
		if (mailbox_idle(&p->ep))
			arch_wait_for_interrupt();
	}
	arch_timer_disarm();
	return done(p);
}

void core_msg_online(struct pcpu *p, const struct mbox_msg *m)
{
	if (m->from < ncores && m->arg[0] == core_hartid[m->from])
		p->reported_mask |= 1u << m->from;
	else
		log_line("core %u: bogus online report from core %u (hart %lu)", p->id, m->from,
			 (unsigned long)m->arg[0]);
}

static void core_online(struct pcpu *p)
{
	arch_cpu_init(p);
	hwirq_core_init(p);
	log_line("core %u (hart %lu) online", p->id, p->hartid);
}

void secondary_main(unsigned long hartid, struct pcpu *p)
{
	(void)hartid;
	core_online(p);
	struct mbox_msg m = { .type = MSG_CORE_ONLINE, .arg = { p->hartid } };
	core_send(p, boot_core, &m);
	core_run(p);
}

static uint32_t started_mask;

static bool all_reported_in(struct pcpu *p)
{
	return p->reported_mask == started_mask;
}

static void boot_core_run(struct pcpu *p)
{
	core_online(p);
	p->reported_mask = 1u << p->id;
	started_mask = 1u << p->id;
	for (unsigned c = 0; c < ncores; c++) {
		if (c == p->id)
			continue;
		long rc = arch_start_secondary(core_hartid[c], &pcpus[c]);
		if (rc)
			log_line("core %u (hart %lu): hart_start failed: %s (%ld)", c, core_hartid[c],
				 arch_strerror(rc), rc);
		else
			started_mask |= 1u << c;
	}
	core_wait(p, all_reported_in, BRINGUP_TIMEOUT_MS * plat.timebase_hz / 1000);
	unsigned online = 0;
	for (unsigned c = 0; c < ncores; c++) {
		if (p->reported_mask & (1u << c))
			online++;
		else if (started_mask & (1u << c))
			log_line("core %u (hart %lu): started but did not report in within %u ms", c,
				 core_hartid[c], BRINGUP_TIMEOUT_MS);
	}
	log_line("tessera: %u cores online", online);
	if (hostdt_bootarg(&plat, "tessera.selftest")) {
		int rc = selftest_run_boot(p, p->reported_mask, online);
		log_line("tessera: self-test %s, powering off", rc ? "failed" : "done");
		system_poweroff(rc != 0);
	}
	if (vms_boot(p, p->reported_mask) <= 0) {
		log_line("tessera: no VM to run, powering off");
		system_poweroff(true);
	}
	core_run(p);
}

static void print_platform(const void *fdt)
{
	log_line("tessera %s: %u harts, %lu MiB RAM, timebase %lu Hz", TESSERA_VERSION, plat.nharts,
		 (unsigned long)(hostdt_ram_total(&plat) >> 20), (unsigned long)plat.timebase_hz);
	arch_log_boot_cpu(&plat);
	for (unsigned i = 0; i < plat.nram; i++)
		log_line("  ram      0x%lx-0x%lx", (unsigned long)plat.ram[i].base,
			 (unsigned long)(plat.ram[i].base + plat.ram[i].size));
	for (unsigned i = 0; i < plat.nreserved; i++)
		log_line("  reserved 0x%lx-0x%lx", (unsigned long)plat.reserved[i].base,
			 (unsigned long)(plat.reserved[i].base + plat.reserved[i].size));
	if (plat.uart.present)
		log_line("  uart     0x%lx %s (%s)", (unsigned long)plat.uart.base, plat.uart.path,
			 plat.uart.compatible);
	hostirq_log_banner(&plat);
	if (plat.initrd.present)
		log_line("  initrd   0x%lx-0x%lx", (unsigned long)plat.initrd.start,
			 (unsigned long)plat.initrd.end);
	log_line("  dtb      %p, %u bytes", fdt, plat.dtb_size);
}

/* Which harts become cores: device tree order, the boot hart always among them. */
static void choose_cores(void)
{
	ncores = plat.nharts;
	if (ncores > CONFIG_MAX_CORES)
		ncores = CONFIG_MAX_CORES;
	for (unsigned c = 0; c < ncores; c++)
		core_hartid[c] = plat.hartid[c];
	boot_core = (unsigned)plat.boot_index;
	if (boot_core >= ncores) {
		boot_core = ncores - 1;
		core_hartid[boot_core] = plat.hartid[plat.boot_index];
	}
	if (plat.nharts > ncores)
		log_line("tessera: %u harts but built for %u cores (CONFIG_MAX_CORES): the rest stay off",
			 plat.nharts, ncores);
}

void boot_main(unsigned long hartid, const void *fdt)
{
	char err[HOSTDT_ERR_LEN];
	if (hostdt_read(fdt, hartid, &plat, err, sizeof(err)) != 0) {
		log_line("tessera: bad host device tree: %s", err);
		log_line("tessera: cannot continue, powering off");
		system_poweroff(true);
	}
	if (plat.timebase_from_counter && !(plat.timebase_hz = arch_counter_hz())) {
		log_line("tessera: the host tree gives no timer frequency and the counter none either");
		system_poweroff(true);
	}
	if (plat.poweroff.present)
		poweroff_use_sifive_test(plat.poweroff.base);
	if (plat.uart.present)
		console_use_uart(&plat.uart);
	else
		log_line("tessera: no console UART in the device tree (no stdout-path, no ns16550a or "
			 "arm,pl011 node): console stays on %s", arch_early_console_name());
	print_platform(fdt);
	char why[256];
	if (arch_cpu_can_host(&plat, why, sizeof(why)) || arch_gstage_probe(why, sizeof(why))) {
		log_line("tessera: boot hart %lu has %s: cannot host VMs", hartid, why);
		system_poweroff(true);
	}
	if (arch_hypercalls_check(why, sizeof(why)))
		panic("%s", why);   /* tessera's own table: a build defect */
	if (hostdt_bootarg(&plat, "tessera.shared-vmid"))
		arch_gstage_limit_vmid_bits(0);
	log_line("  %s, %u VMID bits%s", arch_gstage_name(), arch_gstage_vmid_bits(),
		 arch_gstage_vmid_bits() ? "" : ": every VM shares VMID 0, fenced at each switch");
	choose_cores();
	hostirq_init(&plat);
	mailbox_net_init(&mbox_net, ncores);
	for (unsigned c = 0; c < ncores; c++) {
		struct pcpu *p = &pcpus[c];
		p->id = c;
		p->hartid = core_hartid[c];
		p->stack_top = (uintptr_t)&core_stacks[c][PCPU_STACK_SIZE];
		mailbox_endpoint_init(&p->ep, &mbox_net, c, core_handle_msg, p);
		core_pcpu_ptr[c] = p;
	}
	__atomic_store_n(&core_count_published, ncores, __ATOMIC_RELEASE);
	arch_switch_stack(pcpus[boot_core].stack_top, boot_core_run, &pcpus[boot_core]);
}
