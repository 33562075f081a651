/*
 * What tessera needs to know about the machine, read from the host device
 * tree that firmware or the bootloader hands over. Portable C: the same code
 * runs in tessera and in host unit tests.
 */
#ifndef PARTITION_HOSTDT_H
#define PARTITION_HOSTDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "partition/isa.h"
#include "core/errno.h"

#define HOSTDT_MAX_HARTS    64
#define HOSTDT_MAX_RAM      8
#define HOSTDT_MAX_RESERVED 16
#define HOSTDT_MAX_KEPT     32   /* reg ranges of the controllers tessera keeps */
/* Bounds on what the host tree may say (a controller's: its reader, arch/<arch>/irqc/). */
#define HOSTDT_MIN_TIMEBASE 1000u                  /* Hz */
#define HOSTDT_MAX_TIMEBASE 10000000000ull         /* 10 GHz */
#define HOSTDT_ERR_LEN      160

/* Errors (core/errno.h): E_CORRUPT not a valid flattened device tree, E_MISSING a node or
 * property tessera needs is absent, E_INVAL a value tessera cannot use, E_NOSPC more entries
 * than tessera has room for. */

struct hostdt_region {
	uint64_t base, size;
};

struct hostdt_uart {
	bool present;
	char compatible[32];
	char path[64];
	uint64_t base, size;
	uint32_t reg_shift, reg_io_width, clock_hz;
};

struct host_platform {
	uint32_t nharts;
	uint64_t hartid[HOSTDT_MAX_HARTS];     /* in device tree order: core id = index */
	int boot_index;                        /* index of the boot hart in hartid[] */
	struct isa boot_isa;                   /* riscv,isa-extensions, else riscv,isa */
	char mmu_type[24];                     /* of the boot hart, "" if absent */
	uint64_t timebase_hz;
	bool timebase_from_counter;            /* none in the tree: the architecture's counter says it */
	char psci_method[8];                   /* Arm: "/psci" method, "smc" or "hvc"; "" if none */
	unsigned nram;
	struct hostdt_region ram[HOSTDT_MAX_RAM];
	unsigned nreserved;
	struct hostdt_region reserved[HOSTDT_MAX_RESERVED];
	struct hostdt_uart uart;
	/* Ranges of the machine's own controllers, which no VM may be given:
	 * interrupt controllers, timers, IPI devices, the power-off device. */
	unsigned nkept;
	struct {
		uint64_t base, size;
		char what[32];                     /* the node's name */
	} kept[HOSTDT_MAX_KEPT];
	/* The interrupt controller tessera drives, as its reader found it (irqc_dt_read_host). */
	struct {
		bool present;
		unsigned model;                    /* which controller (irqc_dt_model) */
		uint64_t base, size;
		uint32_t nsources;                 /* sources 1..nsources */
		uint32_t phandle;
		int16_t ctx[HOSTDT_MAX_HARTS];     /* tessera's context (or index) of hartid[i], -1 if none */
		/* A controller that signals by message: each hart's interrupt files,
		 * 1 << guest_bits pages of them per hart (the first is the hart's own). */
		uint64_t files_base, files_size;
		uint32_t file_ids;                 /* identities 1..file_ids per file */
		uint32_t guest_bits;
	} irqc;
	struct {
		bool present;
		uint64_t start, end;
	} initrd;
	struct {
		bool present;          /* sifive,test: lets a failed boot end QEMU with an error code */
		uint64_t base;
	} poweroff;
	uint32_t dtb_size;
	const void *fdt;
	char bootargs[128];
};

/*
 * Read the device tree at `fdt`. `boot_hartid` must be one of its harts.
 * On failure returns a negative HOSTDT_E* code and writes a sentence naming
 * the node, the property and the reason into err.
 */
int hostdt_read(const void *fdt, uint64_t boot_hartid, struct host_platform *p,
		char *err, size_t errlen);

uint64_t hostdt_ram_total(const struct host_platform *p);
/* The first reg range of the node at `path`: 0, or negative if there is none. */
int hostdt_node_reg(const void *fdt, const char *path, uint64_t *base, uint64_t *size);
/*
 * Whether a VM may be given [base, base + size) of host physical address
 * space: not host RAM (tessera, the firmware, every VM's memory), not
 * reserved memory, not a controller tessera keeps, not the console UART
 * unless console_passed. 0, or negative with what it is in `what`.
 */
int hostdt_check_vm_range(const struct host_platform *p, uint64_t base, uint64_t size,
			  bool console_passed, char *what, size_t whatlen);
/* The idx-th reg range of the node at `path`: 0, or negative past the last. */
int hostdt_node_reg_at(const void *fdt, const char *path, int idx, uint64_t *base, uint64_t *size);
/* Whether the whitespace-separated word appears in /chosen/bootargs. */
bool hostdt_bootarg(const struct host_platform *p, const char *word);

/* For the interrupt controllers' readers: safe on malformed trees. */
int hostdt_read_reg(const void *fdt, int node, int idx, uint64_t *base, uint64_t *size);
uint32_t hostdt_prop_u32(const void *fdt, int node, const char *name, uint32_t dflt);
/*
 * libfdt lookups in the host tree, answered from the index hostdt_read built
 * in its one walk of the tree (libfdt walks the whole tree for each): the
 * same results as fdt_node_offset_by_compatible, fdt_path_offset,
 * fdt_parent_offset and fdt_get_path, which they call for any other tree.
 */
int hostdt_node_by_compatible(const void *fdt, int after, const char *compat);
int hostdt_path_offset(const void *fdt, const char *path);
int hostdt_parent_offset(const void *fdt, int node);
int hostdt_get_path(const void *fdt, int node, char *buf, int buflen);
/* The hart whose cpu node holds the interrupt controller `phandle`: 0, or negative. */
int hostdt_hart_of_intc(const void *fdt, uint32_t phandle, uint64_t *hartid);

/*
 * The machine's own controllers (interrupts, timers, IPIs, power-off), by
 * compatible, NULL-terminated: a VM given one could reach every hart or the
 * whole machine. The architecture's list (arch/<arch>/hostdt_kept.c).
 */
extern const char *const hostdt_kept_compatibles[];

#endif
