# AArch64 at EL2 (docs/aarch64.md): tessera built with make ARCH=aarch64, on
# QEMU virt with virtualization=on and a GICv3, booted directly (-kernel):
# every core comes up as its own instance (PSCI CPU_ON) and the mailboxes
# pass the self-test over GICv3 SGIs. Sourced by tests/run-all.sh per platform.

A64_BIN=$top/build/aarch64/tessera.bin

a64_boot_rules() {  # N CPU -> rules file
	local n=$1 cpu=$2 f=$T/rules/a64-boot-smp$1-$2 i
	{
		echo "once tessera [^ ]+: $n harts, 1024 MiB RAM, timebase [1-9][0-9]* Hz"
		echo "once [ ]+boot cpu mpidr 0x0, midr 0x[0-9a-f]+, entered at EL2"
		echo "once [ ]+uart     0x9000000 /pl011@9000000 \\(arm,pl011\\)"
		echo "once [ ]+gic      GICv3, distributor 0x8000000, redistributors 0x80a0000-0x[0-9a-f]+, [0-9]+ interrupt ids"
		echo "once [ ]+stage-2  4 KiB granule, (40|44|48)-bit IPA, (8|16) VMID bits"
		for ((i = 0; i < n; i++)); do echo "once core $i \\(hart $i\\) online"; done
		echo "once tessera: $n cores online"
		echo "once mailbox: $((2 * n * (n - 1))) messages ok"
		echo "once tessera: self-test done, powering off"
		echo "never $never_bad"
		echo "never .*(EL2 exception|hart_start failed|no GICv3 redistributor).*"
	} >"$f"
	echo "$f"
}

if [ -f "$A64_BIN" ]; then
	for n in 1 2 4 8; do
		qemu_case "a64-boot-smp$n" 90 0 "$(a64_boot_rules $n cortex-a72)" -- --arch aarch64 --smp $n \
			--kernel "$A64_BIN" --append tessera.selftest
	done
	# -cpu max: a newer CPU (16 VMID bits, 48-bit IPA; on QEMU 10 a 1 GHz counter)
	qemu_case "a64-boot-max-smp4" 90 0 "$(a64_boot_rules 4 max)" -- --arch aarch64 --cpu max --smp 4 \
		--kernel "$A64_BIN" --append tessera.selftest
else
	record <<<"FAIL a64-boot@$TESSERA_PLATFORM: $A64_BIN missing (make ARCH=aarch64)"
fi
