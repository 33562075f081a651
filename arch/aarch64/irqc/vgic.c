/*
 * The virtual GICv3 of a VM (core/irqc.h's guest side on AArch64): an
 * emulated distributor and one redistributor per vCPU (trapped MMIO, as for
 * the vPLIC), and the CPU interface in hardware through the ICH list
 * registers. The state here is the truth while a vCPU is out; on entry
 * vgic_flush puts what is pending or active for it into list registers and
 * vgic_sync takes them back at the exit. Level interrupts (the virtual
 * timer, SPIs) carry the LR's EOI bit, so that the guest's deactivation
 * raises the maintenance interrupt and the next entry looks at the level
 * again. SGIs between vCPUs are trapped ICC_SGI1R_EL1 writes; one for a vCPU
 * on another core goes there as a VIRQ message (vm_kick_vcpu).
 * Passed-through SPIs are not routed yet (docs/aarch64.md).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arch/sysreg.h>
#include <arch/vcpu.h>
#include "arch/aarch64/irqc/gicv3.h"
#include "arch/aarch64/irqc/vgic.h"
#include "core/errno.h"
#include "core/irqc.h"
#include "core/vdev.h"
#include "core/vm.h"
#include "partition/irqc_dt.h"

#define GICD_GPA      0x08000000ull
#define GICD_SIZE     0x10000ull
#define GICR_GPA      0x080a0000ull
#define GICR_STRIDE   0x20000ull
#define PIDR2         0xffe8
#define SGI_FRAME     0x10000
#define PIDR2_GICV3   0x30
#define TIMER_PPI     27
#define LR_PENDING    (1ull << 62)
#define LR_ACTIVE     (2ull << 62)
#define LR_GROUP1     (1ull << 60)
#define LR_EOI        (1ull << 41)   /* HW 0: a maintenance interrupt at its EOI */
#define LR_HW         (1ull << 61)   /* the guest's deactivation deactivates pINTID (bits 41:32) */
#define ICH_HCR_EN    (1ull << 0)
#define ICH_HCR_UIE   (1ull << 1)
#define MAX_LRS       16

static void lock(struct virqc *g)
{
	while (atomic_flag_test_and_set_explicit(&g->lock, memory_order_acquire))
		;
}

static void unlock(struct virqc *g)
{
	atomic_flag_clear_explicit(&g->lock, memory_order_release);
}

unsigned virqc_lines(void)
{
	return VIRQC_LINES;
}

static void gic_reset(struct virqc *g)
{
	unsigned n = g->nvcpus;
	memset((char *)g + offsetof(struct virqc, ctlr), 0, sizeof(*g) - offsetof(struct virqc, ctlr));
	g->nvcpus = n;
	for (unsigned i = 0; i < n; i++) {
		g->cpu[i].edge = 0xffff;   /* SGIs */
		g->cpu[i].asleep = true;
	}
}

extern const struct vdev_ops vgicd_ops, vgicr_ops;

int virqc_create(struct vm *vm, bool lines, char *err, unsigned errlen)
{
	(void)lines;   /* every VM has one: its timer's interrupt comes through it */
	struct virqc *g = &vm->virqc;
	if (vm->nvcpus > VIRQC_MAX_VCPUS) {
		snprintf(err, errlen, "%s: vcpus: the virtual GICv3 takes at most %d", vm->cfg.file,
			 VIRQC_MAX_VCPUS);
		return E_INVAL;
	}
	int rc;
	if ((rc = vm_window_free(vm, GICD_GPA, GICD_SIZE, "the virtual GICv3 distributor", err, errlen)) ||
	    (rc = vm_window_free(vm, GICR_GPA, GICR_STRIDE * vm->nvcpus, "the virtual GICv3 redistributors",
				 err, errlen)))
		return rc;
	if (vm_add_vdev(vm, GICD_GPA, GICD_SIZE, &vgicd_ops, g) ||
	    vm_add_vdev(vm, GICR_GPA, GICR_STRIDE * vm->nvcpus, &vgicr_ops, g))
		return E_NOMEM;
	atomic_flag_clear(&g->lock);
	g->nvcpus = vm->nvcpus;
	gic_reset(g);
	g->present = true;
	return 0;
}

