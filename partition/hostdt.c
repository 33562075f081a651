/* Host device tree reading with libfdt: see hostdt.h. */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "partition/hostdt.h"
#include "partition/irqc_dt.h"

#define FAIL(code, ...) do { snprintf(err, errlen, __VA_ARGS__); return (code); } while (0)

/*
 * libfdt has no parent links and no index: each parent, phandle, path or
 * compatible lookup walks the tree from the start (every tag of it), and
 * QEMU's trees have dozens of device nodes. hostdt_read walks the tree once
 * (check_structure) and keeps every node's offset, parent, name, phandle,
 * compatible and device_type here, so those lookups are searches in a small
 * table. A tree with more nodes than fit, or a lookup in another tree, falls
 * back to libfdt; the answers are libfdt's either way (tests/host/).
 */
#define INDEX_MAX 512
struct ix_node {
	int off, parent;               /* parent: an index, -1 for the root */
	uint32_t phandle;
	uint16_t namelen, compat_len, type_len;
	const char *name, *compat, *type;   /* compat/type: the property values, NULL if absent */
	const char *reg;                    /* its reg, NULL if absent */
	uint32_t reg_len;
	int acells, scells;                 /* #address-cells, #size-cells as fdt_cells reads them */
};
static struct {
	const void *fdt;
	bool complete;
	int n;
	struct ix_node node[INDEX_MAX];
} ix;

static bool ix_usable(const void *fdt)
{
	return ix.fdt == fdt && ix.complete;
}

