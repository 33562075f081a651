/*
 * libFuzzer target: a VM config (JSON) that vmcfg_parse accepts becomes a
 * guest device tree, the way core/vm.c makes one: its images placed, its
 * passed-through devices checked against a fixed host tree (built once here
 * with libfdt's sequential writer), their interrupts mapped with irqmap_build,
 * then guestdt_build. A tree that is built must be valid: a well-formed
 * structure block (checked by a walk of our own, this libfdt has no
 * fdt_check_full), unique node names among siblings, unique property names
 * in a node, unique phandles, every interrupt-parent, interrupts-extended
 * and stdout-path pointing at something that exists. The same tree into a
 * short buffer must either fail cleanly or be valid too.
 */
#include <stdbool.h>
#include <libfdt.h>
#include "partition/guestdt.h"
#include "partition/hostdt.h"
#include "partition/irqmap.h"
#include "partition/vmconfig.h"
#include "fuzz_common.h"

/* core/vdev.h, core/vm.h */
#define VPLIC_SOURCES 32
#define VPLIC_GPA     0x0c000000ull
#define VPLIC_SIZE    0x400000ull
#define VUART_IRQ     10
#define VM_DTB_MAX    (64 * 1024)

#define HOST_PLIC_BASE 0x0c000000u
#define HOST_PLIC_SIZE 0x600000u
#define HOST_STDOUT    "/soc/serial@10000000"

static const char host_isa_str[] = "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc_ssaia";
static char host[16384] __attribute__((aligned(8)));
static uint8_t dtb[VM_DTB_MAX] __attribute__((aligned(8)));

static void reg2(void *h, uint32_t base, uint32_t size)
{
	fdt32_t reg[2] = { cpu_to_fdt32(base), cpu_to_fdt32(size) };
	fdt_property(h, "reg", reg, sizeof(reg));
}

static void cells(void *h, const char *name, const uint32_t *v, int n)
{
	fdt32_t c[16];
	for (int i = 0; i < n && i < 16; i++)
		c[i] = cpu_to_fdt32(v[i]);
	fdt_property(h, name, c, 4 * n);
}

/*
 * The host: QEMU virt's shape (a /soc in 1+1 cells with a PLIC, a UART, an
 * RTC, virtio) and some less usual nodes: a device behind another interrupt
 * controller, a nested bus in 2+2 cells whose child inherits its interrupt
 * parent, a node with more interrupts than a vPLIC has sources, one with
 * many reg ranges, one with bad #address-cells, a root-level flash.
 */
