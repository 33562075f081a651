/*
 * The host AIA as the host tree describes it (aia_dt_ops.read_host): the
 * APLIC domain tessera programs for passed-through sources, and the
 * supervisor-level IMSIC whose guest interrupt files VMs get. Hart i of the
 * IMSIC is entry i of its interrupts-extended; its files are 1 << guest_bits
 * pages from base + (i << (guest_bits + 12)), the first being the hart's own.
 */
#include <stdio.h>
#include <libfdt.h>
#include "partition/hostdt.h"
#include "arch/riscv64/irqc/models.h"

/* Bounds from the RISC-V AIA spec. */
#define APLIC_MAX_SOURCES 1023u
#define IMSIC_MIN_IDS     63u
#define IMSIC_MAX_IDS     2047u
#define IMSIC_MAX_GUEST_BITS 6u

#define FAIL(code, ...) do { snprintf(err, errlen, __VA_ARGS__); return (code); } while (0)

int aia_dt_host_files(const void *fdt);

static int read_files(const void *fdt, struct host_platform *p, char *err, size_t errlen)
{
	int node = aia_dt_host_files(fdt), len;
	const char *name = fdt_get_name(fdt, node, NULL);
	uint64_t base, size, b2, s2;
	int rc = hostdt_read_reg(fdt, node, 0, &base, &size);
	if (rc < 0)
		FAIL(E_INVAL, "%s: reg: %s", name, fdt_strerror(rc));
	if (hostdt_read_reg(fdt, node, 1, &b2, &s2) >= 0)
		FAIL(E_INVAL, "%s: more than one reg (hart groups): tessera reads one", name);
	p->irqc.files_base = base;
	p->irqc.files_size = size;
	p->irqc.guest_bits = hostdt_prop_u32(fdt, node, "riscv,guest-index-bits", 0);
	p->irqc.file_ids = hostdt_prop_u32(fdt, node, "riscv,num-ids", 0);
	if (p->irqc.guest_bits > IMSIC_MAX_GUEST_BITS)
		FAIL(E_INVAL, "%s: riscv,guest-index-bits %u: at most %u", name, p->irqc.guest_bits,
		     IMSIC_MAX_GUEST_BITS);
	if (p->irqc.file_ids < IMSIC_MIN_IDS || p->irqc.file_ids > IMSIC_MAX_IDS)
		FAIL(E_INVAL, "%s: riscv,num-ids %u: not %u to %u", name, p->irqc.file_ids,
		     IMSIC_MIN_IDS, IMSIC_MAX_IDS);
	const fdt32_t *ext = fdt_getprop(fdt, node, "interrupts-extended", &len);
	if (!ext || len % 8)
		FAIL(E_INVAL, "%s: interrupts-extended missing or not <phandle irq> pairs", name);
	for (int i = 0; i < len / 8; i++) {
		uint64_t hartid, end = (uint64_t)(i + 1) << (p->irqc.guest_bits + 12);
		if (end > size)
			FAIL(E_INVAL, "%s: interrupts-extended entry %d: its files end beyond reg "
			     "(size 0x%lx)", name, i, (unsigned long)size);
		if (hostdt_hart_of_intc(fdt, fdt32_ld(&ext[2 * i]), &hartid))
			FAIL(E_INVAL, "%s: interrupts-extended entry %d names no cpu", name, i);
		for (unsigned h = 0; h < p->nharts; h++)
			if (p->hartid[h] == hartid)
				p->irqc.ctx[h] = (int16_t)i;
	}
	return 0;
}

int aia_dt_read_host(const void *fdt, int node, struct host_platform *p, char *err, size_t errlen);
int aia_dt_read_host(const void *fdt, int node, struct host_platform *p, char *err, size_t errlen)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	for (unsigned i = 0; i < HOSTDT_MAX_HARTS; i++)
		p->irqc.ctx[i] = -1;
	int rc = hostdt_read_reg(fdt, node, 0, &p->irqc.base, &p->irqc.size);
	if (rc < 0)
		FAIL(E_INVAL, "%s: reg: %s", name, fdt_strerror(rc));
	if (p->irqc.size < 0x4000)
		FAIL(E_INVAL, "%s: reg size 0x%lx: an APLIC domain has 0x4000 bytes of registers", name,
		     (unsigned long)p->irqc.size);
	p->irqc.nsources = hostdt_prop_u32(fdt, node, "riscv,num-sources", 0);
	if (p->irqc.nsources > APLIC_MAX_SOURCES)
		FAIL(E_INVAL, "%s: riscv,num-sources %u: an APLIC has at most %u sources", name,
		     p->irqc.nsources, APLIC_MAX_SOURCES);
	p->irqc.phandle = fdt_get_phandle(fdt, node);
	p->irqc.present = true;
	return read_files(fdt, p, err, errlen);
}
