/*
 * The interrupt controllers of RISC-V machines tessera drives, and what each
 * supplies (private to arch/riscv64/irqc/). The host tree decides which one
 * is in use: the PLIC, or the AIA (an APLIC in MSI mode and IMSIC interrupt
 * files). VMs get the virtual counterpart of the host's (docs/irqc.md).
 */
#ifndef ARCH_IRQC_MODELS_H
#define ARCH_IRQC_MODELS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "partition/irqc_dt.h"

enum irqc_model { IRQC_NONE, IRQC_PLIC, IRQC_AIA, IRQC_MODELS };

/* The device-tree side of one controller (irqc_dt.c picks it). */
struct irqc_dt_ops {
	const char *host_what, *guest_what;
	int (*host_node)(const void *fdt);
	int (*read_host)(const void *fdt, int node, struct host_platform *p, char *err, size_t errlen);
	int (*guest_node)(void *fdt, const struct irqc_dt_guest *g);
	void (*guest_node_name)(const struct irqc_dt_guest *g, char *buf, size_t len);
	int (*device_interrupts)(void *fdt, const uint32_t *lines, unsigned n);
};
extern const struct irqc_dt_ops plic_dt_ops, aia_dt_ops;

/* The host side of one controller (hostirq.c picks it): core/irqc.h's hostirq_*. */
struct hostirq_ops {
	bool (*init)(const struct host_platform *h);
	void (*log_banner)(const struct host_platform *h);
	bool (*has_source)(uint32_t src);
	int (*core_init)(const struct host_platform *h, unsigned long hartid);
	void (*prepare)(uint32_t src);
	void (*enable)(int ctx, uint32_t src, bool on);
	bool (*pending)(void);
	uint32_t (*claim)(int ctx);
	void (*complete)(int ctx, uint32_t src);
	int (*own)(int ctx, uint32_t src);
};
extern const struct hostirq_ops plic_host_ops, aplic_host_ops;

/* The virtual side (virqc.c picks the host's counterpart): core/irqc.h's virqc_*. */
struct vm;
struct vcpu;
struct virqc_ops {
	unsigned lines;
	int (*create)(struct vm *vm, bool lines, char *err, unsigned errlen);
	void (*describe)(const struct vm *vm, struct irqc_dt_guest *g);
	void (*reset)(struct vm *vm);
	void (*set_level)(struct vcpu *self, unsigned line, bool level);
	void (*raise)(struct vm *vm, unsigned line);
	void (*route_host)(struct vm *vm, unsigned line, uint32_t host);
	void (*host_raise)(struct vm *vm, unsigned line);
};
extern const struct virqc_ops vplic_ops, vaplic_ops;
/* The model VMs get; set by hostirq_init. */
extern enum irqc_model virqc_model;

/* The VM's controller lock: its vCPUs on any core take it, never across a mailbox send. */
struct virqc;
void virqc_lock(struct virqc *p);
void virqc_unlock(struct virqc *p);

/*
 * Software interrupt files (vimsic.c), for the vCPUs of an AIA VM whose hart
 * has no guest file left. vimsic_send needs the VM's lock; the wake-ups it
 * gathers go out with vimsic_unlock_kick.
 */
void vimsic_send(struct vm *vm, unsigned hart, unsigned eiid);
void vimsic_unlock_kick(struct vm *vm, const struct vcpu *self);
int vimsic_add_window(struct vm *vm, uint64_t gpa, char *err, unsigned errlen);
/* A CSR read-modify-write: the old value out; if write, new = (old & ~clear) | set. */
struct csr_rmw {
	bool write;
	unsigned long set, clear, old;
};
/* The guest's sireg (at its siselect sel) or stopei: 0, or E_INVAL (an illegal instruction). */
int vimsic_sireg(struct vcpu *v, unsigned long sel, struct csr_rmw *op);
int vimsic_stopei(struct vcpu *v, struct csr_rmw *op);

/* The host APLIC, for the virtual one's passed-through lines (aplic.c). */
void aplic_source_mode(uint32_t src, uint32_t mode);
void aplic_target(uint32_t src, unsigned hart_index, unsigned file, uint32_t eiid);
void aplic_enable(uint32_t src, bool on);
void aplic_set_pending(uint32_t src, bool on);
bool aplic_pending(uint32_t src);
bool aplic_input(uint32_t src);

/* Guest interrupt files of this hart's IMSIC (imsic.c). */
unsigned imsic_guest_files(void);                       /* GEILEN: files 1..GEILEN */
uintptr_t imsic_file_address(const struct host_platform *h, unsigned core, unsigned file);
/* tessera's IPIs through the harts' supervisor files (imsic_ipi.c), on an AIA host. */
extern bool imsic_ipis;
void imsic_ipis_init(const struct host_platform *h);
void imsic_ipis_core_init(void);
bool imsic_ipi_send(unsigned long hartid);   /* false: not on this host, use SBI */
void imsic_ipi_clear(void);
/* tessera's own device interrupt on this hart (the console UART): its identity in the S-file. */
unsigned imsic_own_enable(void);
bool imsic_own_take(void);   /* it came since the last call */
/* A vCPU's own file (arch_vcpu.vgein), on its hart: vcpu.c. */
struct arch_vcpu;
void imsic_file_reset(const struct arch_vcpu *a);
void imsic_file_load(const struct arch_vcpu *a);
void imsic_file_put(const struct arch_vcpu *a);
bool imsic_file_pending(const struct arch_vcpu *a);
#endif
