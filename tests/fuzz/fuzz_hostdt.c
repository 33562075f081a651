/*
 * libFuzzer target: a host device tree blob through hostdt_read (boot hart
 * 0), from a heap copy of exactly the input's size, then what tessera does
 * with a tree it accepted: the helpers, and a VM that passes host nodes
 * through (the console UART, the RTC, one node picked by the input) mapped
 * with irqmap_build and copied by guestdt_build. Nothing may crash or read
 * outside the blob; errors must be NUL-terminated messages; what is
 * accepted must be consistent.
 *
 * hostdt_read has no length argument: firmware hands over a pointer and the
 * tree's own header says how long it is. The one thing the caller must
 * guarantee is that the header is there and totalsize bytes are readable,
 * so inputs that do not give that are skipped; everything else (offsets,
 * sizes and contents inside the blob) is the code's to check.
 */
#include <stdbool.h>
#include <libfdt.h>
#include "partition/guestdt.h"
#include "partition/hostdt.h"
#include "partition/irqmap.h"
#include "fuzz_common.h"

static struct host_platform plat;

static bool valid_code(int rc)
{
	return rc == E_CORRUPT || rc == E_MISSING || rc == E_INVAL ||
	       rc == E_NOSPC;
}

static void check_platform(const struct host_platform *p, const void *fdt)
{
	FUZZ_CHECK(p->fdt == fdt && p->dtb_size == fdt_totalsize(fdt), "fdt/dtb_size");
	FUZZ_CHECK(p->nharts >= 1 && p->nharts <= HOSTDT_MAX_HARTS, "nharts %u", p->nharts);
	FUZZ_CHECK(p->boot_index >= 0 && (uint32_t)p->boot_index < p->nharts &&
		   p->hartid[p->boot_index] == 0, "boot index %d", p->boot_index);
	/* zero only when the tree leaves it to the counter (Arm: CNTFRQ), which boot reads */
	FUZZ_CHECK(p->timebase_hz != 0 || p->timebase_from_counter, "timebase 0");
	FUZZ_CHECK(!p->timebase_from_counter || p->timebase_hz == 0, "timebase from both");
	FUZZ_CHECK(p->nram >= 1 && p->nram <= HOSTDT_MAX_RAM, "nram %u", p->nram);
	for (unsigned i = 0; i < p->nram; i++)
		FUZZ_CHECK(p->ram[i].size != 0, "ram[%u] empty", i);
	FUZZ_CHECK(p->nreserved <= HOSTDT_MAX_RESERVED, "nreserved %u", p->nreserved);
	FUZZ_CHECK(p->boot_isa.ext < ISA_BIT(ISA_NEXT), "boot_isa: unknown bits");
	FUZZ_CHECK_STR(p->mmu_type, "mmu_type");
	FUZZ_CHECK_STR(p->bootargs, "bootargs");
	FUZZ_CHECK_STR(p->uart.compatible, "uart.compatible");
	FUZZ_CHECK_STR(p->uart.path, "uart.path");
	if (p->uart.present)
		FUZZ_CHECK(p->uart.reg_shift <= 3 && (p->uart.reg_io_width == 1 || p->uart.reg_io_width == 4),
			   "uart shift %u width %u", p->uart.reg_shift, p->uart.reg_io_width);
	if (p->irqc.present)
		for (unsigned i = 0; i < HOSTDT_MAX_HARTS; i++)
			FUZZ_CHECK(p->irqc.ctx[i] >= -1, "sctx[%u] = %d", i, p->irqc.ctx[i]);
	FUZZ_CHECK(!p->initrd.present || p->initrd.end >= p->initrd.start, "initrd end < start");
}

/*
 * A structure-aware mutator: byte flips alone seldom get past libfdt's
 * checks, so most mutations edit the tree with libfdt instead (set, delete,
 * add properties and nodes, with values tessera reads), and some change the
 * layout: the structure block last in the blob, cut at a tag boundary, or a
 * header field set to a nearby value. Every result keeps totalsize <= its
 * size, the one thing hostdt_read's caller must guarantee.
 */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static uint32_t rnd_state;
static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return n ? (rnd_state >> 8) % n : 0;
}

