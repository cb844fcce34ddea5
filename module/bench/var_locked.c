// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench: the simple designs objhash is measured against.  Chains of
 * hlist heads (as <linux/hashtable.h> builds them) split into shards, each
 * under one spinlock that every operation, lookups included, takes; no RCU,
 * so an object is freed as soon as it is unlinked.
 *
 * Strategy 0: one shard, whose purge frees under the lock.
 * Strategy 1: one shard, whose purge moves the victims out under the lock
 * and frees them after unlocking.
 * Strategy 3: 16 shards, each purged as strategy 1 does, one at a time.
 */

#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "bench.h"

#define BENCH_SHARDS	16

struct bench_lk_obj {
	struct hlist_node node;
	u64 version;
	struct bench_key key;
	u8 value[BENCH_VALUE_LEN];
};

/*
 * One shard: @lock protects @heads and every object linked there, for
 * readers as well as writers, all in process context.  Aligned so that two
 * shards' locks never share a cache line.
 */
struct bench_lk_shard {
	spinlock_t lock;		/* protects @heads and their objects */
	struct hlist_head *heads;
} ____cacheline_aligned_in_smp;

/**
 * struct bench_lk - a table of @nr_shards shards of 1 << @head_bits chains
 * @shards: the shards
 * @nr_shards: 1 or BENCH_SHARDS
 * @head_bits: log2 of the chains per shard
 * @seed: jhash seed, random per table as rhashtable's is
 */
struct bench_lk {
	struct bench_lk_shard *shards;
	unsigned int nr_shards;
	unsigned int head_bits;
	u32 seed;
};

static void bench_lk_free(struct bench_lk *lk)
{
	unsigned int i;

	for (i = 0; i < lk->nr_shards; i++)
		kvfree(lk->shards[i].heads);
	kfree(lk->shards);
	kfree(lk);
}

/* Same total chains as the other variants, split evenly across shards. */
static struct bench_lk *bench_lk_create(unsigned int nr, unsigned int shards)
{
	struct bench_lk *lk = kzalloc(sizeof(*lk), GFP_KERNEL);
	unsigned int i;

	if (!lk)
		return NULL;
	lk->nr_shards = shards;
	lk->head_bits = bench_hash_bits(nr) - ilog2(shards);
	lk->seed = get_random_u32();
	lk->shards = kcalloc(shards, sizeof(*lk->shards), GFP_KERNEL);
	if (!lk->shards)
		goto fail;
	for (i = 0; i < shards; i++) {
		spin_lock_init(&lk->shards[i].lock);
		lk->shards[i].heads = kvmalloc_array(1U << lk->head_bits,
						     sizeof(struct hlist_head),
						     GFP_KERNEL);
		if (!lk->shards[i].heads)
			goto fail;
		__hash_init(lk->shards[i].heads, 1U << lk->head_bits);
	}
	return lk;

fail:
	bench_lk_free(lk);
	return NULL;
}

static void *bench_global_create(unsigned int nr)
{
	return bench_lk_create(nr, 1);
}

static void *bench_sharded_create(unsigned int nr)
{
	return bench_lk_create(nr, BENCH_SHARDS);
}

/* The shard's lock and the chain of @key within it. */
static struct hlist_head *bench_lk_head(struct bench_lk *lk,
					const struct bench_key *key,
					struct bench_lk_shard **shard)
{
	u32 hash = jhash2((const u32 *)key->b, BENCH_KEY_LEN / 4, lk->seed);

	*shard = &lk->shards[hash % lk->nr_shards];
	/* The low bits chose the shard; the chain comes from the others. */
	return &(*shard)->heads[hash_min(hash / lk->nr_shards, lk->head_bits)];
}

static struct bench_lk_obj *__bench_lk_find(struct hlist_head *head,
					    const struct bench_key *key)
{
	struct bench_lk_obj *obj;

	hlist_for_each_entry(obj, head, node)
		if (!memcmp(&obj->key, key, sizeof(*key)))
			return obj;
	return NULL;
}

static struct bench_lk_obj *bench_lk_obj_new(const struct bench_key *key,
					     u64 version)
{
	struct bench_lk_obj *obj = kmalloc(sizeof(*obj), GFP_KERNEL);

	if (!obj)
		return NULL;
	obj->key = *key;
	obj->version = version;
	bench_value_fill(obj->value, version);
	return obj;
}

static int bench_lk_insert(void *tbl, const struct bench_key *key, u64 version)
{
	struct bench_lk_obj *obj = bench_lk_obj_new(key, version);
	struct bench_lk_shard *shard;
	struct hlist_head *head;
	int err = 0;

	if (!obj)
		return -ENOMEM;
	head = bench_lk_head(tbl, key, &shard);
	spin_lock(&shard->lock);
	if (__bench_lk_find(head, key))
		err = -EEXIST;
	else
		hlist_add_head(&obj->node, head);
	spin_unlock(&shard->lock);
	if (err)
		kfree(obj);
	return err;
}

