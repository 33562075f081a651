# tessera bare-metal test guests (tests/guests/).  Included by the top-level
# Makefile; also works alone: make -f tests/guests/guests.mk guests
#
#   guests               build every guest
#   $(BUILD)/guests/NAME.elf, $(BUILD)/guests/NAME.bin
#   GUEST_NAMES          hello smp ipi timer rfence reboot stress
#   GUEST_BINS / GUEST_ELFS   the files above for every guest
#   STRESS_SECONDS       length of the stress guest's run (default 10)
ifndef GUESTS_MK_INCLUDED
GUESTS_MK_INCLUDED := 1
CROSS_COMPILE ?= riscv64-linux-gnu-
BUILD         ?= build
Q             ?= @
STRESS_SECONDS ?= 10

GUEST_DIR     := tests/guests
GUEST_OUT     := $(BUILD)/guests
GUEST_CC      := $(CROSS_COMPILE)gcc
GUEST_OBJCOPY := $(CROSS_COMPILE)objcopy
# expanded in recipes only, once the cross compiler is installed (see GCC_INC)
GUEST_INC = $(eval GUEST_INC := $(shell $(GUEST_CC) -print-file-name=include))$(GUEST_INC)
GUEST_CFLAGS  = -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib -nostdinc \
                 -isystem $(GUEST_INC) \
                 -fno-pie -mcmodel=medany -march=rv64imac_zicsr_zifencei -mabi=lp64 \
                 -fno-stack-protector -I$(GUEST_DIR)/lib
GUEST_LDFLAGS := -nostdlib -no-pie -static -Wl,--no-relax -T $(GUEST_DIR)/lib/guest.ld \
                 -Wl,--no-warn-rwx-segments -Wl,--build-id=none

GUEST_NAMES := hello smp ipi timer rfence reboot stress fault devices suspend victim hostile mmio leak cutshort aia
GUEST_LIB   := start.S sbi.c console.c trap.c harts.c string.c bootargs.c
GUEST_LIB_OBJS := $(patsubst %,$(GUEST_OUT)/obj/lib/%.o,$(GUEST_LIB))
GUEST_OBJS  := $(patsubst %,$(GUEST_OUT)/obj/%.c.o,$(GUEST_NAMES))
GUEST_ELFS  := $(patsubst %,$(GUEST_OUT)/%.elf,$(GUEST_NAMES))
GUEST_BINS  := $(patsubst %,$(GUEST_OUT)/%.bin,$(GUEST_NAMES))

.PHONY: guests guests-clean guests-force
guests: $(GUEST_BINS)
# keep the objects and ELFs (they are only intermediate steps of the .bin)
.SECONDARY: $(GUEST_OBJS) $(GUEST_ELFS) $(GUEST_LIB_OBJS)

guests-clean:
	rm -rf $(GUEST_OUT)

$(GUEST_OUT)/obj/%.c.o: $(GUEST_DIR)/%.c | $(STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

# The hostile guest and its victim (issue: isolation) live in hostile/.
$(GUEST_OUT)/obj/%.c.o: $(GUEST_DIR)/hostile/%.c | $(STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_OUT)/obj/%.S.o: $(GUEST_DIR)/%.S | $(STAMP)
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

# The benchmark guest (make bench) is built with the same library.
# bench-boot.bin only prints its boot cost and stops (for -smp 4 under icount).
BENCH_GUESTS := $(GUEST_OUT)/bench.bin $(GUEST_OUT)/bench-boot.bin $(GUEST_OUT)/bench-aia.bin
$(GUEST_OUT)/obj/bench.c.o: tests/bench/bench.c | $(STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@
$(GUEST_OUT)/obj/bench-boot.c.o: tests/bench/bench.c | $(STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $< (boot only)"
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -DBENCH_BOOT_ONLY -c $< -o $@
$(GUEST_OUT)/obj/bench-aia.c.o: tests/bench/bench_aia.c | $(STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@
.SECONDARY: $(GUEST_OUT)/bench.elf $(GUEST_OUT)/bench-boot.elf $(GUEST_OUT)/bench-aia.elf

# The stress length is a build option: rebuild when it changes.
$(GUEST_OUT)/stress-seconds: guests-force
	@mkdir -p $(@D)
	@echo $(STRESS_SECONDS) | cmp -s - $@ || echo $(STRESS_SECONDS) > $@
$(GUEST_OUT)/obj/stress.c.o: GUEST_CFLAGS += -DSTRESS_SECONDS=$(STRESS_SECONDS)
$(GUEST_OUT)/obj/stress.c.o: $(GUEST_OUT)/stress-seconds

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/obj/%.c.o $(GUEST_LIB_OBJS) $(GUEST_DIR)/lib/guest.ld
	@echo "  LD      $@"
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) $< $(GUEST_LIB_OBJS) -o $@

$(GUEST_OUT)/%.bin: $(GUEST_OUT)/%.elf
	@echo "  OBJCOPY $@"
	$(Q)$(GUEST_OBJCOPY) -O binary $< $@

-include $(wildcard $(GUEST_OUT)/obj/*.d $(GUEST_OUT)/obj/lib/*.d)
endif
