/*
 * A small strict JSON layer over jsmn: tokenise into a fixed token array,
 * check the grammar jsmn lets slip (separators, literals, numbers, control
 * characters, trailing text, nesting depth), then read values by token
 * index. Portable C, no allocation.
 */
#ifndef PARTITION_JSON_H
#define PARTITION_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* jsmn's types only; partition/json.c alone carries its (static) code. */
#ifndef JSMN_H
#define JSMN_HEADER
#include <jsmn.h>
#undef JSMN_HEADER
#endif
#include "core/errno.h"

#define JSON_MAX_TOKENS 256
#define JSON_MAX_DEPTH  8
#define JSON_MAX_LEN    (64 * 1024)

struct json {
	const char *js;
	size_t len;
	int ntok;
	jsmntok_t tok[JSON_MAX_TOKENS];
};

enum json_kind { JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_NUMBER, JSON_BOOL, JSON_NULL };

/* Results of reading numbers. */
#define JSON_NUM_OK    0
#define JSON_NUM_TYPE  (-1)  /* neither a number nor a string */
#define JSON_NUM_BAD   (-2)  /* a string that is not a number */
#define JSON_NUM_NEG   (-3)  /* negative */
#define JSON_NUM_FRAC  (-4)  /* fraction or exponent */
#define JSON_NUM_BIG   (-5)  /* does not fit in 64 bits */

/* Results of json_string. */
#define JSON_STR_LONG   (-1)  /* does not fit the buffer */
/* E_SYNTAX: \u0000 or a lone surrogate */

/*
 * Tokenise js[0..len) and check its syntax. The top-level value is token 0.
 * On failure returns -1 and writes "line L, column C: reason" (or just the
 * reason) into err.
 */
int json_load(struct json *d, const char *js, size_t len, char *err, size_t errlen);

enum json_kind json_kind(const struct json *d, int t);
const char *json_kind_name(enum json_kind k);
/* Members of an object, elements of an array, 0 otherwise. */
int json_count(const struct json *d, int t);
/* Index of the token after value t and everything nested in it. */
int json_next(const struct json *d, int t);
/* String token t, as written (no unescaping), equals s. */
bool json_eq(const struct json *d, int t, const char *s);
/* Unescaped string into buf (NUL-terminated); returns its length or JSON_STR_*. */
int json_string(const struct json *d, int t, char *buf, size_t size);
/* A JSON number that must be a non-negative integer. */
int json_uint(const struct json *d, int t, uint64_t *v);
/* A number, or a string holding decimal, 0x-hex, either with a K/M/G suffix. */
int json_quantity(const struct json *d, int t, uint64_t *v);
/* Parse text like "64M", "0x1000", "4096": JSON_NUM_OK or JSON_NUM_BAD/BIG. */
int json_parse_quantity(const char *s, size_t n, uint64_t *v);
/* Token t as written, for messages: quoted if a string, cut to fit with "...". */
void json_excerpt(const struct json *d, int t, char *buf, size_t size);

#endif
