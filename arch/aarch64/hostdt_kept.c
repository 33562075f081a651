/* The Arm machine's own controllers, which no VM is given (partition/hostdt.h). */
#include <stddef.h>
#include "partition/hostdt.h"

const char *const hostdt_kept_compatibles[] = {
	"arm,gic-v3", "arm,gic-v3-its", NULL,
};
