/*
 * Software interrupt files: an IMSIC interrupt file emulated for a vCPU of
 * an AIA VM whose hart has no guest file left (more vCPUs on the hart than
 * GEILEN). The vCPU runs with hstatus.VGEIN = 0, so its guest's accesses to
 * sireg (siselect 0x70-0xff) and stopei trap as virtual instructions, and its
 * page of the VM's IMSIC window is left out of the G-stage, so MSIs stored
 * to it trap as MMIO. Both land here, as do the virtual APLIC's MSIs for it.
 * Its interrupt reaches the guest as hvip.VSEIP (the vCPU's ext_level).
 * State is the VM's, under its controller lock.
 */
#include <stdio.h>
#include "arch/riscv64/irqc/models.h"
#include "core/errno.h"
#include "core/irqc.h"
#include "core/vdev.h"
#include "core/vm.h"

#define EIDELIVERY  0x70
#define EITHRESHOLD 0x72
#define EIP0        0x80
#define EIE0        0xc0
#define SETEIPNUM_LE 0x000
#define SETEIPNUM_BE 0x004

/* The highest-priority (lowest) identity pending, enabled and under the threshold; 0: none. */
static unsigned top_id(const struct vfile *f)
{
	for (unsigned w = 0; w < 4; w++) {
		uint64_t due = f->eip[w] & f->eie[w];
		if (!due)
			continue;
		unsigned id = 64 * w;
		while (!(due & 1)) {   /* no Zbb in the build: a loop, not a libgcc call */
			due >>= 1;
			id++;
		}
		return f->threshold == 0 || id < f->threshold ? id : 0;
	}
	return 0;
}

/* The file's interrupt to its vCPU: the wake-up goes out once the lock is dropped. */
static void update(struct vm *vm, unsigned hart)
{
	const struct vfile *f = &vm->virqc.aplic.sw_file[hart];
	unsigned want = f->delivery == 1 && top_id(f) ? 1 : 0;
	if (atomic_exchange(&vm->vcpu[hart].ext_level, want) != want && want)
		vm->virqc.aplic.kick |= 1u << hart;
}

void vimsic_send(struct vm *vm, unsigned hart, unsigned eiid)
{
	struct vaplic *a = &vm->virqc.aplic;
	if (hart >= vm->nvcpus || !(a->sw & (1u << hart)) || eiid == 0 || eiid > VFILE_IDS)
		return;   /* identity 0 and those the file lacks are ignored, as by an IMSIC */
	a->sw_file[hart].eip[eiid / 64] |= 1ull << (eiid % 64);
	update(vm, hart);
}

void vimsic_unlock_kick(struct vm *vm, const struct vcpu *self)
{
	uint32_t kick = vm->virqc.aplic.kick;
	vm->virqc.aplic.kick = 0;
	virqc_unlock(&vm->virqc);
	for (unsigned i = 0; kick && i < vm->nvcpus; i++)
		if ((kick & (1u << i)) && &vm->vcpu[i] != self)
			vm_kick_vcpu(&vm->vcpu[i]);   /* self: the exit path syncs its lines */
}

/* Page i of the VM's IMSIC window; only software files' pages trap. */
static int window_read(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t *val)
{
	(void)v;
	(void)dev;
	(void)off;
	(void)width;
	*val = 0;   /* seteipnum_le/be and the rest of the page read as zero */
	return 0;
}

static int window_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	struct vm *vm = dev;
	uint32_t id = (uint32_t)val, reg = off & 0xfff;
	if (width != 4 || (reg != SETEIPNUM_LE && reg != SETEIPNUM_BE))
		return 0;   /* reserved: ignored */
	if (reg == SETEIPNUM_BE)
		id = id >> 24 | (id >> 8 & 0xff00u) | (id << 8 & 0xff0000u) | id << 24;
	virqc_lock(&vm->virqc);
	vimsic_send(vm, (unsigned)(off >> 12), id);
	vimsic_unlock_kick(vm, v);
	return 0;
}

static const struct vdev_ops window_ops = { "imsic", window_read, window_write };

int vimsic_add_window(struct vm *vm, uint64_t gpa, char *err, unsigned errlen)
{
	if (vm_add_vdev(vm, gpa, 0x1000ull * vm->nvcpus, &window_ops, vm)) {
		snprintf(err, errlen, "%s: too many emulated devices for the software interrupt files",
			 vm->cfg.file);
		return E_NOMEM;
	}
	return 0;
}

static unsigned long rmw(struct csr_rmw *op, unsigned long old)
{
	op->old = old;
	return (old & ~op->clear) | op->set;
}

/* eip/eie word for siselect sel (RV64: the even registers, 64 identities each):
 * its index into the array, 4 for a word past the file's identities, -1 if odd. */
static int bits_index(unsigned long sel)
{
	unsigned long n = sel - (sel >= EIE0 ? EIE0 : EIP0);
	if (n & 1)
		return -1;
	return n / 2 < 4 ? (int)(n / 2) : 4;
}

int vimsic_sireg(struct vcpu *v, unsigned long sel, struct csr_rmw *op)
{
	struct vm *vm = v->vm;
	struct vfile *f = &vm->virqc.aplic.sw_file[v->id];
	int rc = 0;
	if (!v->arch.sw_file || sel < EIDELIVERY || sel > 0xff)
		return E_INVAL;
	virqc_lock(&vm->virqc);
	if (sel == EIDELIVERY) {
		unsigned long n = rmw(op, f->delivery);
		if (op->write)
			f->delivery = n & 1;   /* WARL: off or on, no APLIC direct mode behind it */
	} else if (sel == EITHRESHOLD) {
		unsigned long n = rmw(op, f->threshold);
		if (op->write)
			f->threshold = n & 0xff;   /* enough bits for identities 1..255 */
	} else if (sel >= EIP0) {
		uint64_t *base = sel >= EIE0 ? f->eie : f->eip, keep0 = sel == EIP0 || sel == EIE0 ? ~1ull : ~0ull;
		int i = bits_index(sel);
		if (i < 0) {
			rc = E_INVAL;   /* the odd registers do not exist on RV64 */
		} else if (i == 4) {
			rmw(op, 0);   /* identities past the file's: read zero, writes ignored */
		} else {
			unsigned long n = rmw(op, base[i]);
			if (op->write)
				base[i] = n & keep0;   /* identity 0 is never pending or enabled */
		}
	} else {
		rc = E_INVAL;   /* 0x71, 0x73-0x7f: reserved */
	}
	if (!rc)
		update(vm, v->id);
	vimsic_unlock_kick(vm, v);
	return rc;
}

/* stopei: the top identity and its priority (the same); a write claims it. */
int vimsic_stopei(struct vcpu *v, struct csr_rmw *op)
{
	struct vm *vm = v->vm;
	struct vfile *f = &vm->virqc.aplic.sw_file[v->id];
	if (!v->arch.sw_file)
		return E_INVAL;
	virqc_lock(&vm->virqc);
	unsigned id = top_id(f);
	op->old = (unsigned long)id << 16 | id;
	if (op->write && id)
		f->eip[id / 64] &= ~(1ull << (id % 64));
	update(vm, v->id);
	vimsic_unlock_kick(vm, v);
	return 0;
}
