/*
 * Decoding a trapped guest load or store (privileged spec, "Transformed
 * Instruction or Pseudoinstruction for mtinst or htinst"). Pure functions of
 * htinst and the instruction bits: no CSR, so the host tests build them too.
 */
#ifndef ARCH_INSN_H
#define ARCH_INSN_H
#include <stdbool.h>
#include <stdint.h>
#include "core/errno.h"

/* A trapped load or store to emulate. */
struct mmio_access {
	bool write, sign;
	unsigned width;   /* bytes */
	unsigned reg;     /* destination (load) or source (store) register */
	unsigned len;     /* length of the trapping instruction: 2 or 4 */
};

/* What htinst says about the trap. */
enum htinst_kind {
	HTINST_NONE,         /* 0: nothing; read the instruction at the guest's pc */
	HTINST_TRANSFORMED,  /* bit 0 set: a 32-bit form of the instruction; bit 1 clear if it was 16-bit */
	HTINST_PT_WALK,      /* a pseudoinstruction: an implicit VS-stage page-table access */
	HTINST_CUSTOM,       /* any other value: not defined by the spec; read the instruction */
};
enum htinst_kind insn_htinst_kind(unsigned long htinst);


/*
 * Decode from htinst when it holds a transformed instruction, else from insn
 * (the instruction at pc: 16 bits, or 32 with bits 1:0 = 11). 0 or INSN_E*.
 */
int insn_decode_mmio(unsigned long htinst, unsigned long insn, struct mmio_access *m);
const char *insn_strerror(int rc);
#endif