static int ix_find(const void *fdt, int node)
{
	if (!ix_usable(fdt))
		return -1;
	int lo = 0, hi = ix.n - 1;
	while (lo <= hi) {   /* offsets were recorded in increasing order */
		int mid = (lo + hi) / 2;
		if (ix.node[mid].off == node)
			return mid;
		if (ix.node[mid].off < node)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* The first index entry whose offset is above `after`. */
static int ix_after(int after)
{
	int lo = 0, hi = ix.n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (ix.node[mid].off > after)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int node_parent(const void *fdt, int node)
{
	int i = ix_find(fdt, node);
	if (i < 0)
		return fdt_parent_offset(fdt, node);
	return ix.node[i].parent >= 0 ? ix.node[ix.node[i].parent].off : -FDT_ERR_NOTFOUND;
}

static int node_by_phandle(const void *fdt, uint32_t phandle)
{
	if (!ix_usable(fdt))
		return fdt_node_offset_by_phandle(fdt, phandle);
	if (phandle == 0 || phandle == ~0u)
		return -FDT_ERR_BADPHANDLE;
	for (int i = 0; i < ix.n; i++)
		if (ix.node[i].phandle == phandle)
			return ix.node[i].off;
	return -FDT_ERR_NOTFOUND;
}

/* The next node after `after` (-1: from the start) that is compatible with compat. */
static int node_by_compatible(const void *fdt, int after, const char *compat)
{
	if (!ix_usable(fdt))
		return fdt_node_offset_by_compatible(fdt, after, compat);
	for (int i = ix_after(after); i < ix.n; i++)
		if (ix.node[i].compat && fdt_stringlist_contains(ix.node[i].compat, ix.node[i].compat_len, compat))
			return ix.node[i].off;
	return -FDT_ERR_NOTFOUND;
}

/* libfdt's fdt_nodename_eq_: "name" also matches "name@unit" when it has no '@' itself. */
static bool ix_name_eq(const struct ix_node *n, const char *s, int len)
{
	if (n->namelen < len || memcmp(n->name, s, (size_t)len) != 0)
		return false;
	return n->namelen == len || (n->name[len] == '@' && !memchr(s, '@', (size_t)len));
}

/* fdt_path_offset_namelen from the index: absolute paths (aliases go to libfdt). */
static int path_offset(const void *fdt, const char *path, int len)
{
	if (!ix_usable(fdt) || len <= 0 || path[0] != '/' || ix.n == 0 || ix.node[0].off != 0)
		return fdt_path_offset_namelen(fdt, path, len);
	int pos = 0, cur = 0;
	while (pos < len) {
		while (path[pos] == '/') {
			if (++pos == len)
				return ix.node[cur].off;
		}
		int end = pos;
		while (end < len && path[end] != '/')
			end++;
		/* cur's subtree follows it; its first entry past the subtree has a parent before cur */
		int found = -1;
		for (int i = cur + 1; i < ix.n && ix.node[i].parent >= cur; i++)
			if (ix.node[i].parent == cur && ix_name_eq(&ix.node[i], path + pos, end - pos)) {
				found = i;
				break;
			}
		if (found < 0)
			return -FDT_ERR_NOTFOUND;
		cur = found;
		pos = end;
	}
	return ix.node[cur].off;
}

/* fdt_get_path from the index. */
static int get_path(const void *fdt, int node, char *buf, int buflen)
{
	int i = ix_find(fdt, node), chain[64], depth = 0;
	if (i < 0 || buflen < 2)
		return fdt_get_path(fdt, node, buf, buflen);
	for (; i > 0 && depth < 64; i = ix.node[i].parent)
		chain[depth++] = i;
	if (i != 0 || ix.node[0].off != 0)
		return fdt_get_path(fdt, node, buf, buflen);
	int pos = 0;
	while (depth--) {
		const struct ix_node *n = &ix.node[chain[depth]];
		if (pos + 1 + n->namelen >= buflen)
			return -FDT_ERR_NOSPACE;
		buf[pos++] = '/';
		memcpy(buf + pos, n->name, n->namelen);
		pos += n->namelen;
	}
	if (pos == 0)
		buf[pos++] = '/';
	buf[pos] = '\0';
	return 0;
}

int hostdt_node_by_compatible(const void *fdt, int after, const char *compat)
{
	return node_by_compatible(fdt, after, compat);
}

int hostdt_path_offset(const void *fdt, const char *path)
{
	return path_offset(fdt, path, (int)strlen(path));
}

int hostdt_parent_offset(const void *fdt, int node)
{
	return node_parent(fdt, node);
}

int hostdt_get_path(const void *fdt, int node, char *buf, int buflen)
{
	return get_path(fdt, node, buf, buflen);
}

static uint64_t read_cells(const fdt32_t *cell, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_ld(&cell[i]);
	return v;
}

/* The idx-th (address, size) pair of a node's reg, using its parent's cells. */
static int read_reg(const void *fdt, int node, int idx, uint64_t *base, uint64_t *size)
{
	int ac, sc, len, i = ix_find(fdt, node);
	const fdt32_t *reg;
	if (i >= 0) {   /* fdt_address_cells, fdt_size_cells and getprop, from the index */
		const struct ix_node *n = &ix.node[i];
		if (n->parent < 0)
			return -FDT_ERR_NOTFOUND;
		const struct ix_node *parent = &ix.node[n->parent];
		ac = parent->acells == -FDT_ERR_NOTFOUND ? 2 : parent->acells ? parent->acells : -FDT_ERR_BADNCELLS;
		sc = parent->scells == -FDT_ERR_NOTFOUND ? 1 : parent->scells;
		reg = (const fdt32_t *)(const void *)n->reg;
		len = n->reg ? (int)n->reg_len : -FDT_ERR_NOTFOUND;
	} else {
		int parent = node_parent(fdt, node);
		if (parent < 0)
			return parent;
		ac = fdt_address_cells(fdt, parent);
		sc = fdt_size_cells(fdt, parent);
		reg = fdt_getprop(fdt, node, "reg", &len);
	}
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return -FDT_ERR_BADNCELLS;
	if (!reg)
		return len < 0 ? len : -FDT_ERR_INTERNAL;   /* libfdt sets len < 0 then */
	int stride = (ac + sc) * (int)sizeof(fdt32_t);
	if (len % stride || (idx + 1) * stride > len)
		return -FDT_ERR_NOTFOUND;
	reg += idx * (ac + sc);
	*base = read_cells(reg, ac);
	*size = sc ? read_cells(reg + ac, sc) : 0;
	return 0;
}

static bool node_enabled(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);
	return !s || !strcmp(s, "okay") || !strcmp(s, "ok");
}

static bool read_u32_or_u64(const void *fdt, int node, const char *name, uint64_t *out)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);
	if (!v || (len != 4 && len != 8))
		return false;
	*out = read_cells(v, len / 4);
	return true;
}

static uint32_t prop_u32(const void *fdt, int node, const char *name, uint32_t dflt)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);
	return v && len == 4 ? fdt32_ld(v) : dflt;
}

