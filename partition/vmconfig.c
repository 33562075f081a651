/* VM config parsing and the checks one file allows: see vmconfig.h, docs/config.md. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "partition/json.h"
#include "partition/vmconfig.h"

#define FIELD_LEN 64
#define KIB4 0xffful
#define GPA_LIMIT (1ull << VMCFG_GPA_BITS)
#define HPA_LIMIT (1ull << VMCFG_HPA_BITS)

/* Checks a value at a time here; between fields: vmcfg_check_vm() in vmplan.c. */

_Static_assert(VMCFG_MAX_TOKENS == JSON_MAX_TOKENS && VMCFG_MAX_DEPTH == JSON_MAX_DEPTH &&
	       VMCFG_MAX_JSON == JSON_MAX_LEN, /* NOLINT(misc-redundant-expression): equal by design */
	       "vmconfig.h and json.h limits differ");

struct ctx {
	const struct json *d;
	struct vmcfg *c;
	char *err;
	size_t errlen;
};

/* "<file>: <field>: <reason>" */
static int fail(struct ctx *x, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct ctx *x, int code, const char *field, const char *fmt, ...)
{
	int n = snprintf(x->err, x->errlen, "%s: %s: ", x->c->file, field);
	if (n > 0 && (size_t)n < x->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* buf (FIELD_LEN bytes) = a b c, cut to fit: paths are short, and a cut one still helps. */
static const char *concat(char *buf, const char *a, const char *b, const char *c)
{
	const char *parts[3] = { a, b, c };
	size_t n = 0;
	for (int i = 0; i < 3; i++)
		for (const char *p = parts[i]; *p && n + 1 < FIELD_LEN; p++)
			buf[n++] = *p;
	buf[n] = '\0';
	return buf;
}

/* "path.name" (just "name" at the top level) */
static const char *join(char *buf, const char *path, const char *name)
{
	return concat(buf, path, *path ? "." : "", name);
}

/* "path[i]" */
static const char *at_index(char *buf, const char *path, unsigned i)
{
	char num[16];
	snprintf(num, sizeof(num), "[%u]", i);
	return concat(buf, path, num, "");
}

/* ---- reading values ---- */

static int expect_kind(struct ctx *x, int t, enum json_kind want, const char *field)
{
	enum json_kind k = json_kind(x->d, t);
	if (k == want)
		return 0;
	return fail(x, E_FIELD, field, "must be %s, not %s", json_kind_name(want),
		    json_kind_name(k));
}

static int get_int(struct ctx *x, int t, const char *field, uint64_t min, uint64_t max,
		   uint64_t *v)
{
	char ex[32];
	int rc = json_uint(x->d, t, v);
	json_excerpt(x->d, t, ex, sizeof(ex));
	if (rc == JSON_NUM_TYPE)
		return fail(x, E_FIELD, field, "must be an integer, not %s",
			    json_kind_name(json_kind(x->d, t)));
	if (rc == JSON_NUM_FRAC)
		return fail(x, E_FIELD, field, "%s is not a whole number", ex);
	if (rc != JSON_NUM_OK || *v < min || *v > max)
		return fail(x, E_RANGE, field, "%s is out of range (%lu..%lu)", ex,
			    (unsigned long)min, (unsigned long)max);
	return 0;
}

/* Addresses and sizes: 123, "123", "0x80000000", "64M", "1G", "512K". */
static int get_quantity(struct ctx *x, int t, const char *field, uint64_t *v)
{
	char ex[40];
	int rc = json_quantity(x->d, t, v);
	json_excerpt(x->d, t, ex, sizeof(ex));
	switch (rc) {
	case JSON_NUM_OK:
		return 0;
	case JSON_NUM_TYPE:
		return fail(x, E_FIELD, field, "must be a number or a string like \"0x80000000\" "
			    "or \"64M\", not %s", json_kind_name(json_kind(x->d, t)));
	case JSON_NUM_BAD:
		return fail(x, E_FIELD, field, "%s is not a number (write decimal or 0x-hex, "
			    "optionally followed by K, M or G)", ex);
	case JSON_NUM_NEG:
		return fail(x, E_RANGE, field, "%s is negative", ex);
	case JSON_NUM_FRAC:
		return fail(x, E_FIELD, field, "%s is not a whole number", ex);
	default:
		return fail(x, E_RANGE, field, "%s does not fit in 64 bits", ex);
	}
}

/* Returns the string's length, or a negative VMCFG_E* code. */
static int get_string(struct ctx *x, int t, const char *field, char *buf, size_t size)
{
	int rc = expect_kind(x, t, JSON_STRING, field);
	if (rc)
		return rc;
	int n = json_string(x->d, t, buf, size);
	if (n == JSON_STR_LONG)
		return fail(x, E_RANGE, field, "longer than %u characters", (unsigned)size - 1);
	if (n < 0)
		return fail(x, E_RANGE, field, "contains \\u0000 or an unpaired surrogate");
	return n;
}

static int get_aligned(struct ctx *x, int t, const char *field, uint64_t *v)
{
	int rc = get_quantity(x, t, field, v);
	if (rc == 0 && (*v & KIB4))
		return fail(x, E_RANGE, field, "0x%lx is not 4 KiB aligned", (unsigned long)*v);
	return rc;
}

/* A string that must be one of opts (NULL-terminated): returns its index or a VMCFG_E* code. */
static int get_choice(struct ctx *x, int t, const char *field, const char *const *opts,
		      const char *expected)
{
	char ex[40];
	int rc = expect_kind(x, t, JSON_STRING, field);
	for (int i = 0; !rc && opts[i]; i++)
		if (json_eq(x->d, t, opts[i]))
			return i;
	json_excerpt(x->d, t, ex, sizeof(ex));
	return rc ? rc : fail(x, E_RANGE, field, "%s is not %s", ex, expected);
}

static bool in_set(char ch, const char *extra)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr(extra, ch));
}

