/*
 * Host tests of partition/vmplan.c: a VM against the machine
 * (vmcfg_check_machine), VMs against each other (vmcfg_check_plan) and
 * images placed in guest memory (vmcfg_place). Linked into test_vmconfig.
 */
#include <stdio.h>
#include <string.h>
#include "partition/vmconfig.h"
#include "check.h"

int run_plan_cases(const char *prefix);

static char err[VMCFG_ERR_LEN];
static struct vmcfg_layout lay;

/* Parse a config written with ' for "; the test set-up must not fail. */
static struct vmcfg *load(struct vmcfg *c, const char *file, const char *qjson)
{
	static char json[2048];
	size_t n = strlen(qjson);
	for (size_t i = 0; i <= n; i++)
		json[i] = qjson[i] == '\'' ? '"' : qjson[i];
	int rc = vmcfg_parse(json, n, file, c, err, sizeof(err));
	CHECK(rc == 0, "set-up: %s", err);
	return c;
}

#define VM(id, name, extra) "{'id': " #id ", 'name': '" name "', 'vcpus': 1, " \
	"'memory': [{'gpa': '0x80000000', 'size': '32M'}], 'kernel': {'image': 'k'}" extra "}"

#define EXPECT_MSG(rc, want, msg) do { int rc_ = (rc); \
	CHECK(rc_ == (want), "rc %d, want %d (%s)", rc_, (want), err); \
	CHECK(strstr(err, msg), "message \"%s\" lacks \"%s\"", err, msg); } while (0)

static void test_check_machine(void)
{
	struct vmcfg c;
	load(&c, "linux.json", "{'id': 1, 'name': 'l', 'vcpus': 2, 'affinity': [0, 9], "
	     "'memory': [{'gpa': 0, 'size': '4M'}], 'kernel': {'image': 'k'}}");
	EXPECT_MSG(vmcfg_check_machine(&c, 4, err, sizeof(err)), E_RANGE,
		   "linux.json: affinity[1]: core 9 does not exist (the machine has 4 cores)");
	CHECK(vmcfg_check_machine(&c, 10, err, sizeof(err)) == 0, "10 cores: %s", err);
	load(&c, "d.json", "{'id': 1, 'name': 'l', 'vcpus': 3, 'affinity': [2, 0, 2], "
	     "'memory': [{'gpa': 0, 'size': '4M'}], 'kernel': {'image': 'k'}}");
	EXPECT_MSG(vmcfg_check_machine(&c, 4, err, sizeof(err)), E_CONFLICT,
		   "d.json: affinity[2]: core 2 is already used by vCPU 0");
	load(&c, "five.json", "{'id': 1, 'name': 'l', 'vcpus': 5, "
	     "'memory': [{'gpa': 0, 'size': '4M'}], 'kernel': {'image': 'k'}}");
	EXPECT_MSG(vmcfg_check_machine(&c, 4, err, sizeof(err)), E_RANGE,
		   "affinity[4]: core 4 does not exist (the machine has 4 cores); with no \"affinity\"");
	load(&c, "one.json", VM(1, "a", ", 'affinity': [1]"));
	EXPECT_MSG(vmcfg_check_machine(&c, 1, err, sizeof(err)), E_RANGE, "(the machine has 1 core)");
	c.naffinity = 0;   /* a hand-built struct */
	EXPECT_MSG(vmcfg_check_machine(&c, 4, err, sizeof(err)), E_CONFLICT,
		   "affinity: 0 entries for 1 vcpu");
}

