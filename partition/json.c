/* Strict JSON over jsmn: see json.h. The only file that compiles jsmn's code. */
#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "partition/json.h"

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Token extent including a string's quotes. */
static size_t raw_start(const struct json *d, int t)
{
	return (size_t)d->tok[t].start - (d->tok[t].type == JSMN_STRING);
}

static size_t raw_end(const struct json *d, int t)
{
	return (size_t)d->tok[t].end + (d->tok[t].type == JSMN_STRING);
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* "line L, column C: <what is at js[at]>: why" */
static int fail_at(const struct json *d, size_t at, char *err, size_t errlen, const char *why)
{
	unsigned line = 1, col = 1;
	for (size_t i = 0; i < at && i < d->len; i++, col++)
		if (d->js[i] == '\n')
			line++, col = 0;
	char what[24];
	if (at >= d->len)
		snprintf(what, sizeof(what), "end of text");
	else if (d->js[at] > ' ' && d->js[at] < 0x7f)
		snprintf(what, sizeof(what), "'%c'", d->js[at]);
	else
		snprintf(what, sizeof(what), "byte 0x%x", (unsigned)(uint8_t)d->js[at]);
	return fail(err, errlen, "line %u, column %u: %s: %s", line, col, what, why);
}

/* jsmn has no depth limit of its own; a cheap scan keeps configs shallow. */
static bool too_deep(const char *js, size_t len, size_t *at)
{
	int depth = 0;
	bool in_str = false, esc = false;
	for (size_t i = 0; i < len && js[i]; i++) {
		char c = js[i];
		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > JSON_MAX_DEPTH) {
				*at = i;
				return true;
			}
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return false;
}

static bool valid_number(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i >= n || !is_digit(s[i]))
		return false;
	if (s[i++] != '0')
		while (i < n && is_digit(s[i]))
			i++;
	if (i < n && s[i] == '.') {
		if (++i >= n || !is_digit(s[i]))
			return false;
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !is_digit(s[i]))
			return false;
		while (i < n && is_digit(s[i]))
			i++;
	}
	return i == n;
}

/* The text between tokens: whitespace, with exactly one `sep` if sep != 0.
 * Returns the offset of the first wrong byte (`to` if sep is missing), or
 * to + 1 if all is well. */
static size_t check_gap(const struct json *d, size_t from, size_t to, char sep)
{
	bool seen = false;
	for (size_t i = from; i < to; i++) {
		if (is_ws(d->js[i]))
			continue;
		if (sep && !seen && d->js[i] == sep)
			seen = true;
		else
			return i;
	}
	return sep && !seen ? to : to + 1;
}

/* A leaf token: valid literal or number, or a string without raw control characters. */
static int check_leaf(const struct json *d, int t, char *err, size_t errlen)
{
	const jsmntok_t *k = &d->tok[t];
	const char *s = d->js + k->start;
	size_t n = (size_t)(k->end - k->start);
	if (k->type == JSMN_STRING) {
		for (size_t i = 0; i < n; i++)
			if ((uint8_t)s[i] < 0x20)
				return fail_at(d, (size_t)k->start + i, err, errlen,
					       "control character inside a string (write it as \\n, \\t, ...)");
		return 0;
	}
	if ((n == 4 && !memcmp(s, "true", 4)) || (n == 5 && !memcmp(s, "false", 5)) ||
	    (n == 4 && !memcmp(s, "null", 4)) || valid_number(s, n))
		return 0;
	return fail_at(d, (size_t)k->start, err, errlen, "not a valid number, true, false or null");
}

/* Walk the tokens in document order with an explicit stack (no recursion),
 * checking what jsmn does not: separators, keys, leaves, trailing text. */
