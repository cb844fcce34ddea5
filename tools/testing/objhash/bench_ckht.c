// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench (native): Concurrency Kit's ck_ht with objhash's lifetime
 * rules, as far as it can have them.  ck_ht is single-writer,
 * multi-reader (the _spmc calls): lookups run concurrently with one
 * writer and take no lock, but writers must be serialized by the caller,
 * so every insert, replace, remove and purge here takes one writer mutex
 * (readers never do).  It is an open-addressing table that sizes itself:
 * created for as many entries as the other variants have chains, it grows
 * on its own and hands its old arrays back through the allocator's
 * "defer" free, which goes through call_rcu() here like the objects.
 *
 * Lookups copy the value inside the read-side section (the same shim RCU
 * as objhash and cds_lfht); unlinked objects are freed by call_rcu().
 */

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <ck_ht.h>

#include "shim/include/objhash_shim.h"
#include "bench.h"

struct bench_ck_obj {
	struct objhash_shim_rcu_head rcu;
	uint64_t version;
	struct bench_key key;
	uint8_t value[BENCH_VALUE_LEN];
};

struct bench_ck {
	ck_ht_t ht;
	pthread_mutex_t wlock;		/* serializes every writer */
};

/* ck_ht hashes through this callback; one table at a time in the bench. */
static uint64_t bench_ck_secret[2];

static void bench_ck_hash(ck_ht_hash_t *h, const void *key, size_t len,
			  uint64_t seed)
{
	h->value = bench_hash(key, bench_ck_secret);
}

/* An array ck_ht retired while readers may still walk it. */
struct bench_ck_deferred {
	struct objhash_shim_rcu_head rcu;
	void *p;
};

static void *bench_ck_malloc(size_t size)
{
	return objhash_shim_alloc(size, false);
}

static void bench_ck_free_rcu(struct objhash_shim_rcu_head *head)
{
	struct bench_ck_deferred *d = (struct bench_ck_deferred *)head;

	objhash_shim_free(d->p);
	objhash_shim_free(d);
}

static void bench_ck_free(void *p, size_t size, bool defer)
{
	struct bench_ck_deferred *d;

	if (!defer) {
		objhash_shim_free(p);
		return;
	}
	d = objhash_shim_alloc(sizeof(*d), false);
	if (!d) {
		objhash_shim_synchronize_rcu();
		objhash_shim_free(p);
		return;
	}
	d->p = p;
	objhash_shim_call_rcu(&d->rcu, bench_ck_free_rcu);
}

static void *bench_ck_realloc(void *p, size_t old, size_t new, bool defer)
{
	void *q = bench_ck_malloc(new);

	if (q) {
		memcpy(q, p, old < new ? old : new);
		bench_ck_free(p, old, defer);
	}
	return q;
}

static struct ck_malloc bench_ck_allocator = {
	.malloc = bench_ck_malloc,
	.realloc = bench_ck_realloc,
	.free = bench_ck_free,
};

static void *bench_ck_create(unsigned int bits)
{
	struct bench_ck *ck = objhash_shim_alloc(sizeof(*ck), true);

	if (!ck)
		return NULL;
	bench_random(bench_ck_secret, sizeof(bench_ck_secret));
	pthread_mutex_init(&ck->wlock, NULL);
	if (!ck_ht_init(&ck->ht, CK_HT_MODE_BYTESTRING | CK_HT_WORKLOAD_DELETE,
			bench_ck_hash, &bench_ck_allocator, 1ULL << bits, 0)) {
		objhash_shim_free(ck);
		return NULL;
	}
	return ck;
}

static struct bench_ck_obj *bench_ck_obj_new(const struct bench_key *key,
					     uint64_t version)
{
	struct bench_ck_obj *obj = objhash_shim_alloc(sizeof(*obj), false);

	if (!obj)
		return NULL;
	obj->key = *key;
	obj->version = version;
	bench_value_fill(obj->value, version);
	return obj;
}

static void bench_ck_obj_free_rcu(struct objhash_shim_rcu_head *head)
{
	objhash_shim_free(head);	/* rcu is the first member */
}

static int bench_ck_insert(void *tbl, const struct bench_key *key,
			   uint64_t version)
{
	struct bench_ck *ck = tbl;
	struct bench_ck_obj *obj = bench_ck_obj_new(key, version);
	ck_ht_entry_t e;
	ck_ht_hash_t h;
	bool ok;

	if (!obj)
		return -ENOMEM;
	ck_ht_hash(&h, &ck->ht, &obj->key, BENCH_KEY_LEN);
	ck_ht_entry_set(&e, h, &obj->key, BENCH_KEY_LEN, obj);
	pthread_mutex_lock(&ck->wlock);
	ok = ck_ht_put_spmc(&ck->ht, h, &e);
	pthread_mutex_unlock(&ck->wlock);
	if (ok)
		return 0;
	objhash_shim_free(obj);		/* never published */
	return -EEXIST;
}

