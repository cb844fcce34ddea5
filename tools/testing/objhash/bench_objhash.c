// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench (native): the objhash table core, module/table.c as the
 * tests build it, driven through its in-kernel API exactly as
 * module/bench/var_objhash.c drives it in the guest.  Also the hash every
 * other variant uses, so that all of them pay hsiphash as objhash must.
 */

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "table.h"
#include "bench.h"

/* The limits must outlive the table, so they live next to it. */
struct bench_oh {
	struct objhash_table *t;
	struct objhash_limits limits;
};

int bench_objhash_init(void)
{
	return objhash_caches_create();
}

void bench_objhash_exit(void)
{
	objhash_caches_destroy();
}

static struct work_struct bench_wq_probe;
static int bench_wq_ran;

static void bench_wq_probe_fn(struct work_struct *work)
{
	__atomic_store_n(&bench_wq_ran, 1, __ATOMIC_RELEASE);
}

void bench_start_workqueue(void)
{
	INIT_WORK(&bench_wq_probe, bench_wq_probe_fn);
	queue_work(system_unbound_wq, &bench_wq_probe);
	while (!__atomic_load_n(&bench_wq_ran, __ATOMIC_ACQUIRE))
		objhash_shim_usleep(100);
}

uint32_t bench_hash(const struct bench_key *key, const uint64_t secret[2])
{
	return hsiphash(key->b, BENCH_KEY_LEN, (const hsiphash_key_t *)secret);
}

void bench_value_fill(uint8_t *value, uint64_t version)
{
	unsigned int i;

	for (i = 0; i < BENCH_VALUE_LEN; i += sizeof(version))
		memcpy(value + i, &version, sizeof(version));
}

/* One fixed size, like every variant: the bench compares chains. */
static void *bench_oh_create(unsigned int bits)
{
	struct bench_oh *oh = kzalloc(sizeof(*oh), GFP_KERNEL);

	if (!oh)
		return NULL;
	/* No limit gets in the way: the bench measures the table alone. */
	oh->limits.max_objects = ~0UL;
	oh->limits.max_bytes = ~0UL;
	oh->limits.max_value_len = BENCH_VALUE_LEN;
	oh->limits.max_memory = ~0UL;
	oh->t = objhash_table_create(bits, bits, &oh->limits);
	if (!oh->t) {
		kfree(oh);
		return NULL;
	}
	return oh;
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

static int bench_oh_insert(void *tbl, const struct bench_key *key,
			   uint64_t version)
{
	return bench_oh_write(tbl, key, version, 0);
}

static int bench_oh_replace(void *tbl, const struct bench_key *key,
			    uint64_t version)
{
	return bench_oh_write(tbl, key, version,
			      OBJHASH_INSERT_REPLACE | OBJHASH_INSERT_NOCREATE);
}

static int bench_oh_remove(void *tbl, const struct bench_key *key)
{
	struct bench_oh *oh = tbl;

	return objhash_remove(oh->t, key, BENCH_KEY_LEN, 0);
}

static int bench_oh_lookup(void *tbl, const struct bench_key *key,
			   uint8_t *buf)
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

static int bench_oh_purge(void *tbl, uint64_t cut, uint64_t *purged)
{
	struct bench_oh *oh = tbl;
	u64 n = 0;
	int err;

	/* Without waiting: the others' purge ends when the unlinking does. */
	err = objhash_purge(oh->t, cut, NULL, 0, false, &n);
	*purged = n;
	return err;
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
