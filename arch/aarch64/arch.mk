# AArch64 at EL2 (docs/aarch64.md): toolchain, flags and sources of tessera for
# this architecture. Included by the top-level Makefile (make ARCH=aarch64).
# tessera runs with its EL2 MMU off for now: every access is Device memory,
# so the C code is built for strict alignment and without FP/SIMD registers.
CROSS_COMPILE ?= aarch64-linux-gnu-
ARCH_CFLAGS   := -march=armv8-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics
ARCH_LDSCRIPT := arch/aarch64/tessera.ld

A := arch/aarch64
ARCH_SRCS := $(A)/entry.S $(A)/vectors.S $(A)/trap.c $(A)/cpu.c $(A)/psci.c $(A)/stage2.c $(A)/vcpu.c $(A)/guest.S $(A)/psci_guest.c \
             $(A)/irqc/gicv3.c $(A)/irqc/vgic.c
# The device-tree side of the interrupt controller (portable C, host-buildable),
# and the machine's kept controllers.
IRQC_DT_SRCS     := $(A)/irqc/gicv3_dt.c
IRQC_HOSTDT_SRCS := $(A)/hostdt_kept.c $(A)/cpus_dt.c $(IRQC_DT_SRCS)
ARCH_SRCS += $(A)/vmcfg_check.c
