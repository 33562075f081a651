/* panic(): for tessera's own broken invariants only, never for a guest's acts. */
#ifndef CORE_PANIC_H
#define CORE_PANIC_H
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
#endif
