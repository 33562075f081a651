/*
 * libFuzzer target: one VM config file (JSON) through vmcfg_parse, and, when
 * it parses, through the checks that follow it at boot: vmcfg_check_vm,
 * vmcfg_check_machine, vmcfg_place (several image sizes) and vmcfg_check_plan
 * (the config beside copies of itself). Nothing may crash, every error
 * message must be a NUL-terminated string inside its buffer, and what the
 * checks accept must hold the properties vmconfig.h promises.
 */
#include <stdbool.h>
#include "partition/vmconfig.h"
#include "fuzz_common.h"

#define FILE_NAME "fuzz.json"

static uint64_t hash(const uint8_t *d, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ d[i]) * 0x100000001b3ull;
	return h;
}

static bool valid_code(int rc)
{
	return rc == E_SYNTAX || rc == E_FIELD || rc == E_RANGE || rc == E_CONFLICT;
}

static void check_prefix(const char *err, const char *file, const char *what)
{
	size_t n = strlen(file);
	FUZZ_CHECK(!strncmp(err, file, n) && err[n] == ':' && err[n + 1] == ' ',
		   "%s: message \"%s\" does not start with \"%s: \"", what, err, file);
}

/* What a parsed config must look like (vmconfig.h). */
static void check_parsed(const struct vmcfg *c)
{
	FUZZ_CHECK_STR(c->file, "file");
	FUZZ_CHECK_STR(c->name, "name");
	FUZZ_CHECK_STR(c->kernel.image, "kernel.image");
	FUZZ_CHECK_STR(c->initrd.image, "initrd.image");
	FUZZ_CHECK_STR(c->dtb_image, "dtb_image");
	FUZZ_CHECK_STR(c->bootargs, "bootargs");
	FUZZ_CHECK(c->id <= 255, "id %u", c->id);
	FUZZ_CHECK(c->name[0], "empty name");
	FUZZ_CHECK(c->vcpus >= 1 && c->vcpus <= VMCFG_MAX_VCPUS, "vcpus %u", c->vcpus);
	FUZZ_CHECK(c->naffinity == c->vcpus, "naffinity %u, vcpus %u", c->naffinity, c->vcpus);
	FUZZ_CHECK(c->nmem >= 1 && c->nmem <= VMCFG_MAX_MEM, "nmem %u", c->nmem);
	FUZZ_CHECK(c->ndevices <= VMCFG_MAX_DEVICES, "ndevices %u", c->ndevices);
	uint64_t total = 0;
	for (unsigned i = 0; i < c->nmem; i++) {
		const struct vmcfg_region *r = &c->mem[i];
		FUZZ_CHECK(r->size && !(r->size & 0xfff) && !(r->gpa & 0xfff), "memory[%u] 0x%lx+0x%lx",
			   i, (unsigned long)r->gpa, (unsigned long)r->size);
		FUZZ_CHECK(fuzz_inside(r->gpa, r->size, 0, 1ull << VMCFG_GPA_BITS), "memory[%u] past 41 bits", i);
		for (unsigned j = 0; j < i; j++)
			FUZZ_CHECK(!fuzz_overlap(r->gpa, r->size, c->mem[j].gpa, c->mem[j].size),
				   "memory[%u] overlaps memory[%u]", i, j);
		total += r->size;
	}
	FUZZ_CHECK(vmcfg_mem_total(c) == total, "mem total");
	FUZZ_CHECK(c->kernel.present && c->kernel.image[0], "kernel missing");
	FUZZ_CHECK(!(c->kernel.gpa & 0xfff) && !(c->kernel.entry & 1), "kernel alignment");
	FUZZ_CHECK(vmcfg_region_of(c, c->kernel.gpa, 0) >= 0, "kernel.gpa outside memory");
	FUZZ_CHECK(vmcfg_region_of(c, c->kernel.entry, 0) >= 0, "kernel.entry outside memory");
	FUZZ_CHECK(!c->initrd.present || c->initrd.image[0], "initrd without image");
	FUZZ_CHECK(!c->initrd.has_gpa || (vmcfg_region_of(c, c->initrd.gpa, 0) >= 0 &&
					   !(c->initrd.gpa & 0xfff)), "initrd.gpa");
	FUZZ_CHECK(c->dtb != VMCFG_DTB_IMAGE || c->dtb_image[0], "dtb image name empty");
	FUZZ_CHECK(c->dtb != VMCFG_DTB_NONE || !c->bootargs[0], "bootargs with dtb none");
	for (unsigned i = 0; i < c->ndevices; i++) {
		const struct vmcfg_device *d = &c->devices[i];
		FUZZ_CHECK_STR(d->path, "device path");
		if (d->kind == VMCFG_DEV_PASSTHROUGH) {
			FUZZ_CHECK(d->path[0] == '/' && d->path[1], "devices[%u] path \"%s\"", i, d->path);
			for (const char *p = d->path; *p; p++)
				FUZZ_CHECK(*p > ' ' && *p < 0x7f, "devices[%u] path byte 0x%x", i,
					   (unsigned)(uint8_t)*p);
		} else {
			FUZZ_CHECK(d->kind == VMCFG_DEV_MMIO, "devices[%u] kind %d", i, (int)d->kind);
			FUZZ_CHECK(d->size && !((d->hpa | d->gpa | d->size) & 0xfff), "devices[%u] mmio", i);
			FUZZ_CHECK(fuzz_inside(d->gpa, d->size, 0, 1ull << VMCFG_GPA_BITS) &&
				   fuzz_inside(d->hpa, d->size, 0, 1ull << VMCFG_HPA_BITS),
				   "devices[%u] mmio past the address space", i);
			for (unsigned j = 0; j < c->nmem; j++)
				FUZZ_CHECK(!fuzz_overlap(d->gpa, d->size, c->mem[j].gpa, c->mem[j].size),
					   "devices[%u] overlaps memory[%u]", i, j);
		}
	}
	if (vmcfg_console_uart(c))
		FUZZ_CHECK(!(c->console_gpa & 0xfff) &&
			   c->console_gpa <= (1ull << VMCFG_GPA_BITS) - 0x1000, "console gpa");
}

