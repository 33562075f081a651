/*
 * Ticket lock for tessera-internal state that is neither per-core nor on a
 * vCPU's exit path (the console). Never used by ipc/.
 */
#ifndef CORE_SPINLOCK_H
#define CORE_SPINLOCK_H
#include <stdatomic.h>
#include <arch/cpu.h>

struct ticket_lock {
	_Atomic unsigned next, owner;
};

static inline void ticket_lock_acquire(struct ticket_lock *l)
{
	unsigned me = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);
	while (atomic_load_explicit(&l->owner, memory_order_acquire) != me)
		arch_relax();
}

static inline void ticket_lock_release(struct ticket_lock *l)
{
	atomic_store_explicit(&l->owner, atomic_load_explicit(&l->owner, memory_order_relaxed) + 1,
			      memory_order_release);
}
#endif
