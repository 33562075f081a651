/*
 * Shared helpers of the libFuzzer targets in tests/fuzz/: a failed property
 * check aborts (libFuzzer then saves the input), and error buffers are
 * checked for NUL termination and for writes past the length handed over.
 */
#ifndef TESTS_FUZZ_COMMON_H
#define TESTS_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A property the code under test must keep: print where and why, then abort. */
#define FUZZ_CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: fuzz check failed: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fprintf(stderr, "\n"); \
		abort(); \
	} } while (0)

/*
 * An error buffer: `len` bytes handed to the code, followed by a guard the
 * code must never touch. The whole thing starts filled with a pattern so a
 * missing terminator shows.
 */
#define FUZZ_ERR_GUARD 32
#define FUZZ_ERR_FILL  0xa5

struct fuzz_err {
	size_t len;
	char buf[512 + FUZZ_ERR_GUARD];
};

static inline char *fuzz_err_reset(struct fuzz_err *e, size_t len)
{
	if (len > sizeof(e->buf) - FUZZ_ERR_GUARD)
		len = sizeof(e->buf) - FUZZ_ERR_GUARD;
	e->len = len;
	memset(e->buf, FUZZ_ERR_FILL, sizeof(e->buf));
	return e->buf;
}

/* The guard is intact; if `written`, the message is a NUL-terminated string inside len. */
static inline void fuzz_err_check(const struct fuzz_err *e, int written, const char *what)
{
	for (size_t i = e->len; i < e->len + FUZZ_ERR_GUARD; i++)
		FUZZ_CHECK((uint8_t)e->buf[i] == FUZZ_ERR_FILL,
			   "%s: byte %zu written past the %zu-byte error buffer", what, i, e->len);
	if (!written)
		return;
	const char *nul = memchr(e->buf, '\0', e->len);
	FUZZ_CHECK(nul != NULL, "%s: error message not NUL-terminated within %zu bytes", what, e->len);
	FUZZ_CHECK(strlen(e->buf) < e->len, "%s: message length", what);
}

/* A copy of the input in a heap block of exactly its size (ASan sees any read past it). */
static inline uint8_t *fuzz_dup(const uint8_t *data, size_t size)
{
	uint8_t *p = malloc(size ? size : 1);
	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);
	return p;
}

/* [a, a + an) and [b, b + bn) overlap; no wrap-around (128-bit sums). */
static inline int fuzz_overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return an && bn && (unsigned __int128)a < (unsigned __int128)b + bn &&
	       (unsigned __int128)b < (unsigned __int128)a + an;
}

/* [a, a + an) lies inside [r, r + rn). */
static inline int fuzz_inside(uint64_t a, uint64_t an, uint64_t r, uint64_t rn)
{
	return a >= r && (unsigned __int128)a + an <= (unsigned __int128)r + rn;
}

/* A string field of a struct is NUL-terminated inside its array. */
#define FUZZ_CHECK_STR(arr, what) \
	FUZZ_CHECK(memchr((arr), '\0', sizeof(arr)) != NULL, "%s not NUL-terminated", what)

#endif
