/*
 * Host tests of partition/hostdt.c against QEMU's own virt device tree
 * (dumped by the test runner) and broken variants made from it with libfdt.
 * usage: test_hostdt PREFIX virt.dtb   (a 4-hart, 1 GiB virt machine, with H and Sstc:
 * QEMU 7.2's, which has riscv,isa only, and QEMU 10's, which has riscv,isa-extensions too)
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
	CHECK(plat.irqc.present && plat.irqc.base == 0xc000000 && plat.irqc.nsources > 0,
	      "plic present %d base 0x%lx", plat.irqc.present, (unsigned long)plat.irqc.base);
	for (unsigned i = 0; i < plat.nharts; i++)   /* virt: M then S context per hart */
		CHECK(plat.irqc.ctx[i] == (int)(2 * i + 1), "hart %u: S context %d", i, plat.irqc.ctx[i]);
	CHECK(plat.irqc.phandle != 0, "plic phandle");
	CHECK(isa_has(&plat.boot_isa, ISA_H) && isa_has(&plat.boot_isa, ISA_SSTC) &&
	      plat.boot_isa.xlen == 64, "isa %lx (xlen %u) lacks h or sstc",
	      (unsigned long)plat.boot_isa.ext, plat.boot_isa.xlen);
	CHECK(plat.poweroff.present && plat.poweroff.base == 0x100000, "sifive,test at 0x%lx",
	      (unsigned long)plat.poweroff.base);
	CHECK(!plat.initrd.present, "initrd found in a tree without one");
}

static void test_null_and_bad_magic(void)
{
	CHECK(read_tree(NULL, 0) == E_CORRUPT, "NULL accepted");
	CHECK(strstr(err, "no device tree"), "message: %s", err);
	char *fdt = fresh();
	fdt[0] ^= 0xff;
	CHECK(read_tree(fdt, 0) == E_CORRUPT, "bad magic accepted");
	CHECK(strstr(err, "header") && strstr(err, "FDT_ERR_BADMAGIC"), "message: %s", err);
}

static void test_truncated_structure(void)
{
	void *fdt = fresh();
	fdt_set_off_dt_struct(fdt, fdt_totalsize(fdt) + 64);
	CHECK(read_tree(fdt, 0) == E_CORRUPT, "struct block past the end accepted");
	CHECK(strstr(err, "header"), "message: %s", err);
}

static void test_no_timebase(void)
{
	void *fdt = fresh();
	fdt_delprop(fdt, node(fdt, "/cpus"), "timebase-frequency");
	CHECK(read_tree(fdt, 0) == E_MISSING, "missing timebase accepted");
	CHECK(strstr(err, "/cpus") && strstr(err, "timebase-frequency"), "message: %s", err);
}

/* Every value read from the tree is bounded (issue 11, item 9). */
static void test_bounded_values(void)
{
	void *fdt = fresh();
	int cpus = node(fdt, "/cpus");
	fdt_setprop_u32(fdt, cpus, "timebase-frequency", 100);
	CHECK(read_tree(fdt, 0) == E_INVAL, "a 100 Hz timebase accepted");
	CHECK(strstr(err, "/cpus: timebase-frequency 100 Hz is outside"), "message: %s", err);
	fdt_setprop_u32(fdt, cpus, "timebase-frequency", 1000);
	CHECK(read_tree(fdt, 0) == 0, "a 1 kHz timebase refused: %s", err);

	fdt = fresh();
	int plic = node(fdt, "/soc/plic@c000000");
	fdt_setprop_u32(fdt, plic, "riscv,ndev", 0xffffffe0u);   /* once an endless loop in plic.c */
	CHECK(read_tree(fdt, 0) == E_INVAL, "riscv,ndev 0xffffffe0 accepted");
	CHECK(strstr(err, "plic@c000000: riscv,ndev 4294967264: a PLIC has at most 1023 sources"),
	      "message: %s", err);
	fdt_setprop_u32(fdt, plic, "riscv,ndev", 1024);
	CHECK(read_tree(fdt, 0) == E_INVAL, "riscv,ndev 1024 accepted");
	fdt_setprop_u32(fdt, plic, "riscv,ndev", 1023);
	CHECK(read_tree(fdt, 0) == 0 && plat.irqc.nsources == 1023, "riscv,ndev 1023 refused: %s", err);

	/* a reg too small for the contexts tessera writes */
	fdt = fresh();
	plic = node(fdt, "/soc/plic@c000000");
	fdt32_t reg[4] = { 0, cpu_to_fdt32(0xc000000), 0, cpu_to_fdt32(0x201000) };
	fdt_setprop(fdt, plic, "reg", reg, sizeof(reg));
	CHECK(read_tree(fdt, 0) == E_INVAL, "a PLIC reg without the S-mode contexts accepted");
	CHECK(strstr(err, "interrupts-extended entry 1: context 1 is beyond the PLIC's reg (size 0x201000)"),
	      "message: %s", err);
}

