/* RISC-V ISA extension sets: see isa.h. */
#include <string.h>
#include "partition/isa.h"

static const char *const names[ISA_NEXT] = {
	[ISA_I] = "i", [ISA_M] = "m", [ISA_A] = "a", [ISA_F] = "f", [ISA_D] = "d", [ISA_C] = "c",
	[ISA_V] = "v", [ISA_H] = "h",
	[ISA_ZICBOM] = "zicbom", [ISA_ZICBOP] = "zicbop", [ISA_ZICBOZ] = "zicboz",
	[ISA_ZICNTR] = "zicntr", [ISA_ZICOND] = "zicond", [ISA_ZICSR] = "zicsr",
	[ISA_ZIFENCEI] = "zifencei", [ISA_ZIHINTNTL] = "zihintntl",
	[ISA_ZIHINTPAUSE] = "zihintpause", [ISA_ZIHPM] = "zihpm", [ISA_ZMMUL] = "zmmul",
	[ISA_ZAAMO] = "zaamo", [ISA_ZACAS] = "zacas", [ISA_ZALRSC] = "zalrsc", [ISA_ZAWRS] = "zawrs",
	[ISA_ZFA] = "zfa", [ISA_ZFH] = "zfh", [ISA_ZFHMIN] = "zfhmin", [ISA_ZCA] = "zca",
	[ISA_ZCB] = "zcb", [ISA_ZCD] = "zcd", [ISA_ZBA] = "zba", [ISA_ZBB] = "zbb", [ISA_ZBC] = "zbc",
	[ISA_ZBS] = "zbs", [ISA_SMAIA] = "smaia", [ISA_SSAIA] = "ssaia", [ISA_SSCOFPMF] = "sscofpmf",
	[ISA_SSTC] = "sstc", [ISA_SVADU] = "svadu", [ISA_SVINVAL] = "svinval",
	[ISA_SVNAPOT] = "svnapot", [ISA_SVPBMT] = "svpbmt",
};

/*
 * Offered to guests: user-level compute extensions (FP state is switched per
 * vCPU, so F, D, Zfh and Zfa are safe), counters the hypervisor lets through
 * (time, cycle, instret), and supervisor extensions that need no hypervisor
 * support. Left out, each for a reason: H (tessera's), V (vector state is not
 * switched), Zihpm and Sscofpmf (no PMU for guests), Zicbom/Zicbop/Zicboz
 * (henvcfg does not enable them, and a guest needs their block sizes),
 * Zawrs (WRS traps like WFI and is not emulated), Svpbmt and Svadu (henvcfg
 * PBMTE/ADUE stay off), Smaia/Ssaia (guests get an emulated interrupt controller).
 */
#define GUEST_OK (ISA_BIT(ISA_I) | ISA_BIT(ISA_M) | ISA_BIT(ISA_A) | ISA_BIT(ISA_F) |          \
		  ISA_BIT(ISA_D) | ISA_BIT(ISA_C) | ISA_BIT(ISA_ZICNTR) | ISA_BIT(ISA_ZICOND) |    \
		  ISA_BIT(ISA_ZICSR) | ISA_BIT(ISA_ZIFENCEI) | ISA_BIT(ISA_ZIHINTNTL) |             \
		  ISA_BIT(ISA_ZIHINTPAUSE) | ISA_BIT(ISA_ZMMUL) | ISA_BIT(ISA_ZAAMO) |              \
		  ISA_BIT(ISA_ZACAS) | ISA_BIT(ISA_ZALRSC) | ISA_BIT(ISA_ZFA) | ISA_BIT(ISA_ZFH) |  \
		  ISA_BIT(ISA_ZFHMIN) | ISA_BIT(ISA_ZCA) | ISA_BIT(ISA_ZCB) | ISA_BIT(ISA_ZCD) |    \
		  ISA_BIT(ISA_ZBA) | ISA_BIT(ISA_ZBB) | ISA_BIT(ISA_ZBC) | ISA_BIT(ISA_ZBS) |       \
		  ISA_BIT(ISA_SVINVAL) | ISA_BIT(ISA_SVNAPOT))

