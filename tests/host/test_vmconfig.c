/*
 * Host tests of VM config parsing (partition/vmconfig.c, json.c); the
 * machine, plan and placement checks (partition/vmplan.c) are in test_vmplan.c.
 * usage: test_vmconfig PREFIX
 * Configs are written with ' for " to stay readable; q() swaps them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "partition/vmconfig.h"
#include "check.h"

static char err[VMCFG_ERR_LEN];
static struct vmcfg cfg;
static char jbuf[16384];

static const char *q(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i <= n; i++)
		jbuf[i] = s[i] == '\'' ? '"' : s[i];
	return jbuf;
}

static int parse_len(const char *json, size_t len)
{
	err[0] = '\0';
	return vmcfg_parse(json, len, "t.json", &cfg, err, sizeof(err));
}

static int parse(const char *qjson)
{
	const char *j = q(qjson);
	return parse_len(j, strlen(j));
}

#define MEM    "'memory': [{'gpa': '0x80000000', 'size': '32M'}]"
#define KERNEL "'kernel': {'image': 'k.bin'}"
#define HEAD   "'id': 1, 'name': 'vm', 'vcpus': 1"
#define CFG(extra) "{" HEAD ", " MEM ", " KERNEL extra "}"

/* Parse must fail with `code` and a message holding "t.json: " and `msg`. */
#define EXPECT(json, code, msg) expect_fail(__LINE__, json, code, msg)
static void expect_fail(int line, const char *qjson, int code, const char *msg)
{
	int rc = parse(qjson);
	CHECK(rc == code, "line %d: rc %d, want %d (%s)", line, rc, code, err);
	CHECK(strstr(err, msg) && !strncmp(err, "t.json: ", 8),
	      "line %d: message \"%s\" lacks \"%s\"", line, err, msg);
}

#define EXPECT_OK(json) do { int rc_ = parse(json); \
	CHECK(rc_ == 0, "line %d: rc %d: %s", __LINE__, rc_, err); } while (0)

static void test_minimal_and_defaults(void)
{
	EXPECT_OK(CFG(""));
	CHECK(cfg.id == 1 && !strcmp(cfg.name, "vm") && cfg.vcpus == 1, "id/name/vcpus");
	CHECK(!strcmp(cfg.file, "t.json"), "file %s", cfg.file);
	CHECK(cfg.affinity_default && cfg.naffinity == 1 && cfg.affinity[0] == 0, "affinity");
	CHECK(cfg.nmem == 1 && cfg.mem[0].gpa == 0x80000000 && cfg.mem[0].size == 32 << 20, "memory");
	CHECK(cfg.kernel.present && !strcmp(cfg.kernel.image, "k.bin"), "kernel image");
	CHECK(!cfg.kernel.has_gpa && cfg.kernel.gpa == 0x80200000, "kernel gpa 0x%lx",
	      (unsigned long)cfg.kernel.gpa);
	CHECK(!cfg.kernel.has_entry && cfg.kernel.entry == 0x80200000, "kernel entry");
	CHECK(!cfg.initrd.present && cfg.dtb == VMCFG_DTB_GENERATE && !cfg.bootargs[0], "optional parts");
	CHECK(cfg.ndevices == 0 && cfg.on_fault == VMCFG_FAULT_STOP, "devices, on_fault");
	EXPECT_OK("{'id': 0, 'name': 'a', 'vcpus': 3, " MEM ", " KERNEL "}");
	CHECK(cfg.naffinity == 3 && cfg.affinity[1] == 1 && cfg.affinity[2] == 2, "default affinity");
	err[0] = '\0';
	const char *j = q("{'id': 300}");
	CHECK(vmcfg_parse(j, strlen(j), NULL, &cfg, err, sizeof(err)) == E_RANGE &&
	      !strncmp(err, "config: id: ", 12), "no file name: %s", err);
}

