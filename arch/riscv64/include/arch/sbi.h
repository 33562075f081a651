/* tessera as an SBI client of the firmware (OpenSBI) below it. */
#ifndef ARCH_SBI_H
#define ARCH_SBI_H

#include <stdint.h>

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_BASE  0x10
#define SBI_EXT_TIME  0x54494D45
#define SBI_EXT_IPI   0x735049
#define SBI_EXT_HSM   0x48534D
#define SBI_EXT_SRST  0x53525354
#define SBI_EXT_DBCN  0x4442434E

#define SBI_SUCCESS 0
#define SBI_ERR_FAILED (-1)
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_ERR_DENIED (-4)
#define SBI_ERR_INVALID_ADDRESS (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)

#define SBI_SRST_SHUTDOWN 0
#define SBI_SRST_REASON_NONE 0
#define SBI_SRST_REASON_FAILURE 1

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2);
long sbi_probe_extension(unsigned long ext);
long sbi_hart_start(unsigned long hartid, unsigned long addr, unsigned long opaque);
long sbi_send_ipi_one(unsigned long hartid);
long sbi_set_timer(uint64_t deadline);
void sbi_system_shutdown(unsigned long reason);
void sbi_console_putchar(int c);  /* DBCN byte write if present, else the legacy call */
const char *sbi_strerror(long err);

#endif
