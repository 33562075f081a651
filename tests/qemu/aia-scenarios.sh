# AIA scenarios (docs/irqc.md): QEMU virt with an APLIC in MSI mode and IMSIC
# guest interrupt files (-M virt,aia=aplic-imsic,aia-guests=N). tessera reads
# the controller from the host tree: VMs get a virtual APLIC and one guest
# file per vCPU. Sourced by tests/run-all.sh after linux-scenarios.sh (uses
# the helpers of vm-scenarios.sh and linux-scenarios.sh).

aia_machine() {  # FILES -> the QEMU arguments
	echo "-M virt,aia=aplic-imsic,aia-guests=$1"
}

aia_vm() {  # DIR VCPUS AFFINITY [BOOTARGS] [EXTRA_JSON]
	mkdir -p "$1"
	cat >"$1/aia.json" <<JSON
{ "id": 7, "name": "aia", "vcpus": $2, "affinity": [$3],
  "memory": [ { "gpa": "0x80000000", "size": "32M" } ],
  "kernel": { "image": "aia.bin", "gpa": "0x80200000" },
  "dtb": "generate", "bootargs": "${4:-}", "console": { "uart16550": "0x10000000" }${5:-} }
JSON
}

aia_rules() {  # CASE FILES [HART0-EXITS HART1-EXITS [VM]]: the bare-metal guest's lines
	local f exits0=${3:-'[0-2]'} exits=${4:-'[0-2]'} vm=${5:-aia}
	f=$(vm_rules "$1" "$vm:aia")
	cat >>"$f" <<RULES
once [ ]+aplic    0xd000000, [0-9]+ sources, MSIs to the IMSIC at 0x28000000 .*
once [ ]+aia      $2 guest interrupt files per hart \\(hgeie\\); tessera's IPIs are MSIs
once \\[$vm\\] aia: a store into its own file interrupts hart 0
once \\[$vm\\] aia: 2000 IMSIC IPIs between hart 0 and hart 1, all arrived, exits meanwhile: hart 0 $exits0, hart 1 $exits
once \\[$vm\\] aia: APLIC domaincfg, sourcecfg, target and enables behave
once \\[$vm\\] aia: genmsi reaches hart 1
once \\[$vm\\] aia: setipnum of a detached source sends its MSI, then it is no longer pending
once \\[$vm\\] aia: the emulated UART's interrupt arrives as an MSI
RULES
	echo "$f"
}

RTC_DEV=', "devices": [ { "passthrough": "/soc/rtc@101000" } ]'

# Alone on two cores: the IMSIC IPIs take no exit; the RTC's alarms come
# from the host APLIC straight to the file of the vCPU the guest targets.
# Cores 1-2: core 0 is the console core, whose 20 ms UART poll is an exit.
c=aia-smp2
aia_vm "$T/scen/$c" 2 "1, 2" "rtc=1" "$RTC_DEV"
if pack "$c"; then
	f=$(aia_rules "$c" 2)
	echo 'once \[aia\] aia: 3 RTC alarms on hart 1 and 3 on hart 0 through the host APLIC' >>"$f"
	# shellcheck disable=SC2046 # the machine arguments are words
	vm_case "$c" 3 60 "$f" -- $(aia_machine 2)
fi

# vCPU 1 shares core 2 with the timer guest: its WFI gives the core away and
# the MSIs of the ping-pong wake it through hgeip (SGEI). Both VMs pass.
c=aia-shared-core
aia_vm "$T/scen/$c" 2 "1, 2"
vm_cfg "$T/scen/$c" timer.json 3 timer timer.bin 1 2
if pack "$c"; then
	f=$(aia_rules "$c" 2 '[0-9]+' '[0-9]+')   # the slower ping-pong meets tessera's timers
	f2=$(vm_rules "$c-timer" timer:timer)
	grep '\[timer\]\|(timer)' "$f2" >>"$f"
	echo 'once vm 7 \(aia\): exits: hypercall [0-9]+ irq [0-9]+ halt [1-9][0-9]* .*' >>"$f"
	# shellcheck disable=SC2046
	vm_case "$c" 3 120 "$f" -- $(aia_machine 2)