static const char *const prop_names[] = {
	"reg", "#address-cells", "#size-cells", "status", "device_type", "compatible",
	"interrupts-extended", "phandle", "stdout-path", "linux,initrd-start", "linux,initrd-end",
	"timebase-frequency", "riscv,isa", "mmu-type", "bootargs", "reg-shift", "reg-io-width",
	"clock-frequency", "riscv,ndev", "interrupt-controller",
};
static const char *const str_values[] = {
	"cpu", "memory", "okay", "ok", "disabled", "ns16550a", "ns16550", "snps,dw-apb-uart",
	"riscv,plic0", "sifive,plic-1.0.0", "sifive,test0", "sifive,test1", "rv64imafdch_sstc",
	"riscv,sv39", "/soc/serial@10000000", "/soc/serial@10000000:115200", "serial0", "quiet",
	"riscv,cpu-intc", "",
};
static const char *const node_names[] = {
	"cpu@0", "cpu@1", "cpu@40", "memory@80000000", "memory@0", "serial@0", "reserved-memory",
	"mmode_resv0@80000000", "plic@c000000", "test@100000", "interrupt-controller", "chosen",
};
static const uint32_t u32_values[] = { 0, 1, 2, 3, 4, 9, 11, 0x80000000u, 0xffffffffu, 64, 8, 5 };

/* Offsets of all nodes, up to max. */
static int list_nodes(const void *fdt, int *offs, int max)
{
	int n = 0;
	for (int node = 0; node >= 0 && n < max; node = fdt_next_node(fdt, node, NULL))
		offs[n++] = node;
	return n;
}

/* The node and property the last edit set, for cut_struct. */
static char last_path[256], last_prop[64];

/* libfdt's fdt_get_path reads out of bounds on a named root or a '/' in a name
 * (hostdt_read refuses such trees; the mutator must not walk them either). */
static bool names_walkable(const void *fdt)
{
	for (int node = 0, depth = 0; node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		int len;
		const char *name = fdt_get_name(fdt, node, &len);
		if (!name || (depth == 0 && len != 0) || memchr(name, '/', (size_t)len))
			return false;
	}
	return true;
}

static int tree_edit(void *fdt, uint8_t *scratch, size_t scratch_max)
{
	int offs[512];
	int n = list_nodes(fdt, offs, 512);
	if (n <= 0)
		return -1;
	int node = offs[rnd((uint32_t)n)];
	const char *name = prop_names[rnd(sizeof(prop_names) / sizeof(prop_names[0]))];
	int prop = fdt_first_property_offset(fdt, node), nprops = 0;
	for (int p = prop; p >= 0; p = fdt_next_property_offset(fdt, p))
		nprops++;
	if (nprops && rnd(2)) {   /* an existing property of the node */
		int k = (int)rnd((uint32_t)nprops), p = prop;
		while (k-- > 0)
			p = fdt_next_property_offset(fdt, p);
		if (!fdt_getprop_by_offset(fdt, p, &name, NULL))
			return -1;
	}
	char nm[64];
	snprintf(nm, sizeof(nm), "%s", name);   /* the name moves when the tree does */
	if (!names_walkable(fdt) || fdt_get_path(fdt, node, last_path, sizeof(last_path)) < 0)
		last_path[0] = '\0';
	snprintf(last_prop, sizeof(last_prop), "%s", nm);
	switch (rnd(8)) {
	case 0:
		return fdt_delprop(fdt, node, nm);
	case 1: {
		const char *sv = str_values[rnd(sizeof(str_values) / sizeof(str_values[0]))];
		return fdt_setprop_string(fdt, node, nm, sv);
	}
	case 2: {   /* a string with its terminator gone */
		const char *sv = str_values[rnd(sizeof(str_values) / sizeof(str_values[0]))];
		return fdt_setprop(fdt, node, nm, sv, (int)strlen(sv));
	}
	case 3: {
		fdt32_t v[4];
		int k = 1 + (int)rnd(4);
		for (int i = 0; i < k; i++)
			v[i] = cpu_to_fdt32(u32_values[rnd(sizeof(u32_values) / sizeof(u32_values[0]))]);
		return fdt_setprop(fdt, node, nm, v, 4 * k);
	}
	case 4: {   /* the current value, mutated */
		int len;
		const void *v = fdt_getprop(fdt, node, nm, &len);
		if (!v || len < 0 || (size_t)len > scratch_max / 2)
			len = 0;
		else
			memcpy(scratch, v, (size_t)len);
		size_t m = LLVMFuzzerMutate(scratch, (size_t)len, scratch_max / 2 < 64 ? scratch_max / 2 : 64);
		return fdt_setprop(fdt, node, nm, scratch, (int)m);
	}
	case 5:
		return node == 0 ? -1 : fdt_del_node(fdt, node);
	case 6: {
		const char *nn = node_names[rnd(sizeof(node_names) / sizeof(node_names[0]))];
		int sub = fdt_add_subnode(fdt, node, nn);
		if (sub < 0)
			return sub;
		const char *type = rnd(2) ? "cpu" : "memory";   /* the macro reads it twice */
		return fdt_setprop_string(fdt, sub, "device_type", type);
	}
	default: {   /* a 64-bit value */
		static const uint64_t v64[] = { 0, 1, 0x80000000ull, 0x84200000ull, ~0ull, 1ull << 40 };
		return fdt_setprop_u64(fdt, node, nm, v64[rnd(sizeof(v64) / sizeof(v64[0]))]);
	}
	}
}

