/* The hypercall (PSCI) on the short trap path: arch/aarch64/psci_guest.c. */
#ifndef ARCH_HYPERCALL_H
#define ARCH_HYPERCALL_H

#include "core/exit.h"

struct pcpu;
struct vcpu;
/* A call that only answers: EXIT_RESUME; else EXIT_NOT_HERE (nothing done). */
enum exit_result arch_hypercall_short(struct pcpu *p, struct vcpu *v, struct vcpu_exit *e);
#endif
