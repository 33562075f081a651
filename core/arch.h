/*
 * The contract between core/ and an architecture (interrupt controllers: core/irqc.h):
 * every hook core/ calls, declared here and owned by core/. An architecture
 * implements them in arch/<arch>/ and supplies, in arch/<arch>/include/arch/,
 * only types and inlines: struct arch_vcpu, struct arch_vm, struct
 * mmio_access, enum arch_irq, enum arch_rfence_kind (<arch/vcpu.h>),
 * arch_this_pcpu and arch_relax (<arch/cpu.h>). core/ names no CSR, no SBI
 * or PSCI constant, and contains no assembly.
 */
#ifndef CORE_ARCH_H
#define CORE_ARCH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arch_vcpu;
struct arch_vm;
struct mmio_access;
struct pcpu;
struct vcpu_exit;

/* ---- the core's hart ---- */
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
/* Its name in the boot banner ("g-stage  Sv39x4": label, two spaces, what). */
const char *arch_gstage_name(void);
/* Whether the boot hart can host VMs at all (RISC-V: the H extension): 0, or negative and why. */
struct host_platform;
int arch_cpu_can_host(const struct host_platform *p, char *why, size_t whylen);
/* The boot hart's line of the boot banner (its id and what it is). */
void arch_log_boot_cpu(const struct host_platform *p);
/* The counter's frequency when the host tree gives none (Arm: CNTFRQ); 0 if the tree must. */
uint64_t arch_counter_hz(void);
/* What arch_early_putc writes to, for the boot log ("SBI"; "nothing"). */
const char *arch_early_console_name(void);
unsigned arch_gstage_vmid_bits(void);
/* Use at most this many VMID bits (the boot option tessera.shared-vmid: 0, to test the fallback). */
void arch_gstage_limit_vmid_bits(unsigned bits);
const char *arch_strerror(long err);
/* The config fields this architecture gives meaning to (partition/vmcfg_arch.h): 0, or negative and why. */
struct vmcfg;
int arch_check_vmcfg(const struct vmcfg *c, char *err, size_t errlen);
/* The calls offered to guests are consistent (no two handlers for one call): 0, or -1 and why. */
int arch_hypercalls_check(char *why, size_t whylen);
void arch_early_putc(int c);
/*
 * Zero [dst, dst + n) of RAM, dst and n multiples of 4096 (a VM's memory
 * before it boots: docs/performance.md): the fastest stores the hart has.
 */
void arch_zero_pages(void *dst, size_t n);
__attribute__((noreturn)) void arch_poweroff(bool failure);
__attribute__((noreturn)) void arch_switch_stack(uintptr_t sp, void (*fn)(struct pcpu *), struct pcpu *arg);
__attribute__((noreturn)) void arch_halt(void);

/* ---- a vCPU on its core ---- */
void arch_vcpu_reset(struct arch_vcpu *a, uint64_t entry, unsigned long a0, unsigned long a1);
void arch_vcpu_load(struct arch_vcpu *a, const struct arch_vm *vm);
void arch_vcpu_put(struct arch_vcpu *a);
void arch_vcpu_inject(struct arch_vcpu *a, unsigned virqs, bool loaded);
/* The external interrupt line from the VM's interrupt controller (a level, not an event). */
void arch_vcpu_set_ext(struct arch_vcpu *a, bool level, bool loaded);
/* Whether WFI in the guest exits to tessera (else the hart itself waits for an interrupt). */
void arch_vcpu_trap_wfi(struct arch_vcpu *a, bool trap);
bool arch_vcpu_irq_pending(const struct arch_vcpu *a, bool loaded, uint64_t now);
uint64_t arch_vcpu_timer_deadline(const struct arch_vcpu *a, bool loaded);
/* The guest's timer deadline when tessera must serve it (no timer in hardware: no Sstc); else UINT64_MAX. */
uint64_t arch_vcpu_emulated_deadline(const struct arch_vcpu *a, const struct arch_vm *vm);
bool arch_vcpu_timer_check(struct arch_vcpu *a);
void arch_guest_enter(struct arch_vcpu *a);
/* arch_vcpu_decode_exit(a, e): the trap into e, once; static inline in <arch/vcpu.h> (the exit path's first step). */
/* The guest sees an illegal-instruction exception at its pc (vCPU must be loaded). */
void arch_vcpu_inject_illegal(struct arch_vcpu *a, unsigned long insn);
/* EXIT_SYSREG (e->addr: the instruction): emulated and the pc moved on: 0; negative: an illegal instruction. */
struct vcpu;
int arch_emulate_sysreg(struct vcpu *v, const struct vcpu_exit *e);
/* A trapped load or store to emulate (mmio.c, insn.c): 0, or negative (arch_mmio_strerror). */
int arch_mmio_decode(struct arch_vcpu *a, struct mmio_access *m);   /* may memoise the decode in a */
const char *arch_mmio_strerror(int rc);
bool arch_read_guest_insn(unsigned long pc, unsigned long *insn);
uint64_t arch_mmio_store_value(const struct arch_vcpu *a, const struct mmio_access *m);
void arch_mmio_complete(struct arch_vcpu *a, const struct mmio_access *m, uint64_t loaded);
/* ---- a VM's second-stage translation ---- */
typedef uintptr_t (*arch_page_alloc_fn)(void);   /* returns a zeroed 4 KiB page or 0 */
int arch_vm_init(struct arch_vm *vm, unsigned vmid, uintptr_t root16k);
/* What a mapping is: RAM (cacheable) or a device's registers; executable or not. */
enum arch_map_kind { ARCH_MAP_RAM_X, ARCH_MAP_RAM_NX, ARCH_MAP_DEVICE };
int arch_vm_map(struct arch_vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, enum arch_map_kind kind,
		arch_page_alloc_fn alloc);
int arch_vm_translate(const struct arch_vm *vm, uint64_t gpa, uint64_t *hpa);
void arch_flush_guest_tlb(void);
/* The fences on this core for the VM: instruction fetch, and its VS-stage translations. */
void arch_rfence(const struct arch_vm *vm, unsigned kinds);
#endif
