/*
 * Virtual PLIC, one per VM that has emulated interrupt sources: priorities,
 * pending bits, per-context enables and thresholds, claim and complete.
 * Context i is the S-mode context of vCPU i. Its state is the VM's alone and
 * guarded by the VM's own lock: any vCPU of the VM, on any core, may touch it.
 */
#include <stdio.h>
#include <string.h>
#include "core/errno.h"
#include "core/hwirq.h"
#include "core/irqc.h"
#include "core/pcpu.h"
#include "core/vdev.h"
#include "core/vm.h"
#include "arch/riscv64/irqc/models.h"

#define VPLIC_GPA  0x0c000000ull   /* where QEMU's virt has its PLIC: guests look there */
#define VPLIC_SIZE 0x400000ull

#define PRIORITY_BASE  0x000000
#define PENDING_BASE   0x001000
#define ENABLE_BASE    0x002000
#define ENABLE_STRIDE  0x80
#define CONTEXT_BASE   0x200000
#define CONTEXT_STRIDE 0x1000

static void lock(struct virqc *p)
{
	while (atomic_flag_test_and_set_explicit(&p->lock, memory_order_acquire))
		;
}

static void unlock(struct virqc *p)
{
	atomic_flag_clear_explicit(&p->lock, memory_order_release);
}

/* The index of the lowest set bit of x (not 0), without Zbb: a de Bruijn multiply. */
static unsigned lowest_bit(uint32_t x)
{
	static const uint8_t index[32] = {
		0, 1, 28, 2, 29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4, 8,
		31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6, 11, 5, 10, 9,
	};
	return index[((x & -x) * 0x077cb531u) >> 27];
}

/*
 * The best source context c may claim: highest priority above its
 * threshold, the lowest source among equals. Only the candidates' bits are
 * visited (usually none or one): this runs on every raise, claim and
 * complete, for every context.
 */
static unsigned best_source(const struct virqc *p, unsigned c)
{
	uint32_t cand = p->plic.pending & p->plic.enable[c] & ~p->plic.claimed;
	unsigned best = 0, best_prio = p->plic.threshold[c];
	for (; cand; cand &= cand - 1) {
		unsigned s = lowest_bit(cand);
		if (p->plic.priority[s] > best_prio) {
			best = s;
			best_prio = p->plic.priority[s];
		}
	}
	return best;
}

/* Tell every context whether it has an interrupt to take (lock held). */
static void update(struct vm *vm, uint32_t *kick)
{
	struct virqc *p = &vm->virqc;
	for (unsigned c = 0; c < vm->nvcpus; c++) {
		unsigned want = best_source(p, c) ? 1 : 0;
		struct vcpu *v = &vm->vcpu[c];
		if (atomic_exchange(&v->ext_level, want) != want && want)
			*kick |= 1u << c;
	}
}

/* Wake the vCPUs that have an interrupt to take now; self (if any) looks by itself. */
static void kick_vcpus(struct vm *vm, const struct vcpu *self, uint32_t kick)
{
	for (unsigned c = 0; c < vm->nvcpus; c++)
		if ((kick & (1u << c)) && &vm->vcpu[c] != self)
			vm_kick_vcpu(&vm->vcpu[c]);
}

/* A source raised from outside the VM's vCPUs (console input, a host interrupt). */
static void raise_from_outside(struct vm *vm, unsigned src, bool level)
{
	struct virqc *p = &vm->virqc;
	uint32_t bit = 1u << src, kick = 0;
	lock(p);
	if (level)
		p->plic.level |= bit;
	if (!(p->plic.claimed & bit))
		p->plic.pending |= bit;
	update(vm, &kick);
	unlock(p);
	kick_vcpus(vm, NULL, kick);
}

static void raise(struct vm *vm, unsigned line)
{
	if (vm->virqc.present && line > 0 && line < VIRQC_LINES)
		raise_from_outside(vm, line, true);
}

static void route_host(struct vm *vm, unsigned line, uint32_t host)
{
	(void)host;   /* hwirq.c claims and completes it */
	if (line > 0 && line < VIRQC_LINES)
		vm->virqc.hw |= 1u << line;
}

static void host_raise(struct vm *vm, unsigned line)
{
	if (vm->virqc.present && line > 0 && line < VIRQC_LINES)
		raise_from_outside(vm, line, false);   /* the host gateway holds it until completion */
}

static void set_level(struct vcpu *self, unsigned line, bool level)
{
	struct vm *vm = self->vm;
	struct virqc *p = &vm->virqc;
	uint32_t bit, kick = 0;
	if (!p->present || line == 0 || line >= VIRQC_LINES)
		return;
	bit = 1u << line;   /* after the check: a shift by 32 or more is undefined */
	lock(p);
	if (level) {
		p->plic.level |= bit;
		if (!(p->plic.claimed & bit))
			p->plic.pending |= bit;
	} else {
		p->plic.level &= ~bit;
		p->plic.pending &= ~bit;   /* a level source that drops is no longer pending */
	}
	update(vm, &kick);
	unlock(p);
	kick_vcpus(vm, self, kick);
}

enum reg { REG_NONE, REG_PRIORITY, REG_PENDING, REG_ENABLE, REG_THRESHOLD, REG_CLAIM };

