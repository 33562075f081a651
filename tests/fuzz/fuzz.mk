# libFuzzer targets for the boot-time input parsers in partition/ (tests/fuzz/).
#   make fuzz-bins                      build $(BUILD)/fuzz/fuzz_<name> for every target
#   make fuzz [FUZZ_SECONDS=300] [FUZZ_RUN=vmpkg ...]   replay regressions and seeds, then
#                                       fuzz each target in turn (tests/fuzz/run.sh)
# Uses the top-level Makefile's BUILD, DEPS, Q (and STAMP when it is there).
# Guarded, so `make -f Makefile -f tests/fuzz/fuzz.mk ...` works whether or not
# the Makefile includes it already.
ifndef FUZZ_MK_INCLUDED
FUZZ_MK_INCLUDED := 1

BUILD ?= build
DEPS  ?= $(BUILD)/deps
Q     ?= @

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 300
FUZZ_TARGETS := vmconfig vmpkg guestdt hostdt
FUZZ_RUN     ?= $(FUZZ_TARGETS)
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_BINS    := $(foreach t,$(FUZZ_TARGETS),$(FUZZ_DIR)/fuzz_$(t))

# jsmn.h: partition/json.c includes <jsmn.h>; clang finds /usr/include/jsmn.h
# (tools/install-deps.sh installs it) on its default path, and the copy the
# Makefile may have made in $(BUILD)/include is the same file.
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
               -I. -I$(DEPS)/libfdt -I$(BUILD)/include -Wall -Wextra
FUZZ_LIBFDT := fdt.c fdt_ro.c fdt_wip.c fdt_sw.c fdt_rw.c fdt_strerror.c fdt_addresses.c fdt_empty_tree.c
FUZZ_LIBFDT_OBJS := $(patsubst %.c,$(FUZZ_DIR)/obj/libfdt/%.o,$(FUZZ_LIBFDT))
# The dependencies tools/install-deps.sh provides: the Makefile's stamp if it is there.
FUZZ_DEPS := $(if $(STAMP),$(STAMP),$(DEPS)/libfdt/fdt.c) /usr/include/jsmn.h tests/fuzz/fuzz.mk

IRQC_DT_SRCS ?= $(addprefix arch/riscv64/irqc/,irqc_dt.c plic_dt.c plic_hostdt.c aia_dt.c aia_hostdt.c)
IRQC_HOSTDT_SRCS ?= arch/riscv64/hostdt_kept.c arch/riscv64/cpus_dt.c $(IRQC_DT_SRCS)
fuzz_vmconfig_SRCS := partition/json.c partition/vmconfig.c partition/vmplan.c
fuzz_vmpkg_SRCS    := partition/crc32.c partition/vmpkg.c partition/vmpkg_write.c \
                      partition/json.c partition/vmconfig.c partition/vmplan.c
fuzz_guestdt_SRCS  := $(IRQC_HOSTDT_SRCS) partition/guestdt.c partition/irqmap.c partition/hostdt.c partition/isa.c \
                      partition/json.c partition/vmconfig.c partition/vmplan.c
fuzz_hostdt_SRCS   := $(IRQC_HOSTDT_SRCS) partition/hostdt.c partition/guestdt.c partition/irqmap.c partition/isa.c
fuzz_guestdt_LIBFDT := 1
fuzz_hostdt_LIBFDT  := 1

$(FUZZ_DIR)/obj/%.o: %.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

# libfdt is someone else's code: its own warnings relaxed, and no alignment
# checks: it reads header, reserve map and cell fields with byte loads
# (fdt32_ld, fdt64_ld_), but forms member pointers like &re->size on blocks a
# blob may place at any offset, which UBSan reports though nothing loads
# misaligned. Everything else (ASan, the rest of UBSan) stays on.
$(FUZZ_DIR)/obj/libfdt/%.o: $(FUZZ_DEPS)
	@mkdir -p $(@D)
	@echo "  FUZZCC  libfdt/$*.c"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fno-sanitize=alignment -Wno-sign-compare -c $(DEPS)/libfdt/$*.c -o $@

define fuzz_target
$(FUZZ_DIR)/fuzz_$(1): $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,tests/fuzz/fuzz_$(1).c $(fuzz_$(1)_SRCS)) \
                       $(if $(fuzz_$(1)_LIBFDT),$(FUZZ_LIBFDT_OBJS))
	@echo "  FUZZLD  $$@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $$^ -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_target,$(t))))

-include $(shell find $(FUZZ_DIR)/obj -name '*.d' 2>/dev/null)

.PHONY: fuzz-bins fuzz
fuzz-bins: $(FUZZ_BINS)

fuzz: fuzz-bins
	$(Q)FUZZ_BUILD=$(BUILD) tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_RUN)

endif
