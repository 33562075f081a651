/*
 * What every architecture's boot entry (arch/<arch>/entry.S) shares: the
 * early stack, and the order of bring-up (docs/boot.md).
 *
 *  1. The firmware or bootloader enters the image header's code on one hart
 *     (the boot hart) with the hart id and the host device tree: the entry
 *     keeps only one boot hart, checks it runs where it is linked, clears
 *     BSS and calls boot_main on the early stack.
 *  2. boot_main (core/main.c) reads the host tree, probes the hart, carves the
 *     machine and starts the other cores (each enters secondary_entry with its
 *     struct pcpu: its own stack, then secondary_main).
 *  3. Every core reports in over its mailbox, and the boot core starts the VMs.
 */
#ifndef BOOT_BOOT_H
#define BOOT_BOOT_H

#define BOOT_STACK_SIZE 8192   /* the boot hart's stack until it takes its struct pcpu's */

#ifndef __ASSEMBLY__
struct pcpu;
/* C entry points of the entry code. */
void boot_main(unsigned long hartid, const void *fdt);
void secondary_main(unsigned long hartid, struct pcpu *p);
#endif
#endif
