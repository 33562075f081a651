/*
 * Virtual APLIC in MSI delivery mode, one per VM on an AIA host, and the
 * VM's IMSIC: one guest interrupt file per vCPU, on that vCPU's hart, mapped
 * into the G-stage at VIMSIC_GPA + 4 KiB * vCPU. The guest's own MSIs and
 * IPIs (stores to those pages) and its claims (stopei) take no exit.
 *
 * The APLIC is trapped and emulated. An emulated line (the console UART) is
 * forwarded by writing its target's identity into the target vCPU's file,
 * from whatever core drives it: no kick, the file signals its hart. A
 * passed-through line is the host APLIC's: its configuration, enable and
 * target are written through to the host domain, which then sends the
 * device's interrupts straight to the vCPU's file (no exit on delivery).
 * State is the VM's, under its lock (any vCPU of the VM, on any core).
 */
#include <stdio.h>
#include <string.h>
#include "arch/riscv64/irqc/models.h"
#include "core/console.h"
#include "core/errno.h"
#include "core/irqc.h"
#include "core/mem.h"
#include "core/pcpu.h"
#include "core/vdev.h"
#include "core/vm.h"
#include "partition/hostdt.h"
#include "partition/isa.h"

#define VAPLIC_GPA  0x0d000000ull   /* where QEMU's virt has its supervisor-level APLIC */
#define VAPLIC_SIZE 0x4000ull       /* a domain without interrupt delivery controls */
#define VIMSIC_GPA  0x28000000ull   /* ... and its supervisor-level IMSIC */

#define DOMAINCFG     0x0000
#define SOURCECFG     0x0004        /* sources 1..1023 */
#define SETIP         0x1c00
#define SETIPNUM      0x1cdc
#define IN_CLRIP      0x1d00
#define CLRIPNUM      0x1ddc
#define SETIE         0x1e00
#define SETIENUM      0x1edc
#define CLRIE         0x1f00
#define CLRIENUM      0x1fdc
#define SETIPNUM_LE   0x2000
#define SETIPNUM_BE   0x2004
#define GENMSI        0x3000
#define TARGET        0x3004        /* sources 1..1023 */

#define DOMAINCFG_RO  0x80000000u   /* reads as one */
#define DOMAINCFG_IE  (1u << 8)
#define DOMAINCFG_DM  (1u << 2)     /* MSI delivery: the only mode this domain has */
#define TARGET_HART(t) ((t) >> 18)
#define TARGET_EIID(t) ((t) & 0x7ffu)
#define TARGET_MASK   (0xfffc0000u | 0x7ffu)   /* no guest index: the VM's files are its own */

enum { SM_INACTIVE = 0, SM_DETACHED = 1, SM_EDGE1 = 4, SM_EDGE0 = 5, SM_LEVEL1 = 6, SM_LEVEL0 = 7 };

static unsigned files_taken[HOSTDT_MAX_HARTS];   /* per core, by the boot core at VM creation */

void virqc_lock(struct virqc *p)
{
	while (atomic_flag_test_and_set_explicit(&p->lock, memory_order_acquire))
		;
}

void virqc_unlock(struct virqc *p)
{
	atomic_flag_clear_explicit(&p->lock, memory_order_release);
}

static bool level_mode(uint32_t sm)
{
	return sm == SM_LEVEL1 || sm == SM_LEVEL0;
}

/* An MSI from the domain: identity eiid in the file of the VM's hart (vCPU) hart. */
static void send_msi(struct vm *vm, unsigned hart, unsigned eiid)
{
	const struct vaplic *a = &vm->virqc.aplic;
	if (hart >= vm->nvcpus || !eiid || eiid > a->file_ids)
		return;
	if (a->sw & (1u << hart))
		vimsic_send(vm, hart, eiid);   /* its wake-up goes out at vimsic_unlock_kick */
	else
		*(volatile uint32_t *)a->file[hart] = eiid;   /* the file signals its hart itself */
}

/* Every emulated line pending and enabled goes out as an MSI, its pending bit cleared (lock held). */
static void forward(struct vm *vm)
{
	struct vaplic *a = &vm->virqc.aplic;
	if (!(a->domaincfg & DOMAINCFG_IE))
		return;
	uint32_t due = a->ip & a->ie & ~vm->virqc.hw;
	a->ip &= ~due;
	for (unsigned s = 1; due && s < VIRQC_LINES; s++)
		if (due & (1u << s))
			send_msi(vm, TARGET_HART(a->target[s]), TARGET_EIID(a->target[s]));
}

