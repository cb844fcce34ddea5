#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# objhash_kapi_test.sh: the exported in-kernel API, from another module.
# Loads objhash_kapi_test.ko (module/kapi_test.c, built with objhash.ko and
# installed next to it) once per case; a case passes when the load
# succeeds, and its log lines are shown.  Prints KTAP; exits 0 if every
# case passed, 1 if one failed, 4 (kselftest skip) when the module or
# objhash is missing.  POSIX sh: runs under busybox in the test guest.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4
KO=${OBJHASH_KAPI_KO:-$(dirname "${OBJHASH_KO:-/opt/objhash/objhash.ko}")/objhash_kapi_test.ko}
CASES="create alloc ops lookup_rcu walk misuse destroy_held paged"

skip_all() {
	echo "TAP version 13"
	echo "1..0 # SKIP $1"
	exit $KSFT_SKIP
}

[ -e "$KO" ] || skip_all "$KO not found"
[ -d /sys/module/objhash ] || skip_all "objhash is not loaded"

n=0
failed=0
echo "TAP version 13"
echo "1..$(echo $CASES | wc -w)"
for c in $CASES; do
	n=$((n + 1))
	if insmod "$KO" run="$c" 2>/tmp/kapi.err; then
		rmmod objhash_kapi_test
		echo "ok $n $c"
	else
		sed 's/^/# /' /tmp/kapi.err
		# without their [ seconds] stamps, which would make
		# scripts/console-clean take them for spliced kernel messages
		dmesg | grep 'objhash_kapi_test:' | tail -5 |
			sed 's/^\[ *[0-9.]*\] *//; s/^/# /'
		echo "not ok $n $c"
		failed=$((failed + 1))
	fi
done
echo "# $((n - failed)) of $n passed"
[ "$failed" -eq 0 ] && exit $KSFT_PASS
exit $KSFT_FAIL
