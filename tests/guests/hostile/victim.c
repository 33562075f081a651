/*
 * victim: runs beside a hostile VM (tests/qemu/hostile-scenarios.sh). Fills
 * 1 MiB of its memory with a pattern and keeps a checksum of it, then beats:
 * every 5 ms its SBI timer wakes it; each wake-up's delay past the deadline
 * is measured. Every 50 beats it checks the memory and prints a heartbeat.
 * Ends with "PASS victim: <n> heartbeats, memory intact, worst timer delay
 * <us> us" — or FAIL if its memory changed.
 *
 * With "share=MS" it is CPU-bound instead: for MS ms it reads the time in a
 * tight loop; a step longer than RUN_STEP means it was not running (another
 * vCPU had the core, or tessera did), shorter steps add up to the time it
 * ran. It prints its share of the core (run on a shared core under
 * -icount, where time advances with the instructions executed).
 */
#include "guest.h"

const char guest_name[] = "victim";

#define AREA_WORDS ((1u << 20) / 8)
#define PERIOD     (5 * TICKS_PER_MS)

static uint64_t area[AREA_WORDS];
static volatile unsigned long fired_at;

static uint64_t checksum(void)
{
	uint64_t s = 0;
	for (unsigned i = 0; i < AREA_WORDS; i++)
		s = (s ^ area[i]) * 0x100000001b3ull;
	return s;
}

static void on_timer(void)
{
	fired_at = rdtime();
	sbi_set_timer(~0UL);
}

#define RUN_STEP (2 * TICKS_PER_US)   /* the loop takes well under 1 us per round */

static void measure_share(unsigned long ms)
{
	/* asleep, so that under -icount the other cores get going first */
	guest_sleep(guest_bootarg_num("after", 0) * TICKS_PER_MS);
	unsigned long start = rdtime(), last = start, now, ran = 0, longest = 0, waits = 0;
	while ((now = rdtime()) - start < ms * TICKS_PER_MS) {
		unsigned long step = now - last;
		if (step < RUN_STEP)
			ran += step;
		else if (++waits && step > longest)
			longest = step;
		last = now;
	}
	unsigned long permille = ran * 1000 / (now - start);
	guest_printf("victim: cpu share %lu.%lu%% of the core over %lu ms, %lu waits, longest %lu us\n",
		     permille / 10, permille % 10, ms, waits, longest / TICKS_PER_US);
	guest_printf("PASS victim: cpu share measured\n");
}

void guest_main(unsigned long hartid)
{
	(void)hartid;
	char arg[16];
	if (guest_bootarg_num("share", 0)) {
		measure_share(guest_bootarg_num("share", 0));
		return;
	}
	int beats = 400;
	if (guest_bootarg("beats", arg, sizeof(arg))[0]) {
		beats = 0;
		for (const char *c = arg; *c >= '0' && *c <= '9'; c++)
			beats = beats * 10 + (*c - '0');
	}
	for (unsigned i = 0; i < AREA_WORDS; i++)
		area[i] = (uint64_t)i * 0x9e3779b97f4a7c15ull;
	uint64_t sum = checksum();
	guest_set_irq_handler(IRQ_S_TIMER, on_timer);
	csr_set(sie, SIE_STIE);
	unsigned long worst = 0;
	for (int b = 1; b <= beats; b++) {
		unsigned long deadline = rdtime() + PERIOD;
		fired_at = 0;
		sbi_set_timer(deadline);
		while (!fired_at)
			wfi_then_take_irqs();
		if (fired_at - deadline > worst)
			worst = fired_at - deadline;
		if (b % 50 == 0) {
			if (checksum() != sum)
				guest_fail("memory changed under the victim (beat %d)", b);
			guest_printf("victim: heartbeat %d, memory intact\n", b);
		}
	}
	if (checksum() != sum)
		guest_fail("memory changed under the victim");
	guest_printf("PASS victim: %d heartbeats, memory intact, worst timer delay %lu us\n", beats,
		     worst / TICKS_PER_US);
}
