# VM configs, plan checks and the VM package: host tools and host tests.
# Included from the top-level Makefile (uses its HOSTCC, HOST_CFLAGS, SAN_*,
# BUILD, Q, STAMP). Guarded, so `make -f Makefile -f partition/partition.mk`
# works whether or not the Makefile includes it already.
ifndef PARTITION_MK_INCLUDED
PARTITION_MK_INCLUDED := 1

# Portable sources: these also go into tessera itself (SRCS), all but vmpkg_write.c.
VMCFG_SRCS  := partition/json.c partition/vmconfig.c partition/vmplan.c
VMCFG_HDRS  := partition/json.h partition/vmconfig.h
VMPKG_SRCS  := partition/crc32.c partition/vmpkg.c partition/vmpkg_write.c
VMPKG_HDRS  := partition/crc32.h partition/vmpkg.h
PARTITION_TARGET_SRCS := $(VMCFG_SRCS) partition/crc32.c partition/vmpkg.c

PARTITION_TOOLS := $(BUILD)/tools/mkpkg $(BUILD)/tools/tessera-config
PARTITION_HOST_VARIANTS := plain asan
PARTITION_HOST_TESTS := test_vmconfig test_vmpkg
PARTITION_HOST_BINS := $(PARTITION_TOOLS) \
	$(foreach v,$(PARTITION_HOST_VARIANTS),$(foreach t,$(PARTITION_HOST_TESTS),$(BUILD)/host/$(v)/$(t)))

$(BUILD)/tools/mkpkg: tools/mkpkg.c tools/hostfile.h $(VMCFG_SRCS) $(VMCFG_HDRS) $(VMPKG_SRCS) $(VMPKG_HDRS) $(STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_plain) tools/mkpkg.c $(VMCFG_SRCS) $(VMPKG_SRCS) -o $@

TESSERA_CONFIG_SRCS := tools/tessera-config.c $(VMCFG_SRCS) partition/hostdt.c partition/isa.c \
	partition/devranges.c $(IRQC_HOSTDT_SRCS) arch/riscv64/vmcfg_check.c arch/aarch64/vmcfg_check.c
$(BUILD)/tools/tessera-config: $(TESSERA_CONFIG_SRCS) tools/hostfile.h $(VMCFG_HDRS) partition/devranges.h \
		partition/hostdt.h partition/irqc_dt.h $(STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_plain) -Wno-sign-compare $(TESSERA_CONFIG_SRCS) $(HOST_LIBFDT) -o $@

define partition_host_variant
$(BUILD)/host/$(1)/test_vmconfig: tests/host/test_vmconfig.c tests/host/test_vmplan.c tests/host/check.h $(VMCFG_SRCS) $(VMCFG_HDRS) $(STAMP)
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_$(1)) tests/host/test_vmconfig.c tests/host/test_vmplan.c $(VMCFG_SRCS) -o $$@
$(BUILD)/host/$(1)/test_vmpkg: tests/host/test_vmpkg.c tests/host/check.h $(VMPKG_SRCS) $(VMPKG_HDRS)
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_$(1)) tests/host/test_vmpkg.c $(VMPKG_SRCS) -o $$@
endef
$(foreach v,$(PARTITION_HOST_VARIANTS),$(eval $(call partition_host_variant,$(v))))

.PHONY: partition-bins
partition-bins: $(PARTITION_HOST_BINS)

endif