static void test_plan_duplicates_keep_the_first(void)
{
	struct vmcfg c[4];
	bool refused[4];
	char errs[4][VMCFG_ERR_LEN];
	load(&c[0], "a.json", VM(1, "hello", ""));
	load(&c[1], "b.json", VM(1, "other", ""));
	load(&c[2], "c.json", VM(2, "hello", ""));
	load(&c[3], "d.json", VM(3, "fine", ", 'affinity': [3]"));
	CHECK(vmcfg_check_plan(c, 4, 4, refused, errs) == 2, "refused count");
	CHECK(!refused[0] && !errs[0][0], "the first is kept: %s", errs[0]);
	CHECK(refused[1] && !strcmp(errs[1], "b.json: id: 1 is already used by vm \"hello\" (a.json)"),
	      "b: %s", errs[1]);
	CHECK(refused[2] && !strcmp(errs[2], "c.json: name: \"hello\" is already used by vm 1 (a.json)"),
	      "c: %s", errs[2]);
	CHECK(!refused[3] && !errs[3][0], "d: %s", errs[3]);
	/* with 2 cores d's affinity fails; the others are unchanged */
	CHECK(vmcfg_check_plan(c, 4, 2, refused, errs) == 3 && refused[3] &&
	      strstr(errs[3], "d.json: affinity[0]: core 3 does not exist"), "d on 2 cores: %s", errs[3]);
}

static void test_plan_refused_vm_blocks_nothing(void)
{
	struct vmcfg c[2];
	bool refused[2];
	char errs[2][VMCFG_ERR_LEN];
	load(&c[0], "a.json", VM(1, "hello", ", 'affinity': [7]"));
	load(&c[1], "b.json", VM(1, "hello", ""));
	CHECK(vmcfg_check_plan(c, 2, 4, refused, errs) == 1, "refused count");
	CHECK(refused[0] && strstr(errs[0], "core 7 does not exist"), "a: %s", errs[0]);
	CHECK(!refused[1], "b refused only because of a refused VM: %s", errs[1]);
}

static void test_plan_devices(void)
{
	struct vmcfg c[3];
	bool refused[3];
	char errs[3][VMCFG_ERR_LEN];
	load(&c[0], "a.json", VM(1, "a", ", 'devices': [{'passthrough': '/soc/serial@10000000'}, "
	     "{'mmio': {'hpa': '0x10001000', 'gpa': '0x10001000', 'size': '8K'}}]"));
	load(&c[1], "b.json", VM(2, "b", ", 'devices': [{'passthrough': '/soc/serial@10000000'}]"));
	load(&c[2], "c.json", VM(3, "c", ", 'devices': [{'passthrough': '/soc/rtc'}, "
	     "{'mmio': {'hpa': '0x10002000', 'gpa': '0x30000000', 'size': '4K'}}]"));
	CHECK(vmcfg_check_plan(c, 3, 4, refused, errs) == 2, "refused count");
	CHECK(!refused[0], "a: %s", errs[0]);
	CHECK(refused[1] && strstr(errs[1], "b.json: devices[0].passthrough: /soc/serial@10000000 is "
				   "already passed through to vm \"a\" (a.json)"), "b: %s", errs[1]);
	CHECK(refused[2] && strstr(errs[2], "c.json: devices[1].mmio: host range 0x10002000-0x10003000 "
				   "is already given to vm \"a\""), "c: %s", errs[2]);
}

