/* Freestanding: libfdt's environment header includes this; nothing is needed from it. */
#ifndef TESSERA_STDLIB_H
#define TESSERA_STDLIB_H
#include <stddef.h>
#endif
