/*
 * fault: misbehaves on purpose. First an access to a hypervisor CSR, which
 * must come back as an illegal instruction the guest handles itself; then a
 * load from guest-physical 0x1000, which the VM does not own: tessera must
 * apply the VM's on_fault policy. Under "reboot" the second boot (boot count
 * 1, from the vendor extension) reports PASS; under "stop" nothing follows.
 * With "cycles=N" in its bootargs it faults at once on every boot before
 * the N-th and passes on that one (fault-and-reboot cycles).
 */
#include "guest.h"

const char guest_name[] = "fault";

static void read_hstatus(void)
{
	unsigned long v;
	asm volatile("csrr %0, 0x600" : "=r"(v));   /* hstatus: HS-only */
	(void)v;
}

void guest_main(unsigned long hartid)
{
	(void)hartid;
	if (!guest_has_tessera()) {
		guest_printf("SKIP fault: needs the tessera vendor extension\n");
		return;
	}
	struct sbiret boot = sbi_ecall(SBI_EXT_TESSERA, 1, 2, 0, 0, 0, 0, 0);
	if (boot.error)
		guest_fail("vm_info(boot count) returned %ld", boot.error);
	char arg[12];
	long cycles = 0;
	for (const char *c = guest_bootarg("cycles", arg, sizeof(arg)); *c >= '0' && *c <= '9'; c++)
		cycles = cycles * 10 + (*c - '0');
	if (cycles) {
		if (boot.value >= cycles) {
			guest_printf("PASS fault: boot %lu after %ld fault-and-reboot cycles\n", boot.value,
				     cycles);
			return;
		}
		(void)*(volatile unsigned long *)0x1000UL;   /* fault: tessera reboots the VM */
		guest_fail("load from 0x1000 did not fault");
	}
	if (boot.value > 0) {
		guest_printf("PASS fault: running again after the fault (boot %lu)\n", boot.value);
		return;
	}
	if (!guest_try_illegal(read_hstatus))
		guest_fail("reading hstatus from VS-mode did not trap as an illegal instruction");
	guest_printf("fault: hstatus access came back as an illegal instruction\n");
	guest_printf("fault: now loading from 0x1000, which this VM does not own\n");
	volatile unsigned long *p = (volatile unsigned long *)0x1000UL;
	unsigned long v = *p;
	guest_fail("load from 0x1000 returned 0x%lx instead of faulting", v);
}