void virqc_describe(const struct vm *vm, struct irqc_dt_guest *g)
{
	*g = (struct irqc_dt_guest){ .model = IRQC_GICV3, .gpa = GICD_GPA, .size = GICD_SIZE,
				     .nvcpus = vm->nvcpus, .lines = VIRQC_LINES, .files_gpa = GICR_GPA,
				     .always = true };
}

void virqc_reset(struct vm *vm)
{
	lock(&vm->virqc);
	gic_reset(&vm->virqc);
	unlock(&vm->virqc);
}

/* The vCPU an SPI goes to, after the caller changed something: kicked if it can now take it. */
static void kick_spi(struct vm *vm, unsigned spi)
{
	struct virqc *g = &vm->virqc;
	unsigned t = g->spi_target[spi];
	if (t < vm->nvcpus && (g->spi_enabled >> spi & 1))
		vm_kick_vcpu(&vm->vcpu[t]);
}

static void set_line(struct vm *vm, unsigned line, bool level)
{
	struct virqc *g = &vm->virqc;
	if (!g->present || line == 0 || line >= VIRQC_LINES)
		return;
	lock(g);
	bool rise = level && !(g->spi_level >> line & 1);
	g->spi_level = level ? g->spi_level | 1u << line : g->spi_level & ~(1u << line);
	unlock(g);
	if (rise)
		kick_spi(vm, line);
}

void virqc_set_level(struct vcpu *self, unsigned line, bool level)
{
	set_line(self->vm, line, level);
}

void virqc_raise(struct vm *vm, unsigned line)
{
	set_line(vm, line, true);
}

/*
 * A host SPI on line: each claim (the host acknowledged it, priority dropped,
 * still active) makes the line pending; its list register links the host
 * INTID, so the guest's deactivation is the host's and the device may
 * interrupt again. Nothing here completes it.
 */
void virqc_route_host(struct vm *vm, unsigned line, uint32_t host)
{
	struct virqc *g = &vm->virqc;
	if (line == 0 || line >= VIRQC_LINES)
		return;
	g->hw |= 1u << line;
	g->spi_host[line] = (uint16_t)host;
}

void virqc_host_raise(struct vm *vm, unsigned line)
{
	struct virqc *g = &vm->virqc;
	if (!g->present || line == 0 || line >= VIRQC_LINES)
		return;
	lock(g);
	g->spi_pending |= 1u << line;
	unlock(g);
	kick_spi(vm, line);
}

/* ---- SGIs: a trapped ICC_SGI1R_EL1 write ---- */

void vgic_send_sgi(struct vcpu *self, uint64_t sgi1r)
{
	struct vm *vm = self->vm;
	struct virqc *g = &vm->virqc;
	unsigned intid = (sgi1r >> 24) & 15;
	uint32_t targets;
	if (sgi1r >> 40 & 1)   /* IRM: every vCPU but the sender */
		targets = ((1u << vm->nvcpus) - 1) & ~(1u << self->id);
	else if (sgi1r & (0xffull << 16 | 0xffull << 32 | 0xfull << 44 | 0xffull << 48))
		return;   /* Aff1-3 or a range other than 0: no vCPU has them */
	else
		targets = (uint32_t)(sgi1r & 0xffff) & ((1u << vm->nvcpus) - 1);
	lock(g);
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (targets >> i & 1)
			g->cpu[i].pending |= 1u << intid;
	unlock(g);
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (targets >> i & 1)
			vm_kick_vcpu(&vm->vcpu[i]);
}

/* ---- list registers ---- */

