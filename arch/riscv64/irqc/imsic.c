/*
 * Guest interrupt files of the hart's IMSIC (AIA). A vCPU that has one keeps
 * it for the VM's life: hstatus.VGEIN selects it while the vCPU runs, so its
 * guest's CSRs (siselect/sireg/stopei) and its MSIs reach it with no exit. A
 * vCPU that is not loaded is signalled through hgeip: its file's bit in
 * hgeie is armed when it is put, and taken back (aplic.c's claim) when the
 * interrupt arrives, so a file that stays pending cannot storm the core; the
 * run loop then sees the vCPU's interrupt (arch_vcpu_irq_pending).
 */
#include <arch/csr.h>
#include <arch/vcpu.h>
#include "arch/riscv64/irqc/models.h"
#include "partition/hostdt.h"

#define IMSIC_EIDELIVERY  0x70
#define IMSIC_EITHRESHOLD 0x72
#define IMSIC_EIP0        0x80
#define IMSIC_EIE0        0xc0

/* The writable bits of hgeie are the files 1..GEILEN. */
unsigned imsic_guest_files(void)
{
	unsigned long old = csr_read(CSR_HGEIE), bits;
	csr_write(CSR_HGEIE, ~0UL);
	bits = csr_read(CSR_HGEIE);
	csr_write(CSR_HGEIE, old);
	unsigned n = 0;
	while (bits & (2UL << n))
		n++;
	return n;
}

uintptr_t imsic_file_address(const struct host_platform *h, unsigned core, unsigned file)
{
	unsigned index = (unsigned)h->irqc.ctx[core];
	return (uintptr_t)(h->irqc.files_base + ((uint64_t)index << (h->irqc.guest_bits + 12)) +
			   ((uint64_t)file << 12));
}

/* Power-on state of the vCPU's file: delivery off, nothing enabled or pending (on its hart). */
void imsic_file_reset(const struct arch_vcpu *a)
{
	unsigned long hstatus = csr_read(CSR_HSTATUS), sel = csr_read(CSR_VSISELECT);
	csr_write(CSR_HSTATUS, (hstatus & ~HSTATUS_VGEIN) | (unsigned long)a->vgein << HSTATUS_VGEIN_SHIFT);
	csr_write(CSR_VSISELECT, IMSIC_EIDELIVERY);
	csr_write(CSR_VSIREG, 0);
	csr_write(CSR_VSISELECT, IMSIC_EITHRESHOLD);
	csr_write(CSR_VSIREG, 0);
	/* RV64: the even registers hold 64 identities each */
	for (unsigned i = 0; i <= a->file_ids / 64u; i++) {
		csr_write(CSR_VSISELECT, IMSIC_EIP0 + 2 * i);
		csr_write(CSR_VSIREG, 0);
		csr_write(CSR_VSISELECT, IMSIC_EIE0 + 2 * i);
		csr_write(CSR_VSIREG, 0);
	}
	csr_write(CSR_VSISELECT, sel);
	csr_write(CSR_HSTATUS, hstatus);
}

void imsic_file_put(const struct arch_vcpu *a)
{
	csr_set(CSR_HGEIE, 1UL << a->vgein);
}

void imsic_file_load(const struct arch_vcpu *a)
{
	csr_clear(CSR_HGEIE, 1UL << a->vgein);
}

bool imsic_file_pending(const struct arch_vcpu *a)
{
	return (csr_read(CSR_HGEIP) >> a->vgein) & 1;
}
