/* A VM (partition): its memory, its vCPUs and its lifecycle. */
#ifndef CORE_VM_H
#define CORE_VM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <arch/irqc.h>
#include <arch/vcpu.h>
#include "core/exit.h"
#include "core/vdev.h"
#include "ipc/msg.h"
#include "partition/irqmap.h"
#include "partition/vmconfig.h"

#define VM_MAX 8
#define VM_DTB_MAX (64 * 1024)   /* room for a generated device tree */
#define VM_MAX_REGIONS (VMCFG_MAX_MEM)

enum vm_state { VM_EMPTY, VM_RUNNING, VM_STOPPING, VM_REBOOTING, VM_STOPPED };
enum vm_down { VM_DOWN_SHUTDOWN, VM_DOWN_REBOOT, VM_DOWN_FAULT };

/* HSM view of a vCPU, readable by every vCPU of the VM on any core. */
/* A vCPU's power state as its VM sees it (each arch's calls encode it their way). */
enum vcpu_power { VCPU_POWER_ON, VCPU_POWER_OFF, VCPU_POWER_ON_PENDING, VCPU_POWER_OFF_PENDING,
		  VCPU_POWER_SUSPENDED };

/* What the owning core does with a vCPU (core-private). */
enum vcpu_run_state { VCPU_OFFLINE, VCPU_RUNNABLE, VCPU_HALTED };

struct vm;

struct vcpu {
	struct arch_vcpu arch;
	struct vm *vm;
	unsigned id;                  /* guest hart id */
	unsigned pcpu;                /* the core it is pinned to */
	_Atomic int power;            /* enum vcpu_power */
	_Atomic unsigned pending_virq; /* ARCH_VIRQ_* set by anyone, taken by the owner core */
	_Atomic unsigned ext_level;   /* its VM's interrupt controller asserts its external interrupt */
	/* owner core only */
	enum vcpu_run_state run;
	bool on_rq;
	struct vcpu *rq_next;
	uint64_t vruntime;            /* time it has run on its core (core/sched.c) */
	uint64_t timer_watch;         /* a deadline set through a call into the hardware, until seen pending */
	bool suspend_nonret;
	uint64_t resume_pc;
	unsigned long resume_arg;
	/*
	 * A (re)start asked for: applied by the run loop just before the vCPU
	 * next runs, never inside a handler, which may be serving a message
	 * nested in this very vCPU's exit (a send that waits for room).
	 */
	bool reset_pending;
	uint64_t reset_pc;
	unsigned long reset_arg;
	_Atomic unsigned kick_queued;    /* a MSG_VIRQ for it is on its way to its core */
	struct vcpu_exit exit;        /* the last exit, decoded once (core/exit.c) */
	unsigned last_vdev;           /* index of the device of its last MMIO exit (checked before use) */
	uint64_t exits[EXIT_REASON_COUNT];
	char line[120];               /* console line being assembled */
	unsigned line_len;
};

struct vm_region {
	uint64_t gpa, hpa, size;
};

#define VM_LOAD_STEP (256u * 1024)   /* bytes zeroed or copied per reboot step */
struct vm_load {
	unsigned phase;               /* regions to zero, then kernel, initrd, dtb */
	uint64_t off;
};

struct vm {
	/* first, what an exit reads (short offsets); the large parts last */
	struct arch_vm arch;
	unsigned index;               /* slot in the VM table */
	unsigned nvcpus;
	uint32_t core_mask;           /* cores hosting a vCPU of this VM */
	_Atomic int state;            /* enum vm_state */
	_Atomic unsigned epoch;       /* +1 at each reboot: stale messages are dropped */
	_Atomic unsigned cores_left;  /* cores still tearing the VM down */
	unsigned nvdevs;
	struct vdev vdev[VM_MAX_VDEVS];
	struct virqc virqc;           /* its interrupt controller (core/irqc.h) */
	struct vuart vuart;
	struct irqmap irqs;           /* passed-through interrupts: host source -> line */
	unsigned nregions;
	struct vm_region region[VM_MAX_REGIONS];
	struct vmcfg_layout layout;
	const uint8_t *kernel, *initrd, *dtb_image;
	void *dtb_buf;                /* the generated tree, if any */
	uint64_t kernel_size, initrd_size, dtb_size;
	enum vm_down down;
	const char *down_reason;
	unsigned boot_count;
	struct vm_load load;          /* how far a reboot has got (vm_load_step) */
	_Atomic uint64_t console_dropped;   /* bytes of its output its core had no room for */
	struct vcpu vcpu[VMCFG_MAX_VCPUS];
	struct vmcfg cfg;
};