static void test_full_example(void)
{
	EXPECT_OK("{ 'id': 7, 'name': 'linux_2-b', 'vcpus': 2, 'affinity': [3, 1],"
		  "  'memory': [ { 'gpa': '0x80000000', 'size': '256M' }, { 'gpa': 2415919104, 'size': 4096 } ],"
		  "  'kernel': { 'image': 'Image', 'gpa': '0x80400000', 'entry': '0x80400100' },"
		  "  'initrd': { 'image': 'initrd.cpio', 'gpa': '0x88000000' }, 'dtb': {'image': 'v.dtb'},"
		  "  'bootargs': 'console=ttyS0 earlycon=sbi',"
		  "  'devices': [ { 'passthrough': '/soc/serial@10000000' },"
		  "               { 'mmio': { 'hpa': '0x10001000', 'gpa': '0x10001000', 'size': '4K' } } ],"
		  "  'on_fault': 'reboot' }");
	CHECK(cfg.id == 7 && !strcmp(cfg.name, "linux_2-b") && cfg.vcpus == 2, "head");
	CHECK(!cfg.affinity_default && cfg.affinity[0] == 3 && cfg.affinity[1] == 1, "affinity");
	CHECK(cfg.nmem == 2 && cfg.mem[1].gpa == 0x90000000 && cfg.mem[1].size == 4096, "memory[1]");
	CHECK(cfg.kernel.has_gpa && cfg.kernel.gpa == 0x80400000 && cfg.kernel.has_entry &&
	      cfg.kernel.entry == 0x80400100, "kernel");
	CHECK(cfg.initrd.present && cfg.initrd.has_gpa && cfg.initrd.gpa == 0x88000000 &&
	      !strcmp(cfg.initrd.image, "initrd.cpio"), "initrd");
	CHECK(cfg.dtb == VMCFG_DTB_IMAGE && !strcmp(cfg.dtb_image, "v.dtb"), "dtb");
	CHECK(!strcmp(cfg.bootargs, "console=ttyS0 earlycon=sbi"), "bootargs %s", cfg.bootargs);
	CHECK(cfg.ndevices == 2 && cfg.devices[0].kind == VMCFG_DEV_PASSTHROUGH &&
	      !strcmp(cfg.devices[0].path, "/soc/serial@10000000"), "passthrough");
	CHECK(cfg.devices[1].kind == VMCFG_DEV_MMIO && cfg.devices[1].hpa == 0x10001000 &&
	      cfg.devices[1].gpa == 0x10001000 && cfg.devices[1].size == 4096, "mmio");
	CHECK(cfg.on_fault == VMCFG_FAULT_REBOOT, "on_fault");
	EXPECT_OK(CFG(", 'dtb': 'none', 'on_fault': 'stop'"));
	CHECK(cfg.dtb == VMCFG_DTB_NONE && cfg.on_fault == VMCFG_FAULT_STOP, "none/stop");
	EXPECT_OK(CFG(", 'dtb': 'generate', 'initrd': {'image': 'i'}"));
	CHECK(cfg.dtb == VMCFG_DTB_GENERATE && cfg.initrd.present && !cfg.initrd.has_gpa, "generate");
}

static void test_size_syntax(void)
{
	static const struct { const char *text; uint64_t v; } ok[] = {
		{ "4096", 4096 }, { "'4096'", 4096 }, { "'0x1000'", 0x1000 }, { "'0X1aB000'", 0x1ab000 },
		{ "'4K'", 4096 }, { "'512K'", 512 << 10 }, { "'64M'", 64 << 20 }, { "'1G'", 1ul << 30 },
		{ "'0x10M'", 16ul << 20 }, { "'0004096'", 4096 }, { "'1024G'", 1ul << 40 },
	};
	static const struct { const char *text; int code; const char *msg; } bad[] = {
		{ "'12Q'", E_FIELD, "\"12Q\" is not a number" }, { "''", E_FIELD, "not a number" },
		{ "'0x'", E_FIELD, "not a number" }, { "'4k'", E_FIELD, "not a number" },
		{ "'1.5M'", E_FIELD, "not a number" }, { "' 4096'", E_FIELD, "not a number" },
		{ "'4096 '", E_FIELD, "not a number" }, { "'K'", E_FIELD, "not a number" },
		{ "'4MM'", E_FIELD, "not a number" }, { "'-4096'", E_RANGE, "is negative" },
		{ "-4096", E_RANGE, "is negative" }, { "4096.0", E_FIELD, "not a whole number" },
		{ "4e3", E_FIELD, "not a whole number" }, { "true", E_FIELD, "not a boolean" },
		{ "null", E_FIELD, "not null" }, { "[4096]", E_FIELD, "not an array" },
		{ "'4\\u0030'", E_FIELD, "not a number" },
	};
	char json[256];
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(json, sizeof(json), "{" HEAD ", 'memory': [{'gpa': 0, 'size': %s}], "
			 "'kernel': {'image': 'k', 'gpa': 0}}", ok[i].text);
		EXPECT_OK(json);
		CHECK(cfg.mem[0].size == ok[i].v, "%s read as 0x%lx", ok[i].text,
		      (unsigned long)cfg.mem[0].size);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "{" HEAD ", 'memory': [{'gpa': 0, 'size': %s}], "
			 "'kernel': {'image': 'k', 'gpa': 0}}", bad[i].text);
		EXPECT(json, bad[i].code, bad[i].msg);
		CHECK(strstr(err, "memory[0].size: "), "%s: field not named: %s", bad[i].text, err);
	}
}

