/*
 * Stage-2 translation: what the boot CPU's ID registers say it has (4 KiB
 * granule, output size, VMID bits), probed; and each VM's tables. A VM's
 * IPA space is 39 bits (512 GiB), walked from level 1: one 4 KiB root table
 * (the 16 KiB core/ hands over is more than enough), 2 MiB blocks where
 * both addresses and the size allow, else 4 KiB pages.
 */
#include <stdio.h>
#include <arch/cpu.h>
#include <arch/sysreg.h>
#include <arch/vcpu.h>
#include "core/errno.h"

#define IPA_BITS     39u
#define PAGE_SHIFT   12
#define DESC_VALID   (1UL << 0)
#define DESC_TABLE   (1UL << 1)   /* levels 1-2: a table; level 3: a page */
#define DESC_AF      (1UL << 10)
#define DESC_SH_IS   (3UL << 8)
#define DESC_S2AP_RW (3UL << 6)
#define DESC_XN      (2UL << 53)  /* stage 2: not executable at EL1 or EL0 */
#define MEMATTR_NORMAL_WB (0xfUL << 2)
#define MEMATTR_DEVICE    (0x1UL << 2)   /* Device-nGnRE */
#define DESC_ADDR    0x0000fffffffff000UL

#define VTCR_T0SZ(b) (64u - (b))
#define VTCR_SL0_L1  (1u << 6)
#define VTCR_WBWA    (1u << 8 | 1u << 10)
#define VTCR_SH_IS   (3u << 12)
#define VTCR_VS16    (1u << 19)
#define VTCR_RES1    (1u << 31)

static unsigned vmid_bits, ipa_bits, pa_field;
static char name[64];

static const unsigned pa_range_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