/* Image names become package entry names: short, plain, never "*.json". */
static int get_image_name(struct ctx *x, int t, const char *field, char *buf)
{
	int n = get_string(x, t, field, buf, VMCFG_IMAGE_MAX);
	if (n < 0)
		return n;
	if (n == 0)
		return fail(x, E_RANGE, field, "must not be empty");
	if (n > VMCFG_IMAGE_NAME_LEN)
		return fail(x, E_RANGE, field, "longer than %d characters (the package entry name "
			    "limit)", VMCFG_IMAGE_NAME_LEN);
	for (int i = 0; i < n; i++)
		if (!in_set(buf[i], "._+-") || (i == 0 && buf[i] == '.'))
			return fail(x, E_RANGE, field, "\"%s\": character %d is not allowed (use "
				    "A-Z a-z 0-9 . _ + -, not starting with '.')", buf, i + 1);
	if (n >= 5 && !strcmp(buf + n - 5, ".json"))
		return fail(x, E_RANGE, field, "\"%s\": names ending in .json are configs, "
			    "not images", buf);
	return 0;
}

/* ---- walking objects ---- */

struct members {
	int next, left;
	unsigned seen;   /* bit i: names[i] was present */
};

static void members_init(const struct ctx *x, struct members *m, int obj)
{
	m->next = obj + 1;
	m->left = json_count(x->d, obj);
	m->seen = 0;
}

/* Next member: 1 with *which (index in names) and *val set, 0 at the end,
 * or a E_FIELD for an unknown or repeated field. */
static int member_next(struct ctx *x, struct members *m, const char *path,
		       const char *const *names, int *which, int *val)
{
	char f[FIELD_LEN];
	if (m->left == 0)
		return 0;
	int key = m->next;
	*val = key + 1;
	m->next = json_next(x->d, *val);
	m->left--;
	for (int i = 0; names[i]; i++) {
		if (!json_eq(x->d, key, names[i]))
			continue;
		if (m->seen & 1u << i)
			return fail(x, E_FIELD, join(f, path, names[i]), "given twice");
		m->seen |= 1u << i;
		*which = i;
		return 1;
	}
	char kname[32], known[128];
	if (json_string(x->d, key, kname, sizeof(kname)) < 0)
		snprintf(kname, sizeof(kname), "(a long key)");
	size_t n = 0;
	for (int i = 0; names[i] && n < sizeof(known); i++)
		n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s", i == 0 ? "" :
				      names[i + 1] ? ", " : " or ", names[i]);
	return fail(x, E_FIELD, join(f, path, kname), "unknown field (expected %s)", known);
}

