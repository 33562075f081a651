/* CSR access and the bits tessera uses. Only arch/ includes this. */
#ifndef ARCH_CSR_H
#define ARCH_CSR_H

#define CSR_HEDELEG    0x602
#define CSR_HIDELEG    0x603
#define CSR_HCOUNTEREN 0x606
#define CSR_HENVCFG    0x60a
#define CSR_HVIP       0x645

#define SIE_SSIE  (1UL << 1)
#define SIE_STIE  (1UL << 5)
#define SIE_SEIE  (1UL << 9)
#define SIP_SSIP  SIE_SSIE
#define SIP_STIP  SIE_STIE

#define SSTATUS_SIE  (1UL << 1)
#define SCAUSE_INTERRUPT (1UL << 63)

#define STR_(x) #x
#define STR(x) STR_(x)

#define csr_read(csr) ({ unsigned long v_; \
	__asm__ volatile("csrr %0, " STR(csr) : "=r"(v_) :: "memory"); v_; })
#define csr_write(csr, val) ({ unsigned long v_ = (unsigned long)(val); \
	__asm__ volatile("csrw " STR(csr) ", %0" :: "rK"(v_) : "memory"); })
#define csr_set(csr, val) ({ unsigned long v_ = (unsigned long)(val); \
	__asm__ volatile("csrs " STR(csr) ", %0" :: "rK"(v_) : "memory"); })
#define csr_clear(csr, val) ({ unsigned long v_ = (unsigned long)(val); \
	__asm__ volatile("csrc " STR(csr) ", %0" :: "rK"(v_) : "memory"); })

#endif
