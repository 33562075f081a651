/*
 * mailbox_bench: tessera's lock-free mailboxes (ipc/mailbox.c) against the
 * same rings guarded by a lock, on the host with one pthread per "core".
 *
 *   lockfree  ipc/mailbox.c as is (spin-polled: ipc_kick() only counts)
 *   spinlock  one ring of CONFIG_MBOX_SLOTS messages per ordered pair of
 *             threads, plain head/tail, push and pop under an atomic_flag
 *   mutex     the same ring under a pthread_mutex_t
 *
 * For 2, 4 and 8 threads each implementation runs two phases:
 *   throughput  every thread sends MSGS one-way requests (MSG_VIRQ) to every
 *               other thread while receiving; a sender facing a full ring
 *               keeps draining its own inbox. msgs_per_s = all messages /
 *               (first thread past the start barrier .. last one done).
 *   round trip  pairs (0,1), (2,3), ... all at once: the first sends MSG_PING,
 *               the second answers MSG_PONG (mailbox_post() from the handler
 *               for lockfree), ROUNDS times. rtt_ns = median over all pairs.
 * Every wait loop spins SPIN_LIMIT times, then sched_yield()s: with 8 threads
 * on 2 CPUs the thread being waited for is often not running.
 * Each data message carries its per-sender number; a loss, duplicate or
 * reorder, or a message left in a ring at the end, fails the run (exit 1).
 *
 * Output, one line per (implementation, threads), diagnostics on stderr:
 *   MAILBOX impl=lockfree threads=2 msgs_per_s=12345678 rtt_ns=850
 * Usage: mailbox_bench [scale]   (scale multiplies MSGS and ROUNDS, default 1)
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ipc/mailbox.h"

#define MSGS 40000        /* per ordered pair of threads, at scale 1 */
#define ROUNDS 20000      /* round trips per pair, at scale 1 */
#define SPIN_LIMIT 256    /* spins before a wait loop yields the CPU */
#define SLOT_MASK (CONFIG_MBOX_SLOTS - 1u)

enum impl { LOCKFREE, SPINLOCK, MUTEX };
static const char *const impl_name[] = { "lockfree", "spinlock", "mutex" };

static enum impl impl;
static unsigned nthreads;
static uint64_t msgs, rounds;
static pthread_barrier_t barrier;
static uint64_t *rtt;      /* [pair * rounds + r], nanoseconds */

