/*
 * mailbox_bench: tessera's lock-free mailboxes (ipc/mailbox.c) against the
 * same rings guarded by a lock, on the host with one pthread per "core".
 *
 *   lockfree  ipc/mailbox.c as is (every core spin-polls: ipc_kick() is a no-op)
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
 * reorder, or a message left in a ring at the end, fails the run (exit 1);
 * an alarm() watchdog ends a run that waits forever for a lost message.
 *
 * Output, one line per (implementation, threads), diagnostics on stderr:
 *   MAILBOX impl=lockfree threads=2 msgs_per_s=12345678 rtt_ns=850
 * Usage: mailbox_bench [scale]   (scale multiplies MSGS and ROUNDS, default 1)
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "ipc/mailbox.h"

#define MSGS 60000        /* per ordered pair of threads, at scale 1 */
#define ROUNDS 20000      /* round trips per pair, at scale 1 */
#define SPIN_LIMIT 256    /* spins before a wait loop yields the CPU */
#define SLOT_MASK (CONFIG_MBOX_SLOTS - 1u)
#define FAIL(...) (fprintf(stderr, "%s/%u: ", impl_name[impl], nthreads), \
		   fprintf(stderr, __VA_ARGS__), fputc('\n', stderr), failures++)
#define MSG(t, a0, a1) ((struct mbox_msg){ .type = (t), .arg = { (a0), (a1) } })

enum impl { LOCKFREE, SPINLOCK, MUTEX };
static const char *const impl_name[] = { "lockfree", "spinlock", "mutex" };

static enum impl impl;
static unsigned nthreads;
static uint64_t msgs, rounds;
static pthread_barrier_t barrier;
static uint64_t *rtt;      /* [pair * rounds + r], nanoseconds */
static unsigned failures, timeout_s;
typedef unsigned long long ull;

/* One step of a wait loop: pause, and give the CPU away now and then. */
static inline void relax(unsigned *spins)
{
	if (++*spins < SPIN_LIMIT) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
		return;
	}
	*spins = 0;
	sched_yield();
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- hooks ipc/mailbox.c needs: every core spin-polls, so a kick does nothing ---- */
static __thread unsigned relax_spins;
void ipc_kick(unsigned core) { (void)core; }  /* the endpoint counts kicks (ep.kicks) */
void ipc_relax(void) { relax(&relax_spins); }

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
	unsigned spins = 0;
	if (impl == MUTEX)
		pthread_mutex_lock(&r->mutex);
	else
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
	uint64_t next[CONFIG_MAX_CORES];         /* number expected next (resyncs on error) */
	uint64_t pings, pongs, errors;
	uint64_t t_start, t_end;                 /* throughput phase */
	pthread_t thread;
} __attribute__((aligned(64)));
static struct core cores[CONFIG_MAX_CORES];

static void on_msg(struct core *c, const struct mbox_msg *m)
{
	unsigned from = m->from;
	switch (from >= nthreads || from == c->id ? MSG_NONE : m->type) {
	case MSG_VIRQ:  /* throughput data: numbered per sender, in order */
		if ((m->arg[0] != c->next[from] || m->arg[1] != from) && c->errors++ < 5)
			fprintf(stderr, "thread %u: from %u got #%llu, want #%llu\n", c->id, from,
				(ull)m->arg[0], (ull)c->next[from]);
		c->got[from]++;
		c->next[from] = m->arg[0] + 1;
		break;
	case MSG_PING: {
		struct mbox_msg r = MSG(MSG_PONG, m->arg[0], c->id);
		c->errors += m->arg[0] != c->pings++;
		/* Only one ping is ever outstanding, so a locked reply ring has room. */
		if (impl == LOCKFREE ? mailbox_post(&c->ep, from, &r) != 0 : !lr_push(c->id, from, &r))
			c->errors++;
		break;
	}
	case MSG_PONG:
		c->errors += m->arg[0] != c->pongs++;
		break;
	default:  /* unknown type or impossible sender */
		c->errors++;
	}
}

static void lockfree_handler(struct mbox_endpoint *ep, const struct mbox_msg *m, void *ctx)
{
	(void)ep;  /* the same as ((struct core *)ctx)->ep */
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
		if (j != c->id && c->next[j] < msgs)
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
				struct mbox_msg m = MSG(MSG_VIRQ, sent[j], c->id);
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
		struct mbox_msg m = MSG(MSG_PING, r, c->id);
		unsigned spins = 0;
		uint64_t t0 = now_ns();
		send_msg(c, c->id + 1, &m);
		while (c->pongs <= r)
			if (!poll_inbox(c))
				relax(&spins);
		out[r] = now_ns() - t0;
	}
	return NULL;
}

