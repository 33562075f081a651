/*
 * Emulated Arm PL011 UART (PrimeCell r1p4, as QEMU's): the console of a VM
 * that asks for {"pl011": GPA}. Bytes are sent at once, so the transmit
 * FIFO is always empty and never full; input comes from the console ring
 * (vuart.c) and is the receive FIFO. The enable bits of CR are kept but not
 * enforced (QEMU's PL011 does the same), so a guest that never writes CR
 * still prints. Registers are 32 bits wide; narrower accesses act on the
 * bytes they cover, which is what a guest's strb/ldrb of a register does.
 */
#include "core/errno.h"
#include "core/irqc.h"
#include "core/vdev.h"
#include "core/vm.h"

enum {
	DR = 0x000, RSR_ECR = 0x004, FR = 0x018, ILPR = 0x020, IBRD = 0x024, FBRD = 0x028,
	LCR_H = 0x02c, CR = 0x030, IFLS = 0x034, IMSC = 0x038, RIS = 0x03c, MIS = 0x040,
	ICR = 0x044, DMACR = 0x048, ID_BASE = 0xfe0,
};
#define FR_CTS  (1u << 0)
#define FR_DSR  (1u << 1)
#define FR_DCD  (1u << 2)
#define FR_RXFE (1u << 4)
#define FR_TXFE (1u << 7)
#define CR_LBE  (1u << 7)   /* loopback: sent bytes are received */
#define IMSC_ALL 0x7ff

/* Peripheral id 0x00141011 (PL011, Arm, r1), PrimeCell id 0xb105f00d, a byte per word. */
static const uint8_t id_bytes[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static uint32_t ris(struct vuart *u)
{
	return (vuart_rx_ready(u) ? VPL011_RXIM : 0) | (u->txris ? VPL011_TXIM : 0);
}

/* The UART's line into the VM's interrupt controller follows its masked status. */
static void update_line(struct vcpu *v, struct vuart *u)
{
	bool level = (ris(u) & u->imsc) != 0;
	if (level != u->line) {
		u->line = level;
		virqc_set_level(v, VUART_IRQ, level);
	}
}

static uint32_t read_word(struct vuart *u, uint64_t reg)
{
	switch (reg) {
	case DR: {
		int c = vuart_rx_pop(u);
		return c < 0 ? 0 : (uint32_t)c;
	}
	case RSR_ECR: return 0;   /* no framing, parity, break or overrun errors */
	case FR: return FR_TXFE | FR_CTS | FR_DSR | FR_DCD | (vuart_rx_ready(u) ? 0 : FR_RXFE);
	case ILPR: return u->ilpr;
	case IBRD: return u->ibrd;
	case FBRD: return u->fbrd;
	case LCR_H: return u->lcrh;
	case CR: return u->cr;
	case IFLS: return u->ifls;
	case IMSC: return u->imsc;
	case RIS: return ris(u);
	case MIS: return ris(u) & u->imsc;
	case DMACR: return u->dmacr;
	}
	if (reg >= ID_BASE && reg < ID_BASE + 4 * sizeof(id_bytes))
		return id_bytes[(reg - ID_BASE) / 4];
	return 0;   /* reserved and test registers read as zero */
}

static void write_word(struct vcpu *v, struct vuart *u, uint64_t reg, uint32_t val)
{
	switch (reg) {
	case DR:
		if (u->cr & CR_LBE)
			(void)vuart_push_input(u, (uint8_t)val);   /* a full ring drops it, as an overrun */
		else
			console_line_putc(v->vm, u->out, &u->out_len, sizeof(u->out), (char)val);
		u->txris = true;   /* sent at once: the FIFO is below its level again */
		return;
	case ILPR: u->ilpr = val & 0xff; return;
	case IBRD: u->ibrd = val & 0xffff; return;
	case FBRD: u->fbrd = val & 0x3f; return;
	case LCR_H: u->lcrh = val & 0xff; return;
	case CR: u->cr = val & 0xff87; return;
	case IFLS: u->ifls = val & 0x3f; return;
	case IMSC: u->imsc = val & IMSC_ALL; return;
	case ICR:
		if (val & VPL011_TXIM)
			u->txris = false;
		return;   /* receive interrupts follow the FIFO: reading it empty clears them */
	case DMACR: u->dmacr = val & 7; return;
	}
	/* RSR/ECR (clears errors there are none of), FR, RIS, MIS, ids: writes are ignored */
}

static int vpl011_read(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t *val)
{
	struct vuart *u = dev;
	if (width != 1 && width != 2 && width != 4)
		return E_INVAL;
	unsigned shift = (unsigned)(off & 3) * 8;
	*val = (read_word(u, off & ~3ull) >> shift) & (width == 4 ? 0xffffffffu : (1u << (8 * width)) - 1);
	update_line(v, u);
	return 0;
}

/* Register stores merge the bytes they cover; DR and ICR act on what was written. */
static int vpl011_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	struct vuart *u = dev;
	if (width != 1 && width != 2 && width != 4)
		return E_INVAL;
	uint64_t reg = off & ~3ull;
	unsigned shift = (unsigned)(off & 3) * 8;
	uint32_t mask = (width == 4 ? 0xffffffffu : (1u << (8 * width)) - 1) << shift;
	uint32_t old = (reg == DR || reg == ICR) ? 0 : read_word(u, reg);
	if (reg == DR && shift)
		return 0;   /* a store to DR's upper bytes sends nothing */
	write_word(v, u, reg, (old & ~mask) | (((uint32_t)val << shift) & mask));
	update_line(v, u);
	return 0;
}

const struct vdev_ops vpl011_ops = { "pl011", vpl011_read, vpl011_write };