/* Start walking an object's members, after checking it is one. */
static int get_object(struct ctx *x, int t, const char *path, struct members *m)
{
	members_init(x, m, t);
	return expect_kind(x, t, JSON_OBJECT, path);
}

/* An array of min..max elements: returns its length, or a VMCFG_E* code. */
static int get_array(struct ctx *x, int t, const char *field, unsigned min, unsigned max,
		     const char *what)
{
	int rc = expect_kind(x, t, JSON_ARRAY, field);
	unsigned n = (unsigned)json_count(x->d, t);
	if (rc == 0 && min == 0 && n > max)
		return fail(x, E_RANGE, field, "%u %s, at most %u are allowed", n, what, max);
	if (rc == 0 && (n < min || n > max))
		return fail(x, E_RANGE, field, "%u %s; give %u to %u", n, what, min, max);
	return rc ? rc : (int)n;
}

static int require(struct ctx *x, const struct members *m, unsigned mask, const char *path,
		   const char *const *names)
{
	char f[FIELD_LEN];
	for (int i = 0; names[i]; i++)
		if ((mask & 1u << i) && !(m->seen & 1u << i))
			return fail(x, E_FIELD, join(f, path, names[i]), "required field missing");
	return 0;
}

/* ---- the fields ---- */

static int parse_name(struct ctx *x, int t)
{
	char *name = x->c->name;
	int n = get_string(x, t, "name", name, VMCFG_NAME_MAX);
	if (n < 0)
		return n;
	if (n == 0)
		return fail(x, E_RANGE, "name", "must not be empty");
	for (int i = 0; i < n; i++)
		if (!in_set(name[i], "_-"))
			return fail(x, E_RANGE, "name", "\"%s\": character %d is not allowed "
				    "(use A-Z a-z 0-9 _ -)", name, i + 1);
	return 0;
}

static int parse_affinity(struct ctx *x, int t)
{
	char f[FIELD_LEN];
	int n = get_array(x, t, "affinity", 0, VMCFG_MAX_VCPUS, "entries"), el = t + 1;
	for (int i = 0; i < n; i++, el = json_next(x->d, el)) {
		uint64_t core;
		int rc;
		if ((rc = get_int(x, el, at_index(f, "affinity", (unsigned)i), 0, UINT32_MAX, &core)))
			return rc;
		x->c->affinity[i] = (uint32_t)core;
	}
	x->c->naffinity = n > 0 ? (unsigned)n : 0;
	return n < 0 ? n : 0;
}

static int parse_memory(struct ctx *x, int t)
{
	static const char *const names[] = { "gpa", "size", NULL };
	char path[FIELD_LEN], f[FIELD_LEN];
	int n = get_array(x, t, "memory", 1, VMCFG_MAX_MEM, "regions"), el = t + 1;
	for (int i = 0; i < n; i++, el = json_next(x->d, el)) {
		struct vmcfg_region *r = &x->c->mem[i];
		struct members m;
		int which, val, rc;
		if ((rc = get_object(x, el, at_index(path, "memory", (unsigned)i), &m)))
			return rc;
		while ((rc = member_next(x, &m, path, names, &which, &val)) > 0)
			if ((rc = get_aligned(x, val, join(f, path, names[which]),
					      which == 0 ? &r->gpa : &r->size)))
				return rc;
		if (rc || (rc = require(x, &m, 3, path, names)))
			return rc;
		if (r->size == 0)
			return fail(x, E_RANGE, join(f, path, "size"), "must not be 0");
		if (r->size > GPA_LIMIT || r->gpa > GPA_LIMIT - r->size)
			return fail(x, E_RANGE, path, "0x%lx + 0x%lx ends beyond the %d-bit guest "
				    "physical address space (Sv39x4)", (unsigned long)r->gpa,
				    (unsigned long)r->size, VMCFG_GPA_BITS);
		x->c->nmem = (unsigned)i + 1;
	}
	return n < 0 ? n : 0;
}

