# tessera — multikernel static-partitioning hypervisor
#   make          build build/tessera.elf and build/tessera.bin
#   make run      boot it on QEMU virt (4 harts) through OpenSBI
#   make run-uboot  the same through U-Boot
#   make test     host unit tests (plain, TSan, ASan+UBSan) and the QEMU matrix
ARCH          ?= riscv64
PLAT          ?= qemu-virt
include arch/$(ARCH)/arch.mk
SMP           ?= 4
# The QEMU + OpenSBI platform of make run (docs/platforms.md): qemu7 (Debian 12's
# QEMU 7.2 + OpenSBI 1.1) or qemu10 (QEMU 10 + OpenSBI 1.5.1, bookworm-backports);
# PLATFORMS: the ones make test and make qemu-tests run the matrix on.
PLATFORM      ?= qemu7
PLATFORMS     ?= qemu7 qemu10
export TESSERA_PLATFORMS := $(PLATFORMS)
MAX_CORES     ?= 8

Q ?= @
BUILD   := build
DEPS    := $(BUILD)/deps
# tessera itself: build/ for riscv64, build/<arch>/ for the others (make ARCH=aarch64)
OUT     := $(BUILD)$(if $(filter riscv64,$(ARCH)),,/$(ARCH))
STAMP   := $(DEPS)/.stamp
VERSION := $(shell cat VERSION)

CC      := $(CROSS_COMPILE)gcc
OBJCOPY := $(CROSS_COMPILE)objcopy
HOSTCC  ?= gcc

# Expanded at first use, in a recipe, then cached: when make parses this file
# the cross compiler may not be installed yet (tools/install-deps.sh runs first).
GCC_INC = $(eval GCC_INC := $(shell $(CC) -print-file-name=include))$(GCC_INC)
CONFIG  := -DCONFIG_MAX_CORES=$(MAX_CORES) -DTESSERA_VERSION='"$(VERSION)"'
CFLAGS  = -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdinc \
           -isystem core/include/libc -isystem $(GCC_INC) \
           -fno-pie $(ARCH_CFLAGS) \
           -fno-stack-protector -fomit-frame-pointer -fno-common -ffunction-sections -fdata-sections \
           -I. -Iarch/$(ARCH)/include -I$(DEPS)/libfdt -I$(BUILD)/include $(CONFIG)
ASFLAGS = $(CFLAGS) -D__ASSEMBLY__
LDFLAGS := -nostdlib -no-pie -static -Wl,--no-relax -Wl,--gc-sections -Wl,-T,$(ARCH_LDSCRIPT) \
           -Wl,--build-id=none -Wl,--no-warn-rwx-segments

SRCS := $(ARCH_SRCS) \
        core/main.c core/msg.c core/selftest.c core/console.c core/uart16550.c core/pl011.c \
        core/panic.c core/poweroff.c core/format.c core/string.c \
        core/mem.c core/vm.c core/sched.c core/exit.c core/boot_vms.c core/vuart.c core/vpl011.c core/console_input.c core/hwirq.c \
        ipc/mailbox.c partition/hostdt.c partition/vmconfig.c partition/vmplan.c partition/json.c \
        partition/vmpkg.c partition/crc32.c partition/guestdt.c partition/irqmap.c partition/isa.c partition/devranges.c \
        $(IRQC_HOSTDT_SRCS)
LIBFDT := fdt.c fdt_ro.c fdt_wip.c fdt_sw.c fdt_rw.c fdt_strerror.c fdt_addresses.c fdt_empty_tree.c

OBJS := $(patsubst %,$(OUT)/obj/%.o,$(SRCS)) \
        $(patsubst %,$(OUT)/obj/libfdt/%.o,$(LIBFDT))

.PHONY: all deps run run-uboot test test-quick test-only host-tests qemu-tests disk clean distclean linux-guest bench lint
all: $(OUT)/tessera.bin

deps: $(STAMP)
$(STAMP): tools/install-deps.sh
	bash tools/install-deps.sh

$(BUILD)/include/jsmn.h: $(STAMP)
	$(Q)mkdir -p $(@D) && cp /usr/include/jsmn.h $@

