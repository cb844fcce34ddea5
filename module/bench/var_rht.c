// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench: an rhashtable holding the same objects under the same
 * lifetime rules as objhash: the table owns one kref, the last put frees
 * the object after a grace period through call_rcu(), and a lookup copies
 * the value under rcu_read_lock().  The "rhashtable_kref" flavour instead
 * pins the object with a reference for the copy, to show what a per-lookup
 * refcount costs on a hot key.
 */

#include <linux/delay.h>
#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bench.h"

/**
 * struct bench_rht_obj - one object in the rhashtable
 * @node: link in the table; rhashtable's bucket locks protect it
 * @ref: the table's reference while linked, plus one per pinning lookup
 * @key: the key rhashtable hashes (jhash2, its default for this size)
 * @version: never read back; kept so the object holds what objhash's does
 * @value: written before the object is linked and never again
 * @rcu: queues the free after the last put
 */
struct bench_rht_obj {
	struct rhash_head node;
	struct kref ref;
	struct bench_key key;
	u64 version;
	u8 value[BENCH_VALUE_LEN];
	struct rcu_head rcu;
};

/* A compile-time constant, so the _fast helpers inline the key compare. */
static const struct rhashtable_params bench_rht_params = {
	.key_len = BENCH_KEY_LEN,
	.key_offset = offsetof(struct bench_rht_obj, key),
	.head_offset = offsetof(struct bench_rht_obj, node),
};

static void *bench_rht_create(unsigned int nr)
{
	struct rhashtable_params params = bench_rht_params;
	struct rhashtable *ht = kzalloc(sizeof(*ht), GFP_KERNEL);

	if (!ht)
		return NULL;
	params.nelem_hint = nr;
	if (rhashtable_init(ht, &params)) {
		kfree(ht);
		return NULL;
	}
	return ht;
}

/* rhashtable as a user gets it without a size hint: it grows by itself. */
static void *bench_rht_auto_create(unsigned int nr)
{
	struct rhashtable_params params = bench_rht_params;
	struct rhashtable *ht = kzalloc(sizeof(*ht), GFP_KERNEL);

	if (!ht)
		return NULL;
	params.automatic_shrinking = true;
	if (rhashtable_init(ht, &params)) {
		kfree(ht);
		return NULL;
	}
	return ht;
}

/*
 * Wait for rhashtable's deferred worker to finish the resizes its load asks
 * for (no grow above 75%, no rehash under way), then for the RCU callbacks
 * that free the bucket tables it left.
 */
static int bench_rht_settle(void *tbl)
{
	struct rhashtable *ht = tbl;
	unsigned int ms;

	for (ms = 0; ms < 60 * MSEC_PER_SEC; ms += 20) {
		struct bucket_table *bt;
		bool busy;

		flush_work(&ht->run_work);
		rcu_read_lock();
		bt = rht_dereference_rcu(ht->tbl, ht);
		busy = rht_grow_above_75(ht, bt) ||
		       rcu_access_pointer(bt->future_tbl);
		rcu_read_unlock();
		if (!busy) {
			rcu_barrier();
			return 0;
		}
		usleep_range(10000, 20000);
	}
	return -ETIMEDOUT;
}

static void bench_rht_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct bench_rht_obj, rcu));
}

static void bench_rht_release(struct kref *ref)
{
	struct bench_rht_obj *obj = container_of(ref, struct bench_rht_obj, ref);

	/* Readers that found it before the unlink may still be reading it. */
	call_rcu(&obj->rcu, bench_rht_free_rcu);
}

static void bench_rht_put(struct bench_rht_obj *obj)
{
	kref_put(&obj->ref, bench_rht_release);
}

static void bench_rht_free_one(void *ptr, void *arg)
{
	bench_rht_put(ptr);
}

static void bench_rht_destroy(void *tbl)
{
	rhashtable_free_and_destroy(tbl, bench_rht_free_one, NULL);
	/* The frees are call_rcu() callbacks in this module. */
	rcu_barrier();
	kfree(tbl);
}