static void make_host(void)
{
	void *h = host;
	fdt_create(h, sizeof(host));
	fdt_finish_reservemap(h);
	fdt_begin_node(h, "");
	fdt_property_u32(h, "#address-cells", 2);
	fdt_property_u32(h, "#size-cells", 2);
	fdt_property_string(h, "compatible", "riscv-virtio");
	fdt_begin_node(h, "chosen");
	fdt_property_string(h, "stdout-path", HOST_STDOUT);
	fdt_end_node(h);
	fdt_begin_node(h, "cpus");
	fdt_property_u32(h, "#address-cells", 1);
	fdt_property_u32(h, "#size-cells", 0);
	fdt_property_u32(h, "timebase-frequency", 10000000);
	for (uint32_t i = 0; i < 2; i++) {
		char name[16];
		snprintf(name, sizeof(name), "cpu@%u", i);
		fdt_begin_node(h, name);
		fdt_property_string(h, "device_type", "cpu");
		fdt_property_u32(h, "reg", i);
		fdt_property_string(h, "riscv,isa", host_isa_str);
		fdt_begin_node(h, "interrupt-controller");
		fdt_property_u32(h, "#interrupt-cells", 1);
		fdt_property(h, "interrupt-controller", "", 0);
		fdt_property_string(h, "compatible", "riscv,cpu-intc");
		fdt_property_u32(h, "phandle", 1 + i);
		fdt_end_node(h);
		fdt_end_node(h);
	}
	fdt_end_node(h);
	fdt_begin_node(h, "flash@20000000");
	fdt_property_string(h, "compatible", "cfi-flash");
	fdt32_t freg[4] = { 0, cpu_to_fdt32(0x20000000), 0, cpu_to_fdt32(0x2000000) };
	fdt_property(h, "reg", freg, sizeof(freg));
	fdt_property_u32(h, "bank-width", 4);
	fdt_end_node(h);
	fdt_begin_node(h, "soc");
	fdt_property_u32(h, "#address-cells", 1);
	fdt_property_u32(h, "#size-cells", 1);
	fdt_property_string(h, "compatible", "simple-bus");
	fdt_property(h, "ranges", "", 0);
	fdt_begin_node(h, "plic@c000000");
	fdt_property_string(h, "compatible", "riscv,plic0");
	fdt_property_u32(h, "#interrupt-cells", 1);
	fdt_property(h, "interrupt-controller", "", 0);
	reg2(h, HOST_PLIC_BASE, HOST_PLIC_SIZE);
	fdt_property_u32(h, "riscv,ndev", 95);
	static const uint32_t ctx[] = { 1, 11, 1, 9, 2, 11, 2, 9 };
	cells(h, "interrupts-extended", ctx, 8);
	fdt_property_u32(h, "phandle", 3);
	fdt_end_node(h);
	fdt_begin_node(h, "intc-other@3000");
	fdt_property_u32(h, "#interrupt-cells", 1);
	fdt_property(h, "interrupt-controller", "", 0);
	reg2(h, 0x3000, 0x1000);
	fdt_property_u32(h, "phandle", 4);
	fdt_end_node(h);
	fdt_begin_node(h, "gpio@2000");
	fdt_property_string(h, "compatible", "sifive,gpio0");
	reg2(h, 0x2000, 0x1000);
	fdt_property_u32(h, "interrupt-parent", 4);
	fdt_property_u32(h, "interrupts", 5);
	fdt_property_u32(h, "#gpio-cells", 2);
	fdt_end_node(h);
	fdt_begin_node(h, "rtc@101000");
	fdt_property_string(h, "compatible", "google,goldfish-rtc");
	reg2(h, 0x101000, 0x1000);
	fdt_property_u32(h, "interrupts", 11);
	fdt_property_u32(h, "interrupt-parent", 3);
	fdt_end_node(h);
	fdt_begin_node(h, "serial@10000000");
	fdt_property_string(h, "compatible", "ns16550a");
	reg2(h, 0x10000000, 0x100);
	fdt_property_u32(h, "clock-frequency", 3686400);
	fdt_property_u32(h, "interrupts", 10);
	fdt_property_u32(h, "interrupt-parent", 3);
	fdt_end_node(h);
	for (uint32_t i = 0; i < 3; i++) {
		char name[32];
		snprintf(name, sizeof(name), "virtio_mmio@1000%u000", i + 1);
		fdt_begin_node(h, name);
		fdt_property_string(h, "compatible", "virtio,mmio");
		reg2(h, 0x10001000 + 0x1000 * i, 0x1000);
		uint32_t ext[4] = { 3, 1 + i, 3, 40 + i };
		cells(h, "interrupts-extended", ext, i == 2 ? 4 : 2);
		fdt_property_string(h, "status", "okay");
		fdt_property_u32(h, "dma-coherent", 0);
		fdt_property_u32(h, "phandle", 0x20 + i);
		fdt_end_node(h);
	}
	fdt_begin_node(h, "spi@10040000");
	fdt_property_string(h, "compatible", "sifive,spi0");
	reg2(h, 0x10040000, 0x1000);
	fdt_property_u32(h, "interrupt-parent", 3);
	static const uint32_t many[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16 };
	cells(h, "interrupts", many, 14);
	fdt_property_u32(h, "clocks", 7);
	fdt_property_string(h, "clock-names", "ref");
	fdt_property_u32(h, "pinctrl-0", 8);
	fdt_property_u32(h, "#address-cells", 1);
	fdt_property_u32(h, "#size-cells", 0);
	fdt_begin_node(h, "flash@0");
	fdt_property_u32(h, "reg", 0);
	fdt_end_node(h);
	fdt_end_node(h);
	fdt_begin_node(h, "sram@10050000");
	static const uint32_t ranges[] = { 0x10050000, 0x100, 0x10051000, 0x100, 0x10052000, 0x100,
					   0x10053000, 0x100, 0x10054000, 0x100, 0x10055000, 0x100,
					   0x10056000, 0x100, 0x10057000, 0x100, 0x10058000, 0x100 };
	cells(h, "reg", ranges, 16);
	fdt_end_node(h);
	fdt_begin_node(h, "bus@40000000");
	fdt_property_u32(h, "#address-cells", 2);
	fdt_property_u32(h, "#size-cells", 2);
	fdt_property_u32(h, "interrupt-parent", 3);
	reg2(h, 0x40000000, 0x10000);
	fdt_begin_node(h, "dev@0");
	fdt32_t dreg[4] = { 0, cpu_to_fdt32(0x40000000), 0, cpu_to_fdt32(0x1000) };
	fdt_property(h, "reg", dreg, sizeof(dreg));
	fdt_property_u32(h, "interrupts", 20);
	fdt_end_node(h);
	fdt_end_node(h);
	fdt_begin_node(h, "bus@50000000");
	fdt_property_u32(h, "#address-cells", 3);
	fdt_property_u32(h, "#size-cells", 1);
	reg2(h, 0x50000000, 0x10000);
	fdt_begin_node(h, "dev@0");
	uint32_t breg[4] = { 0, 0, 0x50000000, 0x1000 };
	cells(h, "reg", breg, 4);
	fdt_end_node(h);
	fdt_end_node(h);
	fdt_end_node(h);   /* soc */
	fdt_end_node(h);   /* root */
	FUZZ_CHECK(fdt_finish(h) == 0 && fdt_check_header(h) == 0, "host tree set-up");
}

