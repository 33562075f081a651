/*
 * libFuzzer target: a VM package (docs/package.md) read the way tessera's
 * boot code reads it (core/boot_vms.c): vmpkg_open_structure on a heap copy
 * of exactly the input's size at an odd address, every entry by index and
 * by name, each entry's checksum with vmpkg_check_entry, the configs parsed
 * and checked as a plan, their images looked up, checked and placed. The
 * full vmpkg_open_named must agree: it opens exactly when the structure
 * opens and every checksum holds. A package that opens is written again
 * with vmpkg_write and must read back the same. Nothing may crash or read
 * out of bounds; error messages must be NUL-terminated strings.
 */
#include <stdbool.h>
#include "partition/vmconfig.h"
#include "partition/vmpkg.h"
#include "fuzz_common.h"

#define PKG_NAME "fuzz.pkg"
#define MAX_VMS  8      /* VM_MAX in core/vm.h */
#define NCORES   4

static bool valid_code(int rc)
{
	return rc == E_FORMAT || rc == E_VERSION || rc == E_TRUNC ||
	       rc == E_CORRUPT || rc == E_CRC;
}

/* An entry as vmpkg_entry_at gives it must lie inside the package; returns
 * whether its checksum holds, and vmpkg_check_entry must say the same. */
static bool check_entry(const struct vmpkg *p, uint32_t i, const struct vmpkg_entry *e)
{
	FUZZ_CHECK_STR(e->name, "entry name");
	FUZZ_CHECK(e->name[0], "entry %u: empty name", i);
	for (const char *c = e->name; *c; c++)
		FUZZ_CHECK(*c > ' ' && *c < 0x7f && *c != '/', "entry %u: name byte 0x%x", i,
			   (unsigned)(uint8_t)*c);
	FUZZ_CHECK(e->data >= p->base && e->size <= p->size &&
		   (uint64_t)(e->data - p->base) <= p->size - e->size,
		   "entry %u (%s): data %ld+%lu outside the %lu-byte package", i, e->name,
		   (long)(e->data - p->base), (unsigned long)e->size, (unsigned long)p->size);
	FUZZ_CHECK((uint64_t)(e->data - p->base) % VMPKG_ALIGN == 0, "entry %u not aligned", i);
	bool good = crc32_ieee(e->data, (size_t)e->size) == e->crc;
	struct fuzz_err fe;
	char *err = fuzz_err_reset(&fe, VMPKG_ERR_LEN);
	int rc = vmpkg_check_entry(p, e, err, fe.len);
	fuzz_err_check(&fe, rc != 0, "vmpkg_check_entry");
	FUZZ_CHECK(rc == (good ? 0 : E_CRC), "entry %u: vmpkg_check_entry %d, checksum %s", i,
		   rc, good ? "good" : "bad");
	if (rc)
		FUZZ_CHECK(!strncmp(err, PKG_NAME ": ", sizeof(PKG_NAME ": ") - 1), "message \"%s\"", err);
	return good;
}

/* An image as boot_vms.c find_image() takes it: present, its checksum good. */
static bool image(const struct vmpkg *p, const char *name, uint64_t *size)
{
	struct vmpkg_entry e;
	char err[VMPKG_ERR_LEN];
	if (vmpkg_find(p, name, &e) || vmpkg_check_entry(p, &e, err, sizeof(err)))
		return false;
	*size = e.size;
	return true;
}

/* What core/boot_vms.c does with an opened package: parse the configs, check the plan, place. */
static void boot(const struct vmpkg *p)
{
	static struct vmcfg cfgs[MAX_VMS];
	bool refused[MAX_VMS];
	char errs[MAX_VMS][VMCFG_ERR_LEN];
	struct fuzz_err e;
	unsigned n = 0;
	for (uint32_t i = 0; i < p->count && n < MAX_VMS; i++) {
		struct vmpkg_entry ent;
		FUZZ_CHECK(vmpkg_entry_at(p, i, &ent) == 0, "entry %u", i);
		if (!vmpkg_is_config(ent.name))
			continue;
		char *err = fuzz_err_reset(&e, VMPKG_ERR_LEN);
		int crc = vmpkg_check_entry(p, &ent, err, e.len);
		fuzz_err_check(&e, crc != 0, "vmpkg_check_entry");
		if (crc)
			continue;
		err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
		int rc = vmcfg_parse((const char *)ent.data, ent.size, ent.name, &cfgs[n], err, e.len);
		fuzz_err_check(&e, rc != 0, "vmcfg_parse");
		if (rc == 0)
			n++;
	}
	unsigned nref = vmcfg_check_plan(cfgs, n, NCORES, refused, errs);
	FUZZ_CHECK(nref <= n, "%u of %u refused", nref, n);
	for (unsigned i = 0; i < n; i++) {
		FUZZ_CHECK(memchr(errs[i], '\0', VMCFG_ERR_LEN), "errs[%u] not NUL-terminated", i);
		FUZZ_CHECK(refused[i] == (errs[i][0] != '\0'), "errs[%u] vs refused", i);
		if (refused[i])
			continue;
		const struct vmcfg *c = &cfgs[i];
		struct vmcfg_sizes s = { 0, 0, 0 };
		if (!image(p, c->kernel.image, &s.kernel) ||
		    (c->initrd.present && !image(p, c->initrd.image, &s.initrd)) ||
		    (c->dtb == VMCFG_DTB_IMAGE && !image(p, c->dtb_image, &s.dtb)))
			continue;
		if (c->dtb == VMCFG_DTB_GENERATE) {
			s.dtb = VMCFG_DTB_MAX;
		}
		struct vmcfg_layout l;
		char *err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
		int rc = vmcfg_place(c, &s, &l, err, e.len);
		fuzz_err_check(&e, rc != 0, "vmcfg_place");
		if (rc == 0)
			FUZZ_CHECK(vmcfg_region_of(c, l.kernel_gpa, s.kernel) >= 0, "kernel placed outside memory");
	}
}

