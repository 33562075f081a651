#!/usr/bin/env bash
# Run the libFuzzer targets of tests/fuzz/ (built by `make fuzz-bins`).
#   tests/fuzz/run.sh SECONDS [TARGET...]      TARGET: vmconfig vmpkg guestdt hostdt (default: all)
# For each target, one after the other: replay every input kept in
# tests/fuzz/regressions/<target>/ and tests/fuzz/seeds/<target>/, then fuzz
# for SECONDS from a scratch corpus in $FUZZ_BUILD/fuzz/corpus/<target>
# (seeded from the seeds), crashes to $FUZZ_BUILD/fuzz/crashes/<target>/.
# Prints one line per target:
#   PASS fuzz-<target>: <N> runs in <S> s, no crash
#   FAIL fuzz-<target>: <reason> (input saved in <path>)
# A crashing input found by fuzzing is copied to tests/fuzz/regressions/<target>/.
# Everything else goes to $FUZZ_BUILD/fuzz/logs/<target>.log.
# Exit status: 0 if every target passed, 1 if one failed, 2 on bad usage.
set -u

ALL_TARGETS="vmconfig vmpkg guestdt hostdt"

usage() {
	echo "usage: $0 SECONDS [TARGET...]   (targets: $ALL_TARGETS)" >&2
	exit 2
}

[ $# -ge 1 ] || usage
secs=$1
shift
case "$secs" in '' | *[!0-9]* | 0) usage ;; esac
targets=${*:-$ALL_TARGETS}
for t in $targets; do
	case " $ALL_TARGETS " in *" $t "*) ;; *) echo "$0: unknown target $t" >&2; usage ;; esac
done

cd "$(dirname "$0")/../.." || exit 2
build=${FUZZ_BUILD:-build}
fz=$build/fuzz
mkdir -p "$fz/logs"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# A one-line reason from a libFuzzer/sanitizer log.
reason_of() {
	local log=$1 rc=$2 line
	line=$(grep -m1 -E 'fuzz check failed' "$log" | sed -e 's/fuzz check failed: [^:]*: /fuzz check failed: /')
	[ -n "$line" ] || line=$(grep -m1 -E '^SUMMARY: ' "$log" | sed -e 's/^SUMMARY: //')
	[ -n "$line" ] || line=$(grep -m1 -E 'ERROR: (libFuzzer|AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer)' "$log" |
		sed -e 's/^==[0-9]*==//')
	[ -n "$line" ] || line=$(grep -m1 -E 'runtime error:' "$log")
	[ -n "$line" ] || line="exit status $rc"
	line=$(printf '%s' "$line" | sed -e 's/ (BuildId: [0-9a-f]*)//g' -e 's/ ([^ ()]*+0x[0-9a-f]*)//g' \
		-e 's/ in [A-Za-z_]*Interceptor.*$//' -e 's/ in __asan_[a-z]*$//' -e 's/ in __interceptor_[a-z]*$//')
	# the first stack frame in this repository's sources, if the summary does not name one
	local frame
	frame=$(grep -m1 -E '^ +#[0-9]+ 0x[0-9a-f]+ in [^ ]+ [^ ]*(partition|tests|build/deps)/' "$log" |
		sed -e 's/^ *#[0-9]* 0x[0-9a-f]* in \([^ ]*\) \(.*\)$/\1 \2/' -e "s|$PWD/||")
	case "$line" in *partition/* | *tests/* | *libfdt/*) frame= ;; esac
	[ -n "$frame" ] && line="$line, in $frame"
	printf '%s' "$line" | tr -s ' \t' '  ' | cut -c1-240
}

# Replay one kept input; 0 if it ran clean.
replay() {
	local bin=$1 input=$2 log=$3
	echo "== replay $input" >>"$log"
	"$bin" -timeout=10 -rss_limit_mb=2048 "$input" >>"$log" 2>&1
}

fail=0
for t in $targets; do
	bin=$fz/fuzz_$t
	log=$fz/logs/$t.log
	corpus=$fz/corpus/$t
	crashes=$fz/crashes/$t
	seeds=tests/fuzz/seeds/$t
	regress=tests/fuzz/regressions/$t
	: >"$log"
	if [ ! -x "$bin" ]; then
		echo "FAIL fuzz-$t: $bin is not built, run make fuzz-bins (input saved in none)"
		fail=1
		continue
	fi

	# 1. the inputs we keep: regressions first, then seeds
	bad=
	for f in "$regress"/* "$seeds"/*; do
		[ -f "$f" ] || continue
		replay "$bin" "$f" "$log"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			bad=$f
			break
		fi
	done
	if [ -n "$bad" ]; then
		echo "FAIL fuzz-$t: replaying $bad: $(reason_of "$log" "$rc") (input saved in $bad)"
		fail=1
		continue
	fi

	# 2. fuzz
	mkdir -p "$corpus" "$crashes"
	[ -d "$seeds" ] && cp -n "$seeds"/* "$corpus"/ 2>/dev/null
	dict=()
	[ -f "tests/fuzz/dicts/$t.dict" ] && dict=("-dict=tests/fuzz/dicts/$t.dict")
	extra=()
	[ -d "$regress" ] && extra=("$regress")
	# FUZZ_SEED: the same mutations every run (make test's smoke run); unset: random
	[ -n "${FUZZ_SEED:-}" ] && dict+=("-seed=$FUZZ_SEED")
	before=$(ls "$crashes" 2>/dev/null | sort)
	echo "== fuzz $t for $secs s" >>"$log"
	start=$(date +%s)
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "${dict[@]}" "$corpus" "${extra[@]}" >>"$log" 2>&1
	rc=$?
	took=$(( $(date +%s) - start ))
	runs=$(sed -n -e 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
	ran_s=$(sed -n -e 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -1)
	[ -n "$runs" ] || runs=$(sed -n -e 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
		echo "PASS fuzz-$t: $runs runs in ${ran_s:-$took} s, no crash"
		continue
	fi
	fail=1
	# the input libFuzzer wrote, else any new file in the crash directory
	art=$(sed -n -e 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
	if [ -z "$art" ] || [ ! -f "$art" ]; then
		art=$(comm -13 <(echo "$before") <(ls "$crashes" 2>/dev/null | sort) | head -1)
		[ -n "$art" ] && art=$crashes/$art
	fi
	if [ -n "$art" ] && [ -f "$art" ]; then
		mkdir -p "$regress"
		cp "$art" "$regress/"
		saved=$regress/$(basename "$art")
	else
		saved=none
	fi
	echo "FAIL fuzz-$t: $(reason_of "$log" "$rc") (input saved in $saved)"
done
exit $fail