# Boot-time code (config, package and device-tree handling, libfdt) is built
# for size; the exit and scheduling paths (and CRC-32) for speed (docs/performance.md).
COLD_OPT := -Os
COLD_OBJS := $(patsubst %,$(OUT)/obj/%.o,$(filter-out partition/crc32.c,$(filter partition/%,$(SRCS))) \
               $(IRQC_HOSTDT_SRCS) core/boot_vms.c core/main.c core/selftest.c)
$(COLD_OBJS): CFLAGS += $(COLD_OPT)

$(OUT)/obj/%.c.o: %.c $(STAMP) $(BUILD)/include/jsmn.h
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/obj/%.S.o: %.S $(STAMP)
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

# libfdt is someone else's code: same target flags, its own warnings relaxed.
$(OUT)/obj/libfdt/%.c.o: $(STAMP)
	@mkdir -p $(@D)
	@echo "  CC      libfdt/$*.c"
	$(Q)$(CC) $(CFLAGS) $(COLD_OPT) -Wno-sign-compare -c $(DEPS)/libfdt/$*.c -o $@

$(OUT)/tessera.elf: $(OBJS) $(ARCH_LDSCRIPT)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(OBJS) -o $@

$(OUT)/tessera.bin: $(OUT)/tessera.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@

# A test build, never shipped (docs/testing.md): fault-injection hooks (a
# guest can hold its core in tessera) and one-slot mailboxes, so that a test
# can fill a ring and reach what a full ring makes tessera do.
HOOKS        := $(OUT)/hooks
HOOKS_CONFIG := -DCONFIG_TEST_HOOKS -DCONFIG_MBOX_SLOTS=1
HOOKS_OBJS   := $(patsubst %,$(HOOKS)/obj/%.o,$(SRCS)) $(patsubst %,$(OUT)/obj/libfdt/%.o,$(LIBFDT))
$(patsubst $(OUT)/obj/%,$(HOOKS)/obj/%,$(COLD_OBJS)): CFLAGS += $(COLD_OPT)

$(HOOKS)/obj/%.c.o: %.c $(STAMP) $(BUILD)/include/jsmn.h
	@mkdir -p $(@D)
	@echo "  CC      $< (test hooks)"
	$(Q)$(CC) $(CFLAGS) $(HOOKS_CONFIG) -MMD -MP -c $< -o $@

$(HOOKS)/obj/%.S.o: %.S $(STAMP)
	@mkdir -p $(@D)
	@echo "  AS      $< (test hooks)"
	$(Q)$(CC) $(ASFLAGS) $(HOOKS_CONFIG) -MMD -MP -c $< -o $@

$(HOOKS)/tessera.elf: $(HOOKS_OBJS) $(ARCH_LDSCRIPT)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(HOOKS_OBJS) -o $@

$(HOOKS)/tessera.bin: $(HOOKS)/tessera.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@

-include $(shell find $(OUT)/obj $(HOOKS)/obj -name '*.d' 2>/dev/null)

# ---- host builds of the portable code (ipc/, partition/) under sanitizers ----
HOST_CFLAGS := -std=gnu11 -g -Wall -Wextra -Werror -I. -Itests/host -I$(DEPS)/libfdt -pthread
HOST_LIBFDT  = $(addprefix $(DEPS)/libfdt/,$(LIBFDT))
SAN_plain := -O2
SAN_tsan  := -O1 -fsanitize=thread
SAN_asan  := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_VARIANTS := plain tsan asan
HOST_TESTS := test_mailbox test_hostdt test_guestdt test_guestdt_a64 test_insn

include partition/partition.mk
include tests/guests/guests.mk
include tests/guests/aarch64/guests.mk
include tests/fuzz/fuzz.mk

