#!/usr/bin/env bash
# tessera's test suite: host unit tests (plain, TSan, ASan+UBSan), then the
# QEMU matrix. One line per case, then "N passed, N failed".
# usage: tests/run-all.sh [--host-only | --qemu-only]
# The QEMU matrix runs once per platform of $TESSERA_PLATFORMS (default: both,
# "qemu7 qemu10": docs/platforms.md); each case's name ends in @PLATFORM.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
T=$top/build/test
BIN=$top/build/tessera.bin
HOOKS_BIN=$top/build/hooks/tessera.bin   # the test build (Makefile: HOOKS)
mode=${1:-all}
rm -rf "$T" && mkdir -p "$T/logs" "$T/rules" "$T/dtb"
passed=0 failed=0
failures=()

record() {  # reads PASS/FAIL lines from stdin, echoes and counts them
	local line
	while IFS= read -r line; do
		case $line in
		"PASS "*) passed=$((passed + 1)); echo "$line" ;;
		"FAIL "*) failed=$((failed + 1)); failures+=("$line"); echo "$line" ;;
		*) echo "$line" ;;
		esac
	done
}

# Run a host test program; a crash or a run with no verdicts is a failure too.
host_test() {  # NAME -- command...
	local name=$1; shift 2
	local log=$T/logs/$name.log
	"$@" >"$log" 2>&1
	local rc=$?
	record <"$log"
	local verdicts
	verdicts=$(grep -cE '^(PASS|FAIL) ' "$log")
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$log"; then
		record <<<"FAIL $name: exited with status $rc (log: $log)"
		tail -n 20 "$log"
	elif [ "$verdicts" -eq 0 ]; then
		record <<<"FAIL $name: ran no case (log: $log)"
	fi
}

qemu_case() {  # NAME TIMEOUT EXIT RULES -- run-qemu args...   (on $TESSERA_PLATFORM)
	local name=$1@$TESSERA_PLATFORM to=$2 ex=$3 rules=$4; shift 4
	# TESSERA_ONLY=REGEX (make test-only ONLY=REGEX): run just the cases it matches
	[ -n "${TESSERA_ONLY:-}" ] && ! [[ $name =~ $TESSERA_ONLY ]] && return
	record < <(tests/qemu/run-case "$name" "$T/logs" "$to" "$ex" "$rules" "$@")
}

platforms=${TESSERA_PLATFORMS:-qemu7 qemu10}
# TESSERA_QUICK=1 (make test-quick): no fuzzing, no lint, one platform unless told.
quick=${TESSERA_QUICK:-}
[ -n "$quick" ] && [ "$platforms" = "qemu7 qemu10" ] && platforms=qemu7

# Each platform's own virt trees (QEMU dumps them), and broken ones made from them.
make_dtbs() {  # PLATFORM
	local d=$T/dtb/$1 n
	mkdir -p "$d"
	for n in 2 4; do
		tools/run-qemu --platform "$1" --smp $n -- -M "virt,dumpdtb=$d/virt$n.dtb" >/dev/null 2>&1
		[ -s "$d/virt$n.dtb" ] || record <<<"FAIL dtb@$1: QEMU did not dump its virt tree ($d/virt$n.dtb)"
	done
	cp "$d/virt2.dtb" "$d/nouart.dtb"
	fdtput -r "$d/nouart.dtb" /soc/serial@10000000
	fdtput -d "$d/nouart.dtb" /chosen stdout-path
	cp "$d/virt4.dtb" "$d/uart-noirq.dtb"
	fdtput -d "$d/uart-noirq.dtb" /soc/serial@10000000 interrupts
	cp "$d/virt2.dtb" "$d/badtree.dtb"
	fdtput -d "$d/badtree.dtb" /cpus timebase-frequency
	cp "$d/virt2.dtb" "$d/bad-ndev.dtb"
	fdtput -t x "$d/bad-ndev.dtb" /soc/plic@c000000 riscv,ndev 0xffffffe0
	cp "$d/virt2.dtb" "$d/bad-timebase.dtb"
	fdtput -t i "$d/bad-timebase.dtb" /cpus timebase-frequency 100
}