/* Header, reserve map, strings, structure: the structure block last. */
static size_t struct_last(uint8_t *blob, size_t size, uint8_t *tmp)
{
	uint32_t os = fdt_off_dt_struct(blob), ss = fdt_size_dt_struct(blob);
	uint32_t ot = fdt_off_dt_strings(blob), st = fdt_size_dt_strings(blob);
	uint32_t head = os < ot ? os : ot;
	if ((uint64_t)os + ss > size || (uint64_t)ot + st > size || head > size)
		return 0;
	memcpy(tmp, blob, head);
	memcpy(tmp + head, blob + ot, st);
	uint32_t nos = (head + st + 3) & ~3u;
	memset(tmp + head + st, 0, nos - (head + st));
	memcpy(tmp + nos, blob + os, ss);
	fdt_set_off_dt_strings(tmp, head);
	fdt_set_off_dt_struct(tmp, nos);
	fdt_set_totalsize(tmp, nos + ss);
	memcpy(blob, tmp, nos + ss);
	return nos + ss;
}

/* Cut the structure block (it must be last) right after a tag, often right
 * after the value the last edit set: a value at the very end of the blob. */
static size_t cut_struct(uint8_t *blob)
{
	int off = 0, next, cuts[1024], n = 0, len;
	int node = last_path[0] ? fdt_path_offset(blob, last_path) : -1;
	const struct fdt_property *p = node >= 0 ? fdt_get_property(blob, node, last_prop, &len) : NULL;
	if (p && rnd(4)) {
		uint32_t cut = (uint32_t)((const uint8_t *)p->data + len - (const uint8_t *)blob) -
			       fdt_off_dt_struct(blob);
		fdt_set_size_dt_struct(blob, cut);
		fdt_set_totalsize(blob, fdt_off_dt_struct(blob) + cut);
		return fdt_totalsize(blob);
	}
	while (n < 1024) {
		uint32_t tag = fdt_next_tag(blob, off, &next);
		if (next < 0 || tag == FDT_END)
			break;
		cuts[n++] = next;
		off = next;
	}
	if (!n)
		return 0;
	uint32_t cut = (uint32_t)cuts[rnd((uint32_t)n)];
	fdt_set_size_dt_struct(blob, cut);
	fdt_set_totalsize(blob, fdt_off_dt_struct(blob) + cut);
	return fdt_totalsize(blob);
}

/*
 * libfdt's read-write functions (fdt_open_into and the edits) trust the
 * layout they are given, so the mutator edits only trees in the usual
 * layout with a structure block that walks cleanly; anything else gets
 * byte mutations.
 */
