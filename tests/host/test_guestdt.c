/*
 * Host tests of partition/guestdt.c: build guest trees from configs and
 * read them back with libfdt.
 */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "partition/guestdt.h"
#include "check.h"

static char buf[64 * 1024];
static char err[200];

static struct vmcfg cfg(const char *json)
{
	struct vmcfg c;
	if (vmcfg_parse(json, strlen(json), "t.json", &c, err, sizeof(err)))
		printf("  test set-up: %s\n", err);
	return c;
}

static const char *prop_str(const char *path, const char *name)
{
	int node = fdt_path_offset(buf, path);
	return node < 0 ? NULL : fdt_getprop(buf, node, name, NULL);
}

static uint64_t prop_u64(const char *path, const char *name)
{
	int node = fdt_path_offset(buf, path), len;
	const fdt64_t *v = node < 0 ? NULL : fdt_getprop(buf, node, name, &len);
	return v && len == 8 ? fdt64_ld(v) : 0;
}

static const char *dump_path;

/* Keep the first tree for `dtc -I dtb -O dts` (tests/run-all.sh). */
static void dump_tree(void)
{
	if (!dump_path)
		return;
	FILE *f = fopen(dump_path, "wb");
	CHECK(f && fwrite(buf, 1, fdt_totalsize(buf), f) == fdt_totalsize(buf), "writing %s", dump_path);
	if (f)
		fclose(f);
}

static const char *const host_isa_str = "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc";
static struct isa host_isa_set;

static void test_two_vcpus_initrd_bootargs(void)
{
	struct vmcfg c = cfg("{\"id\": 1, \"name\": \"lin\", \"vcpus\": 2, \"affinity\": [1, 2],"
			     "\"memory\": [{\"gpa\": \"0x80000000\", \"size\": \"64M\"}],"
			     "\"kernel\": {\"image\": \"Image\"}, \"initrd\": {\"image\": \"rd\"},"
			     "\"bootargs\": \"console=ttyS0 quiet\"}");
	struct vmcfg_layout l = { .kernel_gpa = 0x80200000, .entry = 0x80200000,
				  .initrd_gpa = 0x83000000, .dtb_gpa = 0x83e00000 };
	struct guestdt_params p = { .cfg = &c, .layout = &l, .initrd_size = 0x1234,
				    .timebase_hz = 10000000, .host_isa = &host_isa_set, .mmu_type = "riscv,sv57",
				    .sstc = true, .uart_gpa = 0x10000000, .boot_count = 3,
				    .irqc = { .gpa = 0xc000000, .size = 0x400000, .lines = 32 }, .uart_irq = 10 };
	CHECK(guestdt_build(buf, sizeof(buf), &p, err, sizeof(err)) == 0, "%s", err);
	CHECK(fdt_check_header(buf) == 0, "not a valid tree");
	CHECK(!strcmp(prop_str("/", "compatible"), "tessera,vm"), "root compatible");
	CHECK(!strcmp(prop_str("/chosen", "bootargs"), "console=ttyS0 quiet"), "bootargs");
	CHECK(prop_u64("/chosen", "linux,initrd-start") == 0x83000000, "initrd start");
	CHECK(prop_u64("/chosen", "linux,initrd-end") == 0x83001234, "initrd end");
	CHECK(fdt_path_offset(buf, "/cpus/cpu@0") >= 0 && fdt_path_offset(buf, "/cpus/cpu@1") >= 0,
	      "cpu nodes missing");
	CHECK(fdt_path_offset(buf, "/cpus/cpu@2") < 0, "a cpu too many");
	CHECK(!strcmp(prop_str("/cpus/cpu@1", "riscv,isa"),
		      "rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc"),
	      "isa %s", prop_str("/cpus/cpu@1", "riscv,isa"));
	CHECK(!strcmp(prop_str("/cpus/cpu@0", "mmu-type"), "riscv,sv57"), "mmu-type");
	CHECK(!strcmp(prop_str("/chosen", "stdout-path"), "/soc/serial@10000000"), "stdout-path");
	CHECK(!strcmp(prop_str("/soc/serial@10000000", "compatible"), "ns16550a"), "uart node");
	int plic = fdt_path_offset(buf, "/soc/plic@c000000"), n2;
	const fdt32_t *ext = plic < 0 ? NULL : fdt_getprop(buf, plic, "interrupts-extended", &n2);
	CHECK(ext && n2 == 16 && fdt32_ld(&ext[0]) == 1 && fdt32_ld(&ext[1]) == 9 &&
	      fdt32_ld(&ext[2]) == 2, "plic contexts");
	int uart = fdt_path_offset(buf, "/soc/serial@10000000");
	const fdt32_t *irq = uart < 0 ? NULL : fdt_getprop(buf, uart, "interrupts", &n2);
	CHECK(irq && fdt32_ld(irq) == 10, "uart interrupt");
	dump_tree();
	int ch = fdt_path_offset(buf, "/chosen"), n;
	const fdt32_t *bc = fdt_getprop(buf, ch, "tessera,boot-count", &n);
	CHECK(bc && n == 4 && fdt32_ld(bc) == 3, "boot count");
	CHECK(!strcmp(prop_str("/cpus/cpu@0/interrupt-controller", "compatible"), "riscv,cpu-intc"),
	      "cpu-intc");
	int mem = fdt_path_offset(buf, "/memory@80000000"), len;
	const fdt64_t *reg = mem < 0 ? NULL : fdt_getprop(buf, mem, "reg", &len);
	CHECK(reg && len == 16 && fdt64_ld(&reg[0]) == 0x80000000 &&
	      fdt64_ld(&reg[1]) == 64u << 20, "memory reg");
}