static void test_place_defaults(void)
{
	struct vmcfg c;
	struct vmcfg_sizes s = { 100000, 1 << 20, 0 };
	load(&c, "t.json", VM(1, "a", ", 'initrd': {'image': 'i'}"));
	CHECK(vmcfg_place(&c, &s, &lay, err, sizeof(err)) == 0, "%s", err);
	CHECK(lay.kernel_gpa == 0x80200000 && lay.entry == 0x80200000, "kernel 0x%lx",
	      (unsigned long)lay.kernel_gpa);
	CHECK(lay.dtb_gpa == 0x81e00000, "dtb 0x%lx: 2 MiB below the end", (unsigned long)lay.dtb_gpa);
	CHECK(lay.initrd_gpa == 0x81d00000 && lay.initrd_end == 0x81e00000, "initrd 0x%lx-0x%lx",
	      (unsigned long)lay.initrd_gpa, (unsigned long)lay.initrd_end);
	s.initrd = 12345;  /* page-aligned start, exact end */
	CHECK(vmcfg_place(&c, &s, &lay, err, sizeof(err)) == 0, "%s", err);
	CHECK(lay.initrd_gpa == 0x81dfc000 && lay.initrd_end == 0x81dfc000 + 12345, "initrd 0x%lx",
	      (unsigned long)lay.initrd_gpa);
	load(&c, "t.json", VM(1, "a", ", 'dtb': 'none', 'initrd': {'image': 'i'}"));
	CHECK(vmcfg_place(&c, &s, &lay, err, sizeof(err)) == 0 && lay.dtb_gpa == 0 &&
	      lay.initrd_gpa == 0x81ffc000, "no dtb: initrd at 0x%lx (%s)", (unsigned long)lay.initrd_gpa, err);
	load(&c, "t.json", "{'id': 1, 'name': 'a', 'vcpus': 1, 'memory': [{'gpa': '0x80000000', "
	     "'size': '4M'}, {'gpa': '0x90000000', 'size': '64M'}], 'kernel': {'image': 'k', "
	     "'gpa': '0x90000000', 'entry': '0x90000040'}, 'dtb': {'image': 'd'}}");
	s = (struct vmcfg_sizes){ 4096, 0, 3000 };
	CHECK(vmcfg_place(&c, &s, &lay, err, sizeof(err)) == 0, "%s", err);
	CHECK(lay.entry == 0x90000040 && lay.dtb_gpa == 0x93e00000 && lay.initrd_gpa == 0,
	      "second region: entry 0x%lx dtb 0x%lx", (unsigned long)lay.entry, (unsigned long)lay.dtb_gpa);
}

static void test_place_does_not_fit(void)
{
	struct vmcfg c;
	struct vmcfg_sizes s = { 9437184, 0, 0 };
	load(&c, "big.json", "{'id': 1, 'name': 'a', 'vcpus': 1, 'memory': [{'gpa': '0x80000000', "
	     "'size': '8M'}], 'kernel': {'image': 'k'}}");
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_CONFLICT,
		   "big.json: kernel.image: 9437184 bytes do not fit in memory[0] at 0x80200000");
	s.kernel = 0;
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_RANGE, "kernel.image: k is empty");
	s = (struct vmcfg_sizes){ 6 << 20, 0, 0 };  /* the DTB cannot go below the end */
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_CONFLICT,
		   "dtb: 65536 bytes at 0x807f0000 overlap the kernel (0x80200000-0x80800000)");
	s = (struct vmcfg_sizes){ 4096, 0, 65537 };
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_RANGE,
		   "dtb: a generated device tree of 65537 bytes is larger than the 65536");
	load(&c, "i.json", VM(1, "a", ", 'initrd': {'image': 'i'}"));
	s = (struct vmcfg_sizes){ 4096, 31 << 20, 0 };
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_CONFLICT,
		   "initrd.image: 32505856 bytes do not fit below 0x81e00000 in memory[0]");
	s = (struct vmcfg_sizes){ 4096, 30 << 20, 0 };  /* fits below the DTB, but on the kernel */
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_CONFLICT,
		   "initrd.image: 31457280 bytes at 0x80000000 overlap the kernel");
	s = (struct vmcfg_sizes){ 4096, 0, 0 };
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_RANGE, "initrd.image: i is empty");
	load(&c, "d.json", VM(1, "a", ", 'dtb': {'image': 'd'}"));
	s = (struct vmcfg_sizes){ 4096, 0, 0 };
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_RANGE, "dtb.image: d is empty");
	s = (struct vmcfg_sizes){ 4096, 0, 33 << 20 };
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_CONFLICT,
		   "dtb.image: 34603008 bytes do not fit in memory[0]");
}

