#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# objhash_cli_test.sh: smoke test of objhashctl against the loaded module.
# Prints KTAP; exits 0 if every case passed, 1 if one failed, 4 (kselftest
# skip) when objhashctl or /dev/objhash is missing.  POSIX sh: runs under
# busybox in the test guest.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4
CTL=${OBJHASHCTL:-objhashctl}
DEV=/dev/objhash

n=0
failed=0
tmp=

skip_all() {
	echo "TAP version 13"
	echo "1..0 # SKIP $1"
	exit $KSFT_SKIP
}

cleanup() {
	[ -n "$tmp" ] && rm -rf "$tmp"
	"$CTL" purge --wait >/dev/null 2>&1
}

# Say why a case failed (as a KTAP diagnostic) and fail it.
fail() {
	echo "# $*" >&2
	return 1
}

# run_ctl EXPECTED_RC ARGS...: run objhashctl, output in $tmp/out and
# $tmp/err, fail unless its exit status is EXPECTED_RC.
run_ctl() {
	want=$1
	shift
	"$CTL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq "$want" ] ||
		fail "objhashctl $*: exit $rc, expected $want; stderr: $(cat "$tmp/err")"
}

# version_of ARGS...: run an insert and print the N of its "version N".
version_of() {
	run_ctl 0 "$@" || return 1
	grep -qx 'version [1-9][0-9]*' "$tmp/out" ||
		fail "objhashctl $*: printed '$(cat "$tmp/out")'" || return 1
	sed 's/^version //' "$tmp/out"
}

# expect_value KEY FILE: the stored value of KEY is FILE's bytes.
expect_value() {
	run_ctl 0 get "$1" || return 1
	cmp -s "$2" "$tmp/out" || fail "get $1: value differs from $2"
}

# stat_of NAME: the value of one "name value" line of `objhashctl stats`.
stat_of() {
	"$CTL" stats | sed -n "s/^$1 \([0-9][0-9]*\)$/\1/p"
}

t_insert_prints_version() {
	v=$(version_of insert k1 hello) || return 1
	[ "$v" -eq "$(stat_of version)" ] ||
		fail "version $v but stats.version $(stat_of version)"
}

t_get_raw_value() {
	version_of insert k1 hello >/dev/null || return 1
	printf 'hello' >"$tmp/exp"
	expect_value k1 "$tmp/exp"
}

t_insert_exists() {
	version_of insert k1 first >/dev/null || return 1
	run_ctl 4 insert k1 second || return 1
	grep -q 'objhashctl: insert "k1": File exists' "$tmp/err" ||
		fail "stderr: $(cat "$tmp/err")" || return 1
	printf 'first' >"$tmp/exp"
	expect_value k1 "$tmp/exp"
}

t_replace() {
	v1=$(version_of insert k1 one) || return 1
	v2=$(version_of insert --replace k1 two) || return 1
	[ "$v2" -eq $((v1 + 1)) ] || fail "replace: version $v2 after $v1" ||
		return 1
	printf 'two' >"$tmp/exp"
	expect_value k1 "$tmp/exp" || return 1
	v3=$(version_of insert --replace brand-new x) || return 1
	[ "$v3" -eq $((v2 + 1)) ] || fail "create by --replace: version $v3"
}

t_replace_only_absent() {
	run_ctl 3 insert --replace-only absent x || return 1
	run_ctl 3 get absent
}

t_expect_version() {
	v1=$(version_of insert k1 one) || return 1
	run_ctl 5 insert --expect-version $((v1 + 7)) k1 two || return 1
	printf 'one' >"$tmp/exp"
	expect_value k1 "$tmp/exp" || return 1
	v2=$(version_of insert --expect-version "$v1" k1 two) || return 1
	[ "$v2" -gt "$v1" ] || fail "version $v2 after $v1"
}

t_get_take() {
	version_of insert k1 taken >/dev/null || return 1
	run_ctl 0 get --take k1 || return 1
	[ "$(cat "$tmp/out")" = taken ] || fail "get --take: '$(cat "$tmp/out")'" ||
		return 1
	run_ctl 3 get k1
}

t_delete() {
	v=$(version_of insert k1 v) || return 1
	run_ctl 5 delete --expect-version $((v + 1)) k1 || return 1
	run_ctl 0 get k1 || return 1
	run_ctl 0 delete k1 || return 1
	[ ! -s "$tmp/out" ] || fail "delete printed '$(cat "$tmp/out")'" ||
		return 1
	run_ctl 3 get k1 || return 1
	run_ctl 3 delete k1
}

t_value_from_stdin() {
	printf 'line one\nline two\n' >"$tmp/exp"
	"$CTL" insert ks - <"$tmp/exp" >"$tmp/out" 2>"$tmp/err" ||
		fail "insert ks -: $(cat "$tmp/err")" || return 1
	expect_value ks "$tmp/exp"
}

