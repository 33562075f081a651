/*
 * Trap dispatch: interrupts go to the registered handlers; an expected
 * illegal instruction (guest_try_illegal) is skipped; anything else is a
 * FAIL line and a shutdown.  Also the Sstc probe and time helpers.
 */
#include "guest.h"

static volatile irq_handler_t irq_handlers[16];

void guest_set_irq_handler(unsigned int irq, irq_handler_t h)
{
	if (irq < 16)
		irq_handlers[irq] = h;
	asm volatile("fence rw, rw" ::: "memory");
}

void guest_trap_dispatch(struct trap_frame *f)
{
	unsigned long cause = csr_read(scause);
	struct hart_local *me = &guest_hart_local[guest_slot()];

	if (cause & SCAUSE_IRQ) {
		unsigned long code = cause & ~SCAUSE_IRQ;
		irq_handler_t h = code < 16 ? irq_handlers[code] : 0;
		if (!h)
			guest_fail("unexpected interrupt scause=0x%lx sepc=0x%lx on hart %lu",
				   cause, f->sepc, me->hartid);
		h();
		return;
	}
	if (me->expect_any) {
		unsigned short insn = *(volatile unsigned short *)f->sepc;
		me->caught_cause = cause;
		f->sepc += (insn & 3) == 3 ? 4 : 2;
		return;
	}
	if (cause == SCAUSE_ILLEGAL_INSN && me->expect_illegal) {
		unsigned short insn = *(volatile unsigned short *)f->sepc;
		me->caught_illegal = 1;
		f->sepc += (insn & 3) == 3 ? 4 : 2;
		return;
	}
	guest_fail("unexpected exception scause=0x%lx sepc=0x%lx stval=0x%lx",
		   cause, f->sepc, csr_read(stval));
}

int guest_try_illegal(void (*fn)(void))
{
	struct hart_local *me = &guest_hart_local[guest_slot()];

	me->caught_illegal = 0;
	me->expect_illegal = 1;
	asm volatile("" ::: "memory");
	fn();
	asm volatile("" ::: "memory");
	me->expect_illegal = 0;
	return me->caught_illegal;
}

unsigned long guest_try_exception(void (*fn)(void))
{
	struct hart_local *me = &guest_hart_local[guest_slot()];

	me->caught_cause = 0;
	me->expect_any = 1;
	asm volatile("" ::: "memory");
	fn();
	asm volatile("" ::: "memory");
	me->expect_any = 0;
	return me->caught_cause;
}

/* ---- Sstc ---- */
static volatile int sstc_state;   /* 0 unknown, 1 present, 2 absent */

static void write_stimecmp_max(void)
{
	csr_write(CSR_STIMECMP, -1UL);
}

int guest_has_sstc(void)
{
	if (!sstc_state)
		sstc_state = guest_try_illegal(write_stimecmp_max) ? 2 : 1;
	return sstc_state == 1;
}

void guest_sstc_set(unsigned long deadline)
{
	csr_write(CSR_STIMECMP, deadline);
}

/* ---- time ---- */
void guest_delay(unsigned long ticks)
{
	unsigned long start = rdtime();
	while (rdtime() - start < ticks)
		cpu_relax();
}

/*
 * WFI until the SBI timer set to now + ticks fires, or an interrupt enabled
 * in sie is pending.  Interrupts are not taken during the nap (SIE off; the
 * pending timer is cleared with set_timer(-1)), so no timer handler is
 * needed; the caller's sie and SIE are restored, and with them any other
 * pending interrupt is taken.  A waiting hart thus lets the others run
 * (QEMU halts a hart in WFI; under -icount a spinning one would hold the
 * round-robin for 100 ms slices).
 */
void guest_nap(unsigned long ticks)
{
	unsigned long sstatus = csr_read(sstatus);

	irq_disable();
	unsigned long sie = csr_read(sie);
	csr_set(sie, SIE_STIE);
	sbi_set_timer(rdtime() + ticks);
	wfi();
	sbi_set_timer(-1UL);
	csr_write(sie, sie);
	if (sstatus & SSTATUS_SIE)
		irq_enable();
}

void guest_sleep(unsigned long ticks)
{
	unsigned long start = rdtime(), now;

	while ((now = rdtime()) - start < ticks)
		guest_nap(ticks - (now - start));
}

int guest_wait_ge(volatile int *p, int v, unsigned long timeout)
{
	unsigned long start = rdtime();
	while (atomic_load(p) < v) {
		if (rdtime() - start > timeout)
			return atomic_load(p) >= v ? 0 : -1;
		guest_nap(NAP_TICKS);
	}
	return 0;
}
