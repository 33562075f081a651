/*
 * Host tests of the VM package (partition/vmpkg.c, vmpkg_write.c, crc32.c):
 * a round trip through the writer, then every kind of damage, each with
 * the error class and message the reader must give.
 * usage: test_vmpkg PREFIX
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "partition/vmpkg.h"
#include "check.h"

static char err[VMPKG_ERR_LEN];
static struct vmpkg pkg;
static uint8_t buf[64 * 1024] __attribute__((aligned(64)));
static uint64_t len;
static uint8_t kernel[5000];

static const char config[] = "{ \"id\": 1 }";

static const struct vmpkg_input inputs[] = {
	{ "hello.json", config, sizeof(config) - 1 },
	{ "hello.bin", kernel, sizeof(kernel) },
	{ "empty", "", 0 },
};

/* A fresh three-entry package in buf. */
static void build(void)
{
	for (size_t i = 0; i < sizeof(kernel); i++)
		kernel[i] = (uint8_t)(i * 7 + (i >> 8));
	len = vmpkg_write_size(inputs, 3);
	int rc = vmpkg_write(buf, sizeof(buf), inputs, 3, err, sizeof(err));
	CHECK(rc == 0, "set-up: writer: %s", err);
}

static int open_pkg(uint64_t n)
{
	err[0] = '\0';
	return vmpkg_open_named(buf, n, "t.pkg", &pkg, err, sizeof(err));
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

static uint8_t *entry(unsigned i)
{
	return buf + VMPKG_HEADER_SIZE + i * VMPKG_ENTRY_SIZE;
}

#define EXPECT(rc, want, msg) do { int rc_ = (rc); \
	CHECK(rc_ == (want), "rc %d, want %d (%s)", rc_, (want), err); \
	CHECK(strstr(err, msg) && !strncmp(err, "t.pkg: ", 7), "message \"%s\" lacks \"%s\"", err, msg); \
	} while (0)

static void test_crc32(void)
{
	const char *fox = "The quick brown fox jumps over the lazy dog";
	CHECK(crc32_ieee("123456789", 9) == 0xcbf43926, "check value 0x%08x", crc32_ieee("123456789", 9));
	CHECK(crc32_ieee("", 0) == 0, "empty");
	CHECK(crc32_ieee(fox, strlen(fox)) == 0x414fa339, "fox 0x%08x", crc32_ieee(fox, strlen(fox)));
	CHECK(crc32_ieee_update(crc32_ieee(fox, 10), fox + 10, strlen(fox) - 10) == 0x414fa339,
	      "in two parts");
}

static void test_round_trip(void)
{
	struct vmpkg_entry e;
	build();
	CHECK(len % 64 == 0 && len == 64 + 3 * 80 + 16 + 64 + 5056, "size %lu", (unsigned long)len);
	CHECK(!memcmp(buf, "TSRAPKG", 8) && buf[8] == 1, "magic and version");
	CHECK(open_pkg(len) == 0, "open: %s", err);
	CHECK(pkg.count == 3 && pkg.size == len && pkg.base == buf, "count %u size %lu", pkg.count,
	      (unsigned long)pkg.size);
	for (uint32_t i = 0; i < 3; i++) {
		CHECK(vmpkg_entry_at(&pkg, i, &e) == 0, "entry %u", i);
		CHECK(!strcmp(e.name, inputs[i].name) && e.size == inputs[i].size, "entry %u: %s", i, e.name);
		CHECK(!memcmp(e.data, inputs[i].data, e.size), "entry %u data", i);
		CHECK((e.data - buf) % 64 == 0, "entry %u at %ld", i, (long)(e.data - buf));
		CHECK(e.crc == crc32_ieee(inputs[i].data, e.size), "entry %u crc", i);
	}
	CHECK(vmpkg_entry_at(&pkg, 3, &e) == E_NOENT, "entry past the end");
	CHECK(vmpkg_find(&pkg, "hello.bin", &e) == 0 && e.size == sizeof(kernel), "find");
	CHECK(vmpkg_find(&pkg, "hello", &e) == E_NOENT && vmpkg_find(&pkg, "", &e) < 0, "find absent");
	CHECK(vmpkg_is_config("hello.json") && !vmpkg_is_config("hello.bin") &&
	      !vmpkg_is_config(".json") && !vmpkg_is_config("json"), "is_config");
	CHECK(open_pkg(len + 100) == 0 && pkg.size == len, "a longer buffer (loader padding)");
	CHECK(vmpkg_open(buf, len, &pkg, err, sizeof(err)) == 0, "unnamed open");
}

static void test_any_alignment(void)
{
	static uint8_t odd[sizeof(buf) + 1];
	build();
	memcpy(odd + 1, buf, len);
	CHECK(vmpkg_open(odd + 1, len, &pkg, err, sizeof(err)) == 0, "at an odd address: %s", err);
	struct vmpkg_entry e;
	CHECK(vmpkg_find(&pkg, "hello.json", &e) == 0 && !memcmp(e.data, config, e.size), "read back");
}

