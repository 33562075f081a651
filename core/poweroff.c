/*
 * SBI SRST powers off, but OpenSBI 1.1 reports every shutdown as a success.
 * When the device tree has a sifive,test device (QEMU virt), a failed run
 * writes FAIL with exit code 1 there, so QEMU's exit status tells the truth.
 */
#include <arch/cpu.h>
#include "core/poweroff.h"

#define SIFIVE_TEST_FAIL 0x3333u

static volatile uint32_t *sifive_test;

void poweroff_use_sifive_test(uintptr_t base)
{
	sifive_test = (volatile uint32_t *)base;
}

void system_poweroff(bool failure)
{
	if (failure && sifive_test)
		*sifive_test = SIFIVE_TEST_FAIL | (1u << 16);
	arch_poweroff(failure);
}
