/*
 * The hooks core/ uses to reach the hardware: the only arch header core/
 * includes. Everything CSR-shaped stays behind these functions.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pcpu;

/* The running core's struct pcpu, kept in tp while tessera runs. */
static inline struct pcpu *arch_this_pcpu(void)
{
	struct pcpu *p;
	__asm__ volatile("mv %0, tp" : "=r"(p));
	return p;
}

static inline void arch_relax(void)
{
	__asm__ volatile(".insn i 0x0f, 0, x0, x0, 0x010" ::: "memory");  /* Zihintpause pause */
}

void arch_cpu_init(struct pcpu *p);
void arch_ipi_send(unsigned long hartid);
void arch_ipi_clear(void);
void arch_wait_for_interrupt(void);
uint64_t arch_time_now(void);
void arch_timer_arm(uint64_t deadline);
void arch_timer_disarm(void);
long arch_start_secondary(unsigned long hartid, struct pcpu *p);
/*
 * The boot hart's second-stage translation, probed (not assumed): whether the
 * G-stage mode tessera uses is there, and how many VM ids (VMIDs) the hart
 * has. 0, or negative with a sentence in why. With fewer VMIDs than VMs, the
 * VMs past them share one and the G-stage is fenced when a core switches
 * between them (gstage.c).
 */
int arch_gstage_probe(char *why, size_t whylen);
unsigned arch_gstage_vmid_bits(void);
/* Use at most this many VMID bits (the boot option tessera.shared-vmid: 0, to test the fallback). */
void arch_gstage_limit_vmid_bits(unsigned bits);
const char *arch_strerror(long err);
/* The calls offered to guests are consistent (no two handlers for one call): 0, or -1 and why. */
int arch_hypercalls_check(char *why, size_t whylen);
void arch_early_putc(int c);
__attribute__((noreturn)) void arch_poweroff(bool failure);
__attribute__((noreturn)) void arch_switch_stack(uintptr_t sp, void (*fn)(struct pcpu *), struct pcpu *arg);
__attribute__((noreturn)) void arch_halt(void);

#endif
