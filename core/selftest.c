/*
 * Mailbox self-test at boot: every core PINGs every other core and waits
 * for each PONG; the boot core adds up what was received and checks it.
 */
#include "core/console.h"
#include "core/pcpu.h"

#define SELFTEST_TIMEOUT_S 10

static uint64_t ping_token(unsigned from, unsigned to)
{
	return 0x7e55e7a000000000ull | ((uint64_t)from << 8) | to;
}

static unsigned peers(const struct pcpu *p)
{
	unsigned n = 0;
	for (uint32_t m = p->selftest.cores_mask & ~(1u << p->id); m; m &= m - 1)
		n++;
	return n;
}

void selftest_msg_start(struct pcpu *p, const struct mbox_msg *m)
{
	p->selftest.requested = true;
	p->selftest.boot_core = m->from;
	p->selftest.cores_mask = (uint32_t)m->arg[0];
}

void selftest_msg_ping(struct pcpu *p, const struct mbox_msg *m)
{
	p->selftest.pings_rx++;
	if (m->arg[0] != ping_token(m->from, p->id))
		p->selftest.errors++;
	struct mbox_msg r = { .type = MSG_PONG, .arg = { m->arg[0] } };
	if (mailbox_post(&p->ep, m->from, &r) != 0)
		p->selftest.errors++;
}

void selftest_msg_pong(struct pcpu *p, const struct mbox_msg *m)
{
	p->selftest.pongs_rx++;
	if (m->arg[0] != ping_token(p->id, m->from))
		p->selftest.errors++;
}

void selftest_msg_done(struct pcpu *p, const struct mbox_msg *m)
{
	p->selftest.done_reports++;
	p->selftest.reported_msgs += m->arg[0] + m->arg[1];
	p->selftest.reported_errors += m->arg[2];
}

static bool local_done(struct pcpu *p)
{
	unsigned n = peers(p);
	return p->selftest.pings_rx >= n && p->selftest.pongs_rx >= n;
}

static void send_pings(struct pcpu *p)
{
	for (unsigned c = 0; c < CONFIG_MAX_CORES; c++) {
		if (c == p->id || !(p->selftest.cores_mask & (1u << c)))
			continue;
		struct mbox_msg m = { .type = MSG_PING, .arg = { ping_token(p->id, c) } };
		core_send(p, c, &m);
	}
}

/* A secondary's part, run from its core loop (not from a handler). */
void selftest_run_local(struct pcpu *p)
{
	send_pings(p);
	if (!core_wait(p, local_done, SELFTEST_TIMEOUT_S * core_timebase_hz()))
		log_line("core %u: mailbox self-test timed out: %u pings, %u pongs of %u",
			 p->id, p->selftest.pings_rx, p->selftest.pongs_rx, peers(p));
	struct mbox_msg done = { .type = MSG_SELFTEST_DONE,
				 .arg = { p->selftest.pings_rx, p->selftest.pongs_rx, p->selftest.errors } };
	core_send(p, p->selftest.boot_core, &done);
}

static unsigned expected_reports;

static bool all_reported(struct pcpu *p)
{
	return local_done(p) && p->selftest.done_reports >= expected_reports;
}

int selftest_run_boot(struct pcpu *p, uint32_t cores_mask, unsigned ncores_online)
{
	p->selftest.cores_mask = cores_mask;
	p->selftest.boot_core = p->id;
	expected_reports = ncores_online - 1;
	for (unsigned c = 0; c < CONFIG_MAX_CORES; c++) {
		if (c == p->id || !(cores_mask & (1u << c)))
			continue;
		struct mbox_msg m = { .type = MSG_SELFTEST_START, .arg = { cores_mask } };
		core_send(p, c, &m);
	}
	send_pings(p);
	bool finished = core_wait(p, all_reported, SELFTEST_TIMEOUT_S * core_timebase_hz());

	uint64_t n = ncores_online;
	uint64_t want = 2 * n * (n - 1);
	uint64_t got = p->selftest.pings_rx + p->selftest.pongs_rx + p->selftest.reported_msgs;
	uint64_t errors = p->selftest.errors + p->selftest.reported_errors + p->ep.seq_errors;
	if (finished && got == want && errors == 0) {
		log_line("mailbox: %lu messages ok", (unsigned long)got);
		return 0;
	}
	log_line("mailbox: self-test FAILED: %lu of %lu messages, %lu errors, %u of %u cores reported",
		 (unsigned long)got, (unsigned long)want, (unsigned long)errors,
		 p->selftest.done_reports, expected_reports);
	return -1;
}
