/*
 * tessera's own IPIs on an AIA host: a store of IPI_ID into the target
 * hart's supervisor interrupt file (file 0 of its IMSIC group), instead of
 * an SBI call that traps into the firmware on the sender and comes back as
 * SSIP on the receiver. The receiver sees it as a supervisor external
 * interrupt and claims it through stopei. Passed-through devices send to
 * guest files; the one other identity in an S-file is tessera's console
 * UART, on the core that reads it (OWN_ID). An MSI before the target has
 * turned its file on stays pending in it and arrives when it does.
 */
#include <arch/csr.h>
#include "arch/riscv64/irqc/models.h"
#include "partition/hostdt.h"

#define CSR_SISELECT 0x150
#define CSR_SIREG    0x151
#define CSR_STOPEI   0x15c
#define EIDELIVERY   0x70
#define EITHRESHOLD  0x72
#define EIE0         0xc0
#define IPI_ID       1
#define OWN_ID       2   /* after IPI_ID: the lower identity is served first */

bool imsic_ipis;
static bool own_seen;   /* OWN_ID claimed, not yet taken (only its core sees it) */
static volatile uint32_t *ipi_file[HOSTDT_MAX_HARTS];   /* by hart id: its S-file's seteipnum_le */

void imsic_ipis_init(const struct host_platform *h)
{
	for (unsigned i = 0; i < h->nharts; i++)
		if (h->hartid[i] < HOSTDT_MAX_HARTS && h->irqc.ctx[i] >= 0)
			ipi_file[h->hartid[i]] = (volatile uint32_t *)imsic_file_address(h, i, 0);
	imsic_ipis = true;
}

void imsic_ipis_core_init(void)
{
	csr_write(CSR_SISELECT, EIDELIVERY);
	csr_write(CSR_SIREG, 1);
	csr_write(CSR_SISELECT, EITHRESHOLD);
	csr_write(CSR_SIREG, 0);
	csr_write(CSR_SISELECT, EIE0);
	csr_write(CSR_SIREG, 1UL << IPI_ID);
}

bool imsic_ipi_send(unsigned long hartid)
{
	if (!imsic_ipis || hartid >= HOSTDT_MAX_HARTS || !ipi_file[hartid])
		return false;
	__asm__ volatile("fence w, o" ::: "memory");   /* the mailbox slot before the MSI */
	*ipi_file[hartid] = IPI_ID;
	return true;
}

/* Claims all that is pending: IPIs need no more (the run loop polls the mailbox next). */
void imsic_ipi_clear(void)
{
	unsigned long top;
	while ((top = csr_swap(CSR_STOPEI, 0)) != 0)
		if (top >> 16 == OWN_ID)
			own_seen = true;
}

unsigned imsic_own_enable(void)
{
	csr_write(CSR_SISELECT, EIE0);
	csr_set(CSR_SIREG, 1UL << OWN_ID);
	return OWN_ID;
}

bool imsic_own_take(void)
{
	imsic_ipi_clear();
	bool seen = own_seen;
	own_seen = false;
	return seen;
}
