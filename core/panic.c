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
	struct pcpu *p = arch_this_pcpu();
	if (p)
		log_line("tessera: panic on core %u (hart %lu): %s", p->id, p->hartid, buf);
	else
		log_line("tessera: panic during early boot: %s", buf);
	system_poweroff(true);
}
