#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The `make run` demo: runs in the guest (busybox sh) after vm-run has
# loaded objhash.ko; every command is echoed before it runs.
set -e

run() {
	echo "+ $*"
	"$@"
}

if ! command -v objhashctl >/dev/null 2>&1; then
	echo "objhashctl is not built yet; here is what the module offers:"
	run ls -l /dev/objhash
	run cat /proc/modules
	run ls /sys/module/objhash/parameters
	exit 0
fi

echo "== objhash demo on $(uname -r), $(nproc) CPUs"
run lsmod
run ls -l /dev/objhash
run objhashctl insert greeting hello
run objhashctl -v get greeting; echo
echo "+ objhashctl insert greeting again  (fails: the key exists)"
objhashctl insert greeting again || echo "  -> exit $?, as expected"
run objhashctl insert --replace greeting 'hello, world'
run objhashctl -v get greeting; echo
run objhashctl insert --replace-only --expect-version 2 greeting 'third value'
run objhashctl get greeting; echo
run objhashctl insert colour blue
run objhashctl insert shape circle
run objhashctl stats
run objhashctl delete colour
echo "+ objhashctl get colour  (fails: deleted)"
objhashctl get colour || echo "  -> exit $?, as expected"
run objhashctl get --take shape; echo
run objhashctl insert a 1
run objhashctl insert b 2
run objhashctl purge --wait
run objhashctl stats --json
run rmmod objhash
echo "== module unloaded; demo done"
