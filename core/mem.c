/*
 * Free host RAM as a short list of ranges: RAM from the device tree minus
 * everything reserved (firmware, tessera, the DTB, the VM package). All
 * allocation happens while VMs are built; nothing runs concurrently with it.
 */
#include <string.h>
#include "core/mem.h"

#define MEM_MAX_RANGES 32

struct range {
	uint64_t base, size;
};
static struct range free_ranges[MEM_MAX_RANGES];
static unsigned nfree;

static int add_range(uint64_t base, uint64_t size)
{
	if (!size)
		return 0;
	if (nfree == MEM_MAX_RANGES)
		return -1;
	free_ranges[nfree++] = (struct range){ base, size };
	return 0;
}

int mem_init(const struct host_platform *plat)
{
	nfree = 0;
	for (unsigned i = 0; i < plat->nram; i++)
		if (add_range(plat->ram[i].base, plat->ram[i].size))
			return -1;
	for (unsigned i = 0; i < plat->nreserved; i++)
		if (mem_reserve(plat->reserved[i].base, plat->reserved[i].size))
			return -1;
	return 0;
}

/* Cut [base, base+size) out of every free range it touches. */
int mem_reserve(uint64_t base, uint64_t size)
{
	uint64_t end = base + size;
	for (unsigned i = 0; i < nfree; i++) {
		struct range r = free_ranges[i];
		uint64_t rend = r.base + r.size;
		if (end <= r.base || base >= rend)
			continue;
		free_ranges[i] = free_ranges[--nfree];
		if (add_range(r.base, base > r.base ? base - r.base : 0) ||
		    add_range(end, rend > end ? rend - end : 0))
			return -1;
		i--;   /* the slot now holds another range: look at it again */
	}
	return 0;
}

uintptr_t mem_alloc(uint64_t size, uint64_t align)
{
	for (unsigned i = 0; i < nfree; i++) {
		struct range r = free_ranges[i];
		uint64_t start = (r.base + align - 1) & ~(align - 1);
		if (start < r.base || start + size > r.base + r.size || start + size < start)
			continue;
		if (mem_reserve(start, size))
			return 0;
		return (uintptr_t)start;
	}
	return 0;
}

uintptr_t mem_alloc_page(void)
{
	uintptr_t p = mem_alloc(4096, 4096);
	if (p)
		memset((void *)p, 0, 4096);
	return p;
}

uint64_t mem_free_bytes(void)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < nfree; i++)
		total += free_ranges[i].size;
	return total;
}