# partition/'s guest tree with AArch64's parts (the arch's portable device-tree files)
A64_HOSTDT_SRCS := arch/aarch64/hostdt_kept.c arch/aarch64/cpus_dt.c arch/aarch64/irqc/gicv3_dt.c
define host_variant
$(BUILD)/host/$(1)/test_mailbox: tests/host/test_mailbox.c ipc/mailbox.c ipc/mailbox.h ipc/msg.h tests/host/check.h
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_$(1)) tests/host/test_mailbox.c ipc/mailbox.c -o $$@
$(BUILD)/host/$(1)/test_insn: tests/host/test_insn.c arch/riscv64/insn.c arch/riscv64/include/arch/insn.h tests/host/check.h
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_$(1)) -Iarch/riscv64/include tests/host/test_insn.c arch/riscv64/insn.c -o $$@
$(BUILD)/host/$(1)/test_hostdt: tests/host/test_hostdt.c $(IRQC_HOSTDT_SRCS) partition/irqc_dt.h partition/hostdt.c partition/hostdt.h partition/isa.c partition/isa.h tests/host/check.h $(STAMP)
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_$(1)) -Wno-sign-compare tests/host/test_hostdt.c partition/hostdt.c partition/isa.c $(IRQC_HOSTDT_SRCS) $(HOST_LIBFDT) -o $$@
$(BUILD)/host/$(1)/test_guestdt: tests/host/test_guestdt.c $(IRQC_HOSTDT_SRCS) partition/irqc_dt.h partition/hostdt.c partition/guestdt.c partition/guestdt.h partition/isa.c partition/isa.h partition/irqmap.c partition/irqmap.h $(VMCFG_SRCS) tests/host/check.h $(STAMP)
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_$(1)) -Wno-sign-compare tests/host/test_guestdt.c partition/guestdt.c partition/hostdt.c partition/irqmap.c partition/isa.c $(IRQC_HOSTDT_SRCS) $(VMCFG_SRCS) $(HOST_LIBFDT) -o $$@
$(BUILD)/host/$(1)/test_guestdt_a64: tests/host/test_guestdt_a64.c $(A64_HOSTDT_SRCS) partition/guestdt.c partition/guestdt.h partition/hostdt.c partition/irqmap.c partition/isa.c tests/host/check.h $(STAMP)
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_$(1)) -Wno-sign-compare tests/host/test_guestdt_a64.c partition/guestdt.c partition/hostdt.c partition/irqmap.c partition/isa.c $(A64_HOSTDT_SRCS) $(HOST_LIBFDT) -o $$@
endef
$(foreach v,$(HOST_VARIANTS),$(eval $(call host_variant,$(v))))


HOST_BINS := $(foreach v,$(HOST_VARIANTS),$(foreach t,$(HOST_TESTS),$(BUILD)/host/$(v)/$(t))) \
             $(PARTITION_HOST_BINS)
host-bins: $(HOST_BINS)

# ---- QEMU ----
# Debian's riscv64 kernel and busybox initramfs variants for the Linux scenarios.
LINUX_GUEST := $(BUILD)/linux/Image
linux-guest: $(LINUX_GUEST)
# Debian's arm64 kernel and busybox for the AArch64 Linux VMs (docs/aarch64.md)
LINUX_A64 := $(BUILD)/linux-arm64/Image
$(LINUX_A64): tools/fetch-guests.sh | $(STAMP)
	tools/fetch-guests.sh --arch arm64 $(BUILD)/linux-arm64
$(LINUX_GUEST): tools/fetch-guests.sh tests/guests/linux/rtc-alarm.c | $(STAMP)
	tools/fetch-guests.sh $(BUILD)/linux

# The demo: the VMs of configs/demo-*.json (Debian's Linux with a shell beside
# bare-metal test guests), packed with their images.
DEMO_CONFIGS := $(wildcard configs/demo-*.json)
$(BUILD)/vms.pkg: $(DEMO_CONFIGS) $(GUEST_BINS) $(BUILD)/tools/mkpkg $(LINUX_GUEST)
	@echo "  MKPKG   $@"
	$(Q)$(BUILD)/tools/mkpkg -o $@ -I $(BUILD)/guests -I $(BUILD)/linux $(DEMO_CONFIGS) >/dev/null

# The AArch64 demo (docs/aarch64.md): Debian's arm64 Linux with a shell beside
# a bare-metal guest that tests its timer and stops.
A64_DEMO_CONFIGS := $(wildcard configs/aarch64/demo-*.json)
$(BUILD)/aarch64/vms.pkg: $(A64_DEMO_CONFIGS) $(A64_GUEST_BINS) $(BUILD)/tools/mkpkg $(LINUX_A64)
	@echo "  MKPKG   $@"
	$(Q)mkdir -p $(@D)
	$(Q)$(BUILD)/tools/mkpkg -o $@ -I $(A64_GUEST_OUT) -I $(BUILD)/linux-arm64 $(A64_DEMO_CONFIGS) >/dev/null