/* vmcfg_place's result against its contract (vmconfig.h). */
static void check_layout(const struct vmcfg *c, const struct vmcfg_sizes *s,
			 const struct vmcfg_layout *l)
{
	uint64_t k = c->kernel.gpa, ks = s->kernel;
	FUZZ_CHECK(l->kernel_gpa == k && l->entry == c->kernel.entry, "kernel/entry moved");
	int ri = vmcfg_region_of(c, k, ks);
	FUZZ_CHECK(ri >= 0 && ks, "kernel 0x%lx+0x%lx not inside one region", (unsigned long)k,
		   (unsigned long)ks);
	FUZZ_CHECK(l->entry >= k && l->entry - k < ks, "entry outside the kernel");
	uint64_t ds = 0;
	if (c->dtb == VMCFG_DTB_NONE) {
		FUZZ_CHECK(l->dtb_gpa == 0, "dtb placed with dtb none");
	} else {
		ds = c->dtb == VMCFG_DTB_GENERATE && s->dtb == 0 ? VMCFG_DTB_MAX : s->dtb;
		const struct vmcfg_region *r = &c->mem[ri];
		FUZZ_CHECK(ds && fuzz_inside(l->dtb_gpa, ds, r->gpa, r->size),
			   "dtb 0x%lx+0x%lx outside the kernel's region", (unsigned long)l->dtb_gpa,
			   (unsigned long)ds);
		FUZZ_CHECK(!(l->dtb_gpa & 0xfff), "dtb not page aligned");
		FUZZ_CHECK(!fuzz_overlap(l->dtb_gpa, ds, k, ks), "dtb overlaps the kernel");
		FUZZ_CHECK(c->dtb != VMCFG_DTB_GENERATE || ds <= VMCFG_DTB_MAX, "generated dtb too big");
	}
	if (!c->initrd.present) {
		FUZZ_CHECK(l->initrd_gpa == 0 && l->initrd_end == 0, "initrd placed without one");
		return;
	}
	uint64_t is = s->initrd;
	FUZZ_CHECK(is && l->initrd_end >= l->initrd_gpa && l->initrd_end - l->initrd_gpa == is,
		   "initrd 0x%lx-0x%lx for %lu bytes", (unsigned long)l->initrd_gpa,
		   (unsigned long)l->initrd_end, (unsigned long)is);
	FUZZ_CHECK(vmcfg_region_of(c, l->initrd_gpa, is) >= 0, "initrd outside memory");
	FUZZ_CHECK(!c->initrd.has_gpa || l->initrd_gpa == c->initrd.gpa, "initrd.gpa not honoured");
	FUZZ_CHECK(!(l->initrd_gpa & 0xfff), "initrd not page aligned");
	FUZZ_CHECK(!fuzz_overlap(l->initrd_gpa, is, k, ks), "initrd overlaps the kernel");
	FUZZ_CHECK(c->dtb == VMCFG_DTB_NONE || !fuzz_overlap(l->initrd_gpa, is, l->dtb_gpa, ds),
		   "initrd overlaps the dtb");
}

static void place(const struct vmcfg *c, const struct vmcfg_sizes *s)
{
	struct fuzz_err e;
	struct vmcfg_layout l;
	char *err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
	int rc = vmcfg_place(c, s, &l, err, e.len);
	fuzz_err_check(&e, rc != 0, "vmcfg_place");
	if (rc) {
		FUZZ_CHECK(rc == E_RANGE || rc == E_CONFLICT, "vmcfg_place rc %d", rc);
		check_prefix(err, c->file, "vmcfg_place");
		return;
	}
	check_layout(c, s, &l);
}

static bool has_devices(const struct vmcfg *c)
{
	return c->ndevices > 0;   /* passthrough paths and mmio host ranges clash with themselves */
}

