/*
 * Console input: the boot core polls the physical UART and hands each byte
 * to the VM that has focus, through its emulated 16550. Ctrl-A then a digit
 * n gives focus to the n-th VM with a console (in package order); Ctrl-A
 * twice sends one Ctrl-A.
 */
#include <arch/cpu.h>
#include "core/console.h"
#include "core/irqc.h"
#include "core/pcpu.h"
#include "core/uart16550.h"
#include "core/vm.h"

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
	if (vm->vuart.ier & 0x01) {   /* receive interrupt enabled */
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

/* Called by the boot core's run loop: take what the UART has. */
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
