/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A reference model of the table core and an executor that runs one
 * operation at a time on both, checking every result, errno, version,
 * value byte and counter.  The operations come from a byte source: a
 * seeded PRNG (objhash_model_test) or the fuzzer's input (objhash_fuzz).
 */
#ifndef _OBJHASH_NATIVE_MODEL_H
#define _OBJHASH_NATIVE_MODEL_H

#include <linux/types.h>
#include "table.h"

#define OH_NKEYS	24	/* key space: small, so operations collide */
#define OH_NHELD	8	/* references a sequence may hold at once */

/* What the model knows about one key. */
struct oh_mkey {
	bool present;
	u64 version;
	u32 len;
	u32 seed;	/* value bytes are oh_value_byte(seed, i) */
};

/* A reference the sequence holds, from a lookup of a large value. */
struct oh_held {
	struct objhash_obj *obj;
	unsigned int key;
	u64 version;
	u32 len;
	u32 seed;
	bool unlinked;
};

struct oh_model {
	/* the table under test */
	struct objhash_table *t;
	struct objhash_limits limits;
	unsigned int min_bits, max_bits;
	bool resize_fail_armed;		/* objhash_table_fail_resizes() set */
	struct objhash_stats last;	/* the last stats, for monotonicity */
	/* the model */
	struct oh_mkey keys[OH_NKEYS];
	u64 version;
	unsigned long nr_objects, nr_bytes, nr_memory;
	struct objhash_stats st;	/* expected event counters */
	struct oh_held held[OH_NHELD];
	unsigned int nr_held;
	u32 next_seed;
	/* the byte source */
	const u8 *data;
	size_t size, pos;
	u64 rng;
	/* the first failure, with the operation that saw it */
	unsigned long nr_ops;
	char fail[512];
};

int oh_model_init(struct oh_model *m, unsigned int min_bits,
		  unsigned int max_bits, u64 seed, const u8 *data, size_t size);
/* Run one operation; false once the source is exhausted or a check failed. */
bool oh_model_step(struct oh_model *m);
/* Verify every key and counter, release everything, destroy the table. */
int oh_model_finish(struct oh_model *m);

/* Shared with the stress test. */
void oh_key_bytes(unsigned int i, u8 *buf, u32 *len);

#endif