static int parse_image(struct ctx *x, int t, const char *path, struct vmcfg_image *img,
		       bool kernel)
{
	static const char *const names[] = { "image", "gpa", "entry", NULL };
	static const char *const initrd_names[] = { "image", "gpa", NULL };
	const char *const *fields = kernel ? names : initrd_names;
	char f[FIELD_LEN];
	struct members m;
	int rc = get_object(x, t, path, &m), which, val;
	if (rc)
		return rc;
	while ((rc = member_next(x, &m, path, fields, &which, &val)) > 0) {
		join(f, path, fields[which]);
		if (which == 0)
			rc = get_image_name(x, val, f, img->image);
		else if (which == 1)
			rc = get_aligned(x, val, f, &img->gpa);
		else if ((rc = get_quantity(x, val, f, &img->entry)) == 0 && (img->entry & 1))
			rc = fail(x, E_RANGE, f, "0x%lx is not 2-byte aligned",
				  (unsigned long)img->entry);
		if (rc)
			return rc;
	}
	if (rc || (rc = require(x, &m, 1, path, fields)))
		return rc;
	img->present = true;
	img->has_gpa = m.seen & 2;
	img->has_entry = m.seen & 4;
	return 0;
}

/*
 * "console": "sbi" (default), {"uart16550": GPA} or {"pl011": GPA}: an
 * emulated 16550 or Arm PL011 at GPA (one 4 KiB page).
 */
static int parse_console(struct ctx *x, int t)
{
	static const char *const names[] = { "uart16550", "pl011", NULL };
	static const char *const fields[] = { "console.uart16550", "console.pl011" };
	static const char *const expected = "\"sbi\", {\"uart16550\": GPA} or {\"pl011\": GPA}";
	enum json_kind k = json_kind(x->d, t);
	int rc, which = 0, val;
	if (k == JSON_OBJECT) {
		struct members m;
		members_init(x, &m, t);
		while ((rc = member_next(x, &m, "console", names, &which, &val)) > 0)
			if ((rc = get_aligned(x, val, fields[which], &x->c->console_gpa)))
				return rc;
		if (rc)
			return rc;
		if (m.seen != 1 && m.seen != 2)
			return fail(x, E_FIELD, "console", "must name one UART: %s", expected);
		which = m.seen == 2;
		if (x->c->console_gpa > GPA_LIMIT - 0x1000)
			return fail(x, E_RANGE, fields[which], "0x%lx is beyond the %d-bit "
				    "guest physical address space", (unsigned long)x->c->console_gpa,
				    VMCFG_GPA_BITS);
		x->c->console = which ? VMCFG_CONSOLE_PL011 : VMCFG_CONSOLE_UART16550;
		return 0;
	}
	static const char *const kinds[] = { "sbi", NULL };
	if (k != JSON_STRING)
		return fail(x, E_FIELD, "console", "must be %s, not %s", expected, json_kind_name(k));
	rc = get_choice(x, t, "console", kinds, expected);
	if (rc < 0)
		return rc;
	x->c->console = VMCFG_CONSOLE_SBI;
	return 0;
}

static int parse_dtb(struct ctx *x, int t)
{
	static const char *const names[] = { "image", NULL };
	enum json_kind k = json_kind(x->d, t);
	int rc, which, val;
	if (k == JSON_OBJECT) {
		struct members m;
		members_init(x, &m, t);
		while ((rc = member_next(x, &m, "dtb", names, &which, &val)) > 0)
			if ((rc = get_image_name(x, val, "dtb.image", x->c->dtb_image)))
				return rc;
		if (rc || (rc = require(x, &m, 1, "dtb", names)))
			return rc;
		x->c->dtb = VMCFG_DTB_IMAGE;
		return 0;
	}
	static const char *const kinds[] = { "generate", "none", NULL };
	if (k != JSON_STRING)
		return fail(x, E_FIELD, "dtb", "must be \"generate\", \"none\" or "
			    "{\"image\": NAME}, not %s", json_kind_name(k));
	rc = get_choice(x, t, "dtb", kinds, "\"generate\", \"none\" or {\"image\": NAME}");
	if (rc < 0)
		return rc;
	x->c->dtb = rc == 0 ? VMCFG_DTB_GENERATE : VMCFG_DTB_NONE;
	return 0;
}

