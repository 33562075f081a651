/* One VM's fields against each other, VMs against the machine, their images and
 * each other: see vmconfig.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "partition/vmconfig.h"

#define PAGE 0x1000ul

/* "<file>: <field>: <reason>" */
static int fail(const struct vmcfg *c, char *err, size_t errlen, int code, const char *field,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int fail(const struct vmcfg *c, char *err, size_t errlen, int code, const char *field,
		const char *fmt, ...)
{
	int n = snprintf(err, errlen, "%s: %s: ", c->file, field);
	if (n > 0 && (size_t)n < errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return code;
}

static bool overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

uint64_t vmcfg_mem_total(const struct vmcfg *c)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < c->nmem; i++)
		total += c->mem[i].size;
	return total;
}

int vmcfg_region_of(const struct vmcfg *c, uint64_t gpa, uint64_t size)
{
	if (size == 0)
		size = 1;
	for (unsigned i = 0; i < c->nmem && i < VMCFG_MAX_MEM; i++) {
		const struct vmcfg_region *r = &c->mem[i];
		if (gpa >= r->gpa && gpa - r->gpa < r->size && size <= r->size - (gpa - r->gpa))
			return (int)i;
	}
	return -1;
}

static const char *plural(unsigned n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

int vmcfg_check_vm(const struct vmcfg *c, char *err, size_t errlen)
{
	char f[40];
	if (c->naffinity != c->vcpus)
		return fail(c, err, errlen, E_CONFLICT, "affinity", "%u %s for %u %s (one core "
			    "per vCPU)", c->naffinity, plural(c->naffinity, "entry", "entries"),
			    c->vcpus, plural(c->vcpus, "vcpu", "vcpus"));
	for (unsigned i = 0; i < c->nmem; i++)
		for (unsigned j = 0; j < i; j++)
			if (overlap(c->mem[i].gpa, c->mem[i].size, c->mem[j].gpa, c->mem[j].size)) {
				snprintf(f, sizeof(f), "memory[%u]", i);
				return fail(c, err, errlen, E_CONFLICT, f, "0x%lx-0x%lx overlaps "
					    "memory[%u] (0x%lx-0x%lx)", (unsigned long)c->mem[i].gpa,
					    (unsigned long)(c->mem[i].gpa + c->mem[i].size), j,
					    (unsigned long)c->mem[j].gpa,
					    (unsigned long)(c->mem[j].gpa + c->mem[j].size));
			}
	if (vmcfg_region_of(c, c->kernel.gpa, 0) < 0)
		return fail(c, err, errlen, E_RANGE, "kernel.gpa", c->kernel.has_gpa ?
			    "0x%lx is outside the VM's memory" : "the default 0x%lx (memory[0].gpa + "
			    "2 MiB) is outside the VM's memory; set kernel.gpa",
			    (unsigned long)c->kernel.gpa);
	if (vmcfg_region_of(c, c->kernel.entry, 0) < 0)
		return fail(c, err, errlen, E_RANGE, "kernel.entry", "0x%lx is outside the VM's "
			    "memory", (unsigned long)c->kernel.entry);
	if (c->initrd.has_gpa && vmcfg_region_of(c, c->initrd.gpa, 0) < 0)
		return fail(c, err, errlen, E_RANGE, "initrd.gpa", "0x%lx is outside the VM's "
			    "memory", (unsigned long)c->initrd.gpa);
	for (unsigned i = 0; i < c->ndevices; i++) {
		const struct vmcfg_device *d = &c->devices[i];
		bool mmio = d->kind == VMCFG_DEV_MMIO;
		snprintf(f, sizeof(f), "devices[%u].%s", i, mmio ? "mmio" : "passthrough");
		for (unsigned j = 0; j < i; j++) {
			const struct vmcfg_device *e = &c->devices[j];
			if (d->kind != e->kind)
				continue;
			if (!mmio && !strcmp(d->path, e->path))
				return fail(c, err, errlen, E_CONFLICT, f, "%s is already passed "
					    "through by devices[%u]", d->path, j);
			if (mmio && (overlap(d->gpa, d->size, e->gpa, e->size) ||
				     overlap(d->hpa, d->size, e->hpa, e->size)))
				return fail(c, err, errlen, E_CONFLICT, f, "overlaps devices[%u].mmio", j);
		}
		for (unsigned j = 0; mmio && j < c->nmem; j++)
			if (overlap(d->gpa, d->size, c->mem[j].gpa, c->mem[j].size))
				return fail(c, err, errlen, E_CONFLICT, f, "gpa 0x%lx-0x%lx overlaps "
					    "memory[%u]", (unsigned long)d->gpa,
					    (unsigned long)(d->gpa + d->size), j);
	}
	for (unsigned j = 0; vmcfg_console_uart(c) && j < c->nmem; j++)
		if (overlap(c->console_gpa, 0x1000, c->mem[j].gpa, c->mem[j].size))
			return fail(c, err, errlen, E_CONFLICT, vmcfg_console_field(c), "0x%lx overlaps "
				    "memory[%u]", (unsigned long)c->console_gpa, j);
	for (unsigned j = 0; vmcfg_console_uart(c) && j < c->ndevices; j++)
		if (c->devices[j].kind == VMCFG_DEV_MMIO &&
		    overlap(c->console_gpa, 0x1000, c->devices[j].gpa, c->devices[j].size))
			return fail(c, err, errlen, E_CONFLICT, vmcfg_console_field(c), "0x%lx overlaps "
				    "devices[%u].mmio", (unsigned long)c->console_gpa, j);
	if (c->dtb == VMCFG_DTB_NONE && c->bootargs[0])
		return fail(c, err, errlen, E_CONFLICT, "bootargs", "has no effect with \"dtb\": "
			    "\"none\" (the guest gets no device tree to read them from)");
	return 0;
}

int vmcfg_check_machine(const struct vmcfg *c, unsigned ncores, char *err, size_t errlen)
{
	char f[24];
	if (c->vcpus == 0 || c->vcpus > VMCFG_MAX_VCPUS)
		return fail(c, err, errlen, E_RANGE, "vcpus", "%u is out of range (1..%d)",
			    c->vcpus, VMCFG_MAX_VCPUS);
	if (c->naffinity != c->vcpus)
		return fail(c, err, errlen, E_CONFLICT, "affinity", "%u %s for %u %s (one core "
			    "per vCPU)", c->naffinity, plural(c->naffinity, "entry", "entries"),
			    c->vcpus, plural(c->vcpus, "vcpu", "vcpus"));
	for (unsigned i = 0; i < c->vcpus; i++) {
		uint32_t core = c->affinity[i];
		snprintf(f, sizeof(f), "affinity[%u]", i);
		if (core >= ncores)
			return fail(c, err, errlen, E_RANGE, f, "core %u does not exist (the "
				    "machine has %u %s)%s", core, ncores, plural(ncores, "core", "cores"),
				    c->affinity_default ? "; with no \"affinity\", vCPU i runs on "
				    "core i" : "");
		for (unsigned j = 0; j < i; j++)
			if (c->affinity[j] == core)
				return fail(c, err, errlen, E_CONFLICT, f, "core %u is already used "
					    "by vCPU %u", core, j);
	}
	return 0;
}

/* Where the DTB goes: 2 MiB below the end of the kernel's region, else the
 * end minus its (page-rounded) size. */
static int place_dtb(const struct vmcfg *c, const struct vmcfg_sizes *s, int ri,
		     struct vmcfg_layout *out, uint64_t *dsize, char *err, size_t errlen)
{
	const struct vmcfg_region *r = &c->mem[ri];
	uint64_t end = r->gpa + r->size, ds = s->dtb;
	uint64_t k = c->kernel.gpa, ks = s->kernel;
	const char *field = c->dtb == VMCFG_DTB_IMAGE ? "dtb.image" : "dtb";
	if (c->dtb == VMCFG_DTB_GENERATE && ds == 0)
		ds = VMCFG_DTB_MAX;
	if (c->dtb == VMCFG_DTB_GENERATE && ds > VMCFG_DTB_MAX)
		return fail(c, err, errlen, E_RANGE, field, "a generated device tree of %lu "
			    "bytes is larger than the %lu reserved for it", (unsigned long)ds,
			    (unsigned long)VMCFG_DTB_MAX);
	if (ds == 0)
		return fail(c, err, errlen, E_RANGE, field, "%s is empty", c->dtb_image);
	if (ds > r->size)
		return fail(c, err, errlen, E_CONFLICT, field, "%lu bytes do not fit in "
			    "memory[%d] (0x%lx bytes)", (unsigned long)ds, ri, (unsigned long)r->size);
	uint64_t rounded = (ds + PAGE - 1) & ~(PAGE - 1);
	uint64_t at = end - rounded;
	if (ds <= VMCFG_DTB_GAP && r->size >= VMCFG_DTB_GAP &&
	    !overlap(end - VMCFG_DTB_GAP, ds, k, ks))
		at = end - VMCFG_DTB_GAP;
	if (overlap(at, ds, k, ks))
		return fail(c, err, errlen, E_CONFLICT, field, "%lu bytes at 0x%lx overlap the "
			    "kernel (0x%lx-0x%lx); make memory[%d] larger or move the kernel",
			    (unsigned long)ds, (unsigned long)at, (unsigned long)k,
			    (unsigned long)(k + ks), ri);
	out->dtb_gpa = at;
	*dsize = ds;
	return 0;
}

static int place_initrd(const struct vmcfg *c, const struct vmcfg_sizes *s, int ri,
			struct vmcfg_layout *out, uint64_t dsize, char *err, size_t errlen)
{
	const struct vmcfg_region *r = &c->mem[ri];
	uint64_t is = s->initrd, at, k = c->kernel.gpa, ks = s->kernel;
	if (is == 0)
		return fail(c, err, errlen, E_RANGE, "initrd.image", "%s is empty",
			    c->initrd.image);
	if (c->initrd.has_gpa) {
		at = c->initrd.gpa;
		int in = vmcfg_region_of(c, at, 0);
		if (vmcfg_region_of(c, at, is) < 0)
			return fail(c, err, errlen, E_CONFLICT, "initrd.image", "%lu bytes do not "
				    "fit in memory[%d] at 0x%lx", (unsigned long)is, in,
				    (unsigned long)at);
	} else {
		uint64_t top = c->dtb == VMCFG_DTB_NONE ? r->gpa + r->size : out->dtb_gpa;
		if (is > top - r->gpa || ((top - is) & ~(PAGE - 1)) < r->gpa)
			return fail(c, err, errlen, E_CONFLICT, "initrd.image", "%lu bytes do not "
				    "fit below 0x%lx in memory[%d]", (unsigned long)is,
				    (unsigned long)top, ri);
		at = (top - is) & ~(PAGE - 1);
	}
	if (overlap(at, is, k, ks))
		return fail(c, err, errlen, E_CONFLICT, "initrd.image", "%lu bytes at 0x%lx "
			    "overlap the kernel (0x%lx-0x%lx)", (unsigned long)is, (unsigned long)at,
			    (unsigned long)k, (unsigned long)(k + ks));
	if (c->dtb != VMCFG_DTB_NONE && overlap(at, is, out->dtb_gpa, dsize))
		return fail(c, err, errlen, E_CONFLICT, "initrd.image", "%lu bytes at 0x%lx "
			    "overlap the dtb (0x%lx-0x%lx)", (unsigned long)is, (unsigned long)at,
			    (unsigned long)out->dtb_gpa, (unsigned long)(out->dtb_gpa + dsize));
	out->initrd_gpa = at;
	out->initrd_end = at + is;
	return 0;
}

int vmcfg_place(const struct vmcfg *c, const struct vmcfg_sizes *s, struct vmcfg_layout *out,
		char *err, size_t errlen)
{
	uint64_t k = c->kernel.gpa, ks = s->kernel, dsize = 0;
	memset(out, 0, sizeof(*out));
	if (ks == 0)
		return fail(c, err, errlen, E_RANGE, "kernel.image", "%s is empty",
			    c->kernel.image);
	int ri = vmcfg_region_of(c, k, 0);
	if (ri < 0)
		return fail(c, err, errlen, E_RANGE, "kernel.gpa", "0x%lx is outside the VM's "
			    "memory", (unsigned long)k);
	if (vmcfg_region_of(c, k, ks) != ri)
		return fail(c, err, errlen, E_CONFLICT, "kernel.image", "%lu bytes do not fit "
			    "in memory[%d] at 0x%lx (it ends at 0x%lx)", (unsigned long)ks, ri,
			    (unsigned long)k, (unsigned long)(c->mem[ri].gpa + c->mem[ri].size));
	if (c->kernel.entry < k || c->kernel.entry - k >= ks)
		return fail(c, err, errlen, E_RANGE, "kernel.entry", "0x%lx is outside the "
			    "kernel image (0x%lx-0x%lx)", (unsigned long)c->kernel.entry,
			    (unsigned long)k, (unsigned long)(k + ks));
	int rc;
	if (c->dtb != VMCFG_DTB_NONE && (rc = place_dtb(c, s, ri, out, &dsize, err, errlen)))
		return rc;
	if (c->initrd.present && (rc = place_initrd(c, s, ri, out, dsize, err, errlen)))
		return rc;
	out->kernel_gpa = k;
	out->entry = c->kernel.entry;
	return 0;
}

/* Is c (a later VM) in conflict with o (an earlier one that was kept)? */
static bool clash(const struct vmcfg *c, const struct vmcfg *o, char *err)
{
	char f[40];
	if (c->id == o->id) {
		fail(c, err, VMCFG_ERR_LEN, E_CONFLICT, "id", "%u is already used by vm \"%s\" "
		     "(%s)", c->id, o->name, o->file);
		return true;
	}
	if (!strcmp(c->name, o->name)) {
		fail(c, err, VMCFG_ERR_LEN, E_CONFLICT, "name", "\"%s\" is already used by vm "
		     "%u (%s)", c->name, o->id, o->file);
		return true;
	}
	for (unsigned i = 0; i < c->ndevices; i++) {
		const struct vmcfg_device *d = &c->devices[i];
		for (unsigned j = 0; j < o->ndevices; j++) {
			const struct vmcfg_device *e = &o->devices[j];
			if (d->kind != e->kind)
				continue;
			if (d->kind == VMCFG_DEV_PASSTHROUGH && !strcmp(d->path, e->path)) {
				snprintf(f, sizeof(f), "devices[%u].passthrough", i);
				fail(c, err, VMCFG_ERR_LEN, E_CONFLICT, f, "%s is already passed "
				     "through to vm \"%s\" (%s)", d->path, o->name, o->file);
				return true;
			}
			if (d->kind == VMCFG_DEV_MMIO && overlap(d->hpa, d->size, e->hpa, e->size)) {
				snprintf(f, sizeof(f), "devices[%u].mmio", i);
				fail(c, err, VMCFG_ERR_LEN, E_CONFLICT, f, "host range 0x%lx-0x%lx "
				     "is already given to vm \"%s\" (%s)", (unsigned long)d->hpa,
				     (unsigned long)(d->hpa + d->size), o->name, o->file);
				return true;
			}
		}
	}
	return false;
}

unsigned vmcfg_check_plan(const struct vmcfg *cfgs, unsigned n, unsigned ncores, bool *refused,
			  char (*errs)[VMCFG_ERR_LEN])
{
	unsigned nrefused = 0;
	for (unsigned i = 0; i < n; i++) {
		refused[i] = false;
		errs[i][0] = '\0';
		if (vmcfg_check_machine(&cfgs[i], ncores, errs[i], VMCFG_ERR_LEN))
			refused[i] = true;
		for (unsigned j = 0; j < i && !refused[i]; j++)
			if (!refused[j] && clash(&cfgs[i], &cfgs[j], errs[i]))
				refused[i] = true;
		nrefused += refused[i];
	}
	return nrefused;
}
