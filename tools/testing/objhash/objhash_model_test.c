// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_model_test: long random sequences of every operation of the
 * in-kernel API (module/table.h) against the reference model of model.c,
 * on tables of 2 and 64 buckets and on tables that resize themselves (and
 * are resized by the sequence), so chains are long and shared; and the
 * allocation failure paths of table and cache creation.
 *
 * OBJHASH_SEED picks the sequences (default: fixed, so a failure
 * reproduces); OBJHASH_MODEL_OPS the operations per sequence.
 */

#include <errno.h>
#include <stdio.h>

#include <linux/types.h>
#include <linux/kernel.h>

#include "objhash_shim.h"
#include "table.h"
#include "model.h"
#include "test.h"

static int oh_model_run(unsigned int min_bits, unsigned int max_bits, u64 seed,
			unsigned long ops)
{
	struct oh_model *m = calloc(1, sizeof(*m));
	unsigned long i;
	int err;

	if (!m || oh_model_init(m, min_bits, max_bits, seed, NULL, 0)) {
		printf("# bits %u-%u: %s\n", min_bits, max_bits,
		       m ? m->fail : "no memory");
		free(m);
		return -1;
	}
	for (i = 0; i < ops; i++)
		if (!oh_model_step(m))
			break;
	err = oh_model_finish(m);
	if (err)
		printf("# bits %u-%u seed %#llx: %s\n", min_bits, max_bits,
		       (unsigned long long)seed, m->fail);
	free(m);
	return err;
}

/* Sequences of every operation, checked step by step against the model. */
static int test_model_sequences(void)
{
	u64 seed = oh_env("OBJHASH_SEED", 0x0b1ec7);
	unsigned long ops = oh_env("OBJHASH_MODEL_OPS", 40000);
	/* fixed sizes (1 and 64 buckets) and self-sizing tables */
	static const unsigned int bits[][2] = { { 1, 1 }, { 6, 6 },
						{ 1, 4 }, { 1, 10 } };
	unsigned int i, s;

	for (s = 0; s < 4; s++) {
		for (i = 0; i < ARRAY_SIZE(bits); i++) {
			if (oh_model_run(bits[i][0], bits[i][1],
					 seed + s * 7919 + i, ops))
				return -1;
		}
	}
	printf("# %u sequences of %lu operations\n",
	       4 * (unsigned int)ARRAY_SIZE(bits), ops);
	return 0;
}

/* Each allocation of objhash_table_create() failing leaks nothing. */
static int test_table_create_enomem(void)
{
	struct objhash_limits l = { 10, 1000, 100 };
	struct objhash_table *t;
	long step;

	for (step = 0; step < 16; step++) {
		long live = objhash_shim_live_allocs();

		objhash_shim_fail_alloc_after(step);
		t = objhash_table_create(4, 8, &l);
		objhash_shim_fail_alloc_off();
		if (t) {
			objhash_table_destroy(t);
			printf("# create survives failing allocation %ld\n", step);
			return step >= 3 ? 0 : -1;
		}
		if (objhash_shim_live_allocs() != live) {
			printf("# step %ld: leaked %ld\n", step,
			       objhash_shim_live_allocs() - live);
			return -1;
		}
	}
	printf("# table_create never succeeded\n");
	return -1;
}

/* objhash_caches_create() unwinds whatever allocation fails. */
static int test_caches_create_enomem(void)
{
	long step, live;
	int err;

	objhash_caches_destroy();
	live = objhash_shim_live_allocs();
	for (step = 0; ; step++) {
		objhash_shim_fail_alloc_after(step);
		err = objhash_caches_create();
		objhash_shim_fail_alloc_off();
		if (!err)
			break;
		if (err != -ENOMEM || objhash_shim_live_allocs() != live) {
			printf("# step %ld: err %d, leaked %ld\n", step, err,
			       objhash_shim_live_allocs() - live);
			return -1;
		}
	}
	printf("# survived from allocation %ld on\n", step);
	return step > 1 ? 0 : -1;
}

static const struct oh_case oh_cases[] = {
	{ "model_sequences", test_model_sequences },
	{ "table_create_enomem", test_table_create_enomem },
	{ "caches_create_enomem", test_caches_create_enomem },
};

int main(int argc, char **argv)
{
	return oh_test_main(argc, argv, oh_cases, ARRAY_SIZE(oh_cases));
}