static int parse_mmio(struct ctx *x, int t, const char *path, struct vmcfg_device *dev)
{
	static const char *const names[] = { "hpa", "gpa", "size", NULL };
	char f[FIELD_LEN];
	struct members m;
	int rc = get_object(x, t, path, &m), which, val;
	if (rc)
		return rc;
	while ((rc = member_next(x, &m, path, names, &which, &val)) > 0)
		if ((rc = get_aligned(x, val, join(f, path, names[which]),
				      which == 0 ? &dev->hpa : which == 1 ? &dev->gpa : &dev->size)))
			return rc;
	if (rc || (rc = require(x, &m, 7, path, names)))
		return rc;
	if (dev->size == 0)
		return fail(x, E_RANGE, join(f, path, "size"), "must not be 0");
	if (dev->size > GPA_LIMIT || dev->gpa > GPA_LIMIT - dev->size)
		return fail(x, E_RANGE, path, "gpa 0x%lx + size 0x%lx ends beyond the %d-bit "
			    "guest physical address space", (unsigned long)dev->gpa,
			    (unsigned long)dev->size, VMCFG_GPA_BITS);
	if (dev->size > HPA_LIMIT || dev->hpa > HPA_LIMIT - dev->size)
		return fail(x, E_RANGE, path, "hpa 0x%lx + size 0x%lx ends beyond the %d-bit "
			    "physical address space", (unsigned long)dev->hpa,
			    (unsigned long)dev->size, VMCFG_HPA_BITS);
	dev->kind = VMCFG_DEV_MMIO;
	return 0;
}

static int parse_device(struct ctx *x, int t, const char *path, struct vmcfg_device *dev)
{
	static const char *const names[] = { "passthrough", "mmio", NULL };
	char f[FIELD_LEN];
	struct members m;
	int rc = get_object(x, t, path, &m), which, val;
	if (rc)
		return rc;
	while ((rc = member_next(x, &m, path, names, &which, &val)) > 0) {
		join(f, path, names[which]);
		if (which == 1) {
			rc = parse_mmio(x, val, f, dev);
		} else if ((rc = get_string(x, val, f, dev->path, VMCFG_PATH_MAX)) >= 0) {
			rc = 0;
			dev->kind = VMCFG_DEV_PASSTHROUGH;
			for (const char *p = dev->path; *p && !rc; p++)
				if (*p <= ' ' || *p >= 0x7f)
					rc = fail(x, E_RANGE, f, "spaces and control characters "
						  "are not allowed in a device tree path");
			if (!rc && (dev->path[0] != '/' || dev->path[1] == '\0'))
				rc = fail(x, E_RANGE, f, "\"%s\" must be a host device tree path "
					  "like \"/soc/serial@10000000\"", dev->path);
		}
		if (rc)
			return rc;
	}
	if (rc)
		return rc;
	if (m.seen != 1 && m.seen != 2)
		return fail(x, E_FIELD, path, "needs exactly one of \"passthrough\" or \"mmio\"");
	return 0;
}

static int parse_devices(struct ctx *x, int t)
{
	char path[FIELD_LEN];
	int n = get_array(x, t, "devices", 0, VMCFG_MAX_DEVICES, "devices"), el = t + 1;
	for (int i = 0; i < n; i++, el = json_next(x->d, el)) {
		int rc = parse_device(x, el, at_index(path, "devices", (unsigned)i), &x->c->devices[i]);
		if (rc)
			return rc;
	}
	x->c->ndevices = n > 0 ? (unsigned)n : 0;
	return n < 0 ? n : 0;
}