static struct bench_rht_obj *bench_rht_obj_new(const struct bench_key *key,
					       u64 version)
{
	struct bench_rht_obj *obj = kmalloc(sizeof(*obj), GFP_KERNEL);

	if (!obj)
		return NULL;
	kref_init(&obj->ref);
	obj->key = *key;
	obj->version = version;
	bench_value_fill(obj->value, version);
	return obj;
}

static int bench_rht_insert(void *tbl, const struct bench_key *key,
			    u64 version)
{
	struct bench_rht_obj *obj = bench_rht_obj_new(key, version);
	int err;

	if (!obj)
		return -ENOMEM;
	err = rhashtable_lookup_insert_fast(tbl, &obj->node, bench_rht_params);
	if (err)
		kfree(obj);
	return err;
}

static int bench_rht_replace(void *tbl, const struct bench_key *key,
			     u64 version)
{
	struct bench_rht_obj *obj = bench_rht_obj_new(key, version);
	struct bench_rht_obj *old;
	int err = -ENOENT;

	if (!obj)
		return -ENOMEM;
	/* The lookup and the swap: rhashtable has no one-step replace by key. */
	rcu_read_lock();
	old = rhashtable_lookup(tbl, key, bench_rht_params);
	if (old)
		err = rhashtable_replace_fast(tbl, &old->node, &obj->node,
					      bench_rht_params);
	rcu_read_unlock();
	if (err) {
		kfree(obj);
		return err;
	}
	bench_rht_put(old);
	return 0;
}

static int bench_rht_remove(void *tbl, const struct bench_key *key)
{
	struct bench_rht_obj *obj;
	int err = -ENOENT;

	rcu_read_lock();
	obj = rhashtable_lookup(tbl, key, bench_rht_params);
	if (obj)
		err = rhashtable_remove_fast(tbl, &obj->node, bench_rht_params);
	rcu_read_unlock();
	/* Unlinked: drop the table's reference, the free waits for RCU. */
	if (!err)
		bench_rht_put(obj);
	return err;
}

static int bench_rht_lookup(void *tbl, const struct bench_key *key, u8 *buf)
{
	struct bench_rht_obj *obj;

	rcu_read_lock();
	obj = rhashtable_lookup(tbl, key, bench_rht_params);
	if (obj)
		memcpy(buf, obj->value, BENCH_VALUE_LEN);
	rcu_read_unlock();
	return obj ? 0 : -ENOENT;
}

/* The pattern objhash avoids for small values: pin, leave RCU, copy, put. */
static int bench_rht_lookup_kref(void *tbl, const struct bench_key *key,
				 u8 *buf)
{
	struct bench_rht_obj *obj;

	rcu_read_lock();
	obj = rhashtable_lookup(tbl, key, bench_rht_params);
	if (obj && !kref_get_unless_zero(&obj->ref))
		obj = NULL;
	rcu_read_unlock();
	if (!obj)
		return -ENOENT;
	memcpy(buf, obj->value, BENCH_VALUE_LEN);
	bench_rht_put(obj);
	return 0;
}

const struct bench_variant bench_rht = {
	.name = "rhashtable",
	.create = bench_rht_create,
	.destroy = bench_rht_destroy,
	.insert = bench_rht_insert,
	.replace = bench_rht_replace,
	.remove = bench_rht_remove,
	.lookup = bench_rht_lookup,
};

const struct bench_variant bench_rht_auto = {
	.name = "rhashtable_auto",
	.create = bench_rht_auto_create,
	.settle = bench_rht_settle,
	.destroy = bench_rht_destroy,
	.insert = bench_rht_insert,
	.replace = bench_rht_replace,
	.remove = bench_rht_remove,
	.lookup = bench_rht_lookup,
};

const struct bench_variant bench_rht_kref = {
	.name = "rhashtable_kref",
	.create = bench_rht_create,
	.destroy = bench_rht_destroy,
	.insert = bench_rht_insert,
	.replace = bench_rht_replace,
	.remove = bench_rht_remove,
	.lookup = bench_rht_lookup_kref,
};
