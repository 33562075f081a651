# AArch64 at EL2 (docs/aarch64.md): tessera built with make ARCH=aarch64, on
# QEMU virt with virtualization=on and a GICv3, booted directly (-kernel):
# every core comes up as its own instance (PSCI CPU_ON) and the mailboxes
# pass the self-test over GICv3 SGIs; then bare-metal AArch64 guests in VMs
# (tests/guests/aarch64/). Sourced by tests/run-all.sh per platform.

A64_BIN=$top/build/aarch64/tessera.bin
A64_GUESTS=$top/build/guests/aarch64

# U-Boot's own boot attempts before the disk print "failed" lines of their
# own: on that path the check covers tessera's lines (and any panic).
a64_never_bad() {  # [uboot]
	if [ "${1:-}" = uboot ]; then
		echo "never (tessera|core|vm|mailbox|\\[).*(panic|FAILED|failed|did not report|bogus|dropped message).*"
		echo "never .*panic.*"
	else
		echo "never $never_bad"
	fi
}

a64_boot_rules() {  # N CPU [uboot] -> rules file
	local n=$1 cpu=$2 f=$T/rules/a64-boot-smp$1-$2${3:+-$3} i
	{
		echo "once tessera [^ ]+: $n harts, 1024 MiB RAM, timebase [1-9][0-9]* Hz"
		echo "once [ ]+boot cpu mpidr 0x0, midr 0x[0-9a-f]+, entered at EL2"
		echo "once [ ]+uart     0x9000000 /pl011@9000000 \\(arm,pl011\\)"
		echo "once [ ]+gic      GICv3, distributor 0x8000000, redistributors 0x80a0000-0x[0-9a-f]+, [0-9]+ interrupt ids"
		echo "once [ ]+stage-2  4 KiB granule, 39-bit IPA \\(the CPU has (40|44|48)\\), (8|16) VMID bits"
		for ((i = 0; i < n; i++)); do echo "once core $i \\(hart $i\\) online"; done
		echo "once tessera: $n cores online"
		echo "once mailbox: $((2 * n * (n - 1))) messages ok"
		echo "once tessera: self-test done, powering off"
		a64_never_bad "${3:-}"
		echo "never .*(EL2 exception|hart_start failed|no GICv3 redistributor).*"
	} >"$f"
	echo "$f"
}

if [ -f "$A64_BIN" ]; then
	for n in 1 2 4 8; do
		qemu_case "a64-boot-smp$n" 90 0 "$(a64_boot_rules $n cortex-a72)" -- --arch aarch64 --smp $n \
			--kernel "$A64_BIN" --append tessera.selftest
	done
	# No virtualization (entered at EL1): the reason on the UART, then power-off, nothing started.
	cat >"$T/rules/a64-no-el2" <<'RULES'