static void test_overflow(void)
{
	EXPECT("{" HEAD ", 'memory': [{'gpa': 0, 'size': '99999999999999999999'}]}", E_RANGE,
	       "memory[0].size: \"99999999999999999999\" does not fit in 64 bits");
	EXPECT("{" HEAD ", 'memory': [{'gpa': '0x10000000000000000', 'size': 1}]}", E_RANGE,
	       "memory[0].gpa: \"0x10000000000000000\" does not fit in 64 bits");
	EXPECT("{" HEAD ", 'memory': [{'gpa': 0, 'size': '17179869184G'}]}", E_RANGE,
	       "memory[0].size: \"17179869184G\" does not fit in 64 bits");
	EXPECT("{" HEAD ", 'memory': [{'gpa': 0, 'size': 18446744073709551616}]}", E_RANGE,
	       "does not fit in 64 bits");
	EXPECT("{" HEAD ", 'memory': [{'gpa': 0, 'size': '0xfffffffffffff000'}]}", E_RANGE,
	       "memory[0]: 0x0 + 0xfffffffffffff000 ends beyond the 41-bit");
	EXPECT("{" HEAD ", 'memory': [{'gpa': '0xfffffffffffff000', 'size': '8K'}]}", E_RANGE,
	       "memory[0]: 0xfffffffffffff000 + 0x2000 ends beyond the 41-bit");
	EXPECT("{" HEAD ", 'memory': [{'gpa': '0x1fffffff000', 'size': '8K'}]}", E_RANGE,
	       "41-bit guest physical address space (Sv39x4)");
	EXPECT_OK("{" HEAD ", 'memory': [{'gpa': '0x1ffffe00000', 'size': '2M'}], "
		  "'kernel': {'image': 'k', 'gpa': '0x1ffffe00000'}}");
	EXPECT("{'id': 99999999999999999999999}", E_RANGE,
	       "id: 99999999999999999999999 is out of range (0..255)");
	EXPECT("{'id': 1, 'affinity': [4294967296]}", E_RANGE, "affinity[0]: 4294967296 is out");
}

static void test_required_fields(void)
{
	EXPECT("{'name': 'a', 'vcpus': 1, " MEM ", " KERNEL "}", E_FIELD, "id: required field missing");
	EXPECT("{'id': 1, 'vcpus': 1, " MEM ", " KERNEL "}", E_FIELD, "name: required field missing");
	EXPECT("{'id': 1, 'name': 'a', " MEM ", " KERNEL "}", E_FIELD, "vcpus: required field missing");
	EXPECT("{" HEAD ", " KERNEL "}", E_FIELD, "memory: required field missing");
	EXPECT("{" HEAD ", " MEM "}", E_FIELD, "kernel: required field missing");
	EXPECT("{" HEAD ", 'memory': [{'gpa': 0}], " KERNEL "}", E_FIELD,
	       "memory[0].size: required field missing");
	EXPECT("{" HEAD ", " MEM ", 'kernel': {'gpa': 0}}", E_FIELD, "kernel.image: required field missing");
	EXPECT(CFG(", 'initrd': {}"), E_FIELD, "initrd.image: required field missing");
	EXPECT(CFG(", 'dtb': {}"), E_FIELD, "dtb.image: required field missing");
	EXPECT(CFG(", 'devices': [{'mmio': {'hpa': 0, 'gpa': 0}}]"), E_FIELD,
	       "devices[0].mmio.size: required field missing");
}

