/*
 * mkpkg: pack VM configs and the images they name into one VM package
 * (docs/package.md), or check and list an existing one.
 *   mkpkg -o OUT.pkg [-I DIR]... [--cores N] CONFIG.json...
 *   mkpkg --check PKG [--cores N]
 *   mkpkg --list PKG
 * Exit status: 0 ok, 1 a config, image or package is wrong, 2 usage.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "partition/vmconfig.h"
#include "partition/vmpkg.h"
#include "tools/hostfile.h"

#define DEFAULT_CORES 8
#define MAX_CORES     4096
#define MAX_INCLUDES  32
#define ERR_LEN       512
#define MIB           (1024ul * 1024)

static const char *includes[MAX_INCLUDES];
static unsigned nincludes;
static unsigned ncores = DEFAULT_CORES;

struct image {
	const char *name;    /* as named by the config */
	char *path;
	char *data;
	size_t size;
};

static int usage(void)
{
	fprintf(stderr, "usage: mkpkg -o OUT.pkg [-I DIR]... [--cores N] CONFIG.json...\n"
			"       mkpkg --check PKG [--cores N]\n"
			"       mkpkg --list PKG\n");
	return 2;
}

/* An image a config names: the field naming it and where its size goes. */
struct need {
	const char *name, *field;
	uint64_t *size;
};

static unsigned images_of(const struct vmcfg *c, struct vmcfg_sizes *s, struct need need[3])
{
	unsigned n = 0;
	*s = (struct vmcfg_sizes){ 0, 0, 0 };
	need[n++] = (struct need){ c->kernel.image, "kernel.image", &s->kernel };
	if (c->initrd.present)
		need[n++] = (struct need){ c->initrd.image, "initrd.image", &s->initrd };
	if (c->dtb == VMCFG_DTB_IMAGE)
		need[n++] = (struct need){ c->dtb_image, "dtb.image", &s->dtb };
	return n;
}

/* "ok: vm 1 (hello): 1 vcpu, cores 0, 32 MiB" */
static void print_ok(const struct vmcfg *c)
{
	char cores[64];
	size_t n = 0;
	for (unsigned i = 0; i < c->vcpus && n < sizeof(cores); i++)
		n += (size_t)snprintf(cores + n, sizeof(cores) - n, "%s%u", i ? "," : "", c->affinity[i]);
	uint64_t mem = vmcfg_mem_total(c);
	printf("ok: vm %u (%s): %u %s, cores %s, %lu %s\n", c->id, c->name, c->vcpus,
	       c->vcpus == 1 ? "vcpu" : "vcpus", cores,
	       (unsigned long)(mem % MIB ? mem / 1024 : mem / MIB), mem % MIB ? "KiB" : "MiB");
}

/* Search the config's own directory, then each -I directory, in order. */
static char *find_image(const char *cfgpath, const char *name, char *searched, size_t slen)
{
	char dir[4096], path[4096 + 64];
	const char *slash = strrchr(cfgpath, '/');
	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", slash == cfgpath ? 1 : (int)(slash - cfgpath), cfgpath);
	else
		snprintf(dir, sizeof(dir), ".");
	size_t used = 0;
	for (unsigned i = 0; i <= nincludes; i++) {
		const char *d = i == 0 ? dir : includes[i - 1];
		struct stat st;
		if (used < slen)
			used += (size_t)snprintf(searched + used, slen - used, "%s%s", i ? ", " : "", d);
		snprintf(path, sizeof(path), "%s/%s", d, name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return strdup(path);
	}
	return NULL;
}

/* Find (or load) image `name` for config `cfgpath`; index into imgs, or -1 after a message. */
static int add_image(struct image *imgs, unsigned *nimgs, const struct vmcfg *c, const char *cfgpath,
		     const char *field, const char *name)
{
	char searched[1024], err[ERR_LEN];
	char *path = find_image(cfgpath, name, searched, sizeof(searched));
	if (!path) {
		printf("%s: %s: %s not found (searched: %s)\n", c->file, field, name, searched);
		return -1;
	}
	size_t size;
	char *data = read_file(path, &size, err, sizeof(err));
	if (!data) {
		printf("%s: %s: %s\n", c->file, field, err);
		free(path);
		return -1;
	}
	for (unsigned i = 0; i < *nimgs; i++) {
		if (strcmp(imgs[i].name, name))
			continue;
		bool same = imgs[i].size == size && !memcmp(imgs[i].data, data, size);
		if (!same)
			printf("%s: %s: %s is %s here but %s for another config; a package holds one "
			       "image per name\n", c->file, field, name, path, imgs[i].path);
		free(path);
		free(data);
		return same ? (int)i : -1;
	}
	imgs[*nimgs] = (struct image){ name, path, data, size };
	return (int)(*nimgs)++;
}

static int write_file(const char *out, const void *buf, size_t len)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	FILE *f = fopen(tmp, "wb");
	bool ok = f && fwrite(buf, 1, len, f) == len;
	if (f && fclose(f))
		ok = false;
	if (!ok || rename(tmp, out)) {
		perror(out);
		remove(tmp);
		return 1;
	}
	return 0;
}

