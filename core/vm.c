/*
 * VMs: built by the boot core from their configs, then run by the cores
 * their vCPUs are pinned to. Cross-core requests (start a vCPU, tear the VM
 * down, virtual IPIs, remote fences) travel as mailbox messages; what vCPUs
 * of one VM share is guarded by atomics. No lock anywhere here.
 */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include <arch/cpu.h>
#include <arch/vcpu.h>
#include "core/console.h"
#include "core/errno.h"
#include "core/hwirq.h"
#include "core/irqc.h"
#include "core/mem.h"
#include "core/pcpu.h"
#include "core/poweroff.h"
#include "core/vm.h"
#include "partition/devranges.h"
#include "partition/guestdt.h"

_Atomic unsigned running_vms;
static struct vm *vm_table[VM_MAX];

struct vm *vm_by_index(unsigned index)
{
	return index < VM_MAX ? vm_table[index] : NULL;
}

static uintptr_t page_alloc(void)
{
	return mem_alloc_page();
}

/* ---- building (boot core, before any vCPU of the VM runs) ---- */

/* Map [gpa, gpa+size) of a RAM region, executable except where it meets [nx, nx+nx_size). */
static int map_ram(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t nx,
		   uint64_t nx_size)
{
	uint64_t lo = nx > gpa ? nx : gpa, hi = nx + nx_size < gpa + size ? nx + nx_size : gpa + size;
	if (!nx_size || lo >= hi)
		return arch_vm_map(&vm->arch, gpa, hpa, size, ARCH_MAP_RAM_X, page_alloc);
	if (lo > gpa && arch_vm_map(&vm->arch, gpa, hpa, lo - gpa, ARCH_MAP_RAM_X, page_alloc))
		return -1;
	if (arch_vm_map(&vm->arch, lo, hpa + (lo - gpa), hi - lo, ARCH_MAP_RAM_NX, page_alloc))
		return -1;
	if (hi < gpa + size &&
	    arch_vm_map(&vm->arch, hi, hpa + (hi - gpa), gpa + size - hi, ARCH_MAP_RAM_X, page_alloc))
		return -1;
	return 0;
}

/*
 * Host ranges given to VMs' devices so far, checked across VMs and kinds
 * (the plan check compares like with like only): partition/devranges.c.
 */
static struct devranges claimed;

/* A refused VM gives back what it claimed. */
void vm_release_devices(const struct vm *vm)
{
	devranges_release(&claimed, &vm->cfg);
}

