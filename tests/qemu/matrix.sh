# The QEMU matrix: sourced by tests/run-all.sh, which defines
#   qemu_case NAME TIMEOUT EXPECTED_EXIT RULES -- run-qemu args...
# Each case states the lines tessera must (or must not) print.
# Variables: T (build/test), BIN (tessera.bin), DTB_DIR (device trees).

never_bad='.*(panic|FAILED|failed|did not report|bogus|dropped message).*'

# Foundation: every hart comes up as its own instance, mailboxes pass PING/PONG.
boot_rules() {  # N
	local n=$1 f=$T/rules/boot-smp$1
	{
		echo "once tessera [^ ]+: $n harts, 1024 MiB RAM, timebase 10000000 Hz"
		for ((i = 0; i < n; i++)); do echo "once core $i \\(hart $i\\) online"; done
		echo "count=$n core [0-9]+ \\(hart [0-9]+\\) online"
		echo "once [ ]+g-stage  Sv39x4, [1-9][0-9]* VMID bits"
		echo "once tessera: $n cores online"
		echo "once mailbox: $((2 * n * (n - 1))) messages ok"
		echo "once tessera: self-test done, powering off"
		echo "never $never_bad"
	} >"$f"
	echo "$f"
}

# fw_jump: on OpenSBI 1.5.1 (qemu10) a hart that reaches the firmware's boot
# lottery after the winner has finished never leaves M-mode (a firmware defect,
# docs/platforms.md), so there fw_jump is run with one hart only.
jump_smps="1 2 4 8"
[ "$TESSERA_PLATFORM" = qemu10 ] && jump_smps=1
for n in $jump_smps; do
	qemu_case "boot-opensbi-smp$n" 90 0 "$(boot_rules $n)" -- --boot opensbi --fw jump --smp $n --kernel "$BIN" \
		--append tessera.selftest
done
# OpenSBI's fw_dynamic: QEMU passes the next stage's address and mode in a
# struct (a2) instead of the fixed 0x80200000 of fw_jump.
for n in 1 2 4 8; do
	qemu_case "boot-opensbi-dynamic-smp$n" 90 0 "$(boot_rules $n)" -- --boot opensbi --fw dynamic --smp $n \
		--kernel "$BIN" --append tessera.selftest
done
for n in 1 2 4 8; do
	qemu_case "boot-uboot-smp$n" 150 0 "$(boot_rules $n)" -- --boot uboot --smp $n --disk "$T/disk-selftest.img"
done

# More harts than tessera is built for: the rest stay off, the others work.
cat >"$T/rules/too-many-harts" <<RULES
once tessera [^ ]+: 9 harts, 1024 MiB RAM, timebase 10000000 Hz
once tessera: 9 harts but built for 8 cores \\(CONFIG_MAX_CORES\\): the rest stay off
once tessera: 8 cores online
once mailbox: 112 messages ok
never $never_bad
RULES
qemu_case "too-many-harts-opensbi-smp9" 120 0 "$T/rules/too-many-harts" -- --boot opensbi --smp 9 --kernel "$BIN" \
	--append tessera.selftest

# No UART in the device tree tessera is given: say so, carry on over SBI.
cat >"$T/rules/no-uart" <<RULES
once tessera: no console UART in the device tree \\(no stdout-path, no ns16550a or arm,pl011 node\\): console stays on SBI
once tessera: 2 cores online
once mailbox: 4 messages ok
never $never_bad
RULES
qemu_case "no-uart-uboot-smp2" 150 0 "$T/rules/no-uart" -- --boot uboot --smp 2 --disk "$T/disk-nouart.img"

# A device tree tessera cannot use: a clear message and a power-off, no hang.
cat >"$T/rules/bad-dtb" <<RULES
once tessera: bad host device tree: /cpus: timebase-frequency missing or zero
once tessera: cannot continue, powering off
never core [0-9]+ .*online
RULES
qemu_case "bad-dtb-uboot-smp2" 150 0 "$T/rules/bad-dtb" -- --boot uboot --smp 2 --disk "$T/disk-badtree.img"

# Values the tree may not hold: an unbounded riscv,ndev (once an endless loop
# at PLIC set-up) and a timebase so slow that every slice is zero ticks.
bad_dtb_case() {  # NAME MESSAGE-REGEX DISK
	cat >"$T/rules/$1" <<RULES
once tessera: bad host device tree: $2
once tessera: cannot continue, powering off
never core [0-9]+ .*online
RULES
	qemu_case "$1" 150 0 "$T/rules/$1" -- --boot uboot --smp 2 --disk "$3"
}
bad_dtb_case bad-dtb-ndev-uboot-smp2 'plic@c000000: riscv,ndev 4294967264: a PLIC has at most 1023 sources' \
	"$T/disk-bad-ndev.img"
bad_dtb_case bad-dtb-timebase-uboot-smp2 '/cpus: timebase-frequency 100 Hz is outside 1000 Hz .. 10000000000 Hz' \
	"$T/disk-bad-timebase.img"

# A hart without the H extension cannot host VMs: refuse, exit with status 1.
cat >"$T/rules/no-hext" <<RULES
once tessera: boot hart 0 has no H extension \\(isa "rv64imafdc(_[^"]*)?"\\): cannot host VMs
never core [0-9]+ .*online
RULES
qemu_case "no-h-extension-opensbi-smp1" 60 1 "$T/rules/no-hext" -- --boot opensbi --smp 1 --kernel "$BIN" -- -cpu rv64,h=false
