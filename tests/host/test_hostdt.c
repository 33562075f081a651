/*
 * Host tests of partition/hostdt.c against QEMU's own virt device tree
 * (dumped by the test runner) and broken variants made from it with libfdt.
 * usage: test_hostdt PREFIX virt.dtb   (a 4-hart, 1 GiB virt machine)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include "partition/hostdt.h"
#include "check.h"

static char *base_dtb;
static size_t base_len;
static char buf[128 * 1024];
static char err[HOSTDT_ERR_LEN];
static struct host_platform plat;

static void *fresh(void)
{
	memcpy(buf, base_dtb, base_len);
	fdt_open_into(buf, buf, sizeof(buf));
	return buf;
}

static int node(void *fdt, const char *path)
{
	int n = fdt_path_offset(fdt, path);
	CHECK(n >= 0, "test set-up: %s not in the tree", path);
	return n;
}

static int read_tree(void *fdt, uint64_t boot_hart)
{
	err[0] = '\0';
	return hostdt_read(fdt, boot_hart, &plat, err, sizeof(err));
}

static void test_qemu_virt(void)
{
	CHECK(read_tree(fresh(), 2) == 0, "error: %s", err);
	CHECK(plat.nharts == 4, "nharts %u", plat.nharts);
	for (unsigned i = 0; i < plat.nharts; i++)
		CHECK(plat.hartid[i] == i, "hart %u has id %lu", i, (unsigned long)plat.hartid[i]);
	CHECK(plat.boot_index == 2, "boot index %d", plat.boot_index);
	CHECK(plat.timebase_hz == 10000000, "timebase %lu", (unsigned long)plat.timebase_hz);
	CHECK(plat.nram == 1 && plat.ram[0].base == 0x80000000 && plat.ram[0].size == 1ull << 30,
	      "ram %u regions, first 0x%lx+0x%lx", plat.nram, (unsigned long)plat.ram[0].base,
	      (unsigned long)plat.ram[0].size);
	CHECK(hostdt_ram_total(&plat) == 1ull << 30, "ram total");
	CHECK(plat.uart.present && plat.uart.base == 0x10000000 && plat.uart.reg_io_width == 1,
	      "uart present %d base 0x%lx", plat.uart.present, (unsigned long)plat.uart.base);
	CHECK(!strcmp(plat.uart.path, "/soc/serial@10000000"), "uart path %s", plat.uart.path);
	CHECK(plat.plic.present && plat.plic.base == 0xc000000 && plat.plic.ndev > 0,
	      "plic present %d base 0x%lx", plat.plic.present, (unsigned long)plat.plic.base);
	for (unsigned i = 0; i < plat.nharts; i++)   /* virt: M then S context per hart */
		CHECK(plat.plic.sctx[i] == (int)(2 * i + 1), "hart %u: S context %d", i, plat.plic.sctx[i]);
	CHECK(plat.plic.phandle != 0, "plic phandle");
	CHECK(hostdt_isa_has(plat.boot_isa, 'h'), "isa %s lacks h", plat.boot_isa);
	CHECK(plat.poweroff.present && plat.poweroff.base == 0x100000, "sifive,test at 0x%lx",
	      (unsigned long)plat.poweroff.base);
	CHECK(!plat.initrd.present, "initrd found in a tree without one");
}

static void test_null_and_bad_magic(void)
{
	CHECK(read_tree(NULL, 0) == HOSTDT_EBADTREE, "NULL accepted");
	CHECK(strstr(err, "no device tree"), "message: %s", err);
	char *fdt = fresh();
	fdt[0] ^= 0xff;
	CHECK(read_tree(fdt, 0) == HOSTDT_EBADTREE, "bad magic accepted");
	CHECK(strstr(err, "header") && strstr(err, "FDT_ERR_BADMAGIC"), "message: %s", err);
}

static void test_truncated_structure(void)
{
	void *fdt = fresh();
	fdt_set_off_dt_struct(fdt, fdt_totalsize(fdt) + 64);
	CHECK(read_tree(fdt, 0) == HOSTDT_EBADTREE, "struct block past the end accepted");
	CHECK(strstr(err, "header"), "message: %s", err);
}

static void test_no_timebase(void)
{
	void *fdt = fresh();
	fdt_delprop(fdt, node(fdt, "/cpus"), "timebase-frequency");
	CHECK(read_tree(fdt, 0) == HOSTDT_EMISSING, "missing timebase accepted");
	CHECK(strstr(err, "/cpus") && strstr(err, "timebase-frequency"), "message: %s", err);
}

static void test_boot_hart_absent(void)
{
	CHECK(read_tree(fresh(), 7) == HOSTDT_EMISSING, "unknown boot hart accepted");
	CHECK(strstr(err, "boot hart 7"), "message: %s", err);
}

static void test_disabled_hart_skipped(void)
{
	void *fdt = fresh();
	fdt_setprop_string(fdt, node(fdt, "/cpus/cpu@3"), "status", "disabled");
	CHECK(read_tree(fdt, 0) == 0, "error: %s", err);
	CHECK(plat.nharts == 3, "nharts %u with one disabled", plat.nharts);
}

static void test_no_cpus(void)
{
	void *fdt = fresh();
	fdt_del_node(fdt, node(fdt, "/cpus"));
	CHECK(read_tree(fdt, 0) == HOSTDT_EMISSING, "tree without /cpus accepted");
	CHECK(strstr(err, "/cpus"), "message: %s", err);
}