static void test_unknown_and_repeated_fields(void)
{
	EXPECT(CFG(", 'kernal': {}"), E_FIELD, "kernal: unknown field (expected id, name, vcpus");
	EXPECT("{" HEAD ", 'memory': [{'gpa': 0, 'sise': 1}]}", E_FIELD,
	       "memory[0].sise: unknown field (expected gpa or size)");
	EXPECT("{" HEAD ", " MEM ", 'kernel': {'image': 'k', 'entryy': 0}}", E_FIELD,
	       "kernel.entryy: unknown field (expected image, gpa or entry)");
	EXPECT(CFG(", 'initrd': {'image': 'i', 'entry': 0}"), E_FIELD,
	       "initrd.entry: unknown field (expected image or gpa)");
	EXPECT(CFG(", 'dtb': {'img': 'x'}"), E_FIELD, "dtb.img: unknown field");
	EXPECT(CFG(", 'devices': [{'passthrough': '/a'}, {'passthru': '/b'}]"), E_FIELD,
	       "devices[1].passthru: unknown field (expected passthrough or mmio)");
	EXPECT(CFG(", 'devices': [{'mmio': {'hpaa': 0}}]"), E_FIELD, "devices[0].mmio.hpaa: unknown");
	EXPECT(CFG(", 'id': 2"), E_FIELD, "id: given twice");
	EXPECT("{" HEAD ", 'memory': [{'gpa': 0, 'gpa': 0}]}", E_FIELD, "memory[0].gpa: given twice");
}

static void test_wrong_types(void)
{
	EXPECT("{'id': '1'}", E_FIELD, "id: must be an integer, not a string");
	EXPECT("{'id': 1.5}", E_FIELD, "id: 1.5 is not a whole number");
	EXPECT("{'id': 1, 'name': 5}", E_FIELD, "name: must be a string, not a number");
	EXPECT("{'vcpus': true}", E_FIELD, "vcpus: must be an integer, not a boolean");
	EXPECT("{'affinity': '0'}", E_FIELD, "affinity: must be an array, not a string");
	EXPECT("{'affinity': [0, '1']}", E_FIELD, "affinity[1]: must be an integer, not a string");
	EXPECT("{'memory': {}}", E_FIELD, "memory: must be an array, not an object");
	EXPECT("{'memory': [5]}", E_FIELD, "memory[0]: must be an object, not a number");
	EXPECT("{'kernel': 'k.bin'}", E_FIELD, "kernel: must be an object, not a string");
	EXPECT("{'kernel': {'image': 5}}", E_FIELD, "kernel.image: must be a string");
	EXPECT("{'dtb': 5}", E_FIELD, "dtb: must be \"generate\", \"none\" or {\"image\": NAME}, not a number");
	EXPECT("{'bootargs': ['a']}", E_FIELD, "bootargs: must be a string, not an array");
	EXPECT("{'devices': {}}", E_FIELD, "devices: must be an array");
	EXPECT("{'devices': ['/soc']}", E_FIELD, "devices[0]: must be an object, not a string");
	EXPECT("{'devices': [{'mmio': []}]}", E_FIELD, "devices[0].mmio: must be an object");
	EXPECT("{'on_fault': null}", E_FIELD, "on_fault: must be a string, not null");
	EXPECT("[1, 2]", E_FIELD, "(top level): must be an object { ... }, not an array");
}

