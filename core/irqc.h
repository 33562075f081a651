/*
 * Interrupt controllers as core/ sees them (docs/irqc.md). core/ speaks of
 * "line N of VM V" and of host interrupt sources; the controller that serves
 * them is arch code (arch/<arch>/irqc/), the one the host tree describes.
 * Declared here, owned by core/, implemented once per controller.
 */
#ifndef CORE_IRQC_H
#define CORE_IRQC_H
#include <stdbool.h>
#include <stdint.h>

struct host_platform;
struct irqc_dt_guest;
struct vcpu;
struct vm;

/* ---- the virtual controller of one VM ---- */

/* Lines 1 .. virqc_lines() - 1 exist; 0 means none. */
unsigned virqc_lines(void);
/*
 * Give vm its controller if it needs one (lines: it has devices with
 * interrupts; a controller that also carries the vCPUs' own interrupts may
 * give one regardless): emulated windows in its address space, which must not
 * meet its memory or devices (the message names the field).
 */
int virqc_create(struct vm *vm, bool lines, char *err, unsigned errlen);
/* The controller as the VM's generated tree shows it (size 0: the VM has none). */
void virqc_describe(const struct vm *vm, struct irqc_dt_guest *g);
/* Power-on state (a reboot); lines that carry host interrupts stay so. */
void virqc_reset(struct vm *vm);
/* A device a vCPU emulates drives line to level (self notices by itself). */
void virqc_set_level(struct vcpu *self, unsigned line, bool level);
/* Line goes high from outside the VM's vCPUs (console input). */
void virqc_raise(struct vm *vm, unsigned line);
/* Line carries host interrupt source host: pending from each claim until the guest completes it. */
void virqc_route_host(struct vm *vm, unsigned line, uint32_t host);
void virqc_host_raise(struct vm *vm, unsigned line);

/*
 * ---- the host controller: tessera's own cores, passed-through sources only ----
 * ctx is a core's context from the host tree. A core writes only its own
 * context's enables; any core may complete.
 */

/* Boot core, before any VM: false if the machine has no controller tessera drives. */
bool hostirq_init(const struct host_platform *h);
void hostirq_log_banner(const struct host_platform *h);   /* its line of the boot banner */
bool hostirq_has_source(uint32_t src);
/* The context of the core on hart hartid, every source off in it; -1: none. */
int hostirq_core_init(const struct host_platform *h, unsigned long hartid);
void hostirq_prepare(uint32_t src);             /* once, at boot: it may interrupt */
void hostirq_enable(int ctx, uint32_t src, bool on);
bool hostirq_pending(void);                     /* this core's external interrupt is up */
uint32_t hostirq_claim(int ctx);                /* 0: nothing */
void hostirq_complete(int ctx, uint32_t src);
/*
 * src interrupts tessera itself, on the core whose context is ctx (the
 * console UART's input): claimed and completed there like a passed-through
 * source. 0, or E_NOSUPP: this controller cannot (the caller polls).
 */
int hostirq_own(int ctx, uint32_t src);
#endif