int vm_create(struct vm *vm, unsigned index, const struct vmcfg *cfg, uint64_t nx_gpa, uint64_t nx_size,
	      char *err, unsigned errlen)
{
	memset(vm, 0, sizeof(*vm));
	vm->cfg = *cfg;
	vm->index = index;
	vm->nvcpus = cfg->vcpus;
	uintptr_t root = mem_alloc(16384, 16384);
	if (!root || arch_vm_init(&vm->arch, index + 1, root)) {
		snprintf(err, errlen, "%s: no host memory for the G-stage root table", cfg->file);
		return E_NOMEM;
	}
	memset((void *)root, 0, 16384);
	for (unsigned i = 0; i < cfg->nmem; i++) {
		const struct vmcfg_region *r = &cfg->mem[i];
		uint64_t align = r->size >= (2u << 20) ? (2u << 20) : 4096;
		uintptr_t hpa = mem_alloc(r->size, align);
		if (!hpa) {
			snprintf(err, errlen, "%s: memory[%u]: no %lu MiB of free host RAM left (%lu MiB free)",
				 cfg->file, i, (unsigned long)(r->size >> 20),
				 (unsigned long)(mem_free_bytes() >> 20));
			return E_NOMEM;
		}
		vm->region[vm->nregions++] = (struct vm_region){ r->gpa, hpa, r->size };
		if (map_ram(vm, r->gpa, hpa, r->size, nx_gpa, (nx_size + 4095) & ~4095ull)) {
			snprintf(err, errlen, "%s: memory[%u]: cannot map it in the G-stage", cfg->file, i);
			return E_NOMEM;
		}
	}
	const struct host_platform *h = core_platform();
	int rc = devranges_claim(&claimed, h, &vm->cfg, err, errlen);
	if (rc)
		return rc == E_NOSPC ? E_NOMEM : E_INVAL;
	for (unsigned i = 0; i < cfg->ndevices; i++) {
		const struct vmcfg_device *d = &cfg->devices[i];
		uint64_t hpa = d->hpa, gpa = d->gpa, size = d->size;
		if (d->kind == VMCFG_DEV_PASSTHROUGH)
			hostdt_node_reg(h->fdt, d->path, &hpa, &size);
		if (d->kind == VMCFG_DEV_PASSTHROUGH) {
			gpa = hpa;
			size = (size + 4095) & ~4095ull;
		}
		if (vmcfg_console_uart(cfg) && cfg->console_gpa < gpa + size &&
		    gpa < cfg->console_gpa + 0x1000) {
			snprintf(err, errlen, "%s: devices[%u]: 0x%lx+0x%lx overlaps the emulated console "
				 "UART at 0x%lx", cfg->file, i, (unsigned long)gpa, (unsigned long)size,
				 (unsigned long)cfg->console_gpa);
			return E_INVAL;
		}
		if (arch_vm_map(&vm->arch, gpa, hpa, size, ARCH_MAP_DEVICE, page_alloc)) {
			snprintf(err, errlen, "%s: devices[%u]: cannot map 0x%lx+0x%lx at 0x%lx", cfg->file,
				 i, (unsigned long)hpa, (unsigned long)size, (unsigned long)gpa);
			return E_INVAL;
		}
	}
	bool uart = vmcfg_console_uart(cfg);
	if (irqmap_build(core_platform()->fdt, cfg, uart ? 1u << VUART_IRQ : 0, virqc_lines(), &vm->irqs,
			 err, errlen))
		return E_INVAL;
	bool pl011 = cfg->console == VMCFG_CONSOLE_PL011;
	vuart_reset(&vm->vuart, pl011 ? VUART_PL011 : VUART_16550);
	if (uart && vm_add_vdev(vm, cfg->console_gpa, 0x1000, pl011 ? &vpl011_ops : &vuart_ops, &vm->vuart))
		return E_NOMEM;
	if ((rc = virqc_create(vm, uart || vm->irqs.n, err, errlen)))
		return rc;
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct vcpu *v = &vm->vcpu[i];
		v->vm = vm;
		v->id = i;
		v->pcpu = cfg->affinity[i];
		atomic_init(&v->power, VCPU_POWER_OFF);
		vm->core_mask |= 1u << v->pcpu;
	}
	vm_table[index] = vm;
	return 0;
}

/* The generated tree lives in host RAM for the VM's lifetime; a reboot rebuilds it. */
int vm_generate_dtb(struct vm *vm, char *err, unsigned errlen)
{
	const struct host_platform *plat = core_platform();
	if (!vm->dtb_buf && !(vm->dtb_buf = (void *)mem_alloc(VM_DTB_MAX, 4096))) {
		snprintf(err, errlen, "%s: dtb: no host memory for the generated tree", vm->cfg.file);
		return E_NOMEM;
	}
	struct guestdt_params gp = {
		.cfg = &vm->cfg, .layout = &vm->layout, .initrd_size = vm->initrd_size,
		.timebase_hz = plat->timebase_hz, .host_isa = &plat->boot_isa,
		.mmu_type = plat->mmu_type[0] ? plat->mmu_type : NULL, .sstc = arch_vm_timer_in_hw(&vm->arch),
		.uart_gpa = vmcfg_console_uart(&vm->cfg) ? vm->cfg.console_gpa : 0,
		.uart_pl011 = vm->cfg.console == VMCFG_CONSOLE_PL011,
		.boot_count = vm->boot_count,
		.uart_irq = VUART_IRQ,
		.host_fdt = plat->fdt, .host_stdout = plat->uart.present ? plat->uart.path : NULL,
		.irqs = &vm->irqs,
	};
	virqc_describe(vm, &gp.irqc);
	if (guestdt_build(vm->dtb_buf, VM_DTB_MAX, &gp, err, errlen))
		return E_FAILED;
	vm->dtb_image = vm->dtb_buf;
	vm->dtb_size = fdt_totalsize(vm->dtb_buf);
	return 0;
}