start=$(date +%s)
for plat in $platforms; do make_dtbs "$plat"; done
if [ "$mode" != "--qemu-only" ]; then
	for v in plain asan tsan; do
		host_test "host-$v-mailbox" -- build/host/$v/test_mailbox "mailbox-$v" 1000000
		host_test "host-$v-insn" -- build/host/$v/test_insn "insn-$v"
		for plat in $platforms; do
			host_test "host-$v-hostdt-$plat" -- build/host/$v/test_hostdt "hostdt-$v@$plat" "$T/dtb/$plat/virt4.dtb"
		done
		host_test "host-$v-guestdt" -- build/host/$v/test_guestdt "guestdt-$v" "$T/dtb/guest-$v.dtb"
		host_test "host-$v-guestdt-a64" -- build/host/$v/test_guestdt_a64
	done
	# The generated tree as dtc reads it back.
	if dtc -q -I dtb -O dts -o "$T/dtb/guest.dts" "$T/dtb/guest-plain.dtb" 2>"$T/logs/dtc.log" &&
		grep -q 'compatible = "tessera,vm"' "$T/dtb/guest.dts" &&
		grep -q 'interrupts-extended = <0x01 0x09 0x02 0x09>' "$T/dtb/guest.dts" &&
		grep -q 'stdout-path = "/soc/serial@10000000"' "$T/dtb/guest.dts"; then
		record <<<"PASS guestdt: dtc reads the generated tree back"
	else
		record <<<"FAIL guestdt: dtc does not read the generated tree back as written (see $T/dtb/guest.dts)"
	fi
	for v in plain asan; do
		host_test "host-$v-vmconfig" -- build/host/$v/test_vmconfig "vmconfig-$v"
		host_test "host-$v-vmpkg" -- build/host/$v/test_vmpkg "vmpkg-$v"
	done
	host_test "configs" -- tests/configs/check-configs.sh "$T/dtb/${platforms%% *}/virt4.dtb"
	if [ -z "$quick" ]; then
		# fuzz smoke: replay the kept regression inputs, then fuzz each parser a while
		# a fixed seed: the smoke run explores the same inputs each time (make fuzz: random)
		FUZZ_BUILD=build FUZZ_SEED=${FUZZ_SEED:-1} tests/fuzz/run.sh "${FUZZ_SMOKE_SECONDS:-60}" \
			>"$T/logs/fuzz.log" 2>&1
		record <"$T/logs/fuzz.log"
		grep -qE '^(PASS|FAIL) fuzz-' "$T/logs/fuzz.log" ||
			record <<<"FAIL fuzz: tests/fuzz/run.sh reported nothing (log: $T/logs/fuzz.log)"
		if tools/lint.sh >"$T/logs/lint.log" 2>&1; then
			record <<<"PASS lint: cppcheck and clang-tidy, no findings"
		else
			record <<<"FAIL lint: $(grep -E '^lint: ' "$T/logs/lint.log" | tr '\n' ' ')(log: $T/logs/lint.log)"
		fi
	fi
fi
if [ "$mode" != "--host-only" ]; then
	tools/mkdisk "$T/disk-selftest.img" "$BIN" --bootargs tessera.selftest
	mkdir -p "$T/scen"
	for plat in $platforms; do
		export TESSERA_PLATFORM=$plat
		echo "== QEMU matrix on $plat: $(tools/run-qemu --version | head -n1)"
		tools/mkdisk "$T/disk-nouart.img" "$BIN" --dtb "$T/dtb/$plat/nouart.dtb" --bootargs tessera.selftest
		tools/mkdisk "$T/disk-badtree.img" "$BIN" --dtb "$T/dtb/$plat/badtree.dtb"
		for b in ndev timebase; do
			tools/mkdisk "$T/disk-bad-$b.img" "$BIN" --dtb "$T/dtb/$plat/bad-$b.dtb"
		done
		. tests/qemu/matrix.sh
		. tests/qemu/vm-scenarios.sh
		. tests/qemu/hostile-scenarios.sh
		. tests/qemu/linux-scenarios.sh
		. tests/qemu/aia-scenarios.sh
		. tests/qemu/aarch64-scenarios.sh
	done
fi

echo
echo "tests took $(( $(date +%s) - start )) s; logs in $T/logs"
for f in "${failures[@]}"; do echo "  $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
