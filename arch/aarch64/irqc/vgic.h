/* The virtual GICv3 as the vCPU code drives it (vgic.c). */
#ifndef ARCH_AARCH64_VGIC_H
#define ARCH_AARCH64_VGIC_H
#include <stdbool.h>
#include <stdint.h>

struct arch_vcpu;
struct vcpu;
void vgic_flush(struct vcpu *v);               /* before entering the guest, vCPU loaded */
void vgic_sync(struct vcpu *v);                /* after its exit */
bool vgic_pending(const struct vcpu *v, bool loaded);
void vgic_send_sgi(struct vcpu *self, uint64_t sgi1r);
void vgic_load(const struct arch_vcpu *a);
void vgic_put(struct arch_vcpu *a);
#endif
