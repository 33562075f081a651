/* SBI BASE: versions, identity and extension probing. */
#include "arch/riscv64/sbi/sbi_guest.h"

#define TESSERA_SBI_IMPL_ID 0x7e55   /* not a registered id: tessera's own */
#define TESSERA_SBI_IMPL_VERSION 0x00010000

static void base_handle(struct sbi_call *c)
{
	c->error = SBI_SUCCESS;
	switch (c->fid) {
	case 0: c->value = 2UL << 24; break;          /* SBI 2.0 */
	case 1: c->value = TESSERA_SBI_IMPL_ID; break;
	case 2: c->value = TESSERA_SBI_IMPL_VERSION; break;
	case 3: c->value = sbi_find_ext(c->v, c->a[0]) != NULL; break;
	case 4:
	case 5:
	case 6: {
		/* mvendorid, marchid, mimpid: the machine's own, so guests apply the right errata */
		struct sbiret r = sbi_ecall(SBI_EXT_BASE, c->fid, 0, 0, 0);
		c->value = r.error ? 0 : (unsigned long)r.value;
		break;
	}
	default: c->error = SBI_ERR_NOT_SUPPORTED;
	}
}

const struct sbi_ext sbi_ext_base = { SBI_EXT_BASE, SBI_EXT_BASE, false, NULL, base_handle,
				      sbi_fast_always };
