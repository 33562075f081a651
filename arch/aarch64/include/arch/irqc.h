/* The state of a VM's virtual GICv3, held in struct vm (core/irqc.h; arch/aarch64/irqc/vgic.c). */
#ifndef ARCH_IRQC_H
#define ARCH_IRQC_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define VIRQC_LINES 32        /* core's lines 1..31 are SPIs 32..63 */
#define VIRQC_MAX_VCPUS 8
#define VGIC_SPI_BASE 32

/* A vCPU's SGIs and PPIs (INTIDs 0-31): its redistributor. */
struct vgic_cpu {
	uint32_t enabled, pending, active, edge;   /* edge: ICFGR says edge (SGIs always) */
	uint8_t prio[32];
	bool asleep;                               /* GICR_WAKER.ProcessorSleep */
};

struct virqc {
	atomic_flag lock;
	bool present;
	uint32_t hw;                 /* lines that carry host interrupts */
	uint16_t spi_host[32];       /* their host INTIDs: list registers link them (HW bit) */
	uint32_t ctlr;               /* GICD_CTLR: EnableGrp1A */
	uint32_t spi_enabled, spi_pending, spi_active, spi_level;   /* bit i: SPI 32 + i */
	uint8_t spi_prio[32];
	uint8_t spi_target[32];      /* the vCPU IROUTER names (Aff0) */
	struct vgic_cpu cpu[VIRQC_MAX_VCPUS];
	unsigned nvcpus;
};
#endif