/*
 * A hart's extensions: the riscv,isa-extensions string list where the tree
 * has one (with riscv,isa-base for the width), else the riscv,isa string.
 * Strings the blob does not terminate are not read.
 */
static void read_isa(const void *fdt, int node, struct isa *isa)
{
	int len;
	const char *list = fdt_getprop(fdt, node, "riscv,isa-extensions", &len);
	*isa = (struct isa){ 0 };
	if (list && len > 0 && list[len - 1] == '\0') {
		int blen;
		const char *base = fdt_getprop(fdt, node, "riscv,isa-base", &blen);
		if (base && blen > 0 && base[blen - 1] == '\0')
			isa_parse_string(base, isa);
		isa->ext = 0;   /* the base names only the width; the list names every extension */
		isa_parse_list(list, (size_t)len, isa);
		if (isa->xlen)
			return;
	}
	const char *s = fdt_getprop(fdt, node, "riscv,isa", &len);
	if (s && len > 0 && s[len - 1] == '\0') {
		uint64_t from_list = isa->ext;
		isa_parse_string(s, isa);
		isa->ext |= from_list;
	}
}

int hostdt_node_reg(const void *fdt, const char *path, uint64_t *base, uint64_t *size)
{
	int node = hostdt_path_offset(fdt, path);
	if (node < 0)
		return node;
	return read_reg(fdt, node, 0, base, size);
}

bool hostdt_bootarg(const struct host_platform *p, const char *word)
{
	size_t n = strlen(word);
	if (n == 0)
		return false;   /* the empty word is in every string, and strstr would not move */
	for (const char *c = p->bootargs; (c = strstr(c, word)) != NULL; c += n)
		if ((c == p->bootargs || c[-1] == ' ') && (c[n] == ' ' || c[n] == '\0'))
			return true;
	return false;
}

static int read_harts(const void *fdt, uint64_t boot_hartid, struct host_platform *p,
		      char *err, size_t errlen)
{
	int cpus = hostdt_path_offset(fdt, "/cpus");
	if (cpus < 0)
		FAIL(E_MISSING, "/cpus: node missing (%s)", fdt_strerror(cpus));
	uint64_t tb = 0;
	bool have_tb = read_u32_or_u64(fdt, cpus, "timebase-frequency", &tb);
	int ac = fdt_address_cells(fdt, cpus);
	if (ac < 1 || ac > 2)
		FAIL(E_INVAL, "/cpus: #address-cells is %d, want 1 or 2", ac);

	p->boot_index = -1;
	int node;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *dt = fdt_getprop(fdt, node, "device_type", NULL);
		if (!dt || strcmp(dt, "cpu") != 0 || !node_enabled(fdt, node))
			continue;
		int len;
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len != ac * 4)
			FAIL(E_INVAL, "/cpus/%s: reg missing or not %d cells",
			     fdt_get_name(fdt, node, NULL), ac);
		if (p->nharts == HOSTDT_MAX_HARTS)
			FAIL(E_NOSPC, "/cpus: more than %d harts", HOSTDT_MAX_HARTS);
		uint64_t hartid = read_cells(reg, ac);
		if (hartid == boot_hartid) {
			p->boot_index = (int)p->nharts;
			read_isa(fdt, node, &p->boot_isa);
			const char *mmu = fdt_getprop(fdt, node, "mmu-type", NULL);
			snprintf(p->mmu_type, sizeof(p->mmu_type), "%s", mmu ? mmu : "");
		}
		if (!have_tb)
			have_tb = read_u32_or_u64(fdt, node, "timebase-frequency", &tb);
		p->hartid[p->nharts++] = hartid;
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		FAIL(E_CORRUPT, "/cpus: %s", fdt_strerror(node));
	if (p->nharts == 0)
		FAIL(E_MISSING, "/cpus: no enabled cpu nodes");
	if (p->boot_index < 0)
		FAIL(E_MISSING, "/cpus: boot hart %lu is not among the enabled cpus",
		     (unsigned long)boot_hartid);
	if (!have_tb || tb == 0) {
		/* Arm: the generic timer's counter says it (CNTFRQ), unless the tree overrides it */
		int timer = node_by_compatible(fdt, -1, "arm,armv8-timer");
		if (timer < 0)
			FAIL(E_MISSING, "/cpus: timebase-frequency missing or zero");
		if (!read_u32_or_u64(fdt, timer, "clock-frequency", &tb) || tb == 0) {
			p->timebase_from_counter = true;
			return 0;
		}
	}
	/* slices, timeouts and the watchdog are whole ticks: below 1 kHz they round to none */
	if (tb < HOSTDT_MIN_TIMEBASE || tb > HOSTDT_MAX_TIMEBASE)
		FAIL(E_INVAL, "/cpus: timebase-frequency %lu Hz is outside %u Hz .. %lu Hz",
		     (unsigned long)tb, HOSTDT_MIN_TIMEBASE, (unsigned long)HOSTDT_MAX_TIMEBASE);
	p->timebase_hz = tb;
	return 0;
}