static unsigned nlrs;   /* the same on every CPU (ICH_VTR_EL2.ListRegs + 1) */

#define LR_CASE(n) case n: if (write) sysreg_write(ich_lr##n##_el2, *v); else *v = sysreg_read(ich_lr##n##_el2); break
static void lr_access(unsigned i, uint64_t *v, bool write)
{
	switch (i) {
	LR_CASE(0); LR_CASE(1); LR_CASE(2); LR_CASE(3); LR_CASE(4); LR_CASE(5); LR_CASE(6); LR_CASE(7);
	LR_CASE(8); LR_CASE(9); LR_CASE(10); LR_CASE(11); LR_CASE(12); LR_CASE(13); LR_CASE(14); LR_CASE(15);
	}
}

static bool timer_level(const struct arch_vcpu *a, bool loaded)
{
	uint64_t ctl = loaded ? sysreg_read(cntv_ctl_el0) : a->el1[EL1_CNTV_CTL];
	return (ctl & 7) == 5;   /* enabled, condition met (ISTATUS), not masked */
}

/* INTIDs 0-63 pending or active for vCPU id (bit n: INTID n), and which of them are active, which pending. */
static uint64_t candidates(const struct virqc *g, unsigned id, uint64_t *active, uint64_t *pending)
{
	const struct vgic_cpu *c = &g->cpu[id];
	uint64_t spi_for = 0;
	/* which SPIs route to this vCPU: looked up only when some SPI is pending or active (exits are hot) */
	if (((g->spi_pending | g->spi_level) & g->spi_enabled) | g->spi_active)
		for (unsigned s = 0; s < 32; s++)
			if (g->spi_target[s] == id)
				spi_for |= 1ull << s;
	uint64_t pend = (uint64_t)(c->pending & c->enabled) |
			(uint64_t)((g->spi_pending | g->spi_level) & g->spi_enabled & (uint32_t)spi_for) << 32;
	*active = (uint64_t)c->active | (uint64_t)(g->spi_active & (uint32_t)spi_for) << 32;
	*pending = (g->ctlr & 2) ? pend : 0;   /* EnableGrp1A gates what is new */
	return *pending | *active;
}

static uint8_t prio_of(const struct virqc *g, unsigned id, unsigned intid)
{
	return intid < 32 ? g->cpu[id].prio[intid] : g->spi_prio[intid - 32];
}

static bool level_of(const struct virqc *g, unsigned id, unsigned intid)
{
	return intid < 32 ? !(g->cpu[id].edge >> intid & 1) : true;
}