/* A lost message would leave its receiver waiting forever: give up instead. */
static void watchdog(int sig)
{
	static const char msg[] = "mailbox_bench: run timed out (messages lost?)\n";
	(void)sig;
	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(1);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* One (implementation, threads) run: start the threads, check, report. */
static void run(enum impl which, unsigned n)
{
	static struct mbox_net net;
	impl = which;
	nthreads = n;
	mailbox_net_init(&net, n);
	for (unsigned f = 0; f < CONFIG_MAX_CORES; f++)
		for (unsigned t = 0; t < CONFIG_MAX_CORES; t++)
			lrings[f][t].head = lrings[f][t].tail = lrings[f][t].seq = 0;
	for (unsigned i = 0; i < n; i++) {
		cores[i] = (struct core){ .id = i };
		mailbox_endpoint_init(&cores[i].ep, &net, i, lockfree_handler, &cores[i]);
	}
	alarm(timeout_s);
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
	alarm(0);

	/* Exactly once: every count exact, no bad message seen, every ring empty. */
	uint64_t t0 = UINT64_MAX, t1 = 0, waits = 0, kicks = 0;
	for (unsigned i = 0; i < n; i++) {
		struct core *c = &cores[i];
		for (unsigned j = 0; j < n; j++)
			if (j != i && c->got[j] != msgs)
				FAIL("thread %u got %llu messages from %u, want %llu", i, (ull)c->got[j], j,
				     (ull)msgs);
		if (c->pings + c->pongs != rounds)
			FAIL("thread %u: %llu pings + %llu pongs, want %llu", i, (ull)c->pings,
			     (ull)c->pongs, (ull)rounds);
		if (c->errors || c->ep.seq_errors)
			FAIL("thread %u: %llu bad messages, %llu sequence errors", i, (ull)c->errors,
			     (ull)c->ep.seq_errors);
		bool empty = impl != LOCKFREE || mailbox_idle(&c->ep);
		for (unsigned j = 0; j < n; j++)
			empty &= impl == LOCKFREE || lrings[j][i].head == lrings[j][i].tail;
		if (!empty)
			FAIL("thread %u: messages left over in its inbox", i);
		t0 = c->t_start < t0 ? c->t_start : t0;
		t1 = c->t_end > t1 ? c->t_end : t1;
		waits += c->ep.full_waits;
		kicks += c->ep.kicks;
	}

	uint64_t total = (uint64_t)n * (n - 1) * msgs, samples = (uint64_t)(n / 2) * rounds;
	double secs = (double)(t1 - t0 + 1) / 1e9;
	qsort(rtt, samples, sizeof(*rtt), cmp_u64);
	printf("MAILBOX impl=%s threads=%u msgs_per_s=%llu rtt_ns=%llu rtt_p99_ns=%llu\n", impl_name[impl], n,
	       (ull)((double)total / secs + 0.5), (ull)rtt[samples / 2], (ull)rtt[samples * 99 / 100]);
	fprintf(stderr, "  %s/%u: %llu msgs in %.3f s; rtt p10=%llu p90=%llu ns of %llu; "
		"kicks %llu, full waits %llu\n", impl_name[impl], n, (ull)total, secs,
		(ull)rtt[samples / 10], (ull)rtt[samples * 9 / 10], (ull)samples, (ull)kicks, (ull)waits);
	free(rtt);
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
	timeout_s = 30 + (unsigned)(60 * scale);  /* per run; a run takes ~2 s at scale 1 */
	signal(SIGALRM, watchdog);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned f = 0; f < CONFIG_MAX_CORES; f++)
		for (unsigned t = 0; t < CONFIG_MAX_CORES; t++) {
			atomic_flag_clear(&lrings[f][t].flag);
			pthread_mutex_init(&lrings[f][t].mutex, NULL);
		}

	for (enum impl i = LOCKFREE; i <= MUTEX; i++)
		for (unsigned n = 2; n <= 8; n *= 2)
			run(i, n);
	if (failures)
		fprintf(stderr, "mailbox_bench: %u check(s) failed: messages lost or duplicated\n", failures);
	return failures ? 1 : 0;
}
