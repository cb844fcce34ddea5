#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench-guest.sh: the guest half of scripts/bench.  Runs inside the
# scripts/vm-run guest (objhash.ko already loaded) and prints every result
# as an OBJHASH-BENCH line on stdout, the console the host parses.
#
#   bench-guest.sh KO NR ROUNDS THREADS [SUITES [BATCH_ROUNDS]]
#
# KO is objhash_bench.ko; objhash_ubench and objhash_batchbench are next to
# this script.  SUITES is a comma-separated list of kernel, mem, ioctl and
# batch (default: all four); BATCH_ROUNDS the paired rounds of the batch
# suite (default 9).
set -u
ko=$1 nr=$2 rounds=$3 threads=$4 suites=${5:-kernel,mem,ioctl,batch}
batch_rounds=${6:-9}
ubench=$(dirname "$0")/objhash_ubench
batchbench=$(dirname "$0")/objhash_batchbench
rc=0

# The in-kernel benchmark prints with printk; echo its lines to stdout.
kernel_bench() {
	dmesg -c >/dev/null
	insmod "$ko" nr="$nr" rounds="$rounds" threads="$threads" || rc=1
	dmesg | grep -o 'OBJHASH-BENCH .*'
	grep -q '^objhash_bench ' /proc/modules && rmmod objhash_bench
}

# SUnreclaim in kB, after folding the per-CPU vmstat deltas into it.
sunreclaim_kb() {
	echo 1 > /proc/sys/vm/stat_refresh
	awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}

# Slab growth from loading objhash_bench.ko holding one table (or none).
mem_one() {
	before=$(sunreclaim_kb)
	if ! insmod "$ko" nr="$nr" mem="$1"; then
		rc=1
		return
	fi
	after=$(sunreclaim_kb)
	rmmod objhash_bench
	echo "OBJHASH-BENCH mem variant=$1 round=$2 nr=$nr sunreclaim_before_kb=$before sunreclaim_after_kb=$after"
}

mem_bench() {
	r=0
	while [ $r -lt "$rounds" ]; do
		for v in none objhash-empty objhash rhashtable-empty rhashtable \
		    objhash_auto rhashtable_auto; do
			mem_one $v $r
		done
		r=$((r + 1))
	done
}

want() {
	case ",$suites," in *",$1,"*) return 0 ;; esac
	return 1
}

echo "OBJHASH-BENCH guest kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo) suites=$suites"
want kernel && kernel_bench
want mem && mem_bench
if want ioctl; then
	"$ubench" -n "$nr" -r "$rounds" -t "$threads" || rc=1
fi
# BATCH and DUMP against single ioctls and the BPF map's batch commands:
# one thread, paired rounds.
if want batch; then
	"$batchbench" -n "$nr" -r "$batch_rounds" || rc=1
fi
echo "OBJHASH-BENCH end rc=$rc"
exit $rc
