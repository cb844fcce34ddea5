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
saved_max_objects=
saved_max_value_len=

skip_all() {
	echo "TAP version 13"
	echo "1..0 # SKIP $1"
	exit $KSFT_SKIP
}

cleanup() {
	[ -n "$saved_max_objects" ] &&
		echo "$saved_max_objects" >/sys/module/objhash/parameters/max_objects
	[ -n "$saved_max_value_len" ] &&
		echo "$saved_max_value_len" >/sys/module/objhash/parameters/max_value_len
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
		 resize_failed max_chain rehashes rehashes_deferred memory \
		 pending_memory max_memory throttled; do
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

# sorted_list ARGS...: `objhashctl list ARGS`, lines sorted, into $tmp/list.
sorted_list() {
	run_ctl 0 list "$@" || return 1
	sort "$tmp/out" >"$tmp/list"
}

# expect_lines FILE LINE...: FILE holds exactly these lines, in any order.
expect_lines() {
	f=$1
	shift
	: >"$tmp/want"
	for l in "$@"; do
		printf '%s\n' "$l" >>"$tmp/want"
	done
	sort "$tmp/want" >"$tmp/want.sorted"
	sort "$f" >"$tmp/got.sorted"
	cmp -s "$tmp/want.sorted" "$tmp/got.sorted" ||
		fail "expected lines:$(cat "$tmp/want.sorted") got:$(cat "$tmp/got.sorted")"
}

# The keys of the list tests: text, one with '"' and '\', a binary key
# (00 ff 0a) with a binary value, an empty value.  Versions in $v1..$v4.
list_fill() {
	v1=$(version_of insert k1 hello) || return 1
	v2=$(version_of insert 'q"\' 'x y') || return 1
	printf 'a\000b\377\n' >"$tmp/binval"
	v3=$(version_of insert --hex 00ff0a "@$tmp/binval") || return 1
	v4=$(version_of insert empty) || return 1
}

t_list_plain() {
	list_fill || return 1
	run_ctl 0 list || return 1
	expect_lines "$tmp/out" "\"k1\" $v1 \"hello\"" \
		"\"q\\\"\\\\\" $v2 \"x y\"" \
		"\"\\x00\\xff\\x0a\" $v3 \"a\\x00b\\xff\\x0a\"" \
		"\"empty\" $v4 \"\""
}

t_list_keys_only() {
	list_fill || return 1
	run_ctl 0 list --keys-only || return 1
	expect_lines "$tmp/out" "\"k1\" $v1" "\"q\\\"\\\\\" $v2" \
		"\"\\x00\\xff\\x0a\" $v3" "\"empty\" $v4"
}

t_list_hex() {
	list_fill || return 1
	run_ctl 0 --hex list || return 1
	expect_lines "$tmp/out" "6b31 $v1 68656c6c6f" "71225c $v2 782079" \
		"00ff0a $v3 610062ff0a" "656d707479 $v4" || return 1
	run_ctl 0 list --hex --keys-only || return 1
	expect_lines "$tmp/out" "6b31 $v1" "71225c $v2" "00ff0a $v3" \
		"656d707479 $v4"
}

t_list_json() {
	list_fill || return 1
	run_ctl 0 list --json || return 1
	expect_lines "$tmp/out" \
		"{\"key\":\"azE=\",\"version\":$v1,\"value_len\":5,\"value\":\"aGVsbG8=\"}" \
		"{\"key\":\"cSJc\",\"version\":$v2,\"value_len\":3,\"value\":\"eCB5\"}" \
		"{\"key\":\"AP8K\",\"version\":$v3,\"value_len\":5,\"value\":\"YQBi/wo=\"}" \
		"{\"key\":\"ZW1wdHk=\",\"version\":$v4,\"value_len\":0,\"value\":\"\"}" ||
		return 1
	# the binary value decodes back to its bytes
	sed -n 's/^{"key":"AP8K".*"value":"\([^"]*\)"}$/\1/p' "$tmp/out" |
		base64 -d >"$tmp/dec" 2>/dev/null
	cmp -s "$tmp/binval" "$tmp/dec" || fail "base64 value differs" ||
		return 1
	run_ctl 0 --json list --keys-only || return 1
	expect_lines "$tmp/out" "{\"key\":\"azE=\",\"version\":$v1,\"value_len\":5}" \
		"{\"key\":\"cSJc\",\"version\":$v2,\"value_len\":3}" \
		"{\"key\":\"AP8K\",\"version\":$v3,\"value_len\":5}" \
		"{\"key\":\"ZW1wdHk=\",\"version\":$v4,\"value_len\":0}"
}

t_list_empty_table() {
	run_ctl 0 list || return 1
	[ ! -s "$tmp/out" ] || fail "list of an empty table: $(cat "$tmp/out")"
}

# A record bigger than objhashctl's first 64 KiB buffer: the ERANGE path.
t_list_big_value() {
	max=$(cat /sys/module/objhash/parameters/max_value_len) || return 1
	head -c "$max" /dev/urandom >"$tmp/big"
	version_of insert big "@$tmp/big" >/dev/null || return 1
	version_of insert small s >/dev/null || return 1
	run_ctl 0 list --json || return 1
	[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "$(wc -l <"$tmp/out") lines" ||
		return 1
	sed -n 's/^{"key":"Ymln".*"value":"\([^"]*\)"}$/\1/p' "$tmp/out" |
		base64 -d >"$tmp/dec" 2>/dev/null
	cmp -s "$tmp/big" "$tmp/dec" || fail "the $max-byte value differs"
}

# table_snapshot FILE: every key and value (not versions), sorted, in hex.
table_snapshot() {
	run_ctl 0 --hex list || return 1
	awk '{ print $1, $3 }' "$tmp/out" | sort >"$1"
}

# Keys and values the dump tests store: binary, empty, big, many.
dump_fill() {
	printf '\000\001\002\377' >"$tmp/bv"
	head -c 65536 /dev/urandom >"$tmp/big"
	version_of insert --hex 00ff00 "@$tmp/bv" >/dev/null || return 1
	version_of insert --hex ff "@$tmp/big" >/dev/null || return 1
	version_of insert empty >/dev/null || return 1
	version_of insert 'sp ace' 'v a l' >/dev/null || return 1
	for i in 1 2 3 4 5 6; do
		version_of insert "key$i" "value$i" >/dev/null || return 1
	done
}

t_dump_load_round_trip() {
	dump_fill || return 1
	table_snapshot "$tmp/before" || return 1
	run_ctl 0 dump "$tmp/d.ohd" || return 1
	grep -qx 'dumped 10' "$tmp/out" || fail "dump printed $(cat "$tmp/out")" ||
		return 1
	head -c 8 "$tmp/d.ohd" | grep -q '^OBJHDUMP$' || fail "no magic" ||
		return 1
	run_ctl 0 purge --wait || return 1
	# --batch 3: four BATCH calls
	run_ctl 0 load --batch 3 "$tmp/d.ohd" || return 1
	grep -qx 'loaded 10 failed 0' "$tmp/out" ||
		fail "load printed $(cat "$tmp/out")" || return 1
	[ ! -s "$tmp/err" ] || fail "load stderr: $(cat "$tmp/err")" || return 1
	table_snapshot "$tmp/after" || return 1
	cmp -s "$tmp/before" "$tmp/after" || fail "table differs after load" ||
		return 1
	[ "$(stat_of objects)" -eq 10 ] || fail "objects $(stat_of objects)"
}

t_dump_load_stdio() {
	dump_fill || return 1
	table_snapshot "$tmp/before" || return 1
	"$CTL" dump - >"$tmp/d.ohd" 2>"$tmp/err" ||
		fail "dump -: $(cat "$tmp/err")" || return 1
	run_ctl 0 purge --wait || return 1
	"$CTL" --json load - <"$tmp/d.ohd" >"$tmp/out" 2>"$tmp/err" ||
		fail "load -: $(cat "$tmp/err")" || return 1
	grep -qx '{"loaded":10,"failed":0}' "$tmp/out" ||
		fail "load --json printed $(cat "$tmp/out")" || return 1
	table_snapshot "$tmp/after" || return 1
	cmp -s "$tmp/before" "$tmp/after" || fail "table differs after load"
}

t_dump_load_empty_table() {
	run_ctl 0 dump "$tmp/e.ohd" || return 1
	grep -qx 'dumped 0' "$tmp/out" || fail "dump printed $(cat "$tmp/out")" ||
		return 1
	# header (magic, version 1, flags 0) and end (0, 0, count 0)
	want=4f424a4844554d50010000000000000000000000000000000000000000000000
	[ "$(xxd -p "$tmp/e.ohd" | tr -d '\n')" = $want ] ||
		fail "empty dump is $(xxd -p "$tmp/e.ohd")" || return 1
	run_ctl 0 load "$tmp/e.ohd" || return 1
	grep -qx 'loaded 0 failed 0' "$tmp/out" ||
		fail "load printed $(cat "$tmp/out")" || return 1
	[ "$(stat_of objects)" -eq 0 ] || fail "objects $(stat_of objects)"
}

# Keys that exist: EEXIST per key, the others loaded, exit 4; --replace.
t_load_eexist() {
	for k in a b c; do
		version_of insert $k "old $k" >/dev/null || return 1
	done
	run_ctl 0 dump "$tmp/d.ohd" || return 1
	run_ctl 0 delete b || return 1
	version_of insert --replace a new >/dev/null || return 1
	run_ctl 4 load "$tmp/d.ohd" || return 1
	grep -qx 'loaded 1 failed 2' "$tmp/out" ||
		fail "load printed $(cat "$tmp/out")" || return 1
	expect_lines "$tmp/err" 'objhashctl: load "a": File exists' \
		'objhashctl: load "c": File exists' || return 1
	printf 'new' >"$tmp/exp"
	expect_value a "$tmp/exp" || return 1
	printf 'old b' >"$tmp/exp"
	expect_value b "$tmp/exp" || return 1
	run_ctl 0 load --replace "$tmp/d.ohd" || return 1
	grep -qx 'loaded 3 failed 0' "$tmp/out" ||
		fail "load --replace printed $(cat "$tmp/out")" || return 1
	printf 'old a' >"$tmp/exp"
	expect_value a "$tmp/exp"
}

# The table full (max_objects, through sysfs): ENOSPC per key, exit 6.
t_load_enospc() {
	param=/sys/module/objhash/parameters/max_objects
	for k in k1 k2 k3 k4 k5; do
		version_of insert --hex "$(printf %s $k | xxd -p)00" v >/dev/null ||
			return 1
	done
	run_ctl 0 dump "$tmp/d.ohd" || return 1
	run_ctl 0 purge --wait || return 1
	saved_max_objects=$(cat $param) || return 1
	echo 3 >$param || return 1
	run_ctl 6 --hex load --batch 2 "$tmp/d.ohd"
	rc=$?
	echo "$saved_max_objects" >$param
	saved_max_objects=
	[ $rc -eq 0 ] || return 1
	grep -qx 'loaded 3 failed 2' "$tmp/out" ||
		fail "load printed $(cat "$tmp/out")" || return 1
	[ "$(grep -c '^objhashctl: load 6b3[1-5]00: No space left on device$' \
		"$tmp/err")" -eq 2 ] || fail "stderr: $(cat "$tmp/err")" || return 1
	[ "$(wc -l <"$tmp/err")" -eq 2 ] || fail "stderr: $(cat "$tmp/err")" ||
		return 1
	[ "$(stat_of objects)" -eq 3 ] || fail "objects $(stat_of objects)"
}

# A value over max_value_len (lowered through sysfs): EMSGSIZE, exit 7.
t_load_emsgsize() {
	param=/sys/module/objhash/parameters/max_value_len
	head -c 200 /dev/zero >"$tmp/v200"
	version_of insert long "@$tmp/v200" >/dev/null || return 1
	version_of insert short s >/dev/null || return 1
	run_ctl 0 dump "$tmp/d.ohd" || return 1
	run_ctl 0 purge --wait || return 1
	saved_max_value_len=$(cat $param) || return 1
	echo 100 >$param || return 1
	run_ctl 7 load "$tmp/d.ohd"
	rc=$?
	echo "$saved_max_value_len" >$param
	saved_max_value_len=
	[ $rc -eq 0 ] || return 1
	grep -qx 'loaded 1 failed 1' "$tmp/out" ||
		fail "load printed $(cat "$tmp/out")" || return 1
	expect_lines "$tmp/err" 'objhashctl: load "long": Message too long' ||
		return 1
	run_ctl 3 get long || return 1
	run_ctl 0 get short
}

# A file load refuses loads nothing, even its good records.
t_load_bad_file() {
	printf 'not a dump at all' >"$tmp/bad"
	run_ctl 1 load "$tmp/bad" || return 1
	grep -q 'not an objhash dump' "$tmp/err" ||
		fail "stderr: $(cat "$tmp/err")" || return 1
	for k in x y z; do
		version_of insert $k v >/dev/null || return 1
	done
	run_ctl 0 dump "$tmp/d.ohd" || return 1
	run_ctl 0 purge --wait || return 1
	size=$(wc -c <"$tmp/d.ohd")
	head -c $((size - 1)) "$tmp/d.ohd" >"$tmp/cut"
	run_ctl 1 load "$tmp/cut" || return 1
	grep -q 'nothing loaded' "$tmp/err" ||
		fail "stderr: $(cat "$tmp/err")" || return 1
	cat "$tmp/d.ohd" "$tmp/d.ohd" >"$tmp/twice"
	run_ctl 1 load "$tmp/twice" || return 1
	[ "$(stat_of objects)" -eq 0 ] || fail "objects $(stat_of objects)" ||
		return 1
	run_ctl 1 load "$tmp/no-such-file" || return 1
	run_ctl 2 load || return 1
	run_ctl 2 load --batch 0 "$tmp/d.ohd"
}

t_purge_prefix() {
	for k in a/1 a/2 a/3 ab b/1; do
		version_of insert $k v >/dev/null || return 1
	done
	v=$(version_of insert --hex 00ff01 v) || return 1
	version_of insert --hex 00fe v >/dev/null || return 1
	run_ctl 0 purge --prefix a/ || return 1
	grep -qx 'purged 3' "$tmp/out" ||
		fail "purge --prefix printed $(cat "$tmp/out")" || return 1
	run_ctl 3 get a/1 || return 1
	run_ctl 0 get ab || return 1
	run_ctl 0 get b/1 || return 1
	# hex, binary, with --max-version below the key's: nothing
	run_ctl 0 --hex purge --prefix 00ff --max-version $((v - 1)) --json ||
		return 1
	grep -qx '{"purged":0}' "$tmp/out" ||
		fail "printed $(cat "$tmp/out")" || return 1
	run_ctl 0 --hex purge --prefix 00ff --max-version "$v" --wait || return 1
	grep -qx 'purged 1' "$tmp/out" || fail "printed $(cat "$tmp/out")" ||
		return 1
	run_ctl 0 get --hex 00fe || return 1
	run_ctl 2 purge --prefix '' || return 1
	[ "$(stat_of objects)" -eq 3 ] || fail "objects $(stat_of objects)"
}

TESTS="t_insert_prints_version t_get_raw_value t_insert_exists t_replace
t_replace_only_absent t_expect_version t_get_take t_delete t_value_from_stdin
t_value_from_file_binary t_hex_key t_empty_value t_purge_count
t_purge_max_version t_stats_lines t_stats_json t_value_too_large
t_usage_errors t_missing_device t_list_plain t_list_keys_only t_list_hex
t_list_json t_list_empty_table t_list_big_value t_dump_load_round_trip
t_dump_load_stdio t_dump_load_empty_table t_load_eexist t_load_enospc
t_load_emsgsize t_load_bad_file t_purge_prefix"

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
