/* Reading VM packages in place: see vmpkg.h and docs/package.md. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "partition/vmpkg.h"

/* Header fields (offsets); entries: name 0, offset 56, size 64, crc 72. */
#define H_VERSION  8
#define H_HSIZE    12
#define H_ESIZE    16
#define H_COUNT    20
#define H_TOTAL    24
#define H_CRC      32
#define ENT_OFFSET   56
#define ENT_SIZE     64
#define ENT_CRC      72

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t ld64(const uint8_t *p)
{
	return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

static int fail(char *err, size_t errlen, int code, const char *pkg, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int fail(char *err, size_t errlen, int code, const char *pkg, const char *fmt, ...)
{
	int n = snprintf(err, errlen, "%s: ", pkg);
	if (n > 0 && (size_t)n < errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return code;
}

static const uint8_t *entry_ptr(const struct vmpkg *p, uint32_t i)
{
	return p->base + p->table_off + (uint64_t)i * p->entry_size;
}

/* The table checksum covers the header with its crc field read as zero, then the table. */
static uint32_t table_crc(const uint8_t *b, uint32_t hsize, uint64_t table_len)
{
	static const uint8_t zero[4];
	uint32_t crc = crc32_ieee_update(0, b, H_CRC);
	crc = crc32_ieee_update(crc, zero, 4);
	crc = crc32_ieee_update(crc, b + H_CRC + 4, hsize - H_CRC - 4);
	return crc32_ieee_update(crc, b + hsize, (size_t)table_len);
}

static int check_header(const uint8_t *b, uint64_t len, const char *pkg, struct vmpkg *p,
			char *err, size_t errlen)
{
	if (len < VMPKG_HEADER_SIZE)
		return fail(err, errlen, E_TRUNC, pkg, "truncated: %lu bytes, the header alone "
			    "needs %d", (unsigned long)len, VMPKG_HEADER_SIZE);
	if (memcmp(b, VMPKG_MAGIC, 8) != 0)
		return fail(err, errlen, E_FORMAT, pkg, "bad magic: not a tessera VM package "
			    "(it should start with \"%s\")", VMPKG_MAGIC);
	uint32_t version = ld32(b + H_VERSION);
	if (version != VMPKG_VERSION)
		return fail(err, errlen, E_VERSION, pkg, "unsupported format version %u (this "
			    "tessera reads version %d; rebuild the package with its tools/mkpkg)",
			    version, VMPKG_VERSION);
	uint32_t hsize = ld32(b + H_HSIZE), esize = ld32(b + H_ESIZE), count = ld32(b + H_COUNT);
	uint64_t total = ld64(b + H_TOTAL);
	if (hsize < VMPKG_HEADER_SIZE || hsize > 4096 || hsize % 8 ||
	    esize < VMPKG_ENTRY_SIZE || esize > 1024 || esize % 8)
		return fail(err, errlen, E_CORRUPT, pkg, "corrupt header: header size %u, entry "
			    "size %u", hsize, esize);
	if (total > len)
		return fail(err, errlen, E_TRUNC, pkg, "truncated: the header says %lu bytes, "
			    "only %lu are there", (unsigned long)total, (unsigned long)len);
	if (count > VMPKG_MAX_ENTRIES)
		return fail(err, errlen, E_CORRUPT, pkg, "%u entries, at most %d are allowed",
			    count, VMPKG_MAX_ENTRIES);
	uint64_t table_len = (uint64_t)count * esize;
	if (hsize > total || table_len > total - hsize)
		return fail(err, errlen, E_TRUNC, pkg, "truncated: the header and a table of "
			    "%u entries need %lu bytes, the package has %lu", count,
			    (unsigned long)(hsize + table_len), (unsigned long)total);
	uint32_t stored = ld32(b + H_CRC), crc = table_crc(b, hsize, table_len);
	if (stored != crc)
		return fail(err, errlen, E_CRC, pkg, "header checksum mismatch (stored 0x%08x, "
			    "computed 0x%08x)", stored, crc);
	*p = (struct vmpkg){ b, total, count, hsize, esize, pkg };
	return 0;
}

/* Names: 1..55 printable ASCII characters, NUL-terminated inside the field. */
static int check_name(const uint8_t *name, uint32_t i, const char *pkg, char *err, size_t errlen)
{
	const uint8_t *nul = memchr(name, 0, VMPKG_NAME_MAX);
	if (!nul)
		return fail(err, errlen, E_CORRUPT, pkg, "entry %u: name is not NUL-terminated", i);
	if (nul == name)
		return fail(err, errlen, E_CORRUPT, pkg, "entry %u: name is empty", i);
	for (const uint8_t *c = name; c < nul; c++)
		if (*c <= ' ' || *c >= 0x7f || *c == '/')
			return fail(err, errlen, E_CORRUPT, pkg, "entry %u: name has a byte 0x%x "
				    "that is not allowed", i, (unsigned)*c);
	return 0;
}

static int open_pkg(const void *data, uint64_t len, const char *pkg, struct vmpkg *p, bool crcs,
		    char *err, size_t errlen)
{
	const uint8_t *b = data;
	struct vmpkg_entry e;
	int rc;
	memset(p, 0, sizeof(*p));
	if (!data)
		return fail(err, errlen, E_TRUNC, pkg, "no package (null pointer)");
	if ((rc = check_header(b, len, pkg, p, err, errlen)))
		return rc;
	uint64_t data_start = p->table_off + (uint64_t)p->count * p->entry_size;
	for (uint32_t i = 0; i < p->count && !rc; i++) {
		const uint8_t *ent = entry_ptr(p, i);
		const char *name = (const char *)ent;
		uint64_t off = ld64(ent + ENT_OFFSET), size = ld64(ent + ENT_SIZE);
		if ((rc = check_name(ent, i, pkg, err, errlen)))
			break;
		if (off % VMPKG_ALIGN || off < data_start)
			rc = fail(err, errlen, E_CORRUPT, pkg, "entry %s: offset 0x%lx is not "
				  "64-byte aligned or lies in the header or table", name,
				  (unsigned long)off);
		else if (off > p->size || size > p->size - off)
			rc = fail(err, errlen, E_CORRUPT, pkg, "entry %s: data past the end (offset "
				  "0x%lx + %lu bytes > package size %lu)", name, (unsigned long)off,
				  (unsigned long)size, (unsigned long)p->size);
		/* earlier entries are known to be in bounds */
		for (uint32_t j = 0; j < i && !rc; j++) {
			const uint8_t *other = entry_ptr(p, j);
			uint64_t ooff = ld64(other + ENT_OFFSET), osize = ld64(other + ENT_SIZE);
			if (!strcmp(name, (const char *)other))
				rc = fail(err, errlen, E_CORRUPT, pkg, "duplicate entry name %s "
					  "(entries %u and %u)", name, j, i);
			else if (off < ooff + osize && ooff < off + size)
				rc = fail(err, errlen, E_CORRUPT, pkg, "entries %s and %s overlap",
					  (const char *)other, name);
		}
		if (rc)
			break;
		vmpkg_entry_at(p, i, &e);
		if (crcs)
			rc = vmpkg_check_entry(p, &e, err, errlen);
	}
	if (rc)
		memset(p, 0, sizeof(*p));
	else
		p->name = pkg;
	return rc;
}

int vmpkg_check_entry(const struct vmpkg *p, const struct vmpkg_entry *e, char *err, size_t errlen)
{
	uint32_t crc = crc32_ieee(e->data, (size_t)e->size);
	if (crc != e->crc)
		return fail(err, errlen, E_CRC, p->name ? p->name : "VM package",
			    "entry %s: checksum mismatch (stored 0x%08x, computed 0x%08x)", e->name,
			    e->crc, crc);
	return 0;
}

int vmpkg_open_named(const void *data, uint64_t len, const char *pkg, struct vmpkg *p,
		     char *err, size_t errlen)
{
	return open_pkg(data, len, pkg, p, true, err, errlen);
}

int vmpkg_open_structure(const void *data, uint64_t len, const char *pkg, struct vmpkg *p,
			 char *err, size_t errlen)
{
	return open_pkg(data, len, pkg, p, false, err, errlen);
}

int vmpkg_open(const void *data, uint64_t len, struct vmpkg *p, char *err, size_t errlen)
{
	return vmpkg_open_named(data, len, "VM package", p, err, errlen);
}

int vmpkg_entry_at(const struct vmpkg *p, uint32_t i, struct vmpkg_entry *e)
{
	if (i >= p->count)
		return E_NOENT;
	const uint8_t *ent = entry_ptr(p, i);
	memcpy(e->name, ent, VMPKG_NAME_MAX);
	e->name[VMPKG_NAME_MAX - 1] = '\0';
	e->data = p->base + ld64(ent + ENT_OFFSET);
	e->size = ld64(ent + ENT_SIZE);
	e->crc = ld32(ent + ENT_CRC);
	return 0;
}

int vmpkg_find(const struct vmpkg *p, const char *name, struct vmpkg_entry *e)
{
	for (uint32_t i = 0; i < p->count; i++)
		if (!strncmp((const char *)entry_ptr(p, i), name, VMPKG_NAME_MAX))
			return vmpkg_entry_at(p, i, e);
	return E_NOENT;
}

bool vmpkg_is_config(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".json");
}