int vm_window_free(const struct vm *vm, uint64_t gpa, uint64_t size, const char *what, char *err,
		   unsigned errlen)
{
	const struct vmcfg *cfg = &vm->cfg;
	for (unsigned i = 0; i < cfg->ndevices; i++) {
		const struct vmcfg_device *d = &cfg->devices[i];
		uint64_t dgpa = d->gpa, dsize = d->size;
		if (d->kind == VMCFG_DEV_PASSTHROUGH)
			hostdt_node_reg(core_platform()->fdt, d->path, &dgpa, &dsize);
		if (dgpa < gpa + size && gpa < dgpa + dsize) {
			snprintf(err, errlen, "%s: devices[%u]: overlaps %s at 0x%lx", cfg->file, i, what,
				 (unsigned long)gpa);
			return E_INVAL;
		}
	}
	for (unsigned i = 0; i < cfg->nmem; i++)
		if (cfg->mem[i].gpa < gpa + size && gpa < cfg->mem[i].gpa + cfg->mem[i].size) {
			snprintf(err, errlen, "%s: memory[%u]: overlaps %s at 0x%lx", cfg->file, i, what,
				 (unsigned long)gpa);
			return E_INVAL;
		}
	return 0;
}

int vm_add_vdev(struct vm *vm, uint64_t gpa, uint64_t size, const struct vdev_ops *ops, void *dev)
{
	if (vm->nvdevs == VM_MAX_VDEVS)
		return E_NOMEM;
	vm->vdev[vm->nvdevs++] = (struct vdev){ gpa, size, ops, dev };
	return 0;
}

static bool vdev_has(const struct vdev *d, uint64_t gpa)
{
	return gpa >= d->gpa && gpa - d->gpa < d->size;
}

struct vdev *vm_vdev_at(struct vm *vm, uint64_t gpa, unsigned *hint)
{
	if (*hint < vm->nvdevs && vdev_has(&vm->vdev[*hint], gpa))
		return &vm->vdev[*hint];
	for (unsigned i = 0; i < vm->nvdevs; i++)
		if (vdev_has(&vm->vdev[i], gpa)) {
			*hint = i;
			return &vm->vdev[i];
		}
	return NULL;
}

int vm_gpa_to_hpa(const struct vm *vm, uint64_t gpa, uint64_t len, uintptr_t *hpa)
{
	for (unsigned i = 0; i < vm->nregions; i++) {
		const struct vm_region *r = &vm->region[i];
		if (gpa >= r->gpa && len <= r->size && gpa - r->gpa <= r->size - len) {
			*hpa = (uintptr_t)(r->hpa + (gpa - r->gpa));
			return 0;
		}
	}
	return E_ADDR;
}

static void copy_in(struct vm *vm, uint64_t gpa, const uint8_t *data, uint64_t size)
{
	uintptr_t hpa;
	if (size && vm_gpa_to_hpa(vm, gpa, size, &hpa) == 0)
		memcpy((void *)hpa, data, size);
}

/* Emulated devices as at power-on (reboot). */
void vm_reset_devices(struct vm *vm)
{
	vuart_reset(&vm->vuart, vm->vuart.model);
	virqc_reset(vm);
	for (unsigned i = 0; i < vm->nvcpus; i++)
		atomic_store(&vm->vcpu[i].ext_level, 0);
}

/*
 * Fresh RAM and pristine images, in steps of at most VM_LOAD_STEP bytes:
 * zero each region, then copy the kernel, the initrd and the tree in. A
 * reboot runs one step at a time between scheduling decisions, so that a
 * large VM's reboot never holds a core its other VMs share (sched.c).
 * Returns true when everything is in.
 */