.PHONY: run-aarch64
run-aarch64: aarch64 $(BUILD)/aarch64/vms.pkg
	tools/run-qemu --arch aarch64 --platform $(PLATFORM) --smp $(SMP) --kernel $(BUILD)/aarch64/tessera.bin \
		--initrd $(BUILD)/aarch64/vms.pkg

disk: $(BUILD)/disk.img
$(BUILD)/disk.img: $(OUT)/tessera.bin $(BUILD)/vms.pkg tools/mkdisk tools/boot.cmd
	@echo "  MKDISK  $@"
	$(Q)tools/mkdisk $@ $(OUT)/tessera.bin --pkg $(BUILD)/vms.pkg

# make ARCH=aarch64 run: the AArch64 demo (the same as make run-aarch64).
ifeq ($(ARCH),aarch64)
run: run-aarch64
else
run: $(OUT)/tessera.bin $(BUILD)/vms.pkg
	tools/run-qemu --platform $(PLATFORM) --smp $(SMP) --boot opensbi --kernel $(OUT)/tessera.bin --initrd $(BUILD)/vms.pkg
endif

run-uboot: $(BUILD)/disk.img
	tools/run-qemu --platform $(PLATFORM) --smp $(SMP) --boot uboot --disk $(BUILD)/disk.img

test: all aarch64 guests-a64 $(LINUX_A64) $(HOOKS)/tessera.bin host-bins guests $(BUILD)/disk.img $(LINUX_GUEST) $(BUILD)/include/jsmn.h fuzz-bins
	tests/run-all.sh

# The AArch64 build beside the RISC-V one (docs/aarch64.md): make test runs both.
.PHONY: aarch64
aarch64: $(STAMP)
	$(Q)$(MAKE) --no-print-directory ARCH=aarch64 all

# Static checks: cppcheck and clang-tidy, zero findings (docs/lint.md).
lint: $(BUILD)/include/jsmn.h $(STAMP)
	tools/lint.sh

# Benchmarks (never part of make test): docs/benchmarks.md, docs/benchmarks.svg.
# make bench ARCH=aarch64 (or riscv64) measures that architecture alone.
bench: all aarch64 guests-a64 $(LINUX_A64) $(BENCH_GUESTS) $(BUILD)/tools/mkpkg $(LINUX_GUEST)
	BENCH_ARCH=$(if $(filter command line,$(origin ARCH)),$(ARCH),all) tools/bench

host-tests: host-bins fuzz-bins $(BUILD)/include/jsmn.h
	tests/run-all.sh --host-only

qemu-tests: all aarch64 guests-a64 $(LINUX_A64) $(HOOKS)/tessera.bin host-bins guests $(BUILD)/disk.img $(LINUX_GUEST)
	tests/run-all.sh --qemu-only

# For iteration: the unit tests without fuzzing and lint, and the QEMU matrix
# on one platform (make test-quick PLATFORMS=qemu10 for the other): about 6 minutes.
test-quick: all aarch64 guests-a64 $(LINUX_A64) $(HOOKS)/tessera.bin host-bins guests $(BUILD)/disk.img $(LINUX_GUEST)
	TESSERA_QUICK=1 tests/run-all.sh

# Only the QEMU cases whose name matches ONLY (an extended regex), e.g.
# make test-only ONLY='hostile-.*@qemu7'
test-only: all aarch64 guests-a64 $(LINUX_A64) $(HOOKS)/tessera.bin host-bins guests $(BUILD)/disk.img $(LINUX_GUEST)
	TESSERA_ONLY='$(ONLY)' tests/run-all.sh --qemu-only

clean:
	rm -rf $(OUT)/obj $(HOOKS) $(BUILD)/host $(OUT)/tessera.* $(BUILD)/disk.img $(BUILD)/test $(BUILD)/include $(BUILD)/aarch64

distclean:
	rm -rf $(BUILD)