static int pack(const char *out, char **paths, unsigned n)
{
	struct vmcfg *cfgs = calloc(n, sizeof(*cfgs));
	char **texts = calloc(n, sizeof(*texts));
	size_t *lens = calloc(n, sizeof(*lens));
	bool *refused = calloc(n, sizeof(*refused));
	char (*errs)[VMCFG_ERR_LEN] = calloc(n, sizeof(*errs));
	struct image *imgs = calloc(3 * n, sizeof(*imgs));
	struct vmpkg_input *in = calloc(4 * n, sizeof(*in));
	unsigned nimgs = 0, bad = 0;
	char err[ERR_LEN];
	if (!cfgs || !texts || !lens || !refused || !errs || !imgs || !in) {
		fprintf(stderr, "mkpkg: out of memory\n");
		return 2;
	}
	for (unsigned i = 0; i < n; i++) {
		const char *name = base_name(paths[i]);
		bool dup = false;
		for (unsigned j = 0; j < i; j++)
			dup |= !strcmp(name, base_name(paths[j]));
		const char *why = !vmpkg_is_config(name) ? "a config's file name must end in .json" :
				  strlen(name) >= VMPKG_NAME_MAX ? "file name longer than 55 characters" :
				  dup ? "another config has the same file name" : NULL;
		if (why) {
			printf("%s: %s\n", paths[i], why);
			bad++;
		} else if (!(texts[i] = read_file(paths[i], &lens[i], err, sizeof(err)))) {
			printf("%s\n", err);
			bad++;
		} else if (vmcfg_parse(texts[i], lens[i], name, &cfgs[i], err, sizeof(err))) {
			printf("%s\n", err);
			bad++;
		}
	}
	if (bad)
		return 1;
	vmcfg_check_plan(cfgs, n, ncores, refused, errs);
	for (unsigned i = 0; i < n; i++) {
		struct need need[3];
		struct vmcfg_sizes sizes;
		if (refused[i]) {
			printf("%s\n", errs[i]);
			bad++;
			continue;
		}
		unsigned k = images_of(&cfgs[i], &sizes, need);
		bool found = true;
		for (unsigned j = 0; j < k; j++) {
			int idx = add_image(imgs, &nimgs, &cfgs[i], paths[i], need[j].field, need[j].name);
			if (idx < 0)
				found = false;
			else
				*need[j].size = imgs[idx].size;
		}
		struct vmcfg_layout l;
		if (cfgs[i].dtb == VMCFG_DTB_GENERATE)
			sizes.dtb = VMCFG_DTB_MAX;
		if (!found) {
			bad++;
		} else if (vmcfg_place(&cfgs[i], &sizes, &l, err, sizeof(err))) {
			printf("%s\n", err);
			bad++;
		}
	}
	if (bad)
		return 1;
	unsigned nin = 0;
	for (unsigned i = 0; i < n; i++)
		in[nin++] = (struct vmpkg_input){ base_name(paths[i]), texts[i], lens[i] };
	for (unsigned i = 0; i < nimgs; i++)
		in[nin++] = (struct vmpkg_input){ imgs[i].name, imgs[i].data, imgs[i].size };
	uint64_t size = vmpkg_write_size(in, nin);
	void *buf = malloc(size);
	if (!buf || vmpkg_write(buf, size, in, nin, err, sizeof(err))) {
		printf("%s: %s\n", out, buf ? err : "out of memory");
		return 1;
	}
	if (write_file(out, buf, size))
		return 1;
	printf("mkpkg: %s: %u %s, %u %s, %lu bytes\n", out, n, n == 1 ? "config" : "configs",
	       nimgs, nimgs == 1 ? "image" : "images", (unsigned long)size);
	return 0;
}

/* Open a package file; NULL after a message. */
static char *open_pkg(const char *path, struct vmpkg *p)
{
	char err[ERR_LEN];
	size_t len;
	char *data = read_file(path, &len, err, sizeof(err));
	if (!data) {
		printf("error: %s\n", err);
		return NULL;
	}
	if (vmpkg_open_named(data, len, base_name(path), p, err, sizeof(err))) {
		printf("error: %s\n", err);
		free(data);
		return NULL;
	}
	return data;
}

