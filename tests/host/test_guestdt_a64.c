/*
 * Host tests of partition/guestdt.c built with AArch64's parts
 * (arch/aarch64/cpus_dt.c, irqc/gicv3_dt.c): the tree a Linux VM gets, read
 * back with libfdt. partition/ is the same code as for RISC-V; only the
 * architecture's files differ.
 */
#include <string.h>
#include <libfdt.h>
#include "partition/guestdt.h"
#include "tests/host/check.h"

static char buf[65536];

static bool pl011;   /* the UART build() gives: the PL011, else the 16550 */

static int build(unsigned vcpus, bool uart)
{
	static struct vmcfg c;
	memset(&c, 0, sizeof(c));
	strcpy(c.name, "lx");
	strcpy(c.file, "lx.json");
	strcpy(c.bootargs, "console=ttyS0");
	c.vcpus = vcpus;
	c.nmem = 1;
	c.mem[0].gpa = 0x40000000;
	c.mem[0].size = 256u << 20;
	static struct vmcfg_layout l;
	char err[256] = "";
	struct guestdt_params p = {
		.cfg = &c, .layout = &l, .timebase_hz = 62500000, .uart_gpa = uart ? 0x09000000 : 0, .uart_pl011 = pl011, .uart_irq = 10,
		.irqc = { .model = 1, .gpa = 0x08000000, .size = 0x10000, .nvcpus = vcpus, .lines = 32,
			  .files_gpa = 0x080a0000, .always = true },
	};
	int rc = guestdt_build(buf, sizeof(buf), &p, err, sizeof(err));
	CHECK(rc == 0, "%s", err);
	return rc;
}

static uint32_t cell(const char *path, const char *prop, int i)
{
	int node = fdt_path_offset(buf, path), len;
	const fdt32_t *v = node >= 0 ? fdt_getprop(buf, node, prop, &len) : NULL;
	return v && (i + 1) * 4 <= len ? fdt32_to_cpu(v[i]) : 0xdeadbeef;
}

static void test_cpus_and_psci(void)
{
	if (build(4, true))
		return;
	for (int i = 0; i < 4; i++) {
		char path[32];
		snprintf(path, sizeof(path), "/cpus/cpu@%d", i);
		int node = fdt_path_offset(buf, path);
		CHECK(node >= 0, "%s missing", path);
		CHECK(cell(path, "reg", 0) == (uint32_t)i, "%s: reg is the vCPU's MPIDR", path);
		const char *m = node >= 0 ? fdt_getprop(buf, node, "enable-method", NULL) : NULL;
		CHECK(m && !strcmp(m, "psci"), "%s: enable-method psci", path);
	}
	CHECK(fdt_path_offset(buf, "/cpus/cpu@4") < 0, "no fifth cpu");
	int psci = fdt_path_offset(buf, "/psci");
	const char *method = psci >= 0 ? fdt_getprop(buf, psci, "method", NULL) : NULL;
	CHECK(method && !strcmp(method, "hvc"), "/psci method hvc");
	CHECK(psci >= 0 && fdt_node_check_compatible(buf, psci, "arm,psci-0.2") == 0, "/psci compatible");
}

static void test_timer_and_gic(void)
{
	if (build(2, true))
		return;
	int gic = fdt_path_offset(buf, "/soc/interrupt-controller@8000000");
	CHECK(gic >= 0 && fdt_node_check_compatible(buf, gic, "arm,gic-v3") == 0, "the GICv3 node");
	CHECK(cell("/soc/interrupt-controller@8000000", "#interrupt-cells", 0) == 3, "3 interrupt cells");
	CHECK(cell("/soc/interrupt-controller@8000000", "reg", 5) == 0x080a0000, "redistributors at 0x080a0000");
	CHECK(cell("/soc/interrupt-controller@8000000", "reg", 7) == 2 * 0x20000, "one 128 KiB frame pair per vCPU");
	uint32_t ph = cell("/soc/interrupt-controller@8000000", "phandle", 0);
	CHECK(cell("/timer", "interrupt-parent", 0) == ph, "the timer's parent is the GIC");
	CHECK(cell("/timer", "interrupts", 6) == 1 && cell("/timer", "interrupts", 7) == 11, "virtual timer: PPI 11");
	CHECK(cell("/soc/serial@9000000", "interrupts", 0) == 0 && cell("/soc/serial@9000000", "interrupts", 1) == 10,
	      "the UART: SPI 10");
	CHECK(cell("/soc/serial@9000000", "interrupt-parent", 0) == ph, "the UART's parent is the GIC");
}

/* A VM with no UART still gets the GIC: its timer needs it. */
static void test_gic_without_uart(void)
{
	if (build(1, false))
		return;
	CHECK(fdt_path_offset(buf, "/soc/interrupt-controller@8000000") >= 0, "the GIC without a UART");
	CHECK(fdt_path_offset(buf, "/soc/serial@9000000") < 0, "no UART node");
}

/* The emulated PL011: the AMBA compatible pair, a 4 KiB page with its ids, a named fixed clock. */
static void test_pl011(void)
{
	pl011 = true;
	int rc = build(1, true);
	pl011 = false;
	if (rc)
		return;
	const char *u = "/soc/serial@9000000";
	int node = fdt_path_offset(buf, u);
	CHECK(node >= 0 && fdt_node_check_compatible(buf, node, "arm,pl011") == 0 &&
	      fdt_node_check_compatible(buf, node, "arm,primecell") == 0, "arm,pl011 and arm,primecell");
	CHECK(cell(u, "reg", 1) == 0x09000000 && cell(u, "reg", 3) == 0x1000, "reg: one 4 KiB page");
	int len;
	const char *names = node >= 0 ? fdt_getprop(buf, node, "clock-names", &len) : NULL;
	CHECK(names && len == 17 && !strcmp(names, "uartclk") && !strcmp(names + 8, "apb_pclk"),
	      "clock-names uartclk, apb_pclk");
	int clk = fdt_node_offset_by_phandle(buf, cell(u, "clocks", 0));
	CHECK(clk >= 0 && cell(u, "clocks", 1) == cell(u, "clocks", 0), "both clocks name one node");
	CHECK(clk >= 0 && fdt_node_check_compatible(buf, clk, "fixed-clock") == 0, "a fixed clock");
	const char *out = fdt_getprop(buf, fdt_path_offset(buf, "/chosen"), "stdout-path", NULL);
	CHECK(out && !strcmp(out, u), "stdout-path is the PL011");
	CHECK(cell(u, "interrupts", 1) == 10, "the PL011: SPI 10");
}

int main(void)
{
	RUN_CASE("guestdt-a64", test_cpus_and_psci);
	RUN_CASE("guestdt-a64", test_timer_and_gic);
	RUN_CASE("guestdt-a64", test_gic_without_uart);
	RUN_CASE("guestdt-a64", test_pl011);
	return check_failures != 0;
}
