#!/usr/bin/env bash
# Check the shipped VM configs and the broken examples with tools/tessera-config.
#   configs/*.json (not schema.json) must pass, each alone and the demo-*.json
#   ones (what `make run` packs) as one plan;
#   each tests/configs/bad/NAME.json must fail with a message holding NAME.expect.
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

# hello.json and demo-hello.json describe the same VM, so the shipped files
# are not one plan: check each alone, then the demo set together.
shipped=() demo=()
for json in configs/*.json; do
	case $(basename "$json") in
	schema.json) ;;
	demo-*) shipped+=("$json"); demo+=("$json") ;;
	*) shipped+=("$json") ;;
	esac
done
out="" ok=1
for json in "${shipped[@]}"; do
	out+=$("$tool" check "$json" 2>&1)$'\n' || ok=0
done
if [ ${#demo[@]} -gt 0 ]; then
	out+=$("$tool" check "${demo[@]}" 2>&1) || ok=0
fi
if [ ${#shipped[@]} -gt 0 ] && [ "$ok" -eq 1 ]; then
	echo "PASS config: shipped configs"
else
	fail "config: shipped configs" "$out"
fi

for json in tests/configs/bad/*.json; do
	name=$(basename "$json" .json)
	expect_file=${json%.json}.expect
	if [ ! -s "$expect_file" ]; then
		fail "config-bad: $name: no $expect_file" ""
		continue
	fi
	expect=$(head -n 1 "$expect_file")
	out=$("$tool" check --cores 4 "$json" 2>&1)
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
exit $failed
