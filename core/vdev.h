/* Emulated devices: MMIO ranges of a VM that trap to tessera instead of being mapped. */
#ifndef CORE_VDEV_H
#define CORE_VDEV_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

struct vdev_ops {
	const char *name;
	/* 0, or negative: the access is not allowed (the guest faults) */
	int (*read)(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t *val);
	int (*write)(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val);
};

struct vdev {
	uint64_t gpa, size;
	const struct vdev_ops *ops;
	void *dev;
};

#define VM_MAX_VDEVS 4

/* Virtual PLIC (arch/riscv64/vplic.c): sources 1..31, one context per vCPU. */
#define VPLIC_SOURCES 32
#define VPLIC_GPA  0x0c000000ull
#define VPLIC_SIZE 0x400000ull
#define VUART_IRQ  10
struct vplic {
	atomic_flag lock;            /* the VM's own: its vCPUs on any core */
	uint32_t priority[VPLIC_SOURCES];
	uint32_t pending, claimed, level;
	uint32_t enable[8], threshold[8];
	uint32_t hw;                 /* sources that are host interrupts (core/hwirq.c) */
};
extern const struct vdev_ops vplic_ops;
void vplic_set_level(struct vcpu *self, unsigned src, bool level);
struct vm;
/* A source goes high from outside the VM's vCPUs (console input). */
void vplic_raise(struct vm *vm, unsigned src);
/* A host interrupt routed to src was claimed: pending until the guest completes it. */
void vplic_hw_raise(struct vm *vm, unsigned src);

/* A 16550 as Linux's 8250 driver sees it: polled, no interrupt line yet. */
#define VUART_RX_BUF 64
struct vuart {
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thri;                            /* transmitter-empty interrupt not yet acknowledged */
	bool line;                            /* level of its line into the vPLIC */
	char out[120];                        /* the output line: one UART, whichever vCPU drives it */
	unsigned out_len;
	_Atomic uint32_t rx_head, rx_tail;   /* input: written by the console core, read by the vCPU */
	uint8_t rx[VUART_RX_BUF];
};

extern const struct vdev_ops vuart_ops;
int vuart_push_input(struct vuart *u, uint8_t c);   /* E_BUSY if full */
#endif
