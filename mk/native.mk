# SPDX-License-Identifier: GPL-2.0
#
# The table core built and tested natively (tools/testing/objhash; included
# by the top Makefile).  No guest, no kernel build: module/table.c,
# unchanged, against the kernel's tools/include, liburcu and pthreads.
#
#   make check-native   model test, TSan and ASan/UBSan stress, a short
#                       libFuzzer run; last line "N passed, N failed"
#   make fuzz-native    the libFuzzer target for FUZZ_SECONDS
#   make bench-native   objhash against cds_lfht and two locked tables,
#                       natively (tools/testing/objhash/bench_*.c); about
#                       5 minutes; writes build/native/bench-results.json
#                       and .txt (docs/performance.md, "Native benchmarks")
#   make icount-native  instructions per lookup hit and miss, objhash and
#                       cds_lfht, counted by callgrind (load cannot skew
#                       them); ICOUNT_NR objects [16384]
#
# Variables (defaults in brackets):
#   CHECK_FUZZ_SECONDS  fuzzing in check-native [10]
#   FUZZ_SECONDS        fuzzing in fuzz-native [600]; the corpus stays in
#                       build/native/fuzz/corpus
#   TABLE_C             table core to build [module/table.c]; a scratch
#                       copy for mutation checks
#   OBJHASH_STRESS_OPS  scale of the stress tests' operation floors [1.0]
#   NATIVE_BENCH_ROUNDS, NATIVE_BENCH_PHASE_MS, NATIVE_BENCH_NR,
#   NATIVE_BENCH_PURGE_NR   bench-native's rounds [5], phase length [500],
#                       table sizes [16384,1048576], purged table [1048576]

.PHONY: check-native fuzz-native bench-native icount-native

check-native:
	@scripts/deps >/dev/null
	@$(MAKE) -C tools/testing/objhash -j2 all
	@$(MAKE) -C tools/testing/objhash check

fuzz-native:
	@scripts/deps >/dev/null
	@$(MAKE) -C tools/testing/objhash fuzz

bench-native:
	@scripts/deps >/dev/null
	@$(MAKE) -C tools/testing/objhash -j2 bench-build
	@$(MAKE) -C tools/testing/objhash bench

icount-native:
	@scripts/deps >/dev/null
	@$(MAKE) -C tools/testing/objhash icount