bool vm_load_step(struct vm *vm)
{
	struct vm_load *l = &vm->load;
	const struct { uint64_t gpa; const uint8_t *data; uint64_t size; } img[3] = {
		{ vm->layout.kernel_gpa, vm->kernel, vm->kernel_size },
		{ vm->layout.initrd_gpa, vm->initrd, vm->initrd_size },
		{ vm->layout.dtb_gpa, vm->dtb_image, vm->dtb_size },
	};
	while (l->phase < vm->nregions + 3) {
		bool zero = l->phase < vm->nregions;
		uint64_t size = zero ? vm->region[l->phase].size : img[l->phase - vm->nregions].size;
		if (l->off >= size) {
			l->phase++;
			l->off = 0;
			continue;
		}
		uint64_t n = size - l->off < VM_LOAD_STEP ? size - l->off : VM_LOAD_STEP;
		if (zero) {
			arch_zero_pages((void *)(uintptr_t)(vm->region[l->phase].hpa + l->off), n);
		} else {
			unsigned k = l->phase - vm->nregions;
			copy_in(vm, img[k].gpa + l->off, img[k].data + l->off, n);
		}
		l->off += n;
		return false;
	}
	return true;
}

int vm_load_images(struct vm *vm)
{
	vm->load = (struct vm_load){ 0, 0 };
	while (!vm_load_step(vm))
		;
	return 0;
}

static void send_or_run(struct pcpu *p, unsigned core, struct mbox_msg *m,
			void (*local)(struct pcpu *, const struct mbox_msg *))
{
	if (core == p->id) {
		m->from = (uint16_t)p->id;
		local(p, m);
	} else {
		core_send(p, core, m);
	}
}

static void start_vcpu_msg(struct pcpu *p, struct vcpu *v, uint64_t entry, unsigned long a1)
{
	struct mbox_msg m = { .type = MSG_VCPU_START,
			      .arg = { v->vm->index, v->id, entry, a1, atomic_load(&v->vm->epoch) } };
	send_or_run(p, v->pcpu, &m, vm_msg_vcpu_start);
}

void vm_start(struct pcpu *p, struct vm *vm)
{
	char cores[3 * VMCFG_MAX_VCPUS + 1];
	unsigned n = 0;
	for (unsigned i = 0; i < vm->nvcpus; i++)
		n += (unsigned)snprintf(cores + n, sizeof(cores) - n, "%s%u", i ? "," : "",
					vm->vcpu[i].pcpu);
	atomic_store(&vm->state, VM_RUNNING);
	if (vm->boot_count == 0)
		log_line("vm %u (%s): started on cores %s", vm->cfg.id, vm->cfg.name, cores);
	struct vcpu *v0 = &vm->vcpu[0];
	atomic_store(&v0->power, VCPU_POWER_ON_PENDING);
	start_vcpu_msg(p, v0, vm->layout.entry,
		       vm->cfg.dtb == VMCFG_DTB_NONE ? 0 : (unsigned long)vm->layout.dtb_gpa);
}

/* ---- messages (receiving core) ---- */

static struct vcpu *msg_vcpu(const struct mbox_msg *m, uint64_t epoch)
{
	struct vm *vm = vm_by_index((unsigned)m->arg[0]);
	if (!vm || m->arg[1] >= vm->nvcpus || epoch != atomic_load(&vm->epoch))
		return NULL;
	return &vm->vcpu[m->arg[1]];
}

void vm_msg_vcpu_start(struct pcpu *p, const struct mbox_msg *m)
{
	struct vcpu *v = msg_vcpu(m, m->arg[4]);
	if (!v || v->pcpu != p->id || atomic_load(&v->vm->state) != VM_RUNNING)
		return;   /* stale: the VM went down or rebooted meanwhile */
	vcpu_reset_at(p, v, m->arg[2], (unsigned long)m->arg[3]);
	atomic_store(&v->pending_virq, 0);
	v->run = VCPU_RUNNABLE;
	atomic_store(&v->power, VCPU_POWER_ON);
	sched_add(p, v);
	if (v->id == 0)
		hwirq_attach(p, v->vm);
}

