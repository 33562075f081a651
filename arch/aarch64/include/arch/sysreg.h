/* AArch64 system register access and the EL2 bits tessera uses. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H
#include <stdint.h>

#define sysreg_read(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define sysreg_write(r, v) __asm__ volatile("msr " #r ", %0" :: "r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")

/* MPIDR affinity fields as the device tree's cpu reg holds them (Aff3 in 39:32). */
#define MPIDR_AFF_MASK 0xff00ffffffUL

#define HCR_VM      (1UL << 0)    /* stage 2 on */
#define HCR_SWIO    (1UL << 1)    /* set/way cache maintenance by EL1 becomes clean+invalidate */
#define HCR_FMO     (1UL << 3)    /* physical FIQ, IRQ, SError to EL2 */
#define HCR_IMO     (1UL << 4)
#define HCR_AMO     (1UL << 5)
#define HCR_FB      (1UL << 9)    /* EL1's TLB and I-cache maintenance broadcast */
#define HCR_BSU_IS  (1UL << 10)
#define HCR_TWI     (1UL << 13)   /* WFI traps */
#define HCR_TSC     (1UL << 19)   /* SMC traps (PSCI over SMC reaches tessera) */
#define HCR_RW      (1UL << 31)   /* EL1 is AArch64 */
#define CNTHCTL_EL1PCTEN (1UL << 0)   /* EL1 reads the physical counter */
#define CNTHP_CTL_ENABLE (1UL << 0)
#define CNTHP_CTL_IMASK  (1UL << 1)
#endif
