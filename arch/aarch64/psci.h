/* PSCI calls to the firmware (or QEMU), through SMC or HVC as the host tree's /psci says. */
#ifndef ARCH_AARCH64_PSCI_H
#define ARCH_AARCH64_PSCI_H
#include <stdint.h>

#define PSCI_CPU_ON      0xc4000003u
#define PSCI_SYSTEM_OFF  0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_VERSION     0x84000000u

long psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
const char *psci_strerror(long err);
#endif
