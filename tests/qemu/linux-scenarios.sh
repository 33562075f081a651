# Linux scenarios: Debian's riscv64 kernel (fetched by tools/fetch-guests.sh
# into build/linux) in a partition, alone and beside a bare-metal guest.
# Sourced by tests/run-all.sh after vm-scenarios.sh (uses its helpers).

LINUX=$top/build/linux

# linux_cfg DIR VCPUS AFFINITY INITRD [EXTRA_JSON]
linux_cfg() {
	mkdir -p "$1"
	cat >"$1/linux.json" <<JSON
{ "id": 10, "name": "linux", "vcpus": $2, "affinity": [$3],
  "memory": [ { "gpa": "0x80000000", "size": "256M" } ],
  "kernel": { "image": "Image" }, "initrd": { "image": "$4" },
  "bootargs": "console=ttyS0 earlycon=sbi",
  "console": { "uart16550": "0x10000000" }${5:-} }
JSON
}

# What every Linux run must show: the kernel booted on the virtual platform
# without complaints, its init ran on every vCPU with timer and IPI counts.
linux_rules() {  # FILE VCPUS
	local f=$1 n=$2 counts=""
	for ((i = 0; i < n; i++)); do counts+=" +[1-9][0-9]*"; done
	cat >>"$f" <<RULES
once vm 10 \\(linux\\): started on cores [0-9,]+
once \\[linux\\] \\[ *[0-9.]+\\] riscv-plic: plic@c000000: mapped 31 interrupts .*
once \\[linux\\] \\[ *[0-9.]+\\] 10000000.serial: ttyS0 at MMIO 0x10000000 \\(irq = [0-9]+, .*
once \\[linux\\] guest: cpus online: 0(-$((n - 1)))?
some \\[linux\\] +[0-9]+:$counts +RISC-V INTC +5 Edge +riscv-timer
never \\[linux\\].*(WARNING|BUG|Oops|Call Trace|stall|panic|error -|failed).*
never $never_bad
never vm [0-9]+ \\([^)]*\\): fault: .*
RULES
	# IPIs: with more than one CPU every CPU took function-call IPIs.
	[ "$n" -lt 2 ] || echo "some \\[linux\\] IPI1:$counts +Function call interrupts" >>"$f"
}

linux_stop_rules() {  # FILE
	cat >>"$1" <<'RULES'
once vm 10 \(linux\): stopped \(shutdown\)
once tessera: all VMs stopped, powering off
RULES
}

if [ ! -f "$LINUX/Image" ]; then
	record <<<"FAIL linux: no guest kernel in $LINUX (make linux-guest)"
else
	for n in 1 2 4; do
		c=linux-smp-$n
		linux_cfg "$T/scen/$c" "$n" "$(cores_list "$n")" initramfs.cpio.gz
		if pack "$c" -I "$LINUX"; then
			f=$T/rules/$c; : >"$f"
			linux_rules "$f" "$n"
			echo "once \\[linux\\] GUEST-LINUX-OK cpus=$n" >>"$f"
			linux_stop_rules "$f"
			vm_case "$c" 4 240 "$f"
		fi
	done

	# Linux on cores 1-2 while a bare-metal guest runs its timer test on core 3;
	# Linux owns the RTC, whose alarm interrupt comes through the host PLIC.
	c=linux-plus-baremetal
	linux_cfg "$T/scen/$c" 2 "1,2" initramfs.cpio.gz \
		', "devices": [ { "passthrough": "/soc/rtc@101000" } ]'
	vm_cfg "$T/scen/$c" timer.json 3 timer timer.bin 1 3
	if pack "$c" -I "$LINUX"; then
		f=$T/rules/$c; : >"$f"
		linux_rules "$f" 2
		cat >>"$f" <<'RULES'
once \[linux\] GUEST-LINUX-OK cpus=2
once \[linux\] rtc-alarm: alarm interrupt arrived
once \[linux\] guest: rtc interrupts: +[0-9]+: +([0-9]+ +)+SiFive PLIC +11 +Edge +101000\.rtc
once \[timer\] PASS timer.*
never \[timer\] FAIL.*
once vm 3 \(timer\): stopped \(shutdown\)
RULES
		linux_stop_rules "$f"
		vm_case "$c" 4 240 "$f"
		tools/mkdisk "$T/disk-$c.img" "$BIN" --pkg "$T/scen/$c.pkg"
		qemu_case "linux-uboot" 300 0 "$f" -- --boot uboot --smp 4 --disk "$T/disk-$c.img"
	fi

	# Typing into the Linux shell: Ctrl-A 1 gives it focus, a command runs, poweroff.
	c=linux-console-input
	linux_cfg "$T/scen/$c" 2 "1,2" initramfs-shell.cpio.gz
	if pack "$c" -I "$LINUX"; then
		printf '%s\n' 'wait GUEST-LINUX-OK' 'send \001' 'send 1' 'wait console focus' \
			'send echo TYPED-$((6*7))\r' 'wait TYPED-42' 'send poweroff -f\r' >"$T/scen/$c.input"
		f=$T/rules/$c; : >"$f"
		cat >>"$f" <<'RULES'
once tessera: console focus: vm 10 \(linux\)
once \[linux\] TYPED-42
RULES
		linux_stop_rules "$f"
		cp "$f" "$f-polled"
		echo 'once tessera: console input: host interrupt 10, on core [0-9]+' >>"$f"
		INPUT=$T/scen/$c.input vm_case "$c" 4 240 "$f"
		# A host tree whose UART has no interrupt: the boot core polls it instead.
		echo 'once tessera: console input: polled every 20 ms on core [0-9]+ \(its node names no interrupt of the host controller tessera can take\)' >>"$f-polled"
		tools/mkdisk "$T/disk-$c.img" "$BIN" --pkg "$T/scen/$c.pkg" --dtb "$T/dtb/$TESSERA_PLATFORM/uart-noirq.dtb"
		INPUT=$T/scen/$c.input qemu_case "$c-polled" 300 0 "$f-polled" -- --boot uboot --smp 4 \
			--disk "$T/disk-$c.img"
	fi

	# reboot -f restarts only the Linux VM; its second boot powers off.
	c=linux-reboot
	linux_cfg "$T/scen/$c" 2 "1,2" initramfs-reboot.cpio.gz
	vm_cfg "$T/scen/$c" hello.json 1 hello hello.bin 1 0
	if pack "$c" -I "$LINUX"; then
		f=$T/rules/$c; : >"$f"
		cat >>"$f" <<'RULES'
once \[linux\] GUEST-LINUX-REBOOTING
once vm 10 \(linux\): rebooting \(boot 1\): free host memory [0-9]+ bytes, messages in flight [0-9]+
once \[linux\] GUEST-LINUX-OK cpus=2 boot=1
once \[hello\] PASS hello
once vm 1 \(hello\): stopped \(shutdown\)
once vm 10 \(linux\): started on cores 1,2
once vm 1 \(hello\): started on cores 0
never \[linux\].*(WARNING|BUG|Oops|Call Trace|stall|panic).*
RULES
		linux_stop_rules "$f"
		vm_case "$c" 4 300 "$f"
	fi
fi