static void test_no_memory(void)
{
	void *fdt = fresh();
	fdt_del_node(fdt, node(fdt, "/memory@80000000"));
	CHECK(read_tree(fdt, 0) == HOSTDT_EMISSING, "tree without memory accepted");
	CHECK(strstr(err, "/memory"), "message: %s", err);
}

static void test_bad_memory_reg(void)
{
	void *fdt = fresh();
	fdt_setprop_u32(fdt, node(fdt, "/memory@80000000"), "reg", 5);
	CHECK(read_tree(fdt, 0) == HOSTDT_EINVAL, "3-byte memory reg accepted");
	CHECK(strstr(err, "memory@80000000") && strstr(err, "reg"), "message: %s", err);
}

static void test_no_uart(void)
{
	void *fdt = fresh();
	fdt_del_node(fdt, node(fdt, "/soc/serial@10000000"));
	fdt_delprop(fdt, node(fdt, "/chosen"), "stdout-path");
	CHECK(read_tree(fdt, 0) == 0, "error: %s", err);
	CHECK(!plat.uart.present, "uart found where there is none");
}

static void test_stdout_path_with_options(void)
{
	void *fdt = fresh();
	fdt_setprop_string(fdt, node(fdt, "/chosen"), "stdout-path", "/soc/serial@10000000:115200n8");
	CHECK(read_tree(fdt, 0) == 0, "error: %s", err);
	CHECK(plat.uart.present && plat.uart.base == 0x10000000, "uart not found through stdout-path");
}

static void test_bad_uart_width(void)
{
	void *fdt = fresh();
	fdt_setprop_u32(fdt, node(fdt, "/soc/serial@10000000"), "reg-io-width", 2);
	CHECK(read_tree(fdt, 0) == HOSTDT_EINVAL, "reg-io-width 2 accepted");
	CHECK(strstr(err, "serial@10000000") && strstr(err, "reg-io-width"), "message: %s", err);
}

static void test_reserved_memory(void)
{
	void *fdt = fresh();
	int rm = fdt_add_subnode(fdt, 0, "reserved-memory");
	fdt_setprop_u32(fdt, rm, "#address-cells", 2);
	fdt_setprop_u32(fdt, rm, "#size-cells", 2);
	int mm = fdt_add_subnode(fdt, rm, "mmode_resv0@80000000");
	fdt32_t reg[4] = { cpu_to_fdt32(0), cpu_to_fdt32(0x80000000), cpu_to_fdt32(0),
			   cpu_to_fdt32(0x80000) };
	fdt_setprop(fdt, mm, "reg", reg, sizeof(reg));
	fdt_add_mem_rsv(fdt, 0x90000000, 0x1000);
	CHECK(read_tree(fdt, 0) == 0, "error: %s", err);
	CHECK(plat.nreserved == 2, "nreserved %u", plat.nreserved);
	CHECK(plat.reserved[0].base == 0x90000000 && plat.reserved[1].base == 0x80000000 &&
	      plat.reserved[1].size == 0x80000, "reserved regions wrong");
}

static void test_initrd(void)
{
	void *fdt = fresh();
	int chosen = node(fdt, "/chosen");
	fdt_setprop_u64(fdt, chosen, "linux,initrd-start", 0x88000000);
	fdt_setprop_u32(fdt, chosen, "linux,initrd-end", 0x88001000);
	CHECK(read_tree(fdt, 0) == 0, "error: %s", err);
	CHECK(plat.initrd.present && plat.initrd.start == 0x88000000 && plat.initrd.end == 0x88001000,
	      "initrd not read");
	fdt_setprop_u32(fdt, chosen, "linux,initrd-end", 0x80000000);
	CHECK(read_tree(fdt, 0) == HOSTDT_EINVAL, "initrd ending before its start accepted");
	CHECK(strstr(err, "linux,initrd-end"), "message: %s", err);
}

static void test_isa_parsing(void)
{
	CHECK(hostdt_isa_has("rv64imafdch_zicsr_sstc", 'h'), "h not found");
	CHECK(!hostdt_isa_has("rv64imafdc_zhinx", 'h'), "h found in a multi-letter extension");
	CHECK(!hostdt_isa_has("", 'h'), "h found in an empty string");
	CHECK(!hostdt_isa_has("x86_64", 'h'), "h found in garbage");
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s PREFIX virt.dtb\n", argv[0]);
		return 2;
	}
	FILE *f = fopen(argv[2], "rb");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	base_dtb = malloc(sizeof(buf));
	base_len = fread(base_dtb, 1, sizeof(buf), f);
	fclose(f);
	if (fdt_check_header(base_dtb) || fdt_totalsize(base_dtb) > sizeof(buf) / 2) {
		fprintf(stderr, "%s: not a usable device tree\n", argv[2]);
		return 2;
	}
	const char *p = argv[1];
	RUN_CASE(p, test_qemu_virt);
	RUN_CASE(p, test_null_and_bad_magic);
	RUN_CASE(p, test_truncated_structure);
	RUN_CASE(p, test_no_timebase);
	RUN_CASE(p, test_boot_hart_absent);
	RUN_CASE(p, test_disabled_hart_skipped);
	RUN_CASE(p, test_no_cpus);
	RUN_CASE(p, test_no_memory);
	RUN_CASE(p, test_bad_memory_reg);
	RUN_CASE(p, test_no_uart);
	RUN_CASE(p, test_stdout_path_with_options);
	RUN_CASE(p, test_bad_uart_width);
	RUN_CASE(p, test_reserved_memory);
	RUN_CASE(p, test_initrd);
	RUN_CASE(p, test_isa_parsing);
	free(base_dtb);
	return check_failures ? 1 : 0;
}