const char *isa_name(enum isa_ext e)
{
	return (unsigned)e < ISA_NEXT ? names[e] : "?";
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The extension named by the n bytes at s, case-insensitively; -1 if unknown. */
static int lookup(const char *s, size_t n)
{
	for (int e = 0; e < ISA_NEXT; e++) {
		size_t k = strlen(names[e]);
		if (k != n)
			continue;
		size_t i = 0;
		while (i < n && lower(s[i]) == names[e][i])
			i++;
		if (i == n)
			return e;
	}
	return -1;
}

static void add(struct isa *out, const char *s, size_t n)
{
	int e = lookup(s, n);
	if (e >= 0)
		out->ext |= ISA_BIT(e);
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The length of a name without its version suffix: "zicsr2p0" -> 5, "zicsr2" -> 5. */
static size_t strip_version(const char *e, size_t n)
{
	size_t k = n;
	while (k && digit(e[k - 1]))
		k--;
	if (k < n && k > 1 && e[k - 1] == 'p') {
		size_t m = k - 1;
		while (m && digit(e[m - 1]))
			m--;
		if (m < k - 1)
			k = m;
	}
	return k;
}

void isa_parse_string(const char *s, struct isa *out)
{
	if (lower(s[0]) != 'r' || lower(s[1]) != 'v')
		return;
	if (!strncmp(s + 2, "64", 2))
		out->xlen = 64;
	else if (!strncmp(s + 2, "32", 2))
		out->xlen = 32;
	else
		return;
	const char *c = s + 4;
	/* single letters up to the first '_' ("g" is imafd_zicsr_zifencei); a
	 * letter followed by digits is a version number, skipped */
	for (; *c && *c != '_'; c++) {
		char l = lower(*c);
		if (digit(l))
			continue;
		if (l == 'p' && digit(c[-1]))
			continue;   /* "2p0": the 'p' of a version */
		if (l == 'g')
			out->ext |= ISA_BIT(ISA_I) | ISA_BIT(ISA_M) | ISA_BIT(ISA_A) | ISA_BIT(ISA_F) |
				    ISA_BIT(ISA_D) | ISA_BIT(ISA_ZICSR) | ISA_BIT(ISA_ZIFENCEI);
		else if (l == 'z' || l == 's' || l == 'x')
			break;      /* a multi-letter name without its '_' (ill-formed): stop */
		else
			add(out, &l, 1);
	}
	/* multi-letter names, '_'-separated; a trailing version ("zicsr2p0") is dropped */
	while (*c) {
		while (*c == '_')
			c++;
		const char *e = c;
		while (*c && *c != '_')
			c++;
		size_t n = strip_version(e, (size_t)(c - e));
		if (n > 1)
			add(out, e, n);
	}
}

void isa_parse_list(const char *list, size_t len, struct isa *out)
{
	size_t i = 0;
	while (i < len) {
		size_t n = strnlen(list + i, len - i);
		if (n)
			add(out, list + i, n);
		i += n + 1;
	}
}

struct isa isa_for_guest(const struct isa *host, bool sstc)
{
	struct isa g = { .xlen = host->xlen, .ext = host->ext & GUEST_OK };
	if (sstc && isa_has(host, ISA_SSTC))
		g.ext |= ISA_BIT(ISA_SSTC);
	return g;
}

size_t isa_format(const struct isa *isa, char *out, size_t outlen)
{
	size_t n = 0;
#define PUT(ch) do { if (n + 1 < outlen) out[n] = (ch); n++; } while (0)
	PUT('r');
	PUT('v');
	PUT(isa->xlen == 32 ? '3' : '6');
	PUT(isa->xlen == 32 ? '2' : '4');
	for (int e = 0; e < ISA_NEXT; e++) {
		if (!(isa->ext & ISA_BIT(e)))
			continue;
		if (names[e][1])
			PUT('_');
		for (const char *c = names[e]; *c; c++)
			PUT(*c);
	}
#undef PUT
	if (outlen)
		out[n < outlen ? n : outlen - 1] = '\0';
	return n;
}
