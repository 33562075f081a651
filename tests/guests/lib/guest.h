/*
 * Library for tessera's bare-metal test guests: console and printf, trap
 * vector with interrupt handlers, harts, timers, atomics, shutdown.
 *
 * A guest defines `const char guest_name[]` (used in FAIL lines of the
 * library) and `void guest_main(unsigned long hartid)`, which runs on the
 * boot hart (slot 0); when it returns the guest shuts down.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "layout.h"
#include "sbi.h"

extern const char guest_name[];
void guest_main(unsigned long hartid);
extern unsigned long guest_boot_dtb;   /* a1 at boot: the DTB tessera gave, or 0 */
/* instret at the boot hart's first instruction (under icount: instructions since QEMU started) */
extern unsigned long guest_entry_instret;

/* ---- CSRs (names or numbers; macros such as CSR_STIMECMP expand) ---- */
#define __csr_str(x) #x
#define csr_read(csr) ({ unsigned long __v; \
	asm volatile("csrr %0, " __csr_str(csr) : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, v) asm volatile("csrw " __csr_str(csr) ", %0" :: "rK"(v) : "memory")
#define csr_set(csr, v)   asm volatile("csrs " __csr_str(csr) ", %0" :: "rK"(v) : "memory")
#define csr_clear(csr, v) asm volatile("csrc " __csr_str(csr) ", %0" :: "rK"(v) : "memory")

#define CSR_STIMECMP 0x14d
#define SSTATUS_SIE  (1UL << 1)
#define IRQ_S_SOFT   1
#define IRQ_S_TIMER  5
#define IRQ_S_EXT    9
#define SIP_SSIP     (1UL << IRQ_S_SOFT)
#define SIE_SSIE     (1UL << IRQ_S_SOFT)
#define SIE_STIE     (1UL << IRQ_S_TIMER)
#define SIE_SEIE     (1UL << IRQ_S_EXT)
#define SCAUSE_IRQ   (1UL << 63)
#define SCAUSE_ILLEGAL_INSN 2

static inline void irq_enable(void)  { csr_set(sstatus, SSTATUS_SIE); }
static inline void irq_disable(void) { csr_clear(sstatus, SSTATUS_SIE); }
static inline void wfi(void) { asm volatile("wfi" ::: "memory"); }
static inline void cpu_relax(void) { asm volatile("nop; nop; nop; nop" ::: "memory"); }

/*
 * Race-free wait for an interrupt: with SIE off, WFI still wakes when an
 * interrupt enabled in sie is pending; the short SIE window then takes it.
 * Call with SIE off.
 */
static inline void wfi_then_take_irqs(void)
{
	wfi();
	irq_enable();
	irq_disable();
}

/* ---- time: QEMU virt's timebase is 10 MHz (the `time` CSR) ---- */
#define GUEST_TIMEBASE_HZ 10000000UL
#define TICKS_PER_MS      (GUEST_TIMEBASE_HZ / 1000)
#define TICKS_PER_US      (GUEST_TIMEBASE_HZ / 1000000)
#define WAIT_TIMEOUT      (5 * GUEST_TIMEBASE_HZ)     /* 5 s per wait */

static inline unsigned long rdtime(void)
{
	unsigned long t;
	asm volatile("rdtime %0" : "=r"(t));
	return t;
}
/* Busy-waits (leaves the timer alone). */
void guest_delay(unsigned long ticks);
/*
 * The waits below WFI in naps of NAP_TICKS on the SBI timer (see
 * guest_nap in trap.c): do not use them while the test has its own timer
 * deadline armed.
 */
#define NAP_TICKS (50 * TICKS_PER_US)
void guest_nap(unsigned long ticks);
void guest_sleep(unsigned long ticks);

/* ---- atomics (A extension through the __atomic builtins) ---- */
typedef struct { volatile int v; } guest_lock_t;
#define GUEST_LOCK_INIT { 0 }

