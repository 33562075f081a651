/* tessera's console: whole lines, never interleaved between cores. */
#ifndef CORE_CONSOLE_H
#define CORE_CONSOLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hostdt_uart;
void console_use_uart(const struct hostdt_uart *u);
void console_use_early(void);   /* the UART went to a VM: arch_early_putc (the firmware's console, if any) */
int console_getc(void);         /* a byte the console UART received, or -1 */
void console_write(const char *s, size_t n);
/* A guest's text: false (nothing written) if this core's ring has no room for it. */
bool console_try_write(const char *s, size_t n);
/* Write out what this core printed, if the UART is free: true when nothing is left. */
bool console_flush(void);
void console_flush_all(void);   /* every core's lines, waiting for the UART (power-off) */
/* For panic: straight to the device, whoever else is printing. */
void console_write_direct(const char *s, size_t n);
/* Print one line (a newline is added). */
void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
struct vm;
/* Console input (core/console_input.c): polled by the boot core. */
void console_input_add(struct vm *vm);
void console_input_poll(void);
bool console_input_active(void);
#endif
