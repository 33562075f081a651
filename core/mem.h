/* Host RAM handed out at boot: VM memory and page tables. No freeing of fragments. */
#ifndef CORE_MEM_H
#define CORE_MEM_H
#include <stdint.h>
#include "partition/hostdt.h"

int mem_init(const struct host_platform *plat);
int mem_reserve(uint64_t base, uint64_t size);
uintptr_t mem_alloc(uint64_t size, uint64_t align);   /* 0 if there is no room */
uintptr_t mem_alloc_page(void);                       /* a zeroed 4 KiB page, or 0 */
uint64_t mem_free_bytes(void);
#endif
