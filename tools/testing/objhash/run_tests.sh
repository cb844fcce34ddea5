#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh: run every case of the native test programs, each in its own
# process, then a short libFuzzer run; print one line per case and, last,
# "N passed, N failed".  Exit non-zero if anything failed.
#
# A case is "<variant>/<program>:<case>".  A case fails on a non-zero exit
# (a sanitizer report, a shim splat, a failed check) or if it never
# printed its "ok" line.  Environment: O (build directory),
# CHECK_FUZZ_SECONDS, CASE_TIMEOUT (per case, default 300: a backstop for
# a hang; the tests' own deadlines fail them much sooner).
set -uo pipefail

O=${O:?}
CHECK_FUZZ_SECONDS=${CHECK_FUZZ_SECONDS:-15}
CASE_TIMEOUT=${CASE_TIMEOUT:-300}
export TSAN_OPTIONS="halt_on_error=1 abort_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
export ASAN_OPTIONS="abort_on_error=1 detect_leaks=1 ${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1 ${UBSAN_OPTIONS:-}"

passed=0
failed=0
log=$O/logs
mkdir -p "$log"

report() {	# name status seconds logfile
	if [ "$2" = ok ]; then
		passed=$((passed + 1))
		printf 'ok      %-50s %5.1f s\n' "$1" "$3"
	else
		failed=$((failed + 1))
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
		OBJHASH_MODEL_OPS=${OBJHASH_MODEL_OPS:-25000} \
		OBJHASH_STRESS_OPS=${OBJHASH_STRESS_OPS:-0.6} "$@"
	else
		shift
		"$@"
	fi
}

run_case() {	# variant program case
	local name="$1/$2:$3" f t0 t1 st=fail
	f=$log/$1-$2-$3.log
	t0=$(date +%s.%N)
	# The subshell reports a death by signal into the log, not here.
	if (run_variant "$1" timeout "$CASE_TIMEOUT" "$O/$1/$2" --case "$3" \
		>"$f" 2>&1) 2>>"$f" && grep -qx "ok $3" "$f"; then
		st=ok
	fi
	t1=$(date +%s.%N)
	report "$name" $st "$(awk "BEGIN { print $t1 - $t0 }")" "$f"
}

for v in asan tsan; do
	for p in objhash_model_test objhash_stress_test; do
		if ! cases=$("$O/$v/$p" --list); then
			report "$v/$p" fail 0 /dev/null
			continue
		fi
		for c in $cases; do
			run_case "$v" "$p" "$c"
		done
	done
done

# The fuzzer: a short run from an empty corpus kept in the build directory.
f=$log/fuzz.log
mkdir -p "$O/fuzz/corpus"
t0=$(date +%s.%N)
if timeout $((CHECK_FUZZ_SECONDS + CASE_TIMEOUT)) "$O/fuzz/objhash_fuzz" \
	-max_total_time="$CHECK_FUZZ_SECONDS" -print_final_stats=1 \
	-artifact_prefix="$O/fuzz/" "$O/fuzz/corpus" >"$f" 2>&1; then
	st=ok
else
	st=fail
fi
t1=$(date +%s.%N)
report "fuzz/objhash_fuzz:${CHECK_FUZZ_SECONDS}s" $st "$(awk "BEGIN { print $t1 - $t0 }")" "$f"
grep -E '^stat::number_of_executed_units|^#[0-9]+ *DONE' "$f" | sed 's/^/        /'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
