/*
 * EXIT_SYSREG: a CSR instruction that trapped as a virtual instruction and
 * that tessera emulates. Today that is a software interrupt file's sireg
 * (siselect 0x70-0xff) and stopei (irqc/vimsic.c); any other CSR the guest
 * may not touch is an illegal instruction for it, as on hardware.
 */
#include <arch/csr.h>
#include <arch/vcpu.h>
#include "arch/riscv64/irqc/models.h"
#include "core/arch.h"
#include "core/errno.h"
#include "core/exit.h"
#include "core/vm.h"

#define CSR_SIREG_NUM  0x151
#define CSR_STOPEI_NUM 0x15c

enum { CSRRW = 1, CSRRS = 2, CSRRC = 3 };

int arch_emulate_sysreg(struct vcpu *v, const struct vcpu_exit *e)
{
	struct arch_vcpu *a = &v->arch;
	unsigned long insn = (unsigned long)e->addr;
	unsigned csr = (unsigned)(insn >> 20), rd = (insn >> 7) & 31, rs1 = (insn >> 15) & 31;
	unsigned f3 = (insn >> 12) & 7, kind = f3 & 3;
	bool imm = f3 & 4;
	unsigned long src = imm ? rs1 : rs1 ? a->gpr[rs1] : 0;
	/* csrrs/csrrc with x0 (or uimm 0) only read: no write side effect (a claim) */
	struct csr_rmw op = { .write = kind == CSRRW || rs1 != 0 };
	if (kind == CSRRW)
		op.clear = ~0UL, op.set = src;
	else if (kind == CSRRS)
		op.set = src;
	else
		op.clear = src;
	int rc;
	if (csr == CSR_SIREG_NUM)
		rc = vimsic_sireg(v, csr_read(CSR_VSISELECT), &op);   /* the vCPU is loaded */
	else if (csr == CSR_STOPEI_NUM)
		rc = vimsic_stopei(v, &op);
	else
		rc = E_INVAL;
	if (rc)
		return rc;
	if (rd)
		a->gpr[rd] = op.old;
	a->pc += 4;
	return 0;
}
