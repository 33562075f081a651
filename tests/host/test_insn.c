/*
 * Host tests of arch/riscv64/insn.c: trapped loads and stores decoded from
 * every form htinst may take (none, transformed 32- and 16-bit, the
 * page-table-walk pseudoinstructions, a custom value) and from the
 * instruction itself. Encodings are built field by field from the ISA spec.
 * usage: test_insn PREFIX
 */
#include <string.h>
#include <arch/insn.h>
#include "check.h"

/* Base encodings. */
static unsigned long i_type(unsigned imm, unsigned rs1, unsigned f3, unsigned rd, unsigned op)
{
	return ((unsigned long)(imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
static unsigned long s_type(unsigned imm, unsigned rs2, unsigned rs1, unsigned f3)
{
	return ((unsigned long)((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
	       ((imm & 31) << 7) | 0x23;
}
/* The transformed form (spec: imm fields zero, rs1 = address offset, bit 1 clear if compressed). */
static unsigned long transformed(unsigned long insn32, unsigned offset, bool compressed)
{
	unsigned long t = insn32 & ~(0x1ful << 15);
	t &= (insn32 & 0x7f) == 0x23 ? ~((0x7ful << 25) | (0x1ful << 7)) : ~(0xffful << 20);
	t |= (unsigned long)offset << 15;
	return compressed ? t & ~2ul : t;
}

static struct mmio_access m;

static void expect(int rc, bool write, unsigned width, bool sign, unsigned reg, unsigned len,
		   const char *what)
{
	CHECK(rc == 0, "%s: rc %d", what, rc);
	CHECK(m.write == write && m.width == width && m.reg == reg && m.len == len &&
	      (write || m.sign == sign), "%s: write %d width %u sign %d reg %u len %u", what, m.write,
	      m.width, m.sign, m.reg, m.len);
}

/* htinst 0 (QEMU 7.2): everything comes from the instruction. */
static void test_uncompressed_from_insn(void)
{
	static const struct { unsigned f3, width; bool sign; } loads[] = {
		{ 0, 1, true }, { 1, 2, true }, { 2, 4, true }, { 3, 8, true },
		{ 4, 1, false }, { 5, 2, false }, { 6, 4, false },
	};
	for (unsigned i = 0; i < sizeof(loads) / sizeof(loads[0]); i++)
		expect(insn_decode_mmio(0, i_type(4, 11, loads[i].f3, 10, 0x03), &m), false,
		       loads[i].width, loads[i].sign, 10, 4, "load");
	for (unsigned f3 = 0; f3 < 4; f3++)
		expect(insn_decode_mmio(0, s_type(8, 12, 13, f3), &m), true, 1u << f3, false, 12, 4,
		       "store");
	CHECK(insn_decode_mmio(0, i_type(0, 11, 7, 10, 0x03), &m) == E_NOSUPP, "load f3=7");
	CHECK(insn_decode_mmio(0, s_type(0, 12, 13, 4), &m) == E_NOSUPP, "store f3=4");
	CHECK(insn_decode_mmio(0, i_type(0, 11, 2, 10, 0x07), &m) == E_NOSUPP, "flw emulated");
	CHECK(insn_decode_mmio(0, 0x0805a52f, &m) == E_NOSUPP, "amoswap.w emulated");
}

static void test_compressed_from_insn(void)
{
	/* c.lw a5, 0(a3); c.sw a5, 0(a3) (as objdump shows them: 0x429c, 0xc29c) */
	expect(insn_decode_mmio(0, 0x429c, &m), false, 4, true, 15, 2, "c.lw");
	expect(insn_decode_mmio(0, 0xc29c, &m), true, 4, false, 15, 2, "c.sw");
	/* c.ld a0, 8(a1) = 011 uimm[5:3] rs1' uimm[7:6] rd' 00; c.sd a2, 0(a3) */
	expect(insn_decode_mmio(0, (3u << 13) | (1u << 10) | (3u << 7) | (2u << 2), &m), false, 8, true,
	       10, 2, "c.ld");
	expect(insn_decode_mmio(0, (7u << 13) | (5u << 7) | (4u << 2), &m), true, 8, false, 12, 2, "c.sd");
	/* c.lwsp a0; c.ldsp a0; c.swsp a1; c.sdsp a1 */
	expect(insn_decode_mmio(0, (2u << 13) | (10u << 7) | 2, &m), false, 4, true, 10, 2, "c.lwsp");
	expect(insn_decode_mmio(0, (3u << 13) | (10u << 7) | 2, &m), false, 8, true, 10, 2, "c.ldsp");
	expect(insn_decode_mmio(0, (6u << 13) | (11u << 2) | 2, &m), true, 4, false, 11, 2, "c.swsp");
	expect(insn_decode_mmio(0, (7u << 13) | (11u << 2) | 2, &m), true, 8, false, 11, 2, "c.sdsp");
	/* c.fld, c.fsd and quadrant 1 are not emulated */
	CHECK(insn_decode_mmio(0, (1u << 13) | (5u << 7) | (4u << 2), &m) == E_NOSUPP, "c.fld");
	CHECK(insn_decode_mmio(0, (5u << 13) | (5u << 7) | (4u << 2), &m) == E_NOSUPP, "c.fsd");
	CHECK(insn_decode_mmio(0, 0x4501, &m) == E_NOSUPP, "c.li emulated");
	/* the upper half of a 16-bit fetch is not part of the instruction */
	expect(insn_decode_mmio(0, 0xdead0000ul | 0x429c, &m), false, 4, true, 15, 2, "c.lw, high bits");
}

/* QEMU 10: htinst holds the transformed instruction; insn is not read (0 here). */
static void test_transformed_uncompressed(void)
{
	unsigned long lw = i_type(0x7f0, 11, 2, 10, 0x03), sd = s_type(0x7f8, 12, 13, 3);
	CHECK(insn_htinst_kind(transformed(lw, 0, false)) == HTINST_TRANSFORMED, "kind");
	expect(insn_decode_mmio(transformed(lw, 0, false), 0, &m), false, 4, true, 10, 4, "lw");
	expect(insn_decode_mmio(transformed(sd, 0, false), 0, &m), true, 8, false, 12, 4, "sd");
	/* a misaligned access split by the hart: rs1 holds the offset, the decode does not change */
	expect(insn_decode_mmio(transformed(lw, 2, false), 0, &m), false, 4, true, 10, 4, "lw, offset 2");
	unsigned long lbu = i_type(0, 11, 4, 9, 0x03);
	expect(insn_decode_mmio(transformed(lbu, 0, false), 0, &m), false, 1, false, 9, 4, "lbu");
	CHECK(insn_decode_mmio(transformed(i_type(0, 11, 3, 10, 0x07), 0, false), 0, &m) == E_NOSUPP,
	      "transformed fld emulated");
	CHECK(insn_decode_mmio(0x0805a52ful, 0, &m) == E_NOSUPP, "transformed amoswap emulated");
}

/* A transformed compressed instruction is the 32-bit equivalent with bit 1 clear: length 2. */
static void test_transformed_compressed(void)
{
	unsigned long c_lw = transformed(i_type(0, 0, 2, 15, 0x03), 0, true);   /* c.lw a5 */
	unsigned long c_sw = transformed(s_type(0, 15, 0, 2), 0, true);         /* c.sw a5 */
	unsigned long c_sdsp = transformed(s_type(0, 11, 0, 3), 0, true);       /* c.sdsp a1 */
	CHECK((c_lw & 3) == 1 && insn_htinst_kind(c_lw) == HTINST_TRANSFORMED, "c.lw form %lx", c_lw);
	/* insn holds a different instruction: htinst wins */
	expect(insn_decode_mmio(c_lw, 0xc29c, &m), false, 4, true, 15, 2, "transformed c.lw");
	expect(insn_decode_mmio(c_sw, 0, &m), true, 4, false, 15, 2, "transformed c.sw");
	CHECK(c_sw == 0x00f02021ul, "c.sw a5 transformed to %lx", c_sw);
	expect(insn_decode_mmio(c_sdsp, 0, &m), true, 8, false, 11, 2, "transformed c.sdsp");
}

/* The VS-stage page-table walk touched the address: never emulated as the instruction. */
static void test_pseudoinstructions(void)
{
	static const unsigned long pseudo[] = { 0x2000, 0x2020, 0x3000, 0x3020 };
	for (unsigned i = 0; i < 4; i++) {
		CHECK(insn_htinst_kind(pseudo[i]) == HTINST_PT_WALK, "%lx: kind", pseudo[i]);
		/* even with an emulable load at pc */
		CHECK(insn_decode_mmio(pseudo[i], i_type(0, 11, 2, 10, 0x03), &m) == E_PTWALK,
		      "%lx emulated", pseudo[i]);
	}
	CHECK(strstr(insn_strerror(E_PTWALK), "page-table"), "message");
	/* a value the spec does not define (bit 0 clear, not a pseudoinstruction): use insn */
	CHECK(insn_htinst_kind(0x4000) == HTINST_CUSTOM, "custom kind");
	expect(insn_decode_mmio(0x4000, i_type(0, 11, 2, 10, 0x03), &m), false, 4, true, 10, 4,
	       "custom htinst");
}

int main(int argc, char **argv)
{
	const char *p = argc > 1 ? argv[1] : "insn";
	RUN_CASE(p, test_uncompressed_from_insn);
	RUN_CASE(p, test_compressed_from_insn);
	RUN_CASE(p, test_transformed_uncompressed);
	RUN_CASE(p, test_transformed_compressed);
	RUN_CASE(p, test_pseudoinstructions);
	return check_failures ? 1 : 0;
}
