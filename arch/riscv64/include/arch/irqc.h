/* The state of a VM's virtual interrupt controller, held in struct vm (core/irqc.h). */
#ifndef ARCH_IRQC_H
#define ARCH_IRQC_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define VIRQC_LINES 32          /* lines 1..31, both models */
#define VIRQC_MAX_VCPUS 8

/* Virtual PLIC (irqc/vplic.c): one S-mode context per vCPU. */
struct vplic {
	uint32_t priority[VIRQC_LINES];
	uint32_t pending, claimed, level;
	uint32_t enable[VIRQC_MAX_VCPUS], threshold[VIRQC_MAX_VCPUS];
};

/* Virtual APLIC in MSI mode (irqc/vaplic.c), sending to the vCPUs' guest interrupt files. */
struct vaplic {
	uint32_t domaincfg;
	uint32_t sourcecfg[VIRQC_LINES], target[VIRQC_LINES];
	uint32_t ie, ip, input;      /* per line: enabled, pending, rectified input */
	uint32_t wire;               /* per emulated line: what its device drives */
	uint32_t genmsi;
	uint16_t host[VIRQC_LINES];  /* the host source of a passed-through line */
	uintptr_t file[VIRQC_MAX_VCPUS];   /* vCPU i's guest interrupt file (host address) */
	uint64_t files_gpa;
	uint32_t file_ids;
};

struct virqc {
	atomic_flag lock;            /* the VM's own: its vCPUs on any core */
	bool present;
	uint32_t hw;                 /* lines that carry host interrupts */
	union {
		struct vplic plic;
		struct vaplic aplic;
	};
};
#endif
