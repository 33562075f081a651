/*
 * A trapped guest load or store: decoded (insn.c) from htinst when the hart
 * gives a transformed instruction, else from the instruction itself, fetched
 * as the guest would (HLVX). Loads and stores of 1, 2, 4 and 8 bytes,
 * compressed forms included; anything else is not emulated.
 */
#include <arch/vcpu.h>

long arch_hlvx_hu(unsigned long gva, unsigned long *out);

/* The instruction at guest virtual address pc, fetched as the guest would. */
bool arch_read_guest_insn(unsigned long pc, unsigned long *insn)
{
	unsigned long lo, hi = 0;
	if (arch_hlvx_hu(pc, &lo))
		return false;
	if ((lo & 3) == 3 && arch_hlvx_hu(pc + 2, &hi))
		return false;
	*insn = lo | (hi << 16);
	return true;
}

int arch_mmio_decode(struct arch_vcpu *a, struct mmio_access *m)
{
	unsigned long insn = 0;
	enum htinst_kind k = insn_htinst_kind(a->htinst);
	if ((k == HTINST_NONE || k == HTINST_CUSTOM) && !arch_read_guest_insn(a->pc, &insn)) {
		*m = (struct mmio_access){ 0 };
		return E_NOSUPP;
	}
	if (a->mmio_memo.valid && a->mmio_memo.htinst == a->htinst && a->mmio_memo.insn == insn) {
		*m = a->mmio_memo.m;
		return 0;
	}
	int rc = insn_decode_mmio(a->htinst, insn, m);
	if (rc == 0) {
		a->mmio_memo.htinst = a->htinst;
		a->mmio_memo.insn = insn;
		a->mmio_memo.m = *m;
		a->mmio_memo.valid = true;
	}
	return rc;
}

const char *arch_mmio_strerror(int rc)
{
	return insn_strerror(rc);
}

uint64_t arch_mmio_store_value(const struct arch_vcpu *a, const struct mmio_access *m)
{
	uint64_t v = m->reg ? a->gpr[m->reg] : 0;
	return m->width == 8 ? v : v & ((1ull << (8 * m->width)) - 1);
}

void arch_mmio_complete(struct arch_vcpu *a, const struct mmio_access *m, uint64_t loaded)
{
	if (!m->write && m->reg) {
		unsigned shift = 64 - 8 * m->width;
		if (m->width < 8)
			loaded = m->sign ? (uint64_t)((int64_t)(loaded << shift) >> shift)
					 : loaded & ((1ull << (8 * m->width)) - 1);
		a->gpr[m->reg] = loaded;
	}
	a->pc += m->len;
}
