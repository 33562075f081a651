/*
 * victim: runs beside a hostile VM (tests/qemu/hostile-scenarios.sh). Fills
 * 1 MiB of its memory with a pattern and keeps a checksum of it, then beats:
 * every 5 ms its SBI timer wakes it; each wake-up's delay past the deadline
 * is measured. Every 50 beats it checks the memory and prints a heartbeat.
 * Ends with "PASS victim: <n> heartbeats, memory intact, worst timer delay
 * <us> us" — or FAIL if its memory changed.
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

void guest_main(unsigned long hartid)
{
	(void)hartid;
	char arg[16];
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
