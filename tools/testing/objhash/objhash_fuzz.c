// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_fuzz: libFuzzer target.  The input is decoded, byte by byte,
 * into a sequence of table.h operations (model.c's oh_model_step(): the
 * operation, then its key, lengths, flags, versions and limits), run on a
 * fresh table of 2 or 4 buckets or a self-sizing one (the first byte) and
 * checked
 * against the reference model.  A mismatch, a sanitizer report, a shim
 * splat, a WARN_ON or a leaked allocation aborts the run.
 */

#include <stdio.h>
#include <stdlib.h>

#include <linux/types.h>

#include "objhash_shim.h"
#include "table.h"
#include "model.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	objhash_shim_thread_start();
	if (objhash_caches_create())
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct oh_model m;
	unsigned long warns = objhash_shim_warnings();
	long live = objhash_shim_live_allocs();

	if (!size)
		return 0;
	static const unsigned int bits[][2] = { { 1, 1 }, { 2, 2 },
						{ 1, 3 }, { 1, 6 } };
	const unsigned int *b = bits[data[0] % 4];

	if (oh_model_init(&m, b[0], b[1], 0, data + 1, size - 1))
		abort();
	while (oh_model_step(&m))
		;
	if (oh_model_finish(&m)) {
		fprintf(stderr, "objhash_fuzz: %s\n", m.fail);
		abort();
	}
	if (objhash_shim_warnings() != warns ||
	    objhash_shim_live_allocs() != live) {
		fprintf(stderr, "objhash_fuzz: WARN_ON fired or %ld allocations leaked\n",
			objhash_shim_live_allocs() - live);
		abort();
	}
	return 0;
}