/* Write the opened package's entries into a new package: it must open and hold the same. */
static void round_trip(const struct vmpkg *p)
{
	static struct vmpkg_input in[VMPKG_MAX_ENTRIES];
	static struct vmpkg_entry ents[VMPKG_MAX_ENTRIES];
	struct fuzz_err e;
	uint32_t n = p->count;
	for (uint32_t i = 0; i < n; i++) {
		FUZZ_CHECK(vmpkg_entry_at(p, i, &ents[i]) == 0, "entry %u", i);
		in[i] = (struct vmpkg_input){ ents[i].name, ents[i].data, ents[i].size };
	}
	uint64_t size = vmpkg_write_size(in, n);
	FUZZ_CHECK(size >= VMPKG_HEADER_SIZE && size % VMPKG_ALIGN == 0, "write size %lu",
		   (unsigned long)size);
	if (size > 64u << 20)
		return;
	uint8_t *out = malloc((size_t)size);
	FUZZ_CHECK(out, "malloc %lu", (unsigned long)size);
	char *err = fuzz_err_reset(&e, VMPKG_ERR_LEN);
	int rc = vmpkg_write(out, size, in, n, err, e.len);
	fuzz_err_check(&e, rc != 0, "vmpkg_write");
	FUZZ_CHECK(rc == 0, "vmpkg_write refused an opened package's entries: %s", err);
	struct vmpkg q;
	err = fuzz_err_reset(&e, VMPKG_ERR_LEN);
	rc = vmpkg_open_named(out, size, PKG_NAME, &q, err, e.len);
	fuzz_err_check(&e, rc != 0, "vmpkg_open (rewritten)");
	FUZZ_CHECK(rc == 0, "a rewritten package does not open: %s", err);
	FUZZ_CHECK(q.count == n && q.size == size, "rewritten: %u entries, %lu bytes", q.count,
		   (unsigned long)q.size);
	for (uint32_t i = 0; i < n; i++) {
		struct vmpkg_entry x;
		FUZZ_CHECK(vmpkg_entry_at(&q, i, &x) == 0, "rewritten entry %u", i);
		FUZZ_CHECK(!strcmp(x.name, ents[i].name) && x.size == ents[i].size &&
			   x.crc == crc32_ieee(ents[i].data, (size_t)ents[i].size) &&
			   !memcmp(x.data, ents[i].data, (size_t)x.size), "rewritten entry %u differs", i);
	}
	free(out);
}