/* What a VM may not be given (issue 11: a config could hand a VM host RAM or tessera). */
static void test_vm_ranges(void)
{
	char what[128];
	CHECK(read_tree(fresh(), 0) == 0, "error: %s", err);
	CHECK(plat.nkept >= 3, "%u controller ranges (want the CLINT, the PLIC, sifive,test)", plat.nkept);
	CHECK(hostdt_check_vm_range(&plat, 0x80200000, 0x10000, false, what, sizeof(what)) < 0 &&
	      strstr(what, "host RAM"), "tessera's own code given: %s", what);
	CHECK(hostdt_check_vm_range(&plat, 0x7ffff000, 0x2000, false, what, sizeof(what)) < 0,
	      "a range running into RAM given");
	CHECK(hostdt_check_vm_range(&plat, 0x2000000, 0x1000, false, what, sizeof(what)) < 0 &&
	      strstr(what, "clint"), "the CLINT given: %s", what);
	CHECK(hostdt_check_vm_range(&plat, 0xc100000, 0x1000, false, what, sizeof(what)) < 0 &&
	      strstr(what, "plic"), "the PLIC given: %s", what);
	CHECK(hostdt_check_vm_range(&plat, 0x100000, 0x1000, false, what, sizeof(what)) < 0 &&
	      strstr(what, "test"), "the power-off device given: %s", what);
	CHECK(hostdt_check_vm_range(&plat, 0x10000000, 0x100, false, what, sizeof(what)) < 0 &&
	      strstr(what, "console UART"), "the console UART given as mmio: %s", what);
	CHECK(hostdt_check_vm_range(&plat, 0x10000000, 0x100, true, what, sizeof(what)) == 0,
	      "the console UART refused when its node is passed: %s", what);
	CHECK(hostdt_check_vm_range(&plat, 0x101000, 0x1000, false, what, sizeof(what)) == 0,
	      "the RTC refused: %s", what);
	CHECK(hostdt_check_vm_range(&plat, 0x101000, 0, false, what, sizeof(what)) < 0, "empty range");
	CHECK(hostdt_check_vm_range(&plat, ~0ull - 0xfff, 0x2000, false, what, sizeof(what)) < 0,
	      "wrapping range");
	/* a region outside RAM that /reserved-memory names */
	void *fdt = fresh();
	int rm = fdt_add_subnode(fdt, 0, "reserved-memory");
	fdt_setprop_u32(fdt, rm, "#address-cells", 2);
	fdt_setprop_u32(fdt, rm, "#size-cells", 2);
	fdt_setprop(fdt, rm, "ranges", NULL, 0);
	int r = fdt_add_subnode(fdt, rm, "fw@50000000");
	fdt32_t reg[4] = { 0, cpu_to_fdt32(0x50000000), 0, cpu_to_fdt32(0x10000) };
	fdt_setprop(fdt, r, "reg", reg, sizeof(reg));
	CHECK(read_tree(fdt, 0) == 0, "error: %s", err);
	CHECK(hostdt_check_vm_range(&plat, 0x50008000, 0x1000, false, what, sizeof(what)) < 0 &&
	      strstr(what, "reserved memory"), "reserved memory given: %s", what);
}

static void test_boot_hart_absent(void)
{
	CHECK(read_tree(fresh(), 7) == E_MISSING, "unknown boot hart accepted");
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
	CHECK(read_tree(fdt, 0) == E_MISSING, "tree without /cpus accepted");
	CHECK(strstr(err, "/cpus"), "message: %s", err);
}

static void test_no_memory(void)
{
	void *fdt = fresh();
	fdt_del_node(fdt, node(fdt, "/memory@80000000"));
	CHECK(read_tree(fdt, 0) == E_MISSING, "tree without memory accepted");
	CHECK(strstr(err, "/memory"), "message: %s", err);
}

static void test_bad_memory_reg(void)
{
	void *fdt = fresh();
	fdt_setprop_u32(fdt, node(fdt, "/memory@80000000"), "reg", 5);
	CHECK(read_tree(fdt, 0) == E_INVAL, "3-byte memory reg accepted");
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
	CHECK(read_tree(fdt, 0) == E_INVAL, "reg-io-width 2 accepted");
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
	CHECK(read_tree(fdt, 0) == E_INVAL, "initrd ending before its start accepted");
	CHECK(strstr(err, "linux,initrd-end"), "message: %s", err);
}

static struct isa parsed(const char *s)
{
	struct isa i = { 0 };
	isa_parse_string(s, &i);
	return i;
}