/* The next node after `after` whose device_type is type. */
static int node_by_device_type(const void *fdt, int after, const char *type)
{
	if (!ix_usable(fdt))
		return fdt_node_offset_by_prop_value(fdt, after, "device_type", type, (int)strlen(type) + 1);
	size_t len = strlen(type) + 1;
	for (int i = ix_after(after); i < ix.n; i++)
		if (ix.node[i].type && ix.node[i].type_len == len && !memcmp(ix.node[i].type, type, len))
			return ix.node[i].off;
	return -FDT_ERR_NOTFOUND;
}

static int read_memory(const void *fdt, struct host_platform *p, char *err, size_t errlen)
{
	int node = -1;
	while ((node = node_by_device_type(fdt, node, "memory")) >= 0) {
		if (!node_enabled(fdt, node))
			continue;
		for (int i = 0;; i++) {
			uint64_t base, size;
			int rc = read_reg(fdt, node, i, &base, &size);
			if (rc == -FDT_ERR_NOTFOUND && i > 0)
				break;
			if (rc < 0)
				FAIL(E_INVAL, "/%s: reg: %s", fdt_get_name(fdt, node, NULL),
				     fdt_strerror(rc));
			if (size == 0)
				continue;
			if (p->nram == HOSTDT_MAX_RAM)
				FAIL(E_NOSPC, "memory: more than %d RAM regions", HOSTDT_MAX_RAM);
			p->ram[p->nram++] = (struct hostdt_region){ base, size };
		}
	}
	if (p->nram == 0)
		FAIL(E_MISSING, "/memory: no memory node with a non-empty reg");
	return 0;
}

static int add_reserved(struct host_platform *p, uint64_t base, uint64_t size,
			char *err, size_t errlen)
{
	if (p->nreserved == HOSTDT_MAX_RESERVED)
		FAIL(E_NOSPC, "/reserved-memory: more than %d regions", HOSTDT_MAX_RESERVED);
	p->reserved[p->nreserved++] = (struct hostdt_region){ base, size };
	return 0;
}

static int read_reserved(const void *fdt, struct host_platform *p, char *err, size_t errlen)
{
	int n = fdt_num_mem_rsv(fdt);
	for (int i = 0; i < n; i++) {
		uint64_t base, size;
		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0 && size &&
		    add_reserved(p, base, size, err, errlen))
			return E_NOSPC;
	}
	int rm = hostdt_path_offset(fdt, "/reserved-memory");
	if (rm < 0)
		return 0;
	int node;
	fdt_for_each_subnode(node, fdt, rm) {
		uint64_t base, size;
		if (!node_enabled(fdt, node) || read_reg(fdt, node, 0, &base, &size) < 0)
			continue;  /* dynamic (size-only) reservations carry no fixed range */
		if (add_reserved(p, base, size, err, errlen))
			return E_NOSPC;
	}
	return 0;
}

static const char *const uart_compatibles[] = { "ns16550a", "ns16550", "snps,dw-apb-uart", "arm,pl011" };

static const char *uart_compatible(const void *fdt, int node)
{
	for (size_t i = 0; i < sizeof(uart_compatibles) / sizeof(uart_compatibles[0]); i++)
		if (fdt_node_check_compatible(fdt, node, uart_compatibles[i]) == 0)
			return uart_compatibles[i];
	return NULL;
}

