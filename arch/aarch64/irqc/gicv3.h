/* The host's GICv3 as tessera drives it (gicv3.c), and its device-tree side (gicv3_dt.c). */
#ifndef ARCH_AARCH64_GICV3_H
#define ARCH_AARCH64_GICV3_H
#include <stdbool.h>
#include <stdint.h>

/* Interrupt controller models of this architecture (partition/irqc_dt.h numbers them). */
enum irqc_model { IRQC_NONE, IRQC_GICV3, IRQC_MODELS };

#define GICV3_IPI_SGI       0    /* tessera's own IPI: mailbox kicks */
#define GICV3_HYP_TIMER_PPI 26   /* the EL2 physical timer (the timer node's 4th interrupt, PPI 10) */
#define GICV3_MAINT_PPI     25   /* the virtual CPU interface's maintenance interrupt */
#define GICV3_VTIMER_PPI    27   /* the EL1 virtual timer: a guest's */

void gicv3_send_sgi(unsigned long mpidr, unsigned sgi);
void gicv3_ack_all(void);
/* A guest's PPI on this core (its timer) signals tessera or not. */
void gicv3_guest_ppi(unsigned intid, bool on);   /* acknowledge and end every pending interrupt (they only wake WFI) */
#endif
