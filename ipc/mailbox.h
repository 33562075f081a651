/*
 * Lock-free mailboxes between cores.
 *
 * One single-producer/single-consumer ring for every ordered pair of cores:
 * ring[from][to] is written only by core `from` and read only by core `to`.
 * Indices are free-running 32-bit counters published with release and read
 * with acquire; there is no lock anywhere. The sender kicks the receiver
 * (ipc_kick, an IPI on hardware) when its message turned the ring from
 * empty to non-empty, and again now and then while a send waits for room;
 * a receiver looks at its inbox again before it leaves tessera
 * (mailbox_idle), since mailbox_poll takes a bounded number per ring.
 *
 * Each ordered pair has two rings: one for requests and one for replies
 * (MSG_PONG). Handlers never block and never send requests; a request
 * handler may answer with one reply through mailbox_post(), which queues the
 * reply locally while the reply ring is full. Reply handlers send nothing, so
 * reply rings always drain; a core stops taking requests while its reply
 * queue is full; a core blocked in mailbox_send() keeps draining its own
 * inbox. Hence every ring is always being emptied and a full ring can never
 * deadlock (docs/mailbox.md has the argument in full).
 */
#ifndef IPC_MAILBOX_H
#define IPC_MAILBOX_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "ipc/msg.h"
#include "core/errno.h"

#ifndef CONFIG_MAX_CORES
#define CONFIG_MAX_CORES 8
#endif
#ifndef CONFIG_MBOX_SLOTS
#define CONFIG_MBOX_SLOTS 16   /* power of two */
#endif
#define MBOX_DEFER_MAX (2 * CONFIG_MAX_CORES)  /* replies waiting for room */
#define MBOX_REKICK_EVERY 64   /* a blocked send kicks its target again every this many polls */

_Static_assert((CONFIG_MBOX_SLOTS & (CONFIG_MBOX_SLOTS - 1)) == 0, "slots: power of two");

/* Errors (core/errno.h): E_FULL ring full (try_send), E_INVAL bad core id or message type,
 * E_NOSPC deferred queue full (post), E_DEADLK blocking send from a handler or a post that is
 * not a reply. */

enum mbox_class { MBOX_REQUEST = 0, MBOX_REPLY = 1, MBOX_CLASSES = 2 };

struct mbox_ring {
	_Atomic uint32_t head __attribute__((aligned(64)));  /* written by the producer */
	_Atomic uint32_t tail __attribute__((aligned(64)));  /* written by the consumer */
	struct mbox_msg slot[CONFIG_MBOX_SLOTS];
};

/* The rings every core shares; each ring has exactly one writer per index. */
struct mbox_net {
	unsigned ncores;
	struct mbox_ring ring[CONFIG_MAX_CORES][CONFIG_MAX_CORES][MBOX_CLASSES];  /* [from][to][class] */
};

struct mbox_endpoint;
typedef void (*mbox_handler_fn)(struct mbox_endpoint *ep, const struct mbox_msg *m, void *ctx);

struct mbox_deferred {
	uint16_t to;
	struct mbox_msg msg;
};

/* One core's private view: only that core touches it. */
struct mbox_endpoint {
	struct mbox_net *net;
	unsigned self;
	mbox_handler_fn handler;
	void *ctx;
	unsigned in_handler;
	uint32_t send_seq[CONFIG_MAX_CORES][MBOX_CLASSES];
	uint32_t recv_seq[CONFIG_MAX_CORES][MBOX_CLASSES];
	unsigned ndeferred;
	uint16_t deferred_to[CONFIG_MAX_CORES];  /* count of deferred messages per target */
	struct mbox_deferred deferred[MBOX_DEFER_MAX];
	uint64_t sent, received, kicks, full_waits, seq_errors;
};

/* Hooks supplied by the environment (hypervisor core or host test). */
void ipc_kick(unsigned core);  /* make core `core` look at its inbox */
void ipc_relax(void);          /* called while a send waits for room */

void mailbox_net_init(struct mbox_net *net, unsigned ncores);
/* Messages sent and not yet taken, over every ring (a snapshot: for reports). */
unsigned mailbox_in_flight(struct mbox_net *net);
int mailbox_endpoint_init(struct mbox_endpoint *ep, struct mbox_net *net, unsigned self,
			  mbox_handler_fn handler, void *ctx);

int mailbox_try_send(struct mbox_endpoint *ep, unsigned to, const struct mbox_msg *m);
int mailbox_send(struct mbox_endpoint *ep, unsigned to, const struct mbox_msg *m);
int mailbox_post(struct mbox_endpoint *ep, unsigned to, const struct mbox_msg *m);
bool mailbox_recv(struct mbox_endpoint *ep, unsigned from, enum mbox_class cls, struct mbox_msg *out);
enum mbox_class mailbox_class_of(unsigned type);
unsigned mailbox_poll(struct mbox_endpoint *ep);
bool mailbox_idle(struct mbox_endpoint *ep);

#endif
