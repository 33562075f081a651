/*
 * Host tests of ipc/mailbox.c: ring edge cases, then every ordered pair of
 * 2..8 threads exchanging messages, checking that none is lost, duplicated
 * or reordered and that no wake-up is lost. Built plain, with TSan and with
 * ASan+UBSan by the Makefile.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ipc/mailbox.h"
#include "check.h"

static struct mbox_net net;

/* ---- environment hooks: a kick sets a per-core pending flag, like SSIP ---- */
struct sim_core {
	_Atomic int pending;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	_Atomic unsigned kicks;
};
static struct sim_core sim[CONFIG_MAX_CORES];

void ipc_kick(unsigned core)
{
	struct sim_core *c = &sim[core];
	atomic_fetch_add(&c->kicks, 1);
	pthread_mutex_lock(&c->lock);
	atomic_store(&c->pending, 1);
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

/* test_no_stranded_message: the receiver drains only after this many waits */
static unsigned drain_after_relaxes;
static struct mbox_endpoint *drain_ep;

void ipc_relax(void)
{
	if (drain_after_relaxes && --drain_after_relaxes == 0)
		mailbox_poll(drain_ep);
	sched_yield();
}

static void sim_reset(unsigned ncores)
{
	mailbox_net_init(&net, ncores);
	for (unsigned i = 0; i < CONFIG_MAX_CORES; i++) {
		atomic_store(&sim[i].pending, 0);
		atomic_store(&sim[i].kicks, 0);
		pthread_mutex_init(&sim[i].lock, NULL);
		pthread_cond_init(&sim[i].cond, NULL);
	}
}

/* ---- single-threaded edge cases ---- */
struct seen {
	unsigned n;
	struct mbox_msg last[64];
	int post_rc;
};

static void record_handler(struct mbox_endpoint *ep, const struct mbox_msg *m, void *ctx)
{
	struct seen *s = ctx;
	if (s->n < 64)
		s->last[s->n] = *m;
	s->n++;
	s->post_rc = mailbox_send(ep, m->from, m);  /* must be refused inside a handler */
}

static struct mbox_msg msg(unsigned type, uint64_t a0)
{
	struct mbox_msg m = { .type = (uint16_t)type };
	m.arg[0] = a0;
	return m;
}

static void test_empty_and_full(void)
{
	struct mbox_endpoint a, b;
	struct seen sb = { 0 };
	sim_reset(2);
	mailbox_endpoint_init(&a, &net, 0, record_handler, NULL);
	mailbox_endpoint_init(&b, &net, 1, record_handler, &sb);
	struct mbox_msg out;
	CHECK(!mailbox_recv(&b, 0, MBOX_REQUEST, &out), "empty ring gave a message");
	CHECK(mailbox_idle(&b), "empty inbox not idle");
	for (unsigned i = 0; i < CONFIG_MBOX_SLOTS; i++) {
		struct mbox_msg m = msg(MSG_PING, i);
		CHECK(mailbox_try_send(&a, 1, &m) == 0, "send %u into a ring with room failed", i);
	}
	struct mbox_msg m = msg(MSG_PING, 99);
	CHECK(mailbox_try_send(&a, 1, &m) == E_FULL, "full ring accepted a message");
	CHECK(atomic_load(&sim[1].kicks) == 1, "kicks = %u, want 1 (only empty -> non-empty)",
	      atomic_load(&sim[1].kicks));
	CHECK(!mailbox_idle(&b), "full inbox looks idle");
	CHECK(mailbox_poll(&b) == CONFIG_MBOX_SLOTS, "poll did not take every message");
	for (unsigned i = 0; i < CONFIG_MBOX_SLOTS; i++)
		CHECK(sb.last[i].arg[0] == i && sb.last[i].from == 0 && sb.last[i].seq == i + 1,
		      "message %u: arg %lu from %u seq %u", i, (unsigned long)sb.last[i].arg[0],
		      sb.last[i].from, sb.last[i].seq);
	CHECK(sb.post_rc == E_DEADLK, "blocking send inside a handler returned %d", sb.post_rc);
	CHECK(mailbox_idle(&b), "drained inbox not idle");
	CHECK(b.seq_errors == 0, "sequence errors %lu", (unsigned long)b.seq_errors);
}

/*
 * A sender that fills the ring while the receiver is polling gets no kick
 * (the ring was never empty), and the receiver's poll takes a bounded number
 * per ring: what is left must show in mailbox_idle, which the run loop asks
 * before it enters a guest. A send blocked on a full ring kicks again.
 */
static struct mbox_endpoint *refill_from;
static unsigned refill_to, refills;

static void refill_handler(struct mbox_endpoint *ep, const struct mbox_msg *m, void *ctx)
{
	(void)ep;
	(void)m;
	(void)ctx;
	struct mbox_msg more = msg(MSG_PING, 1000 + refills);
	if (refills < 4 && mailbox_try_send(refill_from, refill_to, &more) == 0)
		refills++;   /* the sender, "on another core", keeps the ring non-empty */
}

static void test_no_stranded_message(void)
{
	struct mbox_endpoint a, b;
	sim_reset(2);
	mailbox_endpoint_init(&a, &net, 0, record_handler, NULL);
	mailbox_endpoint_init(&b, &net, 1, refill_handler, NULL);
	refill_from = &a;
	refill_to = 1;
	refills = 0;
	for (unsigned i = 0; i < CONFIG_MBOX_SLOTS; i++) {
		struct mbox_msg m = msg(MSG_PING, i);
		CHECK(mailbox_try_send(&a, 1, &m) == 0, "send %u failed", i);
	}
	unsigned kicks = atomic_load(&sim[1].kicks);
	CHECK(mailbox_poll(&b) == CONFIG_MBOX_SLOTS, "poll took more or less than one ring's worth");
	CHECK(atomic_load(&sim[1].kicks) == kicks, "the refills kicked: the ring was never empty");
	CHECK(!mailbox_idle(&b), "messages left behind by poll look idle: they would be stranded");
	mailbox_endpoint_init(&b, &net, 1, record_handler, &(struct seen){ 0 });
	mailbox_poll(&b);
	CHECK(mailbox_idle(&b), "inbox not idle after the second poll");

	/* a blocked send kicks again: fill the ring, let nobody drain it for a while */
	for (unsigned i = 0; i < CONFIG_MBOX_SLOTS; i++) {
		struct mbox_msg m = msg(MSG_PING, i);
		CHECK(mailbox_try_send(&a, 1, &m) == 0, "send %u failed", i);
	}
	kicks = atomic_load(&sim[1].kicks);
	struct mbox_msg m = msg(MSG_PING, 77);
	CHECK(mailbox_try_send(&a, 1, &m) == E_FULL, "full ring took a message");
	drain_after_relaxes = 3 * MBOX_REKICK_EVERY;
	drain_ep = &b;
	CHECK(mailbox_send(&a, 1, &m) == 0, "blocked send failed");
	drain_after_relaxes = 0;
	CHECK(atomic_load(&sim[1].kicks) - kicks >= 3, "a send blocked for %u polls kicked %u times",
	      3 * MBOX_REKICK_EVERY, atomic_load(&sim[1].kicks) - kicks);
}

static void test_wraparound(void)
{
	struct mbox_endpoint a, b;
	struct seen sb = { 0 };
	sim_reset(2);
	/* Start the free-running indices just below 2^32 to cross the wrap. */
	struct mbox_ring *r = &net.ring[0][1][MBOX_REQUEST];
	atomic_store(&r->head, UINT32_MAX - 5);
	atomic_store(&r->tail, UINT32_MAX - 5);
	mailbox_endpoint_init(&a, &net, 0, record_handler, NULL);
	mailbox_endpoint_init(&b, &net, 1, record_handler, &sb);
	unsigned total = 0;
	for (unsigned round = 0; round < 5; round++) {
		unsigned sent = 0;
		for (;;) {
			struct mbox_msg m = msg(MSG_PING, total + sent);
			if (mailbox_try_send(&a, 1, &m) != 0)
				break;
			sent++;
		}
		CHECK(sent == CONFIG_MBOX_SLOTS, "round %u: %u fit, want %u", round, sent, CONFIG_MBOX_SLOTS);
		sb.n = 0;
		mailbox_poll(&b);
		CHECK(sb.n == sent, "round %u: got %u of %u", round, sb.n, sent);
		for (unsigned i = 0; i < sb.n && i < 64; i++)
			CHECK(sb.last[i].arg[0] == total + i, "round %u: order broken at %u", round, i);
		total += sent;
	}
	CHECK(atomic_load(&r->head) < 100, "indices did not wrap (head %u)", atomic_load(&r->head));
}

static void test_invalid(void)
{
	struct mbox_endpoint a;
	sim_reset(3);
	mailbox_endpoint_init(&a, &net, 0, record_handler, NULL);
	struct mbox_msg m = msg(MSG_PING, 0);
	CHECK(mailbox_try_send(&a, 0, &m) == E_INVAL, "send to self accepted");
	CHECK(mailbox_try_send(&a, 3, &m) == E_INVAL, "send past ncores accepted");
	CHECK(mailbox_send(&a, 7, &m) == E_INVAL, "blocking send past ncores accepted");
	struct mbox_msg bad = msg(MSG_TYPE_COUNT, 0);
	CHECK(mailbox_try_send(&a, 1, &bad) == E_INVAL, "unknown type accepted");
	CHECK(mailbox_post(&a, 1, &m) == E_DEADLK, "post of a request accepted");
	CHECK(mailbox_endpoint_init(&a, &net, 3, record_handler, NULL) == E_INVAL,
	      "endpoint past ncores accepted");
}

/* Replies that do not fit wait in the deferred queue and keep their order. */
static void echo_handler(struct mbox_endpoint *ep, const struct mbox_msg *m, void *ctx)
{
	struct seen *s = ctx;
	if (m->type == MSG_PING) {
		struct mbox_msg r = msg(MSG_PONG, m->arg[0]);
		s->post_rc = mailbox_post(ep, m->from, &r);
	} else {
		if (s->n < 64)
			s->last[s->n] = *m;
		s->n++;
	}
}

static void test_deferred_replies(void)
{
	struct mbox_endpoint a, b;
	struct seen sa = { 0 }, sb = { 0 };
	sim_reset(2);
	mailbox_endpoint_init(&a, &net, 0, echo_handler, &sa);
	mailbox_endpoint_init(&b, &net, 1, echo_handler, &sb);
	/* Fill a's reply ring with PONGs b posts, plus some that must wait. */
	unsigned pings = CONFIG_MBOX_SLOTS + 5;
	for (unsigned i = 0; i < pings; i++) {
		struct mbox_msg m = msg(MSG_PING, i);
		if (mailbox_try_send(&a, 1, &m) != 0) {
			mailbox_poll(&b);
			CHECK(mailbox_try_send(&a, 1, &m) == 0, "ping %u not sent after a poll", i);
		}
	}
	mailbox_poll(&b);
	CHECK(sb.post_rc == 0, "post returned %d", sb.post_rc);
	CHECK(b.ndeferred == 5, "deferred %u, want 5", b.ndeferred);
	CHECK(!mailbox_idle(&b), "core with deferred replies looks idle");
	mailbox_poll(&a);             /* takes the first CONFIG_MBOX_SLOTS pongs */
	mailbox_poll(&b);             /* flushes the 5 deferred ones */
	CHECK(b.ndeferred == 0, "deferred %u after flush", b.ndeferred);
	mailbox_poll(&a);
	CHECK(sa.n == pings, "got %u pongs, want %u", sa.n, pings);
	for (unsigned i = 0; i < sa.n && i < 64; i++)
		CHECK(sa.last[i].arg[0] == i, "pong %u carries %lu", i, (unsigned long)sa.last[i].arg[0]);
	CHECK(a.seq_errors == 0 && b.seq_errors == 0, "sequence errors");
}

/* ---- threaded stress: every ordered pair, M messages each ---- */
struct stress_core {
	struct mbox_endpoint ep;
	unsigned id, ncores;
	uint64_t per_pair;
	uint64_t next_expected[CONFIG_MAX_CORES];  /* data messages from each core */
	uint64_t pongs[CONFIG_MAX_CORES];
	uint64_t errors, lost_wakeups;
	uint64_t sleeps;
};
static struct stress_core cores[CONFIG_MAX_CORES];

static uint64_t payload(unsigned from, unsigned to, uint64_t n, unsigned k)
{
	return (n * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)from << 48) ^ ((uint64_t)to << 40) ^ k;
}

