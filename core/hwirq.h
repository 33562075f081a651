/*
 * Physical interrupts of passed-through devices. Each is enabled on the host
 * controller's context of the core that runs the VM's vCPU 0, claimed there by
 * tessera, made pending in the VM's virtual controller (which wakes whichever vCPU
 * has it enabled, on any core, through a VIRQ message) and completed on the
 * host when the guest completes it.
 */
#ifndef CORE_HWIRQ_H
#define CORE_HWIRQ_H
#include <stdint.h>

struct pcpu;
struct vm;

#define HWIRQ_MAX 64   /* routed host sources, all VMs together */

/* Boot core, VM set-up: take vm's host sources; 0 or negative with a message. */
int hwirq_register(struct vm *vm, char *err, unsigned errlen);
/* Each core as it comes online: its own context, every source off. */
void hwirq_core_init(struct pcpu *p);
/* On the core of vCPU 0: when the VM starts (again) and when it goes down. */
void hwirq_attach(struct pcpu *p, struct vm *vm);
void hwirq_detach(struct pcpu *p, const struct vm *vm);
/* Claim what the host controller has for this core and hand it to the VMs. */
void hwirq_poll(struct pcpu *p);
/* The guest completed line virq of its controller, which carries a host source. */
void hwirq_complete(const struct vm *vm, uint32_t virq);
#endif