/* The console UART: /chosen/stdout-path first, else the first 16550 found. */
static int read_uart(const void *fdt, struct host_platform *p, char *err, size_t errlen)
{
	int node = -FDT_ERR_NOTFOUND;
	int chosen = hostdt_path_offset(fdt, "/chosen");
	if (chosen >= 0) {
		int len;
		const char *path = fdt_getprop(fdt, chosen, "stdout-path", &len);
		if (path && len > 0) {
			const char *colon = memchr(path, ':', (size_t)len);
			int plen = colon ? (int)(colon - path) : (int)strnlen(path, (size_t)len);
			node = path_offset(fdt, path, plen);
		}
	}
	if (node < 0 || !uart_compatible(fdt, node) || !node_enabled(fdt, node)) {
		node = -1;
		for (size_t i = 0; i < sizeof(uart_compatibles) / sizeof(uart_compatibles[0]); i++) {
			node = node_by_compatible(fdt, -1, uart_compatibles[i]);
			while (node >= 0 && !node_enabled(fdt, node))
				node = node_by_compatible(fdt, node, uart_compatibles[i]);
			if (node >= 0)
				break;
		}
	}
	if (node < 0)
		return 0;  /* no UART: the caller falls back to the SBI console */
	struct hostdt_uart *u = &p->uart;
	int rc = read_reg(fdt, node, 0, &u->base, &u->size);
	if (rc < 0)
		FAIL(E_INVAL, "%s: reg: %s", fdt_get_name(fdt, node, NULL), fdt_strerror(rc));
	u->reg_shift = prop_u32(fdt, node, "reg-shift", 0);
	u->reg_io_width = prop_u32(fdt, node, "reg-io-width", 1);
	u->clock_hz = prop_u32(fdt, node, "clock-frequency", 0);
	if (u->reg_shift > 3 || (u->reg_io_width != 1 && u->reg_io_width != 4))
		FAIL(E_INVAL, "%s: reg-shift %u / reg-io-width %u not supported",
		     fdt_get_name(fdt, node, NULL), u->reg_shift, u->reg_io_width);
	snprintf(u->compatible, sizeof(u->compatible), "%s", uart_compatible(fdt, node));
	if (get_path(fdt, node, u->path, sizeof(u->path)) < 0)
		snprintf(u->path, sizeof(u->path), "%s", fdt_get_name(fdt, node, NULL));
	u->present = true;
	return 0;
}

/* ---- for the interrupt controllers' readers (partition/irqc_dt.h) ---- */

int hostdt_read_reg(const void *fdt, int node, int idx, uint64_t *base, uint64_t *size)
{
	return read_reg(fdt, node, idx, base, size);
}

uint32_t hostdt_prop_u32(const void *fdt, int node, const char *name, uint32_t dflt)
{
	return prop_u32(fdt, node, name, dflt);
}

int hostdt_hart_of_intc(const void *fdt, uint32_t phandle, uint64_t *hartid)
{
	int intc = node_by_phandle(fdt, phandle);
	int cpu = intc >= 0 ? node_parent(fdt, intc) : intc;
	int len = 0;
	const fdt32_t *reg = cpu >= 0 ? fdt_getprop(fdt, cpu, "reg", &len) : NULL;
	if (!reg || (len != 4 && len != 8))
		return E_INVAL;
	*hartid = read_cells(reg, len / 4);
	return 0;
}

static int read_poweroff(const void *fdt, struct host_platform *p, char *err, size_t errlen)
{
	int node = node_by_compatible(fdt, -1, "sifive,test1");
	if (node < 0)
		node = node_by_compatible(fdt, -1, "sifive,test0");
	uint64_t size;
	if (node < 0 || !node_enabled(fdt, node))
		return 0;
	int rc = read_reg(fdt, node, 0, &p->poweroff.base, &size);
	if (rc < 0)
		FAIL(E_INVAL, "%s: reg: %s", fdt_get_name(fdt, node, NULL), fdt_strerror(rc));
	p->poweroff.present = true;
	return 0;
}

