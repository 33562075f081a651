/*
 * cutshort: a vCPU stopped while tessera is still handling its exit
 * (docs/security.md). Needs the test build (build/hooks: one-slot
 * mailboxes, a call that holds a core). Two roles, from the bootargs:
 *
 *   role=hold at=MS for=MS   vCPU 0 holds its core in tessera from MS on
 *   role=send at=MS stop=MS  three vCPUs; vCPU 1 shares the held core;
 *                            vCPU 2 stops the VM MS after the write
 *
 * (MS after the VM's start; tessera starts both together.)
 *
 * The sender's vCPU 0 (on a core of its own) starts vCPU 1 while the core
 * is held (that message fills the one slot towards it), then raises vCPU 1's
 * interrupt line through the vPLIC: the write is emulated on the short trap
 * path, and its wake-up waits for room. vCPU 2, on a third core, stops the
 * VM meanwhile. vCPU 0 must never run again: the line after the write is
 * never printed.
 */
#include "guest.h"

const char guest_name[] = "cutshort";

#define TESSERA_TEST_HOLD_CORE 2
#define UART_IRQ 10

static unsigned long boot_time;   /* both VMs start together: their times agree */

static unsigned long now_ms(void)
{
	return (rdtime() - boot_time) / TICKS_PER_MS;
}

static void wait_until_ms(unsigned long ms)
{
	while (rdtime() - boot_time < ms * TICKS_PER_MS)
		cpu_relax();
}

static void hold(void)
{
	unsigned long at = guest_bootarg_num("at", 100), ms = guest_bootarg_num("for", 600);
	wait_until_ms(at);
	guest_printf("cutshort: holding core %ld for %lu ms (at %lu ms)\n",
		     sbi_tessera_vm_info(TESSERA_INFO_PCPU).value, ms, now_ms());
	struct sbiret r = sbi_ecall(SBI_EXT_TESSERA, TESSERA_TEST_HOLD_CORE, ms * 1000, 0, 0, 0, 0, 0);
	if (r.error)
		guest_fail("hold core: error %ld (not a test build?)", r.error);
	guest_printf("cutshort: core released (at %lu ms)\n", now_ms());
	/* the other VM's exit on another core ends now: let it, before the power-off report */
	guest_delay(guest_bootarg_num("linger", 200) * TICKS_PER_MS);
}

static void idle_vcpu(unsigned long hartid)
{
	(void)hartid;
	for (;;)
		wfi();
}

static volatile int raised;

static void stopper(unsigned long hartid)
{
	(void)hartid;
	while (!atomic_load(&raised))
		cpu_relax();
	unsigned long t = now_ms() + guest_bootarg_num("stop", 200);
	wait_until_ms(t);
	guest_printf("cutshort: vCPU 2 stops the VM (at %lu ms)\n", now_ms());
	guest_shutdown();
}

static void send(void)
{
	volatile uint8_t *uart = (volatile uint8_t *)0x10000000UL;
	volatile uint32_t *plic = (volatile uint32_t *)0x0c000000UL;
	struct sbiret r = guest_hart_start(2, stopper);
	if (r.error)
		guest_fail("hart_start(2): %ld", r.error);
	plic[UART_IRQ] = 1;            /* priority of the UART's source */
	uart[1] = 0x02;                /* IER: THR empty -> the source is pending */
	wait_until_ms(guest_bootarg_num("at", 250));
	r = guest_hart_start(1, idle_vcpu);   /* its core is held: this fills the slot */
	if (r.error)
		guest_fail("hart_start(1): %ld", r.error);
	guest_delay(20 * TICKS_PER_MS);
	if (sbi_hart_get_status(1).value != SBI_HSM_START_PENDING)
		guest_fail("vCPU 1 started: its core was not held");
	guest_printf("cutshort: vCPU 0 raises vCPU 1's line (at %lu ms)\n", now_ms());
	atomic_store(&raised, 1);
	plic[(0x2000 + 1 * 0x80) / 4] = 1u << UART_IRQ;
	guest_printf("cutshort: vCPU 0 went on after the write (at %lu ms)\n", now_ms());
	for (;;)
		wfi();
}

void guest_main(unsigned long hartid)
{
	(void)hartid;
	boot_time = rdtime();
	char role[8];
	guest_bootarg("role", role, sizeof(role));
	if (!strcmp(role, "hold"))
		hold();
	else if (!strcmp(role, "send"))
		send();
	else
		guest_fail("unknown role \"%s\"", role);
}
