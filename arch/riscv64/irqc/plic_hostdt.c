/* The host PLIC as the host tree describes it (plic_dt_ops.read_host). */
#include <stdio.h>
#include <libfdt.h>
#include "partition/hostdt.h"
#include "arch/riscv64/irqc/models.h"

/* Bounds from the RISC-V PLIC spec. */
#define PLIC_MAX_SOURCES    1023u
#define PLIC_MAX_CONTEXTS   15872
#define PLIC_CONTEXT_END(c) (0x200000ull + 0x1000ull * ((uint64_t)(c) + 1))   /* its threshold/claim page */

#define FAIL(code, ...) do { snprintf(err, errlen, __VA_ARGS__); return (code); } while (0)

/* Context i of the PLIC is entry i of interrupts-extended: <cpu-intc phandle, 9> is S-mode. */
static int read_contexts(const void *fdt, int node, struct host_platform *p, char *err, size_t errlen)
{
	int len;
	const char *name = fdt_get_name(fdt, node, NULL);
	for (unsigned i = 0; i < HOSTDT_MAX_HARTS; i++)
		p->irqc.ctx[i] = -1;
	const fdt32_t *ext = fdt_getprop(fdt, node, "interrupts-extended", &len);
	if (!ext || len % 8)
		FAIL(E_INVAL, "%s: interrupts-extended missing or not <phandle irq> pairs", name);
	for (int ctx = 0; ctx < len / 8; ctx++) {
		if (fdt32_ld(&ext[2 * ctx + 1]) != 9)
			continue;   /* M-mode external (11) or other: not tessera's */
		/* tessera writes this context's enable, threshold and claim registers:
		 * they must be a PLIC's (15872 contexts at most) and inside its reg */
		if (ctx >= PLIC_MAX_CONTEXTS || PLIC_CONTEXT_END(ctx) > p->irqc.size)
			FAIL(E_INVAL, "%s: interrupts-extended entry %d: context %d is beyond the "
			     "PLIC's reg (size 0x%lx)", name, ctx, ctx, (unsigned long)p->irqc.size);
		uint64_t hartid;
		if (hostdt_hart_of_intc(fdt, fdt32_ld(&ext[2 * ctx]), &hartid))
			FAIL(E_INVAL, "%s: interrupts-extended entry %d names no cpu", name, ctx);
		for (unsigned h = 0; h < p->nharts; h++)
			if (p->hartid[h] == hartid)
				p->irqc.ctx[h] = (int16_t)ctx;
	}
	return 0;
}

int plic_dt_read_host(const void *fdt, int node, struct host_platform *p, char *err, size_t errlen);
int plic_dt_read_host(const void *fdt, int node, struct host_platform *p, char *err, size_t errlen)
{
	int rc = hostdt_read_reg(fdt, node, 0, &p->irqc.base, &p->irqc.size);
	if (rc < 0)
		FAIL(E_INVAL, "%s: reg: %s", fdt_get_name(fdt, node, NULL), fdt_strerror(rc));
	p->irqc.nsources = hostdt_prop_u32(fdt, node, "riscv,ndev", 0);
	if (p->irqc.nsources > PLIC_MAX_SOURCES)
		FAIL(E_INVAL, "%s: riscv,ndev %u: a PLIC has at most %u sources",
		     fdt_get_name(fdt, node, NULL), p->irqc.nsources, PLIC_MAX_SOURCES);
	p->irqc.phandle = fdt_get_phandle(fdt, node);
	p->irqc.present = true;
	return read_contexts(fdt, node, p, err, errlen);
}
