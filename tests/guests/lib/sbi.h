/* SBI calls for the test guests: every extension the guests use. */
#ifndef GUEST_SBI_H
#define GUEST_SBI_H

struct sbiret {
	long error;
	long value;
};

/* Extension ids */
#define SBI_EXT_LEGACY_SET_TIMER 0x00
#define SBI_EXT_LEGACY_PUTCHAR   0x01
#define SBI_EXT_LEGACY_GETCHAR   0x02
#define SBI_EXT_LEGACY_SHUTDOWN  0x08
#define SBI_EXT_BASE    0x10
#define SBI_EXT_TIME    0x54494D45
#define SBI_EXT_IPI     0x735049
#define SBI_EXT_RFENCE  0x52464E43
#define SBI_EXT_HSM     0x48534D
#define SBI_EXT_SRST    0x53525354
#define SBI_EXT_DBCN    0x4442434E
#define SBI_EXT_TESSERA 0x09545353   /* tessera vendor extension */

/* Error codes */
#define SBI_SUCCESS               0
#define SBI_ERR_FAILED           -1
#define SBI_ERR_NOT_SUPPORTED    -2
#define SBI_ERR_INVALID_PARAM    -3
#define SBI_ERR_DENIED           -4
#define SBI_ERR_INVALID_ADDRESS  -5
#define SBI_ERR_ALREADY_AVAILABLE -6

/* HSM hart states */
#define SBI_HSM_STARTED        0
#define SBI_HSM_STOPPED        1
#define SBI_HSM_START_PENDING  2
#define SBI_HSM_STOP_PENDING   3
#define SBI_HSM_SUSPENDED      4

/* SRST types */
#define SBI_SRST_SHUTDOWN    0
#define SBI_SRST_COLD_REBOOT 1
#define SBI_SRST_WARM_REBOOT 2

/* tessera vm_info keys */
#define TESSERA_INFO_VM_ID      0
#define TESSERA_INFO_NR_VCPUS   1
#define TESSERA_INFO_BOOT_COUNT 2
#define TESSERA_INFO_PCPU       3
#define TESSERA_INFO_EXITS_NOT_CALLS 4   /* this vCPU's exits other than SBI calls */

struct sbiret sbi_ecall(unsigned long eid, unsigned long fid,
			unsigned long a0, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4, unsigned long a5);

/* BASE */
struct sbiret sbi_get_spec_version(void);
struct sbiret sbi_get_impl_id(void);
struct sbiret sbi_get_impl_version(void);
struct sbiret sbi_probe_extension(unsigned long eid);
int sbi_has_extension(unsigned long eid);    /* probe value != 0 */

/* TIME, IPI, RFENCE */
struct sbiret sbi_set_timer(unsigned long stime);
struct sbiret sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);
struct sbiret sbi_remote_fence_i(unsigned long hart_mask, unsigned long base);
struct sbiret sbi_remote_sfence_vma(unsigned long hart_mask, unsigned long base,
				    unsigned long start, unsigned long size);
struct sbiret sbi_remote_sfence_vma_asid(unsigned long hart_mask, unsigned long base,
					 unsigned long start, unsigned long size,
					 unsigned long asid);

/* HSM */
struct sbiret sbi_hart_start(unsigned long hartid, unsigned long start_addr,
			     unsigned long opaque);
struct sbiret sbi_hart_stop(void);
struct sbiret sbi_hart_get_status(unsigned long hartid);

/* SRST */
struct sbiret sbi_system_reset(unsigned long type, unsigned long reason);

/* DBCN: base is the guest-physical address of the buffer */
struct sbiret sbi_dbcn_write(unsigned long num_bytes, unsigned long base_lo,
			     unsigned long base_hi);
struct sbiret sbi_dbcn_write_byte(unsigned char byte);

/* Legacy (v0.1) calls: they return only a0 */
long sbi_legacy_set_timer(unsigned long stime);
long sbi_legacy_putchar(int ch);
long sbi_legacy_getchar(void);
void sbi_legacy_shutdown(void);

/* tessera vendor extension */
struct sbiret sbi_tessera_null(void);
struct sbiret sbi_tessera_vm_info(unsigned long key);

#endif
