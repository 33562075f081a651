/*
 * hello: console output through DBCN write, DBCN write_byte and the legacy
 * console_putchar; the BASE extension (spec version, probes, unknown
 * extension and function); the tessera vendor extension when present.
 */
#include "guest.h"

const char guest_name[] = "hello";

static void check_dbcn(void)
{
	static const char msg[] = "hello: greeting through DBCN write\n";
	static const char msg2[] = "hello: greeting through DBCN write_byte\n";
	unsigned long len = sizeof(msg) - 1;

	if (!guest_has_dbcn()) {
		guest_printf("SKIP hello: no DBCN\n");
		return;
	}
	struct sbiret r = sbi_dbcn_write(len, (unsigned long)msg, 0);
	if (r.error != SBI_SUCCESS || (unsigned long)r.value != len)
		guest_fail("DBCN write returned error %ld value %ld, want 0 and %lu",
			   r.error, r.value, len);
	for (const char *p = msg2; *p; p++) {
		r = sbi_dbcn_write_byte((unsigned char)*p);
		if (r.error != SBI_SUCCESS)
			guest_fail("DBCN write_byte returned error %ld", r.error);
	}
}

static void check_legacy_console(void)
{
	static const char msg[] = "hello: greeting through legacy console_putchar\n";

	for (const char *p = msg; *p; p++) {
		long e = sbi_legacy_putchar(*p);
		if (e != 0)
			guest_fail("legacy console_putchar returned %ld", e);
	}
}

static void check_base(void)
{
	static const struct { unsigned long eid; const char *name; } exts[] = {
		{ SBI_EXT_TIME, "TIME" }, { SBI_EXT_IPI, "IPI" },
		{ SBI_EXT_RFENCE, "RFENCE" }, { SBI_EXT_HSM, "HSM" },
		{ SBI_EXT_SRST, "SRST" },
	};
	struct sbiret r = sbi_get_spec_version();

	if (r.error != SBI_SUCCESS)
		guest_fail("get_spec_version returned error %ld", r.error);
	unsigned long major = ((unsigned long)r.value >> 24) & 0x7f;
	unsigned long minor = (unsigned long)r.value & 0xffffff;
	if (major == 0 && minor < 2)
		guest_fail("SBI spec version %lu.%lu, want >= 0.2", major, minor);

	struct sbiret id = sbi_get_impl_id(), ver = sbi_get_impl_version();
	if (id.error != SBI_SUCCESS || ver.error != SBI_SUCCESS)
		guest_fail("get_impl_id/version returned errors %ld/%ld", id.error, ver.error);
	guest_printf("hello: SBI spec %lu.%lu, implementation %ld version 0x%lx\n",
		     major, minor, id.value, (unsigned long)ver.value);

	for (unsigned int i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		r = sbi_probe_extension(exts[i].eid);
		if (r.error != SBI_SUCCESS || r.value == 0)
			guest_fail("probe_extension(%s) returned error %ld value %ld",
				   exts[i].name, r.error, r.value);
	}
	r = sbi_probe_extension(0x12345678);
	if (r.error != SBI_SUCCESS || r.value != 0)
		guest_fail("probe_extension(0x12345678) returned error %ld value %ld, want 0 0",
			   r.error, r.value);
	r = sbi_ecall(0x12345678, 0, 0, 0, 0, 0, 0, 0);
	if (r.error != SBI_ERR_NOT_SUPPORTED)
		guest_fail("call to unknown extension 0x12345678 returned %ld, want %d",
			   r.error, SBI_ERR_NOT_SUPPORTED);
	r = sbi_ecall(SBI_EXT_BASE, 0x999, 0, 0, 0, 0, 0, 0);
	if (r.error != SBI_ERR_NOT_SUPPORTED)
		guest_fail("unknown BASE function 0x999 returned %ld, want %d",
			   r.error, SBI_ERR_NOT_SUPPORTED);
}

static void check_vendor(void)
{
	long v[4];

	if (!guest_has_tessera()) {
		guest_printf("SKIP hello: no tessera vendor extension\n");
		return;
	}
	struct sbiret r = sbi_tessera_null();
	if (r.error != SBI_SUCCESS || r.value != 0)
		guest_fail("tessera null call returned error %ld value %ld", r.error, r.value);
	for (unsigned long key = 0; key < 4; key++) {
		r = sbi_tessera_vm_info(key);
		if (r.error != SBI_SUCCESS)
			guest_fail("vm_info(%lu) returned error %ld", key, r.error);
		v[key] = r.value;
	}
	if (v[TESSERA_INFO_NR_VCPUS] < 1 || v[TESSERA_INFO_BOOT_COUNT] < 0)
		guest_fail("vm_info: %ld vCPUs, boot count %ld", v[1], v[2]);
	r = sbi_tessera_vm_info(0x1000);
	if (r.error != SBI_ERR_INVALID_PARAM)
		guest_fail("vm_info(unknown key) returned %ld, want %d",
			   r.error, SBI_ERR_INVALID_PARAM);
	guest_printf("hello: VM %ld, %ld vCPUs, boot count %ld, on core %ld\n",
		     v[0], v[1], v[2], v[3]);
}

void guest_main(unsigned long hartid)
{
	guest_printf("hello: hello from hart %lu\n", hartid);
	check_dbcn();
	check_legacy_console();
	check_base();
	check_vendor();
	guest_printf("PASS hello\n");
}