struct pcpu;

/* Set-up on the boot core (core/vm.c) */
/* nx_gpa/nx_size: a range of its memory the VM may read and write but not execute (its DTB) */
int vm_create(struct vm *vm, unsigned index, const struct vmcfg *cfg, uint64_t nx_gpa, uint64_t nx_size,
	      char *err, unsigned errlen);
int vm_load_images(struct vm *vm);
bool vm_load_step(struct vm *vm);
void vm_rebuilt(struct pcpu *p, struct vm *vm);
void vm_reset_devices(struct vm *vm);
int vm_generate_dtb(struct vm *vm, char *err, unsigned errlen);
/* An emulated device's window: clear of the VM's memory and devices (else the message names the field). */
int vm_window_free(const struct vm *vm, uint64_t gpa, uint64_t size, const char *what, char *err,
		   unsigned errlen);
int vm_add_vdev(struct vm *vm, uint64_t gpa, uint64_t size, const struct vdev_ops *ops, void *dev);
void vm_start(struct pcpu *p, struct vm *vm);
struct vm *vm_by_index(unsigned index);

/* Services for hypercalls, called on the core running `self` */
int vcpu_cpu_up(struct pcpu *p, struct vcpu *self, unsigned long target, uint64_t entry,
		unsigned long opaque);
void vcpu_cpu_down(struct pcpu *p, struct vcpu *self);
int vcpu_power_state(struct vcpu *self, unsigned long target);   /* enum vcpu_power, or E_INVAL */
int vcpu_suspend(struct pcpu *p, struct vcpu *self, bool nonret, uint64_t resume,
		 unsigned long opaque);
int vm_send_ipi(struct pcpu *p, struct vcpu *self, uint32_t targets);
/* Fence (arch_rfence kinds) on every core that holds one of the target vCPUs; waits for all. */
/* Give back the host device ranges a VM claimed (it was refused). */
void vm_release_devices(const struct vm *vm);
int vm_rfence(struct pcpu *p, struct vcpu *self, uint32_t targets, unsigned kinds);
void vm_system_down(struct pcpu *p, struct vcpu *self, enum vm_down how, const char *why);
void vm_fault(struct pcpu *p, struct vcpu *v, const struct vcpu_exit *e);
int vm_gpa_to_hpa(const struct vm *vm, uint64_t gpa, uint64_t len, uintptr_t *hpa);
bool vcpu_console_putc(struct vcpu *v, char c);
/* true when c completed a line (which went out, or was dropped and counted) */
bool console_line_putc(struct vm *vm, char *line, unsigned *len, unsigned cap, char c);
/* Make a vCPU look at its interrupts again (wake it, on whatever core). */
void vm_kick_vcpu(struct vcpu *v);
/* The emulated device at gpa, or NULL. */
/* The device at gpa, or NULL; *hint: the index of the last one found, looked at first (a guest polls one device in a row). */
struct vdev *vm_vdev_at(struct vm *vm, uint64_t gpa, unsigned *hint);

/* Message handlers (core/vm.c), run on the receiving core */
void vm_msg_vcpu_start(struct pcpu *p, const struct mbox_msg *m);
void vm_msg_shutdown(struct pcpu *p, const struct mbox_msg *m);
void vm_msg_virq(struct pcpu *p, const struct mbox_msg *m);
void vm_msg_rfence(struct pcpu *p, const struct mbox_msg *m);
void vm_finish_pending(struct pcpu *p);

extern _Atomic unsigned running_vms;
#endif