/*
 * Wake-ups coalesce, as IPIs do on hardware: while one MSG_VIRQ for v is on
 * its way, the owner core has yet to look at v's lines and will see every
 * change made meanwhile. A guest that raises another core's line in a loop
 * therefore keeps at most one message in flight, and never fills a ring.
 */
void vm_kick_vcpu(struct vcpu *v)
{
	struct pcpu *p = arch_this_pcpu();
	if (v->pcpu == p->id) {
		sched_wake(p, v);
		return;
	}
	if (atomic_exchange(&v->kick_queued, 1u))
		return;
	struct mbox_msg m = { .type = MSG_VIRQ, .arg = { v->vm->index, v->id, atomic_load(&v->vm->epoch) } };
	core_send(p, v->pcpu, &m);
}

void vm_msg_virq(struct pcpu *p, const struct mbox_msg *m)
{
	struct vm *vm = vm_by_index((unsigned)m->arg[0]);
	/*
	 * Stale or not, this one has arrived. An exchange, not a store: a full
	 * barrier, so that the vCPU's lines read after it (vcpu_sync_irqs) see
	 * what a sender set before it found the flag still up and sent nothing.
	 */
	if (vm && m->arg[1] < vm->nvcpus)
		(void)atomic_exchange(&vm->vcpu[m->arg[1]].kick_queued, 0u);
	struct vcpu *v = msg_vcpu(m, m->arg[2]);
	if (v && v->pcpu == p->id)
		sched_wake(p, v);
}

void vm_msg_rfence(struct pcpu *p, const struct mbox_msg *m)
{
	(void)p;
	_Atomic unsigned *left = (_Atomic unsigned *)(uintptr_t)m->arg[1];
	struct vm *vm = vm_by_index((unsigned)m->arg[0]);
	if (vm)
		arch_rfence(&vm->arch, (unsigned)m->arg[2]);
	atomic_fetch_sub_explicit(left, 1, memory_order_release);
}

/* Take this core's vCPUs of the VM off; the last core to do so finishes the job. */
static void vm_down_local(struct pcpu *p, struct vm *vm)
{
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct vcpu *v = &vm->vcpu[i];
		if (v->pcpu != p->id)
			continue;
		sched_remove(p, v);
		atomic_store(&v->power, VCPU_POWER_OFF);
		if (i == 0)
			hwirq_detach(p, vm);
	}
	if (atomic_fetch_sub(&vm->cores_left, 1) == 1)
		p->vm_finish_mask |= 1u << vm->index;
}

void vm_msg_shutdown(struct pcpu *p, const struct mbox_msg *m)
{
	struct vm *vm = vm_by_index((unsigned)m->arg[0]);
	if (vm && m->arg[1] == atomic_load(&vm->epoch))
		vm_down_local(p, vm);
}

/* ---- lifecycle ---- */

void vm_system_down(struct pcpu *p, struct vcpu *self, enum vm_down how, const char *why)
{
	struct vm *vm = self->vm;
	int expect = VM_RUNNING;
	int next = how == VM_DOWN_SHUTDOWN ? VM_STOPPING : VM_REBOOTING;
	if (how == VM_DOWN_FAULT)
		next = vm->cfg.on_fault == VMCFG_FAULT_REBOOT ? VM_REBOOTING : VM_STOPPING;
	if (!atomic_compare_exchange_strong(&vm->state, &expect, next))
		return;   /* another vCPU already took the VM down */
	self->exits[EXIT_SYSTEM_DOWN]++;
	vm->down = how;
	vm->down_reason = why;
	unsigned ncores = 0;
	for (uint32_t mask = vm->core_mask; mask; mask &= mask - 1)
		ncores++;
	atomic_store(&vm->cores_left, ncores);
	unsigned epoch = atomic_load(&vm->epoch);
	for (unsigned c = 0; c < CONFIG_MAX_CORES; c++) {
		if (!(vm->core_mask & (1u << c)))
			continue;
		struct mbox_msg m = { .type = MSG_VM_SHUTDOWN, .arg = { vm->index, epoch } };
		send_or_run(p, c, &m, vm_msg_shutdown);
	}
}