static int read_kept(const void *fdt, struct host_platform *p, char *err, size_t errlen)
{
	for (unsigned c = 0; hostdt_kept_compatibles[c]; c++) {
		for (int node = node_by_compatible(fdt, -1, hostdt_kept_compatibles[c]); node >= 0;
		     node = node_by_compatible(fdt, node, hostdt_kept_compatibles[c])) {
			uint64_t base, size;
			for (int i = 0; read_reg(fdt, node, i, &base, &size) == 0; i++) {
				bool seen = false;
				for (unsigned k = 0; k < p->nkept; k++)
					seen |= p->kept[k].base == base && p->kept[k].size == size;
				if (seen)
					continue;   /* a node with two of the compatibles */
				if (p->nkept == HOSTDT_MAX_KEPT)
					FAIL(E_NOSPC, "more than %d controller ranges", HOSTDT_MAX_KEPT);
				p->kept[p->nkept].base = base;
				p->kept[p->nkept].size = size;
				snprintf(p->kept[p->nkept].what, sizeof(p->kept[0].what), "%s",
					 fdt_get_name(fdt, node, NULL));
				p->nkept++;
			}
		}
	}
	return 0;
}

static bool overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return a < b + bn && b < a + an;
}

int hostdt_check_vm_range(const struct host_platform *p, uint64_t base, uint64_t size,
			  bool console_passed, char *what, size_t whatlen)
{
	if (size == 0 || base + size < base) {
		snprintf(what, whatlen, "an empty or wrapping range");
		return E_INVAL;
	}
	for (unsigned i = 0; i < p->nram; i++)
		if (overlaps(base, size, p->ram[i].base, p->ram[i].size)) {
			snprintf(what, whatlen, "host RAM (0x%lx+0x%lx: tessera, the firmware and "
				 "every VM's memory)", (unsigned long)p->ram[i].base,
				 (unsigned long)p->ram[i].size);
			return E_INVAL;
		}
	for (unsigned i = 0; i < p->nreserved; i++)
		if (overlaps(base, size, p->reserved[i].base, p->reserved[i].size)) {
			snprintf(what, whatlen, "reserved memory 0x%lx+0x%lx",
				 (unsigned long)p->reserved[i].base, (unsigned long)p->reserved[i].size);
			return E_INVAL;
		}
	for (unsigned i = 0; i < p->nkept; i++)
		if (overlaps(base, size, p->kept[i].base, p->kept[i].size)) {
			snprintf(what, whatlen, "the host's %s, which tessera keeps", p->kept[i].what);
			return E_INVAL;
		}
	if (p->uart.present && !console_passed && overlaps(base, size, p->uart.base, p->uart.size)) {
		snprintf(what, whatlen, "the console UART %s (pass its node to give it to a VM)",
			 p->uart.path);
		return E_INVAL;
	}
	return 0;
}

int hostdt_node_reg_at(const void *fdt, const char *path, int idx, uint64_t *base, uint64_t *size)
{
	int node = hostdt_path_offset(fdt, path);
	if (node < 0)
		return node;
	return read_reg(fdt, node, idx, base, size);
}

static int read_initrd(const void *fdt, struct host_platform *p, char *err, size_t errlen)
{
	int chosen = hostdt_path_offset(fdt, "/chosen");
	uint64_t start, end;
	if (chosen < 0 || !read_u32_or_u64(fdt, chosen, "linux,initrd-start", &start))
		return 0;
	if (!read_u32_or_u64(fdt, chosen, "linux,initrd-end", &end) || end < start)
		FAIL(E_INVAL, "/chosen: linux,initrd-end missing or before linux,initrd-start");
	p->initrd.present = true;
	p->initrd.start = start;
	p->initrd.end = end;
	return 0;
}

/* Arm: how PSCI is called (/psci method), "" if the tree has no /psci. */
static void read_psci(const void *fdt, struct host_platform *p)
{
	int node = hostdt_path_offset(fdt, "/psci");
	const char *m = node >= 0 ? fdt_getprop(fdt, node, "method", NULL) : NULL;
	snprintf(p->psci_method, sizeof(p->psci_method), "%s", m ? m : "");
}

static void read_bootargs(const void *fdt, struct host_platform *p)
{
	int chosen = hostdt_path_offset(fdt, "/chosen");
	const char *args = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", NULL) : NULL;
	snprintf(p->bootargs, sizeof(p->bootargs), "%s", args ? args : "");
}

