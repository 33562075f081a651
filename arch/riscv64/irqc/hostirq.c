/*
 * core/irqc.h's host side for RISC-V: the controller the host tree has (the
 * PLIC or the AIA), chosen once at boot; and with it the virtual controller
 * VMs get. A machine with neither drives no host interrupts, and its VMs
 * get a virtual PLIC for their emulated lines.
 */
#include "arch/riscv64/irqc/models.h"
#include "core/console.h"
#include "core/errno.h"
#include "core/irqc.h"
#include "partition/hostdt.h"

static const struct hostirq_ops *host = &plic_host_ops;
enum irqc_model virqc_model = IRQC_PLIC;

void hostirq_log_banner(const struct host_platform *h)
{
	if (h->irqc.model == IRQC_AIA)
		aplic_host_ops.log_banner(h);
	else if (h->irqc.present)
		plic_host_ops.log_banner(h);
	else
		log_line("  irqc     none (VMs get a virtual PLIC for their emulated lines)");
}

bool hostirq_init(const struct host_platform *h)
{
	if (h->irqc.model == IRQC_AIA && aplic_host_ops.init(h)) {
		host = &aplic_host_ops;
		virqc_model = IRQC_AIA;
		return true;
	}
	host = &plic_host_ops;
	virqc_model = IRQC_PLIC;
	return h->irqc.model == IRQC_PLIC && host->init(h);
}

bool hostirq_has_source(uint32_t src)
{
	return host->has_source(src);
}

int hostirq_core_init(const struct host_platform *h, unsigned long hartid)
{
	return host->core_init(h, hartid);
}

void hostirq_prepare(uint32_t src)
{
	host->prepare(src);
}

void hostirq_enable(int ctx, uint32_t src, bool on)
{
	host->enable(ctx, src, on);
}

bool hostirq_pending(void)
{
	return host->pending();
}

uint32_t hostirq_claim(int ctx)
{
	return host->claim(ctx);
}

void hostirq_complete(int ctx, uint32_t src)
{
	host->complete(ctx, src);
}

int hostirq_own(int ctx, uint32_t src)
{
	return ctx >= 0 && host->has_source(src) ? host->own(ctx, src) : E_NOSUPP;
}
