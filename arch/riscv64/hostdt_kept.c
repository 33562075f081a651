/* The RISC-V machine's own controllers, which no VM is given (partition/hostdt.h). */
#include <stddef.h>
#include "partition/hostdt.h"

const char *const hostdt_kept_compatibles[] = {
	"riscv,clint0", "sifive,clint0", "riscv,aclint-mswi", "riscv,aclint-mtimer",
	"riscv,aclint-sswi", "riscv,plic0", "sifive,plic-1.0.0", "riscv,aplic", "riscv,imsics",
	"sifive,test0", "sifive,test1", NULL,
};
