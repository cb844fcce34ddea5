// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench (native): the simple designs objhash is measured against,
 * as module/bench/var_locked.c builds them in the guest.  Singly linked
 * chains split into shards, each under one lock that every operation,
 * lookups included, takes; no RCU, so an object is freed as soon as it is
 * unlinked.
 *
 * Strategy 0 (global_lock): one shard, whose purge unlinks and frees
 * under the lock.  Strategy 3 (sharded16): 16 shards, each purged in turn:
 * victims unlinked under its lock, freed after unlocking.
 *
 * The lock is a pthread mutex, the same primitive the shim gives table.c
 * for its bucket spinlocks (shim/include/linux/spinlock.h), so lock costs
 * are alike; a spinning lock would burn the shared CPUs while a holder is
 * preempted.  Objects come from the shim's allocator, as objhash's do.
 */

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "shim/include/objhash_shim.h"
#include "bench.h"

#define BENCH_SHARDS	16

struct bench_lk_obj {
	struct bench_lk_obj *next;
	uint64_t version;
	struct bench_key key;
	uint8_t value[BENCH_VALUE_LEN];
};

/* One shard: @lock protects @heads and every object linked there. */
struct bench_lk_shard {
	pthread_mutex_t lock;
	struct bench_lk_obj **heads;
} __attribute__((aligned(64)));

struct bench_lk {
	struct bench_lk_shard *shards;
	unsigned int nr_shards;
	unsigned int head_bits;
	uint64_t secret[2];
};

static void bench_lk_free(struct bench_lk *lk)
{
	unsigned int i;

	for (i = 0; lk->shards && i < lk->nr_shards; i++)
		objhash_shim_free(lk->shards[i].heads);
	objhash_shim_free(lk->shards);
	objhash_shim_free(lk);
}

/* Same total chains as the other variants, split evenly across shards. */
static struct bench_lk *bench_lk_create(unsigned int bits, unsigned int shards,
					unsigned int shard_bits)
{
	struct bench_lk *lk = objhash_shim_alloc(sizeof(*lk), true);
	unsigned int i;

	if (!lk)
		return NULL;
	lk->nr_shards = shards;
	lk->head_bits = bits - shard_bits;
	bench_random(lk->secret, sizeof(lk->secret));
	lk->shards = objhash_shim_alloc(shards * sizeof(*lk->shards), true);
	if (!lk->shards)
		goto fail;
	for (i = 0; i < shards; i++) {
		pthread_mutex_init(&lk->shards[i].lock, NULL);
		lk->shards[i].heads = objhash_shim_alloc(sizeof(struct bench_lk_obj *)
							 << lk->head_bits, true);
		if (!lk->shards[i].heads)
			goto fail;
	}
	return lk;

fail:
	bench_lk_free(lk);
	return NULL;
}

static void *bench_global_create(unsigned int bits)
{
	return bench_lk_create(bits, 1, 0);
}

static void *bench_sharded_create(unsigned int bits)
{
	return bench_lk_create(bits, BENCH_SHARDS, 4);
}

/* The shard of @key, and where its chain starts within it. */
static struct bench_lk_obj **bench_lk_head(struct bench_lk *lk,
					   const struct bench_key *key,
					   struct bench_lk_shard **shard)
{
	uint32_t hash = bench_hash(key, lk->secret);

	*shard = &lk->shards[hash % lk->nr_shards];
	/* The low bits chose the shard; the chain comes from the others. */
	return &(*shard)->heads[(hash / lk->nr_shards) &
				((1U << lk->head_bits) - 1)];
}

/* The link that points at @key's object, or at the chain's NULL end. */
static struct bench_lk_obj **__bench_lk_find(struct bench_lk_obj **pp,
					     const struct bench_key *key)
{
	for (; *pp; pp = &(*pp)->next)
		if (!memcmp(&(*pp)->key, key, sizeof(*key)))
			break;
	return pp;
}

static struct bench_lk_obj *bench_lk_obj_new(const struct bench_key *key,
					     uint64_t version)
{
	struct bench_lk_obj *obj = objhash_shim_alloc(sizeof(*obj), false);

	if (!obj)
		return NULL;
	obj->key = *key;
	obj->version = version;
	bench_value_fill(obj->value, version);
	return obj;
}