/* ---- validity of a built tree ---- */

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr(",._+-@#", c);
}

/* The structure block, tag by tag: nesting, names, properties before subnodes, END last. */
static int walk(const void *fdt)
{
	int off = 0, next, depth = 0, nodes = 0;
	bool child_seen[64] = { false };
	bool root_done = false;
	for (;;) {
		uint32_t tag = fdt_next_tag(fdt, off, &next);
		FUZZ_CHECK(next >= 0, "tag at %d: bad structure (%d)", off, next);
		FUZZ_CHECK(!root_done || tag == FDT_END || tag == FDT_NOP, "tag %u after the root", tag);
		switch (tag) {
		case FDT_BEGIN_NODE: {
			int len;
			const char *name = fdt_get_name(fdt, off, &len);
			FUZZ_CHECK(name, "node at %d: no name (%d)", off, len);
			FUZZ_CHECK(depth > 0 || (len == 0 && off == 0), "root at %d named \"%s\"", off, name);
			FUZZ_CHECK(depth == 0 || len > 0, "empty node name at %d", off);
			for (int i = 0; i < len; i++)
				FUZZ_CHECK(name_char_ok(name[i]), "node \"%s\": character 0x%x", name,
					   (unsigned)(uint8_t)name[i]);
			if (depth > 0)
				child_seen[depth - 1] = true;
			FUZZ_CHECK(++depth < 64, "nested too deep");
			child_seen[depth - 1] = false;
			nodes++;
			break;
		}
		case FDT_PROP: {
			int len;
			FUZZ_CHECK(depth > 0, "property outside any node at %d", off);
			FUZZ_CHECK(!child_seen[depth - 1], "property at %d after a subnode", off);
			const struct fdt_property *p = fdt_get_property_by_offset(fdt, off, &len);
			FUZZ_CHECK(p && len >= 0, "property at %d unreadable (%d)", off, len);
			const char *pname = fdt_string(fdt, (int)fdt32_ld(&p->nameoff));
			FUZZ_CHECK(pname && pname[0], "property at %d: bad name offset", off);
			break;
		}
		case FDT_END_NODE:
			FUZZ_CHECK(depth > 0, "END_NODE without a node at %d", off);
			if (--depth == 0)
				root_done = true;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			FUZZ_CHECK(root_done && depth == 0, "END inside a node");
			FUZZ_CHECK((uint32_t)next == fdt_size_dt_struct(fdt), "END at %d, block is %u bytes",
				   next, fdt_size_dt_struct(fdt));
			return nodes;
		default:
			FUZZ_CHECK(0, "bad tag 0x%x at %d", tag, off);
		}
		off = next;
	}
}

