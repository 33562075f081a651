/*
 * RISC-V ISA extensions as tessera understands them: read from a hart's
 * riscv,isa-extensions (a string list, newer device trees) or riscv,isa (one
 * string, which may be longer than any fixed buffer), kept as a bit set, and
 * filtered for guests: a guest is offered only what tessera knows it may use
 * under the hypervisor (docs/platforms.md). Portable, tested on the host.
 */
#ifndef PARTITION_ISA_H
#define PARTITION_ISA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* In canonical order: single letters, then Z by category, then S. */
enum isa_ext {
	ISA_I, ISA_M, ISA_A, ISA_F, ISA_D, ISA_C, ISA_V, ISA_H,
	ISA_ZICBOM, ISA_ZICBOP, ISA_ZICBOZ, ISA_ZICNTR, ISA_ZICOND, ISA_ZICSR, ISA_ZIFENCEI,
	ISA_ZIHINTNTL, ISA_ZIHINTPAUSE, ISA_ZIHPM, ISA_ZMMUL, ISA_ZAAMO, ISA_ZACAS, ISA_ZALRSC,
	ISA_ZAWRS, ISA_ZFA, ISA_ZFH, ISA_ZFHMIN, ISA_ZCA, ISA_ZCB, ISA_ZCD, ISA_ZBA, ISA_ZBB,
	ISA_ZBC, ISA_ZBS, ISA_SMAIA, ISA_SSAIA, ISA_SSCOFPMF, ISA_SSTC, ISA_SVADU, ISA_SVINVAL,
	ISA_SVNAPOT, ISA_SVPBMT,
	ISA_NEXT
};
#define ISA_BIT(e) (1ull << (e))

struct isa {
	unsigned xlen;       /* 32 or 64; 0 if the string named neither */
	uint64_t ext;        /* ISA_BIT(ISA_*) of the extensions tessera knows */
};

/* From a riscv,isa string ("rv64imafdch_zicsr_sstc"); unknown names are skipped. */
void isa_parse_string(const char *s, struct isa *out);
/* Add the names of a riscv,isa-extensions string list (len bytes). */
void isa_parse_list(const char *list, size_t len, struct isa *out);
static inline bool isa_has(const struct isa *isa, enum isa_ext e) { return isa->ext & ISA_BIT(e); }
const char *isa_name(enum isa_ext e);

/*
 * What a guest may be offered: the host's extensions that need nothing from
 * the hypervisor (no H, no vector state, no PMU, no cache-block operations,
 * no AIA, no page-table attributes the G-stage would have to enable), and
 * Sstc only when the VM gets it.
 */
struct isa isa_for_guest(const struct isa *host, bool sstc);
/* "rv64imafdc_zicsr_..." into out; returns the length it needed (like snprintf). */
size_t isa_format(const struct isa *isa, char *out, size_t outlen);
#endif