/* The config beside a renamed copy and an exact copy of itself. */
static void plan(const struct vmcfg *c, unsigned ncores)
{
	static struct vmcfg cfgs[3];
	bool refused[3];
	char errs[3][VMCFG_ERR_LEN];
	struct fuzz_err e;
	char *err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
	int mrc = vmcfg_check_machine(c, ncores, err, e.len);
	fuzz_err_check(&e, mrc != 0, "vmcfg_check_machine");
	if (mrc) {
		FUZZ_CHECK(mrc == E_RANGE || mrc == E_CONFLICT, "check_machine rc %d", mrc);
		check_prefix(err, c->file, "vmcfg_check_machine");
	}
	cfgs[0] = cfgs[1] = cfgs[2] = *c;
	cfgs[1].id = (c->id + 1) & 0xff;
	size_t n = strlen(c->name);
	if (n + 1 < sizeof(cfgs[1].name))
		cfgs[1].name[n] = '2', cfgs[1].name[n + 1] = '\0';
	else
		cfgs[1].name[n - 1] = c->name[n - 1] == '2' ? '3' : '2';
	memset(errs, FUZZ_ERR_FILL, sizeof(errs));
	unsigned nref = vmcfg_check_plan(cfgs, 3, ncores, refused, errs);
	unsigned count = 0;
	for (unsigned i = 0; i < 3; i++) {
		FUZZ_CHECK(memchr(errs[i], '\0', VMCFG_ERR_LEN), "errs[%u] not NUL-terminated", i);
		FUZZ_CHECK(refused[i] == (errs[i][0] != '\0'), "errs[%u] \"%s\" vs refused %d", i,
			   errs[i], refused[i]);
		if (refused[i])
			check_prefix(errs[i], c->file, "vmcfg_check_plan");
		count += refused[i];
	}
	FUZZ_CHECK(nref == count, "returned %u, %u refused", nref, count);
	FUZZ_CHECK(refused[0] == (mrc != 0), "the first VM: refused %d, check_machine %d", refused[0], mrc);
	FUZZ_CHECK(refused[2], "an exact copy of the first VM was kept");
	FUZZ_CHECK(refused[1] == (mrc != 0 || has_devices(c)),
		   "renamed copy: refused %d (check_machine %d, %u devices): %s", refused[1], mrc,
		   c->ndevices, errs[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmcfg cfg, again;
	struct fuzz_err e;
	uint8_t *json = fuzz_dup(data, size);
	uint64_t h = hash(data, size);

	char *err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
	int rc = vmcfg_parse((const char *)json, size, FILE_NAME, &cfg, err, e.len);
	fuzz_err_check(&e, rc != 0, "vmcfg_parse");
	if (rc) {
		FUZZ_CHECK(valid_code(rc), "vmcfg_parse rc %d", rc);
		check_prefix(err, FILE_NAME, "vmcfg_parse");
	}

	/* The same input with a short error buffer: same verdict, message cut but terminated. */
	err = fuzz_err_reset(&e, 1 + h % 48);
	int rc2 = vmcfg_parse((const char *)json, size, FILE_NAME, &again, err, e.len);
	fuzz_err_check(&e, rc2 != 0, "vmcfg_parse (short buffer)");
	FUZZ_CHECK(rc2 == rc, "rc %d with a long buffer, %d with %zu bytes", rc, rc2, e.len);
	if (rc) {
		free(json);
		return 0;
	}
	FUZZ_CHECK(!memcmp(&cfg, &again, sizeof(cfg)), "two parses of one input differ");

	check_parsed(&cfg);
	err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
	rc = vmcfg_check_vm(&cfg, err, e.len);
	fuzz_err_check(&e, rc != 0, "vmcfg_check_vm");
	FUZZ_CHECK(rc == 0, "vmcfg_check_vm refuses what vmcfg_parse accepted: %s", err);

	static const uint64_t kernel_sizes[] = { 1, 2, 0x1000, 0x12345, 0x200000, 0x1000000,
						 0x40000000, 1ull << 41, UINT64_MAX };
	static const uint64_t initrd_sizes[] = { 0, 1, 0x1000, 0x1001, 0x100000, 0x1e00000,
						 1ull << 40, UINT64_MAX };
	static const uint64_t dtb_sizes[] = { 0, 1, 0x1000, VMCFG_DTB_MAX, VMCFG_DTB_MAX + 1,
					      VMCFG_DTB_GAP, VMCFG_DTB_GAP + 1, 0x300000, UINT64_MAX };
#define PICK(a, x) a[(x) % (sizeof(a) / sizeof(a[0]))]
	struct vmcfg_sizes small = { 0x1000, cfg.initrd.present ? 0x1000 : 0,
				     cfg.dtb == VMCFG_DTB_IMAGE ? 0x1000 : 0 };
	place(&cfg, &small);
	for (unsigned i = 0; i < 3; i++) {
		uint64_t x = h >> (i * 16);
		struct vmcfg_sizes s = { PICK(kernel_sizes, x), cfg.initrd.present ? PICK(initrd_sizes, x >> 4) : 0,
					 cfg.dtb == VMCFG_DTB_NONE ? 0 : PICK(dtb_sizes, x >> 8) };
		place(&cfg, &s);
	}

	static const unsigned cores[] = { 1, 2, 4, 8 };
	plan(&cfg, cores[(h >> 60) & 3]);
	free(json);
	return 0;
}
