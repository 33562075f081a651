/*
 * The VM package: one file holding the VM configs (entries named *.json) and
 * the guest images they name, loaded as the initrd and read in place. The
 * byte layout is in docs/package.md. Portable C: fields are read with byte
 * loads, so the package may sit at any alignment.
 */
#ifndef PARTITION_VMPKG_H
#define PARTITION_VMPKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "partition/crc32.h"
#include "core/errno.h"

#define VMPKG_MAGIC        "TSRAPKG"     /* 8 bytes with its NUL */
#define VMPKG_VERSION      1
#define VMPKG_HEADER_SIZE  64            /* version 1 sizes; readers accept larger */
#define VMPKG_ENTRY_SIZE   80
#define VMPKG_NAME_MAX     56            /* incl. NUL */
#define VMPKG_ALIGN        64            /* data alignment */
#define VMPKG_MAX_ENTRIES  256
#define VMPKG_ERR_LEN      192

/* Errors (core/errno.h): E_NOENT no such entry, E_FORMAT not a package, E_VERSION a format
 * version this code does not read, E_TRUNC shorter than it says, E_CORRUPT bad sizes, names,
 * bounds, overlaps, duplicates, E_CRC checksum mismatch. */

struct vmpkg {
	const uint8_t *base;
	uint64_t size;              /* total size from the header (<= the length given) */
	uint32_t count;
	uint32_t table_off;         /* = header size */
	uint32_t entry_size;
	const char *name;           /* for messages */
};

struct vmpkg_entry {
	char name[VMPKG_NAME_MAX];
	const uint8_t *data;
	uint64_t size;
	uint32_t crc;
};

/*
 * Check the package at data (len bytes available): header, version, sizes,
 * the table's checksum, every entry's name, bounds, overlaps, duplicates and
 * data checksum. Messages read "<pkgname>: <reason>"; vmpkg_open uses
 * "VM package" as the name.
 */
int vmpkg_open(const void *data, uint64_t len, struct vmpkg *p, char *err, size_t errlen);
int vmpkg_open_named(const void *data, uint64_t len, const char *pkgname, struct vmpkg *p,
		     char *err, size_t errlen);
/*
 * The same checks without the entries' data checksums, which the reader
 * then checks entry by entry with vmpkg_check_entry: one corrupt image
 * refuses only the VMs that use it (tessera's boot).
 */
int vmpkg_open_structure(const void *data, uint64_t len, const char *pkgname, struct vmpkg *p,
			 char *err, size_t errlen);
/* The entry's data checksum: 0, or E_CRC with "<pkgname>: entry X: checksum mismatch ...". */
int vmpkg_check_entry(const struct vmpkg *p, const struct vmpkg_entry *e, char *err, size_t errlen);

/* Entry i of an opened package: 0, or E_NOENT past the end. */
int vmpkg_entry_at(const struct vmpkg *p, uint32_t i, struct vmpkg_entry *e);
/* The entry named name: 0, or E_NOENT if absent. */
int vmpkg_find(const struct vmpkg *p, const char *name, struct vmpkg_entry *e);
/* Config entries are those whose name ends in ".json". */
bool vmpkg_is_config(const char *name);

/* ---- writing (tools/mkpkg and tests; portable too) ---- */

struct vmpkg_input {
	const char *name;
	const void *data;
	uint64_t size;
};

/* Bytes vmpkg_write needs for these entries. */
uint64_t vmpkg_write_size(const struct vmpkg_input *in, uint32_t n);
/* Lay out a version 1 package in buf (cap bytes, zero-filled padding).
 * Returns 0, or E_CORRUPT/E_TRUNC with a reason in err. */
int vmpkg_write(void *buf, uint64_t cap, const struct vmpkg_input *in, uint32_t n,
		char *err, size_t errlen);
/* Recompute the table checksum of a package (len bytes), e.g. after editing
 * its table: 0, or E_TRUNC if its header and table do not fit in len. */
int vmpkg_seal(void *pkg, uint64_t len);

#endif
