/*
 * Decoding a trapped guest load or store: from htinst when the hart gives a
 * transformed instruction, else from the instruction itself, fetched as the
 * guest would (HLVX). Loads and stores of 1, 2, 4 and 8 bytes, compressed
 * forms included; anything else is not emulated.
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

static bool fetch(const struct arch_vcpu *a, unsigned long *insn)
{
	if (a->htinst & 1) {
		*insn = a->htinst | 2;   /* transformed: bit 1 tells 32-bit (1) from compressed (0) */
		return true;
	}
	return arch_read_guest_insn(a->pc, insn);
}

static unsigned insn_len(const struct arch_vcpu *a, unsigned long insn)
{
	if (a->htinst & 1)
		return (a->htinst & 2) ? 4 : 2;
	return (insn & 3) == 3 ? 4 : 2;
}

static bool decode32(unsigned long insn, struct mmio_access *m)
{
	unsigned f3 = (insn >> 12) & 7;
	switch (insn & 0x7f) {
	case 0x03:   /* LB LH LW LD LBU LHU LWU */
		if (f3 == 7)
			return false;
		m->write = false;
		m->width = 1u << (f3 & 3);
		m->sign = f3 < 4;
		m->reg = (insn >> 7) & 31;
		return true;
	case 0x23:   /* SB SH SW SD */
		if (f3 > 3)
			return false;
		m->write = true;
		m->width = 1u << f3;
		m->reg = (insn >> 20) & 31;
		return true;
	}
	return false;
}

static bool decode16(unsigned long insn, struct mmio_access *m)
{
	unsigned f3 = (insn >> 13) & 7, quadrant = insn & 3;
	unsigned short_reg = 8 + ((insn >> 2) & 7);
	m->sign = true;
	if (quadrant == 0 && (f3 == 2 || f3 == 3 || f3 == 6 || f3 == 7)) {
		m->write = f3 >= 6;        /* C.SW, C.SD; else C.LW, C.LD */
		m->width = (f3 & 1) ? 8 : 4;
		m->reg = short_reg;
		return true;
	}
	if (quadrant == 2 && (f3 == 2 || f3 == 3 || f3 == 6 || f3 == 7)) {
		m->write = f3 >= 6;        /* C.SWSP, C.SDSP; else C.LWSP, C.LDSP */
		m->width = (f3 & 1) ? 8 : 4;
		m->reg = m->write ? (insn >> 2) & 31 : (insn >> 7) & 31;
		return true;
	}
	return false;
}

int arch_mmio_decode(const struct arch_vcpu *a, struct mmio_access *m)
{
	unsigned long insn;
	*m = (struct mmio_access){ 0 };
	if (!fetch(a, &insn))
		return -1;
	m->len = insn_len(a, insn);
	bool ok = m->len == 4 ? decode32(insn, m) : decode16(insn, m);
	return ok ? 0 : -1;
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
