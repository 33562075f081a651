/*
 * The config fields one architecture gives meaning to. Each architecture
 * implements its rules in portable C (arch/<arch>/vmcfg_check.c): tessera
 * links its own and checks every config at boot (arch_check_vmcfg);
 * tools/tessera-config links them all and checks the one --arch names.
 * 0, or negative with "file: field: why".
 */
#ifndef PARTITION_VMCFG_ARCH_H
#define PARTITION_VMCFG_ARCH_H
#include <stddef.h>
#include "partition/vmconfig.h"

int vmcfg_check_riscv64(const struct vmcfg *c, char *err, size_t errlen);
int vmcfg_check_aarch64(const struct vmcfg *c, char *err, size_t errlen);
#endif