static int check_syntax(const struct json *d, char *err, size_t errlen)
{
	struct frame { int tok, left, item; bool obj; } st[JSON_MAX_DEPTH + 1];
	int depth = 0, t = 0;
	size_t pos = 0, bad;
	for (;;) {
		if (depth > 0 && st[depth - 1].left == 0) {
			size_t close = (size_t)d->tok[st[depth - 1].tok].end - 1;
			if ((bad = check_gap(d, pos, close, 0)) != close + 1)
				return fail_at(d, bad, err, errlen, "unexpected here");
			pos = close + 1;
			if (--depth == 0)
				break;
			continue;
		}
		if (t >= d->ntok)
			return fail_at(d, pos, err, errlen, "unexpected end of JSON");
		const jsmntok_t *k = &d->tok[t];
		char sep = 0;
		bool key = false;
		if (depth > 0) {
			struct frame *f = &st[depth - 1];
			key = f->obj && f->item % 2 == 0;
			sep = f->item == 0 ? 0 : f->obj && !key ? ':' : ',';
			f->item++;
			f->left--;
		}
		size_t start = raw_start(d, t);
		if ((bad = check_gap(d, pos, start, sep)) != start + 1)
			return fail_at(d, bad, err, errlen, sep == ':' ? "expected ':'" :
				       sep ? "expected ','" : "unexpected here");
		if (key && (k->type != JSMN_STRING || k->size != 1))
			return fail_at(d, start, err, errlen, "expected a \"key\": value pair");
		if (k->type == JSMN_OBJECT || k->type == JSMN_ARRAY) {
			if (depth == JSON_MAX_DEPTH + 1)
				return fail_at(d, start, err, errlen, "nested too deeply");
			st[depth++] = (struct frame){ t, k->type == JSMN_OBJECT ? 2 * k->size : k->size,
						      0, k->type == JSMN_OBJECT };
			pos = start + 1;
			t++;
			continue;
		}
		if (!key && k->size != 0)
			return fail_at(d, raw_end(d, t), err, errlen, "unexpected here");
		if (check_leaf(d, t, err, errlen))
			return -1;
		pos = raw_end(d, t);
		t++;
		if (depth == 0)
			break;
	}
	if ((bad = check_gap(d, pos, d->len, 0)) != d->len + 1 || t != d->ntok)
		return fail_at(d, bad <= d->len ? bad : pos, err, errlen,
			       "text after the end of the top-level value");
	return 0;
}

int json_load(struct json *d, const char *js, size_t len, char *err, size_t errlen)
{
	d->js = js;
	d->len = len;
	d->ntok = 0;
	if (len > JSON_MAX_LEN)
		return fail(err, errlen, "%lu bytes, more than the %d allowed", (unsigned long)len,
			    JSON_MAX_LEN);
	size_t at;
	if (too_deep(js, len, &at))
		return fail_at(d, at, err, errlen, "objects and arrays nested more than 8 deep");
	jsmn_parser p;
	jsmn_init(&p);
	int r = jsmn_parse(&p, js, len, d->tok, JSON_MAX_TOKENS);
	if (r == JSMN_ERROR_NOMEM)
		return fail(err, errlen, "more than %d JSON tokens (keys and values): too large",
			    JSON_MAX_TOKENS);
	if (r == JSMN_ERROR_PART)
		return fail(err, errlen, "truncated JSON: the text ends inside a string, object or array");
	if (r == JSMN_ERROR_INVAL)
		return fail_at(d, p.pos, err, errlen,
			       p.pos < len && js[p.pos] == '"' ? "bad escape sequence in this string"
							       : "not valid JSON here");
	if (r <= 0)
		return fail(err, errlen, "no JSON value (empty file)");
	d->ntok = r;
	return check_syntax(d, err, errlen);
}

enum json_kind json_kind(const struct json *d, int t)
{
	switch (d->tok[t].type) {
	case JSMN_OBJECT:
		return JSON_OBJECT;
	case JSMN_ARRAY:
		return JSON_ARRAY;
	case JSMN_STRING:
		return JSON_STRING;
	default:
		break;
	}
	char c = d->js[d->tok[t].start];
	return c == 't' || c == 'f' ? JSON_BOOL : c == 'n' ? JSON_NULL : JSON_NUMBER;
}

const char *json_kind_name(enum json_kind k)
{
	static const char *const names[] = { "an object", "an array", "a string", "a number",
					     "a boolean", "null" };
	return names[k];
}

int json_count(const struct json *d, int t)
{
	enum json_kind k = json_kind(d, t);
	return k == JSON_OBJECT || k == JSON_ARRAY ? d->tok[t].size : 0;
}

int json_next(const struct json *d, int t)
{
	int pending = 1;
	while (pending > 0 && t < d->ntok)
		pending += d->tok[t++].size - 1;
	return t;
}

bool json_eq(const struct json *d, int t, const char *s)
{
	size_t n = (size_t)(d->tok[t].end - d->tok[t].start);
	return d->tok[t].type == JSMN_STRING && strlen(s) == n &&
	       !memcmp(d->js + d->tok[t].start, s, n);
}