enum { F_ID, F_NAME, F_VCPUS, F_AFFINITY, F_MEMORY, F_KERNEL, F_INITRD, F_DTB, F_BOOTARGS,
       F_DEVICES, F_ON_FAULT, F_CONSOLE };
static const char *const root_fields[] = { "id", "name", "vcpus", "affinity", "memory", "kernel",
					   "initrd", "dtb", "bootargs", "devices", "on_fault",
					   "console", NULL };
#define ROOT_REQUIRED (1u << F_ID | 1u << F_NAME | 1u << F_VCPUS | 1u << F_MEMORY | 1u << F_KERNEL)

static int parse_root(struct ctx *x, struct members *m)
{
	struct vmcfg *c = x->c;
	int rc, which, val;
	uint64_t v;
	members_init(x, m, 0);
	while ((rc = member_next(x, m, "", root_fields, &which, &val)) > 0) {
		switch (which) {
		case F_ID:
			rc = get_int(x, val, "id", 0, 255, &v);
			c->id = (uint32_t)v;
			break;
		case F_NAME:
			rc = parse_name(x, val);
			break;
		case F_VCPUS:
			rc = get_int(x, val, "vcpus", 1, VMCFG_MAX_VCPUS, &v);
			c->vcpus = (uint32_t)v;
			break;
		case F_AFFINITY:
			rc = parse_affinity(x, val);
			break;
		case F_MEMORY:
			rc = parse_memory(x, val);
			break;
		case F_KERNEL:
			rc = parse_image(x, val, "kernel", &c->kernel, true);
			break;
		case F_INITRD:
			rc = parse_image(x, val, "initrd", &c->initrd, false);
			break;
		case F_DTB:
			rc = parse_dtb(x, val);
			break;
		case F_BOOTARGS:
			rc = get_string(x, val, "bootargs", c->bootargs, VMCFG_BOOTARGS_MAX);
			rc = rc > 0 ? 0 : rc;
			break;
		case F_DEVICES:
			rc = parse_devices(x, val);
			break;
		case F_CONSOLE:
			rc = parse_console(x, val);
			break;
		default: {
			static const char *const faults[] = { "stop", "reboot", NULL };
			rc = get_choice(x, val, "on_fault", faults, "\"stop\" or \"reboot\"");
			c->on_fault = rc == 1 ? VMCFG_FAULT_REBOOT : VMCFG_FAULT_STOP;
			rc = rc > 0 ? 0 : rc;
			break;
		}
		}
		if (rc)
			return rc;
	}
	return rc ? rc : require(x, m, ROOT_REQUIRED, "", root_fields);
}

/* Defaults that depend on other fields. */
static void set_defaults(struct vmcfg *c, const struct members *m)
{
	if (!(m->seen & 1u << F_AFFINITY)) {
		c->affinity_default = true;
		c->naffinity = c->vcpus;
		for (unsigned i = 0; i < c->vcpus; i++)
			c->affinity[i] = i;
	}
	if (!c->kernel.has_gpa)
		c->kernel.gpa = c->mem[0].gpa + VMCFG_KERNEL_OFFSET;
	if (!c->kernel.has_entry)
		c->kernel.entry = c->kernel.gpa;
}

int vmcfg_parse(const char *json, size_t len, const char *file, struct vmcfg *out,
		char *err, size_t errlen)
{
	struct json doc;
	struct members m;
	struct ctx x = { &doc, out, err, errlen };
	memset(out, 0, sizeof(*out));
	snprintf(out->file, sizeof(out->file), "%s", file ? file : "config");
	if (json_load(&doc, json, len, err, errlen)) {
		char why[VMCFG_ERR_LEN];
		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "%s: %s", out->file, why);
		return E_SYNTAX;
	}
	if (json_kind(&doc, 0) != JSON_OBJECT)
		return fail(&x, E_FIELD, "(top level)", "must be an object { ... }, not %s",
			    json_kind_name(json_kind(&doc, 0)));
	int rc = parse_root(&x, &m);
	if (rc)
		return rc;
	set_defaults(out, &m);
	return vmcfg_check_vm(out, err, errlen);
}