static void test_ranges(void)
{
	char name[64], json[600];
	EXPECT("{'id': 256}", E_RANGE, "id: 256 is out of range (0..255)");
	EXPECT("{'id': -1}", E_RANGE, "id: -1 is out of range (0..255)");
	EXPECT_OK("{'id': 255, 'name': 'a', 'vcpus': 8, " MEM ", " KERNEL "}");
	CHECK(cfg.id == 255 && cfg.vcpus == 8 && cfg.affinity[7] == 7, "id 255, 8 vcpus");
	EXPECT("{'vcpus': 0}", E_RANGE, "vcpus: 0 is out of range (1..8)");
	EXPECT("{'vcpus': 9}", E_RANGE, "vcpus: 9 is out of range (1..8)");
	EXPECT("{'name': ''}", E_RANGE, "name: must not be empty");
	EXPECT("{'name': 'my vm'}", E_RANGE, "name: \"my vm\": character 3 is not allowed");
	EXPECT("{'name': 'vm.1'}", E_RANGE, "character 3 is not allowed (use A-Z a-z 0-9 _ -)");
	memset(name, 'n', 31);
	name[31] = '\0';
	snprintf(json, sizeof(json), "{'id': 1, 'name': '%s', 'vcpus': 1, " MEM ", " KERNEL "}", name);
	EXPECT_OK(json);
	snprintf(json, sizeof(json), "{'name': '%sn'}", name);
	EXPECT(json, E_RANGE, "name: longer than 31 characters");
	EXPECT("{'affinity': [0, 1, 2, 3, 4, 5, 6, 7, 8]}", E_RANGE, "affinity: 9 entries, at most 8");
	EXPECT("{'memory': []}", E_RANGE, "memory: 0 regions; give 1 to 4");
	EXPECT("{'memory': [{}, {}, {}, {}, {}]}", E_RANGE, "memory: 5 regions");
	EXPECT("{'memory': [{'gpa': 0, 'size': 0}]}", E_RANGE, "memory[0].size: must not be 0");
	EXPECT("{'memory': [{'gpa': '0x80000100', 'size': '4K'}]}", E_RANGE,
	       "memory[0].gpa: 0x80000100 is not 4 KiB aligned");
	EXPECT("{'memory': [{'gpa': 0, 'size': '4K'}, {'gpa': '8K', 'size': 4097}]}", E_RANGE,
	       "memory[1].size: 0x1001 is not 4 KiB aligned");
	EXPECT("{'kernel': {'image': 'k', 'entry': '0x80200001'}}", E_RANGE,
	       "kernel.entry: 0x80200001 is not 2-byte aligned");
	EXPECT("{'kernel': {'image': 'k', 'gpa': '0x80200800'}}", E_RANGE,
	       "kernel.gpa: 0x80200800 is not 4 KiB aligned");
	EXPECT("{'initrd': {'image': 'k', 'gpa': '0x80200800'}}", E_RANGE,
	       "initrd.gpa: 0x80200800 is not 4 KiB aligned");
	memset(json, 'b', sizeof(json));
	memcpy(json, "{'bootargs': '", 14);
	strcpy(json + 14 + 256, "'}");
	EXPECT(json, E_RANGE, "bootargs: longer than 255 characters");
	snprintf(json, sizeof(json), CFG(", 'bootargs': '%0255d'"), 0);
	EXPECT_OK(json);
	CHECK(strlen(cfg.bootargs) == 255, "bootargs of 255 characters cut to %zu", strlen(cfg.bootargs));
}

static void test_affinity_and_memory_layout(void)
{
	EXPECT_OK("{'id': 1, 'name': 'a', 'vcpus': 1, 'affinity': [3], " MEM ", " KERNEL "}");
	CHECK(!cfg.affinity_default && cfg.naffinity == 1 && cfg.affinity[0] == 3, "affinity [3]");
	EXPECT("{'id': 1, 'name': 'a', 'vcpus': 2, 'affinity': [3], " MEM ", " KERNEL "}",
	       E_CONFLICT, "affinity: 1 entry for 2 vcpus");
	EXPECT("{" HEAD ", 'memory': [{'gpa': '0x80000000', 'size': '32M'}, {'gpa': '0x81000000', "
	       "'size': '32M'}], " KERNEL "}", E_CONFLICT,
	       "memory[1]: 0x81000000-0x83000000 overlaps memory[0] (0x80000000-0x82000000)");
	EXPECT_OK("{" HEAD ", 'memory': [{'gpa': '0x80000000', 'size': '32M'}, {'gpa': '0x82000000', "
		  "'size': '32M'}], " KERNEL "}");
	EXPECT("{" HEAD ", " MEM ", 'kernel': {'image': 'k', 'gpa': '0x90000000'}}", E_RANGE,
	       "kernel.gpa: 0x90000000 is outside the VM's memory");
	EXPECT("{" HEAD ", 'memory': [{'gpa': '0x80000000', 'size': '2M'}], " KERNEL "}", E_RANGE,
	       "kernel.gpa: the default 0x80200000 (memory[0].gpa + 2 MiB) is outside");
	EXPECT("{" HEAD ", " MEM ", 'kernel': {'image': 'k', 'entry': '0x70000000'}}", E_RANGE,
	       "kernel.entry: 0x70000000 is outside the VM's memory");
	EXPECT(CFG(", 'initrd': {'image': 'i', 'gpa': '0x90000000'}"), E_RANGE,
	       "initrd.gpa: 0x90000000 is outside the VM's memory");
}

