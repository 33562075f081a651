# VM scenarios of the QEMU matrix: sourced by tests/run-all.sh after
# matrix.sh (uses qemu_case, T, BIN, never_bad). Each case writes its VM
# configs, packs them with tools/mkpkg together with the test guests from
# build/guests, boots tessera with the package and checks what the guests
# and tessera printed.

GUESTS=$top/build/guests
MKPKG=$top/build/tools/mkpkg

# vm_cfg DIR FILE ID NAME IMAGE VCPUS AFFINITY [EXTRA_JSON]
vm_cfg() {
	local dir=$1 file=$2 id=$3 name=$4 image=$5 vcpus=$6 aff=$7 extra=${8:-}
	mkdir -p "$dir"
	cat >"$dir/$file" <<JSON
{ "id": $id, "name": "$name", "vcpus": $vcpus, "affinity": [$aff],
  "memory": [ { "gpa": "0x80000000", "size": "32M" } ],
  "kernel": { "image": "$image", "gpa": "0x80200000" },
  "dtb": "none"$extra }
JSON
}

cores_list() {  # N -> "0,1,...,N-1"
	local n=$1 s="" i
	for ((i = 0; i < n; i++)); do s+="${s:+,}$i"; done
	echo "$s"
}

# pack CASE [--cores N]: every *.json in $T/scen/CASE into $T/scen/CASE.pkg
pack() {
	local c=$1; shift
	"$MKPKG" -o "$T/scen/$c.pkg" -I "$GUESTS" "$@" "$T/scen/$c"/*.json >"$T/logs/$c.mkpkg.log" 2>&1 && return 0
	record <<<"FAIL $c: mkpkg failed: $(tail -n1 "$T/logs/$c.mkpkg.log")"
	return 1
}

# Rules every scenario shares: each named VM passes and stops, nothing fails.
vm_rules() {  # CASE VM:GUEST...   (VM name and the guest it runs; VM_SYSREG: their sysreg exits)
	local c=$1; shift
	local f=$T/rules/$c pair vm guest
	{
		for pair in "$@"; do
			vm=${pair%%:*} guest=${pair#*:}
			echo "once vm [0-9]+ \\($vm\\): started on cores [0-9,]+"
			echo "some \\[$vm\\] PASS $guest.*"
			echo "never \\[$vm\\] FAIL.*"
			echo "once vm [0-9]+ \\($vm\\): stopped \\(shutdown\\)"
			echo "once vm [0-9]+ \\($vm\\): exits: hypercall [1-9][0-9]* irq [0-9]+ halt [0-9]+ cpu-up [0-9]+ cpu-down [0-9]+ system-down 1 mmio [0-9]+ sysreg ${VM_SYSREG:-0} fail-entry 0 fault 0"
		done
		echo "once tessera: all VMs stopped, powering off"
		echo "never $never_bad"
		echo "never vm [0-9]+ \\([^)]*\\): fault: .*"
	} >"$f"
	echo "$f"
}

vm_case() {  # CASE SMP TIMEOUT RULES [boot args...]
	local c=$1 smp=$2 to=$3 rules=$4; shift 4
	qemu_case "$c" "$to" 0 "$rules" -- --boot opensbi --smp "$smp" --kernel "$BIN" \
		--initrd "$T/scen/$c.pkg" "$@"
}

# ---- each guest alone ----
for n in 1 4; do
	c=hello-smp$n
	vm_cfg "$T/scen/$c" hello.json 1 hello hello.bin 1 0
	pack "$c" && vm_case "$c" "$n" 60 "$(vm_rules "$c" hello:hello)"
done
for g in smp ipi rfence; do
	for n in 1 2 4 8; do
		c=$g-smp$n
		vm_cfg "$T/scen/$c" $g.json 2 $g $g.bin "$n" "$(cores_list "$n")"
		pack "$c" && vm_case "$c" "$n" 120 "$(vm_rules "$c" $g:$g)"
	done
done
for n in 1 2; do
	c=suspend-smp$n
	vm_cfg "$T/scen/$c" suspend.json 8 suspend suspend.bin "$n" "$(cores_list "$n")"
	pack "$c" && vm_case "$c" "$n" 60 "$(vm_rules "$c" suspend:suspend)"
done
# Both platforms' harts have Sstc: the guest must get it (stimecmp writable),
# and every interrupt, SBI or Sstc, comes at or after its deadline (the guest
# fails on one that comes early).
timer_sstc_rules() {  # CASE
	local f
	f=$(vm_rules "$1" timer:timer)
	echo 'once \[timer\] PASS timer: sbi 100 ticks, sstc 100 ticks, worst late [0-9]+ ticks' >>"$f"
	echo 'never \[timer\] SKIP timer: no Sstc.*' >>"$f"
	echo "$f"
}
c=timer-smp1
vm_cfg "$T/scen/$c" timer.json 3 timer timer.bin 1 0
pack "$c" && vm_case "$c" 1 60 "$(timer_sstc_rules "$c")"
c=timer-smp4
vm_cfg "$T/scen/$c" timer.json 3 timer timer.bin 1 3
pack "$c" && vm_case "$c" 4 60 "$(timer_sstc_rules "$c")"

c=reboot-smp2
vm_cfg "$T/scen/$c" reboot.json 4 reboot reboot.bin 1 1
pack "$c" && {
	f=$(vm_rules "$c" reboot:reboot)
	echo "count=2 vm 4 \\(reboot\\): rebooting \\(boot [12]\\): free host memory [0-9]+ bytes, messages in flight [0-9]+" >>"$f"
	echo "once \\[reboot\\] PASS reboot: booted 3 times" >>"$f"
	vm_case "$c" 2 60 "$f"
}

c=stress-smp4
vm_cfg "$T/scen/$c" stress.json 5 stress stress.bin 4 "0,1,2,3"
pack "$c" && vm_case "$c" 4 120 "$(vm_rules "$c" stress:stress)"

# ---- several VMs at once ----
# Three VMs on disjoint cores, through OpenSBI and through U-Boot.
c=three-vms-smp4
vm_cfg "$T/scen/$c" hello.json 1 hello hello.bin 1 0
vm_cfg "$T/scen/$c" smp.json 2 smp smp.bin 2 "1,2"
vm_cfg "$T/scen/$c" timer.json 3 timer timer.bin 1 3
if pack "$c"; then
	f=$(vm_rules "$c" hello:hello smp:smp timer:timer)
	echo "once vm 2 \\(smp\\): started on cores 1,2" >>"$f"
	vm_case "$c" 4 90 "$f"
	tools/mkdisk "$T/disk-$c.img" "$BIN" --pkg "$T/scen/$c.pkg"
	qemu_case "three-vms-uboot-smp4" 150 0 "$f" -- --boot uboot --smp 4 --disk "$T/disk-$c.img"
fi

# Two VMs whose vCPUs share both cores: time-sliced round-robin.
c=shared-cores-smp2
vm_cfg "$T/scen/$c" ipi.json 1 ipi ipi.bin 2 "0,1"
vm_cfg "$T/scen/$c" smp.json 2 smp smp.bin 2 "1,0"
pack "$c" && vm_case "$c" 2 120 "$(vm_rules "$c" ipi:ipi smp:smp)"

# Three VMs on one core.
c=one-core-three-vms-smp1
vm_cfg "$T/scen/$c" hello.json 1 hello hello.bin 1 0
vm_cfg "$T/scen/$c" smp.json 2 smp smp.bin 1 0
vm_cfg "$T/scen/$c" timer.json 3 timer timer.bin 1 0
pack "$c" && vm_case "$c" 1 120 "$(vm_rules "$c" hello:hello smp:smp timer:timer)"
# The same with no VMIDs to give (tessera.shared-vmid: what a hart with fewer
# VMIDs than VMs gets): all three share VMID 0 and the G-stage is fenced at
# every switch; the two leak VMs share the core as well.
c=one-core-shared-vmid-smp1
vm_cfg "$T/scen/$c" hello.json 1 hello hello.bin 1 0
vm_cfg "$T/scen/$c" timer.json 3 timer timer.bin 1 0
vm_cfg "$T/scen/$c" leak1.json 4 leak1 leak.bin 1 0
vm_cfg "$T/scen/$c" leak2.json 5 leak2 leak.bin 1 0
if pack "$c"; then
	f=$(vm_rules "$c" hello:hello timer:timer leak1:leak leak2:leak)
	echo 'once [ ]+g-stage  Sv39x4, 0 VMID bits: every VM shares VMID 0, fenced at each switch' >>"$f"
	vm_case "$c" 1 120 "$f" --append tessera.shared-vmid
fi

# ---- configs tessera must refuse while the others run ----
# Packed for an 8-core board, booted on 2 cores; and more RAM than the machine has.
c=refused-vms-smp2
vm_cfg "$T/scen/$c" hello.json 1 hello hello.bin 1 1
vm_cfg "$T/scen/$c" big-board.json 2 bigboard smp.bin 2 "4,5"
vm_cfg "$T/scen/$c" huge.json 3 huge hello.bin 1 0
sed -i 's/"32M"/"2G"/' "$T/scen/$c/huge.json"
vm_cfg "$T/scen/$c" plic.json 4 plic hello.bin 1 0 ', "devices": [ { "passthrough": "/soc/plic@c000000" } ]'
# the host RTC for hello; another VM names it differently: still the same node
sed -i 's|"dtb": "none"|"dtb": "none", "devices": [ { "passthrough": "/soc/rtc@101000" } ]|' "$T/scen/$c/hello.json"
vm_cfg "$T/scen/$c" rtc2.json 5 rtc2 hello.bin 1 0 ', "devices": [ { "passthrough": "/soc//rtc@101000/" } ]'
# a passed-through device where the VM's emulated console UART is
vm_cfg "$T/scen/$c" clash.json 6 clash hello.bin 1 0 ', "console": { "uart16550": "0x10000000" }, "devices": [ { "passthrough": "/soc/serial@10000000" } ]'
if pack "$c" --cores 8; then
	f=$(vm_rules "$c" hello:hello)
	cat >>"$f" <<RULES
once tessera: VM refused: big-board.json: affinity\\[0\\]: core 4 does not exist \\(the machine has 2 cores\\)
once tessera: VM refused: huge.json: memory\\[0\\]: no 2048 MiB of free host RAM left .*
once tessera: VM refused: plic.json: devices\\[0\\].passthrough: /soc/plic@c000000: reg\\[0\\] 0xc000000\\+0x600000 is the host's plic@c000000, which tessera keeps
once tessera: VM refused: rtc2.json: devices\\[0\\].passthrough: /soc/rtc@101000 is already passed through to vm "hello" \\(hello.json\\)
once tessera: VM refused: clash.json: devices\\[0\\]: 0x10000000\\+0x1000 overlaps the emulated console UART at 0x10000000
never vm [0-9]+ \\((bigboard|huge|plic|rtc2|clash)\\).*
RULES
	vm_case "$c" 2 60 "$f"
fi

# Host ranges no config may hand a VM (issue 11): tessera's own code, all of
# host RAM through its memory node, the CLINT, the console UART as mmio, and
# a device another VM has (an mmio range over a node passed to "hello").
# Before, all of these booted and ran.
c=refused-host-ranges-smp2
vm_cfg "$T/scen/$c" a-hello.json 1 hello hello.bin 1 1
sed -i 's|"dtb": "none"|"dtb": "none", "devices": [ { "passthrough": "/soc/rtc@101000" } ]|' "$T/scen/$c/a-hello.json"
mmio_dev() {  # HPA SIZE -> a devices entry mapping it at 0x40000000
	echo ", \"devices\": [ { \"mmio\": { \"hpa\": \"$1\", \"gpa\": \"0x40000000\", \"size\": \"$2\" } } ]"
}
vm_cfg "$T/scen/$c" b-tess.json 2 tess hello.bin 1 0 "$(mmio_dev 0x80200000 0x10000)"
vm_cfg "$T/scen/$c" c-ram.json 3 ram hello.bin 1 0 ', "devices": [ { "passthrough": "/memory@80000000" } ]'
sed -i 's/"gpa": "0x80000000", "size": "32M"/"gpa": "0x100000000", "size": "32M"/; s/"gpa": "0x80200000"/"gpa": "0x100200000"/' "$T/scen/$c/c-ram.json"
vm_cfg "$T/scen/$c" d-clint.json 4 clint hello.bin 1 0 "$(mmio_dev 0x2000000 0x10000)"
vm_cfg "$T/scen/$c" e-uart.json 5 uart hello.bin 1 0 "$(mmio_dev 0x10000000 0x1000)"
vm_cfg "$T/scen/$c" f-rtc.json 6 rtc hello.bin 1 0 "$(mmio_dev 0x101000 0x1000)"
if pack "$c"; then
	f=$(vm_rules "$c" hello:hello)
	cat >>"$f" <<'RULES'
once tessera: VM refused: b-tess.json: devices\[0\].mmio: 0x80200000\+0x10000 is host RAM \(0x80000000\+0x40000000: .*\)
once tessera: VM refused: c-ram.json: devices\[0\].passthrough: /memory@80000000: reg\[0\] 0x80000000\+0x40000000 is host RAM .*
once tessera: VM refused: d-clint.json: devices\[0\].mmio: 0x2000000\+0x10000 is the host's clint@2000000, which tessera keeps
once tessera: VM refused: e-uart.json: devices\[0\].mmio: 0x10000000\+0x1000 is the console UART /soc/serial@10000000 \(pass its node to give it to a VM\)
once tessera: VM refused: f-rtc.json: devices\[0\]: host 0x101000\+0x1000 is already vm 1's \(hello\)
never vm [0-9]+ \((tess|ram|clint|uart|rtc)\).*
RULES
	vm_case "$c" 2 60 "$f"
fi

# A corrupt package: one image and one config with a flipped byte refuse only
# their VMs (the checksum of each entry is checked when a VM uses it).
flip() {  # PKG FILE-WHOSE-BYTES-TO-FIND OFFSET-INSIDE
	perl -e 'local $/; open(my $p, "+<", $ARGV[0]) or die; binmode $p; my $pkg = <$p>;
		 open(my $f, "<", $ARGV[1]) or die; binmode $f; my $d = <$f>;
		 my $at = index($pkg, substr($d, 0, 256)); die "not found" if $at < 0;
		 seek($p, $at + $ARGV[2], 0); print $p chr(ord(substr($pkg, $at + $ARGV[2], 1)) ^ 0x55);' "$@"
}
c=corrupt-entries-smp2
vm_cfg "$T/scen/$c" a-hello.json 1 hello hello.bin 1 0
vm_cfg "$T/scen/$c" b-smp.json 2 smp smp.bin 2 "1,0"
vm_cfg "$T/scen/$c" c-timer.json 3 timer timer.bin 1 1
# and a VM whose own device tree is not one: a truncated tree, and no tree at all
mkdir -p "$T/scen/$c.img"
dtc -q -I dts -O dtb -o "$T/scen/$c.img/whole.dtb" - <<'DTS'
/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>; model = "user"; };
DTS
head -c 40 "$T/scen/$c.img/whole.dtb" >"$T/scen/$c.img/short.dtb"
printf 'not a device tree at all: just text, longer than an FDT header is' >"$T/scen/$c.img/text.dtb"
vm_cfg "$T/scen/$c" d-short.json 4 short rfence.bin 1 1 ', "dtb": { "image": "short.dtb" }'
sed -i 's/"dtb": "none",//' "$T/scen/$c/d-short.json"
vm_cfg "$T/scen/$c" e-text.json 5 text rfence.bin 1 1 ', "dtb": { "image": "text.dtb" }'
sed -i 's/"dtb": "none",//' "$T/scen/$c/e-text.json"
if pack "$c" -I "$T/scen/$c.img" && flip "$T/scen/$c.pkg" "$GUESTS/hello.bin" 100 && flip "$T/scen/$c.pkg" "$T/scen/$c/c-timer.json" 10; then
	f=$(vm_rules "$c" smp:smp)
	cat >>"$f" <<RULES
once tessera: VM refused: a-hello.json: kernel.image: VM package: entry hello.bin: checksum mismatch \\(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\\)
once tessera: VM refused: VM package: entry c-timer.json: checksum mismatch \\(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\\)
once tessera: VM refused: d-short.json: dtb.image: short.dtb is not a usable device tree \\(FDT_ERR_TRUNCATED\\)
once tessera: VM refused: e-text.json: dtb.image: text.dtb is not a usable device tree \\(FDT_ERR_BADMAGIC\\)
never vm [0-9]+ \\((hello|timer|short|text)\\).*
RULES
	vm_case "$c" 2 60 "$f"
fi
# A package whose header is damaged: nothing can be trusted, nothing runs, QEMU exits 1.
c=bad-package-magic
vm_cfg "$T/scen/$c" hello.json 1 hello hello.bin 1 0
if pack "$c" && printf 'XXXX' | dd of="$T/scen/$c.pkg" bs=1 seek=0 conv=notrunc 2>/dev/null; then
	cat >"$T/rules/$c" <<RULES
once tessera: bad VM package: VM package: .*magic.*
once tessera: no VM to run, powering off
never vm [0-9]+ .*started.*
RULES
	qemu_case "$c" 60 1 "$T/rules/$c" -- --boot opensbi --smp 1 --kernel "$BIN" --initrd "$T/scen/$c.pkg"
fi

# A guest that touches memory it does not own: that VM stops, the other runs on.
c=fault-stop-smp2
vm_cfg "$T/scen/$c" fault.json 7 fault fault.bin 1 0 ', "on_fault": "stop"'
vm_cfg "$T/scen/$c" hello.json 1 hello hello.bin 1 1
if pack "$c"; then
	cat >"$T/rules/$c" <<RULES
once \\[fault\\] fault: hstatus access came back as an illegal instruction
once vm 7 \\(fault\\): fault: load guest-page fault \\(gpa 0x1000\\) at pc 0x802[0-9a-f]+ vcpu 0
once vm 7 \\(fault\\): stopped \\(fault\\)
never \\[fault\\] (FAIL|PASS).*
once \\[hello\\] PASS hello
once vm 1 \\(hello\\): stopped \\(shutdown\\)
once tessera: all VMs stopped, powering off
never $never_bad
RULES
	vm_case "$c" 2 60 "$T/rules/$c"
fi

c=fault-reboot-smp1
vm_cfg "$T/scen/$c" fault.json 7 fault fault.bin 1 0 ', "on_fault": "reboot"'
if pack "$c"; then
	cat >"$T/rules/$c" <<RULES
once vm 7 \\(fault\\): fault: load guest-page fault \\(gpa 0x1000\\) at pc 0x802[0-9a-f]+ vcpu 0
once vm 7 \\(fault\\): rebooting \\(boot 1\\): free host memory [0-9]+ bytes, messages in flight 0
once \\[fault\\] PASS fault: running again after the fault \\(boot 1\\)
once vm 7 \\(fault\\): stopped \\(shutdown\\)
once tessera: all VMs stopped, powering off
never \\[fault\\] FAIL.*
never $never_bad
RULES
	vm_case "$c" 1 60 "$T/rules/$c"
fi

# 100 fault-and-reboot cycles: every reboot reports the same free host memory
# and no message left in flight (nothing leaks), and the 100th boot passes.
# Each boot checks that the last one left nothing behind (tests/guests/fault.c:
# RAM scrubbed, hart 1 STOPPED, no half line, no stale suspend state).
c=fault-reboot-100-smp2
mkdir -p "$T/scen/$c"
cat >"$T/scen/$c/cycler.json" <<'JSON'
{ "id": 8, "name": "cycler", "vcpus": 2, "affinity": [1, 0],
  "memory": [ { "gpa": "0x80000000", "size": "4M" } ],
  "kernel": { "image": "fault.bin", "gpa": "0x80200000" }, "bootargs": "cycles=100",
  "on_fault": "reboot" }
JSON
vm_cfg "$T/scen/$c" hello.json 1 hello hello.bin 1 0
if pack "$c"; then
	cat >"$T/rules/$c" <<RULES
count=100 vm 8 \\(cycler\\): fault: load guest-page fault \\(gpa 0x1000\\) at pc 0x802[0-9a-f]+ vcpu 0
count=100 vm 8 \\(cycler\\): rebooting \\(boot [0-9]+\\): free host memory [0-9]+ bytes, messages in flight 0
once \\[cycler\\] PASS fault: boot 100 after 100 fault-and-reboot cycles
never \\[cycler\\] partial.*
once vm 8 \\(cycler\\): stopped \\(shutdown\\)
once \\[hello\\] PASS hello
once tessera: all VMs stopped, powering off
never \\[cycler\\] FAIL.*
never $never_bad
RULES
	vm_case "$c" 2 120 "$T/rules/$c"
	# the same free memory at every reboot (if the case ran: make test-only)
	n=$(grep -aos 'rebooting (boot [0-9]*): free host memory [0-9]* bytes' "$T/logs/$c@$TESSERA_PLATFORM.log" |
		sed 's/.*memory //' | sort -u | wc -l)
	if [ ! -f "$T/logs/$c@$TESSERA_PLATFORM.log" ]; then
		:
	elif [ "$n" = 1 ]; then
		record <<<"PASS $c-no-leak@$TESSERA_PLATFORM: free host memory identical at all 100 reboots"
	else
		record <<<"FAIL $c-no-leak@$TESSERA_PLATFORM: free host memory took $n different values over the reboots"
	fi
fi

# ---- every config field at work: generated DTB, initrd, bootargs, two memory
# regions, kernel entry, a passed-through device and an mmio mapping ----
c=devices-smp2
mkdir -p "$T/scen/$c" "$T/scen/$c.img"
perl -e 'print chr(($_ * 7 + 3) % 256) for 0 .. 4095' >"$T/scen/$c.img/pattern.bin"
cat >"$T/scen/$c/devices.json" <<'JSON'
{ "id": 6, "name": "devices", "vcpus": 2, "affinity": [1, 0],
  "memory": [ { "gpa": "0x80000000", "size": "32M" }, { "gpa": "0x90000000", "size": "4M" } ],
  "kernel": { "image": "devices.bin", "gpa": "0x80200000", "entry": "0x80200000" },
  "initrd": { "image": "pattern.bin", "gpa": "0x81000000" },
  "dtb": "generate", "bootargs": "quiet tessera-test=1", "console": { "uart16550": "0x10000000" },
  "devices": [ { "passthrough": "/soc/rtc@101000" },
               { "mmio": { "hpa": "0x101000", "gpa": "0x40000000", "size": "0x1000" } } ],
  "on_fault": "stop" }
JSON
if pack "$c" -I "$T/scen/$c.img"; then
	f=$(vm_rules "$c" devices:devices)
	cat >>"$f" <<RULES
once \\[devices\\] devices: device tree at 0x[0-9a-f]+: bootargs "quiet tessera-test=1", 2 cpus
once \\[devices\\] devices: initrd at 0x81000000, 4096 bytes, pattern ok
once \\[devices\\] devices: line through the console UART
once \\[devices\\] devices: device tree lists the passed-through rtc@101000
once \\[devices\\] devices: RTC passed through at 0x101000 runs
once \\[devices\\] devices: RTC mapped as mmio at 0x40000000 runs
once \\[devices\\] devices: RTC interrupt taken 3 times on vCPU 0 \\(vPLIC source 11\\)
once \\[devices\\] devices: RTC interrupt taken 3 times on vCPU 1 \\(vPLIC source 11\\)
RULES
	vm_case "$c" 2 60 "$f"
fi

# Every load/store form on emulated devices (transformed htinst on QEMU 10,
# the instruction itself on QEMU 7.2).
c=mmio-forms-smp1
mkdir -p "$T/scen/$c"
vm_cfg "$T/scen/$c" mmio.json 7 mmio mmio.bin 1 0 ', "console": { "uart16550": "0x10000000" }, "on_fault": "stop"'
if pack "$c"; then
	f=$(vm_rules "$c" mmio:mmio)
	echo 'once \[mmio\] mmio: 11 load/store forms emulated' >>"$f"
	vm_case "$c" 1 30 "$f"
fi

# FP registers, fcsr, scounteren and senvcfg: zero at every vCPU start, and
# switched between VMs sharing a core (each leak VM writes its own pattern and
# reboots twice; before the fix the guest saw the firmware's and the other
# VM's values).
leak_rules() {  # CASE VM...
	local c=$1 f; shift
	f=$(vm_rules "$c" "${@/%/:leak}")
	for vm in "$@"; do
		echo "count=3 \\[$vm\\] leak: boot [012]: f0-f31, fcsr, scounteren, senvcfg clear" >>"$f"
		echo "once vm [0-9]+ \\($vm\\): rebooting \\(boot 2\\).*" >>"$f"
	done
	echo "$f"
}
c=leak-reboot-smp1
vm_cfg "$T/scen/$c" leak.json 1 leak leak.bin 1 0
pack "$c" && vm_case "$c" 1 60 "$(leak_rules "$c" leak)"
c=leak-shared-core-smp1
vm_cfg "$T/scen/$c" leak1.json 1 leak1 leak.bin 1 0
vm_cfg "$T/scen/$c" leak2.json 2 leak2 leak.bin 1 0
pack "$c" && vm_case "$c" 1 60 "$(leak_rules "$c" leak1 leak2)"

# The same guest with a device tree of the user's own ("dtb": {"image": ...}).
c=devices-dtb-image-smp1
mkdir -p "$T/scen/$c" "$T/scen/$c.img"
dtc -q -I dts -O dtb -o "$T/scen/$c.img/user.dtb" - <<'DTS'
/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>; compatible = "user,board";
    chosen { bootargs = "from-the-user tessera-test=1"; };
    cpus { #address-cells = <1>; #size-cells = <0>; timebase-frequency = <10000000>;
           cpu@0 { device_type = "cpu"; reg = <0>; compatible = "riscv"; riscv,isa = "rv64imafdc"; }; };
    memory@80000000 { device_type = "memory"; reg = <0 0x80000000 0 0x2000000>; }; };
DTS
cat >"$T/scen/$c/devices.json" <<'JSON'
{ "id": 6, "name": "devices", "vcpus": 1,
  "memory": [ { "gpa": "0x80000000", "size": "32M" }, { "gpa": "0x90000000", "size": "4M" } ],
  "kernel": { "image": "devices.bin" }, "dtb": { "image": "user.dtb" },
  "devices": [ { "passthrough": "/soc/rtc@101000" },
               { "mmio": { "hpa": "0x101000", "gpa": "0x40000000", "size": "0x1000" } } ] }
JSON
if pack "$c" -I "$T/scen/$c.img"; then
	f=$(vm_rules "$c" devices:devices)
	echo 'once \[devices\] devices: device tree at 0x[0-9a-f]+: bootargs "from-the-user tessera-test=1", 1 cpus' >>"$f"
	vm_case "$c" 1 60 "$f"
fi

# The host's console UART passed through to one VM: tessera moves to SBI, the
# guest drives the real 16550 (its line appears without the "[devices]" tag).
c=uart-passthrough-smp2
mkdir -p "$T/scen/$c"
sed -e 's|"console": { "uart16550": "0x10000000" },||' \
    -e 's|{ "passthrough": "/soc/rtc@101000" },|{ "passthrough": "/soc/rtc@101000" }, { "passthrough": "/soc/serial@10000000" },|' \
    "$T/scen/devices-smp2/devices.json" >"$T/scen/$c/devices.json"
if pack "$c" -I "$T/scen/devices-smp2.img"; then
	f=$(vm_rules "$c" devices:devices)
	cat >>"$f" <<RULES
once tessera: vm 6 \\(devices\\) takes /soc/serial@10000000: tessera's console moves to SBI
once devices: line through the console UART
once \\[devices\\] devices: RTC interrupt taken 3 times on vCPU 1 \\(vPLIC source 11\\)
RULES
	vm_case "$c" 2 60 "$f"
fi

# Without Sstc on the host: the guest timer is served by the core's timer.
c=timer-nosstc-smp2
vm_cfg "$T/scen/$c" timer.json 3 timer timer.bin 1 1
if pack "$c"; then
	f=$(vm_rules "$c" timer:timer)
	echo 'once \[timer\] PASS timer: sbi 100 ticks, sstc skipped, worst late [0-9]+ ticks' >>"$f"
	vm_case "$c" 2 60 "$f" -- -cpu rv64,sstc=false
fi