static const uint32_t *prop_cells(const void *fdt, int node, const char *name, int *n)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);
	*n = v ? len / 4 : 0;
	if (v)
		FUZZ_CHECK(len % 4 == 0, "%s: %d bytes", name, len);
	return (const uint32_t *)v;
}

static void check_phandle_ref(const void *fdt, uint32_t ph, const char *what)
{
	FUZZ_CHECK(ph != 0 && ph != ~0u && fdt_node_offset_by_phandle(fdt, ph) >= 0,
		   "%s: phandle 0x%x names no node", what, ph);
}

static void check_tree(const void *fdt, size_t bufsize, const struct vmcfg *c)
{
	FUZZ_CHECK(fdt_check_header(fdt) == 0, "bad header");
	FUZZ_CHECK(fdt_totalsize(fdt) <= bufsize, "totalsize %u > buffer %zu", fdt_totalsize(fdt), bufsize);
	FUZZ_CHECK(fdt_num_mem_rsv(fdt) == 0, "reserve map");
	int nodes = walk(fdt);

	/* per node: unique property names, unique child names, phandles, references */
	static int offs[1024];
	static uint32_t phs[1024];
	int n = 0, nph = 0, node;
	for (node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		FUZZ_CHECK(n < 1024, "too many nodes");
		offs[n++] = node;
		int p1, p2;
		fdt_for_each_property_offset(p1, fdt, node) {
			const char *a, *b;
			fdt_getprop_by_offset(fdt, p1, &a, NULL);
			for (p2 = fdt_next_property_offset(fdt, p1); p2 >= 0;
			     p2 = fdt_next_property_offset(fdt, p2)) {
				fdt_getprop_by_offset(fdt, p2, &b, NULL);
				FUZZ_CHECK(strcmp(a, b), "node %s: property %s twice",
					   fdt_get_name(fdt, node, NULL), a);
			}
		}
		int s1, s2;
		fdt_for_each_subnode(s1, fdt, node) {
			const char *a = fdt_get_name(fdt, s1, NULL);
			for (s2 = fdt_next_subnode(fdt, s1); s2 >= 0; s2 = fdt_next_subnode(fdt, s2))
				FUZZ_CHECK(strcmp(a, fdt_get_name(fdt, s2, NULL)),
					   "node %s: two subnodes named %s", fdt_get_name(fdt, node, NULL), a);
		}
		int len;
		const void *ph = fdt_getprop(fdt, node, "phandle", &len);
		if (ph) {
			FUZZ_CHECK(len == 4, "phandle of %d bytes", len);
			uint32_t v = fdt32_ld(ph);
			for (int i = 0; i < nph; i++)
				FUZZ_CHECK(phs[i] != v, "phandle 0x%x used twice", v);
			phs[nph++] = v;
		}
	}
	FUZZ_CHECK(node == -FDT_ERR_NOTFOUND, "fdt_next_node: %d", node);
	FUZZ_CHECK(n == nodes, "%d nodes walked, %d by fdt_next_node", nodes, n);
	for (int i = 0; i < n; i++) {
		int k;
		const uint32_t *v = prop_cells(fdt, offs[i], "interrupt-parent", &k);
		if (v) {
			FUZZ_CHECK(k == 1, "interrupt-parent of %d cells", k);
			check_phandle_ref(fdt, fdt32_ld((const fdt32_t *)v), "interrupt-parent");
		}
		v = prop_cells(fdt, offs[i], "interrupts-extended", &k);
		for (int j = 0; v && j + 1 < k; j += 2)
			check_phandle_ref(fdt, fdt32_ld((const fdt32_t *)&v[j]), "interrupts-extended");
		if (fdt_getprop(fdt, offs[i], "interrupts", NULL)) {
			/* an interrupts property needs an interrupt parent somewhere up the tree */
			bool found = false;
			for (int a = offs[i]; a >= 0 && !found; a = fdt_parent_offset(fdt, a))
				found = fdt_getprop(fdt, a, "interrupt-parent", NULL) != NULL;
			FUZZ_CHECK(found, "%s: interrupts without an interrupt parent",
				   fdt_get_name(fdt, offs[i], NULL));
		}
	}

	/* what guestdt.h promises */
	int chosen = fdt_path_offset(fdt, "/chosen");
	FUZZ_CHECK(chosen >= 0, "no /chosen");
	int len;
	const char *out = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (out) {
		FUZZ_CHECK(len > 0 && out[len - 1] == '\0', "stdout-path not a string");
		FUZZ_CHECK(fdt_path_offset(fdt, out) >= 0, "stdout-path %s names no node", out);
	}
	for (uint32_t i = 0; i < c->vcpus; i++) {
		char path[32];
		snprintf(path, sizeof(path), "/cpus/cpu@%u", i);
		FUZZ_CHECK(fdt_path_offset(fdt, path) >= 0, "%s missing", path);
	}
	for (unsigned i = 0; i < c->nmem; i++) {
		char path[40];
		snprintf(path, sizeof(path), "/memory@%lx", (unsigned long)c->mem[i].gpa);
		FUZZ_CHECK(fdt_path_offset(fdt, path) >= 0, "%s missing", path);
	}
}

