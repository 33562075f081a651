/* Lock-free per-core-pair mailboxes: see mailbox.h and docs/mailbox.md. */
#include "ipc/mailbox.h"

#define SLOT_MASK (CONFIG_MBOX_SLOTS - 1u)

_Static_assert(CONFIG_MAX_CORES <= 32, "deferred flush keeps a 32-bit mask of cores");

enum mbox_class mailbox_class_of(unsigned type)
{
	return type == MSG_PONG ? MBOX_REPLY : MBOX_REQUEST;
}

static bool valid_target(const struct mbox_endpoint *ep, unsigned to, const struct mbox_msg *m)
{
	return to < ep->net->ncores && to != ep->self && m->type != MSG_NONE &&
	       m->type < MSG_TYPE_COUNT;
}

void mailbox_net_init(struct mbox_net *net, unsigned ncores)
{
	net->ncores = ncores;
	for (unsigned f = 0; f < CONFIG_MAX_CORES; f++)
		for (unsigned t = 0; t < CONFIG_MAX_CORES; t++)
			for (unsigned c = 0; c < MBOX_CLASSES; c++) {
				atomic_init(&net->ring[f][t][c].head, 0);
				atomic_init(&net->ring[f][t][c].tail, 0);
			}
}

int mailbox_endpoint_init(struct mbox_endpoint *ep, struct mbox_net *net, unsigned self,
			  mbox_handler_fn handler, void *ctx)
{
	if (self >= net->ncores || !handler)
		return E_INVAL;
	*ep = (struct mbox_endpoint){ .net = net, .self = self, .handler = handler, .ctx = ctx };
	return 0;
}

int mailbox_try_send(struct mbox_endpoint *ep, unsigned to, const struct mbox_msg *m)
{
	if (!valid_target(ep, to, m))
		return E_INVAL;
	enum mbox_class cls = mailbox_class_of(m->type);
	struct mbox_ring *r = &ep->net->ring[ep->self][to][cls];
	uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	/* acquire: the consumer has finished reading every slot before tail */
	uint32_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	if (head - tail >= CONFIG_MBOX_SLOTS)
		return E_FULL;

	struct mbox_msg *slot = &r->slot[head & SLOT_MASK];
	*slot = *m;
	slot->from = (uint16_t)ep->self;
	slot->seq = ++ep->send_seq[to][cls];
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	ep->sent++;

	/*
	 * Kick only if the ring was empty once our message was visible. The
	 * fence pairs with the one in mailbox_poll(): either the receiver's
	 * next look at head sees our message, or we see its final tail and kick.
	 */
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&r->tail, memory_order_relaxed) == head) {
		ep->kicks++;
		ipc_kick(to);
	}
	return 0;
}

bool mailbox_recv(struct mbox_endpoint *ep, unsigned from, enum mbox_class cls, struct mbox_msg *out)
{
	struct mbox_ring *r = &ep->net->ring[from][ep->self][cls];
	uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint32_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	if (head == tail)
		return false;
	*out = r->slot[tail & SLOT_MASK];
	atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
	ep->received++;
	if (out->seq != ++ep->recv_seq[from][cls] || out->from != from) {
		ep->seq_errors++;
		ep->recv_seq[from][cls] = out->seq;
	}
	return true;
}

/* Send queued replies in order; a target that is still full stays queued. */
static void flush_deferred(struct mbox_endpoint *ep)
{
	uint32_t blocked = 0;
	unsigned keep = 0;
	for (unsigned i = 0; i < ep->ndeferred; i++) {
		struct mbox_deferred *d = &ep->deferred[i];
		uint32_t bit = 1u << d->to;
		if (!(blocked & bit) && mailbox_try_send(ep, d->to, &d->msg) == 0) {
			ep->deferred_to[d->to]--;
			continue;
		}
		blocked |= bit;
		if (keep != i)
			ep->deferred[keep] = *d;
		keep++;
	}
	ep->ndeferred = keep;
}

static void dispatch(struct mbox_endpoint *ep, const struct mbox_msg *m)
{
	ep->in_handler++;
	ep->handler(ep, m, ep->ctx);
	ep->in_handler--;
}

