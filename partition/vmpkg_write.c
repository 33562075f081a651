/* Writing version 1 VM packages (for tools/mkpkg and the tests): see vmpkg.h. */
#include <stdio.h>
#include <string.h>
#include "partition/vmpkg.h"

static void st32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void st64(uint8_t *p, uint64_t v)
{
	st32(p, (uint32_t)v);
	st32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t align_up(uint64_t v)
{
	return (v + VMPKG_ALIGN - 1) & ~(uint64_t)(VMPKG_ALIGN - 1);
}

uint64_t vmpkg_write_size(const struct vmpkg_input *in, uint32_t n)
{
	uint64_t at = align_up(VMPKG_HEADER_SIZE + (uint64_t)n * VMPKG_ENTRY_SIZE);
	for (uint32_t i = 0; i < n; i++)
		at = align_up(at + in[i].size);
	return at;
}

int vmpkg_seal(void *pkg, uint64_t len)
{
	uint8_t *b = pkg;
	if (len < VMPKG_HEADER_SIZE)
		return E_TRUNC;
	uint64_t covered = ld32(b + 12) + (uint64_t)ld32(b + 16) * ld32(b + 20);
	if (ld32(b + 12) < 36 || covered > len)
		return E_TRUNC;
	st32(b + 32, 0);
	st32(b + 32, crc32_ieee(b, (size_t)covered));
	return 0;
}

int vmpkg_write(void *buf, uint64_t cap, const struct vmpkg_input *in, uint32_t n,
		char *err, size_t errlen)
{
	uint8_t *b = buf;
	uint64_t total = vmpkg_write_size(in, n);
	if (n > VMPKG_MAX_ENTRIES) {
		snprintf(err, errlen, "%u entries, a package holds at most %d", n, VMPKG_MAX_ENTRIES);
		return E_CORRUPT;
	}
	for (uint32_t i = 0; i < n; i++) {
		size_t len = strlen(in[i].name);
		if (len == 0 || len >= VMPKG_NAME_MAX) {
			snprintf(err, errlen, "%s: entry names have 1 to %d characters", in[i].name,
				 VMPKG_NAME_MAX - 1);
			return E_CORRUPT;
		}
		for (uint32_t j = 0; j < i; j++)
			if (!strcmp(in[i].name, in[j].name)) {
				snprintf(err, errlen, "%s: two entries with this name", in[i].name);
				return E_CORRUPT;
			}
	}
	if (total > cap) {
		snprintf(err, errlen, "the package needs %lu bytes, the buffer has %lu",
			 (unsigned long)total, (unsigned long)cap);
		return E_TRUNC;
	}
	memset(b, 0, (size_t)total);
	memcpy(b, VMPKG_MAGIC, 8);
	st32(b + 8, VMPKG_VERSION);
	st32(b + 12, VMPKG_HEADER_SIZE);
	st32(b + 16, VMPKG_ENTRY_SIZE);
	st32(b + 20, n);
	st64(b + 24, total);
	uint64_t at = align_up(VMPKG_HEADER_SIZE + (uint64_t)n * VMPKG_ENTRY_SIZE);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *ent = b + VMPKG_HEADER_SIZE + (size_t)i * VMPKG_ENTRY_SIZE;
		memcpy(ent, in[i].name, strlen(in[i].name));
		st64(ent + 56, at);
		st64(ent + 64, in[i].size);
		st32(ent + 72, crc32_ieee(in[i].data, (size_t)in[i].size));
		if (in[i].size)
			memcpy(b + at, in[i].data, (size_t)in[i].size);
		at = align_up(at + in[i].size);
	}
	return vmpkg_seal(b, total);
}