/*
 * A mutator that, most of the time, re-seals what it mutated: the entries'
 * data checksums and the table checksum recomputed, total_size clamped to
 * the input, so mutations get past the checksums to the checks behind them.
 * The layout is read here from docs/package.md, not with vmpkg.c.
 */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	size = LLVMFuzzerMutate(data, size, max_size);
	if (seed % 4 == 0 || size < VMPKG_HEADER_SIZE)
		return size;
	uint64_t hsize = get32(data + 12), esize = get32(data + 16), count = get32(data + 20);
	if (get64(data + 24) > size && seed % 3)
		put64(data + 24, size);
	if (hsize < 36 || hsize > size || esize < 76 || count > VMPKG_MAX_ENTRIES ||
	    count * esize > size - hsize)
		return size;
	for (uint64_t i = 0; i < count; i++) {
		uint8_t *ent = data + hsize + i * esize;
		uint64_t off = get64(ent + 56), len = get64(ent + 64);
		if (off <= size && len <= size - off)
			put32(ent + 72, crc32_ieee(data + off, (size_t)len));
	}
	static const uint8_t zero[4];
	uint32_t crc = crc32_ieee_update(0, data, 32);
	crc = crc32_ieee_update(crc, zero, 4);
	crc = crc32_ieee_update(crc, data + 36, (size_t)(hsize - 36 + count * esize));
	put32(data + 32, crc);
	return size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_err e;
	struct vmpkg p;
	/* one byte in front: an odd start address, the end still the end of the block */
	uint8_t *block = malloc(size + 1);
	FUZZ_CHECK(block, "malloc");
	uint8_t *pkg = block + 1;
	if (size)
		memcpy(pkg, data, size);

	/* the full check first, then the structure alone as tessera's boot opens it */
	struct vmpkg full;
	char *err = fuzz_err_reset(&e, VMPKG_ERR_LEN);
	int full_rc = vmpkg_open_named(pkg, size, PKG_NAME, &full, err, e.len);
	fuzz_err_check(&e, full_rc != 0, "vmpkg_open_named");
	if (full_rc) {
		FUZZ_CHECK(valid_code(full_rc), "vmpkg_open_named rc %d", full_rc);
		FUZZ_CHECK(!strncmp(err, PKG_NAME ": ", sizeof(PKG_NAME ": ") - 1), "message \"%s\"", err);
		FUZZ_CHECK(full.count == 0 && full.base == NULL, "a refused package left state behind");
	}
	err = fuzz_err_reset(&e, VMPKG_ERR_LEN);
	int rc = vmpkg_open_structure(pkg, size, PKG_NAME, &p, err, e.len);
	fuzz_err_check(&e, rc != 0, "vmpkg_open_structure");
	if (rc) {
		FUZZ_CHECK(valid_code(rc), "vmpkg_open_structure rc %d", rc);   /* ECRC: the table's */
		FUZZ_CHECK(full_rc != 0, "the full open accepts what the structure open refuses");
		FUZZ_CHECK(!strncmp(err, PKG_NAME ": ", sizeof(PKG_NAME ": ") - 1), "message \"%s\"", err);
		FUZZ_CHECK(p.count == 0 && p.base == NULL, "a refused package left state behind");
		/* the same with a short buffer: same verdict, terminated message */
		err = fuzz_err_reset(&e, 1 + size % 40);
		FUZZ_CHECK(vmpkg_open_structure(pkg, size, PKG_NAME, &p, err, e.len) == rc, "verdict changed");
		fuzz_err_check(&e, 1, "vmpkg_open_structure (short buffer)");
		free(block);
		return 0;
	}
	FUZZ_CHECK(p.base == pkg && p.size <= size && p.count <= VMPKG_MAX_ENTRIES,
		   "opened: size %lu of %zu, %u entries", (unsigned long)p.size, size, p.count);
	FUZZ_CHECK(p.table_off >= VMPKG_HEADER_SIZE && p.entry_size >= VMPKG_ENTRY_SIZE &&
		   (uint64_t)p.table_off + (uint64_t)p.count * p.entry_size <= p.size, "table bounds");
	FUZZ_CHECK(full_rc != 0 || (full.count == p.count && full.size == p.size), "two opens differ");

	bool all_good = true;
	for (uint32_t i = 0; i < p.count; i++) {
		struct vmpkg_entry ent, found;
		FUZZ_CHECK(vmpkg_entry_at(&p, i, &ent) == 0, "entry %u missing", i);
		all_good &= check_entry(&p, i, &ent);
		FUZZ_CHECK(vmpkg_find(&p, ent.name, &found) == 0 && found.data == ent.data &&
			   found.size == ent.size, "entry %u (%s) not found by name", i, ent.name);
		for (uint32_t j = 0; j < i; j++) {
			struct vmpkg_entry other;
			vmpkg_entry_at(&p, j, &other);
			FUZZ_CHECK(strcmp(other.name, ent.name), "entries %u and %u share a name", j, i);
			FUZZ_CHECK(!fuzz_overlap((uintptr_t)other.data, other.size, (uintptr_t)ent.data,
						 ent.size), "entries %u and %u overlap", j, i);
		}
	}
	FUZZ_CHECK(all_good == (full_rc == 0), "full open %d, entry checksums %s", full_rc,
		   all_good ? "all good" : "not all good");
	struct vmpkg_entry none;
	FUZZ_CHECK(vmpkg_entry_at(&p, p.count, &none) == E_NOENT, "entry past the end");
	FUZZ_CHECK(vmpkg_find(&p, "no/such", &none) == E_NOENT, "a name with '/' found");

	boot(&p);
	round_trip(&p);
	free(block);
	return 0;
}
