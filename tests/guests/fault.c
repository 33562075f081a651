/*
 * fault: misbehaves on purpose. First an access to a hypervisor CSR, which
 * must come back as an illegal instruction the guest handles itself; then a
 * load from guest-physical 0x1000, which the VM does not own: tessera must
 * apply the VM's on_fault policy. Under "reboot" the second boot (boot count
 * 1, from the vendor extension) reports PASS; under "stop" nothing follows.
 * With "cycles=N" in its bootargs it faults on every boot before the N-th
 * and passes on that one (fault-and-reboot cycles). Each of those boots
 * first checks that nothing of the last one survived, then leaves state
 * behind for the next to check: a word of RAM outside its image, half a
 * console line, and (with two vCPUs) hart 1 in a non-retentive suspend
 * after a retentive one.
 */
#include "guest.h"

const char guest_name[] = "fault";

#define STAMP ((volatile unsigned long *)0x80300000UL)   /* RAM outside the image */

static volatile int starts, resumed;

static void on_soft(void)
{
	csr_clear(sip, SIP_SSIP);
}

/* Hart 1: a retentive suspend (it must return), then a non-retentive one. */
static void suspender(unsigned long hartid)
{
	if (atomic_add(&starts, 1) > 1)
		guest_fail("hart %lu started twice: its retentive suspend resumed at the last boot's "
			   "non-retentive resume address", hartid);
	guest_set_irq_handler(IRQ_S_SOFT, on_soft);
	csr_set(sie, SIE_SSIE);
	struct sbiret r = sbi_ecall(SBI_EXT_HSM, 3, 0, 0, 0, 0, 0, 0);
	if (r.error)
		guest_fail("retentive hart_suspend returned %ld", r.error);
	wfi_then_take_irqs();
	atomic_store(&resumed, 1);
	sbi_ecall(SBI_EXT_HSM, 3, 0x80000000UL, (unsigned long)guest_secondary_start, guest_slot(), 0,
		  0, 0);
	guest_fail("non-retentive hart_suspend returned");
}

/* What this boot must not find, and what it leaves for the next one. */
static void check_and_dirty(long boot)
{
	if (*STAMP)
		guest_fail("boot %ld: RAM kept the last boot's stamp", boot);
	long n = sbi_tessera_vm_info(TESSERA_INFO_NR_VCPUS).value;
	for (long h = 1; h < n; h++) {
		struct sbiret st = sbi_hart_get_status((unsigned long)h);
		if (st.error || st.value != SBI_HSM_STOPPED)
			guest_fail("boot %ld: hart %ld in HSM state %ld at boot", boot, h, st.value);
	}
	if (n > 1) {
		if (guest_hart_start(1, suspender).error ||
		    guest_wait_hart_status(1, SBI_HSM_SUSPENDED, WAIT_TIMEOUT))
			guest_fail("boot %ld: hart 1 did not suspend", boot);
		sbi_send_ipi(2, 0);
		if (guest_wait_ge(&resumed, 1, WAIT_TIMEOUT) ||
		    guest_wait_hart_status(1, SBI_HSM_SUSPENDED, WAIT_TIMEOUT))
			guest_fail("boot %ld: hart 1 did not resume and suspend again", boot);
	}
	*STAMP = (unsigned long)boot + 1;
	guest_console_write("partial", 7);   /* no newline: the next boot's first line must not have it */
}

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
	long cycles = (long)guest_bootarg_num("cycles", 0);
	if (cycles) {
		if (boot.value >= cycles) {
			guest_printf("PASS fault: boot %lu after %ld fault-and-reboot cycles\n", boot.value,
				     cycles);
			return;
		}
		check_and_dirty(boot.value);
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
