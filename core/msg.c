/* Dispatch of mailbox messages to their handlers: one handler per type. */
#include "core/console.h"
#include "core/pcpu.h"
#include "core/vm.h"

typedef void (*msg_handler_fn)(struct pcpu *p, const struct mbox_msg *m);

static const msg_handler_fn msg_handlers[MSG_TYPE_COUNT] = {
	[MSG_PING] = selftest_msg_ping,
	[MSG_PONG] = selftest_msg_pong,
	[MSG_CORE_ONLINE] = core_msg_online,
	[MSG_SELFTEST_START] = selftest_msg_start,
	[MSG_SELFTEST_DONE] = selftest_msg_done,
	[MSG_VCPU_START] = vm_msg_vcpu_start,
	[MSG_VM_SHUTDOWN] = vm_msg_shutdown,
	[MSG_VIRQ] = vm_msg_virq,
	[MSG_RFENCE] = vm_msg_rfence,
};

void core_handle_msg(struct mbox_endpoint *ep, const struct mbox_msg *m, void *ctx)
{
	struct pcpu *p = ctx;
	(void)ep;
	if (m->type >= MSG_TYPE_COUNT || !msg_handlers[m->type]) {
		log_line("core %u: dropped message type %u from core %u: no handler",
			 p->id, m->type, m->from);
		return;
	}
	msg_handlers[m->type](p, m);
}