static bool editable(const uint8_t *b, size_t size)
{
	if (size < sizeof(struct fdt_header) || size > 128 * 1024 || fdt_check_header(b) ||
	    fdt_totalsize(b) > size || fdt_version(b) < 17)
		return false;
	uint32_t rsv = fdt_off_mem_rsvmap(b), os = fdt_off_dt_struct(b), ss = fdt_size_dt_struct(b);
	uint32_t ot = fdt_off_dt_strings(b), st = fdt_size_dt_strings(b), total = fdt_totalsize(b);
	if (rsv < sizeof(struct fdt_header) || rsv % 8 || os % 4 || ss % 4 || rsv >= os ||
	    (uint64_t)os + ss > ot || (uint64_t)ot + st > total)
		return false;
	bool end = false;
	for (uint32_t at = rsv; !end; at += 16) {
		if (at + 16 > os)
			return false;
		end = !memcmp(b + at + 8, "\0\0\0\0\0\0\0\0", 8);
	}
	int off = 0, next, depth = 0;
	for (int tags = 0; tags < 100000; tags++) {
		uint32_t tag = fdt_next_tag(b, off, &next);
		if (next < 0)
			return false;
		if (tag == FDT_BEGIN_NODE) {
			depth++;
		} else if (tag == FDT_END_NODE) {
			if (--depth < 0)
				return false;
		} else if (tag == FDT_PROP) {
			const struct fdt_property *p = fdt_offset_ptr(b, off, sizeof(*p));
			uint32_t no = p ? fdt32_ld(&p->nameoff) : st;
			if (depth == 0 || no >= st || !memchr(b + ot + no, 0, st - no))
				return false;
		} else if (tag == FDT_END) {
			return depth == 0 && (uint32_t)next == ss;
		} else if (tag != FDT_NOP) {
			return false;
		}
		off = next;
	}
	return false;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	static uint8_t work[256 * 1024] __attribute__((aligned(8)));
	static uint8_t tmp[256 * 1024] __attribute__((aligned(8)));
	rnd_state = seed;
	uint32_t op = rnd(16);
	if (op < 4 || !editable(data, size) ||
	    fdt_open_into(data, work, (int)(size + 4096 < sizeof(work) ? size + 4096 : sizeof(work))))
		goto bytes;
	int edits = 1 + (int)rnd(3);
	last_path[0] = '\0';
	for (int i = 0; i < edits; i++)
		tree_edit(work, tmp, sizeof(tmp));
	if (fdt_pack(work))
		goto bytes;
	size_t n = fdt_totalsize(work);
	if (op >= 12 && (n = struct_last(work, n, tmp)) && op >= 14)
		n = cut_struct(work);
	if (op == 11) {   /* one header field to a nearby value */
		uint32_t *f = (uint32_t *)work + 2 + rnd(8);
		*f = cpu_to_fdt32(fdt32_to_cpu(*f) + (uint32_t)((int)rnd(17) - 8) * 4);
		n = fdt_totalsize(work) <= n ? n : 0;
	}
	if (n == 0 || n > max_size)
		goto bytes;
	memcpy(data, work, n);
	return n;
bytes:
	size = LLVMFuzzerMutate(data, size, max_size);
	if (size >= sizeof(struct fdt_header) && fdt_totalsize(data) > size && rnd(4))
		fdt_set_totalsize(data, (uint32_t)size);
	return size;
}