/*
 * What a vCPU carries from one boot to the next is reset when the VM
 * reboots (every core has let go of it): its HSM state (a hart_start that
 * raced the shutdown may have left START_PENDING), a pending non-retentive
 * resume, its half-written console line, interrupts and timer watches, its
 * counters. Registers and CSRs are reset when it starts (arch_vcpu_reset);
 * kick_queued is left alone: it belongs to a MSG_VIRQ still on its way.
 */
static void vcpu_state_reset(struct vcpu *v)
{
	atomic_store(&v->power, VCPU_POWER_OFF);
	atomic_store(&v->pending_virq, 0);
	v->suspend_nonret = false;
	v->resume_pc = 0;
	v->resume_arg = 0;
	v->reset_pending = false;
	v->timer_watch = 0;
	v->line_len = 0;
	memset(v->exits, 0, sizeof(v->exits));
}

/* Exit counts of all the VM's vCPUs; every core has let go of them by now. */
static void log_exits(const struct vm *vm)
{
	static const char *const names[EXIT_REASON_COUNT] = {
		[EXIT_HYPERCALL] = "hypercall", [EXIT_EXTERNAL_IRQ] = "irq", [EXIT_HALT] = "halt",
		[EXIT_CPU_UP] = "cpu-up", [EXIT_CPU_DOWN] = "cpu-down", [EXIT_SYSTEM_DOWN] = "system-down",
		[EXIT_MMIO] = "mmio", [EXIT_SYSREG] = "sysreg",
		[EXIT_FAIL_ENTRY] = "fail-entry", [EXIT_GUEST_FAULT] = "fault",
	};
	char line[200];
	int n = snprintf(line, sizeof(line), "vm %u (%s): exits:", vm->cfg.id, vm->cfg.name);
	for (unsigned r = 0; r < EXIT_REASON_COUNT && n < (int)sizeof(line); r++) {
		uint64_t total = 0;
		for (unsigned i = 0; i < vm->nvcpus; i++)
			total += vm->vcpu[i].exits[r];
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %s %lu", names[r], (unsigned long)total);
	}
	log_line("%s", line);
}

/* Every core's mailbox counters (a report: the others are idle or about to be). */
static void log_mailbox_totals(void)
{
	uint64_t sent = 0, waited = 0, cut = 0;
	for (unsigned c = 0; c < core_count(); c++) {
		const struct pcpu *q = core_pcpu(c);
		sent += q->ep.sent;
		waited += q->ep.full_waits;
		cut += q->exits_cut_short;
	}
	log_line("tessera: mailboxes: %lu messages sent, %lu sends waited for room, %lu exits cut short",
		 (unsigned long)sent, (unsigned long)waited, (unsigned long)cut);
}

static void vm_finish(struct pcpu *p, struct vm *vm)
{
	if (atomic_load(&vm->state) == VM_REBOOTING) {
		/* the counters show that a reboot leaks neither memory nor messages */
		log_line("vm %u (%s): rebooting (boot %u): free host memory %lu bytes, messages in "
			 "flight %u", vm->cfg.id, vm->cfg.name, vm->boot_count + 1,
			 (unsigned long)mem_free_bytes(), mailbox_in_flight(p->ep.net));
		atomic_fetch_add(&vm->epoch, 1);
		vm->boot_count++;
		for (unsigned i = 0; i < vm->nvcpus; i++)
			vcpu_state_reset(&vm->vcpu[i]);
		atomic_store(&vm->console_dropped, 0);
		char err[VMCFG_ERR_LEN];
		if (vm->cfg.dtb == VMCFG_DTB_GENERATE && vm_generate_dtb(vm, err, sizeof(err)))
			log_line("vm %u (%s): %s", vm->cfg.id, vm->cfg.name, err);
		vm->load = (struct vm_load){ 0, 0 };
		sched_rebuild(p, vm);   /* RAM and images in steps; then vm_rebuilt() */
		return;
	}
	atomic_store(&vm->state, VM_STOPPED);
	log_line("vm %u (%s): stopped (%s)", vm->cfg.id, vm->cfg.name, vm->down_reason);
	log_exits(vm);
	if (atomic_fetch_sub(&running_vms, 1) == 1) {
		log_mailbox_totals();
		log_line("tessera: all VMs stopped, powering off");
		system_poweroff(false);
	}
}

