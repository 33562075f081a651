/*
 * leak: state a vCPU must not find at its start. At every boot it reads
 * f0-f31 and fcsr (with sstatus.FS turned on) and the S-mode CSRs that have
 * no VS-mode copy, scounteren and senvcfg: each must be 0. Then it writes
 * its own pattern into all of them (the VM id in the top byte, so another
 * VM's pattern is told apart) and warm-reboots, twice. Alone on a core the
 * pattern is its own previous boot's; two of them sharing a core each find
 * the other's if tessera does not switch or clear the state.
 */
#include "guest.h"

const char guest_name[] = "leak";

#define SSTATUS_FS_INITIAL (1UL << 13)
#define CSR_SENVCFG        0x10a

static unsigned long fpr[32];

/* f0-f31 into fpr[], fcsr returned. */
static unsigned long read_fp(void)
{
	unsigned long fcsr;
	asm volatile(".option push\n\t.option arch, +d\n\t"
#define R(n) "fsd f" #n ", " #n "*8(%1)\n\t"
		     R(0) R(1) R(2) R(3) R(4) R(5) R(6) R(7) R(8) R(9) R(10) R(11) R(12) R(13) R(14) R(15)
		     R(16) R(17) R(18) R(19) R(20) R(21) R(22) R(23) R(24) R(25) R(26) R(27) R(28) R(29)
		     R(30) R(31)
#undef R
		     "frcsr %0\n\t.option pop" : "=r"(fcsr) : "r"(fpr) : "memory");
	return fcsr;
}

static void write_fp(unsigned long pattern)
{
	for (int i = 0; i < 32; i++)
		fpr[i] = pattern + (unsigned long)i;
	asm volatile(".option push\n\t.option arch, +d\n\t"
#define W(n) "fld f" #n ", " #n "*8(%0)\n\t"
		     W(0) W(1) W(2) W(3) W(4) W(5) W(6) W(7) W(8) W(9) W(10) W(11) W(12) W(13) W(14) W(15)
		     W(16) W(17) W(18) W(19) W(20) W(21) W(22) W(23) W(24) W(25) W(26) W(27) W(28) W(29)
		     W(30) W(31)
#undef W
		     "fscsr %1\n\t.option pop" :: "r"(fpr), "r"(0x7eul) : "memory");
}

void guest_main(unsigned long hartid)
{
	(void)hartid;
	if (!guest_has_tessera()) {
		guest_printf("SKIP leak: needs the tessera vendor extension\n");
		return;
	}
	long boot = sbi_tessera_vm_info(TESSERA_INFO_BOOT_COUNT).value;
	long vm = sbi_tessera_vm_info(TESSERA_INFO_VM_ID).value;
	csr_set(sstatus, SSTATUS_FS_INITIAL);
	unsigned long fcsr = read_fp();
	int dirty = 0;
	for (int i = 0; i < 32; i++)
		if (fpr[i]) {
			guest_printf("FAIL leak: boot %ld: f%d = 0x%lx at start\n", boot, i, fpr[i]);
			dirty++;
		}
	if (fcsr)
		guest_printf("FAIL leak: boot %ld: fcsr = 0x%lx at start\n", boot, fcsr), dirty++;
	unsigned long scounteren = csr_read(scounteren), senvcfg = csr_read(CSR_SENVCFG);
	if (scounteren)
		guest_printf("FAIL leak: boot %ld: scounteren = 0x%lx at start\n", boot, scounteren), dirty++;
	if (senvcfg)
		guest_printf("FAIL leak: boot %ld: senvcfg = 0x%lx at start\n", boot, senvcfg), dirty++;
	if (dirty)
		guest_fail("boot %ld: %d registers not clear at start", boot, dirty);
	guest_printf("leak: boot %ld: f0-f31, fcsr, scounteren, senvcfg clear\n", boot);

	unsigned long pattern = (unsigned long)vm << 56 | 0x00aa55aa00000000ul;
	write_fp(pattern);
	csr_write(scounteren, 0x5ul);    /* cycle and instret to VU-mode: WARL, some bits stick */
	csr_write(CSR_SENVCFG, 0x1ul);   /* FIOM */
	if (boot < 2) {
		/* give a VM sharing this core a turn with our registers loaded */
		guest_delay(12 * TICKS_PER_MS);   /* longer than a 5 ms slice */
		guest_reboot_warm();
		guest_fail("warm reboot returned");
	}
	guest_printf("PASS leak: 3 boots, nothing left over\n");
}
