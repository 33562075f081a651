/*
 * reboot: SRST warm reboot of the VM, twice.  The boot count comes from the
 * tessera vendor extension (vm_info key 2): boot 0 and 1 start every other
 * hart (they park) and warm-reboot; after a reboot every other hart must be
 * STOPPED again; boot 2 passes.  Without the vendor extension (natively)
 * the guest cannot tell boots apart: SKIP.
 */
#include "guest.h"

const char guest_name[] = "reboot";

static void park(unsigned long hartid)
{
	(void)hartid;
	for (;;)
		wfi();
}

void guest_main(unsigned long self)
{
	unsigned long ids[GUEST_MAX_HARTS];

	if (!guest_has_tessera()) {
		guest_printf("SKIP reboot: needs the tessera vendor extension\n");
		return;
	}
	struct sbiret r = sbi_tessera_vm_info(TESSERA_INFO_BOOT_COUNT);
	if (r.error != SBI_SUCCESS)
		guest_fail("vm_info(boot count) returned %ld", r.error);
	long boot = r.value;
	int n = guest_count_harts(ids);

	if (boot < 0 || boot > 2)
		guest_fail("boot count %ld, want 0, 1 or 2", boot);
	for (int i = 0; i < n; i++) {
		if (ids[i] == self)
			continue;
		r = sbi_hart_get_status(ids[i]);
		if (r.error != SBI_SUCCESS || r.value != SBI_HSM_STOPPED)
			guest_fail("boot %ld: hart %lu not STOPPED at boot (error %ld state %ld)",
				   boot, ids[i], r.error, r.value);
	}
	if (boot == 2) {
		guest_printf("PASS reboot: booted 3 times\n");
		return;
	}

	/* leave the other harts running: the reboot must reset them */
	for (int i = 0; i < n; i++) {
		if (ids[i] == self)
			continue;
		r = guest_hart_start(ids[i], park);
		if (r.error != SBI_SUCCESS)
			guest_fail("hart_start(%lu) returned %ld", ids[i], r.error);
		if (guest_wait_hart_status(ids[i], SBI_HSM_STARTED, WAIT_TIMEOUT))
			guest_fail("hart %lu did not start", ids[i]);
	}
	guest_printf("reboot: boot %ld, warm reboot\n", boot);
	r = guest_reboot_warm();
	guest_fail("SRST warm reboot returned %ld", r.error);
}
