/* Memory layout constants shared by start.S and the C library. */
#ifndef GUEST_LAYOUT_H
#define GUEST_LAYOUT_H

#define GUEST_LOAD_ADDR   0x80200000      /* link, load and entry address */
#define GUEST_MAX_HARTS   8               /* per-hart slots (stacks, state) */
#define GUEST_STACK_SHIFT 14
#define GUEST_STACK_SIZE  (1 << GUEST_STACK_SHIFT)   /* 16 KiB per slot */

/* Offsets in struct trap_frame (lib/guest.h), in bytes. */
#define TF_RA      0
#define TF_T0      8
#define TF_T1      16
#define TF_T2      24
#define TF_A0      32   /* a0..a7 at 32..88 */
#define TF_T3      96
#define TF_T4      104
#define TF_T5      112
#define TF_T6      120
#define TF_SEPC    128
#define TF_SSTATUS 136
#define TF_SIZE    144  /* multiple of 16: keeps sp aligned */

#endif