/* Which register off is, and of which source or context (idx). */
static enum reg decode(const struct vm *vm, uint64_t off, unsigned *idx)
{
	if (off < PENDING_BASE) {
		*idx = (unsigned)(off / 4);
		return *idx > 0 && *idx < VIRQC_LINES ? REG_PRIORITY : REG_NONE;
	}
	if (off == PENDING_BASE)
		return REG_PENDING;
	if (off >= ENABLE_BASE && off < CONTEXT_BASE) {
		uint64_t c = (off - ENABLE_BASE) / ENABLE_STRIDE;
		*idx = (unsigned)c;
		return c < vm->nvcpus && (off - ENABLE_BASE) % ENABLE_STRIDE == 0 ? REG_ENABLE : REG_NONE;
	}
	if (off >= CONTEXT_BASE) {
		uint64_t c = (off - CONTEXT_BASE) / CONTEXT_STRIDE, reg = (off - CONTEXT_BASE) % CONTEXT_STRIDE;
		*idx = (unsigned)c;
		if (c < vm->nvcpus && reg == 0)
			return REG_THRESHOLD;
		if (c < vm->nvcpus && reg == 4)
			return REG_CLAIM;
	}
	return REG_NONE;
}

static int vplic_read(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t *val)
{
	struct vm *vm = v->vm;
	struct virqc *p = dev;
	uint32_t kick = 0;
	unsigned i = 0;
	if (width != 4)
		return E_INVAL;
	*val = 0;
	enum reg reg = decode(vm, off, &i);
	if (reg != REG_CLAIM) {
		/*
		 * One aligned word, written whole under the lock: a read of it
		 * needs no lock (it sees the value before or after a write).
		 */
		switch (reg) {
		case REG_PRIORITY: *val = __atomic_load_n(&p->plic.priority[i], __ATOMIC_RELAXED); break;
		case REG_PENDING: *val = __atomic_load_n(&p->plic.pending, __ATOMIC_RELAXED); break;
		case REG_ENABLE: *val = __atomic_load_n(&p->plic.enable[i], __ATOMIC_RELAXED); break;
		case REG_THRESHOLD: *val = __atomic_load_n(&p->plic.threshold[i], __ATOMIC_RELAXED); break;
		default: break;   /* reserved: reads as zero */
		}
		return 0;
	}
	lock(p);
	unsigned s = best_source(p, i);
	if (s) {
		p->plic.pending &= ~(1u << s);
		p->plic.claimed |= 1u << s;
	}
	*val = s;
	update(vm, &kick);
	unlock(p);
	if (kick)
		kick_vcpus(vm, v, kick);
	return 0;
}

static int vplic_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	struct vm *vm = v->vm;
	struct virqc *p = dev;
	uint32_t kick = 0, host_done = 0;
	unsigned i = 0;
	if (width != 4)
		return E_INVAL;
	lock(p);
	switch (decode(vm, off, &i)) {
	case REG_PRIORITY: p->plic.priority[i] = (uint32_t)val & 7; break;
	case REG_ENABLE: p->plic.enable[i] = (uint32_t)val & ~1u; break;   /* source 0 does not exist */
	case REG_THRESHOLD: p->plic.threshold[i] = (uint32_t)val & 7; break;
	case REG_CLAIM:   /* complete: the gateway takes the line again */
		if (val > 0 && val < VIRQC_LINES && (p->plic.claimed & (1u << val))) {
			p->plic.claimed &= ~(1u << val);
			if (p->plic.level & (1u << val))
				p->plic.pending |= 1u << val;
			if (p->hw & (1u << val))
				host_done = (uint32_t)val;
		}
		break;
	case REG_PENDING:
	case REG_NONE: break;   /* read-only or reserved: ignored */
	}
	update(vm, &kick);
	unlock(p);
	if (host_done)
		hwirq_complete(vm, host_done);   /* the device may interrupt again */
	kick_vcpus(vm, v, kick);
	return 0;
}

static const struct vdev_ops vplic_mmio = { "plic", vplic_read, vplic_write };

static int create(struct vm *vm, bool lines, char *err, unsigned errlen)
{
	if (!lines)
		return 0;   /* a controller only for a VM that has a line on it */
	int rc = vm_window_free(vm, VPLIC_GPA, VPLIC_SIZE, "the virtual PLIC", err, errlen);
	if (rc)
		return rc;
	rc = vm_add_vdev(vm, VPLIC_GPA, VPLIC_SIZE, &vplic_mmio, &vm->virqc);
	if (rc) {
		snprintf(err, errlen, "%s: too many emulated devices for the virtual PLIC", vm->cfg.file);
		return rc;
	}
	vm->virqc.present = true;
	return 0;
}

static void describe(const struct vm *vm, struct irqc_dt_guest *g)
{
	*g = (struct irqc_dt_guest){ .model = IRQC_PLIC, .lines = VIRQC_LINES };
	g->gpa = vm->virqc.present ? VPLIC_GPA : 0;
	g->size = vm->virqc.present ? VPLIC_SIZE : 0;
}

static void reset(struct vm *vm)
{
	struct virqc *p = &vm->virqc;
	uint32_t hw = p->hw;
	bool present = p->present;
	memset(p, 0, sizeof(*p));   /* the lock too: no vCPU of the VM runs */
	p->present = present;
	p->hw = hw;
}

const struct virqc_ops vplic_ops = {
	.lines = VIRQC_LINES, .create = create, .describe = describe, .reset = reset,
	.set_level = set_level, .raise = raise, .route_host = route_host, .host_raise = host_raise,
};
