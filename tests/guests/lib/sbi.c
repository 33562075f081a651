/* SBI ecall wrappers (SBI v2.0 calling convention: a7 = EID, a6 = FID). */
#include "sbi.h"

struct sbiret sbi_ecall(unsigned long eid, unsigned long fid,
			unsigned long a0, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long r0 asm("a0") = a0;
	register unsigned long r1 asm("a1") = a1;
	register unsigned long r2 asm("a2") = a2;
	register unsigned long r3 asm("a3") = a3;
	register unsigned long r4 asm("a4") = a4;
	register unsigned long r5 asm("a5") = a5;
	register unsigned long r6 asm("a6") = fid;
	register unsigned long r7 asm("a7") = eid;

	asm volatile("ecall"
		     : "+r"(r0), "+r"(r1)
		     : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
		     : "memory");
	return (struct sbiret){ .error = (long)r0, .value = (long)r1 };
}

#define CALL0(e, f)          sbi_ecall(e, f, 0, 0, 0, 0, 0, 0)
#define CALL1(e, f, a)       sbi_ecall(e, f, a, 0, 0, 0, 0, 0)
#define CALL2(e, f, a, b)    sbi_ecall(e, f, a, b, 0, 0, 0, 0)
#define CALL3(e, f, a, b, c) sbi_ecall(e, f, a, b, c, 0, 0, 0)

struct sbiret sbi_get_spec_version(void) { return CALL0(SBI_EXT_BASE, 0); }
struct sbiret sbi_get_impl_id(void)      { return CALL0(SBI_EXT_BASE, 1); }
struct sbiret sbi_get_impl_version(void) { return CALL0(SBI_EXT_BASE, 2); }

struct sbiret sbi_probe_extension(unsigned long eid)
{
	return CALL1(SBI_EXT_BASE, 3, eid);
}

int sbi_has_extension(unsigned long eid)
{
	struct sbiret r = sbi_probe_extension(eid);
	return r.error == SBI_SUCCESS && r.value != 0;
}

struct sbiret sbi_set_timer(unsigned long stime)
{
	return CALL1(SBI_EXT_TIME, 0, stime);
}

struct sbiret sbi_send_ipi(unsigned long hart_mask, unsigned long base)
{
	return CALL2(SBI_EXT_IPI, 0, hart_mask, base);
}

struct sbiret sbi_remote_fence_i(unsigned long hart_mask, unsigned long base)
{
	return CALL2(SBI_EXT_RFENCE, 0, hart_mask, base);
}

struct sbiret sbi_remote_sfence_vma(unsigned long hart_mask, unsigned long base,
				    unsigned long start, unsigned long size)
{
	return sbi_ecall(SBI_EXT_RFENCE, 1, hart_mask, base, start, size, 0, 0);
}

struct sbiret sbi_remote_sfence_vma_asid(unsigned long hart_mask, unsigned long base,
					 unsigned long start, unsigned long size,
					 unsigned long asid)
{
	return sbi_ecall(SBI_EXT_RFENCE, 2, hart_mask, base, start, size, asid, 0);
}

struct sbiret sbi_hart_start(unsigned long hartid, unsigned long start_addr,
			     unsigned long opaque)
{
	return CALL3(SBI_EXT_HSM, 0, hartid, start_addr, opaque);
}

struct sbiret sbi_hart_stop(void) { return CALL0(SBI_EXT_HSM, 1); }

struct sbiret sbi_hart_get_status(unsigned long hartid)
{
	return CALL1(SBI_EXT_HSM, 2, hartid);
}

struct sbiret sbi_system_reset(unsigned long type, unsigned long reason)
{
	return CALL2(SBI_EXT_SRST, 0, type, reason);
}

struct sbiret sbi_dbcn_write(unsigned long num_bytes, unsigned long base_lo,
			     unsigned long base_hi)
{
	return CALL3(SBI_EXT_DBCN, 0, num_bytes, base_lo, base_hi);
}

struct sbiret sbi_dbcn_write_byte(unsigned char byte)
{
	return CALL1(SBI_EXT_DBCN, 2, byte);
}

long sbi_legacy_set_timer(unsigned long stime)
{
	return CALL1(SBI_EXT_LEGACY_SET_TIMER, 0, stime).error;
}

long sbi_legacy_putchar(int ch)
{
	return CALL1(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned long)ch).error;
}

long sbi_legacy_getchar(void)
{
	return CALL0(SBI_EXT_LEGACY_GETCHAR, 0).error;
}

void sbi_legacy_shutdown(void)
{
	CALL0(SBI_EXT_LEGACY_SHUTDOWN, 0);
}

struct sbiret sbi_tessera_null(void) { return CALL0(SBI_EXT_TESSERA, 0); }

struct sbiret sbi_tessera_vm_info(unsigned long key)
{
	return CALL1(SBI_EXT_TESSERA, 1, key);
}