/* The last step of a reboot is done: the VM starts again. */
void vm_rebuilt(struct pcpu *p, struct vm *vm)
{
	vm_reset_devices(vm);
	vm_start(p, vm);
}

void vm_finish_pending(struct pcpu *p)
{
	for (unsigned i = 0; i < VM_MAX && p->vm_finish_mask; i++) {
		if (!(p->vm_finish_mask & (1u << i)))
			continue;
		if (p->rebuild && vm_table[i] && atomic_load(&vm_table[i]->state) == VM_REBOOTING)
			continue;   /* one reboot at a time per core: this one waits */
		p->vm_finish_mask &= ~(1u << i);
		if (vm_table[i])
			vm_finish(p, vm_table[i]);
	}
}

void vm_fault(struct pcpu *p, struct vcpu *v, const struct vcpu_exit *e)
{
	struct vm *vm = v->vm;
	if (e->reason == EXIT_MMIO)
		log_line("vm %u (%s): fault: %s (gpa 0x%lx) at pc 0x%lx vcpu %u", vm->cfg.id, vm->cfg.name,
			 e->what, (unsigned long)e->addr, e->pc, v->id);
	else
		log_line("vm %u (%s): fault: %s (tval 0x%lx) at pc 0x%lx vcpu %u", vm->cfg.id,
			 vm->cfg.name, e->what, (unsigned long)e->addr, e->pc, v->id);
	vm_system_down(p, v, VM_DOWN_FAULT, "fault");
}

/* ---- hypercall services ---- */

int vcpu_cpu_up(struct pcpu *p, struct vcpu *self, unsigned long target, uint64_t entry,
		unsigned long opaque)
{
	struct vm *vm = self->vm;
	if (target >= vm->nvcpus)
		return E_INVAL;
	uintptr_t hpa;
	if (vm_gpa_to_hpa(vm, entry, 4, &hpa))
		return E_ADDR;
	if (atomic_load(&vm->state) != VM_RUNNING)
		return E_FAILED;   /* the VM is going down: nothing starts now */
	struct vcpu *v = &vm->vcpu[target];
	int expect = VCPU_POWER_OFF;
	if (!atomic_compare_exchange_strong(&v->power, &expect, VCPU_POWER_ON_PENDING))
		return E_ALREADY;
	self->exits[EXIT_CPU_UP]++;
	start_vcpu_msg(p, v, entry, opaque);
	return 0;
}

void vcpu_cpu_down(struct pcpu *p, struct vcpu *self)
{
	self->exits[EXIT_CPU_DOWN]++;
	sched_remove(p, self);
	atomic_store(&self->power, VCPU_POWER_OFF);
}

int vcpu_power_state(struct vcpu *self, unsigned long target)
{
	if (target >= self->vm->nvcpus)
		return E_INVAL;
	return atomic_load(&self->vm->vcpu[target].power);
}

int vcpu_suspend(struct pcpu *p, struct vcpu *self, bool nonret, uint64_t resume,
		 unsigned long opaque)
{
	(void)p;
	if (nonret) {
		uintptr_t hpa;
		if (vm_gpa_to_hpa(self->vm, resume, 4, &hpa))
			return E_ADDR;
		/* Non-retentive: wake up at resume with a fresh register state. */
		self->suspend_nonret = true;
		self->resume_pc = resume;
		self->resume_arg = opaque;
	}
	atomic_store(&self->power, VCPU_POWER_SUSPENDED);
	self->run = VCPU_HALTED;
	return 0;
}

