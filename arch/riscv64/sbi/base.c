/* SBI BASE: versions, identity and extension probing. */
#include "arch/riscv64/sbi/sbi_guest.h"

#define TESSERA_SBI_IMPL_ID 0x7e55   /* not a registered id: tessera's own */
#define TESSERA_SBI_IMPL_VERSION 0x00010000

enum {
	BASE_GET_SPEC_VERSION, BASE_GET_IMPL_ID, BASE_GET_IMPL_VERSION, BASE_PROBE_EXTENSION,
	BASE_GET_MVENDORID, BASE_GET_MARCHID, BASE_GET_MIMPID,
};

/* mvendorid, marchid, mimpid: the machine's own, so guests apply the right errata */
static __attribute__((noinline)) void machine_id(struct sbi_call *c)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, c->fid, 0, 0, 0);
	c->value = r.error ? 0 : (unsigned long)r.value;
}

static __attribute__((noinline)) void probe_extension(struct sbi_call *c)
{
	c->value = sbi_find_ext(c->v, c->a[0]) != NULL;
}

/* The calls that answer from a constant keep this a leaf; the others are tail calls. */
static void base_handle(struct sbi_call *c)
{
	c->error = SBI_SUCCESS;
	switch (c->fid) {
	case BASE_GET_SPEC_VERSION: c->value = 2UL << 24; break;          /* SBI 2.0 */
	case BASE_GET_IMPL_ID: c->value = TESSERA_SBI_IMPL_ID; break;
	case BASE_GET_IMPL_VERSION: c->value = TESSERA_SBI_IMPL_VERSION; break;
	case BASE_PROBE_EXTENSION: probe_extension(c); break;
	case BASE_GET_MVENDORID:
	case BASE_GET_MARCHID:
	case BASE_GET_MIMPID: machine_id(c); break;
	default: c->error = SBI_ERR_NOT_SUPPORTED;
	}
}

const struct sbi_ext sbi_ext_base = {
	.name = "base", .eid_min = SBI_EXT_BASE, .eid_max = SBI_EXT_BASE,
	.handle = base_handle, .fast_fids = SBI_FAST_ALL_FIDS,
};
