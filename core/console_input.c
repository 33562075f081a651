/*
 * Console input: the boot core reads the physical UART, on its interrupt
 * or polled, and hands each byte to the VM that has focus, through its
 * emulated 16550. Ctrl-A then a digit
 * n gives focus to the n-th VM with a console (in package order); Ctrl-A
 * twice sends one Ctrl-A.
 */
#include <arch/cpu.h>
#include "core/console.h"
#include "core/errno.h"
#include "core/irqc.h"
#include "core/pcpu.h"
#include "core/uart16550.h"
#include "core/vm.h"
#include "partition/hostdt.h"
#include "partition/irqmap.h"

#define CTRL_A 0x01

static struct vm *consoles[VM_MAX];
static unsigned nconsoles, focus;
static bool escape;

void console_input_add(struct vm *vm)
{
	if (nconsoles < VM_MAX)
		consoles[nconsoles++] = vm;
}

static void deliver(struct vm *vm, uint8_t c)
{
	if (atomic_load(&vm->state) != VM_RUNNING || vuart_push_input(&vm->vuart, c))
		return;   /* dropped: the VM is down or not reading */
	if (vuart_rx_irq_enabled(&vm->vuart)) {
		vm->vuart.line = true;
		virqc_raise(vm, VUART_IRQ);
	}
}

static void handle(uint8_t c)
{
	if (escape) {
		escape = false;
		if (c >= '1' && c <= '9' && (unsigned)(c - '1') < nconsoles) {
			focus = (unsigned)(c - '1');
			/* cppcheck-suppress arrayIndexOutOfBoundsCond ; focus < nconsoles <= VM_MAX */
			const struct vm *vm = consoles[focus];
			log_line("tessera: console focus: vm %u (%s)", vm->cfg.id, vm->cfg.name);
			return;
		}
		if (c != CTRL_A)
			return;
	} else if (c == CTRL_A) {
		escape = true;
		return;
	}
	if (nconsoles)
		deliver(consoles[focus], c);
}

/*
 * Polling costs whatever vCPU runs on the boot core an exit every
 * CONSOLE_POLL_MS; the interrupt costs one per burst of typing. Polling is
 * the fallback: a UART with no interrupt, or one the host controller cannot
 * send to tessera on this core.
 */
void console_input_start(struct pcpu *p, const struct host_platform *plat)
{
	uint32_t src = irqmap_host_source(plat->fdt, plat->uart.path);
	const char *why = "its node names no interrupt of the host controller tessera can take";
	if (src && hostirq_own(p->irq_ctx, src) != 0)
		why = "the host controller cannot send it to this core";
	else if (src && console_rx_interrupt(true)) {
		p->console_irq = src;
		log_line("tessera: console input: host interrupt %u, on core %u", src, p->id);
	}
	if (!p->console_irq)
		log_line("tessera: console input: polled every %u ms on core %u (%s)", CONSOLE_POLL_MS,
			 p->id, why);
	console_input_poll();   /* what came before */
}

/* The boot core's run loop (polled) or its UART's interrupt: take what the UART has. */
void console_input_poll(void)
{
	int c;
	while ((c = console_getc()) >= 0)
		handle((uint8_t)c);
}

bool console_input_active(void)
{
	return nconsoles > 0;
}