int vm_send_ipi(struct pcpu *p, struct vcpu *self, uint32_t targets)
{
	struct vm *vm = self->vm;
	(void)p;   /* vm_kick_vcpu finds the core itself */
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		if (!(targets & (1u << i)))
			continue;
		struct vcpu *v = &vm->vcpu[i];
		unsigned before = atomic_fetch_or_explicit(&v->pending_virq, ARCH_VIRQ_SOFT,
							   memory_order_acq_rel);
		/* Already pending: the owner core has yet to take the bit; nothing to tell it. */
		if (!(before & ARCH_VIRQ_SOFT))
			vm_kick_vcpu(v);
	}
	return 0;
}

int vm_rfence(struct pcpu *p, struct vcpu *self, uint32_t targets, unsigned kinds)
{
	struct vm *vm = self->vm;
	uint32_t cores = 0;
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (targets & (1u << i))
			cores |= 1u << vm->vcpu[i].pcpu;
	if (cores & (1u << p->id)) {
		arch_rfence(&vm->arch, kinds);
		cores &= ~(1u << p->id);
	}
	_Atomic unsigned left = 0;
	for (unsigned c = 0; c < CONFIG_MAX_CORES; c++)
		if (cores & (1u << c))
			atomic_fetch_add(&left, 1);
	for (unsigned c = 0; c < CONFIG_MAX_CORES; c++) {
		if (!(cores & (1u << c)))
			continue;
		struct mbox_msg m = { .type = MSG_RFENCE, .arg = { vm->index, (uintptr_t)&left, kinds } };
		core_send(p, c, &m);
	}
	/* Wait for every fence, serving our own inbox meanwhile (others may fence us). */
	while (atomic_load_explicit(&left, memory_order_acquire)) {
		mailbox_poll(&p->ep);
		arch_relax();
	}
	return 0;
}

/*
 * One line of a guest's output, tagged with its name. It never waits: when
 * its core's console ring has no room (the guest prints faster than the
 * UART takes it) the line is dropped and counted, and the count goes out,
 * as "[name] ... N bytes dropped", before the next line that fits.
 */
static void guest_line(struct vm *vm, const char *text)
{
	char buf[200];
	uint64_t dropped = atomic_load_explicit(&vm->console_dropped, memory_order_relaxed);
	if (dropped) {
		int k = snprintf(buf, sizeof(buf), "[%s] ... %lu bytes dropped\n", vm->cfg.name,
				 (unsigned long)dropped);
		if (!console_try_write(buf, (size_t)k)) {
			atomic_fetch_add(&vm->console_dropped, strlen(text) + 1);
			return;
		}
		atomic_fetch_sub(&vm->console_dropped, dropped);
	}
	int n = snprintf(buf, sizeof(buf), "[%s] %s\n", vm->cfg.name, text);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (!console_try_write(buf, (size_t)n))
		atomic_fetch_add(&vm->console_dropped, strlen(text) + 1);
}

/*
 * Guest console output: whole lines. The length is read once and clamped, so
 * even a guest racing itself on one buffer cannot push it past its end.
 */
bool console_line_putc(struct vm *vm, char *line, unsigned *len, unsigned cap, char c)
{
	unsigned n = *len < cap - 1 ? *len : cap - 1;
	if (c == '\r')
		return false;
	if (c != '\n' && n < cap - 1) {
		line[n] = c;
		*len = n + 1;
		return false;
	}
	line[n] = '\0';
	guest_line(vm, line);
	*len = 0;
	if (c != '\n') {   /* the line was full: c starts the next one */
		line[0] = c;
		*len = 1;
	}
	return true;
}

/* SBI console: each vCPU has its own line (harts print whole lines). */
bool vcpu_console_putc(struct vcpu *v, char c)
{
	return console_line_putc(v->vm, v->line, &v->line_len, sizeof(v->line), c);
}