static int bench_lk_insert(void *tbl, const struct bench_key *key,
			   uint64_t version)
{
	struct bench_lk_obj *obj = bench_lk_obj_new(key, version);
	struct bench_lk_shard *shard;
	struct bench_lk_obj **head, **pp;
	int err = 0;

	if (!obj)
		return -ENOMEM;
	head = bench_lk_head(tbl, key, &shard);
	pthread_mutex_lock(&shard->lock);
	pp = __bench_lk_find(head, key);
	if (*pp) {
		err = -EEXIST;
	} else {
		obj->next = *head;
		*head = obj;
	}
	pthread_mutex_unlock(&shard->lock);
	if (err)
		objhash_shim_free(obj);
	return err;
}

static int bench_lk_replace(void *tbl, const struct bench_key *key,
			    uint64_t version)
{
	struct bench_lk_obj *obj = bench_lk_obj_new(key, version);
	struct bench_lk_shard *shard;
	struct bench_lk_obj **pp, *old;

	if (!obj)
		return -ENOMEM;
	pp = bench_lk_head(tbl, key, &shard);
	pthread_mutex_lock(&shard->lock);
	pp = __bench_lk_find(pp, key);
	old = *pp;
	if (old) {
		obj->next = old->next;
		*pp = obj;
	}
	pthread_mutex_unlock(&shard->lock);
	/* Freed outside the lock: no reader can hold it without the lock. */
	objhash_shim_free(old ?: obj);
	return old ? 0 : -ENOENT;
}

static int bench_lk_remove(void *tbl, const struct bench_key *key)
{
	struct bench_lk_shard *shard;
	struct bench_lk_obj **pp = bench_lk_head(tbl, key, &shard);
	struct bench_lk_obj *obj;

	pthread_mutex_lock(&shard->lock);
	pp = __bench_lk_find(pp, key);
	obj = *pp;
	if (obj)
		*pp = obj->next;
	pthread_mutex_unlock(&shard->lock);
	objhash_shim_free(obj);
	return obj ? 0 : -ENOENT;
}

static int bench_lk_lookup(void *tbl, const struct bench_key *key,
			   uint8_t *buf)
{
	struct bench_lk_shard *shard;
	struct bench_lk_obj **pp = bench_lk_head(tbl, key, &shard);
	struct bench_lk_obj *obj;

	pthread_mutex_lock(&shard->lock);
	obj = *__bench_lk_find(pp, key);
	if (obj)
		memcpy(buf, obj->value, BENCH_VALUE_LEN);
	pthread_mutex_unlock(&shard->lock);
	return obj ? 0 : -ENOENT;
}

/*
 * Unlink every object of @shard up to @cut; free each now (@victims NULL)
 * or push it on *@victims.  Caller holds the shard's lock.
 */
static uint64_t __bench_lk_purge_shard(struct bench_lk *lk,
				       struct bench_lk_shard *shard,
				       uint64_t cut,
				       struct bench_lk_obj **victims)
{
	struct bench_lk_obj **pp, *obj;
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < 1U << lk->head_bits; i++) {
		for (pp = &shard->heads[i]; (obj = *pp);) {
			if (obj->version > cut) {
				pp = &obj->next;
				continue;
			}
			*pp = obj->next;
			n++;
			if (victims) {
				obj->next = *victims;
				*victims = obj;
			} else {
				objhash_shim_free(obj);
			}
		}
	}
	return n;
}

/* Strategy 0: the whole purge, frees included, under the one lock. */
static int bench_global_purge(void *tbl, uint64_t cut, uint64_t *purged)
{
	struct bench_lk *lk = tbl;

	pthread_mutex_lock(&lk->shards[0].lock);
	*purged = __bench_lk_purge_shard(lk, &lk->shards[0], cut, NULL);
	pthread_mutex_unlock(&lk->shards[0].lock);
	return 0;
}

/* Strategy 3: per shard, unlink under its lock, free after. */
static int bench_lk_purge_copyout(void *tbl, uint64_t cut, uint64_t *purged)
{
	struct bench_lk *lk = tbl;
	struct bench_lk_obj *victims, *next;
	unsigned int i;

	*purged = 0;
	for (i = 0; i < lk->nr_shards; i++) {
		victims = NULL;
		pthread_mutex_lock(&lk->shards[i].lock);
		*purged += __bench_lk_purge_shard(lk, &lk->shards[i], cut,
						  &victims);
		pthread_mutex_unlock(&lk->shards[i].lock);
		for (; victims; victims = next) {
			next = victims->next;
			objhash_shim_free(victims);
		}
	}
	return 0;
}

static void bench_lk_destroy(void *tbl)
{
	uint64_t n;

	bench_lk_purge_copyout(tbl, UINT64_MAX, &n);
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
