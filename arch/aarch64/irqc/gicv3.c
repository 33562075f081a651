/*
 * The host GICv3 (core/irqc.h's host side): the distributor with affinity
 * routing, each core's redistributor woken and its SGI 0 (tessera's IPI) and
 * EL2 timer PPI enabled in group 1, and the system-register CPU interface.
 * tessera runs with interrupts masked: they wake WFI and are acknowledged by
 * arch_ipi_clear. Passed-through SPIs are routed to their VM's core and
 * handed on to its vGIC still active (below).
 */
#include <arch/cpu.h>
#include <arch/sysreg.h>
#include "arch/aarch64/irqc/gicv3.h"
#include "core/console.h"
#include "core/errno.h"
#include "core/irqc.h"
#include "core/pcpu.h"
#include "partition/hostdt.h"

#define GICD_CTLR        0x0000
#define GICD_TYPER       0x0004
#define GICD_IGROUPR     0x0080
#define GICD_ISENABLER   0x0100
#define GICD_ICENABLER   0x0180
#define GICD_ISACTIVER   0x0300
#define GICD_IPRIORITYR  0x0400
#define GICD_IROUTER     0x6000
#define GICD_CTLR_RWP    (1u << 31)
#define GICD_CTLR_ARE    (1u << 4)
#define GICD_CTLR_GRP1   (1u << 1)   /* single security state; non-secure view: EnableGrp1A */
#define GICD_CTLR_GRP1NS (1u << 0)   /* non-secure view: EnableGrp1; single state: EnableGrp0 */
#define GICR_TYPER       0x0008
#define GICR_WAKER       0x0014
#define GICR_TYPER_LAST  (1ull << 4)
#define GICR_TYPER_VLPIS (1ull << 1)
#define WAKER_SLEEP      (1u << 1)
#define WAKER_ASLEEP     (1u << 2)
#define SGI_FRAME        0x10000
#define GICR_IGROUPR0    (SGI_FRAME + 0x0080)
#define GICR_ISENABLER0  (SGI_FRAME + 0x0100)
#define GICR_ICENABLER0  (SGI_FRAME + 0x0180)
#define GICR_IPRIORITYR  (SGI_FRAME + 0x0400)
#define GICR_CTLR        0x0000
#define GICR_CTLR_RWP    (1u << 3)
#define ICC_SRE_SRE      (1ul << 0)
#define ICC_SRE_ENABLE   (1ul << 3)
#define SPURIOUS         1020

static uintptr_t gicd;
static uint32_t spi_limit;   /* INTIDs below it exist (GICD_TYPER.ITLinesNumber) */
static uintptr_t core_rd[HOSTDT_MAX_HARTS];   /* each core's redistributor, by its index */

/* SPIs acknowledged on the idle path, for hostirq_claim; each core's MPIDR, for routing. */
#define SPI_QUEUE 16
static struct { uint16_t id[SPI_QUEUE]; unsigned head, tail; } spi_queue[HOSTDT_MAX_HARTS];
static unsigned long core_mpidr[HOSTDT_MAX_HARTS];

static bool queue_spi(uint32_t id)
{
	int ctx = arch_this_pcpu()->irq_ctx;
	if (ctx < 0 || spi_queue[ctx].head - spi_queue[ctx].tail == SPI_QUEUE)
		return false;
	spi_queue[ctx].id[spi_queue[ctx].head++ % SPI_QUEUE] = (uint16_t)id;
	return true;
}


static volatile uint32_t *reg32(uintptr_t base, uintptr_t off)
{
	return (volatile uint32_t *)(base + off);
}

static void gicd_wait(void)
{
	while (*reg32(gicd, GICD_CTLR) & GICD_CTLR_RWP)
		;
}

void hostirq_log_banner(const struct host_platform *h)
{
	if (!h->irqc.present) {
		log_line("  irqc     none: no GICv3 in the host tree");
		return;
	}
	uint32_t typer = *reg32((uintptr_t)h->irqc.base, GICD_TYPER);
	log_line("  gic      GICv3, distributor 0x%lx, redistributors 0x%lx-0x%lx, %u interrupt ids",
		 (unsigned long)h->irqc.base, (unsigned long)h->irqc.files_base,
		 (unsigned long)(h->irqc.files_base + h->irqc.files_size), 32 * ((typer & 0x1f) + 1));
}

