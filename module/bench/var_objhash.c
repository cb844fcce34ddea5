// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench: the objhash table core, driven through its exported API
 * exactly as dev.c drives it, minus the user copies.
 */

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../table.h"
#include "bench.h"

/* The limits must outlive the table, so they live next to it. */
struct bench_oh {
	struct objhash_table *t;
	struct objhash_limits limits;
};

/* A table of 2^@min_bits..2^@max_bits buckets with no limit in the way. */
static struct bench_oh *bench_oh_new(unsigned int min_bits,
				     unsigned int max_bits)
{
	struct bench_oh *oh = kzalloc(sizeof(*oh), GFP_KERNEL);

	if (!oh)
		return NULL;
	/* No limit gets in the way: the bench measures the table alone. */
	oh->limits.max_objects = ULONG_MAX;
	oh->limits.max_bytes = ULONG_MAX;
	oh->limits.max_value_len = BENCH_VALUE_LEN;
	oh->limits.max_memory = ULONG_MAX;
	oh->t = objhash_table_create(min_bits, max_bits, &oh->limits);
	if (!oh->t) {
		kfree(oh);
		return NULL;
	}
	return oh;
}

static void *bench_oh_create(unsigned int nr)
{
	/* one fixed size, like every variant: the bench compares chains */
	return bench_oh_new(bench_hash_bits(nr), bench_hash_bits(nr));
}

/* A table of 2^@bits buckets, fixed: for load.c's sweep of the load. */
void *bench_oh_create_bits(unsigned int bits)
{
	return bench_oh_new(bits, bits);
}

/*
 * objhash as a user gets it: the module's defaults (2^16 buckets, growing
 * up to 2^24 and never shrinking below 2^16), whatever @nr.
 */
static void *bench_oh_auto_create(unsigned int nr)
{
	return bench_oh_new(16, 24);
}

/*
 * Wait for the resizer of a self-sizing table to reach the size its load
 * wants (load at most 1, or the floor): objhash_table_resize() to the size
 * it has does nothing but take the resize mutex, so it returns once a
 * resize under way has ended and freed the array it left.
 */
static int bench_oh_settle(void *tbl)
{
	struct objhash_table *t = bench_oh_table(tbl);
	struct objhash_stats st;
	unsigned int ms;
	int err;

	for (ms = 0; ms < 60 * MSEC_PER_SEC; ms += 20) {
		objhash_table_stats(t, &st);
		err = objhash_table_resize(t, ilog2(st.buckets));
		if (err)
			return err;
		objhash_table_stats(t, &st);
		if (st.objects <= st.buckets &&
		    (st.objects >= st.buckets / 4 ||
		     st.buckets == st.min_buckets))
			return 0;
		usleep_range(10000, 20000);
	}
	return -ETIMEDOUT;
}

/* objhash as it was before purges freed in batches: for reclaim.c. */
static void *bench_oh_singly_create(unsigned int nr)
{
	struct bench_oh *oh = bench_oh_create(nr);

	if (oh)
		objhash_table_reclaim_singly(oh->t, true);
	return oh;
}

/* The table behind a variant's @tbl, for measurements of objhash alone. */
struct objhash_table *bench_oh_table(void *tbl)
{
	return ((struct bench_oh *)tbl)->t;
}

static void bench_oh_destroy(void *tbl)
{
	struct bench_oh *oh = tbl;

	objhash_table_destroy(oh->t);
	kfree(oh);
}

static int bench_oh_write(void *tbl, const struct bench_key *key,
			  u64 version, u32 flags)
{
	struct bench_oh *oh = tbl;
	u8 value[BENCH_VALUE_LEN];
	struct objhash_obj *obj;
	u64 ver;
	int err;

	obj = objhash_obj_alloc(oh->t, BENCH_KEY_LEN, BENCH_VALUE_LEN,
				GFP_KERNEL);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	memcpy(objhash_obj_key(obj), key, BENCH_KEY_LEN);
	bench_value_fill(value, version);
	objhash_obj_value_write(obj, 0, value, sizeof(value));
	err = objhash_insert(oh->t, obj, flags, 0, &ver);
	/* On success the table owns obj; on failure it is still ours. */
	if (err)
		objhash_obj_free(obj);
	return err;
}

static int bench_oh_insert(void *tbl, const struct bench_key *key, u64 version)
{
	return bench_oh_write(tbl, key, version, 0);
}

static int bench_oh_replace(void *tbl, const struct bench_key *key,
			    u64 version)
{
	return bench_oh_write(tbl, key, version,
			      OBJHASH_INSERT_REPLACE | OBJHASH_INSERT_NOCREATE);
}

static int bench_oh_remove(void *tbl, const struct bench_key *key)
{
	struct bench_oh *oh = tbl;

	return objhash_remove(oh->t, key, BENCH_KEY_LEN, 0);
}

static int bench_oh_lookup(void *tbl, const struct bench_key *key, u8 *buf)
{
	struct bench_oh *oh = tbl;
	struct objhash_value v = {
		.buf = buf,
		.buf_size = BENCH_VALUE_LEN,
		.max_len = BENCH_VALUE_LEN,
	};

	/* 64 bytes always fit the buffer, so v.obj stays NULL: no put. */
	return objhash_lookup(oh->t, key, BENCH_KEY_LEN, &v);
}

static int bench_oh_purge(void *tbl, u64 cut)
{
	struct bench_oh *oh = tbl;
	u64 purged;

	/* Without waiting: the others' purge ends when the unlinking does. */
	return objhash_purge(oh->t, cut, NULL, 0, false, &purged);
}

const struct bench_variant bench_objhash = {
	.name = "objhash",
	.create = bench_oh_create,
	.destroy = bench_oh_destroy,
	.insert = bench_oh_insert,
	.replace = bench_oh_replace,
	.remove = bench_oh_remove,
	.lookup = bench_oh_lookup,
	.purge = bench_oh_purge,
};

const struct bench_variant bench_objhash_singly = {
	.name = "objhash_call_rcu",
	.create = bench_oh_singly_create,
	.destroy = bench_oh_destroy,
	.insert = bench_oh_insert,
	.replace = bench_oh_replace,
	.remove = bench_oh_remove,
	.lookup = bench_oh_lookup,
	.purge = bench_oh_purge,
};

const struct bench_variant bench_objhash_auto = {
	.name = "objhash_auto",
	.create = bench_oh_auto_create,
	.settle = bench_oh_settle,
	.destroy = bench_oh_destroy,
	.insert = bench_oh_insert,
	.replace = bench_oh_replace,
	.remove = bench_oh_remove,
	.lookup = bench_oh_lookup,
	.purge = bench_oh_purge,
};
