/*
 * The host PLIC as tessera drives it: only the S-mode contexts of its own
 * cores, only the sources of passed-through devices. Plain MMIO, no lock:
 * each core writes its own context's enable words, and a source's priority
 * is written once, at boot.
 */
#include <arch/cpu.h>
#include <arch/csr.h>

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

void arch_irqc_init(uint64_t base, uint32_t ndev)
{
	plic_base = (uintptr_t)base;
	plic_ndev = ndev;
}

void arch_irqc_set_priority(uint32_t src, uint32_t prio)
{
	*reg(PRIORITY(src)) = prio;
}

void arch_irqc_enable(int ctx, uint32_t src, bool on)
{
	volatile uint32_t *e = reg(ENABLE((uintptr_t)ctx, src));
	uint32_t bit = 1u << (src % 32);
	*e = on ? *e | bit : *e & ~bit;
}

void arch_irqc_context_reset(int ctx)
{
	for (uint32_t s = 0; s <= plic_ndev; s += 32)
		*reg(ENABLE((uintptr_t)ctx, s)) = 0;
	*reg(THRESHOLD((uintptr_t)ctx)) = 0;
}

uint32_t arch_irqc_claim(int ctx)
{
	return *reg(CLAIM((uintptr_t)ctx));
}

void arch_irqc_complete(int ctx, uint32_t src)
{
	*reg(CLAIM((uintptr_t)ctx)) = src;
}

bool arch_irqc_pending(void)
{
	return csr_read(sip) & SIE_SEIE;
}