/* The wire of emulated line s is at raw: its rectified input, and the pending bit it sets. */
static void drive(struct vaplic *a, unsigned s, bool raw)
{
	uint32_t bit = 1u << s, sm = a->sourcecfg[s];
	bool in = sm >= SM_EDGE1 && raw != (sm == SM_EDGE0 || sm == SM_LEVEL0);
	bool was = a->input & bit;
	a->wire = raw ? a->wire | bit : a->wire & ~bit;
	a->input = in ? a->input | bit : a->input & ~bit;
	if (in && !was)
		a->ip |= bit;    /* edge or level: a rising rectified input */
	else if (!in && level_mode(sm))
		a->ip &= ~bit;   /* a level that drops is no longer pending */
}

/* self: the vCPU whose exit drives the line (its lines are synced after), or NULL. */
static void drive_line(struct vm *vm, const struct vcpu *self, unsigned line, bool level)
{
	struct virqc *p = &vm->virqc;
	if (!p->present || line == 0 || line >= VIRQC_LINES || (p->hw & (1u << line)))
		return;
	virqc_lock(p);
	drive(&p->aplic, line, level);
	forward(vm);
	vimsic_unlock_kick(vm, self);
}

static void set_level(struct vcpu *self, unsigned line, bool level)
{
	drive_line(self->vm, self, line, level);
}

static void raise(struct vm *vm, unsigned line)
{
	if (vm->vcpu[0].vm)   /* built */
		drive_line(vm, NULL, line, true);
}

static void route_host(struct vm *vm, unsigned line, uint32_t host)
{
	if (line > 0 && line < VIRQC_LINES) {
		vm->virqc.hw |= 1u << line;
		vm->virqc.aplic.host[line] = (uint16_t)host;
	}
}

/* The host APLIC sends these itself: nothing is claimed for them. */
static void host_raise(struct vm *vm, unsigned line)
{
	(void)vm;
	(void)line;
}

/* The host's target for passed-through line s: the file of the vCPU its guest names. */
static void host_target(struct vm *vm, unsigned s)
{
	const struct vaplic *a = &vm->virqc.aplic;
	unsigned hart = TARGET_HART(a->target[s]);
	if (hart >= vm->nvcpus) {
		aplic_target(a->host[s], 0, 0, 0);   /* nobody: identity 0 is never pending */
		return;
	}
	const struct vcpu *v = &vm->vcpu[hart];
	if (!v->arch.vgein) {
		/* the host APLIC can only send to a hardware file (docs/irqc.md: not done yet) */
		log_line("vm %u (%s): line %u targets vCPU %u, whose interrupt file is software: "
			 "the passed-through line is not delivered", vm->cfg.id, vm->cfg.name, s, hart);
		aplic_target(a->host[s], 0, 0, 0);
		return;
	}
	aplic_target(a->host[s], (unsigned)core_platform()->irqc.ctx[v->pcpu], v->arch.vgein,
		     TARGET_EIID(a->target[s]));
}

static void host_enable(struct vm *vm, unsigned s)
{
	const struct vaplic *a = &vm->virqc.aplic;
	aplic_enable(a->host[s], (a->ie & (1u << s)) && (a->domaincfg & DOMAINCFG_IE));
}

/* Source number n, or 0 if the VM has no such line. */
static unsigned line_of(uint64_t n)
{
	return n > 0 && n < VIRQC_LINES ? (unsigned)n : 0;
}

static void write_sourcecfg(struct vm *vm, unsigned s, uint32_t val)
{
	struct vaplic *a = &vm->virqc.aplic;
	uint32_t sm = val & 7, bit = 1u << s;
	if (val & (1u << 10) || sm == 2 || sm == 3)
		sm = SM_INACTIVE;   /* no child domains to delegate to; 2 and 3 are reserved */
	a->sourcecfg[s] = sm;
	if (sm == SM_INACTIVE) {
		a->ie &= ~bit;
		a->ip &= ~bit;
	}
	if (vm->virqc.hw & bit) {
		aplic_source_mode(a->host[s], sm);
		host_enable(vm, s);
		return;
	}
	a->input &= ~bit;
	drive(a, s, a->wire & bit);   /* the new mode's view of the wire */
	if (!level_mode(sm) && sm != SM_INACTIVE)
		a->ip &= ~bit;            /* an edge source is pending only on a new edge */
}

/* setip/setipnum: an edge or detached source becomes pending; a level one only while its input is high. */
static void set_pending(struct vm *vm, unsigned s)
{
	struct vaplic *a = &vm->virqc.aplic;
	uint32_t bit = 1u << s, sm = a->sourcecfg[s];
	if (vm->virqc.hw & bit) {
		aplic_set_pending(a->host[s], true);
		return;
	}
	if (sm != SM_INACTIVE && (!level_mode(sm) || (a->input & bit)))
		a->ip |= bit;
}

static void clear_pending(struct vm *vm, unsigned s)
{
	if (vm->virqc.hw & (1u << s))
		aplic_set_pending(vm->virqc.aplic.host[s], false);
	else
		vm->virqc.aplic.ip &= ~(1u << s);
}

