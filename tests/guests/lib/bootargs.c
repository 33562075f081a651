/* /chosen/bootargs of the device tree the guest was booted with (a1). */
#include "guest.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

const char *guest_bootargs(void)
{
	const uint8_t *fdt = (const uint8_t *)guest_boot_dtb;
	if (!fdt || be32(fdt) != 0xd00dfeed)
		return "";
	const uint8_t *s = fdt + be32(fdt + 8);
	const char *strings = (const char *)fdt + be32(fdt + 12);
	int depth = -1, in_chosen = 0;
	for (unsigned off = 0; off < be32(fdt + 36);) {
		uint32_t tag = be32(s + off);
		off += 4;
		if (tag == 1) {   /* begin node */
			const char *name = (const char *)s + off;
			depth++;
			in_chosen = depth == 1 && same(name, "chosen");
			off += (unsigned)(strlen(name) + 4) & ~3u;
		} else if (tag == 2) {
			depth--;
			in_chosen = 0;
		} else if (tag == 3) {
			uint32_t len = be32(s + off), nameoff = be32(s + off + 4);
			if (in_chosen && same(strings + nameoff, "bootargs"))
				return (const char *)s + off + 8;
			off += 8 + ((len + 3) & ~3u);
		} else if (tag != 4) {
			break;
		}
	}
	return "";
}

/* The value of "key=value" in the bootargs, copied into buf ("" if absent). */
const char *guest_bootarg(const char *key, char *buf, unsigned long len)
{
	const char *a = guest_bootargs();
	unsigned long k = strlen(key);
	buf[0] = '\0';
	for (; *a; a++) {
		if ((a == guest_bootargs() || a[-1] == ' ') && !memcmp(a, key, k) && a[k] == '=') {
			unsigned long n = 0;
			for (a += k + 1; *a && *a != ' ' && n + 1 < len; a++)
				buf[n++] = *a;
			buf[n] = '\0';
			break;
		}
	}
	return buf;
}

/* The decimal value of "key=N" in the bootargs, dflt if absent. */
unsigned long guest_bootarg_num(const char *key, unsigned long dflt)
{
	char buf[24];
	unsigned long v = 0;
	if (!guest_bootarg(key, buf, sizeof(buf))[0])
		return dflt;
	for (const char *c = buf; *c >= '0' && *c <= '9'; c++)
		v = v * 10 + (unsigned long)(*c - '0');
	return v;
}