once tessera: entered at EL1, not EL2: this machine gives no virtualization \(QEMU: -M virt,virtualization=on\); powering off
never core [0-9]+ .*online
never .*EL2 exception.*
RULES
	qemu_case "a64-no-el2-smp2" 60 0 "$T/rules/a64-no-el2" -- --arch aarch64 --smp 2 --kernel "$A64_BIN" \
		--append tessera.selftest -- -M virtualization=off
	# Through Debian's qemu_arm64 U-Boot (at EL2): boot.scr loads tessera and booti enters it.
	tools/mkdisk "$T/disk-a64-selftest.img" "$A64_BIN" --arch aarch64 --bootargs tessera.selftest
	for n in 1 2 4 8; do
		qemu_case "a64-boot-uboot-smp$n" 120 0 "$(a64_boot_rules $n cortex-a72 uboot)" -- --arch aarch64 \
			--smp $n --boot uboot --disk "$T/disk-a64-selftest.img"
	done
	# -cpu max: a newer CPU (16 VMID bits, 48-bit IPA; on QEMU 10 a 1 GHz counter)
	qemu_case "a64-boot-max-smp4" 90 0 "$(a64_boot_rules 4 max)" -- --arch aarch64 --cpu max --smp 4 \
		--kernel "$A64_BIN" --append tessera.selftest

	# One AArch64 VM config: DIR ID NAME VCPUS CORES(comma) IMAGE [DTB: none|generate]
	a64_vm_json() {
		cat >"$1/$3.json" <<JSON
{ "id": $2, "name": "$3", "vcpus": $4, "affinity": [$5],
  "memory": [ { "gpa": "0x40000000", "size": "32M" } ],
  "kernel": { "image": "$6", "gpa": "0x40200000" },
  "console": { "${A64_UART:-pl011}": "0x09000000" }, "dtb": "${7:-none}" }
JSON
	}
	# VMs running tests/guests/aarch64/a64-hello.c (PSCI, the MMIO decode,
	# FP/SIMD across exits), each given as NAME:VCPUS:CORES (CORES joined by
	# "-"); two VMs on the same cores share them, time-sliced.
	a64_hello_case() {  # CASE SMP VM... [-- run-qemu args]
		local c=$1 smp=$2 id=1 vm name n aff i; shift 2
		local f=$T/rules/$c
		rm -rf "$T/scen/$c"; mkdir -p "$T/scen/$c"; : >"$f"
		while [ $# -gt 0 ] && [ "$1" != -- ]; do
			vm=$1; shift
			IFS=: read -r name n aff <<<"$vm"
			aff=${aff//-/,}
			a64_vm_json "$T/scen/$c" "$id" "$name" "$n" "$aff" a64-hello.bin
			{
				echo "once vm $id \\($name\\): started on cores $aff"
				echo "once \\[$name\\] a64-hello: vCPU 0 at EL1, mpidr 0x0000000080000000"
				for ((i = 1; i < n; i++)); do
					echo "once \\[$name\\] a64-hello: vCPU $i up, context 0x00000000c0de000$i"
				done
				echo "once \\[$name\\] a64-hello: $n vCPUs"
				echo "once \\[$name\\] PASS a64-hello"
				echo "never \\[$name\\] FAIL.*"
				echo "once vm $id \\($name\\): stopped \\(shutdown\\)"
				echo "once vm $id \\($name\\): exits: hypercall [1-9][0-9]* irq [0-9]+ halt 0 cpu-up $((n - 1)) cpu-down $((n - 1)) system-down 1 mmio [1-9][0-9]* sysreg 0 fail-entry 0 fault 0"
			} >>"$f"
			id=$((id + 1))
		done
		[ "${1:-}" = -- ] && shift
		[ -z "${A64_EXTRA_RULES:-}" ] || cat "$A64_EXTRA_RULES" >>"$f"
		printf '%s\n' "once tessera: all VMs stopped, powering off" "never $never_bad" \
			"never .*EL2 exception.*" >>"$f"
		[ -z "${A64_EXTRA_RULES:-}" ] || a64_vm_json "$T/scen/$c" 9 bad 1 2 a64-fault.bin
		pack "$c" -I "$A64_GUESTS" || return 0
		qemu_case "$c" 90 0 "$f" -- --arch aarch64 --smp "$smp" --kernel "$A64_BIN" \
			--initrd "$T/scen/$c.pkg" "$@"
	}
	a64_hello_case a64-hello-smp1 1 a64:1:0
	a64_hello_case a64-hello-smp2 2 a64:2:0-1
	A64_UART=uart16550 a64_hello_case a64-hello-16550-smp2 2 a64:2:0-1
	a64_hello_case a64-hello-smp4 4 a64:4:0-1-2-3
	a64_hello_case a64-hello-shared-cores 2 a64:2:0-1 b64:2:1-0
	a64_hello_case a64-hello-max 4 a64:4:0-1-2-3 -- --cpu max
	# Interrupts through the vGICv3 (a64-timer.c): the guest's own timer,
	# and SGIs between two vCPUs on two cores; two such VMs on the same
	# cores wait in trapped WFIs and are woken by their timers.
	a64_timer_case() {  # CASE SMP NAME:VCPUS:CORES...
		local c=$1 smp=$2 id=1 vm name n aff; shift 2
		local f=$T/rules/$c
		rm -rf "$T/scen/$c"; mkdir -p "$T/scen/$c"; : >"$f"
		for vm in "$@"; do
			IFS=: read -r name n aff <<<"$vm"
			aff=${aff//-/,}
			a64_vm_json "$T/scen/$c" "$id" "$name" "$n" "$aff" a64-timer.bin
			{
				echo "once vm $id \\($name\\): started on cores $aff"
				echo "once \\[$name\\] a64-timer: 10 timer interrupts in [0-9]+ us"
				[ "$n" -lt 2 ] || echo "once \\[$name\\] a64-timer: 200 SGI round trips"
				echo "once \\[$name\\] PASS a64-timer"
				echo "never \\[$name\\] FAIL.*"
				echo "once vm $id \\($name\\): stopped \\(shutdown\\)"
				echo "once vm $id \\($name\\): exits: .* fail-entry 0 fault 0"
			} >>"$f"
			id=$((id + 1))
		done
		printf '%s\n' "once tessera: all VMs stopped, powering off" "never .*EL2 exception.*" >>"$f"
		a64_never_bad ${A64_UBOOT:+uboot} >>"$f"
		pack "$c" -I "$A64_GUESTS" || return 0
		if [ -n "${A64_UBOOT:-}" ]; then   # the same VMs, tessera booted by U-Boot
			tools/mkdisk "$T/disk-$c.img" "$A64_BIN" --arch aarch64 --pkg "$T/scen/$c.pkg"
			qemu_case "$c" 120 0 "$f" -- --arch aarch64 --smp "$smp" --boot uboot --disk "$T/disk-$c.img"
			return 0
		fi
		qemu_case "$c" 90 0 "$f" -- --arch aarch64 --smp "$smp" --kernel "$A64_BIN" \
			--initrd "$T/scen/$c.pkg"
	}
	a64_timer_case a64-timer-smp1 1 tmr:1:0
	A64_UBOOT=1 a64_timer_case a64-timer-uboot-smp2 2 tmr:2:0-1
	a64_timer_case a64-timer-smp2 2 tmr:2:0-1
	a64_timer_case a64-timer-shared-cores 2 tmr:2:0-1 tm2:2:1-0
	# PSCI bring-up (a64-smp.c: two rounds of CPU_ON, a barrier and a shared
	# LDAXR/STLXR counter, CPU_OFF; ALREADY_ON, INVALID_PARAMETERS) and SGIs
	# between every pair of vCPUs (a64-ipi.c: one-target lists, all listed,
	# IRM; each counted once), each VM as NAME:VCPUS:CORES. A vCPU's WFI
	# traps only when it shares its core: halt 0 on cores of its own.
	a64_guest_case() {  # CASE SMP GUEST NAME:VCPUS:CORES...
		local c=$1 smp=$2 g=$3 id=1 vm name n aff halt; shift 3
		local f=$T/rules/$c
		rm -rf "$T/scen/$c"; mkdir -p "$T/scen/$c"; : >"$f"
		halt=0
		[ $# -lt 2 ] || halt="[1-9][0-9]*"   # the cases with two VMs share their cores
		for vm in "$@"; do
			IFS=: read -r name n aff <<<"$vm"
			aff=${aff//-/,}
			a64_vm_json "$T/scen/$c" "$id" "$name" "$n" "$aff" "$g.bin"
			{
				echo "once vm $id \\($name\\): started on cores $aff"
				echo "once \\[$name\\] $g: vCPU 0, $n vCPUs"
				if [ "$g" = a64-smp ]; then
					echo "once \\[$name\\] a64-smp: round 1: $n vCPUs, counter $((n * 20000))"
					echo "once \\[$name\\] a64-smp: round 2: $n vCPUs, counter $((2 * n * 20000))"
					echo "once vm $id \\($name\\): exits: hypercall [1-9][0-9]* irq [0-9]+ halt 0 cpu-up $((2 * (n - 1))) cpu-down $((2 * (n - 1))) system-down 1 mmio [1-9][0-9]* sysreg 0 fail-entry 0 fault 0"
				else   # SGI1R writes: 3 to nobody, 1 to itself, then per sender one per other vCPU 6 times, the list, IRM
					echo "once \\[$name\\] a64-ipi: $n vCPUs, $((n * (n - 1) * 8 + 1)) SGIs, each once"
					echo "once vm $id \\($name\\): exits: hypercall [1-9][0-9]* irq [0-9]+ halt $halt cpu-up $((n - 1)) cpu-down $((n - 1)) system-down 1 mmio [1-9][0-9]* sysreg $((4 + n * (6 * (n - 1) + 2))) fail-entry 0 fault 0"
				fi
				echo "once \\[$name\\] PASS $g"
				echo "never \\[$name\\] FAIL.*"
				echo "once vm $id \\($name\\): stopped \\(shutdown\\)"
			} >>"$f"
			id=$((id + 1))
		done
		printf '%s\n' "once tessera: all VMs stopped, powering off" "never .*EL2 exception.*" >>"$f"
		a64_never_bad >>"$f"
		pack "$c" -I "$A64_GUESTS" || return 0
		qemu_case "$c" 90 0 "$f" -- --arch aarch64 --smp "$smp" --kernel "$A64_BIN" \
			--initrd "$T/scen/$c.pkg"
	}
	a64_guest_case a64-smp-smp1 1 a64-smp smp:1:0
	a64_guest_case a64-smp-smp4 4 a64-smp smp:4:0-1-2-3
	a64_guest_case a64-smp-shared-cores 2 a64-smp smp:2:0-1 sm2:2:1-0
	a64_guest_case a64-ipi-smp2 2 a64-ipi ipi:2:0-1
	a64_guest_case a64-ipi-smp4 4 a64-ipi ipi:4:0-1-2-3
	a64_guest_case a64-ipi-shared-cores 2 a64-ipi ipi:2:0-1 ip2:2:1-0
	# PSCI SYSTEM_RESET (a64-reboot.c, reading its boot count from the
	# generated tree): 3 resets of that VM alone, its vCPUs and RAM reset each
	# time, while a timer VM on the same two cores runs once, untouched.
	c=a64-reboot-smp2
	rm -rf "$T/scen/$c"; mkdir -p "$T/scen/$c"
	a64_vm_json "$T/scen/$c" 1 rbt 2 0,1 a64-reboot.bin generate
	a64_vm_json "$T/scen/$c" 2 tmr 2 1,0 a64-timer.bin
	{
		echo "once vm 1 \\(rbt\\): started on cores 0,1"
		for b in 0 1 2 3; do echo "once \\[rbt\\] a64-reboot: boot $b, 2 vCPUs"; done
		echo "count=3 \\[rbt\\] a64-reboot: SYSTEM_RESET"
		for b in 1 2 3; do
			echo "once vm 1 \\(rbt\\): rebooting \\(boot $b\\): free host memory [0-9]+ bytes, messages in flight [0-9]+"
		done
		echo "never vm 1 \\(rbt\\): rebooting \\(boot [^123]\\).*"
		echo "once \\[rbt\\] PASS a64-reboot: booted 4 times"
		echo "never \\[rbt\\] (FAIL|SKIP).*"
		echo "once vm 1 \\(rbt\\): stopped \\(shutdown\\)"
		echo "once vm 1 \\(rbt\\): exits: hypercall [1-9][0-9]* irq [0-9]+ halt [0-9]+ cpu-up 0 cpu-down 0 system-down 1 mmio [1-9][0-9]* sysreg 0 fail-entry 0 fault 0"
		echo "once vm 2 \\(tmr\\): started on cores 1,0"
		echo "once \\[tmr\\] a64-timer: 10 timer interrupts in [0-9]+ us"
		echo "once \\[tmr\\] a64-timer: 200 SGI round trips"
		echo "once \\[tmr\\] PASS a64-timer"
		echo "never \\[tmr\\] FAIL.*"
		echo "never vm 2 \\(tmr\\): rebooting.*"
		echo "once vm 2 \\(tmr\\): stopped \\(shutdown\\)"
		echo "once vm 2 \\(tmr\\): exits: hypercall [1-9][0-9]* irq [0-9]+ halt [1-9][0-9]* cpu-up 1 cpu-down 0 system-down 1 mmio [1-9][0-9]* sysreg 400 fail-entry 0 fault 0"
		echo "once tessera: all VMs stopped, powering off"
		echo "never .*EL2 exception.*"
		a64_never_bad
	} >"$T/rules/$c"
	if pack "$c" -I "$A64_GUESTS"; then
		qemu_case "$c" 90 0 "$T/rules/$c" -- --arch aarch64 --smp 2 --kernel "$A64_BIN" \
			--initrd "$T/scen/$c.pkg"
		# the same free host memory at all 3 reboots (if the case ran: make test-only)
		log=$T/logs/$c@$TESSERA_PLATFORM.log
		if [ -f "$log" ]; then
			n=$(grep -aos 'rebooting (boot [0-9]*): free host memory [0-9]* bytes' "$log" |
				sed 's/.*memory //' | sort -u | wc -l)
			if [ "$n" = 1 ]; then
				record <<<"PASS $c-no-leak@$TESSERA_PLATFORM: free host memory identical at all reboots"
			else
				record <<<"FAIL $c-no-leak@$TESSERA_PLATFORM: free host memory took $n values over the reboots"
			fi
		fi
	fi
	# Debian's arm64 Linux (tools/fetch-guests.sh --arch arm64) in a VM with a
	# generated tree (GICv3, PSCI, timer, 16550), SMP, beside a bare-metal VM.
	A64_LINUX=$top/build/linux-arm64
	# Linux's console on the emulated PL011 (amba-pl011) or, with A64_UART=uart16550, the 8250 driver.
	a64_linux_console_args() {
		if [ "${A64_UART:-pl011}" = pl011 ]; then
			echo "console=ttyAMA0 earlycon=pl011,mmio32,0x09000000"
		else
			echo "console=ttyS0 earlycon=uart8250,mmio,0x09000000"
		fi
	}
	a64_linux_cfg() {  # DIR VCPUS CORES(,) INITRD
		mkdir -p "$1"
		cat >"$1/linux.json" <<JSON
{ "id": 10, "name": "linux", "vcpus": $2, "affinity": [$3],
  "memory": [ { "gpa": "0x40000000", "size": "256M" } ],
  "kernel": { "image": "Image", "gpa": "0x40200000" },
  "initrd": { "image": "$4" },
  "console": { "${A64_UART:-pl011}": "0x09000000" },
  "bootargs": "$(a64_linux_console_args)" }
JSON
	}
	a64_linux_rules() {  # FILE VCPUS CORES(,): what every boot shows, and a clean stop
		local n=$2 i counts=""
		for ((i = 0; i < n; i++)); do counts+=" +[1-9][0-9]*"; done
		cat >"$1" <<RULES
once vm 10 \\(linux\\): started on cores $3
some \\[linux\\] \\[ *[0-9.]+\\] psci: PSCIv1.1 detected in firmware.
some \\[linux\\] \\[ *[0-9.]+\\] GICv3: CPU0: found redistributor 0 region 0:0x0*80a0000
some \\[linux\\] \\[ *[0-9.]+\\] arch_timer: cp15 timer\\(s\\) running at [0-9.]+MHz \\(virt\\).
some \\[linux\\] \\[ *[0-9.]+\\] smp: Brought up 1 node, $n CPUs?
some \\[linux\\] guest: cpus online: 0(-$((n - 1)))?
some \\[linux\\] +[0-9]+:$counts +GICv3 +27 Level +arch_timer
never \\[linux\\].*(WARNING|BUG|Oops|Call Trace|stall|panic|error -|failed).*
once vm 10 \\(linux\\): stopped \\(shutdown\\)
once vm 10 \\(linux\\): exits: .* fail-entry 0 fault 0
once tessera: all VMs stopped, powering off
never .*EL2 exception.*
RULES
		[ "$n" -lt 2 ] || echo "some \\[linux\\] IPI0:$counts +Rescheduling interrupts" >>"$1"
		if [ "${A64_UART:-pl011}" = pl011 ]; then   # the driver that took the console UART
			echo "some \\[linux\\] .* ttyAMA0 at MMIO 0x9000000 \\(irq = [0-9]+, base_baud = 0\\) is a PL011 rev1" >>"$1"
		else
			echo "some \\[linux\\] .* ttyS0 at MMIO 0x9000000 \\(irq = [0-9]+, base_baud = [0-9]+\\) is a 16550A" >>"$1"
		fi
		a64_never_bad >>"$1"
	}
	a64_linux_case() {  # CASE SMP VCPUS CORES(-) BESIDE-CORE
		local c=$1 smp=$2 n=$3 aff=${4//-/,} other=$5 f=$T/rules/$1
		rm -rf "$T/scen/$c"
		a64_linux_cfg "$T/scen/$c" "$n" "$aff" initramfs.cpio.gz
		a64_vm_json "$T/scen/$c" 1 tmr 1 "$other" a64-timer.bin
		a64_linux_rules "$f" "$n" "$aff"
		printf '%s\n' "once \\[linux\\] GUEST-LINUX-OK cpus=$n" "once \\[tmr\\] PASS a64-timer" \
			"never \\[tmr\\] FAIL.*" >>"$f"
		pack "$c" -I "$A64_GUESTS" -I "$A64_LINUX" || return 0
		qemu_case "$c" 240 0 "$f" -- --arch aarch64 --smp "$smp" --kernel "$A64_BIN" \
			--initrd "$T/scen/$c.pkg"
	}
	# reboot -f (PSCI SYSTEM_RESET) restarts only the Linux VM; its second boot powers off.
	a64_linux_reboot() {
		local c=a64-linux-reboot f=$T/rules/a64-linux-reboot
		rm -rf "$T/scen/$c"
		a64_linux_cfg "$T/scen/$c" 2 1,2 initramfs-reboot.cpio.gz
		a64_vm_json "$T/scen/$c" 1 a64 1 0 a64-hello.bin
		a64_linux_rules "$f" 2 1,2
		cat >>"$f" <<'RULES'
once \[linux\] GUEST-LINUX-REBOOTING
once vm 10 \(linux\): rebooting \(boot 1\): free host memory [0-9]+ bytes, messages in flight [0-9]+
once \[linux\] GUEST-LINUX-OK cpus=2 boot=1
once \[a64\] PASS a64-hello
RULES
		pack "$c" -I "$A64_GUESTS" -I "$A64_LINUX" || return 0
		qemu_case "$c" 300 0 "$f" -- --arch aarch64 --smp 3 --kernel "$A64_BIN" --initrd "$T/scen/$c.pkg"
	}
	# Typing into the Linux shell: Ctrl-A 1 gives it focus, a command runs, poweroff.
	a64_linux_console() {
		local c=a64-linux-console-input f=$T/rules/a64-linux-console-input
		rm -rf "$T/scen/$c"
		a64_linux_cfg "$T/scen/$c" 2 0,1 initramfs-shell.cpio.gz
		printf '%s\n' 'wait GUEST-LINUX-OK' 'send \001' 'send 1' 'wait console focus' \
			'send echo TYPED-$((6*7))\r' 'wait TYPED-42' 'send poweroff -f\r' >"$T/scen/$c.input"
		a64_linux_rules "$f" 2 0,1
		cat >>"$f" <<'RULES'
once tessera: console focus: vm 10 \(linux\)
once \[linux\] TYPED-42
RULES
		pack "$c" -I "$A64_LINUX" || return 0
		INPUT=$T/scen/$c.input qemu_case "$c" 240 0 "$f" -- --arch aarch64 --smp 2 --kernel "$A64_BIN" \
			--initrd "$T/scen/$c.pkg"
	}
	if [ -f "$A64_LINUX/Image" ]; then
		a64_linux_case a64-linux-smp2 3 2 1-2 0
		A64_UART=uart16550 a64_linux_case a64-linux-16550-smp2 3 2 1-2 0
		a64_linux_case a64-linux-smp4 5 4 0-1-2-3 4
		a64_linux_reboot
		a64_linux_console
	else
		record <<<"FAIL a64-linux@$TESSERA_PLATFORM: $A64_LINUX/Image missing (tools/fetch-guests.sh --arch arm64)"
	fi
	# A config with RISC-V's SBI console (the default) is refused at boot, by name; the other VM runs.
	c=a64-refuse-sbi-console
	rm -rf "$T/scen/$c"; mkdir -p "$T/scen/$c"
	a64_vm_json "$T/scen/$c" 1 a64 1 0 a64-hello.bin
	cat >"$T/scen/$c/nocons.json" <<'JSON'
{ "id": 2, "name": "nocons", "vcpus": 1, "affinity": [1],
  "memory": [ { "gpa": "0x40000000", "size": "32M" } ],
  "kernel": { "image": "a64-hello.bin" }, "dtb": "none" }
JSON
	cat >"$T/rules/$c" <<'RULES'
once tessera: VM refused: nocons.json: console: "sbi" \(also the default\) is RISC-V's SBI console; an AArch64 VM needs \{"pl011": GPA\} or \{"uart16550": GPA\}
once \[a64\] PASS a64-hello
once vm 1 \(a64\): stopped \(shutdown\)
never vm 2 .*
once tessera: all VMs stopped, powering off
RULES
	if pack "$c" -I "$A64_GUESTS"; then
		qemu_case "$c" 90 0 "$T/rules/$c" -- --arch aarch64 --smp 2 --kernel "$A64_BIN" \
			--initrd "$T/scen/$c.pkg"
	fi
	# The hostile guest (a64-hostile.c) on core 0 beside a victim on cores 1-2:
	# call sweeps, kept registers, its own vGIC written all over, then the
	# host's redistributors: it alone stops; the victim's timer and SGIs pass.
	c=a64-hostile-beside-victim
	rm -rf "$T/scen/$c"; mkdir -p "$T/scen/$c"
	a64_vm_json "$T/scen/$c" 6 bad 1 0 a64-hostile.bin
	a64_vm_json "$T/scen/$c" 2 tmr 2 1,2 a64-timer.bin
	cat >"$T/rules/$c" <<'RULES'
once \[bad\] a64-hostile: [0-9]+ HVC and SMC calls came back, [0-9]+ NOT_SUPPORTED; HVC #1 refused 16 of 16
once \[bad\] a64-hostile: 3 of 3 physical-timer accesses refused
once \[bad\] a64-hostile: its own vGIC written all over
once vm 6 \(bad\): fault: load or store outside its memory \(gpa 0x80e0000\) at pc 0x4020[0-9a-f]{4} vcpu 0
once vm 6 \(bad\): stopped \(fault\)
never \[bad\] FAIL.*
once \[tmr\] a64-timer: 200 SGI round trips
once \[tmr\] PASS a64-timer
never \[tmr\] FAIL.*
once vm 2 \(tmr\): stopped \(shutdown\)
once tessera: all VMs stopped, powering off
never .*EL2 exception.*
RULES
	if pack "$c" -I "$A64_GUESTS"; then
		qemu_case "$c" 90 0 "$T/rules/$c" -- --arch aarch64 --smp 3 --kernel "$A64_BIN" \
			--initrd "$T/scen/$c.pkg"
	fi
	# A guest that misbehaves beside a64-hello: its undefined instruction is
	# its own to take; a load pair outside its memory stops it alone.
	c=a64-fault-beside-hello
	mkdir -p "$T/scen/$c"
	cat >"$T/rules/$c.extra" <<'RULES'
once vm 9 \(bad\): started on cores 2
once \[bad\] a64-fault: undefined instruction taken at EL1, ESR_EL1.EC 0, ELR_EL1 at it
once \[bad\] a64-fault: CNTP_CTL_EL0 refused as an undefined instruction at EL1
once \[bad\] a64-fault: load pair from the UART
once vm 9 \(bad\): fault: MMIO by an instruction the syndrome does not describe \(a pair, a writeback or SIMD access\) \(gpa 0x9000000\) at pc 0x4020[0-9a-f]{4} vcpu 0
once vm 9 \(bad\): stopped \(fault\)
once vm 9 \(bad\): exits: hypercall 0 irq [0-9]+ halt 0 cpu-up 0 cpu-down 0 system-down 1 mmio [1-9][0-9]* sysreg 0 fail-entry 0 fault 1
never \[bad\] FAIL.*
RULES
	A64_EXTRA_RULES=$T/rules/$c.extra a64_hello_case "$c" 3 a64:2:0-1
	# A passed-through device (a64-devices.c): QEMU's PL031 RTC, host SPI 2,
	# routed to the VM's core and linked to its list register; three alarms
	# (each after the last was deactivated by the guest's EOI). Alone on its
	# core beside a64-hello, and sharing core 0 with a64-timer.
	a64_devices_case() {  # CASE SMP DEV-CORE OTHER-NAME OTHER-IMAGE OTHER-CORE
		local c=$1 f=$T/rules/$1
		rm -rf "$T/scen/$c"; mkdir -p "$T/scen/$c"
		a64_vm_json "$T/scen/$c" 1 "$4" 1 "$6" "$5"
		cat >"$T/scen/$c/dev.json" <<JSON
{ "id": 3, "name": "dev", "vcpus": 1, "affinity": [$3],
  "memory": [ { "gpa": "0x40000000", "size": "32M" } ],
  "kernel": { "image": "a64-devices.bin", "gpa": "0x40200000" },
  "console": { "pl011": "0x09000000" },
  "devices": [ { "passthrough": "/pl031@9010000" } ] }
JSON
		cat >"$f" <<RULES
once vm 3 \\(dev\\): started on cores $3
once \\[dev\\] a64-devices: the RTC is SPI 1 \\(INTID 33\\)
once \\[dev\\] a64-devices: alarm 3 taken
once \\[dev\\] PASS a64-devices
never \\[dev\\] FAIL.*
once vm 3 \\(dev\\): exits: hypercall 1 irq [1-9][0-9]* halt [0-9]+ cpu-up 0 cpu-down 0 system-down 1 mmio [0-9]+ sysreg 0 fail-entry 0 fault 0
once \\[$4\\] PASS $5
never \\[$4\\] FAIL.*
once tessera: all VMs stopped, powering off
never .*EL2 exception.*
never .*belongs to no VM.*
RULES
		sed -i 's/PASS \(a64-[a-z]*\)\.bin$/PASS \1/' "$f"
		a64_never_bad >>"$f"
		pack "$c" -I "$A64_GUESTS" || return 0
		qemu_case "$c" 90 0 "$f" -- --arch aarch64 --smp "$2" --kernel "$A64_BIN" --initrd "$T/scen/$c.pkg"
	}
	a64_devices_case a64-devices-pl031 2 1 a64 a64-hello.bin 0
	a64_devices_case a64-devices-shared-core 1 0 tmr a64-timer.bin 0
	# a64-stress.c: a token ring of SGIs and random timers on every vCPU for
	# 4 s, each given as NAME:VCPUS:CORES; two VMs on the same cores share them.
	a64_stress_case() {  # CASE SMP VM...
		local c=$1 smp=$2 id=1 vm name k aff i; shift 2
		local f=$T/rules/$c
		rm -rf "$T/scen/$c"; mkdir -p "$T/scen/$c"; : >"$f"
		for vm in "$@"; do
			IFS=: read -r name k aff <<<"$vm"
			a64_vm_json "$T/scen/$c" "$id" "$name" "$k" "${aff//-/,}" a64-stress.bin
			for ((i = 0; i < k; i++)); do
				if [ "$k" -gt 1 ]; then
					echo "once \\[$name\\] a64-stress: vCPU $i: [1-9][0-9]{2,} token wake-ups, [1-9][0-9]{2,} timer wake-ups"
				else
					echo "once \\[$name\\] a64-stress: vCPU $i: 0 token wake-ups, [1-9][0-9]{2,} timer wake-ups"
				fi
			done >>"$f"
			printf '%s\n' "once \\[$name\\] PASS a64-stress: $k vCPUs, 4 s" "never \\[$name\\] FAIL.*" \
				"once vm $id \\($name\\): exits: .* fail-entry 0 fault 0" >>"$f"
			id=$((id + 1))
		done
		printf '%s\n' "once tessera: all VMs stopped, powering off" "never .*EL2 exception.*" >>"$f"
		a64_never_bad >>"$f"
		pack "$c" -I "$A64_GUESTS" || return 0
		qemu_case "$c" 120 0 "$f" -- --arch aarch64 --smp "$smp" --kernel "$A64_BIN" --initrd "$T/scen/$c.pkg"
	}
	a64_stress_case a64-stress-smp4 4 st:4:0-1-2-3
	a64_stress_case a64-stress-shared-cores 2 sa:2:0-1 sb:2:1-0 sc:1:0
	# Storms and hogs (a64-storm.c) on the victim's cores: a64-timer there
	# still takes its 10 timer interrupts at 1 ms within 100 ms.
	a64_storm_case() {  # CASE SMP ATTACK VCPUS STORM-CORES(,) VICTIM-CORE LINE
		local c=$1 f=$T/rules/$1
		rm -rf "$T/scen/$c"; mkdir -p "$T/scen/$c"
		a64_vm_json "$T/scen/$c" 1 tmr 1 "$6" a64-timer.bin
		cat >"$T/scen/$c/storm.json" <<JSON
{ "id": 6, "name": "storm", "vcpus": $4, "affinity": [$5],
  "memory": [ { "gpa": "0x40000000", "size": "32M" } ],
  "kernel": { "image": "a64-storm.bin", "gpa": "0x40200000" },
  "console": { "pl011": "0x09000000" }, "bootargs": "attack=$3" }
JSON
		cat >"$f" <<RULES
once \\[storm\\] $7
once \\[storm\\] PASS a64-storm: $3
never \\[storm\\] FAIL.*
once vm 6 \\(storm\\): stopped \\(shutdown\\)
once \\[tmr\\] a64-timer: 10 timer interrupts in [0-9]{4,5} us
once \\[tmr\\] PASS a64-timer
never \\[tmr\\] FAIL.*
once vm 1 \\(tmr\\): stopped \\(shutdown\\)
once tessera: all VMs stopped, powering off
never .*EL2 exception.*
RULES
		a64_never_bad >>"$f"
		pack "$c" -I "$A64_GUESTS" || return 0
		qemu_case "$c" 90 0 "$f" -- --arch aarch64 --smp "$2" --kernel "$A64_BIN" --initrd "$T/scen/$c.pkg"
	}
	a64_storm_case a64-hostile-hvc-storm-shared-core 1 hvc 1 0 0 'a64-storm: hvc: [0-9]+ calls'
	a64_storm_case a64-hostile-sgi-storm-at-victim-core 2 sgi 2 "1, 0" 0 \
		'a64-storm: sgi: [0-9]+ SGIs at vCPU 1, [1-9][0-9]* taken'
	a64_storm_case a64-hostile-spin-shared-core 1 spin 1 0 0 'a64-storm: spin: done'
	# make bench's AArch64 guest keeps working (its figures are make bench's,
	# not checked here): every figure printed, 1000 SGIs each way trapped.
	c=a64-bench-smp2
	rm -rf "$T/scen/$c"; mkdir -p "$T/scen/$c"
	a64_vm_json "$T/scen/$c" 1 bench 2 0,1 a64-bench.bin
	cat >"$T/rules/$c" <<'RULES'
once \[bench\] BENCH a64_boot insns median=[0-9]+ min=[0-9]+ p99=[0-9]+ n=1
once \[bench\] BENCH a64_hvc_psci_version insns median=[0-9]+ min=[0-9]+ p99=[0-9]+ n=1000
once \[bench\] BENCH a64_mmio_gicd_typer insns median=[0-9]+ min=[0-9]+ p99=[0-9]+ n=1000
once \[bench\] BENCH a64_timer ns median=[0-9]+ min=[0-9]+ p99=[0-9]+ n=1000
once \[bench\] BENCH a64_sgi_one_way ns median=[0-9]+ min=[0-9]+ p99=[0-9]+ n=1000
once \[bench\] PASS bench
never \[bench\] FAIL.*
once vm 1 \(bench\): exits: hypercall 100[0-9] irq [0-9]+ halt 0 cpu-up 1 cpu-down 0 system-down 1 mmio [0-9]+ sysreg 2000 fail-entry 0 fault 0
once tessera: all VMs stopped, powering off
never .*EL2 exception.*
RULES
	if pack "$c" -I "$A64_GUESTS"; then
		qemu_case "$c" 90 0 "$T/rules/$c" -- --arch aarch64 --smp 2 --kernel "$A64_BIN" \
			--initrd "$T/scen/$c.pkg" -- -icount shift=0,sleep=off
	fi
else
	record <<<"FAIL a64-boot@$TESSERA_PLATFORM: $A64_BIN missing (make ARCH=aarch64)"
fi