int arch_gstage_probe(char *why, size_t whylen)
{
	uint64_t mmfr0 = sysreg_read(id_aa64mmfr0_el1), mmfr1 = sysreg_read(id_aa64mmfr1_el1);
	unsigned tgran4 = (mmfr0 >> 28) & 0xf, pa = mmfr0 & 0xf;
	if (tgran4 == 0xf) {
		snprintf(why, whylen, "no 4 KiB translation granule (ID_AA64MMFR0_EL1 0x%lx)", (unsigned long)mmfr0);
		return -1;
	}
	pa_field = pa > 5 ? 5 : pa;   /* VTCR.PS: what the CPU outputs, 48 bits at most with 4 KiB */
	ipa_bits = pa < sizeof(pa_range_bits) / sizeof(pa_range_bits[0]) ? pa_range_bits[pa] : 48;
	if (ipa_bits > 48)
		ipa_bits = 48;   /* 4 KiB granule, 4 levels: 48 bits */
	vmid_bits = ((mmfr1 >> 4) & 0xf) == 2 ? 16 : 8;
	if (ipa_bits < IPA_BITS) {
		snprintf(why, whylen, "stage 2 needs %u-bit IPAs, the CPU has %u (ID_AA64MMFR0_EL1 0x%lx)",
			 IPA_BITS, ipa_bits, (unsigned long)mmfr0);
		return -1;
	}
	snprintf(name, sizeof(name), "stage-2  4 KiB granule, %u-bit IPA (the CPU has %u)", IPA_BITS, ipa_bits);
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

/* VTCR_EL2 for every VM: written by arch_vcpu_load (one value for all). */
uint64_t stage2_vtcr(void)
{
	return VTCR_T0SZ(IPA_BITS) | VTCR_SL0_L1 | VTCR_WBWA | VTCR_SH_IS | (uint64_t)pa_field << 16 |
	       (vmid_bits == 16 ? VTCR_VS16 : 0) | VTCR_RES1;
}

int arch_vm_init(struct arch_vm *vm, unsigned vmid, uintptr_t root16k)
{
	unsigned bits = vmid_bits ? vmid_bits : 8;
	vm->shared_vmid = vmid >= (1u << bits);
	if (vm->shared_vmid)
		vmid = (1u << bits) - 1;   /* the VMs past the VMID space share the last one */
	vm->root = root16k;
	vm->vttbr = (uint64_t)vmid << 48 | root16k;
	return 0;
}

static unsigned idx(uint64_t gpa, int level)
{
	return (unsigned)(gpa >> (PAGE_SHIFT + 9 * (3 - level))) & 511;
}

static uint64_t *table(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

/* One block (level 2) or page (level 3) entry, with the tables above it. */
static int map_one(struct arch_vm *vm, uint64_t gpa, uint64_t desc, int level, arch_page_alloc_fn alloc)
{
	uint64_t *t = table(vm->root);
	for (int l = 1; l < level; l++) {
		uint64_t *e = &t[idx(gpa, l)];
		if (!(*e & DESC_VALID)) {
			uintptr_t page = alloc();
			if (!page)
				return E_NOMEM;
			*e = page | DESC_TABLE | DESC_VALID;
		} else if (!(*e & DESC_TABLE)) {
			return E_INVAL;   /* a block is there already */
		}
		t = table(*e & DESC_ADDR);
	}
	uint64_t *e = &t[idx(gpa, level)];
	if (*e & DESC_VALID)
		return E_INVAL;   /* mapped twice: core/ checks the layout, so a bug */
	*e = desc | (level == 3 ? DESC_TABLE : 0) | DESC_VALID;
	return 0;
}

int arch_vm_map(struct arch_vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, enum arch_map_kind kind,
		arch_page_alloc_fn alloc)
{
	if ((gpa | hpa | size) & ((1UL << PAGE_SHIFT) - 1) || gpa + size < gpa || gpa + size > (1ULL << IPA_BITS))
		return E_INVAL;
	uint64_t attrs = DESC_AF | DESC_S2AP_RW |
			 (kind == ARCH_MAP_DEVICE ? MEMATTR_DEVICE | DESC_XN : MEMATTR_NORMAL_WB | DESC_SH_IS) |
			 (kind == ARCH_MAP_RAM_NX ? DESC_XN : 0);
	while (size) {
		uint64_t block = 1ULL << (PAGE_SHIFT + 9);
		int level = !((gpa | hpa) & (block - 1)) && size >= block ? 2 : 3;
		int rc = map_one(vm, gpa, hpa | attrs, level, alloc);
		if (rc)
			return rc;
		uint64_t step = 1ULL << (PAGE_SHIFT + 9 * (3 - level));
		gpa += step;
		hpa += step;
		size -= step;
	}
	return 0;
}

int arch_vm_translate(const struct arch_vm *vm, uint64_t gpa, uint64_t *hpa)
{
	if (gpa >= (1ULL << IPA_BITS))
		return E_INVAL;
	const uint64_t *t = table(vm->root);
	for (int level = 1; level <= 3; level++) {
		uint64_t e = t[idx(gpa, level)];
		if (!(e & DESC_VALID))
			return E_INVAL;
		if (level == 3 || !(e & DESC_TABLE)) {
			*hpa = (e & DESC_ADDR & ~((1ULL << (PAGE_SHIFT + 9 * (3 - level))) - 1)) |
			       (gpa & ((1ULL << (PAGE_SHIFT + 9 * (3 - level))) - 1));
			return 0;
		}
		t = table(e & DESC_ADDR);
	}
	return E_INVAL;
}

void arch_flush_guest_tlb(void)
{
	__asm__ volatile("dsb ishst; tlbi vmalls12e1is; dsb ish; isb" ::: "memory");
}

/*
 * A guest's broadcast TLB maintenance (TLBI ...IS) reaches every CPU in
 * hardware, so a remote fence asks nothing more of this one than its
 * own TLB and instruction cache for the VM.
 */
void arch_rfence(const struct arch_vm *vm, unsigned kinds)
{
	uint64_t old = sysreg_read(vttbr_el2);
	sysreg_write(vttbr_el2, vm->vttbr);
	isb();
	if (kinds & ARCH_RFENCE_VS_TLB)
		__asm__ volatile("tlbi vmalle1; dsb nsh" ::: "memory");
	if (kinds & ARCH_RFENCE_I)
		__asm__ volatile("ic iallu; dsb nsh" ::: "memory");
	sysreg_write(vttbr_el2, old);
	isb();
}
