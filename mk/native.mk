# SPDX-License-Identifier: GPL-2.0
#
# The table core built and tested natively (tools/testing/objhash; included
# by the top Makefile).  No guest, no kernel build: module/table.c,
# unchanged, against the kernel's tools/include, liburcu and pthreads.
#
#   make check-native   model test, TSan and ASan/UBSan stress, a short
#                       libFuzzer run; last line "N passed, N failed"
#   make fuzz-native    the libFuzzer target for FUZZ_SECONDS
#
# Variables (defaults in brackets):
#   CHECK_FUZZ_SECONDS  fuzzing in check-native [10]
#   FUZZ_SECONDS        fuzzing in fuzz-native [600]; the corpus stays in
#                       build/native/fuzz/corpus
#   TABLE_C             table core to build [module/table.c]; a scratch
#                       copy for mutation checks
#   OBJHASH_STRESS_OPS  scale of the stress tests' operation floors [1.0]

.PHONY: check-native fuzz-native

check-native:
	@scripts/deps >/dev/null
	@$(MAKE) -C tools/testing/objhash -j2 all
	@$(MAKE) -C tools/testing/objhash check

fuzz-native:
	@scripts/deps >/dev/null
	@$(MAKE) -C tools/testing/objhash fuzz
