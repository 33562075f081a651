/*
 * What the benchmark guests share (tests/bench/bench.c, bench_aia.c): the
 * sample buffer and the report line tools/bench reads,
 *   BENCH <name> <unit> median=<m> min=<m> p99=<p> n=<n>
 */
#ifndef TESSERA_BENCH_H
#define TESSERA_BENCH_H
#include "guest.h"

#define ITER 1000

static unsigned long samples[ITER];

static inline void bench_sort(unsigned long *s, int n)
{
	for (int gap = n / 2; gap > 0; gap /= 2)
		for (int i = gap; i < n; i++)
			for (int j = i; j >= gap && s[j - gap] > s[j]; j -= gap) {
				unsigned long t = s[j];
				s[j] = s[j - gap];
				s[j - gap] = t;
			}
}

static inline void bench_report(const char *name, const char *unit, int n)
{
	bench_sort(samples, n);
	guest_printf("BENCH %s %s median=%lu min=%lu p99=%lu n=%d\n", name, unit, samples[n / 2],
		     samples[0], samples[(n * 99) / 100], n);
}

/* sbi_send_ipi(mask, base 0) */
static inline long bench_send_ipi(unsigned long mask)
{
	register unsigned long r0 asm("a0") = mask, r1 asm("a1") = 0, r6 asm("a6") = 0,
				   r7 asm("a7") = SBI_EXT_IPI;
	asm volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r6), "r"(r7) : "memory");
	return (long)r0;
}
#endif
