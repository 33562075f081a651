/* What the AArch64 test guests share: the console UART (PL011 or 16550), PSCI over HVC. */
#ifndef A64_GUEST_H
#define A64_GUEST_H
#include <stdint.h>

#define UART_GPA 0x09000000UL   /* the config's console.gpa */

int uart_is_pl011(void);   /* else the 16550 */
void putc_uart(char c);
void puts_uart(const char *s);
void put_hex(uint64_t v);
void put_dec(uint64_t v);
int64_t psci(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t mpidr(void);
void mmu_on(void);   /* RAM Normal write-back, the rest Device: for atomic_add */
uint32_t atomic_add(volatile uint32_t *p, uint32_t v);   /* LDAXR/STLXR; the old value */
void guest_main(uint64_t dtb);
void secondary_main(uint64_t context);
extern char secondary_start[];
extern char lib_irq_vectors[];   /* vectors.S: IRQs to lib_irq_handler() */
void lib_irq_handler(void);
void lib_bad_vector(void);
uint32_t fdt_be32(const uint8_t *p);
int fdt_find_prop(const void *dtb, const char *node_prefix, const char *prop, const uint8_t **val, uint32_t *len);
#endif
