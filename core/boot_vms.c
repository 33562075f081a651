/*
 * The boot core turns the VM package into running VMs: parse every config,
 * check the whole plan, refuse the VMs that are wrong (naming file, field and
 * reason), build the rest and start them.
 */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>
#include "core/console.h"
#include "core/hwirq.h"
#include "core/mem.h"
#include "core/pcpu.h"
#include "core/vm.h"
#include "partition/hostdt.h"
#include "partition/vmconfig.h"
#include "partition/vmpkg.h"


static struct vm vms[VM_MAX];
static struct vmcfg cfgs[VM_MAX];
static bool refused[VM_MAX];
static char errs[VM_MAX][VMCFG_ERR_LEN];

extern char _start[], _end[];

static void refuse(unsigned i, const char *msg)
{
	refused[i] = true;
	log_line("tessera: VM refused: %s", msg);
}

static int find_image(const struct vmpkg *pkg, const struct vmcfg *c, const char *field,
		      const char *name, const uint8_t **data, uint64_t *size, char *err)
{
	struct vmpkg_entry e;
	char why[VMCFG_ERR_LEN];
	if (vmpkg_find(pkg, name, &e) < 0) {
		snprintf(err, VMCFG_ERR_LEN, "%s: %s: %s is not in the VM package", c->file, field, name);
		return -1;
	}
	if (vmpkg_check_entry(pkg, &e, why, sizeof(why))) {
		snprintf(err, VMCFG_ERR_LEN, "%s: %s: %s", c->file, field, why);
		return -1;
	}
	*data = e.data;
	*size = e.size;
	return 0;
}

struct vm_images {
	const uint8_t *kernel, *initrd, *dtb_image;
	uint64_t kernel_size, initrd_size, dtb_size;
	struct vmcfg_layout layout;
};

/* Images from the package, then their places in guest memory. */
static int prepare(const struct vmpkg *pkg, struct vm_images *vm, const struct vmcfg *c, char *err)
{
	if (find_image(pkg, c, "kernel.image", c->kernel.image, &vm->kernel, &vm->kernel_size, err))
		return -1;
	if (c->initrd.present &&
	    find_image(pkg, c, "initrd.image", c->initrd.image, &vm->initrd, &vm->initrd_size, err))
		return -1;
	if (c->dtb == VMCFG_DTB_IMAGE &&
	    find_image(pkg, c, "dtb.image", c->dtb_image, &vm->dtb_image, &vm->dtb_size, err))
		return -1;
	/* the user's tree goes to the guest as is, but only if it is one, whole */
	if (c->dtb == VMCFG_DTB_IMAGE) {
		int rc = vm->dtb_size < sizeof(struct fdt_header) ? -FDT_ERR_TRUNCATED
								: fdt_check_header(vm->dtb_image);
		if (!rc && fdt_totalsize(vm->dtb_image) > vm->dtb_size)
			rc = -FDT_ERR_TRUNCATED;
		if (rc) {
			snprintf(err, VMCFG_ERR_LEN, "%s: dtb.image: %s is not a usable device tree (%s)",
				 c->file, c->dtb_image, fdt_strerror(rc));
			return -1;
		}
	}
	uint64_t dtb_size = c->dtb == VMCFG_DTB_GENERATE ? VM_DTB_MAX : vm->dtb_size;
	struct vmcfg_sizes sizes = { vm->kernel_size, vm->initrd_size, dtb_size };
	return vmcfg_place(c, &sizes, &vm->layout, err, VMCFG_ERR_LEN);
}

/*
 * Passed-through paths as the host tree spells them ("/soc/rtc" and
 * "/soc/rtc@101000/" are one node): the plan check then sees a device given
 * to two VMs however the configs name it. A path that names nothing is left
 * alone for vm_create to refuse.
 */
static void canonical_paths(const struct host_platform *plat, struct vmcfg *cfgs, unsigned n)
{
	char path[VMCFG_PATH_MAX];
	for (unsigned i = 0; i < n; i++)
		for (unsigned d = 0; d < cfgs[i].ndevices; d++) {
			struct vmcfg_device *dev = &cfgs[i].devices[d];
			int node = dev->kind == VMCFG_DEV_PASSTHROUGH ? hostdt_path_offset(plat->fdt, dev->path)
								     : -1;
			if (node >= 0 && hostdt_get_path(plat->fdt, node, path, sizeof(path)) == 0)
				memcpy(dev->path, path, sizeof(path));
		}
}

static uint64_t dtb_span(const struct vmcfg *c, const struct vm_images *img)
{
	return c->dtb == VMCFG_DTB_GENERATE ? VM_DTB_MAX : c->dtb == VMCFG_DTB_IMAGE ? img->dtb_size : 0;
}

static int check_online(const struct vmcfg *c, uint32_t online, char *err)
{
	for (unsigned i = 0; i < c->vcpus; i++) {
		if (!(online & (1u << c->affinity[i]))) {
			snprintf(err, VMCFG_ERR_LEN, "%s: affinity[%u]: core %u is not online", c->file, i,
				 c->affinity[i]);
			return -1;
		}
	}
	return 0;
}

