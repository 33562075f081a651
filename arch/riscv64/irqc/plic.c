/*
 * The host PLIC as tessera drives it: only the S-mode contexts of its own
 * cores, only the sources of passed-through devices. Plain MMIO, no lock:
 * each core writes its own context's enable words, and a source's priority
 * is written once, at boot.
 */
#include <arch/cpu.h>
#include <arch/csr.h>
#include "core/console.h"
#include "arch/riscv64/irqc/models.h"
#include "partition/hostdt.h"

#define PRIORITY(s)        (0x000000 + 4 * (s))
#define ENABLE(c, s)       (0x002000 + 0x80 * (c) + 4 * ((s) / 32))
#define THRESHOLD(c)       (0x200000 + 0x1000 * (c))
#define CLAIM(c)           (0x200004 + 0x1000 * (c))

static uintptr_t plic_base;
static uint32_t plic_ndev;

static volatile uint32_t *reg(uintptr_t off)
{
	return (volatile uint32_t *)(plic_base + off);
}

static void log_banner(const struct host_platform *h)
{
	if (h->irqc.present)
		log_line("  plic     0x%lx, %u sources", (unsigned long)h->irqc.base, h->irqc.nsources);
	else
		log_line("  plic     none");
}

static bool init(const struct host_platform *h)
{
	if (!h->irqc.present)
		return false;
	plic_base = (uintptr_t)h->irqc.base;
	plic_ndev = h->irqc.nsources;
	return true;
}

static bool has_source(uint32_t src)
{
	return plic_base && src > 0 && src <= plic_ndev;
}

static void context_reset(int ctx)
{
	for (uint32_t s = 0; s <= plic_ndev; s += 32)
		*reg(ENABLE((uintptr_t)ctx, s)) = 0;
	*reg(THRESHOLD((uintptr_t)ctx)) = 0;
}

static int core_init(const struct host_platform *h, unsigned long hartid)
{
	for (unsigned i = 0; plic_base && i < h->nharts; i++)
		if (h->hartid[i] == hartid && h->irqc.ctx[i] >= 0) {
			context_reset(h->irqc.ctx[i]);
			return h->irqc.ctx[i];
		}
	return -1;
}

static void prepare(uint32_t src)
{
	*reg(PRIORITY(src)) = 1;
}

static void enable(int ctx, uint32_t src, bool on)
{
	volatile uint32_t *e = reg(ENABLE((uintptr_t)ctx, src));
	uint32_t bit = 1u << (src % 32);
	*e = on ? *e | bit : *e & ~bit;
}

static uint32_t claim(int ctx)
{
	return *reg(CLAIM((uintptr_t)ctx));
}

static void complete(int ctx, uint32_t src)
{
	*reg(CLAIM((uintptr_t)ctx)) = src;
}

static bool pending(void)
{
	return csr_read(sip) & SIE_SEIE;
}

/* Claimed and completed like a passed-through source, in ctx. */
static int own(int ctx, uint32_t src)
{
	prepare(src);
	enable(ctx, src, true);
	return 0;
}

const struct hostirq_ops plic_host_ops = {
	.init = init, .log_banner = log_banner, .has_source = has_source, .core_init = core_init,
	.prepare = prepare, .enable = enable, .pending = pending, .claim = claim, .complete = complete,
	.own = own,
};
