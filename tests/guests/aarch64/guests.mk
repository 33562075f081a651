# The AArch64 test guests (tests/guests/aarch64/), built with the AArch64
# cross compiler into $(BUILD)/guests/aarch64/. Included by the top-level Makefile.
ifndef A64_GUESTS_MK_INCLUDED
A64_GUESTS_MK_INCLUDED := 1
A64_GUEST_DIR := tests/guests/aarch64
A64_GUEST_OUT := $(BUILD)/guests/aarch64
A64_GUEST_CC  := aarch64-linux-gnu-gcc
A64_GUEST_CFLAGS = -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib -fno-pie \
                   -march=armv8-a -mstrict-align -fno-stack-protector -I$(A64_GUEST_DIR)
A64_GUEST_LDFLAGS := -nostdlib -no-pie -static -T $(A64_GUEST_DIR)/guest.ld -Wl,--build-id=none \
                     -Wl,--no-warn-rwx-segments
A64_GUEST_NAMES := a64-hello a64-fault a64-timer a64-hostile a64-bench a64-smp a64-ipi a64-reboot a64-devices a64-storm a64-stress
A64_GUEST_BINS  := $(patsubst %,$(A64_GUEST_OUT)/%.bin,$(A64_GUEST_NAMES))
A64_GUEST_LIB   := $(A64_GUEST_OUT)/obj/start.o $(A64_GUEST_OUT)/obj/lib.o $(A64_GUEST_OUT)/obj/vectors.o

.PHONY: guests-a64
guests-a64: $(A64_GUEST_BINS)
.SECONDARY: $(A64_GUEST_LIB) $(patsubst %,$(A64_GUEST_OUT)/obj/%.o,$(A64_GUEST_NAMES)) $(patsubst %,$(A64_GUEST_OUT)/%.elf,$(A64_GUEST_NAMES))

$(A64_GUEST_OUT)/obj/%.o: $(A64_GUEST_DIR)/%.c | $(STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(A64_GUEST_CC) $(A64_GUEST_CFLAGS) -MMD -MP -c $< -o $@
$(A64_GUEST_OUT)/obj/%.o: $(A64_GUEST_DIR)/%.S | $(STAMP)
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(A64_GUEST_CC) $(A64_GUEST_CFLAGS) -c $< -o $@
$(A64_GUEST_OUT)/%.elf: $(A64_GUEST_OUT)/obj/%.o $(A64_GUEST_LIB) $(A64_GUEST_DIR)/guest.ld
	@echo "  LD      $@"
	$(Q)$(A64_GUEST_CC) $(A64_GUEST_CFLAGS) $(A64_GUEST_LDFLAGS) $< $(A64_GUEST_LIB) -o $@
$(A64_GUEST_OUT)/%.bin: $(A64_GUEST_OUT)/%.elf
	@echo "  OBJCOPY $@"
	$(Q)aarch64-linux-gnu-objcopy -O binary $< $@
-include $(wildcard $(A64_GUEST_OUT)/obj/*.d)
endif