static void test_no_initrd_no_sstc(void)
{
	struct vmcfg c = cfg("{\"id\": 1, \"name\": \"b\", \"vcpus\": 1,"
			     "\"memory\": [{\"gpa\": \"0x80000000\", \"size\": \"32M\"},"
			     "{\"gpa\": \"0x100000000\", \"size\": \"16M\"}], \"kernel\": {\"image\": \"k\"}}");
	struct vmcfg_layout l = { .kernel_gpa = 0x80200000 };
	struct guestdt_params p = { .cfg = &c, .layout = &l, .timebase_hz = 10000000,
				    .host_isa = &host_isa_set };
	CHECK(guestdt_build(buf, sizeof(buf), &p, err, sizeof(err)) == 0, "%s", err);
	CHECK(prop_str("/chosen", "bootargs") == NULL, "bootargs where none were given");
	CHECK(prop_str("/chosen", "linux,initrd-start") == NULL, "initrd where there is none");
	CHECK(fdt_path_offset(buf, "/memory@100000000") >= 0, "second memory region missing");
	CHECK(!strstr(prop_str("/cpus/cpu@0", "riscv,isa"), "sstc"), "sstc given to a VM without it");
	CHECK(prop_str("/cpus/cpu@0", "mmu-type") == NULL, "mmu-type invented");
	CHECK(fdt_path_offset(buf, "/soc") < 0, "a soc node without devices");
}

static void test_too_small_buffer(void)
{
	struct vmcfg c = cfg("{\"id\": 1, \"name\": \"s\", \"vcpus\": 8, \"affinity\": [0,1,2,3,4,5,6,7],"
			     "\"memory\": [{\"gpa\": \"0x80000000\", \"size\": \"32M\"}],"
			     "\"kernel\": {\"image\": \"k\"}}");
	struct vmcfg_layout l = { 0 };
	struct guestdt_params p = { .cfg = &c, .layout = &l, .timebase_hz = 10000000,
				    .host_isa = &host_isa_set, .sstc = true };
	CHECK(guestdt_build(buf, 256, &p, err, sizeof(err)) < 0, "a tree fit in 256 bytes");
	CHECK(strstr(err, "t.json: dtb: cannot generate") && strstr(err, "FDT_ERR_NOSPACE"), "%s", err);
}

