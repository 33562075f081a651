/* Powering the machine off, with a failure status where the platform can carry one. */
#ifndef CORE_POWEROFF_H
#define CORE_POWEROFF_H
#include <stdbool.h>
#include <stdint.h>
void poweroff_use_sifive_test(uintptr_t base);
__attribute__((noreturn)) void system_poweroff(bool failure);
#endif
