/*
 * suspend: HSM hart_suspend.
 * - retentive (type 0) on the boot hart, woken by its own SBI timer: the
 *   call returns success no earlier than the deadline;
 * - retentive on a second hart, woken by an IPI: the boot hart sees the
 *   state SUSPENDED, then STARTED again after the IPI;
 * - non-retentive (type 0x80000000) on a second hart: it comes back at the
 *   resume address with the opaque value in a1, not after the call;
 * - an unknown suspend type returns SBI_ERR_INVALID_PARAM.
 */
#include "guest.h"

const char guest_name[] = "suspend";

#define HSM_SUSPENDED 4
#define SUSPEND_RETENTIVE 0x0UL
#define SUSPEND_NONRETENTIVE 0x80000000UL

static volatile int resumed_retentive, resumed_nonretentive, suspending;

static struct sbiret hart_suspend(unsigned long type, unsigned long resume, unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, 3, type, resume, opaque, 0, 0, 0);
}

static void on_soft(void)
{
	csr_clear(sip, SIP_SSIP);
}

static void on_timer(void)
{
	sbi_set_timer(~0UL);
}

static void retentive_secondary(unsigned long hartid)
{
	csr_set(sie, SIE_SSIE);
	atomic_store(&suspending, 1);
	struct sbiret r = hart_suspend(SUSPEND_RETENTIVE, 0, 0);
	if (r.error)
		guest_fail("hart %lu: retentive hart_suspend returned %ld", hartid, r.error);
	wfi_then_take_irqs();
	atomic_store(&resumed_retentive, 1);
}

static void after_nonretentive(unsigned long hartid)
{
	(void)hartid;
	atomic_store(&resumed_nonretentive, 1);
}

static void nonretentive_secondary(unsigned long hartid)
{
	/* The hart comes back through guest_secondary_start with its slot in a1. */
	guest_hart_local[guest_slot()].entry = after_nonretentive;
	csr_set(sie, SIE_SSIE);
	atomic_store(&suspending, 1);
	struct sbiret r = hart_suspend(SUSPEND_NONRETENTIVE, (unsigned long)guest_secondary_start,
				       guest_slot());
	if (r.error == SBI_ERR_NOT_SUPPORTED && !guest_has_tessera()) {
		guest_printf("SKIP suspend: firmware has no non-retentive suspend\n");
		atomic_store(&resumed_nonretentive, 1);
		return;
	}
	guest_fail("hart %lu: non-retentive hart_suspend returned (error %ld)", hartid, r.error);
}

static void wake_by_ipi(unsigned long id, volatile int *flag, const char *what)
{
	if (guest_wait_ge(&suspending, 1, WAIT_TIMEOUT) ||
	    guest_wait_hart_status(id, HSM_SUSPENDED, WAIT_TIMEOUT))
		guest_fail("%s: hart %lu never reached SUSPENDED (state %ld)", what, id,
			   sbi_hart_get_status(id).value);
	struct sbiret r = sbi_send_ipi(1, id);
	if (r.error)
		guest_fail("%s: send_ipi to hart %lu returned %ld", what, id, r.error);
	if (guest_wait_ge(flag, 1, WAIT_TIMEOUT))
		guest_fail("%s: hart %lu did not resume after the IPI", what, id);
	if (flag == &resumed_nonretentive && guest_has_tessera())
		guest_printf("suspend: %s resumed at its resume address\n", what);
	else
		guest_printf("suspend: %s resumed\n", what);
	if (guest_wait_hart_status(id, SBI_HSM_STOPPED, WAIT_TIMEOUT))
		guest_fail("%s: hart %lu did not stop", what, id);
	atomic_store(&suspending, 0);
}

void guest_main(unsigned long self)
{
	unsigned long ids[GUEST_MAX_HARTS];
	int n = guest_count_harts(ids);
	guest_set_irq_handler(IRQ_S_SOFT, on_soft);
	guest_set_irq_handler(IRQ_S_TIMER, on_timer);

	struct sbiret r = hart_suspend(0x7fffffffUL, 0, 0);
	if (r.error != SBI_ERR_INVALID_PARAM && r.error != SBI_ERR_NOT_SUPPORTED)
		guest_fail("hart_suspend of a reserved type returned %ld", r.error);

	unsigned long deadline = rdtime() + TICKS_PER_MS;
	sbi_set_timer(deadline);
	csr_set(sie, SIE_STIE);
	r = hart_suspend(SUSPEND_RETENTIVE, 0, 0);
	unsigned long now = rdtime();
	wfi_then_take_irqs();
	csr_clear(sie, SIE_STIE);
	if (r.error)
		guest_fail("retentive hart_suspend on the boot hart returned %ld", r.error);
	if (now < deadline)
		guest_fail("retentive suspend returned %lu ticks before its timer", deadline - now);
	guest_printf("suspend: boot hart woke from retentive suspend by its timer\n");

	unsigned long other = ~0UL;
	for (int i = 0; i < n; i++)
		if (ids[i] != self)
			other = ids[i];
	if (other != ~0UL) {
		if (guest_hart_start(other, retentive_secondary).error)
			guest_fail("hart_start(%lu) failed", other);
		wake_by_ipi(other, &resumed_retentive, "retentive suspend");
		if (guest_hart_start(other, nonretentive_secondary).error)
			guest_fail("hart_start(%lu) failed", other);
		wake_by_ipi(other, &resumed_nonretentive, "non-retentive suspend");
	}
	guest_printf("PASS suspend: %d harts\n", n);
}