t_value_from_file_binary() {
	printf 'a\000b\377\001\n' >"$tmp/bin"
	head -c 3000 /dev/urandom >>"$tmp/bin"
	version_of insert kf "@$tmp/bin" >/dev/null || return 1
	expect_value kf "$tmp/bin"
}

t_hex_key() {
	version_of insert --hex 6b6579 hexval >/dev/null || return 1
	printf 'hexval' >"$tmp/exp"
	expect_value key "$tmp/exp" || return 1
	run_ctl 0 get --hex 6b6579 || return 1
	cmp -s "$tmp/exp" "$tmp/out" || fail "get --hex: wrong value" ||
		return 1
	version_of insert --hex 00ff01 bin >/dev/null || return 1
	run_ctl 0 get --hex 00FF01 || return 1
	[ "$(cat "$tmp/out")" = bin ] || fail "upper-case hex key"
}

t_empty_value() {
	version_of insert ke >/dev/null || return 1
	run_ctl 0 get ke || return 1
	[ ! -s "$tmp/out" ] || fail "empty value came back non-empty"
}

t_purge_count() {
	for k in p1 p2 p3; do
		version_of insert $k v >/dev/null || return 1
	done
	run_ctl 0 purge --wait || return 1
	grep -qx 'purged 3' "$tmp/out" ||
		fail "purge printed '$(cat "$tmp/out")'" || return 1
	[ "$(stat_of objects)" -eq 0 ] || fail "objects left after purge" ||
		return 1
	[ "$(stat_of pending_release)" -eq 0 ] ||
		fail "pending_release after purge --wait"
}

t_purge_max_version() {
	version_of insert a v >/dev/null || return 1
	vb=$(version_of insert b v) || return 1
	version_of insert c v >/dev/null || return 1
	run_ctl 0 purge --max-version "$vb" || return 1
	grep -qx 'purged 2' "$tmp/out" ||
		fail "purge --max-version printed '$(cat "$tmp/out")'" ||
		return 1
	run_ctl 3 get a || return 1
	run_ctl 3 get b || return 1
	run_ctl 0 get c
}

t_stats_lines() {
	version_of insert s1 12345 >/dev/null || return 1
	version_of insert s2 x >/dev/null || return 1
	run_ctl 0 stats || return 1
	for f in objects bytes pending_release buckets version max_objects \
		 max_bytes max_value_len inserts replaces deletes purged \
		 lookups hits min_buckets max_buckets grows shrinks \
		 resize_failed max_chain rehashes rehashes_deferred; do
		grep -qx "$f [0-9][0-9]*" "$tmp/out" ||
			fail "stats has no '$f N' line" || return 1
	done
	[ "$(stat_of objects)" -eq 2 ] || fail "objects $(stat_of objects)" ||
		return 1
	[ "$(stat_of bytes)" -eq $((2 + 5 + 2 + 1)) ] ||
		fail "bytes $(stat_of bytes)"
}

t_stats_json() {
	version_of insert j1 v >/dev/null || return 1
	run_ctl 0 stats --json || return 1
	grep -q '"objects": *1[,} ]' "$tmp/out" ||
		fail "json: $(cat "$tmp/out")" || return 1
	grep -q '^ *{' "$tmp/out" && grep -q '} *$' "$tmp/out" ||
		fail "json is not one object: $(cat "$tmp/out")"
}

t_value_too_large() {
	max=$(cat /sys/module/objhash/parameters/max_value_len) || return 1
	head -c $((max + 1)) /dev/zero >"$tmp/big"
	run_ctl 7 insert big "@$tmp/big" || return 1
	run_ctl 3 get big
}

t_usage_errors() {
	run_ctl 2 no-such-command || return 1
	run_ctl 2 insert || return 1
	run_ctl 2 insert --hex zz v
}

t_missing_device() {
	run_ctl 8 --device /nonexistent/objhash stats
}

TESTS="t_insert_prints_version t_get_raw_value t_insert_exists t_replace
t_replace_only_absent t_expect_version t_get_take t_delete t_value_from_stdin
t_value_from_file_binary t_hex_key t_empty_value t_purge_count
t_purge_max_version t_stats_lines t_stats_json t_value_too_large
t_usage_errors t_missing_device"

command -v "$CTL" >/dev/null 2>&1 || skip_all "$CTL not found in PATH"
[ -e "$DEV" ] || skip_all "$DEV not present: load objhash.ko first"
tmp=$(mktemp -d) || skip_all "mktemp failed"
trap cleanup EXIT

echo "TAP version 13"
echo "1..$(echo $TESTS | wc -w)"
for t in $TESTS; do
	n=$((n + 1))
	name=${t#t_}
	if ! "$CTL" purge --wait >/dev/null 2>&1; then
		echo "not ok $n $name # purge --wait failed"
		failed=$((failed + 1))
		continue
	fi
	if $t; then
		echo "ok $n $name"
	else
		echo "not ok $n $name"
		failed=$((failed + 1))
	fi
done
echo "# $((n - failed)) of $n passed"
[ "$failed" -eq 0 ] && exit $KSFT_PASS
exit $KSFT_FAIL