static void test_empty_package(void)
{
	uint64_t n = vmpkg_write_size(inputs, 0);
	CHECK(n == 64 && vmpkg_write(buf, sizeof(buf), inputs, 0, err, sizeof(err)) == 0, "write");
	CHECK(open_pkg(n) == 0 && pkg.count == 0, "open an empty package: %s", err);
}

static void test_bad_magic(void)
{
	build();
	buf[3] ^= 0x20;
	EXPECT(open_pkg(len), E_FORMAT, "bad magic: not a tessera VM package");
	EXPECT(vmpkg_open_named(NULL, 0, "t.pkg", &pkg, err, sizeof(err)), E_TRUNC, "no package");
}

static void test_bad_version(void)
{
	build();
	put32(buf + 8, 2);
	EXPECT(open_pkg(len), E_VERSION, "unsupported format version 2 (this tessera reads version 1");
}

static void test_truncated(void)
{
	build();
	EXPECT(open_pkg(63), E_TRUNC, "truncated: 63 bytes, the header alone needs 64");
	EXPECT(open_pkg(len - 1), E_TRUNC, "truncated: the header says");
	put64(buf + 24, 64 + 80);
	vmpkg_seal(buf, sizeof(buf));
	EXPECT(open_pkg(len), E_TRUNC, "the header and a table of 3 entries need 304 bytes");
}

static void test_bad_header_fields(void)
{
	build();
	put32(buf + 12, 8);
	EXPECT(open_pkg(len), E_CORRUPT, "corrupt header: header size 8, entry size 80");
	build();
	put32(buf + 20, 100000);
	EXPECT(open_pkg(len), E_CORRUPT, "100000 entries, at most 256");
	build();
	entry(0)[0] ^= 1;   /* a table byte, checksum not updated */
	EXPECT(open_pkg(len), E_CRC, "header checksum mismatch (stored 0x");
}

static void test_entry_past_end(void)
{
	build();
	put64(entry(1) + 64, len);
	vmpkg_seal(buf, sizeof(buf));
	EXPECT(open_pkg(len), E_CORRUPT, "entry hello.bin: data past the end");
	build();
	put64(entry(1) + 56, 0xffffffffffffffc0ull);   /* offset + size wraps */
	vmpkg_seal(buf, sizeof(buf));
	EXPECT(open_pkg(len), E_CORRUPT, "entry hello.bin: data past the end (offset "
	       "0xffffffffffffffc0");
	build();
	put64(entry(2) + 56, 64);   /* inside the table */
	vmpkg_seal(buf, sizeof(buf));
	EXPECT(open_pkg(len), E_CORRUPT, "entry empty: offset 0x40 is not 64-byte aligned or lies");
	build();
	put64(entry(1) + 56, 0x181);
	vmpkg_seal(buf, sizeof(buf));
	EXPECT(open_pkg(len), E_CORRUPT, "entry hello.bin: offset 0x181");
}

static void test_overlapping_entries(void)
{
	uint8_t off[8];
	build();
	memcpy(off, entry(0) + 56, 8);
	memcpy(entry(1) + 56, off, 8);
	vmpkg_seal(buf, sizeof(buf));
	EXPECT(open_pkg(len), E_CORRUPT, "entries hello.json and hello.bin overlap");
	build();   /* an empty entry at the same offset overlaps nothing */
	memcpy(entry(2) + 56, off, 8);
	vmpkg_seal(buf, sizeof(buf));
	CHECK(open_pkg(len) == 0, "empty entry: %s", err);
}

static void test_checksum_mismatch(void)
{
	build();
	struct vmpkg_entry e;
	CHECK(open_pkg(len) == 0 && vmpkg_find(&pkg, "hello.bin", &e) == 0, "set-up");
	buf[e.data - buf + 4999] ^= 0x80;
	EXPECT(open_pkg(len), E_CRC, "entry hello.bin: checksum mismatch (stored 0x");
	build();
	put32(entry(0) + 72, 0x12345678);
	vmpkg_seal(buf, sizeof(buf));
	EXPECT(open_pkg(len), E_CRC, "entry hello.json: checksum mismatch (stored 0x12345678, computed");
}

