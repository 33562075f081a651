# RISC-V 64 (H extension): toolchain, flags and sources of tessera for this
# architecture. Included by the top-level Makefile (ARCH=riscv64).
CROSS_COMPILE ?= riscv64-linux-gnu-
ARCH_CFLAGS   := -mcmodel=medany -march=rv64imac_zicsr_zifencei -mabi=lp64
ARCH_LDSCRIPT := arch/riscv64/tessera.ld

A := arch/riscv64
ARCH_SRCS := $(A)/entry.S $(A)/trap.S $(A)/trap.c $(A)/cpu.c $(A)/sbi_client.c \
             $(A)/guest.S $(A)/fpu.S $(A)/vcpu.c $(A)/gstage.c $(A)/mmio.c $(A)/insn.c $(A)/sysreg.c \
             $(A)/irqc/virqc.c $(A)/irqc/vplic.c $(A)/irqc/vaplic.c $(A)/irqc/vimsic.c $(A)/irqc/imsic.c $(A)/irqc/imsic_ipi.c \
             $(A)/irqc/hostirq.c $(A)/irqc/plic.c $(A)/irqc/aplic.c \
             $(addprefix $(A)/sbi/,sbi_guest.c base.c time.c ipi.c rfence.c hsm.c srst.c \
                                   dbcn.c legacy.c vendor.c)
# The device-tree side of the interrupt controllers: portable C, built into
# the host tests and tools too, always with partition/hostdt.c (the readers
# use it); the second list adds the machine's kept controllers.
IRQC_DT_SRCS     := $(addprefix $(A)/irqc/,irqc_dt.c plic_dt.c plic_hostdt.c aia_dt.c aia_hostdt.c)
IRQC_HOSTDT_SRCS := $(A)/hostdt_kept.c $(A)/cpus_dt.c $(IRQC_DT_SRCS)
ARCH_SRCS += $(A)/vmcfg_check.c
