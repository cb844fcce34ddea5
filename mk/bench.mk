# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks of issue 5 (included by the top Makefile, whose KVER/KDIR/BUILD
# it expects; before that include exists:
# make -f Makefile -f mk/bench.mk bench).
#
#   make bench        build objhash.ko, objhash_bench.ko and tools/bench,
#                     boot the stock kernel under qemu (vm-run --smp $(SMP)),
#                     run every benchmark, write build/bench-results.json
#                     and build/bench-results.txt, print the table
#   make bench-plot   PNG charts of build/bench-results.json under build/
#                     (gnuplot; apt-get install gnuplot-nox)
#
# Variables (defaults in brackets):
#   SMP           guest vCPUs, also the most benchmark threads [2]
#   BENCH_NR      objects per table [16384]; up to 1048576 (give the guest
#                 BENCH_MEM to match, ~1 KB per object)
#   BENCH_ROUNDS  repetitions; the results are medians [3]
#   BENCH_MEM     guest memory in MB [1024]
#   BENCH_TIMEOUT guest timeout in seconds [1800]
#   BENCH_SUITES  what to run, comma-separated: kernel (objhash_bench.ko),
#                 mem, ioctl (objhash_ubench), batch (objhash_batchbench:
#                 BATCH and DUMP vs single ioctls and BPF's batch commands)
#                 [kernel,mem,ioctl,batch]
#   BENCH_BATCH_ROUNDS  paired rounds of the batch suite [9]

SMP ?= 2
BENCH_NR ?= 16384
BENCH_ROUNDS ?= 3
BENCH_MEM ?= 1024
BENCH_TIMEOUT ?= 1800
BENCH_SUITES ?= kernel,mem,ioctl,batch
BENCH_BATCH_ROUNDS ?= 9

.PHONY: bench bench-plot

bench:
	scripts/bench --smp $(SMP) --nr $(BENCH_NR) --rounds $(BENCH_ROUNDS) \
		--mem $(BENCH_MEM) --timeout $(BENCH_TIMEOUT) \
		--suites $(BENCH_SUITES) --batch-rounds $(BENCH_BATCH_ROUNDS) \
		--json $(BUILD)/bench-results.json

bench-plot:
	scripts/bench-plot $(BUILD)/bench-results.json $(BUILD)
