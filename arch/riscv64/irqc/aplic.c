/*
 * The host APLIC domain (MSI delivery) as tessera drives it: only the
 * sources of passed-through devices, each sent by the APLIC itself to the
 * guest interrupt file of the vCPU its guest chose (vaplic.c programs the
 * target), so a device interrupt reaches a guest with no exit. Nothing is
 * claimed or completed here: the guest does that in its own file. A guest
 * interrupt for a vCPU that is not running on its hart shows in hgeip
 * (SGEI): "pending" is that, and "claim" stops signalling those files until
 * their vCPU has run (imsic.c re-arms them). The exception is tessera's own
 * source (the console UART): sent to its core's supervisor file, claimed
 * there (imsic_ipi.c) and completed here.
 */
#include <arch/csr.h>
#include "arch/riscv64/irqc/models.h"
#include "core/console.h"
#include "core/errno.h"
#include "partition/hostdt.h"

#define DOMAINCFG        0x0000
#define DOMAINCFG_IE     (1u << 8)
#define DOMAINCFG_DM     (1u << 2)
#define SOURCECFG(s)     (0x0004 + 4 * ((s) - 1))
#define SETIP(s)         (0x1c00 + 4 * ((s) / 32))
#define SETIPNUM         0x1cdc
#define IN_CLRIP(s)      (0x1d00 + 4 * ((s) / 32))
#define CLRIPNUM         0x1ddc
#define SETIENUM         0x1edc
#define CLRIENUM         0x1fdc
#define TARGET(s)        (0x3004 + 4 * ((s) - 1))

#define SOURCECFG_LEVEL1 6

static uintptr_t aplic_base;
static uint32_t aplic_nsources;
static uint32_t own_src;   /* tessera's own source, 0: none */

static volatile uint32_t *reg(uintptr_t off)
{
	return (volatile uint32_t *)(aplic_base + off);
}

static void log_banner(const struct host_platform *h)
{
	log_line("  aplic    0x%lx, %u sources, MSIs to the IMSIC at 0x%lx (room for %u guest files per hart, "
		 "%u identities)", (unsigned long)h->irqc.base, h->irqc.nsources,
		 (unsigned long)h->irqc.files_base, (1u << h->irqc.guest_bits) - 1, h->irqc.file_ids);
}

/*
 * VMs get the AIA only if this hart has guest interrupt files (QEMU:
 * aia-guests=N); without them the host's APLIC is left alone and VMs get a
 * virtual PLIC for their emulated lines, as on a machine with no controller.
 */
static bool init(const struct host_platform *h)
{
	unsigned files = imsic_guest_files();
	if (!files) {
		log_line("  aia      this hart has no guest interrupt files: VMs get a virtual PLIC, "
			 "no passed-through interrupts");
		return false;
	}
	aplic_base = (uintptr_t)h->irqc.base;
	aplic_nsources = h->irqc.nsources;
	*reg(DOMAINCFG) = DOMAINCFG_IE | DOMAINCFG_DM;
	if (!(*reg(DOMAINCFG) & DOMAINCFG_DM)) {
		log_line("  aia      the APLIC domain at 0x%lx does not take MSI delivery mode: "
			 "VMs get a virtual PLIC", (unsigned long)h->irqc.base);
		aplic_base = 0;
		return false;
	}
	log_line("  aia      %u guest interrupt files per hart (hgeie); tessera's IPIs are MSIs", files);
	imsic_ipis_init(h);
	return true;
}

static bool has_source(uint32_t src)
{
	return aplic_base && src > 0 && src <= aplic_nsources;
}

/* The core's IMSIC hart index (what an APLIC target names). */
static int core_init(const struct host_platform *h, unsigned long hartid)
{
	imsic_ipis_core_init();
	for (unsigned i = 0; i < h->nharts; i++)
		if (h->hartid[i] == hartid)
			return h->irqc.ctx[i];
	return -1;
}

/* Off until its guest configures it (vaplic.c); a source the root domain did not delegate stays 0. */
static void prepare(uint32_t src)
{
	*reg(CLRIENUM) = src;
	*reg(SOURCECFG(src)) = 0;
}

/* Its guest turns it on (vaplic.c); off when the VM stops. */
static void enable(int ctx, uint32_t src, bool on)
{
	(void)ctx;
	if (!on)
		aplic_enable(src, false);
}

static bool pending(void)
{
	return own_src || (csr_read(CSR_HGEIP) & csr_read(CSR_HGEIE)) != 0;
}

static uint32_t claim(int ctx)
{
	(void)ctx;
	if (own_src && imsic_own_take())
		return own_src;
	csr_clear(CSR_HGEIE, csr_read(CSR_HGEIP));
	return 0;
}

/*
 * A level source in MSI mode sent one MSI; setipnum makes it pending again
 * if the device still asserts it (AIA 4.9.2), so nothing is lost.
 */
static void complete(int ctx, uint32_t src)
{
	(void)ctx;
	if (src && src == own_src)
		*reg(SETIPNUM) = src;
}

/*
 * Level-high, as UARTs are: the host tree's sense cell is not read (a
 * falling-edge line would need the edge mode, and gets none here).
 */
static int own(int ctx, uint32_t src)
{
	*reg(SOURCECFG(src)) = SOURCECFG_LEVEL1;
	if (*reg(SOURCECFG(src)) != SOURCECFG_LEVEL1)
		return E_NOSUPP;   /* the firmware did not delegate it to this domain */
	*reg(TARGET(src)) = (uint32_t)ctx << 18 | imsic_own_enable();   /* guest index 0: the S-file */
	own_src = src;
	*reg(SETIENUM) = src;
	return 0;
}

const struct hostirq_ops aplic_host_ops = {
	.init = init, .log_banner = log_banner, .has_source = has_source, .core_init = core_init,
	.prepare = prepare, .enable = enable, .pending = pending, .claim = claim, .complete = complete,
	.own = own,
};

void aplic_source_mode(uint32_t src, uint32_t mode)
{
	if (has_source(src))
		*reg(SOURCECFG(src)) = mode & 7;
}

void aplic_target(uint32_t src, unsigned hart_index, unsigned file, uint32_t eiid)
{
	if (has_source(src))
		*reg(TARGET(src)) = (uint32_t)hart_index << 18 | (uint32_t)file << 12 | (eiid & 0x7ff);
}

void aplic_enable(uint32_t src, bool on)
{
	if (has_source(src))
		*reg(on ? SETIENUM : CLRIENUM) = src;
}

void aplic_set_pending(uint32_t src, bool on)
{
	if (has_source(src))
		*reg(on ? SETIPNUM : CLRIPNUM) = src;
}

bool aplic_pending(uint32_t src)
{
	return has_source(src) && (*reg(SETIP(src)) >> (src % 32) & 1);
}

bool aplic_input(uint32_t src)
{
	return has_source(src) && (*reg(IN_CLRIP(src)) >> (src % 32) & 1);
}
