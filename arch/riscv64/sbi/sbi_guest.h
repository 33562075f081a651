/* The SBI that tessera offers its guests: one file per extension, one table. */
#ifndef ARCH_SBI_GUEST_H
#define ARCH_SBI_GUEST_H

#include <stdbool.h>
#include <arch/sbi.h>
#include "core/errno.h"
#include "core/pcpu.h"
#include "core/vm.h"
#include <arch/hypercall.h>   /* struct sbi_call, struct sbi_ext, the table */

#define SBI_EXT_RFENCE  0x52464E43
#define SBI_EXT_TESSERA 0x09545353   /* vendor range: "TSS" */
#define SBI_LEGACY_SET_TIMER 0x00
#define SBI_LEGACY_GETCHAR   0x02
#define SBI_LEGACY_CLEAR_IPI 0x03
#define SBI_LEGACY_SHUTDOWN  0x08

extern const struct sbi_ext sbi_ext_base, sbi_ext_time, sbi_ext_ipi, sbi_ext_rfence, sbi_ext_hsm,
	sbi_ext_srst, sbi_ext_dbcn, sbi_ext_legacy, sbi_ext_vendor;

/* At boot: no two extensions claim one EID (else false, and why). */
bool sbi_check_extensions(char *why, size_t len);
long sbi_error_from(int err);
int sbi_hart_mask(const struct vm *vm, unsigned long mask, unsigned long base, uint32_t *out);
void sbi_set_timer_for(struct pcpu *p, struct vcpu *v, uint64_t deadline);
#endif