static void test_isa_parsing(void)
{
	struct isa i = parsed("rv64imafdch_zicsr_sstc");
	CHECK(i.xlen == 64 && isa_has(&i, ISA_H) && isa_has(&i, ISA_SSTC) && isa_has(&i, ISA_ZICSR),
	      "rv64imafdch_zicsr_sstc: %lx", (unsigned long)i.ext);
	i = parsed("rv64imafdc_zhinx");
	CHECK(!isa_has(&i, ISA_H), "h found in a multi-letter extension");
	i = parsed("");
	CHECK(!i.ext && !i.xlen, "something found in an empty string");
	i = parsed("x86_64");
	CHECK(!i.ext && !i.xlen, "something found in garbage");
	i = parsed("RV64GCH_Sstc");   /* case, and g = imafd_zicsr_zifencei */
	CHECK(isa_has(&i, ISA_D) && isa_has(&i, ISA_ZIFENCEI) && isa_has(&i, ISA_SSTC) &&
	      isa_has(&i, ISA_H) && isa_has(&i, ISA_C), "RV64GCH_Sstc: %lx", (unsigned long)i.ext);
	i = parsed("rv64i2p1m2p0a2p1h1p0_zicsr2p0_sstc1p0");   /* versions */
	CHECK(isa_has(&i, ISA_M) && isa_has(&i, ISA_A) && isa_has(&i, ISA_H) &&
	      isa_has(&i, ISA_ZICSR) && isa_has(&i, ISA_SSTC) && !isa_has(&i, ISA_D),
	      "versioned string: %lx", (unsigned long)i.ext);
	/* QEMU 10's string, far longer than the 96 bytes tessera once kept: sstc is at the end */
	i = parsed("rv64imafdch_zic64b_zicbom_zicbop_zicboz_ziccamoa_ziccif_zicclsm_ziccrse_zicntr_"
		   "zicsr_zifencei_zihintntl_zihintpause_zihpm_zmmul_za64rs_zaamo_zalrsc_zawrs_zfa_"
		   "zca_zcd_zba_zbb_zbc_zbs_sdtrig_shcounterenw_shtvala_shvsatpa_shvstvala_shvstvecd_"
		   "ssccptr_sscounterenw_sstc_sstvala_sstvecd_ssu64xl_svadu_svvptc");
	CHECK(isa_has(&i, ISA_SSTC) && isa_has(&i, ISA_ZICBOZ) && isa_has(&i, ISA_SVADU),
	      "long string: %lx", (unsigned long)i.ext);
	/* what a guest is offered of it */
	struct isa g = isa_for_guest(&i, true);
	char out[256];
	isa_format(&g, out, sizeof(out));
	CHECK(!strcmp(out, "rv64imafdc_zicntr_zicsr_zifencei_zihintntl_zihintpause_zmmul_zaamo_zalrsc_"
			   "zfa_zca_zcd_zba_zbb_zbc_zbs_sstc"), "guest isa %s", out);
	g = isa_for_guest(&i, false);
	CHECK(!isa_has(&g, ISA_SSTC) && !isa_has(&g, ISA_H) && !isa_has(&g, ISA_ZICBOM) &&
	      !isa_has(&g, ISA_ZICBOZ) && !isa_has(&g, ISA_SVADU) && !isa_has(&g, ISA_ZIHPM) &&
	      !isa_has(&g, ISA_ZAWRS), "guest offered %lx", (unsigned long)g.ext);
	struct isa nosstc = parsed("rv64imafdch");
	g = isa_for_guest(&nosstc, true);
	CHECK(!isa_has(&g, ISA_SSTC), "sstc offered on a host without it");
	/* a short buffer: truncated and terminated, the length needed returned */
	CHECK(isa_format(&nosstc, out, 6) == 11 && !strcmp(out, "rv64i"), "short buffer: %s", out);

	/* the string list wins over the string; the base gives the width */
	void *fdt = fresh();
	int cpu = node(fdt, "/cpus/cpu@0");
	fdt_setprop_string(fdt, cpu, "riscv,isa", "rv64imafdc");
	static const char list[] = "i\0m\0a\0f\0d\0c\0h\0zicsr\0sstc\0svinval";
	fdt_setprop(fdt, cpu, "riscv,isa-extensions", list, sizeof(list));
	fdt_setprop_string(fdt, cpu, "riscv,isa-base", "rv64i");
	CHECK(read_tree(fdt, 0) == 0, "error: %s", err);
	CHECK(isa_has(&plat.boot_isa, ISA_H) && isa_has(&plat.boot_isa, ISA_SSTC) &&
	      isa_has(&plat.boot_isa, ISA_SVINVAL) && plat.boot_isa.xlen == 64,
	      "riscv,isa-extensions not read: %lx", (unsigned long)plat.boot_isa.ext);
	/* a list the blob does not terminate is not read: riscv,isa is */
	fdt = fresh();
	cpu = node(fdt, "/cpus/cpu@0");
	fdt_setprop_string(fdt, cpu, "riscv,isa", "rv64imafdch");
	fdt_setprop(fdt, cpu, "riscv,isa-extensions", "sstc", 4);
	CHECK(read_tree(fdt, 0) == 0, "error: %s", err);
	CHECK(isa_has(&plat.boot_isa, ISA_H) && !isa_has(&plat.boot_isa, ISA_SSTC),
	      "unterminated list read: %lx", (unsigned long)plat.boot_isa.ext);
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
	RUN_CASE(p, test_bounded_values);
	RUN_CASE(p, test_vm_ranges);
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