fi

# A machine whose harts have no guest files (aia-guests=0): VMs get a
# virtual PLIC for their emulated lines, and say why.
c=aia-no-guest-files
vm_cfg "$T/scen/$c" hello.json 1 hello hello.bin 1 0 ', "console": { "uart16550": "0x10000000" }'
if pack "$c"; then
	f=$(vm_rules "$c" hello:hello)
	echo 'once [ ]+aia      this hart has no guest interrupt files: VMs get a virtual PLIC, no passed-through interrupts' >>"$f"
	# shellcheck disable=SC2046
	vm_case "$c" 1 60 "$f" -- $(aia_machine 0)
fi

# Two VMs sharing two harts that have one guest file each: the first VM's
# vCPUs get the files, the second's get software files (boot log), whose
# MSIs and claims trap. Both pass the same guest, sharing the cores.
c=aia-sw-file
aia_vm "$T/scen/$c" 2 "1, 2"
sed 's/"id": 7, "name": "aia"/"id": 8, "name": "soft"/' "$T/scen/$c/aia.json" >"$T/scen/$c/soft.json"
if pack "$c"; then
	f=$(aia_rules "$c" 1 '[0-9]+' '[0-9]+')
	f2=$(VM_SYSREG='[1-9][0-9]*' aia_rules "$c-soft" 1 '[1-9][0-9]*' '[1-9][0-9]*' soft)
	grep '\[soft\]\|(soft)' "$f2" >>"$f"
	for i in 0 1; do
		echo "once vm 8 \\(soft\\): vCPU $i on core $((i + 1)) has a software interrupt file: the hart's 1 guest interrupt files are taken .*" >>"$f"
	done
	echo 'never vm 7 \(aia\): vCPU .* software interrupt file.*' >>"$f"
	# shellcheck disable=SC2046
	vm_case "$c" 3 120 "$f" -- $(aia_machine 1)
fi

# Debian's Linux on the AIA (QEMU 10 only: on QEMU 7.2 it stalls, docs/platforms.md).
aia_linux_rules() {  # FILE VCPUS
	local f=$1 n=$2 counts="" i
	for ((i = 0; i < n; i++)); do counts+=" +[1-9][0-9]*"; done
	cat >>"$f" <<RULES
once vm 10 \\(linux\\): started on cores [0-9,]+
once \\[linux\\] \\[ *[0-9.]+\\] riscv-intc: 64 local interrupts mapped using AIA
once \\[linux\\] \\[ *[0-9.]+\\] riscv-imsic: imsics@28000000: providing IPIs using interrupt [0-9]+
once \\[linux\\] \\[ *[0-9.]+\\] riscv-aplic d000000.aplic: 31 interrupts forwarded to MSI base 0x0*28000000
once \\[linux\\] \\[ *[0-9.]+\\] 10000000.serial: ttyS0 at MMIO 0x10000000 \\(irq = [0-9]+, .*
once \\[linux\\] guest: cpus online: 0(-$((n - 1)))?
some \\[linux\\] IPI1:$counts +Function call interrupts
once \\[linux\\] GUEST-LINUX-OK cpus=$n
once \\[linux\\] rtc-alarm: alarm interrupt arrived
once \\[linux\\] guest: rtc interrupts: +[0-9]+: +([0-9]+ +)+APLIC-MSI-d000000.aplic +11 +Level .*101000\\.rtc
never \\[linux\\].*(WARNING|BUG|Oops|Call Trace|stall|panic|error -|failed).*
never $never_bad
never vm [0-9]+ \\([^)]*\\): fault: .*
once vm 10 \\(linux\\): stopped \\(shutdown\\)
once tessera: all VMs stopped, powering off
RULES
}

