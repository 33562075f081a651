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

#define VUART_IRQ 10   /* the emulated UART's line into the VM's interrupt controller */

/* A 16550 as Linux's 8250 driver sees it: polled, no interrupt line yet. */
#define VUART_RX_BUF 64
struct vuart {
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thri;                            /* transmitter-empty interrupt not yet acknowledged */
	bool line;                            /* level of its line */
	char out[120];                        /* the output line: one UART, whichever vCPU drives it */
	unsigned out_len;
	_Atomic uint32_t rx_head, rx_tail;   /* input: written by the console core, read by the vCPU */
	uint8_t rx[VUART_RX_BUF];
};

extern const struct vdev_ops vuart_ops;
int vuart_push_input(struct vuart *u, uint8_t c);   /* E_BUSY if full */
#endif
