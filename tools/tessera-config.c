/*
 * tessera-config check [--arch riscv64|aarch64] [--cores N] [--host-dtb FILE] FILE...
 * Parse and validate VM configs as tessera would, each alone and then as one
 * plan (duplicate ids and names, shared devices). With the host's device
 * tree (QEMU dumps it with -M virt,dumpdtb=FILE), also every host range the
 * configs' devices would give their VMs, as tessera checks them at boot:
 * not host RAM or reserved memory, not a controller tessera keeps, not the
 * console UART unless passed, not another VM's. --arch (default riscv64)
 * also checks the fields one architecture gives meaning to (partition/vmcfg_arch.h);
 * --host-dtb reads a RISC-V tree. Prints "FILE: ok" or the
 * error per file; exit status 1 if any is bad, 2 on a usage error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include "partition/devranges.h"
#include "partition/hostdt.h"
#include "partition/vmcfg_arch.h"
#include "partition/vmconfig.h"
#include "tools/hostfile.h"

#define DEFAULT_CORES 8
#define MAX_CORES     4096

static int usage(void)
{
	fprintf(stderr, "usage: tessera-config check [--arch riscv64|aarch64] [--cores N] [--host-dtb FILE] FILE...\n"
			"  --arch: the target's architecture (default riscv64)\n"
			"  N: cores of the target machine (default %d)\n"
			"  FILE: the target's device tree, to check device ranges against\n",
		DEFAULT_CORES);
	return 2;
}

/* Image sizes are unknown here: place the smallest images. Anything that
 * fails with these fails with the real ones too; mkpkg checks those. */
static int place_minimal(const struct vmcfg *c, char *err, size_t errlen)
{
	struct vmcfg_sizes s = { 4096, c->initrd.present ? 4096 : 0,
				 c->dtb == VMCFG_DTB_IMAGE ? 4096 : 0 };
	struct vmcfg_layout l;
	return vmcfg_place(c, &s, &l, err, errlen);
}

/* The host tree as tessera would read it (its first hart as the boot hart). */
static int load_host(const char *path, struct host_platform *h)
{
	size_t len;
	char err[VMCFG_ERR_LEN];
	void *fdt = read_file(path, &len, err, sizeof(err));
	if (!fdt) {
		fprintf(stderr, "tessera-config: %s\n", err);
		return -1;
	}
	int cpus = fdt_check_header(fdt) == 0 ? fdt_path_offset(fdt, "/cpus") : -1;
	int cpu = cpus >= 0 ? fdt_first_subnode(fdt, cpus) : -1;
	const fdt32_t *reg = cpu >= 0 ? fdt_getprop(fdt, cpu, "reg", NULL) : NULL;
	if (!reg) {
		fprintf(stderr, "tessera-config: %s: not a device tree with a /cpus/cpu node\n", path);
		return -1;
	}
	if (hostdt_read(fdt, fdt32_to_cpu(*reg), h, err, sizeof(err))) {
		fprintf(stderr, "tessera-config: %s: %s\n", path, err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned ncores = DEFAULT_CORES;
	int first = 2;
	if (argc < 2 || strcmp(argv[1], "check"))
		return usage();
	int (*arch_check)(const struct vmcfg *, char *, size_t) = vmcfg_check_riscv64;
	if (argc > 3 && !strcmp(argv[2], "--arch")) {
		arch_check = !strcmp(argv[3], "riscv64") ? vmcfg_check_riscv64 :
			     !strcmp(argv[3], "aarch64") ? vmcfg_check_aarch64 : NULL;
		if (!arch_check) {
			fprintf(stderr, "tessera-config: --arch %s: want riscv64 or aarch64\n", argv[3]);
			return 2;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc > 3 && !strcmp(argv[2], "--cores")) {
		if (!(ncores = parse_count(argv[3], MAX_CORES))) {
			fprintf(stderr, "tessera-config: --cores %s: want a number from 1 to %d\n",
				argv[3], MAX_CORES);
			return 2;
		}
		first = 4;
	}
	static struct host_platform host;
	bool have_host = false;
	if (argc > first + 1 && !strcmp(argv[first], "--host-dtb")) {
		if (arch_check != vmcfg_check_riscv64) {
			fprintf(stderr, "tessera-config: --host-dtb reads RISC-V trees only for now\n");
			return 2;
		}
		if (load_host(argv[first + 1], &host))
			return 2;
		have_host = true;
		first += 2;
	}
	unsigned n = (unsigned)(argc - first);
	if (n == 0)
		return usage();

	struct vmcfg *cfgs = calloc(n, sizeof(*cfgs));
	unsigned *slot = calloc(n, sizeof(*slot));       /* file i -> index in cfgs, or n */
	char (*msg)[VMCFG_ERR_LEN] = calloc(n, sizeof(*msg));
	char (*plan_errs)[VMCFG_ERR_LEN] = calloc(n, sizeof(*plan_errs));
	bool *refused = calloc(n, sizeof(*refused));
	bool *schema = calloc(n, sizeof(*schema));
	if (!cfgs || !slot || !msg || !plan_errs || !refused || !schema) {
		fprintf(stderr, "tessera-config: out of memory\n");
		return 2;
	}
	unsigned nok = 0;
	for (unsigned i = 0; i < n; i++) {
		const char *path = argv[first + i];
		const char *label = strlen(path) < VMCFG_IMAGE_MAX ? path : base_name(path);
		size_t len;
		slot[i] = n;
		char *text = read_file(path, &len, msg[i], VMCFG_ERR_LEN);
		if (!text)
			continue;
		/* configs/ also holds the JSON Schema of a config: not a VM, so not checked as one */
		if (strstr(text, "\"$schema\"")) {
			schema[i] = true;
			free(text);
			continue;
		}
		if (vmcfg_parse(text, len, label, &cfgs[nok], msg[i], VMCFG_ERR_LEN) == 0 &&
		    arch_check(&cfgs[nok], msg[i], VMCFG_ERR_LEN) == 0)
			slot[i] = nok++;
		free(text);
	}
	vmcfg_check_plan(cfgs, nok, ncores, refused, plan_errs);
	/* in package order, as at boot: the first VM keeps a range, a later one is refused */
	static struct devranges claimed;
	for (unsigned k = 0; have_host && k < nok; k++)
		if (!refused[k] && devranges_claim(&claimed, &host, &cfgs[k], plan_errs[k], VMCFG_ERR_LEN))
			refused[k] = true;

	int status = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned k = slot[i];
		if (schema[i]) {
			printf("%s: skipped (a JSON Schema, not a VM config)\n", argv[first + i]);
			continue;
		}
		if (k < n && refused[k])
			memcpy(msg[i], plan_errs[k], VMCFG_ERR_LEN);
		else if (k < n && place_minimal(&cfgs[k], msg[i], VMCFG_ERR_LEN))
			k = n;
		if (k < n && !refused[k]) {
			printf("%s: ok\n", argv[first + i]);
		} else {
			printf("%s\n", msg[i]);
			status = 1;
		}
	}
	free(cfgs);
	free(slot);
	free(msg);
	free(plan_errs);
	free(refused);
	free(schema);
	return status;
}
