/* Calls from tessera (HS-mode) down to the SBI firmware. */
#include <stdbool.h>
#include <arch/sbi.h>

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2)
{
	register unsigned long r_a0 __asm__("a0") = a0;
	register unsigned long r_a1 __asm__("a1") = a1;
	register unsigned long r_a2 __asm__("a2") = a2;
	register unsigned long r_a6 __asm__("a6") = fid;
	register unsigned long r_a7 __asm__("a7") = ext;
	__asm__ volatile("ecall"
			 : "+r"(r_a0), "+r"(r_a1)
			 : "r"(r_a2), "r"(r_a6), "r"(r_a7)
			 : "memory");
	return (struct sbiret){ (long)r_a0, (long)r_a1 };
}

long sbi_probe_extension(unsigned long ext)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, 3, ext, 0, 0);
	return r.error ? 0 : r.value;
}

long sbi_hart_start(unsigned long hartid, unsigned long addr, unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, 0, hartid, addr, opaque).error;
}

long sbi_send_ipi_one(unsigned long hartid)
{
	/* hart_mask bit 0 relative to hart_mask_base = hartid */
	return sbi_ecall(SBI_EXT_IPI, 0, 1, hartid, 0).error;
}

long sbi_set_timer(uint64_t deadline)
{
	return sbi_ecall(SBI_EXT_TIME, 0, deadline, 0, 0).error;
}

void sbi_system_shutdown(unsigned long reason)
{
	sbi_ecall(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, reason, 0);
	/* Firmware without SRST: the legacy shutdown call. */
	sbi_ecall(0x08, 0, 0, 0, 0);
}

void sbi_console_putchar(int c)
{
	static int dbcn = -1;  /* probed once; only the boot hart prints before the UART is up */
	if (dbcn < 0)
		dbcn = sbi_probe_extension(SBI_EXT_DBCN) != 0;
	if (dbcn)
		sbi_ecall(SBI_EXT_DBCN, 2, (unsigned char)c, 0, 0);
	else
		sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0);
}

const char *sbi_strerror(long err)
{
	switch (err) {
	case SBI_SUCCESS: return "success";
	case SBI_ERR_FAILED: return "failed";
	case SBI_ERR_NOT_SUPPORTED: return "not supported";
	case SBI_ERR_INVALID_PARAM: return "invalid parameter";
	case SBI_ERR_DENIED: return "denied";
	case SBI_ERR_INVALID_ADDRESS: return "invalid address";
	case SBI_ERR_ALREADY_AVAILABLE: return "already started";
	default: return "unknown error";
	}
}