/*
 * What the index keeps of a node's properties: the first phandle (4 bytes,
 * named phandle or linux,phandle), compatible, device_type, reg,
 * #address-cells and #size-cells (libfdt's getprop finds the first of a
 * name). Property names are looked up once per string offset (dtc shares
 * each name's string), in a small cache.
 */
enum { PROP_OTHER = 1, PROP_PHANDLE, PROP_COMPAT, PROP_TYPE, PROP_REG, PROP_ACELLS, PROP_SCELLS };
static struct {
	const void *fdt;
	uint32_t nameoff[64];
	uint8_t kind[64];
} names;

static unsigned prop_kind(const void *fdt, uint32_t nameoff)
{
	unsigned slot = nameoff % 64;
	if (names.fdt == fdt && names.kind[slot] && names.nameoff[slot] == nameoff)
		return names.kind[slot];
	const char *name = fdt_string(fdt, (int)nameoff);
	unsigned kind = !name ? PROP_OTHER
		: !strcmp(name, "phandle") || !strcmp(name, "linux,phandle") ? PROP_PHANDLE
		: !strcmp(name, "compatible") ? PROP_COMPAT
		: !strcmp(name, "device_type") ? PROP_TYPE
		: !strcmp(name, "reg") ? PROP_REG
		: !strcmp(name, "#address-cells") ? PROP_ACELLS
		: !strcmp(name, "#size-cells") ? PROP_SCELLS : PROP_OTHER;
	if (name) {
		names.nameoff[slot] = nameoff;
		names.kind[slot] = (uint8_t)kind;
	}
	return kind;
}

/* libfdt's fdt_cells: the value, or -FDT_ERR_BADNCELLS */
static int cells_value(const char *val, uint32_t plen)
{
	uint32_t v = plen == 4 ? fdt32_ld((const fdt32_t *)(const void *)val) : ~0u;
	return v > FDT_MAX_NCELLS ? -FDT_ERR_BADNCELLS : (int)v;
}

static void ix_prop(const void *fdt, struct ix_node *n, uint32_t nameoff, const char *val, uint32_t plen)
{
	switch (prop_kind(fdt, nameoff)) {
	case PROP_PHANDLE:
		if (plen == 4 && !n->phandle)
			n->phandle = fdt32_ld((const fdt32_t *)(const void *)val);
		break;
	case PROP_COMPAT:
		if (!n->compat && plen <= 0xffff) {
			n->compat = val;
			n->compat_len = (uint16_t)plen;
		}
		break;
	case PROP_TYPE:
		if (!n->type && plen <= 0xffff) {
			n->type = val;
			n->type_len = (uint16_t)plen;
		}
		break;
	case PROP_REG:
		if (!n->reg) {
			n->reg = val;
			n->reg_len = plen;
		}
		break;
	case PROP_ACELLS:
		if (n->acells == -FDT_ERR_NOTFOUND)
			n->acells = cells_value(val, plen);
		break;
	case PROP_SCELLS:
		if (n->scells == -FDT_ERR_NOTFOUND)
			n->scells = cells_value(val, plen);
		break;
	default:
		break;
	}
}

/*
 * The structure block walks to FDT_END, nodes nested, each tag after the one
 * before, each property's length inside the block. This libfdt does not
 * catch a length that wraps round (fdt_next_tag then goes back or stays,
 * and every walk loops), getprop hands such a length back negative, string
 * values need not hold their NUL and fdt_stringlist_contains reads a byte
 * past a value; in a tree that walks, a tag (first byte 0) follows every value.
 * The walk reads the block itself, with fdt_next_tag's checks but not its
 * bounds check of every byte of every name, and fills the index as it goes.
 */