/* A host tree with a /soc in 1+1 cells, an RTC and the console UART. */
static void make_host(char *h, size_t size)
{
	fdt_create(h, (int)size);
	fdt_finish_reservemap(h);
	fdt_begin_node(h, "");
	fdt_begin_node(h, "chosen");
	fdt_property_string(h, "stdout-path", "/soc/serial@10000000");
	fdt_end_node(h);
	fdt_begin_node(h, "soc");
	fdt_property_u32(h, "#address-cells", 1);
	fdt_property_u32(h, "#size-cells", 1);
	fdt_begin_node(h, "plic@c000000");
	fdt_property_string(h, "compatible", "riscv,plic0");
	fdt_property_u32(h, "#interrupt-cells", 1);
	fdt_property(h, "interrupt-controller", "", 0);
	fdt_property_u32(h, "phandle", 3);
	fdt_end_node(h);
	fdt_begin_node(h, "intc-other");
	fdt_property_u32(h, "#interrupt-cells", 1);
	fdt_property(h, "interrupt-controller", "", 0);
	fdt_property_u32(h, "phandle", 4);
	fdt_end_node(h);
	fdt_begin_node(h, "virtio@10001000");
	fdt_property_string(h, "compatible", "virtio,mmio");
	fdt32_t vreg[2] = { cpu_to_fdt32(0x10001000), cpu_to_fdt32(0x1000) };
	fdt_property(h, "reg", vreg, sizeof(vreg));
	fdt32_t vext[4] = { cpu_to_fdt32(3), cpu_to_fdt32(40), cpu_to_fdt32(3), cpu_to_fdt32(11) };
	fdt_property(h, "interrupts-extended", vext, sizeof(vext));
	fdt_end_node(h);
	fdt_begin_node(h, "gpio@2000");
	fdt32_t greg[2] = { cpu_to_fdt32(0x2000), cpu_to_fdt32(0x1000) };
	fdt_property(h, "reg", greg, sizeof(greg));
	fdt_property_u32(h, "interrupt-parent", 4);
	fdt_property_u32(h, "interrupts", 5);
	fdt_end_node(h);
	fdt_begin_node(h, "rtc@101000");
	fdt_property_string(h, "compatible", "google,goldfish-rtc");
	fdt32_t reg[2] = { cpu_to_fdt32(0x101000), cpu_to_fdt32(0x1000) };
	fdt_property(h, "reg", reg, sizeof(reg));
	fdt_property_u32(h, "interrupts", 11);
	fdt_property_u32(h, "interrupt-parent", 3);
	fdt_end_node(h);
	fdt_begin_node(h, "serial@10000000");
	fdt_property_string(h, "compatible", "ns16550a");
	fdt32_t ureg[2] = { cpu_to_fdt32(0x10000000), cpu_to_fdt32(0x100) };
	fdt_property(h, "reg", ureg, sizeof(ureg));
	fdt_property_u32(h, "clock-frequency", 3686400);
	fdt_end_node(h);
	fdt_end_node(h);
	fdt_end_node(h);
	fdt_finish(h);
}

