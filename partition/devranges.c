/* Host ranges given to VMs' devices: see devranges.h. */
#include <stdio.h>
#include <string.h>
#include "partition/devranges.h"

void devranges_release(struct devranges *d, const struct vmcfg *cfg)
{
	unsigned n = 0;
	for (unsigned k = 0; k < d->n; k++)
		if (d->r[k].owner != cfg)
			d->r[n++] = d->r[k];
	d->n = n;
}

static int claim(struct devranges *d, const struct vmcfg *cfg, unsigned i, uint64_t base,
		 uint64_t size, char *err, size_t errlen)
{
	for (unsigned k = 0; k < d->n; k++)
		if (d->r[k].owner != cfg && base < d->r[k].base + d->r[k].size &&
		    d->r[k].base < base + size) {
			snprintf(err, errlen, "%s: devices[%u]: host 0x%lx+0x%lx is already vm %u's (%s)",
				 cfg->file, i, (unsigned long)base, (unsigned long)size,
				 d->r[k].owner->id, d->r[k].owner->name);
			return E_INVAL;
		}
	if (d->n == DEVRANGES_MAX) {
		snprintf(err, errlen, "%s: devices[%u]: more device ranges than tessera has room for",
			 cfg->file, i);
		return E_NOSPC;
	}
	d->r[d->n].base = base;
	d->r[d->n].size = size;
	d->r[d->n].owner = cfg;
	d->n++;
	return 0;
}

/* One device: its mmio range, or every reg of the node it passes. */
static int claim_device(struct devranges *d, const struct host_platform *h, const struct vmcfg *cfg,
			unsigned i, char *err, size_t errlen)
{
	const struct vmcfg_device *dev = &cfg->devices[i];
	char what[128];
	if (dev->kind != VMCFG_DEV_PASSTHROUGH) {
		if (hostdt_check_vm_range(h, dev->hpa, dev->size, false, what, sizeof(what))) {
			snprintf(err, errlen, "%s: devices[%u].mmio: 0x%lx+0x%lx is %s", cfg->file, i,
				 (unsigned long)dev->hpa, (unsigned long)dev->size, what);
			return E_INVAL;
		}
		return claim(d, cfg, i, dev->hpa, dev->size, err, errlen);
	}
	bool console = h->uart.present && !strcmp(dev->path, h->uart.path);
	uint64_t base, len;
	int r = 0;
	for (; hostdt_node_reg_at(h->fdt, dev->path, r, &base, &len) == 0; r++) {
		if (hostdt_check_vm_range(h, base, len, console, what, sizeof(what))) {
			snprintf(err, errlen, "%s: devices[%u].passthrough: %s: reg[%d] 0x%lx+0x%lx is %s",
				 cfg->file, i, dev->path, r, (unsigned long)base, (unsigned long)len, what);
			return E_INVAL;
		}
		int rc = claim(d, cfg, i, base, len, err, errlen);
		if (rc)
			return rc;
	}
	if (r == 0) {
		snprintf(err, errlen, "%s: devices[%u].passthrough: %s is not a node with a reg in the "
			 "host device tree", cfg->file, i, dev->path);
		return E_INVAL;
	}
	return 0;
}

int devranges_claim(struct devranges *d, const struct host_platform *h, const struct vmcfg *cfg,
		    char *err, size_t errlen)
{
	for (unsigned i = 0; i < cfg->ndevices; i++) {
		int rc = claim_device(d, h, cfg, i, err, errlen);
		if (rc) {
			devranges_release(d, cfg);
			return rc;
		}
	}
	return 0;
}
