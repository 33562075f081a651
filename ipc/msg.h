/* Messages cores exchange through their mailboxes (see DESIGN.md §3). */
#ifndef IPC_MSG_H
#define IPC_MSG_H

#include <stdint.h>

#define MBOX_MSG_ARGS 7

enum mbox_msg_type {
	MSG_NONE = 0,
	MSG_PING,           /* arg0 = token; the receiver answers MSG_PONG with the same token */
	MSG_PONG,
	MSG_CORE_ONLINE,    /* a secondary core reports in to the boot core */
	MSG_SELFTEST_START, /* boot core asks a core to run the mailbox self-test */
	MSG_SELFTEST_DONE,  /* arg0 = PINGs received, arg1 = PONGs received, arg2 = errors */
	MSG_VCPU_START,     /* vm, vcpu, entry, arg */
	MSG_VCPU_STOP,
	MSG_VM_SHUTDOWN,
	MSG_VM_REBOOT,
	MSG_VIRQ,           /* vm, vcpu, irq */
	MSG_RFENCE,         /* vm, range */
	MSG_TYPE_COUNT
};

/* One cache line: the unit a ring slot holds. */
struct mbox_msg {
	uint16_t type;
	uint16_t from;     /* sending core, filled in by the mailbox */
	uint32_t seq;      /* per ordered pair, filled in by the mailbox */
	uint64_t arg[MBOX_MSG_ARGS];
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct mbox_msg) == 64, "a message is one cache line");

#endif