static void test_place_small_region(void)
{
	struct vmcfg c;
	struct vmcfg_sizes s = { 1 << 20, 0, 0 };
	load(&c, "t.json", "{'id': 1, 'name': 'a', 'vcpus': 1, 'memory': [{'gpa': '0x80000000', "
	     "'size': '4M'}], 'kernel': {'image': 'k'}}");
	CHECK(vmcfg_place(&c, &s, &lay, err, sizeof(err)) == 0, "%s", err);
	CHECK(lay.dtb_gpa == 0x803f0000, "dtb 0x%lx: end minus 64 KiB when 2 MiB below would hit "
	      "the kernel", (unsigned long)lay.dtb_gpa);
	s.dtb = 5000;
	CHECK(vmcfg_place(&c, &s, &lay, err, sizeof(err)) == 0 && lay.dtb_gpa == 0x803fe000,
	      "dtb of 5000 bytes at 0x%lx", (unsigned long)lay.dtb_gpa);
	load(&c, "t.json", "{'id': 1, 'name': 'a', 'vcpus': 1, 'memory': [{'gpa': '0x80000000', "
	     "'size': '1M'}], 'kernel': {'image': 'k', 'gpa': '0x80000000'}}");
	s = (struct vmcfg_sizes){ 4096, 0, 0 };
	CHECK(vmcfg_place(&c, &s, &lay, err, sizeof(err)) == 0 && lay.dtb_gpa == 0x800f0000,
	      "1 MiB region: dtb at 0x%lx (%s)", (unsigned long)lay.dtb_gpa, err);
}

static void test_place_overlaps(void)
{
	struct vmcfg c;
	struct vmcfg_sizes s = { 1 << 20, 1 << 20, 0 };
	load(&c, "o.json", VM(1, "a", ", 'initrd': {'image': 'i', 'gpa': '0x80280000'}"));
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_CONFLICT,
		   "o.json: initrd.image: 1048576 bytes at 0x80280000 overlap the kernel "
		   "(0x80200000-0x80300000)");
	load(&c, "o.json", VM(1, "a", ", 'initrd': {'image': 'i', 'gpa': '0x81d80000'}"));
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_CONFLICT,
		   "initrd.image: 1048576 bytes at 0x81d80000 overlap the dtb (0x81e00000-0x81e10000)");
	load(&c, "o.json", VM(1, "a", ", 'initrd': {'image': 'i', 'gpa': '0x81f80000'}"));
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_CONFLICT,
		   "initrd.image: 1048576 bytes do not fit in memory[0] at 0x81f80000");
	load(&c, "o.json", VM(1, "a", ", 'initrd': {'image': 'i', 'gpa': '0x81000000'}"));
	CHECK(vmcfg_place(&c, &s, &lay, err, sizeof(err)) == 0 && lay.initrd_gpa == 0x81000000 &&
	      lay.initrd_end == 0x81100000, "initrd at its gpa: %s", err);
	load(&c, "e.json", VM(1, "a", ""));
	c.kernel.entry = 0x80300000;  /* just past a 1 MiB kernel */
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_RANGE,
		   "kernel.entry: 0x80300000 is outside the kernel image (0x80200000-0x80300000)");
	c.kernel.gpa = c.kernel.entry = 0x90000000;
	EXPECT_MSG(vmcfg_place(&c, &s, &lay, err, sizeof(err)), E_RANGE,
		   "kernel.gpa: 0x90000000 is outside the VM's memory");
}

int run_plan_cases(const char *p)
{
	RUN_CASE(p, test_check_machine);
	RUN_CASE(p, test_plan_duplicates_keep_the_first);
	RUN_CASE(p, test_plan_refused_vm_blocks_nothing);
	RUN_CASE(p, test_plan_devices);
	RUN_CASE(p, test_place_defaults);
	RUN_CASE(p, test_place_does_not_fit);
	RUN_CASE(p, test_place_small_region);
	RUN_CASE(p, test_place_overlaps);
	return check_failures;
}