static void stress_handler(struct mbox_endpoint *ep, const struct mbox_msg *m, void *ctx)
{
	struct stress_core *c = ctx;
	unsigned from = m->from;
	if (from >= c->ncores || from == c->id) {
		c->errors++;
		return;
	}
	if (m->type == MSG_PONG) {
		if (m->arg[0] != c->pongs[from]++)
			c->errors++;
		return;
	}
	uint64_t n = m->arg[0];
	if (n != c->next_expected[from]) {
		if (c->errors++ < 5)
			printf("  core %u: from %u got #%lu, expected #%lu\n", c->id, from,
			       (unsigned long)n, (unsigned long)c->next_expected[from]);
		c->next_expected[from] = n;
	}
	c->next_expected[from]++;
	for (unsigned k = 1; k < MBOX_MSG_ARGS; k++)
		if (m->arg[k] != payload(from, c->id, n, k))
			c->errors++;
	/* Every 64th message asks for a reply: exercises the reply class. */
	if ((n & 63) == 0) {
		struct mbox_msg r = msg(MSG_PONG, n / 64);
		if (mailbox_post(ep, from, &r) != 0)
			c->errors++;
	}
}

static bool stress_done(const struct stress_core *c)
{
	for (unsigned j = 0; j < c->ncores; j++) {
		if (j == c->id)
			continue;
		if (c->next_expected[j] < c->per_pair || c->pongs[j] < (c->per_pair + 63) / 64)
			return false;
	}
	return true;
}

