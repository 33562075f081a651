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

/*
 * The console UART a VM may ask for: a 16550 (vuart.c) or an Arm PL011
 * (vpl011.c). Both send bytes to the VM's console lines and take input from
 * the console core through the same ring.
 */
#define VUART_RX_BUF 64
#define VPL011_RXIM (1u << 4)   /* receive */
#define VPL011_TXIM (1u << 5)   /* transmit */
#define VPL011_RTIM (1u << 6)   /* receive timeout */
enum vuart_model { VUART_16550, VUART_PL011 };
struct vuart {
	enum vuart_model model;
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;   /* 16550 */
	bool thri;                            /* 16550: transmitter-empty interrupt not yet acknowledged */
	uint16_t cr, imsc, lcrh, ibrd, fbrd, ifls, ilpr, dmacr;   /* PL011 */
	bool txris;                           /* PL011: transmit interrupt, set by a send, cleared by ICR */
	bool line;                            /* level of its line */
	char out[120];                        /* the output line: one UART, whichever vCPU drives it */
	unsigned out_len;
	_Atomic uint32_t rx_head, rx_tail;   /* input: written by the console core, read by the vCPU */
	uint8_t rx[VUART_RX_BUF];
};

extern const struct vdev_ops vuart_ops, vpl011_ops;
void vuart_reset(struct vuart *u, enum vuart_model model);
int vuart_push_input(struct vuart *u, uint8_t c);   /* E_BUSY if full */
bool vuart_rx_ready(struct vuart *u);
int vuart_rx_pop(struct vuart *u);                  /* the next input byte, or -1 */
bool vuart_rx_irq_enabled(const struct vuart *u);   /* input raises the UART's line */
#endif