static inline void spin_lock(guest_lock_t *l)
{
	while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->v, __ATOMIC_RELAXED))
			cpu_relax();
}
static inline int spin_trylock(guest_lock_t *l)
{
	return __atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE) == 0;
}
static inline void spin_unlock(guest_lock_t *l)
{
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}
static inline int atomic_add(volatile int *p, int v)   /* returns the new value */
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}
static inline int atomic_load(volatile int *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void atomic_store(volatile int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline unsigned long atomic_load_ul(volatile unsigned long *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void atomic_store_ul(volatile unsigned long *p, unsigned long v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Waits until *p >= v (0) or the timeout in ticks passes (-1); naps. */
int guest_wait_ge(volatile int *p, int v, unsigned long timeout);

/* ---- console ---- */
int  guest_has_dbcn(void);
void guest_console_write(const char *s, unsigned long n);
void guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void guest_vprintf(const char *fmt, va_list ap);
int  guest_snprintf(char *buf, unsigned long size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prints "FAIL <guest_name>: <msg>" and shuts down (from any hart). */
void guest_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* ---- power ---- */
void guest_shutdown(void) __attribute__((noreturn));
struct sbiret guest_reboot_warm(void);     /* returns only on failure */

/* ---- traps and interrupts ---- */
struct trap_frame {
	unsigned long ra, t0, t1, t2;
	unsigned long a[8];
	unsigned long t3, t4, t5, t6;
	unsigned long sepc, sstatus;
};
typedef void (*irq_handler_t)(void);
/* irq = IRQ_S_SOFT, IRQ_S_TIMER or IRQ_S_EXT; shared by all harts */
void guest_set_irq_handler(unsigned int irq, irq_handler_t h);
/* Runs fn() with illegal-instruction traps caught; returns 1 if one was. */
int guest_try_illegal(void (*fn)(void));
/* Runs fn() with every exception caught (the faulting instruction skipped): its scause, or 0. */
unsigned long guest_try_exception(void (*fn)(void));

/* ---- harts ---- */
struct hart_local {
	unsigned long hartid;
	void (*entry)(unsigned long hartid);
	volatile int expect_illegal;
	volatile int caught_illegal;
	volatile int expect_any;             /* guest_try_exception */
	volatile unsigned long caught_cause; /* its scause, 0 if none */
	int used;
};
extern struct hart_local guest_hart_local[GUEST_MAX_HARTS];

static inline unsigned long guest_slot(void)
{
	unsigned long s;
	asm volatile("mv %0, tp" : "=r"(s));
	return s;
}
static inline unsigned long guest_hartid(void)
{
	return guest_hart_local[guest_slot()].hartid;
}

int guest_has_tessera(void);       /* vendor extension present */
/*
 * Hart ids of this machine/VM, boot hart included (at most GUEST_MAX_HARTS).
 * Under tessera: 0..vm_info(NR_VCPUS)-1; else the ids 0..31 for which
 * hart_get_status succeeds.
 */
int guest_count_harts(unsigned long ids[GUEST_MAX_HARTS]);
/* A hart id below 64 that does not exist here (hart_get_status = -3). */
unsigned long guest_invalid_hartid(void);
/*
 * r is the result of a call whose hart mask names a hart that does not
 * exist: it must be SBI_ERR_INVALID_PARAM.  OpenSBI 1.1 ignores such harts
 * and returns SBI_SUCCESS: without tessera that is one SKIP line, not FAIL.
 */
void guest_expect_invalid_mask(struct sbiret r, const char *what);
/* Starts hartid at fn (on its own slot and stack) through HSM hart_start.
 * When fn returns the hart stops itself with hart_stop. */
struct sbiret guest_hart_start(unsigned long hartid, void (*fn)(unsigned long hartid));
/* Slot of a hart id (-1 if it never ran here). */
int guest_slot_of(unsigned long hartid);
/* Stops the calling hart (HSM hart_stop); never returns. */
void guest_hart_stop_self(void) __attribute__((noreturn));
/* Waits until every hart in ids[] but the caller is STOPPED, else FAIL. */
void guest_join_harts(const unsigned long *ids, int n);
/* Waits until hart_get_status(hartid) == state (0 ok, -1 timeout); naps. */
int guest_wait_hart_status(unsigned long hartid, long state, unsigned long timeout);

/* ---- timer ---- */
int  guest_has_sstc(void);          /* probes stimecmp once (cached) */
void guest_sstc_set(unsigned long deadline);

/* ---- library internals ---- */
void guest_console_init(void);
void guest_trap_dispatch(struct trap_frame *f);
void guest_boot_entry(unsigned long hartid, unsigned long dtb) __attribute__((noreturn));
void guest_secondary_entry(unsigned long hartid, unsigned long slot) __attribute__((noreturn));
extern char guest_trap_vector[], guest_secondary_start[];

/* ---- string.c ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t strlen(const char *s);
int memcmp(const void *a, const void *b, size_t n);
int strcmp(const char *a, const char *b);

/* ---- bootargs.c: /chosen/bootargs of the boot DTB ---- */
const char *guest_bootargs(void);
/* "key=value" in the bootargs: value copied into buf, "" if absent */
const char *guest_bootarg(const char *key, char *buf, unsigned long len);
unsigned long guest_bootarg_num(const char *key, unsigned long dflt);

#endif
