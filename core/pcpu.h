/*
 * One hypervisor instance per physical core. A core writes only its own
 * struct pcpu; others reach it through messages.
 */
#ifndef CORE_PCPU_H
#define CORE_PCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ipc/mailbox.h"
#include "core/exit.h"

#define PCPU_STACK_SIZE (16 * 1024)

struct selftest_state {
	bool requested;
	unsigned boot_core;
	uint32_t cores_mask;       /* cores taking part */
	unsigned pings_rx, pongs_rx, errors;
	/* on the boot core: what the others reported */
	unsigned done_reports;
	uint64_t reported_msgs, reported_errors;
};

struct vcpu;

struct pcpu {
	uintptr_t stack_top;       /* offset 0: the arch entry code loads sp from here */
	unsigned id;
	unsigned long hartid;
	/* run queue: the vCPUs started on this core (runnable or halted) */
	struct vcpu *rq_head;
	struct vcpu *rq_last;       /* last one run: it keeps the core while its turn lasts */
	uint64_t turn_start;        /* when rq_last got the core */
	uint64_t round_start;       /* when this pass of the run loop began */
	uint64_t vruntime_front;    /* the most run time any vCPU here has had (core/sched.c) */
	struct vcpu *loaded;        /* whose VS CSRs are in the hardware */
	uint64_t exits_cut_short;   /* exits whose vCPU was taken off meanwhile (core/exit.c) */
	uint64_t timer_deadline;    /* host timer as armed, UINT64_MAX when off */
	uint64_t watch_grace;       /* WATCH_GRACE_US in timer ticks (sched.c) */
	uint64_t timer_lead;        /* an emulated deadline's timer is armed this early (sched.c) */
	uint64_t timer_lead_max;    /* TIMER_LEAD_MAX_US in timer ticks */
	uint32_t vm_finish_mask;    /* VMs whose teardown this core completes */
	struct vm *rebuild;         /* a VM this core is rebooting, step by step */
	struct vcpu *rebuild_vcpu;  /* its vCPU here: the steps are charged to its share */
	int irq_ctx;                /* its context in the host interrupt controller, -1 if none */
	bool console_input;         /* this core reads the UART for console input */
	uint32_t console_irq;       /* on this host interrupt source; 0: polled every CONSOLE_POLL_MS */
	/* bring-up: on the boot core, the cores that reported in */
	uint32_t reported_mask;
	struct selftest_state selftest;
	/* last: it is large, and the fields above are read on every exit (short offsets) */
	struct mbox_endpoint ep;
};

_Static_assert(offsetof(struct pcpu, stack_top) == 0, "entry.S reads stack_top at offset 0");

/* Message handling (core/msg.c) */
void core_handle_msg(struct mbox_endpoint *ep, const struct mbox_msg *m, void *ctx);
void core_msg_online(struct pcpu *p, const struct mbox_msg *m);

/* Poll this core's inbox until done(p) holds or `ticks` of the timebase pass. */
bool core_wait(struct pcpu *p, bool (*done)(struct pcpu *p), uint64_t ticks);
/* Send and report failure; only at top level, never from a handler. */
void core_send(struct pcpu *p, unsigned to, struct mbox_msg *m);
uint64_t core_timebase_hz(void);

/* Run queue and exits (core/sched.c, core/exit.c) */
__attribute__((noreturn)) void core_run(struct pcpu *p);
void sched_add(struct pcpu *p, struct vcpu *v);
void sched_remove(struct pcpu *p, struct vcpu *v);
void sched_wake(struct pcpu *p, struct vcpu *v);
void vcpu_reset_at(struct pcpu *p, struct vcpu *v, uint64_t pc, unsigned long arg);
struct vm;
void sched_rebuild(struct pcpu *p, struct vm *vm);   /* reboot vm's RAM and images in steps */
bool sched_fast_timer(struct pcpu *p, struct vcpu *v);   /* short trap path, core timer */
enum exit_result sched_fast_ipi(struct pcpu *p, struct vcpu *v);   /* short trap path, IPI */
enum exit_result sched_fast_hwirq(struct pcpu *p, struct vcpu *v); /* short trap path, host device */
void sched_guest_timer_set(struct pcpu *p, struct vcpu *v, uint64_t deadline, bool in_hw);
/* Put what is pending for v (loaded) into the hardware: its virtual interrupts, its controller's line. */
void vcpu_sync_irqs(struct pcpu *p, struct vcpu *v);
void arch_handle_hypercall(struct pcpu *p, struct vcpu *v);
struct pcpu *core_pcpu(unsigned id);   /* boot-time set-up, and reports once the VMs are gone */
unsigned core_count(void);
const struct host_platform *core_platform(void);

/* Boot the VMs of the package (core/boot_vms.c): how many started, or negative. */
int vms_boot(struct pcpu *p, uint32_t online);

/* Mailbox self-test (core/selftest.c) */
int selftest_run_boot(struct pcpu *p, uint32_t cores_mask, unsigned ncores_online);
void selftest_run_local(struct pcpu *p);
void selftest_msg_start(struct pcpu *p, const struct mbox_msg *m);
void selftest_msg_done(struct pcpu *p, const struct mbox_msg *m);
void selftest_msg_ping(struct pcpu *p, const struct mbox_msg *m);
void selftest_msg_pong(struct pcpu *p, const struct mbox_msg *m);

#endif
