/* CSR access and the bits tessera uses. Only arch/ includes this. */
#ifndef ARCH_CSR_H
#define ARCH_CSR_H

/* Hypervisor and VS CSRs by number: GCC 12's assembler flags lack 'h'. */
#define CSR_SCOUNTEREN 0x106
#define CSR_SENVCFG    0x10a
#define CSR_HSTATUS    0x600
#define CSR_HEDELEG    0x602
#define CSR_HIDELEG    0x603
#define CSR_HIE        0x604
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define CSR_HENVCFG    0x60a
#define CSR_HTVAL      0x643
#define CSR_HIP        0x644
#define CSR_HVIP       0x645
#define CSR_HTINST     0x64a
#define CSR_HGATP      0x680
#define CSR_VSSTATUS   0x200
#define CSR_VSIE       0x204
#define CSR_VSTVEC     0x205
#define CSR_VSSCRATCH  0x240
#define CSR_VSEPC      0x241
#define CSR_VSCAUSE    0x242
#define CSR_VSTVAL     0x243
#define CSR_VSIP       0x244
#define CSR_VSTIMECMP  0x24d
#define CSR_VSATP      0x280
#define CSR_STIMECMP   0x14d
/* AIA (Ssaia) and guest external interrupts. */
#define CSR_HGEIE      0x607
#define CSR_HGEIP      0xe12
#define CSR_VSISELECT  0x250
#define CSR_VSIREG     0x251
#define HSTATUS_VGEIN_SHIFT 12
#define HSTATUS_VGEIN  (0x3fUL << 12)
#define HIE_SGEIE      (1UL << 12)

#define HSTATUS_SPV    (1UL << 7)
#define HSTATUS_SPVP   (1UL << 8)
#define HSTATUS_VTW    (1UL << 21)
#define HSTATUS_VSXL_64 (2UL << 32)
#define SSTATUS_SPP    (1UL << 8)
#define SSTATUS_SPIE   (1UL << 5)
#define SSTATUS_FS_INITIAL (1UL << 13)
#define SSTATUS_FS     (3UL << 13)
#define HENVCFG_STCE   (1UL << 63)
#define HIP_VSSIP      (1UL << 2)
#define HIP_VSTIP      (1UL << 6)
#define HIP_VSEIP      (1UL << 10)
#define HIP_VS_MASK    (HIP_VSSIP | HIP_VSTIP | HIP_VSEIP)
#define HGATP_MODE_SV39X4 (8UL << 60)
#define HGATP_MODE_MASK   (0xfUL << 60)
#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MASK  0x3fffUL

/* hfence.gvma zero, zero: forget every guest translation of every VMID. */
#define hfence_gvma_all() __asm__ volatile(".insn r 0x73, 0, 0x31, x0, x0, x0" ::: "memory")
/* hfence.vvma zero, zero: VS-stage translations of the current VMID. */
#define hfence_vvma_all() __asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, x0" ::: "memory")

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
#define csr_swap(csr, val) ({ unsigned long v_ = (unsigned long)(val), o_; \
	__asm__ volatile("csrrw %0, " STR(csr) ", %1" : "=r"(o_) : "rK"(v_) : "memory"); o_; })

#endif
