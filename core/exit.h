/* Why a vCPU left the guest: arch-neutral reasons, one handler each (core/exit.c). */
#ifndef CORE_EXIT_H
#define CORE_EXIT_H
#include <stdbool.h>
#include <stdint.h>

enum exit_reason {
	EXIT_HYPERCALL,     /* SBI call */
	EXIT_EXTERNAL_IRQ,  /* an interrupt for tessera: IPI, timer, device */
	EXIT_HALT,          /* WFI */
	EXIT_CPU_UP,        /* counted after a hypercall started a vCPU */
	EXIT_CPU_DOWN,      /* counted after a hypercall stopped a vCPU */
	EXIT_SYSTEM_DOWN,   /* counted after a hypercall shut down or rebooted the VM */
	EXIT_MMIO,          /* guest page fault on an address the VM does not own as RAM */
	EXIT_FAIL_ENTRY,
	EXIT_GUEST_FAULT,   /* anything else the guest did wrong */
	EXIT_REASON_COUNT
};

enum host_irq { HOST_IRQ_NONE, HOST_IRQ_IPI, HOST_IRQ_TIMER, HOST_IRQ_EXT };

struct vcpu_exit {
	enum exit_reason reason;
	enum host_irq irq;        /* EXIT_EXTERNAL_IRQ */
	unsigned long cause;      /* raw architectural cause */
	unsigned long pc;
	uint64_t addr;            /* faulting guest physical address (EXIT_MMIO) */
	const char *what;         /* human-readable cause for logs */
	bool injectable;          /* GUEST_FAULT the guest can take itself (illegal instruction) */
};

struct arch_vcpu;
/* What the short trap path does after core looked at an exit (core/exit.c). */
enum fast_exit {
	FAST_EXIT_SLOW,     /* not handled: the run loop handles it */
	FAST_EXIT_DONE,     /* handled: the guest goes straight on */
	FAST_EXIT_RESCHED,  /* handled, but the vCPU was taken off meanwhile: to the run loop */
};
/* false (and logged): the trap came from a vCPU that is not the core's loaded one */
bool exit_from_loaded(const struct arch_vcpu *a, uint64_t pc);
enum fast_exit exit_try_fast(struct arch_vcpu *a, const struct vcpu_exit *e);
enum fast_exit exit_try_fast_hypercall(struct arch_vcpu *a);
enum fast_exit exit_try_fast_timer(struct arch_vcpu *a);
#endif