/* Before entering v: what it may take, into the list registers (the vCPU is loaded). */
void vgic_flush(struct vcpu *v)
{
	struct virqc *g = &v->vm->virqc;
	struct arch_vcpu *a = &v->arch;
	if (!g->present)
		return;
	unsigned n = nlrs < MAX_LRS ? nlrs : MAX_LRS, used = 0;
	lock(g);
	struct vgic_cpu *c = &g->cpu[v->id];
	c->pending = timer_level(a, true) ? c->pending | 1u << TIMER_PPI : c->pending & ~(1u << TIMER_PPI);
	uint64_t active, pend, want = candidates(g, v->id, &active, &pend);
	uint64_t hcr = ICH_HCR_EN;
	for (unsigned pass = 0; pass < 2; pass++)   /* active ones first: they must not be lost */
		for (uint64_t set = want & (pass == 0 ? active : ~active); set; set &= set - 1) {
			unsigned i = (unsigned)__builtin_ctzll(set);   /* lowest first, as a scan would */
			uint64_t bit = 1ull << i;
			if (used == n) {
				hcr |= ICH_HCR_UIE;   /* more than fit: a maintenance interrupt when they empty */
				continue;
			}
			bool level = level_of(g, v->id, i);
			uint32_t host = i >= 32 && (g->hw >> (i - 32) & 1) ? g->spi_host[i - 32] : 0;
			/* active and pending again at once (an SGI sent while its last one is handled): both */
			uint64_t lr = ((active & bit) ? LR_ACTIVE : 0) | ((pend & bit) ? LR_PENDING : 0) |
				      LR_GROUP1 | (uint64_t)prio_of(g, v->id, i) << 48 | i |
				      (host ? LR_HW | (uint64_t)host << 32 : level ? LR_EOI : 0);
			lr_access(used, &lr, true);
			a->lr_intid[used++] = (uint8_t)i;
			/* the list register owns it now; a level is looked at again at the next entry */
			if (i < 32) {
				c->active &= ~(uint32_t)bit;
				if (!level)
					c->pending &= ~(uint32_t)bit;
			} else {
				g->spi_active &= ~(uint32_t)(bit >> 32);
				g->spi_pending &= ~(uint32_t)(bit >> 32);
			}
		}
	/* the rest are zero: vgic_load cleared them all, vgic_sync each one it took back */
	a->lrs_used = used;
	bool timer_in_lr = false;
	for (unsigned i = 0; i < used; i++)
		timer_in_lr |= a->lr_intid[i] == TIMER_PPI;
	/*
	 * The physical timer PPI signals only while the guest's could be taken and
	 * is not in a list register: with the guest's own 27 disabled (Linux sets
	 * the timer up before it enables the interrupt), a firing timer would
	 * exit the guest before its next instruction, forever.
	 */
	bool deliverable = (g->ctlr & 2) && (g->cpu[v->id].enabled >> TIMER_PPI & 1);
	gicv3_guest_ppi(GICV3_VTIMER_PPI, deliverable && !timer_in_lr);
	unlock(g);
	sysreg_write(ich_hcr_el2, hcr);
	isb();
}

/* After the exit: the list registers back into the state. */
void vgic_sync(struct vcpu *v)
{
	struct virqc *g = &v->vm->virqc;
	struct arch_vcpu *a = &v->arch;
	if (!g->present)
		return;
	if (!a->lrs_used) {   /* nothing was in the list registers: nothing to take back */
		sysreg_write(ich_hcr_el2, 0);
		return;
	}
	lock(g);
	struct vgic_cpu *c = &g->cpu[v->id];
	for (unsigned i = 0; i < a->lrs_used; i++) {
		uint64_t lr, zero = 0;
		lr_access(i, &lr, false);
		lr_access(i, &zero, true);
		unsigned intid = a->lr_intid[i];
		bool pend = lr & LR_PENDING, act = lr & LR_ACTIVE;
		if (intid < 32) {
			if (pend && !level_of(g, v->id, intid))
				c->pending |= 1u << intid;
			if (act)
				c->active |= 1u << intid;
		} else {
			if (act)
				g->spi_active |= 1u << (intid - 32);
			if (pend && (g->hw >> (intid - 32) & 1))   /* a host SPI not yet taken stays pending */
				g->spi_pending |= 1u << (intid - 32);
		}
	}
	a->lrs_used = 0;
	unlock(g);
	sysreg_write(ich_hcr_el2, 0);
}

/* Whether v has an interrupt it could take (a halted vCPU wakes for it). */
bool vgic_pending(const struct vcpu *v, bool loaded)
{
	const struct virqc *g = &v->vm->virqc;
	if (!g->present)
		return false;
	if (timer_level(&v->arch, loaded) && (g->cpu[v->id].enabled >> TIMER_PPI & 1))
		return true;
	uint64_t active, pend;
	candidates(g, v->id, &active, &pend);
	return pend != 0;
}

/* ---- the distributor ---- */

/* I[SC]ENABLER, I[SC]PENDR, I[SC]ACTIVER (offsets 0x100-0x3ff of a frame): set or clear bits of one word. */
static void write_bits(uint64_t off, uint32_t w, uint32_t *enabled, uint32_t *pending, uint32_t *active)
{
	uint32_t *r = off < 0x200 ? enabled : off < 0x300 ? pending : active;
	*r = off & 0x80 ? *r & ~w : *r | w;
}