static void test_image_names(void)
{
	char json[300], name[64];
	memset(name, 'i', 55);
	name[55] = '\0';
	snprintf(json, sizeof(json), CFG(", 'initrd': {'image': '%s'}"), name);
	EXPECT_OK(json);
	snprintf(json, sizeof(json), CFG(", 'initrd': {'image': '%si'}"), name);
	EXPECT(json, E_RANGE, "initrd.image: longer than 55 characters (the package entry name limit)");
	EXPECT(CFG(", 'initrd': {'image': ''}"), E_RANGE, "initrd.image: must not be empty");
	EXPECT(CFG(", 'initrd': {'image': 'a/b'}"), E_RANGE, "initrd.image: \"a/b\": character 2");
	EXPECT(CFG(", 'dtb': {'image': '.hidden'}"), E_RANGE, "dtb.image: \".hidden\": character 1");
	EXPECT(CFG(", 'dtb': {'image': 'x.json'}"), E_RANGE, "names ending in .json are configs");
	EXPECT_OK(CFG(", 'dtb': {'image': 'Image-6.1+x_y.dtb'}"));
}

static void test_dtb_bootargs_on_fault(void)
{
	EXPECT(CFG(", 'dtb': 'generated'"), E_RANGE,
	       "dtb: \"generated\" is not \"generate\", \"none\" or {\"image\": NAME}");
	EXPECT(CFG(", 'dtb': 'none', 'bootargs': 'quiet'"), E_CONFLICT,
	       "bootargs: has no effect with \"dtb\": \"none\"");
	EXPECT_OK(CFG(", 'dtb': 'none', 'bootargs': ''"));
	EXPECT_OK(CFG(", 'dtb': {'image': 'g.dtb'}, 'bootargs': 'quiet'"));
	EXPECT(CFG(", 'on_fault': 'restart'"), E_RANGE,
	       "on_fault: \"restart\" is not \"stop\" or \"reboot\"");
}

/* The console: SBI (the default), an emulated 16550 or PL011, one of them. */
static void test_console(void)
{
	EXPECT_OK(CFG(""));
	CHECK(cfg.console == VMCFG_CONSOLE_SBI && !vmcfg_console_uart(&cfg), "SBI console by default");
	EXPECT_OK(CFG(", 'console': {'pl011': '0x09000000'}"));
	CHECK(cfg.console == VMCFG_CONSOLE_PL011 && cfg.console_gpa == 0x09000000 && vmcfg_console_uart(&cfg),
	      "a PL011 at 0x09000000");
	EXPECT_OK(CFG(", 'console': {'uart16550': '0x10000000'}"));
	CHECK(cfg.console == VMCFG_CONSOLE_UART16550 && cfg.console_gpa == 0x10000000, "a 16550 at 0x10000000");
	EXPECT(CFG(", 'console': {'pl011': '0x09000000', 'uart16550': '0x10000000'}"), E_FIELD,
	       "console: must name one UART: \"sbi\", {\"uart16550\": GPA} or {\"pl011\": GPA}");
	EXPECT(CFG(", 'console': {}"), E_FIELD, "console: must name one UART");
	EXPECT(CFG(", 'console': {'pl011': '0x09000010'}"), E_RANGE, "console.pl011: 0x9000010 is not 4 KiB aligned");
	EXPECT(CFG(", 'console': {'pl011': '0x80001000'}"), E_CONFLICT, "console.pl011: 0x80001000 overlaps memory[0]");
	EXPECT(CFG(", 'console': {'uart': 0}"), E_FIELD, "console.uart");
	EXPECT(CFG(", 'console': 3"), E_FIELD, "console: must be \"sbi\", {\"uart16550\": GPA} or {\"pl011\": GPA}, not");
}

