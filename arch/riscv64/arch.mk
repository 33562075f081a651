# RISC-V 64 (H extension): toolchain, flags and sources of tessera for this
# architecture. Included by the top-level Makefile (ARCH=riscv64).
CROSS_COMPILE ?= riscv64-linux-gnu-
ARCH_CFLAGS   := -mcmodel=medany -march=rv64imac_zicsr_zifencei -mabi=lp64
ARCH_LDSCRIPT := arch/riscv64/tessera.ld

A := arch/riscv64
ARCH_SRCS := $(A)/entry.S $(A)/trap.S $(A)/trap.c $(A)/cpu.c $(A)/sbi_client.c \
             $(A)/guest.S $(A)/fpu.S $(A)/vcpu.c $(A)/gstage.c $(A)/mmio.c $(A)/insn.c \
             $(A)/irqc/vplic.c $(A)/irqc/plic.c \
             $(addprefix $(A)/sbi/,sbi_guest.c base.c time.c ipi.c rfence.c hsm.c srst.c \
                                   dbcn.c legacy.c vendor.c)
# The device-tree side of the interrupt controller: portable C, built into the
# host tests and tools too; the second list goes with partition/hostdt.c (it
# holds the first).
IRQC_DT_SRCS     := $(A)/irqc/plic_dt.c
IRQC_HOSTDT_SRCS := $(A)/irqc/plic_hostdt.c $(A)/hostdt_kept.c $(IRQC_DT_SRCS)
