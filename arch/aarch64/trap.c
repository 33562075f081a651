/* EL2 exceptions tessera takes itself: each is a bug in tessera, reported with where it happened. */
#include <stdint.h>
#include "core/panic.h"

void arch_trap_el2(unsigned long kind, uint64_t esr, uint64_t elr, uint64_t far);

static const char *const kinds[16] = {
	"sync (SP_EL0)", "irq (SP_EL0)", "fiq (SP_EL0)", "serror (SP_EL0)",
	"sync", "irq", "fiq", "serror",
	"sync from EL1", "irq from EL1", "fiq from EL1", "serror from EL1",
	"sync from AArch32", "irq from AArch32", "fiq from AArch32", "serror from AArch32",
};

void arch_trap_el2(unsigned long kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	panic("EL2 exception: %s, esr 0x%lx (class 0x%lx) elr 0x%lx far 0x%lx", kinds[kind & 15],
	      (unsigned long)esr, (unsigned long)(esr >> 26), (unsigned long)elr, (unsigned long)far);
}