static bool is_bits_reg(uint64_t off, unsigned word)
{
	return off >= 0x100 && off < 0x400 && (off & 0x7f) == 4 * word;
}

static int gicd_read(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t *val)
{
	(void)v;
	struct virqc *g = dev;
	*val = 0;
	if (off >= 0x420 && off < 0x440) {   /* IPRIORITYR of the SPIs, bytes or words */
		for (unsigned b = 0; b < width && off + b < 0x440; b++)   /* a wide access at the end stops there */
			*val |= (uint64_t)g->spi_prio[off + b - 0x420] << (8 * b);
		return 0;
	}
	if (off >= 0x6100 + 8 * 32 && off < 0x6100 + 8 * 64) {   /* IROUTER of SPIs 32-63 */
		if (off & 4)
			return 0;
		*val = g->spi_target[(off - 0x6100) / 8 - 32];
		return 0;
	}
	if (width != 4)
		return E_INVAL;
	switch (off) {
	case 0x0: *val = g->ctlr | 1u << 4 | 1u << 6; return 0;   /* ARE, DS: one security state */
	case 0x4: *val = 1u | 9u << 19; return 0;                  /* 64 INTIDs, 10 id bits */
	case 0x8: *val = 0x0074u; return 0;                        /* IIDR: implementer 't' */
	case 0x84: *val = ~0u; return 0;                           /* IGROUPR1: group 1 */
	case 0x104: case 0x184: *val = g->spi_enabled; return 0;
	case 0x204: case 0x284: *val = g->spi_pending | g->spi_level; return 0;
	case 0x304: case 0x384: *val = g->spi_active; return 0;
	case PIDR2: *val = PIDR2_GICV3; return 0;
	}
	return 0;   /* the rest reads as zero (SGIs and PPIs are the redistributors') */
}

static int gicd_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	struct virqc *g = dev;
	struct vm *vm = v->vm;
	uint32_t w = (uint32_t)val, before;
	lock(g);
	if (off >= 0x420 && off < 0x440) {
		for (unsigned b = 0; b < width && off + b < 0x440; b++)
			g->spi_prio[off + b - 0x420] = (uint8_t)(val >> (8 * b));
		unlock(g);
		return 0;
	}
	if (off >= 0x6100 + 8 * 32 && off < 0x6100 + 8 * 64) {
		if (!(off & 4))
			g->spi_target[(off - 0x6100) / 8 - 32] = (uint8_t)(val & 0xff);
		unlock(g);
		return 0;
	}
	before = g->spi_enabled | g->spi_pending;
	if (width == 4 && off == 0)
		g->ctlr = w & 2;
	else if (width == 4 && is_bits_reg(off, 1))   /* word 1: SPIs 32-63 */
		write_bits(off, w, &g->spi_enabled, &g->spi_pending, &g->spi_active);
	uint32_t now = g->spi_enabled & (g->spi_pending | g->spi_level);
	bool ctlr_on = off == 0 && (w & 2);
	unlock(g);
	for (unsigned s = 0; s < 32; s++)   /* newly takeable SPIs: tell their vCPUs */
		if ((now >> s & 1) && (ctlr_on || !(before >> s & 1) || off == 0x104))
			kick_spi(vm, s);
	return 0;
}

const struct vdev_ops vgicd_ops = { .name = "vgicv3-distributor", .read = gicd_read, .write = gicd_write };

/* ---- the redistributors: 64 KiB RD_base, then 64 KiB SGI_base, per vCPU ---- */