/* A VM that passes the host's console UART through owns it from then on. */
static bool gives_console_uart(const struct vmcfg *c, const struct host_platform *plat)
{
	for (unsigned i = 0; plat->uart.present && i < c->ndevices; i++)
		if (c->devices[i].kind == VMCFG_DEV_PASSTHROUGH && !strcmp(c->devices[i].path, plat->uart.path))
			return true;
	return false;
}

int vms_boot(struct pcpu *p, uint32_t online)
{
	bool console_taken = false;
	const struct host_platform *plat = core_platform();
	if (!plat->initrd.present) {
		log_line("tessera: no VM package (the device tree has no /chosen/linux,initrd-start)");
		return -1;
	}
	uint64_t pkg_size = plat->initrd.end - plat->initrd.start;
	if (mem_init(plat) || mem_reserve((uintptr_t)_start, (uintptr_t)_end - (uintptr_t)_start) ||
	    mem_reserve((uintptr_t)plat->fdt, plat->dtb_size) ||
	    mem_reserve(plat->initrd.start, pkg_size)) {
		log_line("tessera: host memory map too fragmented");
		return -1;
	}
	struct vmpkg pkg;
	char err[VMCFG_ERR_LEN];
	/* the structure now; each entry's checksum when a VM uses it: one bad image refuses one VM */
	if (vmpkg_open_structure((const void *)(uintptr_t)plat->initrd.start, pkg_size, "VM package", &pkg,
				 err, sizeof(err))) {
		log_line("tessera: bad VM package: %s", err);
		return -1;
	}
	unsigned n = 0;
	for (uint32_t i = 0; i < pkg.count; i++) {
		struct vmpkg_entry e;
		size_t len;
		if (vmpkg_entry_at(&pkg, i, &e) || (len = strlen(e.name)) < 5 ||
		    strcmp(e.name + len - 5, ".json") != 0)
			continue;
		if (n == VM_MAX) {
			log_line("tessera: VM refused: %s: more than %u VMs", e.name, VM_MAX);
			continue;
		}
		refused[n] = false;
		if (vmpkg_check_entry(&pkg, &e, err, sizeof(err))) {
			log_line("tessera: VM refused: %s", err);
			continue;
		}
		if (vmcfg_parse((const char *)e.data, e.size, e.name, &cfgs[n], err, sizeof(err)) ||
		    arch_check_vmcfg(&cfgs[n], err, sizeof(err))) {
			log_line("tessera: VM refused: %s", err);
			continue;
		}
		n++;
	}
	canonical_paths(plat, cfgs, n);
	vmcfg_check_plan(cfgs, n, core_count(), refused, errs);
	for (unsigned i = 0; i < n; i++)
		if (refused[i])
			log_line("tessera: VM refused: %s", errs[i]);

	unsigned started = 0;
	for (unsigned i = 0; i < n; i++) {
		if (refused[i])
			continue;
		struct vm *vm = &vms[i];
		struct vm_images img = { 0 };
		/* the device tree is data: a jump into it faults (docs/security.md) */
		if (check_online(&cfgs[i], online, err) || prepare(&pkg, &img, &cfgs[i], err) ||
		    vm_create(vm, i, &cfgs[i], img.layout.dtb_gpa, dtb_span(&cfgs[i], &img), err,
			      sizeof(err))) {
			vm_release_devices(vm);
			refuse(i, err);
			continue;
		}
		vm->kernel = img.kernel;
		vm->kernel_size = img.kernel_size;
		vm->initrd = img.initrd;
		vm->initrd_size = img.initrd_size;
		vm->dtb_image = img.dtb_image;
		vm->dtb_size = img.dtb_size;
		vm->layout = img.layout;
		if ((cfgs[i].dtb == VMCFG_DTB_GENERATE && vm_generate_dtb(vm, err, sizeof(err))) ||
		    hwirq_register(vm, err, sizeof(err))) {
			vm_release_devices(vm);
			refuse(i, err);
			continue;
		}
		vm_load_images(vm);
		started++;
	}
	atomic_store(&running_vms, started);
	for (unsigned i = 0; i < n; i++)
		if (!refused[i] && gives_console_uart(&cfgs[i], plat)) {
			log_line("tessera: vm %u (%s) takes %s: tessera's console moves to SBI",
				 cfgs[i].id, cfgs[i].name, plat->uart.path);
			console_use_early();
			console_taken = true;
		}
	for (unsigned i = 0; i < n; i++)
		if (!refused[i] && vmcfg_console_uart(&cfgs[i]))
			console_input_add(&vms[i]);
	p->console_input = console_input_active() && plat->uart.present && !console_taken;
	if (p->console_input)
		console_input_start(p, plat);
	for (unsigned i = 0; i < n; i++)
		if (!refused[i])
			vm_start(p, &vms[i]);
	return (int)started;
}