static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int check_structure(const void *fdt)
{
	int depth = 0, stack[64];
	ix.fdt = fdt;
	ix.complete = false;
	ix.n = 0;
	memset(&names, 0, sizeof(names));
	names.fdt = fdt;
	bool fits = true, old = fdt_version(fdt) < 0x10;   /* before v16, values of 8+ bytes are 8-aligned */
	/* fdt_check_header has put the block inside the blob */
	const uint8_t *blk = (const uint8_t *)fdt + fdt_off_dt_struct(fdt);
	uint64_t limit = fdt_totalsize(fdt) - fdt_off_dt_struct(fdt);
	if (fdt_version(fdt) >= 0x11 && fdt_size_dt_struct(fdt) < limit)
		limit = fdt_size_dt_struct(fdt);
	if (limit > 0x7fffffff)
		return -FDT_ERR_TRUNCATED;   /* libfdt's offsets are ints */
	for (uint64_t off = 0, next;; off = (next + 3) & ~3ull) {
		if (off + 4 > limit)
			return -FDT_ERR_BADSTRUCTURE;   /* no FDT_END */
		uint32_t tag = be32_at(blk + off);
		if (tag == FDT_PROP) {
			/* tag, len, nameoff, value: read bytewise, a blob's block need not be aligned */
			if (depth == 0 || off + 12 > limit)
				return -FDT_ERR_BADSTRUCTURE;
			uint32_t plen = be32_at(blk + off + 4);
			uint64_t val = off + 12;
			if (old && plen >= 8 && val % 8)
				val += 4;
			next = val + plen;
			if (next > limit)
				return -FDT_ERR_BADSTRUCTURE;
			if (fits && ix.n > 0)
				ix_prop(fdt, &ix.node[stack[depth - 1]], be32_at(blk + off + 8),
					(const char *)blk + val, plen);
		} else if (tag == FDT_BEGIN_NODE) {
			/* the root is nameless and no name holds a '/': libfdt's path
			 * walks (fdt_get_path) assume both and read out of bounds otherwise */
			const char *name = (const char *)blk + off + 4;
			const char *nul = memchr(name, '\0', (size_t)(limit - off - 4));
			if (!nul)
				return -FDT_ERR_BADSTRUCTURE;
			size_t nlen = (size_t)(nul - name);
			if ((depth == 0 && nlen != 0) || memchr(name, '/', nlen))
				return -FDT_ERR_BADSTRUCTURE;
			next = off + 4 + nlen + 1;
			if (depth >= (int)(sizeof(stack) / sizeof(stack[0])) || ix.n == INDEX_MAX || nlen > 0xffff)
				fits = false;
			if (fits) {
				ix.node[ix.n] = (struct ix_node){ .off = (int)off, .parent = depth ? stack[depth - 1] : -1,
								  .name = name, .namelen = (uint16_t)nlen,
								  .acells = -FDT_ERR_NOTFOUND, .scells = -FDT_ERR_NOTFOUND };
				stack[depth] = ix.n++;
			}
			depth++;
		} else if (tag == FDT_END_NODE || tag == FDT_NOP) {
			if (tag == FDT_END_NODE && --depth < 0)
				return -FDT_ERR_BADSTRUCTURE;
			next = off + 4;
		} else if (tag == FDT_END) {
			if (depth != 0 || off == 0)
				return -FDT_ERR_BADSTRUCTURE;
			ix.complete = fits;
			return 0;
		} else {
			return -FDT_ERR_BADSTRUCTURE;
		}
	}
}

int hostdt_read(const void *fdt, uint64_t boot_hartid, struct host_platform *p,
		char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	if (!fdt)
		FAIL(E_CORRUPT, "no device tree was passed (a1 = 0)");
	int rc = fdt_check_header(fdt);
	if (rc)
		FAIL(E_CORRUPT, "device tree at %p: header: %s", fdt, fdt_strerror(rc));
	if ((rc = check_structure(fdt)))
		FAIL(E_CORRUPT, "device tree at %p: structure block: %s", fdt, fdt_strerror(rc));
	p->dtb_size = fdt_totalsize(fdt);
	p->fdt = fdt;
	if ((rc = read_harts(fdt, boot_hartid, p, err, errlen)) ||
	    (rc = read_memory(fdt, p, err, errlen)) ||
	    (rc = read_reserved(fdt, p, err, errlen)) ||
	    (rc = read_uart(fdt, p, err, errlen)) ||
	    (rc = irqc_dt_read_host(fdt, p, err, errlen)) ||
	    (rc = read_poweroff(fdt, p, err, errlen)) ||
	    (rc = read_kept(fdt, p, err, errlen)) ||
	    (rc = read_initrd(fdt, p, err, errlen)))
		return rc;
	read_bootargs(fdt, p);
	read_psci(fdt, p);
	return 0;
}

uint64_t hostdt_ram_total(const struct host_platform *p)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < p->nram; i++)
		total += p->ram[i].size;
	return total;
}