static void test_passthrough_nodes(void)
{
	static char host[4096];
	make_host(host, sizeof(host));
	struct vmcfg c = cfg("{\"id\": 1, \"name\": \"p\", \"vcpus\": 1,"
			     "\"memory\": [{\"gpa\": \"0x80000000\", \"size\": \"32M\"}],"
			     "\"kernel\": {\"image\": \"k\"}, \"devices\": ["
			     "{\"passthrough\": \"/soc/rtc@101000\"},"
			     "{\"passthrough\": \"/soc/serial@10000000\"}]}");
	struct vmcfg_layout l = { 0 };
	struct guestdt_params p = { .cfg = &c, .layout = &l, .timebase_hz = 10000000,
				    .host_isa = &host_isa_set, .host_fdt = host,
				    .host_stdout = "/soc/serial@10000000" };
	CHECK(guestdt_build(buf, sizeof(buf), &p, err, sizeof(err)) == 0, "%s", err);
	CHECK(!strcmp(prop_str("/soc/rtc@101000", "compatible"), "google,goldfish-rtc"), "rtc node");
	CHECK(prop_str("/soc/rtc@101000", "interrupts") == NULL, "host interrupt kept");
	CHECK(prop_str("/soc/rtc@101000", "interrupt-parent") == NULL, "host interrupt-parent kept");
	int rtc = fdt_path_offset(buf, "/soc/rtc@101000"), len;
	const fdt64_t *reg = rtc < 0 ? NULL : fdt_getprop(buf, rtc, "reg", &len);
	CHECK(reg && len == 16 && fdt64_ld(&reg[0]) == 0x101000 && fdt64_ld(&reg[1]) == 0x1000,
	      "reg not re-encoded in 2+2 cells");
	CHECK(!strcmp(prop_str("/chosen", "stdout-path"), "/soc/serial@10000000"),
	      "passed-through console UART is not the guest's stdout");
	CHECK(fdt_path_offset(buf, "/soc/plic@c000000") < 0, "a virtual PLIC without a source on it");
	c.devices[0].path[5] = 'x';   /* /soc/xtc@101000: not in the host tree */
	CHECK(guestdt_build(buf, sizeof(buf), &p, err, sizeof(err)) < 0, "missing host node accepted");
}

static const uint32_t *dev_irqs(const char *path, int *n)
{
	int node = fdt_path_offset(buf, path), len = 0;
	const fdt32_t *v = node < 0 ? NULL : fdt_getprop(buf, node, "interrupts", &len);
	*n = v ? len / 4 : 0;
	static uint32_t out[8];
	for (int i = 0; i < *n && i < 8; i++)
		out[i] = fdt32_ld(&v[i]);
	return out;
}

/* Host interrupts become vPLIC sources: kept when free, else the lowest free one. */
static void test_passthrough_interrupts(void)
{
	static char host[4096];
	make_host(host, sizeof(host));
	struct vmcfg c = cfg("{\"id\": 1, \"name\": \"p\", \"vcpus\": 2, \"affinity\": [0, 1],"
			     "\"memory\": [{\"gpa\": \"0x80000000\", \"size\": \"32M\"}],"
			     "\"kernel\": {\"image\": \"k\"}, \"devices\": ["
			     "{\"passthrough\": \"/soc/rtc@101000\"},"
			     "{\"passthrough\": \"/soc/virtio@10001000\"}]}");
	struct irqmap m;
	CHECK(irqmap_build(host, &c, 1u << 10, 32, &m, err, sizeof(err)) == 0, "%s", err);
	CHECK(m.n == 3, "%u entries", m.n);
	struct vmcfg_layout l = { 0 };
	struct guestdt_params p = { .cfg = &c, .layout = &l, .timebase_hz = 10000000,
				    .host_isa = &host_isa_set, .host_fdt = host, .irqs = &m,
				    .irqc = { .gpa = 0xc000000, .size = 0x400000, .lines = 32 } };
	CHECK(guestdt_build(buf, sizeof(buf), &p, err, sizeof(err)) == 0, "%s", err);
	int n;
	const uint32_t *v = dev_irqs("/soc/rtc@101000", &n);
	CHECK(n == 1 && v[0] == 11, "rtc: %d interrupts, first %u", n, n ? v[0] : 0);
	v = dev_irqs("/soc/virtio@10001000", &n);
	/* host 40 is beyond the vPLIC: lowest free is 1; host 11 is shared with the rtc */
	CHECK(n == 2 && v[0] == 1 && v[1] == 11, "virtio: %d interrupts: %u %u", n, v[0], v[1]);
	int rtc = fdt_path_offset(buf, "/soc/rtc@101000"), len;
	const fdt32_t *ip = fdt_getprop(buf, rtc, "interrupt-parent", &len);
	int plic = fdt_path_offset(buf, "/soc/plic@c000000");
	CHECK(ip && plic >= 0 && fdt32_ld(ip) == fdt_get_phandle(buf, plic), "interrupt-parent");
	CHECK(prop_str("/soc/virtio@10001000", "interrupts-extended") == NULL, "host list kept");

	/* taken: the identity number is in use, so the rtc moves */
	CHECK(irqmap_build(host, &c, (1u << 11) | (1u << 1), 32, &m, err, sizeof(err)) == 0, "%s", err);
	CHECK(m.e[0].host == 11 && m.e[0].virq == 2, "rtc got %u", m.e[0].virq);
	/* no room: a vPLIC of 2 sources (1 usable) cannot take three */
	CHECK(irqmap_build(host, &c, 0, 2, &m, err, sizeof(err)) < 0, "overfull vPLIC accepted");
	CHECK(strstr(err, "t.json: devices[1].passthrough: /soc/virtio@10001000: no virtual PLIC source"),
	      "%s", err);
	/* a device behind another interrupt controller cannot be routed */
	snprintf(c.devices[1].path, sizeof(c.devices[1].path), "/soc/gpio@2000");
	CHECK(irqmap_build(host, &c, 0, 32, &m, err, sizeof(err)) < 0, "foreign controller accepted");
	CHECK(strstr(err, "t.json: devices[1].passthrough: /soc/gpio@2000: its interrupt parent is not "
			  "the host PLIC"), "%s", err);
}