static inline void cpu_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* One step of a wait loop: pause, and give the CPU away now and then. */
static inline void relax(unsigned *spins)
{
	if (++*spins >= SPIN_LIMIT) {
		*spins = 0;
		sched_yield();
	} else {
		cpu_pause();
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- hooks ipc/mailbox.c needs: every core spin-polls, so a kick only counts ---- */
static _Atomic uint64_t kicks;
static __thread unsigned relax_spins;

void ipc_kick(unsigned core)
{
	(void)core;
	atomic_fetch_add_explicit(&kicks, 1, memory_order_relaxed);
}

void ipc_relax(void)
{
	relax(&relax_spins);
}

/* ---- the locked ring: same shape, one per ordered pair [from][to] ---- */
struct lring {
	atomic_flag flag __attribute__((aligned(64)));  /* spinlock variant */
	pthread_mutex_t mutex;                          /* mutex variant */
	uint32_t head, tail, seq;                       /* only touched under the lock */
	struct mbox_msg slot[CONFIG_MBOX_SLOTS];
};
static struct lring lrings[CONFIG_MAX_CORES][CONFIG_MAX_CORES];

static void lr_lock(struct lring *r)
{
	if (impl == MUTEX) {
		pthread_mutex_lock(&r->mutex);
		return;
	}
	unsigned spins = 0;
	while (atomic_flag_test_and_set_explicit(&r->flag, memory_order_acquire))
		relax(&spins);
}

static void lr_unlock(struct lring *r)
{
	if (impl == MUTEX)
		pthread_mutex_unlock(&r->mutex);
	else
		atomic_flag_clear_explicit(&r->flag, memory_order_release);
}

static bool lr_push(unsigned from, unsigned to, const struct mbox_msg *m)
{
	struct lring *r = &lrings[from][to];
	lr_lock(r);
	bool room = r->head - r->tail < CONFIG_MBOX_SLOTS;
	if (room) {
		struct mbox_msg *s = &r->slot[r->head++ & SLOT_MASK];
		*s = *m;
		s->from = (uint16_t)from;
		s->seq = ++r->seq;
	}
	lr_unlock(r);
	return room;
}

static bool lr_pop(unsigned from, unsigned to, struct mbox_msg *out)
{
	struct lring *r = &lrings[from][to];
	lr_lock(r);
	bool any = r->head != r->tail;
	if (any)
		*out = r->slot[r->tail++ & SLOT_MASK];
	lr_unlock(r);
	return any;
}

/* ---- one thread ("core") and the operations every implementation offers ---- */
struct core {
	unsigned id;
	struct mbox_endpoint ep;                 /* lockfree only */
	uint64_t got[CONFIG_MAX_CORES];          /* MSG_VIRQ received from each sender */
	uint64_t pings, pongs, errors;
	uint64_t t_start, t_end;                 /* throughput phase */
	pthread_t thread;
} __attribute__((aligned(64)));
static struct core cores[CONFIG_MAX_CORES];

static struct mbox_msg make_msg(unsigned type, uint64_t a0, uint64_t a1)
{
	struct mbox_msg m = { .type = (uint16_t)type };
	m.arg[0] = a0;
	m.arg[1] = a1;
	return m;
}

static void on_msg(struct core *c, const struct mbox_msg *m)
{
	unsigned from = m->from;
	if (from >= nthreads || from == c->id) {
		c->errors++;
		return;
	}
	switch (m->type) {
	case MSG_VIRQ:  /* throughput data: numbered per sender, in order */
		if (m->arg[0] != c->got[from] || m->arg[1] != from) {
			if (c->errors++ < 5)
				fprintf(stderr, "thread %u: from %u got #%llu, want #%llu\n", c->id, from,
					(unsigned long long)m->arg[0], (unsigned long long)c->got[from]);
		}
		c->got[from]++;
		break;
	case MSG_PING: {
		struct mbox_msg r = make_msg(MSG_PONG, m->arg[0], c->id);
		if (m->arg[0] != c->pings++)
			c->errors++;
		/* Only one ping is ever outstanding, so a locked reply ring has room. */
		if (impl == LOCKFREE ? mailbox_post(&c->ep, from, &r) != 0 : !lr_push(c->id, from, &r))
			c->errors++;
		break;
	}
	case MSG_PONG:
		if (m->arg[0] != c->pongs++)
			c->errors++;
		break;
	default:
		c->errors++;
	}
}

static void lockfree_handler(struct mbox_endpoint *ep, const struct mbox_msg *m, void *ctx)
{
	(void)ep;
	on_msg(ctx, m);
}

static unsigned poll_inbox(struct core *c)
{
	if (impl == LOCKFREE)
		return mailbox_poll(&c->ep);
	unsigned handled = 0;
	struct mbox_msg m;
	for (unsigned from = 0; from < nthreads; from++)
		for (unsigned k = 0; from != c->id && k < CONFIG_MBOX_SLOTS && lr_pop(from, c->id, &m); k++) {
			on_msg(c, &m);
			handled++;
		}
	return handled;
}

/* Blocking send: while the ring is full, keep draining our own inbox. */
static void send_msg(struct core *c, unsigned to, const struct mbox_msg *m)
{
	if (impl == LOCKFREE) {
		if (mailbox_send(&c->ep, to, m) != 0)
			c->errors++;
		return;
	}
	unsigned spins = 0;
	while (!lr_push(c->id, to, m)) {
		poll_inbox(c);
		relax(&spins);
	}
}

/* Keep receiving until done(c); lockfree also flushes replies waiting for room. */
static void poll_until(struct core *c, bool (*done)(const struct core *))
{
	unsigned spins = 0;
	while (!done(c) || (impl == LOCKFREE && c->ep.ndeferred)) {
		if (poll_inbox(c))
			spins = 0;
		else
			relax(&spins);
	}
}

static bool got_all(const struct core *c)
{
	for (unsigned j = 0; j < nthreads; j++)
		if (j != c->id && c->got[j] < msgs)
			return false;
	return true;
}

static bool got_all_pings(const struct core *c) { return c->pings >= rounds; }

static void *worker(void *arg)
{
	struct core *c = arg;
	uint64_t sent[CONFIG_MAX_CORES] = { 0 };

	/* Throughput: all to all, in batches of 8 per target. */
	pthread_barrier_wait(&barrier);
	c->t_start = now_ns();
	for (bool more = true; more;) {
		more = false;
		for (unsigned j = 0; j < nthreads; j++) {
			for (unsigned b = 0; j != c->id && b < 8 && sent[j] < msgs; b++, sent[j]++) {
				struct mbox_msg m = make_msg(MSG_VIRQ, sent[j], c->id);
				send_msg(c, j, &m);
			}
			more |= j != c->id && sent[j] < msgs;
		}
		poll_inbox(c);
	}
	poll_until(c, got_all);
	c->t_end = now_ns();

	/* Round trip: even threads ping their odd partner. */
	pthread_barrier_wait(&barrier);
	if (c->id & 1) {
		poll_until(c, got_all_pings);
		return NULL;
	}
	uint64_t *out = &rtt[(c->id / 2) * rounds];
	for (uint64_t r = 0; r < rounds; r++) {
		struct mbox_msg m = make_msg(MSG_PING, r, c->id);
		unsigned spins = 0;
		uint64_t t0 = now_ns();
		send_msg(c, c->id + 1, &m);
		while (c->pongs <= r) {
			if (!poll_inbox(c))
				relax(&spins);
		}
		out[r] = now_ns() - t0;
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* One (implementation, threads) run; returns the number of errors found. */
static unsigned run(enum impl which, unsigned n)
{
	static struct mbox_net net;
	impl = which;
	nthreads = n;
	atomic_store(&kicks, 0);
	mailbox_net_init(&net, n);
	for (unsigned f = 0; f < CONFIG_MAX_CORES; f++)
		for (unsigned t = 0; t < CONFIG_MAX_CORES; t++)
			lrings[f][t].head = lrings[f][t].tail = lrings[f][t].seq = 0;
	for (unsigned i = 0; i < n; i++) {
		cores[i] = (struct core){ .id = i };
		mailbox_endpoint_init(&cores[i].ep, &net, i, lockfree_handler, &cores[i]);
	}
	rtt = calloc((size_t)(n / 2) * rounds, sizeof(*rtt));
	if (!rtt || pthread_barrier_init(&barrier, NULL, n) != 0) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	for (unsigned i = 0; i < n; i++)
		if (pthread_create(&cores[i].thread, NULL, worker, &cores[i]) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			exit(2);
		}
	for (unsigned i = 0; i < n; i++)
		pthread_join(cores[i].thread, NULL);
	pthread_barrier_destroy(&barrier);

	/* Exactly once: every count exact, no error seen, every ring empty. */
	unsigned bad = 0;
	uint64_t t0 = UINT64_MAX, t1 = 0, waits = 0;
	for (unsigned i = 0; i < n; i++) {
		struct core *c = &cores[i];
		uint64_t errs = c->errors + (impl == LOCKFREE ? c->ep.seq_errors : 0);
		for (unsigned j = 0; j < n; j++)
			if (j != i && c->got[j] != msgs) {
				fprintf(stderr, "%s/%u: thread %u got %llu messages from %u, want %llu\n",
					impl_name[impl], n, i, (unsigned long long)c->got[j], j,
					(unsigned long long)msgs);
				bad++;
			}
		if (c->pings + c->pongs != rounds) {
			fprintf(stderr, "%s/%u: thread %u: %llu pings + %llu pongs, want %llu\n",
				impl_name[impl], n, i, (unsigned long long)c->pings,
				(unsigned long long)c->pongs, (unsigned long long)rounds);
			bad++;
		}
		if (errs) {
			fprintf(stderr, "%s/%u: thread %u: %llu bad messages\n", impl_name[impl], n, i,
				(unsigned long long)errs);
			bad++;
		}
		bool empty = impl == LOCKFREE ? mailbox_idle(&c->ep) : true;
		for (unsigned j = 0; j < n; j++)
			empty &= impl == LOCKFREE || lrings[j][i].head == lrings[j][i].tail;
		if (!empty) {
			fprintf(stderr, "%s/%u: thread %u: messages left over\n", impl_name[impl], n, i);
			bad++;
		}
		t0 = c->t_start < t0 ? c->t_start : t0;
		t1 = c->t_end > t1 ? c->t_end : t1;
		waits += c->ep.full_waits;
	}

	uint64_t total = (uint64_t)n * (n - 1) * msgs, samples = (uint64_t)(n / 2) * rounds;
	double secs = (double)(t1 - t0) / 1e9;
	qsort(rtt, samples, sizeof(*rtt), cmp_u64);
	printf("MAILBOX impl=%s threads=%u msgs_per_s=%llu rtt_ns=%llu\n", impl_name[impl], n,
	       (unsigned long long)((double)total / secs + 0.5), (unsigned long long)rtt[samples / 2]);
	fprintf(stderr, "  %s/%u: %llu msgs in %.3f s; rtt p10=%llu p90=%llu ns over %llu; "
		"kicks %llu, full waits %llu\n", impl_name[impl], n, (unsigned long long)total, secs,
		(unsigned long long)rtt[samples / 10], (unsigned long long)rtt[samples * 9 / 10],
		(unsigned long long)samples, (unsigned long long)atomic_load(&kicks),
		(unsigned long long)waits);
	free(rtt);
	return bad;
}

int main(int argc, char **argv)
{
	double scale = argc > 1 ? strtod(argv[1], NULL) : 1.0;
	if (!(scale > 0)) {
		fprintf(stderr, "usage: %s [scale > 0]\n", argv[0]);
		return 2;
	}
	msgs = (uint64_t)(MSGS * scale) ? (uint64_t)(MSGS * scale) : 1;
	rounds = (uint64_t)(ROUNDS * scale) ? (uint64_t)(ROUNDS * scale) : 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned f = 0; f < CONFIG_MAX_CORES; f++)
		for (unsigned t = 0; t < CONFIG_MAX_CORES; t++) {
			atomic_flag_clear(&lrings[f][t].flag);
			pthread_mutex_init(&lrings[f][t].mutex, NULL);
		}

	static const unsigned counts[] = { 2, 4, 8 };
	unsigned bad = 0;
	for (unsigned i = 0; i < 3; i++)
		for (unsigned k = 0; k < sizeof(counts) / sizeof(counts[0]); k++)
			bad += run((enum impl)i, counts[k]);
	if (bad) {
		fprintf(stderr, "mailbox_bench: %u check(s) failed: messages lost or duplicated\n", bad);
		return 1;
	}
	return 0;
}