static void *stress_thread(void *arg)
{
	struct stress_core *c = arg;
	struct sim_core *me = &sim[c->id];
	uint64_t sent[CONFIG_MAX_CORES] = { 0 };
	bool sending = true;
	while (sending) {
		sending = false;
		for (unsigned j = 0; j < c->ncores; j++) {
			if (j == c->id || sent[j] >= c->per_pair)
				continue;
			for (unsigned b = 0; b < 8 && sent[j] < c->per_pair; b++, sent[j]++) {
				struct mbox_msg m = msg(MSG_PING, sent[j]);
				for (unsigned k = 1; k < MBOX_MSG_ARGS; k++)
					m.arg[k] = payload(c->id, j, sent[j], k);
				if (mailbox_send(&c->ep, j, &m) != 0)
					c->errors++;
			}
			sending |= sent[j] < c->per_pair;
		}
		mailbox_poll(&c->ep);
	}
	/* Then behave like an idle core: clear "SSIP", poll, sleep until kicked. */
	while (!stress_done(c) || c->ep.ndeferred) {
		atomic_store(&me->pending, 0);
		mailbox_poll(&c->ep);
		if (!mailbox_idle(&c->ep) || stress_done(c))
			continue;
		pthread_mutex_lock(&me->lock);
		struct timespec dl;
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += 20;
		c->sleeps++;
		while (!atomic_load(&me->pending)) {
			if (pthread_cond_timedwait(&me->cond, &me->lock, &dl) != 0) {
				/* Timed out: a message in the inbox now means a lost kick. */
				if (!mailbox_idle(&c->ep))
					c->lost_wakeups++;
				break;
			}
		}
		pthread_mutex_unlock(&me->lock);
		if (c->lost_wakeups)
			break;
	}
	/* Stay responsive until everyone is done (others may still need replies). */
	return NULL;
}