static void test_devices(void)
{
	EXPECT(CFG(", 'devices': [{'passthrough': '/a', 'mmio': {'hpa': 0, 'gpa': 0, 'size': '4K'}}]"),
	       E_FIELD,
	       "devices[0]: needs exactly one of \"passthrough\" or \"mmio\"");
	EXPECT(CFG(", 'devices': [{}]"), E_FIELD, "devices[0]: needs exactly one");
	EXPECT(CFG(", 'devices': [{'passthrough': 'soc/uart'}]"), E_RANGE,
	       "devices[0].passthrough: \"soc/uart\" must be a host device tree path");
	EXPECT(CFG(", 'devices': [{'passthrough': '/'}]"), E_RANGE, "devices[0].passthrough:");
	EXPECT(CFG(", 'devices': [{'passthrough': '/soc/a b'}]"), E_RANGE, "spaces and control");
	EXPECT(CFG(", 'devices': [{'passthrough': '/soc/a'}, {'passthrough': '/soc/a'}]"),
	       E_CONFLICT, "devices[1].passthrough: /soc/a is already passed through by devices[0]");
	EXPECT(CFG(", 'devices': [{'mmio': {'hpa': 0, 'gpa': 0, 'size': 0}}]"), E_RANGE,
	       "devices[0].mmio.size: must not be 0");
	EXPECT(CFG(", 'devices': [{'mmio': {'hpa': '0x10000010', 'gpa': 0, 'size': '4K'}}]"),
	       E_RANGE, "devices[0].mmio.hpa: 0x10000010 is not 4 KiB aligned");
	EXPECT(CFG(", 'devices': [{'mmio': {'hpa': '0x10000000', 'gpa': '0x81000000', 'size': '4K'}}]"),
	       E_CONFLICT, "devices[0].mmio: gpa 0x81000000-0x81001000 overlaps memory[0]");
	EXPECT(CFG(", 'devices': [{'mmio': {'hpa': '0x10000000', 'gpa': '0x10000000', 'size': '8K'}},"
		   "{'mmio': {'hpa': '0x10001000', 'gpa': '0x20000000', 'size': '4K'}}]"),
	       E_CONFLICT, "devices[1].mmio: overlaps devices[0].mmio");
	EXPECT(CFG(", 'devices': [{'mmio': {'hpa': '0xfffffffffffff000', 'gpa': 0, 'size': '8K'}}]"),
	       E_RANGE, "devices[0].mmio: hpa 0xfffffffffffff000 + size 0x2000 ends beyond the 56-bit");
	EXPECT(CFG(", 'devices': [{'mmio': {'hpa': 0, 'gpa': '0x1fffffff000', 'size': '8K'}}]"),
	       E_RANGE, "devices[0].mmio: gpa 0x1fffffff000 + size 0x2000 ends beyond the 41-bit");
	EXPECT(CFG(", 'devices': [{}, {}, {}, {}, {}, {}, {}, {}, {}]"), E_RANGE,
	       "devices: 9 devices, at most 8");
}

static void test_string_escapes(void)
{
	EXPECT_OK("{'id': 1, 'name': '\\u0041b\\u005f', 'vcpus': 1, " MEM ", " KERNEL
		  ", 'bootargs': 'a\\nb\\t\\'\\\\\\/ \\u00e9\\ud83d\\ude00'}");
	CHECK(!strcmp(cfg.name, "Ab_"), "name %s", cfg.name);
	CHECK(!strcmp(cfg.bootargs, "a\nb\t\"\\/ \xc3\xa9\xf0\x9f\x98\x80"), "bootargs %s", cfg.bootargs);
	EXPECT(CFG(", 'bootargs': '\\ud800x'"), E_RANGE, "bootargs: contains \\u0000 or an unpaired");
	EXPECT(CFG(", 'bootargs': 'a\\u0000'"), E_RANGE, "bootargs: contains \\u0000");
	EXPECT("{'name': 'a\\u0020b'}", E_RANGE, "name: \"a b\": character 2 is not allowed");
}

