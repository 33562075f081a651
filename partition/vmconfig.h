/*
 * VM configs: one JSON file per VM (docs/config.md, configs/schema.json),
 * parsed with jsmn into a struct vmcfg, then checked against the machine,
 * against the other VMs (the plan) and against the sizes of its images.
 * Portable C: the same code runs in tessera, in tools/ and in host tests.
 *
 * Every error message reads "<file>: <field>: <reason>", the field with its
 * array indices, e.g. "linux.json: memory[1].size: 0x1001 is not 4 KiB aligned".
 */
#ifndef PARTITION_VMCONFIG_H
#define PARTITION_VMCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/errno.h"

#define VMCFG_MAX_VCPUS    8
#define VMCFG_MAX_MEM      4
#define VMCFG_MAX_DEVICES  8
#define VMCFG_NAME_MAX     32   /* incl. NUL */
#define VMCFG_IMAGE_MAX    64   /* image names, incl. NUL */
#define VMCFG_PATH_MAX     96   /* host DT paths */
#define VMCFG_BOOTARGS_MAX 256
#define VMCFG_ERR_LEN      192

#define VMCFG_IMAGE_NAME_LEN 55          /* longest image name: a package entry name */
#define VMCFG_MAX_JSON     (64 * 1024)   /* longest config file, bytes */
#define VMCFG_MAX_TOKENS   256           /* jsmn tokens per config (on the stack: 4 KiB) */
#define VMCFG_MAX_DEPTH    8             /* nesting of objects and arrays */
#define VMCFG_GPA_BITS     41            /* Sv39x4 guest physical addresses */
#define VMCFG_HPA_BITS     56            /* RISC-V physical addresses */
#define VMCFG_KERNEL_OFFSET 0x200000ul   /* default kernel.gpa: memory[0].gpa + this */
#define VMCFG_DTB_GAP      0x200000ul    /* the DTB goes this far below the end of RAM */
#define VMCFG_DTB_MAX      (64 * 1024ul) /* room for a generated guest DTB */

/* Errors (core/errno.h): E_SYNTAX not JSON or truncated, E_FIELD unknown field, wrong type or
 * missing required field, E_RANGE value out of range, E_CONFLICT overlaps, duplicates, does not fit. */

struct vmcfg_region {
	uint64_t gpa, size;
};

struct vmcfg_image {
	bool present;
	char image[VMCFG_IMAGE_MAX];
	bool has_gpa;       /* gpa was given; for the kernel, gpa holds the default otherwise */
	uint64_t gpa;
	bool has_entry;     /* kernel only; entry defaults to gpa */
	uint64_t entry;
};

enum vmcfg_dtb { VMCFG_DTB_GENERATE, VMCFG_DTB_NONE, VMCFG_DTB_IMAGE };

enum vmcfg_device_kind { VMCFG_DEV_PASSTHROUGH, VMCFG_DEV_MMIO };

struct vmcfg_device {
	enum vmcfg_device_kind kind;
	char path[VMCFG_PATH_MAX];   /* passthrough: host DT path */
	uint64_t hpa, gpa, size;     /* mmio */
};

enum vmcfg_console { VMCFG_CONSOLE_SBI, VMCFG_CONSOLE_UART16550, VMCFG_CONSOLE_PL011 };
enum vmcfg_fault { VMCFG_FAULT_STOP, VMCFG_FAULT_REBOOT };

struct vmcfg {
	char file[VMCFG_IMAGE_MAX];  /* file name used in messages */
	uint32_t id;
	char name[VMCFG_NAME_MAX];
	uint32_t vcpus;
	uint32_t affinity[VMCFG_MAX_VCPUS];   /* vCPU i runs on core affinity[i] */
	unsigned naffinity;                   /* == vcpus once parsed */
	bool affinity_default;                /* not in the file: vCPU i -> core i */
	unsigned nmem;
	struct vmcfg_region mem[VMCFG_MAX_MEM];
	struct vmcfg_image kernel, initrd;
	enum vmcfg_dtb dtb;
	char dtb_image[VMCFG_IMAGE_MAX];
	char bootargs[VMCFG_BOOTARGS_MAX];
	unsigned ndevices;
	struct vmcfg_device devices[VMCFG_MAX_DEVICES];
	enum vmcfg_fault on_fault;
	enum vmcfg_console console;   /* "sbi" (default), an emulated 16550 or PL011 */
	uint64_t console_gpa;
};

/* The console is a UART tessera emulates (one 4 KiB page at console_gpa). */
static inline bool vmcfg_console_uart(const struct vmcfg *c)
{
	return c->console == VMCFG_CONSOLE_UART16550 || c->console == VMCFG_CONSOLE_PL011;
}

/* Its field, for messages: "console.uart16550" or "console.pl011". */
static inline const char *vmcfg_console_field(const struct vmcfg *c)
{
	return c->console == VMCFG_CONSOLE_PL011 ? "console.pl011" : "console.uart16550";
}

/*
 * Parse and validate one config (`len` bytes, need not be NUL-terminated).
 * `file` names it in messages. Returns 0, or a VMCFG_E* code with the
 * reason in err. Checks everything that needs neither the machine nor the
 * other VMs nor the image sizes. Uses about 6 KiB of stack.
 */
int vmcfg_parse(const char *json, size_t len, const char *file, struct vmcfg *out,
		char *err, size_t errlen);

/* Consistency between the fields of one VM (vmcfg_parse runs it): affinity
 * length, memory overlaps, kernel/entry/initrd addresses inside memory,
 * devices against each other and memory, bootargs without a DTB. */
int vmcfg_check_vm(const struct vmcfg *c, char *err, size_t errlen);

/* One VM against the machine: affinity entries < ncores, affinity length == vcpus,
 * no core named twice within one VM. */
int vmcfg_check_machine(const struct vmcfg *c, unsigned ncores, char *err, size_t errlen);

struct vmcfg_sizes { uint64_t kernel, initrd, dtb; };   /* image sizes; 0 = absent */
struct vmcfg_layout { uint64_t kernel_gpa, entry, initrd_gpa, initrd_end, dtb_gpa; };

/*
 * Place the images in guest memory and check they fit: the kernel at
 * kernel.gpa, wholly inside one memory region; the DTB (unless "none"; for
 * "generate" sizes->dtb may be 0, meaning VMCFG_DTB_MAX) 2 MiB below the end
 * of the kernel's region, or at the end minus its size when that would not
 * fit; the initrd at initrd.gpa, else just below the DTB. Nothing overlaps.
 * Absent parts get address 0 in the layout; initrd_end is exclusive.
 */
int vmcfg_place(const struct vmcfg *c, const struct vmcfg_sizes *s, struct vmcfg_layout *out,
		char *err, size_t errlen);

/*
 * The plan across VMs: runs vmcfg_check_machine on each, then refuses
 * duplicate ids and names, a host device passed through to two VMs and
 * overlapping mmio host ranges. The first VM of a clash is kept, later ones
 * are refused: refused[i] = true and errs[i] holds the message (errs[i] is
 * "" for a VM kept). Returns the number refused.
 */
unsigned vmcfg_check_plan(const struct vmcfg *cfgs, unsigned n, unsigned ncores, bool *refused,
			  char (*errs)[VMCFG_ERR_LEN]);

/* Total guest RAM of a VM in bytes. */
uint64_t vmcfg_mem_total(const struct vmcfg *c);

/* Index of the memory region holding all of [gpa, gpa + size) (size 0 counts
 * as 1 byte), or -1. */
int vmcfg_region_of(const struct vmcfg *c, uint64_t gpa, uint64_t size);

#endif
