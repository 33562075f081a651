/* SBI DBCN: the guest's debug console, read from guest physical memory. */
#include "arch/riscv64/sbi/sbi_guest.h"

#define DBCN_MAX_WRITE 4096   /* longer writes are cut: the guest writes the rest again */
#define DBCN_MAX_LINES 8      /* lines one call may complete: the work per call is bounded */

enum { DBCN_CONSOLE_WRITE, DBCN_CONSOLE_READ, DBCN_CONSOLE_WRITE_BYTE };

static void dbcn_handle(struct sbi_call *c)
{
	switch (c->fid) {
	case DBCN_CONSOLE_WRITE: {
		unsigned long n = c->a[0];
		if (n > DBCN_MAX_WRITE)
			n = DBCN_MAX_WRITE;
		uint64_t gpa = c->a[1];   /* RV64: the whole address is in base_lo, base_hi must be 0 */
		uintptr_t hpa;
		if (c->a[2] || vm_gpa_to_hpa(c->v->vm, gpa, n, &hpa)) {
			c->error = SBI_ERR_INVALID_PARAM;
			return;
		}
		/* SBI lets a write take fewer bytes than asked: the guest sends the rest */
		unsigned long i = 0;
		for (unsigned lines = 0; i < n && lines < DBCN_MAX_LINES; i++)
			lines += vcpu_console_putc(c->v, ((const char *)hpa)[i]);
		c->value = i;
		c->error = SBI_SUCCESS;
		return;
	}
	case DBCN_CONSOLE_READ:   /* no input for guests yet */
		c->value = 0;
		c->error = SBI_SUCCESS;
		return;
	case DBCN_CONSOLE_WRITE_BYTE:
		vcpu_console_putc(c->v, (char)c->a[0]);
		c->error = SBI_SUCCESS;
		return;
	}
}

const struct sbi_ext sbi_ext_dbcn = {
	.name = "dbcn", .eid_min = SBI_EXT_DBCN, .eid_max = SBI_EXT_DBCN,
	.handle = dbcn_handle,
};
