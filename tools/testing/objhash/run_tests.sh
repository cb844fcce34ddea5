#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh: run every case of the native test programs, each in its own
# process, and a short libFuzzer run; print one line per case and, last,
# "N passed, N failed".  Exit non-zero if anything failed.
#
# The ASan cases with the fuzzer, and the TSan cases, run as two series
# side by side (the machine has two cores; every stress case runs
# until each of its threads did its floor, so sharing the CPUs changes
# how long a case takes, never what it checks).
#
# A case is "<variant>/<program>:<case>".  A case fails on a non-zero exit
# (a sanitizer report, a shim splat, a failed check) or if it never
# printed its "ok" line.  Environment: O (build directory),
# CHECK_FUZZ_SECONDS, CASE_TIMEOUT (per case, default 300: a backstop for
# a hang; the tests' own deadlines fail them much sooner).
set -uo pipefail

O=${O:?}
CHECK_FUZZ_SECONDS=${CHECK_FUZZ_SECONDS:-10}
CASE_TIMEOUT=${CASE_TIMEOUT:-300}
export TSAN_OPTIONS="halt_on_error=1 abort_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
export ASAN_OPTIONS="abort_on_error=1 detect_leaks=1 ${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1 ${UBSAN_OPTIONS:-}"

log=$O/logs
mkdir -p "$log"

report() {	# name status seconds logfile
	if [ "$2" = ok ]; then
		printf 'ok      %-50s %5.1f s\n' "$1" "$3"
	else
		printf 'FAILED  %-50s %5.1f s  (%s)\n' "$1" "$3" "$4"
		grep -E -m 12 '^# |BUG:|WARNING:|ERROR:|SUMMARY:|runtime error|objhash_fuzz:' "$4" | sed 's/^/        /'
	fi
}

# TSan runs ~10x slower than ASan: its runs do fewer operations.  The
# model test runs there for its threads (RCU callbacks, the resizer), not
# for coverage, which ASan's run and the fuzzer give.
run_variant() {	# variant command...
	if [ "$1" = tsan ]; then
		shift
		OBJHASH_MODEL_OPS=${OBJHASH_MODEL_OPS:-15000} \
		OBJHASH_STRESS_OPS=${OBJHASH_STRESS_OPS:-0.4} "$@"
	else
		shift
		"$@"
	fi
}

elapsed() {	# t0
	awk "BEGIN { print $(date +%s.%N) - $1 }"
}

run_case() {	# variant program case
	local name="$1/$2:$3" f t0 st=fail
	f=$log/$1-$2-$3.log
	t0=$(date +%s.%N)
	# The subshell reports a death by signal into the log, not here.
	if (run_variant "$1" timeout "$CASE_TIMEOUT" "$O/$1/$2" --case "$3" \
		>"$f" 2>&1) 2>>"$f" && grep -qx "ok $3" "$f"; then
		st=ok
	fi
	report "$name" $st "$(elapsed "$t0")" "$f"
}

run_series() {	# variant
	local p c cases
	for p in objhash_model_test objhash_stress_test; do
		if ! cases=$("$O/$1/$p" --list); then
			report "$1/$p" fail 0 /dev/null
			continue
		fi
		for c in $cases; do
			run_case "$1" "$p" "$c"
		done
	done
}

# The fuzzer: a short run on a corpus kept in the build directory.
run_fuzz() {
	local f=$log/fuzz.log t0 st=fail
	mkdir -p "$O/fuzz/corpus"
	t0=$(date +%s.%N)
	if (timeout $((CHECK_FUZZ_SECONDS + CASE_TIMEOUT)) "$O/asan/objhash_fuzz" \
		-max_total_time="$CHECK_FUZZ_SECONDS" -print_final_stats=1 \
		-artifact_prefix="$O/fuzz/" "$O/fuzz/corpus" >"$f" 2>&1) 2>>"$f"; then
		st=ok
	fi
	report "fuzz/objhash_fuzz:${CHECK_FUZZ_SECONDS}s" $st "$(elapsed "$t0")" "$f"
	grep -E '^stat::number_of_executed_units' "$f" | sed 's/^/        /'
}

{ run_series asan; run_fuzz; } >"$log/series-asan.txt" &
run_series tsan >"$log/series-tsan.txt"
wait
cat "$log/series-asan.txt" "$log/series-tsan.txt"

passed=$(cat "$log"/series-*.txt | grep -c '^ok ')
failed=$(cat "$log"/series-*.txt | grep -c '^FAILED ')
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
