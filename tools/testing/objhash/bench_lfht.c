// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench (native): liburcu's lock-free resizable hash table
 * (cds_lfht) with objhash's lifetime rules.  It runs on the same RCU as
 * the objhash core here: liburcu's memb flavour, read-side sections and
 * call_rcu() through the shim (shim/urcu.c), so both pay the same for
 * RCU and the comparison is of the tables.  A lookup copies the value out
 * inside the read-side section; an unlinked object is freed by call_rcu()
 * after a grace period; an object that was never published is freed at
 * once.  Fixed size (no CDS_LFHT_AUTO_RESIZE), all buckets allocated up
 * front, as many as the other variants' chains.
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <urcu/urcu-memb.h>
#include <urcu/rculfhash.h>

#include "shim/include/objhash_shim.h"
#include "bench.h"

struct bench_lf_obj {
	struct cds_lfht_node node;
	struct objhash_shim_rcu_head rcu;
	uint64_t version;
	struct bench_key key;
	uint8_t value[BENCH_VALUE_LEN];
};

struct bench_lf {
	struct cds_lfht *ht;
	uint64_t secret[2];
};

static void *bench_lf_create(unsigned int bits)
{
	struct bench_lf *lf = objhash_shim_alloc(sizeof(*lf), true);

	if (!lf)
		return NULL;
	bench_random(lf->secret, sizeof(lf->secret));
	lf->ht = cds_lfht_new_flavor(1UL << bits, 1UL << bits, 1UL << bits, 0,
				     &urcu_memb_flavor, NULL);
	if (!lf->ht) {
		objhash_shim_free(lf);
		return NULL;
	}
	return lf;
}

static int bench_lf_match(struct cds_lfht_node *node, const void *key)
{
	const struct bench_lf_obj *obj =
		caa_container_of(node, struct bench_lf_obj, node);

	return !memcmp(&obj->key, key, sizeof(obj->key));
}

static struct bench_lf_obj *bench_lf_obj_new(const struct bench_key *key,
					     uint64_t version)
{
	struct bench_lf_obj *obj = objhash_shim_alloc(sizeof(*obj), false);

	if (!obj)
		return NULL;
	cds_lfht_node_init(&obj->node);
	obj->key = *key;
	obj->version = version;
	bench_value_fill(obj->value, version);
	return obj;
}

static void bench_lf_free_rcu(struct objhash_shim_rcu_head *head)
{
	objhash_shim_free(caa_container_of(head, struct bench_lf_obj, rcu));
}

static int bench_lf_insert(void *tbl, const struct bench_key *key,
			   uint64_t version)
{
	struct bench_lf *lf = tbl;
	struct bench_lf_obj *obj = bench_lf_obj_new(key, version);
	struct cds_lfht_node *ret;

	if (!obj)
		return -ENOMEM;
	objhash_shim_rcu_read_lock();
	ret = cds_lfht_add_unique(lf->ht, bench_hash(key, lf->secret),
				  bench_lf_match, key, &obj->node);
	objhash_shim_rcu_read_unlock();
	if (ret == &obj->node)
		return 0;
	objhash_shim_free(obj);		/* never published */
	return -EEXIST;
}

/* Replace an existing key only (objhash's REPLACE | NOCREATE). */
static int bench_lf_replace(void *tbl, const struct bench_key *key,
			    uint64_t version)
{
	struct bench_lf *lf = tbl;
	struct bench_lf_obj *obj = bench_lf_obj_new(key, version);
	uint32_t hash = bench_hash(key, lf->secret);
	struct cds_lfht_node *old;
	struct cds_lfht_iter iter;
	int err = -ENOENT;

	if (!obj)
		return -ENOMEM;
	objhash_shim_rcu_read_lock();
	cds_lfht_lookup(lf->ht, hash, bench_lf_match, key, &iter);
	old = cds_lfht_iter_get_node(&iter);
	if (old && !cds_lfht_replace(lf->ht, &iter, hash, bench_lf_match, key,
				     &obj->node))
		err = 0;
	objhash_shim_rcu_read_unlock();
	if (err) {
		objhash_shim_free(obj);
		return err;
	}
	objhash_shim_call_rcu(&caa_container_of(old, struct bench_lf_obj,
						node)->rcu, bench_lf_free_rcu);
	return 0;
}

static int bench_lf_remove(void *tbl, const struct bench_key *key)
{
	struct bench_lf *lf = tbl;
	struct cds_lfht_node *node;
	struct cds_lfht_iter iter;
	int err = -ENOENT;

	objhash_shim_rcu_read_lock();
	cds_lfht_lookup(lf->ht, bench_hash(key, lf->secret), bench_lf_match,
			key, &iter);
	node = cds_lfht_iter_get_node(&iter);
	if (node && !cds_lfht_del(lf->ht, node))
		err = 0;
	objhash_shim_rcu_read_unlock();
	if (!err)
		objhash_shim_call_rcu(&caa_container_of(node, struct bench_lf_obj,
							node)->rcu,
				      bench_lf_free_rcu);
	return err;
}

static int bench_lf_lookup(void *tbl, const struct bench_key *key,
			   uint8_t *buf)
{
	struct bench_lf *lf = tbl;
	struct cds_lfht_node *node;
	struct cds_lfht_iter iter;

	objhash_shim_rcu_read_lock();
	cds_lfht_lookup(lf->ht, bench_hash(key, lf->secret), bench_lf_match,
			key, &iter);
	node = cds_lfht_iter_get_node(&iter);
	if (node)
		memcpy(buf, caa_container_of(node, struct bench_lf_obj,
					     node)->value, BENCH_VALUE_LEN);
	objhash_shim_rcu_read_unlock();
	return node ? 0 : -ENOENT;
}

/*
 * One walk of the whole table in one read-side section, deleting as it
 * goes (cds_lfht allows deletion during traversal); each object is freed
 * by its own call_rcu().
 */
static int bench_lf_purge(void *tbl, uint64_t cut, uint64_t *purged)
{
	struct bench_lf *lf = tbl;
	struct bench_lf_obj *obj;
	struct cds_lfht_iter iter;
	uint64_t n = 0;

	objhash_shim_rcu_read_lock();
	cds_lfht_for_each_entry(lf->ht, &iter, obj, node) {
		if (obj->version > cut || cds_lfht_del(lf->ht, &obj->node))
			continue;
		objhash_shim_call_rcu(&obj->rcu, bench_lf_free_rcu);
		n++;
	}
	objhash_shim_rcu_read_unlock();
	*purged = n;
	return 0;
}

static void bench_lf_destroy(void *tbl)
{
	struct bench_lf *lf = tbl;
	uint64_t n;

	bench_lf_purge(lf, UINT64_MAX, &n);
	objhash_shim_rcu_barrier();
	cds_lfht_destroy(lf->ht, NULL);
	objhash_shim_free(lf);
}

const struct bench_variant bench_lfht = {
	.name = "cds_lfht",
	.create = bench_lf_create,
	.destroy = bench_lf_destroy,
	.insert = bench_lf_insert,
	.replace = bench_lf_replace,
	.remove = bench_lf_remove,
	.lookup = bench_lf_lookup,
	.purge = bench_lf_purge,
};