bool hostirq_init(const struct host_platform *h)
{
	if (!h->irqc.present)
		return false;
	gicd = (uintptr_t)h->irqc.base;
	*reg32(gicd, GICD_CTLR) = 0;
	gicd_wait();
	*reg32(gicd, GICD_CTLR) = GICD_CTLR_ARE;
	gicd_wait();
	*reg32(gicd, GICD_CTLR) = GICD_CTLR_ARE | GICD_CTLR_GRP1 | GICD_CTLR_GRP1NS;
	gicd_wait();
	spi_limit = 32 * ((*reg32(gicd, GICD_TYPER) & 0x1f) + 1);
	return true;
}

/* MPIDR (Aff3 in 39:32) as GICR_TYPER's affinity field packs it (Aff3 in 31:24). */
static uint32_t packed_affinity(unsigned long mpidr)
{
	return (uint32_t)(((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff));
}

static uintptr_t find_redistributor(const struct host_platform *h, unsigned long mpidr)
{
	uintptr_t rd = (uintptr_t)h->irqc.files_base, end = rd + (uintptr_t)h->irqc.files_size;
	while (rd < end) {
		uint64_t typer = *(volatile uint64_t *)(rd + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == packed_affinity(mpidr))
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		rd += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
	}
	return 0;
}

int hostirq_core_init(const struct host_platform *h, unsigned long hartid)
{
	uintptr_t rd = h->irqc.present ? find_redistributor(h, hartid) : 0;
	if (!rd) {
		log_line("core (mpidr 0x%lx): no GICv3 redistributor: it takes no IPI", hartid);
		return -1;
	}
	*reg32(rd, GICR_WAKER) &= ~WAKER_SLEEP;
	while (*reg32(rd, GICR_WAKER) & WAKER_ASLEEP)
		;
	*reg32(rd, GICR_IGROUPR0) = ~0u;   /* SGIs and PPIs: group 1 */
	volatile uint8_t *prio = (volatile uint8_t *)(rd + GICR_IPRIORITYR);
	prio[GICV3_IPI_SGI] = 0x80;
	prio[GICV3_HYP_TIMER_PPI] = 0xa0;   /* below the IPI: acknowledging stops at it (gicv3_ack_all) */
	prio[GICV3_MAINT_PPI] = 0xa0;
	prio[GICV3_VTIMER_PPI] = 0xa0;
	/* the maintenance interrupt only exits a guest; the guest timer's follows its vCPU (vgic.c) */
	*reg32(rd, GICR_ISENABLER0) = 1u << GICV3_IPI_SGI | 1u << GICV3_HYP_TIMER_PPI | 1u << GICV3_MAINT_PPI;
	sysreg_write(icc_sre_el2, sysreg_read(icc_sre_el2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	sysreg_write(icc_pmr_el1, 0xff);
	sysreg_write(icc_bpr1_el1, 0);
	sysreg_write(icc_ctlr_el1, 1u << 1);   /* EOImode 1: EOI drops the priority, DIR deactivates */
	sysreg_write(icc_igrpen1_el1, 1);
	isb();
	for (unsigned i = 0; i < h->nharts; i++)
		if (h->hartid[i] == hartid) {
			core_rd[i] = rd;
			core_mpidr[i] = hartid;
			return (int)i;
		}
	return -1;
}

void gicv3_send_sgi(unsigned long mpidr, unsigned sgi)
{
	uint64_t aff0 = mpidr & 0xff;
	uint64_t v = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 | ((mpidr >> 8) & 0xff) << 16 |
		     (aff0 >> 4) << 44 | (uint64_t)(sgi & 0xf) << 24 | 1ull << (aff0 & 0xf);
	dsb(ishst);   /* the mailbox slot before the SGI */
	sysreg_write(icc_sgi1r_el1, v);
	isb();
}

/*
 * The IPIs first (the higher priority), then at most one pass over the
 * timer: its line is a level that stays up until the core re-arms or
 * disarms it, so acknowledging it again would never end.
 */
void gicv3_ack_all(void)
{
	for (;;) {
		uint64_t iar = sysreg_read(icc_iar1_el1), id = iar & 0xffffff;
		if (id >= SPURIOUS)
			break;
		sysreg_write(icc_eoir1_el1, iar);   /* EOImode 1: the priority drop */
		if (id >= 32) {   /* a passed-through SPI: active until its guest ends it */
			if (!queue_spi((uint32_t)id))
				sysreg_write(icc_dir_el1, iar);   /* no room: it comes back */
			continue;
		}
		sysreg_write(icc_dir_el1, iar);
		if (id == GICV3_HYP_TIMER_PPI)
			break;
		if (id == GICV3_VTIMER_PPI)   /* a level that stays up: off until vgic_flush decides */
			gicv3_guest_ppi(id, false);
	}
}

void gicv3_guest_ppi(unsigned intid, bool on)
{
	int ctx = arch_this_pcpu()->irq_ctx;
	uintptr_t rd = ctx >= 0 ? core_rd[ctx] : 0;
	if (!rd)
		return;
	*reg32(rd, on ? GICR_ISENABLER0 : GICR_ICENABLER0) = 1u << intid;
	if (!on)
		while (*reg32(rd, GICR_CTLR) & GICR_CTLR_RWP)
			;
}

/*
 * Passed-through SPIs. With EOImode 1 an acknowledged SPI is only priority-
 * dropped: it stays active at the distributor, so a level line does not come
 * back, until the guest's EOI deactivates it through its hardware-linked list
 * register (vgic.c). tessera's own interrupts are deactivated at once (DIR).
 * SPIs acknowledged on the idle path (gicv3_ack_all) wait in a small per-core
 * queue for hostirq_claim.
 */
bool hostirq_has_source(uint32_t src)
{
	return gicd && src >= 32 && src < spi_limit && src < SPURIOUS;
}

void hostirq_prepare(uint32_t src)
{
	reg32(gicd, GICD_ICENABLER)[src / 32] = 1u << (src % 32);
	reg32(gicd, GICD_IGROUPR)[src / 32] |= 1u << (src % 32);
	((volatile uint8_t *)(gicd + GICD_IPRIORITYR))[src] = 0xc0;   /* below tessera's own */
	gicd_wait();
}

/* Routed to the core that enables it (a VM's cores each do; the last one's wins). */
void hostirq_enable(int ctx, uint32_t src, bool on)
{
	if (ctx < 0 || !hostirq_has_source(src))
		return;
	if (on) {
		unsigned long m = core_mpidr[ctx];
		*(volatile uint64_t *)(gicd + GICD_IROUTER + 8 * src) =
			((m >> 32) & 0xff) << 32 | (m & 0xffffff);
		reg32(gicd, GICD_ISENABLER)[src / 32] = 1u << (src % 32);
	} else {
		reg32(gicd, GICD_ICENABLER)[src / 32] = 1u << (src % 32);
		gicd_wait();
	}
}

bool hostirq_pending(void)
{
	int ctx = arch_this_pcpu()->irq_ctx;
	if (ctx >= 0 && spi_queue[ctx].head != spi_queue[ctx].tail)
		return true;
	uint64_t id = sysreg_read(icc_hppir1_el1) & 0xffffff;
	return id >= 32 && id < SPURIOUS;
}

/* The next SPI: queued, or acknowledged now (tessera's own on the way are handled as by gicv3_ack_all). */
uint32_t hostirq_claim(int ctx)
{
	if (ctx < 0)
		return 0;
	if (spi_queue[ctx].head != spi_queue[ctx].tail)
		return spi_queue[ctx].id[spi_queue[ctx].tail++ % SPI_QUEUE];
	uint64_t id = sysreg_read(icc_hppir1_el1) & 0xffffff;
	if (id < 32 || id >= SPURIOUS)
		return 0;   /* an IPI or a timer first: the run loop takes those */
	uint64_t iar = sysreg_read(icc_iar1_el1);
	sysreg_write(icc_eoir1_el1, iar);   /* priority drop only: it stays active */
	id = iar & 0xffffff;
	if (id < 32) {   /* raced with a higher one: it is tessera's */
		sysreg_write(icc_dir_el1, iar);
		return 0;
	}
	return id < SPURIOUS ? (uint32_t)id : 0;
}

/* Deactivate src if it is still active (its guest's EOI may have done it already). */
void hostirq_complete(int ctx, uint32_t src)
{
	(void)ctx;
	if (!hostirq_has_source(src))
		return;
	if (reg32(gicd, GICD_ISACTIVER)[src / 32] & 1u << (src % 32))
		sysreg_write(icc_dir_el1, src);
}

/* tessera's console UART: its SPI on this core, claimed and completed by hwirq_poll. */
int hostirq_own(int ctx, uint32_t src)
{
	if (ctx < 0 || !hostirq_has_source(src))
		return E_NOSUPP;
	hostirq_prepare(src);
	hostirq_enable(ctx, src, true);
	return 0;
}
