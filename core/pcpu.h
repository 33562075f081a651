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

struct pcpu {
	uintptr_t stack_top;       /* offset 0: boot/entry.S loads sp from here */
	unsigned id;
	unsigned long hartid;
	struct mbox_endpoint ep;
	/* bring-up: on the boot core, the cores that reported in */
	uint32_t reported_mask;
	struct selftest_state selftest;
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

/* Mailbox self-test (core/selftest.c) */
int selftest_run_boot(struct pcpu *p, uint32_t cores_mask, unsigned ncores_online);
void selftest_run_local(struct pcpu *p);
void selftest_msg_start(struct pcpu *p, const struct mbox_msg *m);
void selftest_msg_done(struct pcpu *p, const struct mbox_msg *m);
void selftest_msg_ping(struct pcpu *p, const struct mbox_msg *m);
void selftest_msg_pong(struct pcpu *p, const struct mbox_msg *m);

#endif