static int gicr_read(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t *val)
{
	(void)v;
	struct virqc *g = dev;
	unsigned id = (unsigned)(off / GICR_STRIDE);
	struct vgic_cpu *c = &g->cpu[id];
	off %= GICR_STRIDE;
	*val = 0;
	if (off >= 0x10400 && off < 0x10420) {
		for (unsigned b = 0; b < width && off + b < 0x10420; b++)
			*val |= (uint64_t)c->prio[off + b - 0x10400] << (8 * b);
		return 0;
	}
	switch (off) {
	case 0x8:   /* GICR_TYPER: affinity = the vCPU's MPIDR (Aff0), its number, Last */
		*val = (uint64_t)id << 32 | (uint64_t)id << 8 | (id + 1 == g->nvcpus ? 1u << 4 : 0);
		if (width == 4)
			*val &= 0xffffffffu;
		return 0;
	case 0xc: *val = id; return 0;
	case 0x4: *val = 0x0074u; return 0;
	case 0x14: *val = c->asleep ? 6 : 0; return 0;   /* ProcessorSleep, ChildrenAsleep */
	case PIDR2: *val = PIDR2_GICV3; return 0;
	case 0x10080: *val = ~0u; return 0;
	case 0x10100: case 0x10180: *val = c->enabled; return 0;
	case 0x10200: case 0x10280: *val = c->pending; return 0;
	case 0x10300: case 0x10380: *val = c->active; return 0;
	case 0x10c00: *val = 0xaaaaaaaau; return 0;   /* SGIs: edge */
	case 0x10c04: for (unsigned i = 16; i < 32; i++)
			*val |= (uint64_t)((c->edge >> i) & 1) << (2 * (i - 16) + 1);
		return 0;
	}
	return 0;
}

static int gicr_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	struct virqc *g = dev;
	unsigned id = (unsigned)(off / GICR_STRIDE);
	struct vgic_cpu *c = &g->cpu[id];
	uint32_t w = (uint32_t)val;
	off %= GICR_STRIDE;
	lock(g);
	if (off >= 0x10400 && off < 0x10420) {
		for (unsigned b = 0; b < width && off + b < 0x10420; b++)
			c->prio[off + b - 0x10400] = (uint8_t)(val >> (8 * b));
	} else if (off >= SGI_FRAME && is_bits_reg(off - SGI_FRAME, 0)) {
		write_bits(off - SGI_FRAME, w, &c->enabled, &c->pending, &c->active);
	} else {
		switch (off) {
		case 0x14: c->asleep = (w & 2) != 0; break;
		case 0x10c04:
			for (unsigned i = 16; i < 32; i++)
				c->edge = (w >> (2 * (i - 16) + 1) & 1) ? c->edge | 1u << i : c->edge & ~(1u << i);
			break;
		}
	}
	bool now = (c->pending & c->enabled) != 0;
	unlock(g);
	if (now && id < v->vm->nvcpus)
		vm_kick_vcpu(&v->vm->vcpu[id]);
	return 0;
}

const struct vdev_ops vgicr_ops = { .name = "vgicv3-redistributors", .read = gicr_read, .write = gicr_write };

/* ---- the vCPU interface's own state, switched with the vCPU ---- */

/*
 * The list registers start empty for each vCPU put on the core (their reset
 * value is unknown; after that vgic_sync empties each one it takes back), so
 * vgic_flush writes only those it fills.
 */
void vgic_load(const struct arch_vcpu *a)
{
	if (!nlrs)
		nlrs = (unsigned)(sysreg_read(ich_vtr_el2) & 0x1f) + 1;
	for (unsigned i = 0; i < MAX_LRS && i < nlrs; i++) {
		uint64_t zero = 0;
		lr_access(i, &zero, true);
	}
	sysreg_write(ich_vmcr_el2, a->ich_vmcr);
	sysreg_write(ich_ap1r0_el2, a->ich_ap1r0);
}

void vgic_put(struct arch_vcpu *a)
{
	a->ich_vmcr = sysreg_read(ich_vmcr_el2);
	a->ich_ap1r0 = sysreg_read(ich_ap1r0_el2);
}