/* ---- the VM, as core/vm.c and core/boot_vms.c set it up ---- */

static bool overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return fuzz_overlap(a, an, b, bn);
}

/* core/vm.c's checks on devices: passthrough nodes with a reg, not the host PLIC, not the vPLIC. */
static bool vm_devices_ok(const struct vmcfg *c, bool vplic)
{
	for (unsigned i = 0; i < c->ndevices; i++) {
		const struct vmcfg_device *d = &c->devices[i];
		uint64_t hpa = d->hpa, gpa = d->gpa, size = d->size;
		if (d->kind == VMCFG_DEV_PASSTHROUGH) {
			if (hostdt_node_reg(host, d->path, &hpa, &size))
				return false;
			gpa = hpa;
		}
		if (overlaps(hpa, size, HOST_PLIC_BASE, HOST_PLIC_SIZE))
			return false;
		if (vplic && overlaps(gpa, size, VPLIC_GPA, VPLIC_SIZE))
			return false;
	}
	for (unsigned i = 0; vplic && i < c->nmem; i++)
		if (overlaps(c->mem[i].gpa, c->mem[i].size, VPLIC_GPA, VPLIC_SIZE))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static struct vmcfg cfg;
	static struct irqmap irqs;
	struct fuzz_err e;
	if (!ready) {
		make_host();
		ready = true;
	}
	char *json = (char *)fuzz_dup(data, size);
	char *err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
	int rc = vmcfg_parse(json, size, "fuzz.json", &cfg, err, e.len);
	fuzz_err_check(&e, rc != 0, "vmcfg_parse");
	free(json);
	if (rc)
		return 0;

	/* placement, as boot_vms.c prepare(): small images, the generated tree's room */
	struct vmcfg_sizes sizes = { 0x1000, cfg.initrd.present ? 0x1000 : 0,
				     cfg.dtb == VMCFG_DTB_GENERATE ? VM_DTB_MAX : 0x1000 };
	struct vmcfg_layout layout;
	err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
	rc = vmcfg_place(&cfg, &sizes, &layout, err, e.len);
	fuzz_err_check(&e, rc != 0, "vmcfg_place");
	if (rc)
		return 0;

	bool uart = vmcfg_console_uart(&cfg);
	if (!vm_devices_ok(&cfg, false))
		return 0;
	err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
	rc = irqmap_build(host, &cfg, uart ? 1u << VUART_IRQ : 0, VPLIC_SOURCES, &irqs, err, e.len);
	fuzz_err_check(&e, rc != 0, "irqmap_build");
	if (rc)
		return 0;
	FUZZ_CHECK(irqs.n <= IRQMAP_MAX, "irqmap: %u entries", irqs.n);
	for (unsigned i = 0; i < irqs.n; i++) {
		FUZZ_CHECK(irqs.e[i].virq >= 1 && irqs.e[i].virq < VPLIC_SOURCES &&
			   (!uart || irqs.e[i].virq != VUART_IRQ), "irqmap: virq %u", irqs.e[i].virq);
		FUZZ_CHECK(irqs.e[i].dev < cfg.ndevices, "irqmap: device %u", irqs.e[i].dev);
		for (unsigned j = 0; j < i; j++)
			FUZZ_CHECK((irqs.e[j].virq == irqs.e[i].virq) == (irqs.e[j].host == irqs.e[i].host),
				   "irqmap: host %u->%u and %u->%u", irqs.e[j].host, irqs.e[j].virq,
				   irqs.e[i].host, irqs.e[i].virq);
	}
	bool vplic = uart || irqs.n;
	if (!vm_devices_ok(&cfg, vplic))
		return 0;

	uint64_t h = 0;
	for (size_t i = 0; i < size; i++)
		h = h * 31 + data[i];
	struct isa host_isa = { 0 };
	isa_parse_string(host_isa_str, &host_isa);
	struct guestdt_params p = {
		.cfg = &cfg, .layout = &layout, .initrd_size = sizes.initrd,
		.timebase_hz = 10000000, .host_isa = &host_isa,
		.mmu_type = h & 1 ? "riscv,sv57" : NULL, .sstc = h & 2,
		.uart_gpa = uart ? cfg.console_gpa : 0, .uart_pl011 = cfg.console == VMCFG_CONSOLE_PL011, .boot_count = (uint32_t)(h >> 8),
		.irqc = { .gpa = vplic ? VPLIC_GPA : 0, .size = vplic ? VPLIC_SIZE : 0, .lines = VPLIC_SOURCES }, .uart_irq = VUART_IRQ,
		.host_fdt = host, .host_stdout = HOST_STDOUT, .irqs = &irqs,
	};
	err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
	rc = guestdt_build(dtb, sizeof(dtb), &p, err, e.len);
	fuzz_err_check(&e, rc != 0, "guestdt_build");
	if (rc == 0)
		check_tree(dtb, sizeof(dtb), &cfg);

	/* a short buffer, exactly its size on the heap: a clean failure or a valid tree */
	size_t small = 64 + (size_t)(h >> 16) % 2048;
	uint8_t *buf = malloc(small);
	FUZZ_CHECK(buf, "malloc");
	err = fuzz_err_reset(&e, VMCFG_ERR_LEN);
	int rc2 = guestdt_build(buf, small, &p, err, e.len);
	fuzz_err_check(&e, rc2 != 0, "guestdt_build (short buffer)");
	if (rc2 == 0) {
		FUZZ_CHECK(rc == 0, "built in %zu bytes but not in %d", small, VM_DTB_MAX);
		check_tree(buf, small, &cfg);
		FUZZ_CHECK(fdt_totalsize(buf) == fdt_totalsize(dtb) &&
			   !memcmp(buf, dtb, fdt_totalsize(buf)), "two builds differ");
	}
	free(buf);
	return 0;
}
