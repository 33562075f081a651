#include <stdarg.h>
#include <stdio.h>
#include <arch/cpu.h>
#include "core/console.h"
#include "core/panic.h"
#include "core/pcpu.h"
#include "core/poweroff.h"

void panic(const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	char line[256];
	struct pcpu *p = arch_this_pcpu();
	int n = p ? snprintf(line, sizeof(line), "\ntessera: panic on core %u (hart %lu): %s\n", p->id,
			     p->hartid, buf)
		  : snprintf(line, sizeof(line), "\ntessera: panic during early boot: %s\n", buf);
	console_write_direct(line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
	system_poweroff(true);
}
