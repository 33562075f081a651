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
	EXIT_SYSREG,        /* a system register the arch emulates (a software interrupt file's) */
	EXIT_FAIL_ENTRY,
	EXIT_GUEST_FAULT,   /* anything else the guest did wrong */
	EXIT_REASON_COUNT
};

enum host_irq { HOST_IRQ_NONE, HOST_IRQ_IPI, HOST_IRQ_TIMER, HOST_IRQ_EXT };

/* What a handler decided. */
enum exit_result {
	EXIT_RESUME,         /* the guest goes on */
	EXIT_RESCHEDULE,     /* the run loop picks who runs next (this vCPU may be halted or gone) */
	EXIT_INJECT_FAULT,   /* the guest takes the exception itself, as on hardware */
	EXIT_STOP_VM,        /* the VM did what it may not: stopped or rebooted, as its config says */
	EXIT_NOT_HERE,       /* short trap path only: this exit needs the run loop; nothing was done */
};

/* Fields beyond reason, cause, pc and what are set only for the reasons that use them. */
struct vcpu_exit {
	enum exit_reason reason;
	enum host_irq irq;        /* EXIT_EXTERNAL_IRQ */
	unsigned long cause;      /* raw architectural cause */
	unsigned long pc;
	uint64_t addr;            /* faulting guest physical address (EXIT_MMIO) */
	const char *what;         /* human-readable cause for logs */
	bool injectable;          /* GUEST_FAULT the guest can take itself (illegal instruction) */
	/* What the short trap path made of it: EXIT_NOT_HERE, or a result the run loop applies. */
	enum exit_result result;
};

struct arch_vcpu;
struct pcpu;
struct vcpu;
/* What the short trap path does next (arch code restores the guest or returns to the run loop). */
enum fast_exit {
	FAST_EXIT_SLOW,     /* to the run loop, which handles the exit or applies its result */
	FAST_EXIT_DONE,     /* handled: the guest goes straight on */
};
/*
 * The one dispatcher. The short trap path calls exit_dispatch_short, which
 * has the arch decode the exit into the vCPU's record (arch_vcpu_decode_exit);
 * the run loop calls exit_dispatch for whatever the short path left to it.
 */
enum fast_exit exit_dispatch_short(struct arch_vcpu *a);
void exit_dispatch(struct pcpu *p, struct vcpu *v);
#endif
