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

/*
 * A software interrupt file (irqc/vimsic.c): what a vCPU gets when its hart
 * has no guest file left. Its guest's CSR accesses and MSIs trap.
 */
#define VFILE_IDS 255             /* identities 1..255, the most an IMSIC file has in a VM here */
struct vfile {
	uint32_t delivery, threshold;
	uint64_t eip[4], eie[4];      /* identity i: bit i % 64 of word i / 64 */
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
	uint32_t sw;                 /* vCPUs whose file is software (sw_file[]) */
	uint32_t kick;               /* vCPUs to wake once the lock is dropped */
	struct vfile sw_file[VIRQC_MAX_VCPUS];
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
