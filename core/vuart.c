/*
 * Emulated 16550 UART, one per VM that asks for one. Output bytes go to the
 * VM's console lines ("[name] ..."); input comes from the console when the
 * VM has focus. Register layout: reg-shift 0, 8-bit accesses.
 */
#include <string.h>
#include "core/errno.h"
#include "core/irqc.h"
#include "core/vdev.h"
#include "core/vm.h"

enum { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
#define LCR_DLAB 0x80
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define IIR_NO_INT 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO 0xc0
#define IER_RDI 0x01
#define IER_THRI 0x02

bool vuart_rx_ready(struct vuart *u)
{
	return atomic_load_explicit(&u->rx_head, memory_order_acquire) !=
	       atomic_load_explicit(&u->rx_tail, memory_order_relaxed);
}

int vuart_rx_pop(struct vuart *u)
{
	if (!vuart_rx_ready(u))
		return -1;
	uint32_t t = atomic_load_explicit(&u->rx_tail, memory_order_relaxed);
	uint8_t c = u->rx[t % VUART_RX_BUF];
	atomic_store_explicit(&u->rx_tail, t + 1, memory_order_release);
	return c;
}

void vuart_reset(struct vuart *u, enum vuart_model model)
{
	memset(u, 0, sizeof(*u));
	u->model = model;
	u->cr = 0x300;    /* PL011 out of reset: transmit and receive enabled, the UART not yet */
	u->ifls = 0x12;   /* both FIFO levels at half */
}

bool vuart_rx_irq_enabled(const struct vuart *u)
{
	if (u->model == VUART_PL011)
		return u->imsc & (VPL011_RXIM | VPL011_RTIM);
	return u->ier & IER_RDI;
}

int vuart_push_input(struct vuart *u, uint8_t c)
{
	uint32_t h = atomic_load_explicit(&u->rx_head, memory_order_relaxed);
	if (h - atomic_load_explicit(&u->rx_tail, memory_order_acquire) >= VUART_RX_BUF)
		return E_BUSY;
	u->rx[h % VUART_RX_BUF] = c;
	atomic_store_explicit(&u->rx_head, h + 1, memory_order_release);
	return 0;
}

static int vuart_read_reg(struct vuart *u, uint64_t off, unsigned width, uint64_t *val);
static int vuart_write_reg(struct vcpu *v, struct vuart *u, uint64_t off, unsigned width, uint64_t val);

/* Which interrupt the UART reports, highest priority first: received data, then THR empty. */
static uint8_t iir(struct vuart *u)
{
	if ((u->ier & IER_RDI) && vuart_rx_ready(u))
		return IIR_RDI;
	if ((u->ier & IER_THRI) && u->thri)
		return IIR_THRI;
	return IIR_NO_INT;
}

/* The UART's line into the VM's interrupt controller follows its pending interrupt. */
static void update_line(struct vcpu *v, struct vuart *u)
{
	bool level = iir(u) != IIR_NO_INT;
	if (level != u->line) {
		u->line = level;
		virqc_set_level(v, VUART_IRQ, level);
	}
}

static int vuart_read(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t *val)
{
	struct vuart *u = dev;
	int rc = vuart_read_reg(u, off, width, val);
	update_line(v, u);
	return rc;
}

static int vuart_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	struct vuart *u = dev;
	int rc = vuart_write_reg(v, u, off, width, val);
	update_line(v, u);
	return rc;
}

/* Any access width (1, 2, 4, 8) acts on the register's one byte, as on QEMU's 16550. */
static int vuart_read_reg(struct vuart *u, uint64_t off, unsigned width, uint64_t *val)
{
	if (width != 1 && width != 2 && width != 4 && width != 8)
		return E_INVAL;
	switch (off) {
	case RBR_THR:
		if (u->lcr & LCR_DLAB) {
			*val = u->dll;
		} else {
			int c = vuart_rx_pop(u);
			*val = c < 0 ? 0 : (uint64_t)c;
		}
		return 0;
	case IER: *val = (u->lcr & LCR_DLAB) ? u->dlm : u->ier; return 0;
	case IIR_FCR: {
		uint8_t id = iir(u);
		if (id == IIR_THRI)
			u->thri = false;   /* reading IIR acknowledges THR empty */
		*val = id | ((u->fcr & 1) ? IIR_FIFO : 0);
		return 0;
	}
	case LCR: *val = u->lcr; return 0;
	case MCR: *val = u->mcr; return 0;
	case LSR: *val = LSR_THRE | LSR_TEMT | (vuart_rx_ready(u) ? LSR_DR : 0); return 0;
	case MSR: *val = 0xb0; return 0;   /* CTS, DSR, DCD: a line that is always ready */
	case SCR: *val = u->scr; return 0;
	}
	*val = 0;   /* the rest of the page reads as zero, as on QEMU's 16550 */
	return 0;
}

static int vuart_write_reg(struct vcpu *v, struct vuart *u, uint64_t off, unsigned width, uint64_t val)
{
	if (width != 1 && width != 2 && width != 4 && width != 8)
		return E_INVAL;
	uint8_t b = (uint8_t)val;
	switch (off) {
	case RBR_THR:
		if (u->lcr & LCR_DLAB) {
			u->dll = b;
		} else {
			console_line_putc(v->vm, u->out, &u->out_len, sizeof(u->out), (char)b);
			u->thri = true;   /* sent at once: the THR is empty again */
		}
		return 0;
	case IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = b;
		} else {
			if ((b & IER_THRI) && !(u->ier & IER_THRI))
				u->thri = true;   /* enabling it with the THR empty raises it */
			u->ier = b & 0x0f;
		}
		return 0;
	case IIR_FCR: u->fcr = b; return 0;
	case LCR: u->lcr = b; return 0;
	case MCR: u->mcr = b & 0x1f; return 0;
	case SCR: u->scr = b; return 0;
	}
	return 0;   /* LSR, MSR and the rest of the page: writes are ignored */
}

const struct vdev_ops vuart_ops = { "16550", vuart_read, vuart_write };