static int bench_ck_replace(void *tbl, const struct bench_key *key,
			    uint64_t version)
{
	struct bench_ck *ck = tbl;
	struct bench_ck_obj *obj = bench_ck_obj_new(key, version), *old = NULL;
	ck_ht_entry_t e;
	ck_ht_hash_t h;

	if (!obj)
		return -ENOMEM;
	ck_ht_hash(&h, &ck->ht, key, BENCH_KEY_LEN);
	pthread_mutex_lock(&ck->wlock);
	ck_ht_entry_key_set(&e, key, BENCH_KEY_LEN);
	if (ck_ht_get_spmc(&ck->ht, h, &e)) {
		ck_ht_entry_set(&e, h, &obj->key, BENCH_KEY_LEN, obj);
		if (ck_ht_set_spmc(&ck->ht, h, &e))
			old = ck_ht_entry_value(&e);
	}
	pthread_mutex_unlock(&ck->wlock);
	if (!old) {
		objhash_shim_free(obj);
		return -ENOENT;
	}
	objhash_shim_call_rcu(&old->rcu, bench_ck_obj_free_rcu);
	return 0;
}

static int bench_ck_remove(void *tbl, const struct bench_key *key)
{
	struct bench_ck *ck = tbl;
	struct bench_ck_obj *obj = NULL;
	ck_ht_entry_t e;
	ck_ht_hash_t h;

	ck_ht_hash(&h, &ck->ht, key, BENCH_KEY_LEN);
	ck_ht_entry_key_set(&e, key, BENCH_KEY_LEN);
	pthread_mutex_lock(&ck->wlock);
	if (ck_ht_remove_spmc(&ck->ht, h, &e))
		obj = ck_ht_entry_value(&e);
	pthread_mutex_unlock(&ck->wlock);
	if (!obj)
		return -ENOENT;
	objhash_shim_call_rcu(&obj->rcu, bench_ck_obj_free_rcu);
	return 0;
}

static int bench_ck_lookup(void *tbl, const struct bench_key *key,
			   uint8_t *buf)
{
	struct bench_ck *ck = tbl;
	ck_ht_entry_t e;
	ck_ht_hash_t h;
	bool found;

	ck_ht_hash(&h, &ck->ht, key, BENCH_KEY_LEN);
	ck_ht_entry_key_set(&e, key, BENCH_KEY_LEN);
	objhash_shim_rcu_read_lock();
	found = ck_ht_get_spmc(&ck->ht, h, &e);
	if (found)
		memcpy(buf, ((struct bench_ck_obj *)ck_ht_entry_value(&e))->value,
		       BENCH_VALUE_LEN);
	objhash_shim_rcu_read_unlock();
	return found ? 0 : -ENOENT;
}

/*
 * Under the writer lock (readers go on): collect the victims with the
 * iterator, then remove each, so the walk never sees its own removals.
 */
static int bench_ck_purge(void *tbl, uint64_t cut, uint64_t *purged)
{
	struct bench_ck *ck = tbl;
	ck_ht_iterator_t it = CK_HT_ITERATOR_INITIALIZER;
	struct bench_ck_obj **victims, *obj;
	uint64_t n = 0, i, max;
	ck_ht_entry_t *cur, e;
	ck_ht_hash_t h;

	pthread_mutex_lock(&ck->wlock);
	max = ck_ht_count(&ck->ht);
	victims = objhash_shim_alloc((max + 1) * sizeof(*victims), false);
	if (!victims) {
		pthread_mutex_unlock(&ck->wlock);
		return -ENOMEM;
	}
	while (n < max && ck_ht_next(&ck->ht, &it, &cur)) {
		obj = ck_ht_entry_value(cur);
		if (obj->version <= cut)
			victims[n++] = obj;
	}
	for (i = 0; i < n; i++) {
		ck_ht_hash(&h, &ck->ht, &victims[i]->key, BENCH_KEY_LEN);
		ck_ht_entry_key_set(&e, &victims[i]->key, BENCH_KEY_LEN);
		if (!ck_ht_remove_spmc(&ck->ht, h, &e))
			continue;
		objhash_shim_call_rcu(&victims[i]->rcu, bench_ck_obj_free_rcu);
	}
	pthread_mutex_unlock(&ck->wlock);
	objhash_shim_free(victims);
	*purged = n;
	return 0;
}

static void bench_ck_destroy(void *tbl)
{
	struct bench_ck *ck = tbl;
	uint64_t n;

	bench_ck_purge(ck, UINT64_MAX, &n);
	objhash_shim_rcu_barrier();
	ck_ht_destroy(&ck->ht);
	objhash_shim_rcu_barrier();	/* arrays retired by the last removals */
	objhash_shim_free(ck);
}

const struct bench_variant bench_ckht = {
	.name = "ck_ht",
	.create = bench_ck_create,
	.destroy = bench_ck_destroy,
	.insert = bench_ck_insert,
	.replace = bench_ck_replace,
	.remove = bench_ck_remove,
	.lookup = bench_ck_lookup,
	.purge = bench_ck_purge,
};