static void set_enable(struct vm *vm, unsigned s, bool on)
{
	struct vaplic *a = &vm->virqc.aplic;
	uint32_t bit = 1u << s;
	if (on && a->sourcecfg[s] != SM_INACTIVE)
		a->ie |= bit;
	else
		a->ie &= ~bit;
	if (vm->virqc.hw & bit)
		host_enable(vm, s);
}

/* Pending bits and inputs as the guest reads them: its passed-through lines' from the host. */
static uint32_t pending_word(const struct vm *vm, bool input)
{
	const struct vaplic *a = &vm->virqc.aplic;
	uint32_t w = (input ? a->input : a->ip) & ~vm->virqc.hw;
	for (unsigned s = 1; s < VIRQC_LINES; s++)
		if ((vm->virqc.hw & (1u << s)) &&
		    (input ? aplic_input(a->host[s]) : aplic_pending(a->host[s])))
			w |= 1u << s;
	return w;
}

static int vaplic_read(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t *val)
{
	struct vm *vm = v->vm;
	struct virqc *p = dev;
	struct vaplic *a = &p->aplic;
	if (width != 4 || (off & 3))
		return E_INVAL;
	*val = 0;
	virqc_lock(p);
	if (off == DOMAINCFG)
		*val = DOMAINCFG_RO | DOMAINCFG_DM | a->domaincfg;
	else if (off >= SOURCECFG && off < SOURCECFG + 4 * 1023)
		*val = a->sourcecfg[line_of((off - SOURCECFG) / 4 + 1)];
	else if (off == SETIP)
		*val = pending_word(vm, false);
	else if (off == IN_CLRIP)
		*val = pending_word(vm, true);
	else if (off == SETIE)
		*val = a->ie;
	else if (off == GENMSI)
		*val = a->genmsi;   /* never busy: sent at once */
	else if (off >= TARGET && off < TARGET + 4 * 1023)
		*val = a->target[line_of((off - TARGET) / 4 + 1)];
	/* everything else (other words of those arrays, the *num registers, MSI address
	 * configuration, which only a root domain has) reads as zero */
	virqc_unlock(p);
	return 0;
}

static void write_bits(struct vm *vm, uint32_t bits, void (*each)(struct vm *, unsigned))
{
	for (unsigned s = 1; s < VIRQC_LINES; s++)
		if (bits & (1u << s))
			each(vm, s);
}

static void enable_on(struct vm *vm, unsigned s) { set_enable(vm, s, true); }
static void enable_off(struct vm *vm, unsigned s) { set_enable(vm, s, false); }

static int vaplic_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	struct vm *vm = v->vm;
	struct virqc *p = dev;
	struct vaplic *a = &p->aplic;
	uint32_t w = (uint32_t)val;
	unsigned s;
	if (width != 4 || (off & 3))
		return E_INVAL;
	virqc_lock(p);
	if (off == DOMAINCFG) {
		a->domaincfg = w & DOMAINCFG_IE;
		for (s = 1; s < VIRQC_LINES; s++)
			if (p->hw & (1u << s))
				host_enable(vm, s);
	} else if (off >= SOURCECFG && off < SOURCECFG + 4 * 1023) {
		if ((s = line_of((off - SOURCECFG) / 4 + 1)))
			write_sourcecfg(vm, s, w);
	} else if (off == SETIP) {
		write_bits(vm, w, set_pending);
	} else if (off == SETIPNUM || off == SETIPNUM_LE || off == SETIPNUM_BE) {
		if (off == SETIPNUM_BE)
			w = w >> 24 | (w >> 8 & 0xff00u) | (w << 8 & 0xff0000u) | w << 24;
		if ((s = line_of(w)))
			set_pending(vm, s);
	} else if (off == IN_CLRIP) {
		write_bits(vm, w, clear_pending);
	} else if (off == CLRIPNUM) {
		if ((s = line_of(w)))
			clear_pending(vm, s);
	} else if (off == SETIE) {
		write_bits(vm, w, enable_on);
	} else if (off == SETIENUM) {
		if ((s = line_of(w)))
			set_enable(vm, s, true);
	} else if (off == CLRIE) {
		write_bits(vm, w, enable_off);
	} else if (off == CLRIENUM) {
		if ((s = line_of(w)))
			set_enable(vm, s, false);
	} else if (off == GENMSI) {
		a->genmsi = w & TARGET_MASK;
		send_msi(vm, TARGET_HART(a->genmsi), TARGET_EIID(a->genmsi));
	} else if (off >= TARGET && off < TARGET + 4 * 1023) {
		if ((s = line_of((off - TARGET) / 4 + 1))) {
			a->target[s] = w & TARGET_MASK;
			if (p->hw & (1u << s))
				host_target(vm, s);
		}
	}
	forward(vm);
	vimsic_unlock_kick(vm, v);
	return 0;
}