/* Both ways a kernel reads a vCPU's extensions, and nothing the guest may not use. */
static void test_isa_filter(void)
{
	struct isa h = { 0 };
	isa_parse_string("rv64imafdcvh_zicbom_zicboz_zicsr_zihpm_svadu_svpbmt_sstc_ssaia", &h);
	struct vmcfg c = cfg("{\"id\": 1, \"name\": \"b\", \"vcpus\": 1,"
			     "\"memory\": [{\"gpa\": \"0x80000000\", \"size\": \"32M\"}], \"kernel\": {\"image\": \"k\"}}");
	struct vmcfg_layout l = { .kernel_gpa = 0x80200000 };
	struct guestdt_params p = { .cfg = &c, .layout = &l, .timebase_hz = 10000000,
				    .host_isa = &h, .sstc = true };
	CHECK(guestdt_build(buf, sizeof(buf), &p, err, sizeof(err)) == 0, "%s", err);
	CHECK(!strcmp(prop_str("/cpus/cpu@0", "riscv,isa"), "rv64imafdc_zicsr_sstc"),
	      "riscv,isa %s", prop_str("/cpus/cpu@0", "riscv,isa"));
	CHECK(!strcmp(prop_str("/cpus/cpu@0", "riscv,isa-base"), "rv64i"), "riscv,isa-base");
	int cpu = fdt_path_offset(buf, "/cpus/cpu@0"), len;
	const char *list = cpu < 0 ? NULL : fdt_getprop(buf, cpu, "riscv,isa-extensions", &len);
	static const char want[] = "i\0m\0a\0f\0d\0c\0zicsr\0sstc";
	CHECK(list && len == (int)sizeof(want) && !memcmp(list, want, sizeof(want)),
	      "riscv,isa-extensions (%d bytes)", list ? len : -1);
	p.sstc = false;
	CHECK(guestdt_build(buf, sizeof(buf), &p, err, sizeof(err)) == 0, "%s", err);
	CHECK(!strcmp(prop_str("/cpus/cpu@0", "riscv,isa"), "rv64imafdc_zicsr"),
	      "riscv,isa without sstc: %s", prop_str("/cpus/cpu@0", "riscv,isa"));
}

int main(int argc, char **argv)
{
	const char *p = argc > 1 ? argv[1] : "guestdt";
	dump_path = argc > 2 ? argv[2] : NULL;
	isa_parse_string(host_isa_str, &host_isa_set);
	RUN_CASE(p, test_two_vcpus_initrd_bootargs);
	RUN_CASE(p, test_no_initrd_no_sstc);
	RUN_CASE(p, test_too_small_buffer);
	RUN_CASE(p, test_isa_filter);
	RUN_CASE(p, test_passthrough_nodes);
	RUN_CASE(p, test_passthrough_interrupts);
	return check_failures ? 1 : 0;
}