static int bench_lk_replace(void *tbl, const struct bench_key *key,
			    u64 version)
{
	struct bench_lk_obj *obj = bench_lk_obj_new(key, version);
	struct bench_lk_shard *shard;
	struct bench_lk_obj *old;
	struct hlist_head *head;

	if (!obj)
		return -ENOMEM;
	head = bench_lk_head(tbl, key, &shard);
	spin_lock(&shard->lock);
	old = __bench_lk_find(head, key);
	if (old) {
		hlist_add_before(&obj->node, &old->node);
		hlist_del(&old->node);
	}
	spin_unlock(&shard->lock);
	/* Freed outside the lock: no reader can hold it without the lock. */
	kfree(old ?: obj);
	return old ? 0 : -ENOENT;
}

static int bench_lk_remove(void *tbl, const struct bench_key *key)
{
	struct bench_lk_shard *shard;
	struct hlist_head *head = bench_lk_head(tbl, key, &shard);
	struct bench_lk_obj *obj;

	spin_lock(&shard->lock);
	obj = __bench_lk_find(head, key);
	if (obj)
		hlist_del(&obj->node);
	spin_unlock(&shard->lock);
	kfree(obj);
	return obj ? 0 : -ENOENT;
}

static int bench_lk_lookup(void *tbl, const struct bench_key *key, u8 *buf)
{
	struct bench_lk_shard *shard;
	struct hlist_head *head = bench_lk_head(tbl, key, &shard);
	struct bench_lk_obj *obj;

	spin_lock(&shard->lock);
	obj = __bench_lk_find(head, key);
	if (obj)
		memcpy(buf, obj->value, BENCH_VALUE_LEN);
	spin_unlock(&shard->lock);
	return obj ? 0 : -ENOENT;
}

/* Unlink every object of @shard up to @cut; free them now, or hand back. */
static void __bench_lk_purge_shard(struct bench_lk *lk,
				   struct bench_lk_shard *shard, u64 cut,
				   struct hlist_head *victims)
{
	struct bench_lk_obj *obj;
	struct hlist_node *tmp;
	unsigned int i;

	lockdep_assert_held(&shard->lock);
	for (i = 0; i < 1U << lk->head_bits; i++) {
		hlist_for_each_entry_safe(obj, tmp, &shard->heads[i], node) {
			if (obj->version > cut)
				continue;
			hlist_del(&obj->node);
			if (victims)
				hlist_add_head(&obj->node, victims);
			else
				kfree(obj);
		}
	}
}

static void bench_lk_free_list(struct hlist_head *victims)
{
	struct bench_lk_obj *obj;
	struct hlist_node *tmp;
	unsigned int n = 0;

	hlist_for_each_entry_safe(obj, tmp, victims, node) {
		kfree(obj);
		if (!(++n % BENCH_CHUNK))
			cond_resched();
	}
}

/* Strategy 0: the whole purge, frees included, under the one lock. */
static int bench_global_purge(void *tbl, u64 cut)
{
	struct bench_lk *lk = tbl;

	spin_lock(&lk->shards[0].lock);
	__bench_lk_purge_shard(lk, &lk->shards[0], cut, NULL);
	spin_unlock(&lk->shards[0].lock);
	return 0;
}

/* Strategies 1 and 3: per shard, unlink under its lock, free after. */
static int bench_lk_purge_copyout(void *tbl, u64 cut)
{
	struct bench_lk *lk = tbl;
	HLIST_HEAD(victims);
	unsigned int i;

	for (i = 0; i < lk->nr_shards; i++) {
		spin_lock(&lk->shards[i].lock);
		__bench_lk_purge_shard(lk, &lk->shards[i], cut, &victims);
		spin_unlock(&lk->shards[i].lock);
		bench_lk_free_list(&victims);
		INIT_HLIST_HEAD(&victims);
	}
	return 0;
}

static void bench_lk_destroy(void *tbl)
{
	bench_lk_purge_copyout(tbl, U64_MAX);
	bench_lk_free(tbl);
}

const struct bench_variant bench_global = {
	.name = "global_lock",
	.create = bench_global_create,
	.destroy = bench_lk_destroy,
	.insert = bench_lk_insert,
	.replace = bench_lk_replace,
	.remove = bench_lk_remove,
	.lookup = bench_lk_lookup,
	.purge = bench_global_purge,
};

const struct bench_variant bench_global_copyout = {
	.name = "global_copyout",
	.create = bench_global_create,
	.destroy = bench_lk_destroy,
	.insert = bench_lk_insert,
	.replace = bench_lk_replace,
	.remove = bench_lk_remove,
	.lookup = bench_lk_lookup,
	.purge = bench_lk_purge_copyout,
};

const struct bench_variant bench_sharded = {
	.name = "sharded16",
	.create = bench_sharded_create,
	.destroy = bench_lk_destroy,
	.insert = bench_lk_insert,
	.replace = bench_lk_replace,
	.remove = bench_lk_remove,
	.lookup = bench_lk_lookup,
	.purge = bench_lk_purge_copyout,
};