static uint32_t hex4(const char *s)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v = v << 4 | (uint32_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

int json_string(const struct json *d, int t, char *buf, size_t size)
{
	const char *s = d->js + d->tok[t].start, *end = d->js + d->tok[t].end;
	size_t n = 0;
	uint8_t enc[4];
	while (s < end) {
		size_t m = 1;
		enc[0] = (uint8_t)*s++;
		if (enc[0] == '\\') {   /* jsmn has checked the escapes, \u has 4 hex digits */
			char e = *s++;
			if (e != 'u') {
				const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
				enc[0] = (uint8_t)to[strchr(from, e) - from];
			} else {
				uint32_t cp = hex4(s);
				s += 4;
				if (cp >= 0xd800 && cp < 0xdc00 && end - s >= 6 && s[0] == '\\' &&
				    s[1] == 'u' && hex4(s + 2) >= 0xdc00 && hex4(s + 2) < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (hex4(s + 2) - 0xdc00);
					s += 6;
				}
				if (cp == 0 || (cp >= 0xd800 && cp < 0xe000))
					return E_SYNTAX;
				if (cp < 0x80) {
					enc[0] = (uint8_t)cp;
				} else if (cp < 0x800) {
					enc[0] = (uint8_t)(0xc0 | cp >> 6);
					enc[1] = (uint8_t)(0x80 | (cp & 0x3f));
					m = 2;
				} else if (cp < 0x10000) {
					enc[0] = (uint8_t)(0xe0 | cp >> 12);
					enc[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
					enc[2] = (uint8_t)(0x80 | (cp & 0x3f));
					m = 3;
				} else {
					enc[0] = (uint8_t)(0xf0 | cp >> 18);
					enc[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
					enc[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
					enc[3] = (uint8_t)(0x80 | (cp & 0x3f));
					m = 4;
				}
			}
		}
		if (n + m >= size)
			return JSON_STR_LONG;
		memcpy(buf + n, enc, m);
		n += m;
	}
	if (size == 0)
		return JSON_STR_LONG;
	buf[n] = '\0';
	return (int)n;
}

int json_uint(const struct json *d, int t, uint64_t *v)
{
	if (json_kind(d, t) != JSON_NUMBER)
		return JSON_NUM_TYPE;
	const char *s = d->js + d->tok[t].start;
	size_t n = (size_t)(d->tok[t].end - d->tok[t].start);
	if (s[0] == '-')
		return JSON_NUM_NEG;
	if (memchr(s, '.', n) || memchr(s, 'e', n) || memchr(s, 'E', n))
		return JSON_NUM_FRAC;
	return json_parse_quantity(s, n, v) == JSON_NUM_BIG ? JSON_NUM_BIG : JSON_NUM_OK;
}

int json_parse_quantity(const char *s, size_t n, uint64_t *v)
{
	size_t i = 0, first;
	unsigned base = 10;
	uint64_t x = 0;
	if (n > 0 && s[0] == '-')
		return JSON_NUM_NEG;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for (first = i; i < n; i++) {
		char c = s[i];
		unsigned dig;
		if (is_digit(c))
			dig = (unsigned)(c - '0');
		else if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			dig = (unsigned)((c | 0x20) - 'a' + 10);
		else
			break;
		if (x > (UINT64_MAX - dig) / base)
			return JSON_NUM_BIG;
		x = x * base + dig;
	}
	if (i == first)
		return JSON_NUM_BAD;
	if (i < n) {
		unsigned shift = s[i] == 'K' ? 10 : s[i] == 'M' ? 20 : s[i] == 'G' ? 30 : 0;
		if (!shift || i + 1 != n)
			return JSON_NUM_BAD;
		if (x > UINT64_MAX >> shift)
			return JSON_NUM_BIG;
		x <<= shift;
	}
	*v = x;
	return JSON_NUM_OK;
}

int json_quantity(const struct json *d, int t, uint64_t *v)
{
	enum json_kind k = json_kind(d, t);
	if (k == JSON_NUMBER)
		return json_uint(d, t, v);
	if (k != JSON_STRING)
		return JSON_NUM_TYPE;
	const char *s = d->js + d->tok[t].start;
	return json_parse_quantity(s, (size_t)(d->tok[t].end - d->tok[t].start), v);
}

void json_excerpt(const struct json *d, int t, char *buf, size_t size)
{
	size_t from = raw_start(d, t), to = raw_end(d, t), n = 0;
	if (size < 8) {
		if (size)
			buf[0] = '\0';
		return;
	}
	for (size_t i = from; i < to; i++) {
		if (n + 1 >= size - 3 && i + 1 < to) {
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
		char c = d->js[i];
		buf[n++] = c >= ' ' && c < 0x7f ? c : '?';
	}
	buf[n] = '\0';
}
