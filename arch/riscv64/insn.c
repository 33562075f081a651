/* Decoding trapped loads and stores: see arch/insn.h. */
#include <arch/insn.h>

/* The pseudoinstructions of a VS-stage page-table access: 32- or 64-bit read or write. */
#define PSEUDO_PT_READ32   0x00002000ul
#define PSEUDO_PT_WRITE32  0x00002020ul
#define PSEUDO_PT_READ64   0x00003000ul
#define PSEUDO_PT_WRITE64  0x00003020ul

enum htinst_kind insn_htinst_kind(unsigned long htinst)
{
	if (htinst == 0)
		return HTINST_NONE;
	if (htinst & 1)
		return HTINST_TRANSFORMED;
	if (htinst == PSEUDO_PT_READ32 || htinst == PSEUDO_PT_WRITE32 || htinst == PSEUDO_PT_READ64 ||
	    htinst == PSEUDO_PT_WRITE64)
		return HTINST_PT_WALK;
	return HTINST_CUSTOM;
}

/* LB LH LW LD LBU LHU LWU, SB SH SW SD: the only 32-bit forms emulated. */
static bool decode32(uint32_t insn, struct mmio_access *m)
{
	unsigned f3 = (insn >> 12) & 7;
	switch (insn & 0x7f) {
	case 0x03:
		if (f3 == 7)
			return false;
		m->write = false;
		m->width = 1u << (f3 & 3);
		m->sign = f3 < 4;
		m->reg = (insn >> 7) & 31;
		return true;
	case 0x23:
		if (f3 > 3)
			return false;
		m->write = true;
		m->width = 1u << f3;
		m->reg = (insn >> 20) & 31;
		return true;
	}
	return false;
}

/* C.LW C.LD C.SW C.SD and their stack-pointer forms. */
static bool decode16(uint32_t insn, struct mmio_access *m)
{
	unsigned f3 = (insn >> 13) & 7, quadrant = insn & 3;
	bool word_or_double = f3 == 2 || f3 == 3 || f3 == 6 || f3 == 7;
	if (!word_or_double || (quadrant != 0 && quadrant != 2))
		return false;
	m->write = f3 >= 6;
	m->width = (f3 & 1) ? 8 : 4;
	m->sign = true;
	if (quadrant == 0)
		m->reg = 8 + ((insn >> 2) & 7);                             /* rd' / rs2' */
	else
		m->reg = m->write ? (insn >> 2) & 31 : (insn >> 7) & 31;    /* rs2 / rd */
	return true;
}

int insn_decode_mmio(unsigned long htinst, unsigned long insn, struct mmio_access *m)
{
	*m = (struct mmio_access){ 0 };
	switch (insn_htinst_kind(htinst)) {
	case HTINST_PT_WALK:
		return E_PTWALK;
	case HTINST_TRANSFORMED:
		/* always a 32-bit encoding: bit 1 only says how long the original was */
		m->len = (htinst & 2) ? 4 : 2;
		return decode32((uint32_t)(htinst | 2), m) ? 0 : E_NOSUPP;
	case HTINST_NONE:
	case HTINST_CUSTOM:
		break;
	}
	if ((insn & 3) == 3) {
		m->len = 4;
		return decode32((uint32_t)insn, m) ? 0 : E_NOSUPP;
	}
	m->len = 2;
	return decode16((uint32_t)(insn & 0xffff), m) ? 0 : E_NOSUPP;
}

const char *insn_strerror(int rc)
{
	switch (rc) {
	case E_PTWALK:
		return "guest page-table walk through an address that is not its memory";
	case E_NOSUPP:
		return "MMIO access with an instruction tessera does not emulate";
	default:
		return "MMIO access tessera cannot decode";
	}
}