if [ "$TESSERA_PLATFORM" = qemu10 ] && [ -f "$LINUX/Image" ]; then
	# 2 vCPUs on cores 1-2 alone: hundreds of IPIs each way and (almost) no
	# interrupt exits; a bare-metal VM beside it on core 3.
	c=linux-aia-2
	linux_cfg "$T/scen/$c" 2 "1,2" initramfs.cpio.gz "$RTC_DEV"
	vm_cfg "$T/scen/$c" timer.json 3 timer timer.bin 1 3
	if pack "$c" -I "$LINUX"; then
		f=$T/rules/$c; : >"$f"
		aia_linux_rules "$f" 2
		cat >>"$f" <<'RULES'
once vm 10 \(linux\): exits: hypercall [0-9]+ irq [0-9] halt 0 cpu-up [0-9]+ cpu-down [0-9]+ system-down 1 mmio [0-9]+ sysreg 0 fail-entry 0 fault 0
once \[timer\] PASS timer.*
never \[timer\] FAIL.*
RULES
		# shellcheck disable=SC2046
		vm_case "$c" 4 240 "$f" -- $(aia_machine 2)
	fi
	# A vCPU on every core, so one shares the boot core, which reads the
	# console UART: on its interrupt (an MSI to tessera's S-file), not by a
	# 20 ms poll that would exit that vCPU 50 times a second.
	c=linux-aia-every-core
	linux_cfg "$T/scen/$c" 4 "0,1,2,3" initramfs.cpio.gz "$RTC_DEV"
	if pack "$c" -I "$LINUX"; then
		f=$T/rules/$c; : >"$f"
		aia_linux_rules "$f" 4
		cat >>"$f" <<'RULES'
once tessera: console input: host interrupt 10, on core [0-3]
once vm 10 \(linux\): exits: hypercall [0-9]+ irq [0-9] halt 0 cpu-up [0-9]+ cpu-down [0-9]+ system-down 1 mmio [0-9]+ sysreg 0 fail-entry 0 fault 0
RULES
		# shellcheck disable=SC2046
		vm_case "$c" 4 240 "$f" -- $(aia_machine 2)
	fi
	# 4 vCPUs on cores 1-4 beside the bare-metal AIA guest on cores 0 and 5.
	c=linux-aia-4
	linux_cfg "$T/scen/$c" 4 "1,2,3,4" initramfs.cpio.gz "$RTC_DEV"
	aia_vm "$T/scen/$c" 2 "0, 5"
	if pack "$c" -I "$LINUX"; then
		f=$T/rules/$c; : >"$f"
		aia_linux_rules "$f" 4
		cat >>"$f" <<'RULES'
once vm 10 \(linux\): exits: hypercall [0-9]+ irq [0-9] halt 0 cpu-up [0-9]+ cpu-down [0-9]+ system-down 1 mmio [0-9]+ sysreg 0 fail-entry 0 fault 0
some \[aia\] PASS aia
never \[aia\] FAIL.*
RULES
		# shellcheck disable=SC2046
		vm_case "$c" 6 300 "$f" -- $(aia_machine 2)
	fi
	# Typing into the shell: the console input raises the UART's line, an MSI.
	c=linux-aia-console-input
	linux_cfg "$T/scen/$c" 2 "1,2" initramfs-shell.cpio.gz
	if pack "$c" -I "$LINUX"; then
		printf '%s\n' 'wait GUEST-LINUX-OK' 'send \001' 'send 1' 'wait console focus' \
			'send echo TYPED-$((6*7))\r' 'wait TYPED-42' 'send poweroff -f\r' >"$T/scen/$c.input"
		f=$T/rules/$c; : >"$f"
		cat >>"$f" <<'RULES'
once \[linux\] \[ *[0-9.]+\] riscv-aplic d000000.aplic: 31 interrupts forwarded to MSI base 0x0*28000000
once tessera: console focus: vm 10 \(linux\)
once \[linux\] TYPED-42
RULES
		linux_stop_rules "$f"
		# shellcheck disable=SC2046
		INPUT=$T/scen/$c.input vm_case "$c" 4 240 "$f" -- $(aia_machine 2)
	fi
fi