static void test_syntax_errors(void)
{
	static const struct { const char *json, *msg; } bad[] = {
		{ "", "no JSON value" }, { "  \n ", "no JSON value" },
		{ "{'id': 1,}", "line 1, column 9: ',': unexpected here" },
		{ "{'id': [1,]}", "',': unexpected here" }, { "{'id': [1 2]}", "expected ','" },
		{ "{'id' 1}", "not valid JSON" }, { "{'id': 1 'name': 'a'}", "expected a \"key\": value pair" },
		{ "{id: 1}", "not valid JSON" },
		{ "{'id': tru}", "not a valid number, true, false or null" },
		{ "{'id': 01}", "not a valid number" }, { "{'id': +1}", "not valid JSON" },
		{ "{'id': .5}", "not valid JSON" }, { "{'id': 1.}", "not a valid number" },
		{ "{'id': 1} // c", "not valid JSON" }, { "{'id': 1}\n{}", "line 2, column 1: '{'" },
		{ "{'id': 1} x", "not valid JSON" }, { "{'id': 'a\\x'}", "bad escape" },
		{ "{'id': 'a\tb'}", "control character inside a string" },
		{ "{'id': 'abc}", "truncated JSON" }, { "{'id': [1, 2}", "not valid JSON" },
		{ "{'a': 1, 'b': {'c': [}", "not valid JSON" }, { "{\n'id':\n  1 2}", "line 3, column 5" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT(bad[i].json, E_SYNTAX, bad[i].msg);
	CHECK(parse_len("{'id': 1}", 9) == E_SYNTAX &&
	      strstr(err, "line 1, column 2: ''': not valid JSON"), "single quotes: %s", err);
	EXPECT("'id'", E_FIELD, "(top level): must be an object { ... }, not a string");
	/* Every proper prefix of a valid config is truncated JSON. */
	const char *full = q(CFG(", 'devices': [{'mmio': {'hpa': 0, 'gpa': 0, 'size': '4K'}}]"));
	static char copy[1024];
	size_t n = strlen(full);
	strcpy(copy, full);
	CHECK(parse_len(copy, n) == 0, "full config: %s", err);
	for (size_t len = 0; len < n; len++) {
		int rc = parse_len(copy, len);
		CHECK(rc == E_SYNTAX, "prefix of %zu bytes: rc %d (%s)", len, rc, err);
	}
	/* A NUL inside the given length ends the JSON early: not silently accepted. */
	char with_nul[64] = "{\"id\": 1}";
	CHECK(parse_len(with_nul, 12) == E_SYNTAX && strstr(err, "byte 0x0"), "NUL: %s", err);
}

static void test_deep_nesting(void)
{
	static char deep[VMCFG_MAX_JSON + 1];
	EXPECT("{'bootargs': [[[[[[[[1]]]]]]]]}", E_SYNTAX, "nested more than 8 deep");
	EXPECT("{'bootargs': [[[[[[[1]]]]]]]}", E_FIELD, "bootargs: must be a string, not an array");
	memset(deep, '[', sizeof(deep));
	CHECK(parse_len(deep, 60000) == E_SYNTAX && strstr(err, "line 1, column 9: '[': objects "
	      "and arrays nested more than 8 deep"), "60000 brackets: %s", err);
	memset(deep, '{', sizeof(deep));
	CHECK(parse_len(deep, 60000) == E_SYNTAX, "60000 braces: %s", err);
	CHECK(parse_len(deep, sizeof(deep)) == E_SYNTAX && strstr(err, "65537 bytes, more than "
	      "the 65536 allowed"), "a config over 64 KiB: %s", err);
}

static void test_token_exhaustion(void)
{
	char json[4096];
	size_t n = (size_t)snprintf(json, sizeof(json), "{'affinity': [0");
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(json + n, sizeof(json) - n, ", 0");
	snprintf(json + n, sizeof(json) - n, "]}");
	EXPECT(json, E_SYNTAX, "more than 256 JSON tokens");
	n = (size_t)snprintf(json, sizeof(json), "{'affinity': [0");
	for (int i = 0; i < 250; i++)
		n += (size_t)snprintf(json + n, sizeof(json) - n, ", 0");
	snprintf(json + n, sizeof(json) - n, "]}");
	EXPECT(json, E_RANGE, "affinity: 251 entries, at most 8");
}

/* The machine, plan and placement cases live in test_vmplan.c; returns its failures. */
int run_plan_cases(const char *prefix);

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s PREFIX\n", argv[0]);
		return 2;
	}
	const char *p = argv[1];
	RUN_CASE(p, test_minimal_and_defaults);
	RUN_CASE(p, test_full_example);
	RUN_CASE(p, test_size_syntax);
	RUN_CASE(p, test_overflow);
	RUN_CASE(p, test_required_fields);
	RUN_CASE(p, test_unknown_and_repeated_fields);
	RUN_CASE(p, test_wrong_types);
	RUN_CASE(p, test_ranges);
	RUN_CASE(p, test_affinity_and_memory_layout);
	RUN_CASE(p, test_image_names);
	RUN_CASE(p, test_dtb_bootargs_on_fault);
	RUN_CASE(p, test_console);
	RUN_CASE(p, test_devices);
	RUN_CASE(p, test_string_escapes);
	RUN_CASE(p, test_syntax_errors);
	RUN_CASE(p, test_deep_nesting);
	RUN_CASE(p, test_token_exhaustion);
	int plan_failures = run_plan_cases(p);
	return check_failures || plan_failures ? 1 : 0;
}
