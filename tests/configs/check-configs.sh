#!/usr/bin/env bash
# Check the shipped VM configs and the broken examples with tools/tessera-config.
#   `tessera-config check configs/*.json` must pass;
#   each tests/configs/bad/NAME.json must fail with a message holding NAME.expect;
#   the same with --arch aarch64 for configs/aarch64/*.json and tests/configs/bad-aarch64/.
# Prints only PASS/FAIL lines (details indented); exit status 1 on any FAIL.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
tool=tools/tessera-config
failed=0

fail() {  # LINE DETAIL
	echo "FAIL $1"
	[ -z "$2" ] || sed 's/^/    /' <<<"$2"
	failed=1
}

# Build once up front, so a build problem shows as one clear failure.
if ! build=$(make -s -f Makefile -f partition/partition.mk build/tools/tessera-config 2>&1); then
	fail "config: build tessera-config" "$build"
	exit 1
fi

# The shipped configs are one plan (what `make run` packs); schema.json is skipped by the tool.
if out=$("$tool" check configs/*.json 2>&1) && grep -q ': ok$' <<<"$out"; then
	echo "PASS config: shipped configs"
else
	fail "config: shipped configs" "$out"
fi

# The AArch64 demo's configs, checked for that architecture.
if out=$("$tool" check --arch aarch64 configs/aarch64/*.json 2>&1) && ! grep -qv ': ok$' <<<"$out"; then
	echo "PASS config: shipped aarch64 configs"
else
	fail "config: shipped aarch64 configs" "$out"
fi

for json in tests/configs/bad/*.json tests/configs/bad-aarch64/*.json; do
	name=$(basename "$json" .json)
	arch=(); case $json in */bad-aarch64/*) arch=(--arch aarch64); name=aarch64-$name ;; esac
	expect_file=${json%.json}.expect
	if [ ! -s "$expect_file" ]; then
		fail "config-bad: $name: no $expect_file" ""
		continue
	fi
	expect=$(head -n 1 "$expect_file")
	out=$("$tool" check "${arch[@]}" --cores 4 "$json" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		fail "config-bad: $name: accepted" "$out"
	elif [ "$rc" -ne 1 ]; then
		fail "config-bad: $name: exit status $rc, want 1" "$out"
	elif ! grep -qF -- "$expect" <<<"$out"; then
		fail "config-bad: $name: message lacks the expected text" "want: $expect"$'\n'"got:  $out"
	else
		echo "PASS config-bad: $name"
	fi
done

# With a host device tree (argument 1: QEMU's virt tree), the ranges the
# configs' devices would take from the host: tests/configs/host/NAME.json
# with NAME.expect; NAME-2.json is checked after NAME-1.json, as one plan.
host_dtb=${1:-}
if [ -n "$host_dtb" ]; then
	if out=$("$tool" check --host-dtb "$host_dtb" configs/*.json 2>&1) && ! grep -qv -e ': ok$' -e ': skipped' <<<"$out"; then
		echo "PASS config-host: shipped configs against $(basename "$host_dtb")"
	else
		fail "config-host: shipped configs against $host_dtb" "$out"
	fi
	for expect_file in tests/configs/host/*.expect; do
		name=$(basename "$expect_file" .expect)
		json=tests/configs/host/$name.json
		files=("$json")
		[[ $name == *-2 ]] && files=("tests/configs/host/${name%-2}-1.json" "$json")
		expect=$(head -n 1 "$expect_file")
		out=$("$tool" check --cores 4 --host-dtb "$host_dtb" "${files[@]}" 2>&1)
		rc=$?
		alone=$("$tool" check --cores 4 "${files[@]}" 2>&1)
		if [ "$rc" -ne 1 ]; then
			fail "config-host: $name: exit status $rc, want 1" "$out"
		elif ! grep -qF -- "$json: $expect" <<<"$out"; then
			fail "config-host: $name: message lacks the expected text" "want: $json: $expect"$'\n'"got:  $out"
		elif ! grep -q ": ok$" <<<"$alone"; then
			fail "config-host: $name: refused without the host tree too (the case tests nothing)" "$alone"
		else
			echo "PASS config-host: $name"
		fi
	done
fi
exit $failed
