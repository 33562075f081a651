/*
 * Stage-2 translation, as far as the boot needs it: what the boot CPU's
 * ID registers say it has (4 KiB granule, the IPA size it can translate,
 * its VMID bits). The tables and the VM set-up come with the vCPU code
 * (docs/aarch64.md): until then arch_vm_init refuses every VM, with that reason.
 */
#include <stdio.h>
#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <arch/vcpu.h>
#include "core/errno.h"

static unsigned vmid_bits, ipa_bits;
static char name[48];

static const unsigned pa_range_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

int arch_gstage_probe(char *why, size_t whylen)
{
	uint64_t mmfr0 = sysreg_read(id_aa64mmfr0_el1), mmfr1 = sysreg_read(id_aa64mmfr1_el1);
	unsigned tgran4 = (mmfr0 >> 28) & 0xf, pa = mmfr0 & 0xf;
	if (tgran4 == 0xf) {
		snprintf(why, whylen, "no 4 KiB translation granule (ID_AA64MMFR0_EL1 0x%lx)", (unsigned long)mmfr0);
		return -1;
	}
	ipa_bits = pa < sizeof(pa_range_bits) / sizeof(pa_range_bits[0]) ? pa_range_bits[pa] : 48;
	if (ipa_bits > 48)
		ipa_bits = 48;   /* 4 KiB granule, 4 levels: 48 bits */
	vmid_bits = ((mmfr1 >> 4) & 0xf) == 2 ? 16 : 8;
	snprintf(name, sizeof(name), "stage-2  4 KiB granule, %u-bit IPA", ipa_bits);
	return 0;
}

const char *arch_gstage_name(void)
{
	return name;
}

unsigned arch_gstage_vmid_bits(void)
{
	return vmid_bits;
}

void arch_gstage_limit_vmid_bits(unsigned bits)
{
	if (bits < vmid_bits)
		vmid_bits = bits;
}

int arch_vm_init(struct arch_vm *vm, unsigned vmid, uintptr_t root16k)
{
	(void)vm;
	(void)vmid;
	(void)root16k;
	return E_NOSUPP;   /* no stage-2 tables yet */
}

int arch_vm_map(struct arch_vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, bool exec,
		arch_page_alloc_fn alloc)
{
	(void)vm;
	(void)gpa;
	(void)hpa;
	(void)size;
	(void)exec;
	(void)alloc;
	return E_NOSUPP;
}

int arch_vm_translate(const struct arch_vm *vm, uint64_t gpa, uint64_t *hpa)
{
	(void)vm;
	(void)gpa;
	(void)hpa;
	return E_NOSUPP;
}

void arch_flush_guest_tlb(void)
{
	__asm__ volatile("dsb ishst; tlbi vmalls12e1is; dsb ish; isb" ::: "memory");
}

void arch_rfence(const struct arch_vm *vm, unsigned kinds)
{
	(void)vm;
	(void)kinds;
}