/* tessera's boot: the structure at open, each entry's checksum when it is used. */
static void test_checksum_per_entry(void)
{
	build();
	struct vmpkg_entry e, other;
	CHECK(open_pkg(len) == 0 && vmpkg_find(&pkg, "hello.bin", &e) == 0, "set-up");
	buf[e.data - buf + 17] ^= 0x01;
	err[0] = '\0';
	CHECK(vmpkg_open_structure(buf, len, "t.pkg", &pkg, err, sizeof(err)) == 0,
	      "a data checksum failed the structure: %s", err);
	CHECK(vmpkg_find(&pkg, "hello.bin", &e) == 0 &&
	      vmpkg_check_entry(&pkg, &e, err, sizeof(err)) == E_CRC &&
	      strstr(err, "t.pkg: entry hello.bin: checksum mismatch (stored 0x"), "bad entry: %s", err);
	CHECK(vmpkg_find(&pkg, "hello.json", &other) == 0 &&
	      vmpkg_check_entry(&pkg, &other, err, sizeof(err)) == 0, "a good entry refused: %s", err);
	/* structural damage still fails the whole package */
	put32(entry(0) + 72, 0x12345678);
	CHECK(vmpkg_open_structure(buf, len, "t.pkg", &pkg, err, sizeof(err)) == E_CRC &&
	      strstr(err, "header checksum mismatch"), "table damage: %s", err);
}

static void test_bad_names(void)
{
	build();
	memcpy(entry(1), "hello.json", 11);
	vmpkg_seal(buf, sizeof(buf));
	EXPECT(open_pkg(len), E_CORRUPT, "duplicate entry name hello.json (entries 0 and 1)");
	build();
	memset(entry(1), 'x', VMPKG_NAME_MAX);
	vmpkg_seal(buf, sizeof(buf));
	EXPECT(open_pkg(len), E_CORRUPT, "entry 1: name is not NUL-terminated");
	build();
	entry(2)[0] = '\0';
	vmpkg_seal(buf, sizeof(buf));
	EXPECT(open_pkg(len), E_CORRUPT, "entry 2: name is empty");
	build();
	entry(2)[1] = '/';
	vmpkg_seal(buf, sizeof(buf));
	EXPECT(open_pkg(len), E_CORRUPT, "entry 2: name has a byte 0x2f");
}

/* Version 1 readers accept a longer header and longer entries (compatible growth). */
static void test_grown_header_accepted(void)
{
	memset(buf, 0, 1024);
	memcpy(buf, "TSRAPKG", 8);
	put32(buf + 8, 1);
	put32(buf + 12, 128);
	put32(buf + 16, 96);
	put32(buf + 20, 1);
	put64(buf + 24, 320);
	memcpy(buf + 128, "x.json", 7);
	put64(buf + 128 + 56, 256);
	put64(buf + 128 + 64, 11);
	memcpy(buf + 256, config, 11);
	put32(buf + 128 + 72, crc32_ieee(config, 11));
	vmpkg_seal(buf, sizeof(buf));
	struct vmpkg_entry e;
	CHECK(open_pkg(320) == 0 && vmpkg_find(&pkg, "x.json", &e) == 0 && e.size == 11, "%s", err);
}

static void test_writer_errors(void)
{
	static const struct vmpkg_input dup[] = { { "a", "1", 1 }, { "a", "2", 1 } };
	static const struct vmpkg_input longname[] = {
		{ "0123456789012345678901234567890123456789012345678901234567", "", 0 } };
	CHECK(vmpkg_write(buf, sizeof(buf), dup, 2, err, sizeof(err)) == E_CORRUPT &&
	      strstr(err, "a: two entries with this name"), "duplicate: %s", err);
	CHECK(vmpkg_write(buf, sizeof(buf), longname, 1, err, sizeof(err)) == E_CORRUPT &&
	      strstr(err, "entry names have 1 to 55 characters"), "long name: %s", err);
	CHECK(vmpkg_write(buf, 100, inputs, 3, err, sizeof(err)) == E_TRUNC &&
	      strstr(err, "the buffer has 100"), "small buffer: %s", err);
	build();
	CHECK(vmpkg_seal(buf, 63) == E_TRUNC && vmpkg_seal(buf, 303) == E_TRUNC &&
	      vmpkg_seal(buf, 304) == 0, "seal checks its length");
	put32(buf + 20, 0xffffffff);
	CHECK(vmpkg_seal(buf, sizeof(buf)) == E_TRUNC, "seal with a huge count");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s PREFIX\n", argv[0]);
		return 2;
	}
	const char *p = argv[1];
	RUN_CASE(p, test_crc32);
	RUN_CASE(p, test_round_trip);
	RUN_CASE(p, test_any_alignment);
	RUN_CASE(p, test_empty_package);
	RUN_CASE(p, test_bad_magic);
	RUN_CASE(p, test_bad_version);
	RUN_CASE(p, test_truncated);
	RUN_CASE(p, test_bad_header_fields);
	RUN_CASE(p, test_entry_past_end);
	RUN_CASE(p, test_overlapping_entries);
	RUN_CASE(p, test_checksum_mismatch);
	RUN_CASE(p, test_checksum_per_entry);
	RUN_CASE(p, test_bad_names);
	RUN_CASE(p, test_grown_header_accepted);
	RUN_CASE(p, test_writer_errors);
	return check_failures ? 1 : 0;
}