unsigned mailbox_poll(struct mbox_endpoint *ep)
{
	struct mbox_msg m;
	unsigned handled = 0;
	unsigned n = ep->net->ncores;

	flush_deferred(ep);
	atomic_thread_fence(memory_order_seq_cst);  /* pairs with mailbox_try_send() */
	for (unsigned from = 0; from < n; from++) {
		if (from == ep->self)
			continue;
		/* Replies first: their handlers send nothing, so this always drains. */
		for (unsigned k = 0; k < CONFIG_MBOX_SLOTS && mailbox_recv(ep, from, MBOX_REPLY, &m); k++) {
			dispatch(ep, &m);
			handled++;
		}
		/* A request may need one reply: take it only if a reply can wait. */
		for (unsigned k = 0; k < CONFIG_MBOX_SLOTS && ep->ndeferred < MBOX_DEFER_MAX &&
				     mailbox_recv(ep, from, MBOX_REQUEST, &m); k++) {
			dispatch(ep, &m);
			handled++;
		}
	}
	return handled;
}

int mailbox_send(struct mbox_endpoint *ep, unsigned to, const struct mbox_msg *m)
{
	if (ep->in_handler)
		return E_DEADLK;
	if (!valid_target(ep, to, m))
		return E_INVAL;
	for (unsigned waits = 0;; waits++) {
		/* Queued replies to `to` go first, to keep each pair in order. */
		if (ep->deferred_to[to] == 0 || mailbox_class_of(m->type) == MBOX_REQUEST) {
			int rc = mailbox_try_send(ep, to, m);
			if (rc != E_FULL)
				return rc;
		}
		if (waits == 0)
			ep->full_waits++;
		/*
		 * Kick again now and then: the receiver may have stopped looking
		 * (the one kick of the ring's empty->non-empty change came while it
		 * was still polling, say), and only a kick brings it back.
		 */
		if (waits % MBOX_REKICK_EVERY == 0) {
			ep->kicks++;
			ipc_kick(to);
		}
		mailbox_poll(ep);  /* drain our own inbox while we wait: no deadlock */
		ipc_relax();
	}
}

int mailbox_post(struct mbox_endpoint *ep, unsigned to, const struct mbox_msg *m)
{
	if (!valid_target(ep, to, m))
		return E_INVAL;
	if (mailbox_class_of(m->type) != MBOX_REPLY)
		return E_DEADLK;
	if (ep->deferred_to[to] == 0) {
		int rc = mailbox_try_send(ep, to, m);
		if (rc != E_FULL)
			return rc;
	}
	if (ep->ndeferred >= MBOX_DEFER_MAX)
		return E_NOSPC;
	ep->deferred[ep->ndeferred].to = (uint16_t)to;
	ep->deferred[ep->ndeferred].msg = *m;
	ep->ndeferred++;
	ep->deferred_to[to]++;
	return 0;
}

bool mailbox_idle(struct mbox_endpoint *ep)
{
	if (ep->ndeferred)
		return false;  /* replies wait for room: keep polling, nobody will kick us */
	atomic_thread_fence(memory_order_seq_cst);
	for (unsigned from = 0; from < ep->net->ncores; from++) {
		if (from == ep->self)
			continue;
		for (unsigned c = 0; c < MBOX_CLASSES; c++) {
			struct mbox_ring *r = &ep->net->ring[from][ep->self][c];
			if (atomic_load_explicit(&r->head, memory_order_acquire) !=
			    atomic_load_explicit(&r->tail, memory_order_relaxed))
				return false;
		}
	}
	return true;
}

unsigned mailbox_in_flight(struct mbox_net *net)
{
	unsigned n = 0;
	for (unsigned f = 0; f < net->ncores; f++)
		for (unsigned t = 0; t < net->ncores; t++)
			for (unsigned c = 0; c < MBOX_CLASSES; c++) {
				struct mbox_ring *r = &net->ring[f][t][c];
				n += atomic_load_explicit(&r->head, memory_order_acquire) -
				     atomic_load_explicit(&r->tail, memory_order_acquire);
			}
	return n;
}