static const struct vdev_ops vaplic_mmio = { "aplic", vaplic_read, vaplic_write };

static uintptr_t page_alloc(void)
{
	return mem_alloc_page();
}

/*
 * vCPU i's interrupt file: its hart's next free guest file, else a software
 * one (vimsic.c), which the boot log names.
 */
static int give_file(struct vm *vm, unsigned i, unsigned geilen, char *err, unsigned errlen)
{
	struct vaplic *a = &vm->virqc.aplic;
	struct vcpu *v = &vm->vcpu[i];
	unsigned core = vm->cfg.affinity[i];
	v->arch.file_ids = (uint16_t)core_platform()->irqc.file_ids;   /* all of a hardware file is reset */
	if (core < HOSTDT_MAX_HARTS && files_taken[core] < geilen) {
		unsigned file = ++files_taken[core];
		v->arch.vgein = (uint8_t)file;
		a->file[i] = imsic_file_address(core_platform(), core, file);
		if (arch_vm_map(&vm->arch, VIMSIC_GPA + 0x1000ull * i, a->file[i], 0x1000, ARCH_MAP_DEVICE, page_alloc)) {
			snprintf(err, errlen, "%s: cannot map vCPU %u's interrupt file", vm->cfg.file, i);
			return E_NOMEM;
		}
		return 0;
	}
	v->arch.sw_file = true;
	a->sw |= 1u << i;
	log_line("vm %u (%s): vCPU %u on core %u has a software interrupt file: the hart's %u guest "
		 "interrupt files are taken (its MSIs and claims trap)", vm->cfg.id, vm->cfg.name, i, core, geilen);
	return 0;
}

static int create(struct vm *vm, bool lines, char *err, unsigned errlen)
{
	struct vaplic *a = &vm->virqc.aplic;
	unsigned geilen = imsic_guest_files();
	(void)lines;   /* every VM gets one: its vCPUs' IPIs go through it */
	int rc = vm_window_free(vm, VAPLIC_GPA, VAPLIC_SIZE, "the virtual APLIC", err, errlen);
	rc = rc ?: vm_window_free(vm, VIMSIC_GPA, 0x1000ull * vm->nvcpus, "the virtual IMSIC", err, errlen);
	if (rc)
		return rc;
	if (vm_add_vdev(vm, VAPLIC_GPA, VAPLIC_SIZE, &vaplic_mmio, &vm->virqc)) {
		snprintf(err, errlen, "%s: too many emulated devices for the virtual APLIC", vm->cfg.file);
		return E_NOMEM;
	}
	/* the guest tree gives one count for every file: what both kinds have */
	a->file_ids = core_platform()->irqc.file_ids < VFILE_IDS ? core_platform()->irqc.file_ids : VFILE_IDS;
	for (unsigned i = 0; i < vm->nvcpus && !rc; i++)
		rc = give_file(vm, i, geilen, err, errlen);
	if (!rc && a->sw)
		rc = vimsic_add_window(vm, VIMSIC_GPA, err, errlen);
	if (rc)
		return rc;
	a->files_gpa = VIMSIC_GPA;
	vm->virqc.present = true;
	return 0;
}

static void describe(const struct vm *vm, struct irqc_dt_guest *g)
{
	const struct vaplic *a = &vm->virqc.aplic;
	*g = (struct irqc_dt_guest){ .model = IRQC_AIA, .lines = VIRQC_LINES };
	if (!vm->virqc.present)
		return;
	g->gpa = VAPLIC_GPA;
	g->size = VAPLIC_SIZE;
	g->files_gpa = a->files_gpa;
	g->file_ids = a->file_ids;
	g->isa_ext = ISA_BIT(ISA_SSAIA);
}

/* Power-on state; the files themselves are reset by each vCPU on its hart (imsic.c). */
static void reset(struct vm *vm)
{
	struct virqc *p = &vm->virqc;
	struct vaplic *a = &p->aplic, keep = *a;
	for (unsigned s = 1; s < VIRQC_LINES; s++)
		if (p->hw & (1u << s))
			aplic_source_mode(a->host[s], SM_INACTIVE);   /* also disables it */
	memset(a, 0, sizeof(*a));
	memcpy(a->host, keep.host, sizeof(a->host));
	memcpy(a->file, keep.file, sizeof(a->file));
	a->files_gpa = keep.files_gpa;
	a->file_ids = keep.file_ids;
	a->sw = keep.sw;   /* its software files start empty, as a reset file does */
	atomic_flag_clear(&p->lock);   /* no vCPU of the VM runs */
}

const struct virqc_ops vaplic_ops = {
	.lines = VIRQC_LINES, .create = create, .describe = describe, .reset = reset,
	.set_level = set_level, .raise = raise, .route_host = route_host, .host_raise = host_raise,
};