static _Atomic unsigned finished;

static void run_stress(unsigned ncores, uint64_t per_pair, const char *label)
{
	pthread_t t[CONFIG_MAX_CORES];
	sim_reset(ncores);
	atomic_store(&finished, 0);
	for (unsigned i = 0; i < ncores; i++) {
		cores[i] = (struct stress_core){ .id = i, .ncores = ncores, .per_pair = per_pair };
		mailbox_endpoint_init(&cores[i].ep, &net, i, stress_handler, &cores[i]);
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 0; i < ncores; i++)
		pthread_create(&t[i], NULL, stress_thread, &cores[i]);
	for (unsigned i = 0; i < ncores; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	uint64_t total = 0, kicks = 0, waits = 0, errors = 0, lost = 0;
	for (unsigned i = 0; i < ncores; i++) {
		struct stress_core *c = &cores[i];
		errors += c->errors + c->ep.seq_errors;
		lost += c->lost_wakeups;
		total += c->ep.received;
		kicks += c->ep.kicks;
		waits += c->ep.full_waits;
		for (unsigned j = 0; j < ncores; j++)
			if (j != i)
				CHECK(c->next_expected[j] == per_pair, "%s: core %u got %lu of %lu from %u",
				      label, i, (unsigned long)c->next_expected[j], (unsigned long)per_pair, j);
	}
	uint64_t want = (uint64_t)ncores * (ncores - 1) * (per_pair + (per_pair + 63) / 64);
	CHECK(errors == 0, "%s: %lu loss/duplication/reorder/payload errors", label, (unsigned long)errors);
	CHECK(lost == 0, "%s: %lu lost wake-ups", label, (unsigned long)lost);
	CHECK(total == want, "%s: %lu messages received, want %lu", label, (unsigned long)total,
	      (unsigned long)want);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("  %s: %u cores, %lu per pair, %lu messages in %.2f s, %lu kicks, %lu full waits\n",
	       label, ncores, (unsigned long)per_pair, (unsigned long)total, s, (unsigned long)kicks,
	       (unsigned long)waits);
}

static uint64_t stress_per_pair;

static void test_stress_2_cores(void) { run_stress(2, stress_per_pair, "2 cores"); }
static void test_stress_3_cores(void) { run_stress(3, stress_per_pair, "3 cores"); }
static void test_stress_4_cores(void) { run_stress(4, stress_per_pair, "4 cores"); }
static void test_stress_8_cores(void) { run_stress(8, stress_per_pair, "8 cores"); }

int main(int argc, char **argv)
{
	const char *prefix = argc > 1 ? argv[1] : "mailbox";
	stress_per_pair = argc > 2 ? strtoull(argv[2], NULL, 0) : 1000000;
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN_CASE(prefix, test_empty_and_full);
	RUN_CASE(prefix, test_no_stranded_message);
	RUN_CASE(prefix, test_wraparound);
	RUN_CASE(prefix, test_invalid);
	RUN_CASE(prefix, test_deferred_replies);
	RUN_CASE(prefix, test_stress_2_cores);
	RUN_CASE(prefix, test_stress_3_cores);
	RUN_CASE(prefix, test_stress_4_cores);
	RUN_CASE(prefix, test_stress_8_cores);
	return check_failures ? 1 : 0;
}
