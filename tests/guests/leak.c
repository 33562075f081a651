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

/* One assembler line per FP register: op(n) for n = 0 .. 31. */
#define FP_EACH(op) op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9) op(10) op(11) \
	op(12) op(13) op(14) op(15) op(16) op(17) op(18) op(19) op(20) op(21) op(22) op(23) \
	op(24) op(25) op(26) op(27) op(28) op(29) op(30) op(31)
#define FP_STORE(n) "fsd f" #n ", " #n "*8(%1)\n\t"
#define FP_LOAD(n)  "fld f" #n ", " #n "*8(%0)\n\t"

/* f0-f31 into fpr[], fcsr returned. */
static unsigned long read_fp(void)
{
	unsigned long fcsr;
	asm volatile(".option push\n\t.option arch, +d\n\t" FP_EACH(FP_STORE)
		     "frcsr %0\n\t.option pop" : "=r"(fcsr) : "r"(fpr) : "memory");
	return fcsr;
}

static void write_fp(unsigned long pattern)
{
	for (int i = 0; i < 32; i++)
		fpr[i] = pattern + (unsigned long)i;
	asm volatile(".option push\n\t.option arch, +d\n\t" FP_EACH(FP_LOAD)
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