static int list(const char *path)
{
	struct vmpkg p;
	struct vmpkg_entry e;
	char *data = open_pkg(path, &p);
	if (!data)
		return 1;
	printf("%s: format version %d, %u entries, %lu bytes\n", path, VMPKG_VERSION, p.count,
	       (unsigned long)p.size);
	printf("  %-10s %10s  %-10s  %s\n", "offset", "size", "crc32", "name");
	for (uint32_t i = 0; vmpkg_entry_at(&p, i, &e) == 0; i++)
		printf("  0x%08lx %10lu  0x%08x  %s\n", (unsigned long)(e.data - p.base),
		       (unsigned long)e.size, e.crc, e.name);
	free(data);
	return 0;
}

static int check(const char *path)
{
	struct vmpkg p;
	struct vmpkg_entry e, img;
	char *data = open_pkg(path, &p);
	if (!data)
		return 1;
	struct vmcfg *cfgs = calloc(p.count + 1, sizeof(*cfgs));
	char (*msgs)[VMCFG_ERR_LEN] = calloc(p.count + 1, sizeof(*msgs));
	char (*errs)[VMCFG_ERR_LEN] = calloc(p.count + 1, sizeof(*errs));
	bool *refused = calloc(p.count + 1, sizeof(*refused));
	int *slot = calloc(p.count + 1, sizeof(*slot));
	unsigned nconfigs = 0, nok = 0, bad = 0;
	if (!cfgs || !msgs || !errs || !refused || !slot) {
		fprintf(stderr, "mkpkg: out of memory\n");
		return 2;
	}
	for (uint32_t i = 0; vmpkg_entry_at(&p, i, &e) == 0; i++) {
		if (!vmpkg_is_config(e.name))
			continue;
		slot[nconfigs] = -1;
		if (vmcfg_parse((const char *)e.data, e.size, e.name, &cfgs[nok], msgs[nconfigs],
				VMCFG_ERR_LEN) == 0)
			slot[nconfigs] = (int)nok++;
		nconfigs++;
	}
	if (nconfigs == 0) {
		printf("error: %s: no VM configs (*.json entries) in the package\n", path);
		free(data);
		return 1;
	}
	vmcfg_check_plan(cfgs, nok, ncores, refused, errs);
	for (unsigned i = 0; i < nconfigs; i++) {
		int k = slot[i];
		if (k >= 0 && refused[k])
			memcpy(msgs[i], errs[k], VMCFG_ERR_LEN);
		if (k >= 0 && !refused[k]) {
			const struct vmcfg *c = &cfgs[k];
			struct need need[3];
			struct vmcfg_sizes sizes;
			struct vmcfg_layout l;
			unsigned n = images_of(c, &sizes, need), j;
			for (j = 0; j < n; j++) {
				if (vmpkg_find(&p, need[j].name, &img)) {
					snprintf(msgs[i], VMCFG_ERR_LEN, "%s: %s: %s is not in the package",
						 c->file, need[j].field, need[j].name);
					break;
				}
				*need[j].size = img.size;
			}
			if (j == n && vmcfg_place(c, &sizes, &l, msgs[i], VMCFG_ERR_LEN) == 0) {
				print_ok(c);
				continue;
			}
		}
		printf("error: %s\n", msgs[i]);
		bad++;
	}
	free(cfgs);
	free(msgs);
	free(errs);
	free(refused);
	free(slot);
	free(data);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *mode = NULL, *pkg = NULL;
	char **configs = calloc((size_t)argc, sizeof(*configs));
	unsigned nconfigs = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_arg = i + 1 < argc;
		if ((!strcmp(a, "--check") || !strcmp(a, "--list")) && has_arg && !mode) {
			mode = a;
			pkg = argv[++i];
		} else if (!strcmp(a, "-o") && has_arg) {
			out = argv[++i];
		} else if (!strcmp(a, "-I") && has_arg && nincludes < MAX_INCLUDES) {
			includes[nincludes++] = argv[++i];
		} else if (!strcmp(a, "--cores") && has_arg) {
			if (!(ncores = parse_count(argv[++i], MAX_CORES))) {
				fprintf(stderr, "mkpkg: --cores %s: want a number from 1 to %d\n", argv[i],
					MAX_CORES);
				return 2;
			}
		} else if (a[0] == '-' || mode) {
			return usage();
		} else {
			configs[nconfigs++] = argv[i];
		}
	}
	if (mode && (out || nincludes || nconfigs))
		return usage();
	if (mode)
		return !strcmp(mode, "--list") ? list(pkg) : check(pkg);
	if (!out || nconfigs == 0)
		return usage();
	return pack(out, configs, nconfigs);
}
