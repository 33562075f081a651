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
bool console_rx_interrupt(bool on);   /* the UART's line up while bytes wait; false: no UART */
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
/* Console input (core/console_input.c): read by the boot core, on the UART's interrupt or polled. */
void console_input_add(struct vm *vm);
void console_input_poll(void);
bool console_input_active(void);
struct pcpu;
struct host_platform;
#define CONSOLE_POLL_MS 20   /* without the UART's interrupt, the console core looks this often */
/* On p (the boot core): by the UART's interrupt if the host controller can send it there, else polled. */
void console_input_start(struct pcpu *p, const struct host_platform *plat);
#endif
