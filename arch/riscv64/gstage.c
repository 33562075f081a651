/*
 * G-stage translation: Sv39x4 tables per VM (41-bit guest physical
 * addresses), 1 GiB and 2 MiB leaves wherever both addresses are aligned.
 */
#include <stddef.h>
#include <stdio.h>
#include <arch/cpu.h>
#include <arch/csr.h>
#include <arch/vcpu.h>
#include "core/pcpu.h"
#include "partition/hostdt.h"

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)   /* G-stage leaves are always user: the guest runs "as U" here */
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_LEAF (PTE_R | PTE_W | PTE_X)
#define PAGE_SHIFT 12
#define GPA_BITS 41

static inline unsigned long *table(uintptr_t pa)
{
	return (unsigned long *)pa;
}

static inline uintptr_t pte_addr(unsigned long pte)
{
	return (pte >> 10) << PAGE_SHIFT;
}

static unsigned vpn(uint64_t gpa, int level)
{
	/* Root level (2) has 11 bits in Sv39x4; the others have 9. */
	unsigned bits = level == 2 ? 11 : 9;
	return (unsigned)(gpa >> (PAGE_SHIFT + 9 * level)) & ((1u << bits) - 1);
}

static unsigned vmid_bits;   /* written by the boot core before any VM is built */

/* hgatp is WARL: a mode the hart lacks reads back as Bare, VMID bits it lacks as 0. */
int arch_gstage_probe(char *why, size_t whylen)
{
	csr_write(CSR_HGATP, HGATP_MODE_SV39X4 | (HGATP_VMID_MASK << HGATP_VMID_SHIFT));
	unsigned long v = csr_read(CSR_HGATP);
	csr_write(CSR_HGATP, 0);
	if ((v & HGATP_MODE_MASK) != HGATP_MODE_SV39X4) {
		snprintf(why, whylen, "no Sv39x4 G-stage (hgatp.MODE reads back %lu)", v >> 60);
		return -1;
	}
	unsigned long ids = (v >> HGATP_VMID_SHIFT) & HGATP_VMID_MASK;
	vmid_bits = 0;
	while (ids & 1) {   /* VMIDLEN: the implemented bits are the low ones */
		vmid_bits++;
		ids >>= 1;
	}
	return 0;
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

/*
 * VM ids 1 .. 2^VMIDLEN - 1 are the VMs' own; the VMs past them (or all, with
 * no VMID bits) share VMID 0, and their G-stage translations are fenced
 * whenever a core loads one of them after another (arch_vcpu_load).
 */
const char *arch_gstage_name(void)
{
	return "g-stage  Sv39x4";
}

int arch_vm_init(struct arch_vm *vm, unsigned vmid, uintptr_t root16k)
{
	if (root16k & 0x3fff)
		return -1;
	vm->root = root16k;
	vm->sstc = isa_has(&core_platform()->boot_isa, ISA_SSTC);   /* the guest's timer in hardware */
	vm->shared_vmid = vmid >= (1u << vmid_bits);
	if (vm->shared_vmid)
		vmid = 0;
	vm->hgatp = HGATP_MODE_SV39X4 | ((unsigned long)(vmid & HGATP_VMID_MASK) << HGATP_VMID_SHIFT) |
		    (root16k >> PAGE_SHIFT);
	return 0;
}

static int map_one(struct arch_vm *vm, uint64_t gpa, uint64_t hpa, int leaf_level,
		   unsigned long flags, arch_page_alloc_fn alloc)
{
	unsigned long *t = table(vm->root);
	for (int level = 2; level > leaf_level; level--) {
		unsigned long *pte = &t[vpn(gpa, level)];
		if (!(*pte & PTE_V)) {
			uintptr_t page = alloc();
			if (!page)
				return -2;
			*pte = ((page >> PAGE_SHIFT) << 10) | PTE_V;
		} else if (*pte & PTE_LEAF) {
			return -3;  /* already mapped by a larger leaf */
		}
		t = table(pte_addr(*pte));
	}
	unsigned long *pte = &t[vpn(gpa, leaf_level)];
	if (*pte & PTE_V)
		return -3;
	*pte = ((hpa >> PAGE_SHIFT) << 10) | flags;
	return 0;
}

int arch_vm_map(struct arch_vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, enum arch_map_kind kind,
		arch_page_alloc_fn alloc)
{
	if ((gpa | hpa | size) & ((1UL << PAGE_SHIFT) - 1) || gpa + size < gpa ||
	    gpa + size > (1ULL << GPA_BITS))
		return -1;
	unsigned long flags = PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D | (kind == ARCH_MAP_RAM_X ? PTE_X : 0);
	while (size) {
		int level = 0;
		for (int l = 2; l > 0; l--) {
			uint64_t span = 1ULL << (PAGE_SHIFT + 9 * l);
			if (!((gpa | hpa) & (span - 1)) && size >= span) {
				level = l;
				break;
			}
		}
		int rc = map_one(vm, gpa, hpa, level, flags, alloc);
		if (rc)
			return rc;
		uint64_t step = 1ULL << (PAGE_SHIFT + 9 * level);
		gpa += step;
		hpa += step;
		size -= step;
	}
	return 0;
}

int arch_vm_translate(const struct arch_vm *vm, uint64_t gpa, uint64_t *hpa)
{
	if (gpa >= (1ULL << GPA_BITS))
		return -1;
	unsigned long *t = table(vm->root);
	for (int level = 2; level >= 0; level--) {
		unsigned long pte = t[vpn(gpa, level)];
		if (!(pte & PTE_V))
			return -1;
		if (pte & PTE_LEAF) {
			uint64_t off = gpa & ((1ULL << (PAGE_SHIFT + 9 * level)) - 1);
			*hpa = pte_addr(pte) + off;
			return 0;
		}
		t = table(pte_addr(pte));
	}
	return -1;
}

void arch_flush_guest_tlb(void)
{
	hfence_gvma_all();
}

/*
 * A guest's sfence.vma on other harts changes nothing in the G-stage: what it
 * needs gone are VS-stage translations (guest virtual to guest physical, and
 * any combined with them), which HFENCE.GVMA need not flush; HFENCE.VVMA
 * does, for the VMID in hgatp. The core may have another VM loaded, so hgatp
 * is the target VM's for the fence and then put back.
 */
void arch_rfence(const struct arch_vm *vm, unsigned kinds)
{
	if (kinds & ARCH_RFENCE_VS_TLB) {
		unsigned long loaded = csr_read(CSR_HGATP);
		if (loaded != vm->hgatp)
			csr_write(CSR_HGATP, vm->hgatp);
		hfence_vvma_all();
		if (loaded != vm->hgatp)
			csr_write(CSR_HGATP, loaded);
	}
	if (kinds & ARCH_RFENCE_I)
		__asm__ volatile("fence.i" ::: "memory");
}