/* A VM passing host nodes through, as core/vm.c builds it (irqmap, then the guest tree). */
static void guest(const void *fdt, size_t size)
{
	static struct vmcfg c;
	static struct irqmap m;
	static uint8_t out[64 * 1024] __attribute__((aligned(8)));
	static const char *const fixed[] = { "/soc/rtc@101000", "/soc/test@100000" };
	struct fuzz_err e;
	memset(&c, 0, sizeof(c));
	snprintf(c.file, sizeof(c.file), "fuzz.json");
	snprintf(c.name, sizeof(c.name), "vm");
	c.vcpus = c.naffinity = 1;
	c.nmem = 1;
	c.mem[0] = (struct vmcfg_region){ 0x80000000, 32u << 20 };
	c.kernel.present = true;
	const char *paths[4];
	unsigned n = 0;
	char picked[VMCFG_PATH_MAX];
	int nodes = 0, node;
	for (node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL))
		nodes++;
	for (node = 0, nodes = (int)(size % (size_t)(nodes ? nodes : 1)); node >= 0 && nodes > 0; nodes--)
		node = fdt_next_node(fdt, node, NULL);
	if (plat.uart.present)
		paths[n++] = plat.uart.path;
	paths[n++] = fixed[0];
	paths[n++] = fixed[1];
	if (node > 0 && fdt_get_path(fdt, node, picked, sizeof(picked)) == 0)
		paths[n++] = picked;
	for (unsigned i = 0; i < n; i++) {
		bool dup = false;
		for (unsigned j = 0; j < c.ndevices; j++)
			dup |= !strcmp(c.devices[j].path, paths[i]);
		if (dup || strlen(paths[i]) >= VMCFG_PATH_MAX || paths[i][0] != '/' || !paths[i][1])
			continue;
		c.devices[c.ndevices].kind = VMCFG_DEV_PASSTHROUGH;
		snprintf(c.devices[c.ndevices].path, VMCFG_PATH_MAX, "%s", paths[i]);
		c.ndevices++;
	}
	char *err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
	int rc = irqmap_build(fdt, &c, 0, 32, &m, err, e.len);
	fuzz_err_check(&e, rc != 0, "irqmap_build");
	if (rc)
		return;
	for (unsigned i = 0; i < c.ndevices; i++)   /* core/vm.c refuses a node without a reg */
		if (hostdt_node_reg(fdt, c.devices[i].path, &c.devices[i].hpa, &c.devices[i].size))
			return;
	struct vmcfg_layout l = { 0x80200000, 0x80200000, 0, 0, 0x81e00000 };
	struct guestdt_params p = {
		.cfg = &c, .layout = &l, .timebase_hz = plat.timebase_hz, .host_isa = &plat.boot_isa,
		.mmu_type = plat.mmu_type[0] ? plat.mmu_type : NULL, .sstc = true,
		.irqc = { .gpa = m.n ? 0x0c000000 : 0, .size = m.n ? 0x400000 : 0, .lines = 32 }, .uart_irq = 10,
		.host_fdt = fdt, .host_stdout = plat.uart.present ? plat.uart.path : NULL, .irqs = &m,
	};
	err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
	rc = guestdt_build(out, sizeof(out), &p, err, e.len);
	fuzz_err_check(&e, rc != 0, "guestdt_build");
	if (rc == 0)
		FUZZ_CHECK(fdt_check_header(out) == 0 && fdt_totalsize(out) <= sizeof(out), "guest tree");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_err e;
	/* the caller's part of the contract: a header, and totalsize bytes there */
	if (size < sizeof(struct fdt_header) || fdt_totalsize(data) > size)
		return 0;
	uint8_t *fdt = fuzz_dup(data, size);

	char *err = fuzz_err_reset(&e, HOSTDT_ERR_LEN);
	int rc = hostdt_read(fdt, 0, &plat, err, e.len);
	fuzz_err_check(&e, rc != 0, "hostdt_read");
	if (rc) {
		FUZZ_CHECK(valid_code(rc), "hostdt_read rc %d", rc);
		FUZZ_CHECK(err[0], "empty error message");
		err = fuzz_err_reset(&e, 1 + size % 32);
		FUZZ_CHECK(hostdt_read(fdt, 0, &plat, err, e.len) == rc, "verdict changed");
		fuzz_err_check(&e, 1, "hostdt_read (short buffer)");
		free(fdt);
		return 0;
	}
	check_platform(&plat, fdt);
	if (plat.timebase_from_counter)
		plat.timebase_hz = 62500000;   /* what core/main.c does with arch_counter_hz() */

	/* what tessera does next with it */
	uint64_t base, sz;
	(void)hostdt_ram_total(&plat);
	char isa[200];
	FUZZ_CHECK(isa_format(&plat.boot_isa, isa, sizeof(isa)) < sizeof(isa), "isa string too long");
	(void)hostdt_bootarg(&plat, "quiet");
	if (plat.uart.present)
		(void)hostdt_node_reg(fdt, plat.uart.path, &base, &sz);
	(void)hostdt_node_reg(fdt, "/soc/rtc@101000", &base, &sz);
	(void)hostdt_node_reg(fdt, "/", &base, &sz);
	guest(fdt, size);
	free(fdt);
	return 0;
}
