/*
 * The host ranges a VM's devices would give it (each mmio range, each reg of
 * a passed-through node), checked against the host (hostdt_check_vm_range:
 * RAM, reserved memory, controllers tessera keeps, the console UART) and
 * against what earlier VMs were given, across kinds. Used at boot
 * (core/vm.c) and by tools/tessera-config --host-dtb.
 */
#ifndef PARTITION_DEVRANGES_H
#define PARTITION_DEVRANGES_H
#include <stddef.h>
#include <stdint.h>
#include "partition/hostdt.h"
#include "partition/vmconfig.h"
#include "core/errno.h"

#define DEVRANGES_MAX (8 * VMCFG_MAX_DEVICES * 2)
/* Errors: E_INVAL a range the VM may not have (err says why), E_NOSPC more ranges than the table holds. */

struct devranges {
	unsigned n;
	struct { uint64_t base, size; const struct vmcfg *owner; } r[DEVRANGES_MAX];
};

/* Check and record every range of cfg's devices; on failure err is "file: devices[i]...: why". */
int devranges_claim(struct devranges *d, const struct host_platform *h, const struct vmcfg *cfg,
		    char *err, size_t errlen);
/* Forget what cfg claimed (its VM was refused). */
void devranges_release(struct devranges *d, const struct vmcfg *cfg);
#endif
