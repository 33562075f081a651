/*
 * The device tree a VM gets when its config says "dtb": "generate" (the
 * default): its vCPUs, its memory, /chosen with bootargs and initrd. Built
 * with libfdt's sequential writer; portable, tested on the host.
 */
#ifndef PARTITION_GUESTDT_H
#define PARTITION_GUESTDT_H
#include <stddef.h>
#include <stdint.h>
#include "partition/irqc_dt.h"
#include "partition/irqmap.h"
#include "partition/isa.h"
#include "partition/vmconfig.h"

struct guestdt_params {
	const struct vmcfg *cfg;
	const struct vmcfg_layout *layout;
	uint64_t initrd_size;        /* 0: no initrd */
	uint64_t timebase_hz;
	const struct isa *host_isa;  /* the boot hart's extensions */
	const char *mmu_type;        /* e.g. "riscv,sv57", or NULL */
	bool sstc;                   /* the guest may use Sstc */
	uint64_t uart_gpa;           /* an emulated UART there (the console), or 0 */
	bool uart_pl011;             /* it is a PL011, not a 16550 */
	uint32_t boot_count;         /* /chosen/tessera,boot-count: 0, then +1 per reboot */
	struct irqc_dt_guest irqc;   /* the VM's interrupt controller (size 0: none; nvcpus from cfg) */
	uint32_t uart_irq;           /* the UART's line on it */
	const void *host_fdt;        /* for the config's passed-through nodes, or NULL */
	const char *host_stdout;     /* the host's console UART path: if passed through, the guest's console */
	const struct irqmap *irqs;   /* passed-through interrupts on its lines, or NULL */
};

/*
 * The architecture's part (arch/<arch>/cpus_dt.c): /cpus, and beside it what
 * the CPUs bring (Arm: /psci and the timer). A libfdt error code.
 */
int guestdt_cpus(void *fdt, const struct guestdt_params *p);

/* Write the tree into buf (size bytes): 0, or negative with a message naming the cause. */
int guestdt_build(void *buf, size_t size, const struct guestdt_params *p, char *err, size_t errlen);
#endif
