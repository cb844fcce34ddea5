// SPDX-License-Identifier: GPL-2.0
/*
 * objhash walks: PURGE and DUMP go through the whole table in hash order.
 *
 * Bucket i of an array of 2^bits holds the hash interval [i, i + 1) /
 * 2^bits (struct objhash_array), so a walk that goes through hash space one
 * interval at a time is not disturbed by resizes: a grow or a shrink
 * between two steps changes how long the next interval is, not which
 * objects lie ahead.  Within one step an object can only move from an
 * older array to a newer one, keeping its hash, so a step that scans the
 * oldest array first and its futures after cannot miss one.  A rehash (a
 * new secret, a new epoch; rare and rate-limited, see resize.c) reorders
 * everything: a purge starts over in the new epoch, a dump reports it
 * (ESTALE).
 *
 * Both take one bucket lock at a time, and only to look at or unlink that
 * bucket's objects; nothing is freed and no user memory is touched under a
 * lock.
 */

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/rculist.h>
#include <linux/rculist_nulls.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/siphash.h>
#include <linux/string.h>

#include "table_internal.h"

/* The first and last hash of the interval of @a's bucket that holds @h. */
static void objhash_interval(const struct objhash_array *a, u32 h, u32 *lo,
			     u32 *hi)
{
	*lo = h >> (32 - a->bits) << (32 - a->bits);
	*hi = *lo + (u32)(BIT_ULL(32 - a->bits) - 1);
}

static bool objhash_key_has_prefix(const struct objhash_obj *obj,
				   const void *prefix, u32 prefix_len)
{
	/* No prefix: @prefix may be NULL, which memcmp() must not get. */
	return !prefix_len || (obj->key_len >= prefix_len &&
			       !memcmp(obj->data, prefix, prefix_len));
}

/*
 * Objects a purge released are freed in batches of this many, each batch
 * after one grace period, in process context: a purge of a million
 * objects queues a thousand work items, not a million RCU callbacks whose
 * frees would all run in softirq.
 */
#define OBJHASH_RECLAIM_BATCH	1024

/**
 * struct objhash_reclaim_wait - what PURGE_WAIT waits for
 * @pending: batches of this purge not yet freed, plus one while it runs
 * @done: completed when @pending drops to zero
 */
struct objhash_reclaim_wait {
	atomic_t pending;
	struct completion done;
};

/**
 * struct objhash_reclaim - a batch of objects a purge released
 * @rwork: frees them, on the table's reclaim_wq, after a grace period
 *	(readers that found them before the unlink may still read them)
 * @head: the objects, chained through purge_next; no one holds them
 * @nr: how many
 * @wait: the waiting purge to tell when they are freed, or NULL
 */
struct objhash_reclaim {
	struct rcu_work rwork;
	struct objhash_obj *head;
	unsigned int nr;
	struct objhash_reclaim_wait *wait;
};

/**
 * struct objhash_purge_ctx - one purge
 * @cut: unlink objects whose version is at most this
 * @prefix: and whose key starts with these bytes
 * @prefix_len: bytes of @prefix; 0 for every key
 * @batch: the batch that receives released objects, or NULL
 * @wait: passed to each batch: the purge waits for them, or NULL
 */
struct objhash_purge_ctx {
	u64 cut;
	const void *prefix;
	u32 prefix_len;
	struct objhash_reclaim *batch;
	struct objhash_reclaim_wait *wait;
};

static void objhash_reclaim_work(struct work_struct *work)
{
	struct objhash_reclaim *r = container_of(to_rcu_work(work),
						 struct objhash_reclaim, rwork);
	struct objhash_obj *obj;
	unsigned int n = 0;

	while (r->head) {
		obj = r->head;
		r->head = obj->purge_next;
		__objhash_obj_reclaim(obj);
		if (!(++n % 64))
			cond_resched();
	}
	if (r->wait && atomic_dec_and_test(&r->wait->pending))
		complete(&r->wait->done);
	kfree(r);
}

static void objhash_reclaim_submit(struct objhash_table *t,
				   struct objhash_purge_ctx *c)
{
	struct objhash_reclaim *r = c->batch;

	c->batch = NULL;
	if (!r)
		return;
	if (!r->nr) {
		kfree(r);
		return;
	}
	r->wait = c->wait;
	if (r->wait)
		atomic_inc(&r->wait->pending);
	INIT_RCU_WORK(&r->rwork, objhash_reclaim_work);
	queue_rcu_work(t->reclaim_wq, &r->rwork);
}

/*
 * Drop the table's reference to each of @victims, which this purge
 * unlinked; batch those no one else holds for freeing.  One someone still
 * holds is freed by its last put, as after a delete.
 */
static void objhash_purge_release(struct objhash_table *t,
				  struct objhash_purge_ctx *c,
				  struct objhash_obj *victims)
{
	struct objhash_obj *obj;

	while (victims) {
		obj = victims;
		victims = obj->purge_next;
		if (!refcount_dec_and_test(&obj->ref.refcount))
			continue;
		if (!c->batch && !READ_ONCE(t->reclaim_singly))
			c->batch = kzalloc(sizeof(*c->batch),
					   GFP_KERNEL | __GFP_NOWARN);
		if (!c->batch) {
			__objhash_obj_free_rcu(obj);
			continue;
		}
		atomic_long_inc(&t->nr_freeing);
		obj->purge_next = c->batch->head;
		c->batch->head = obj;
		if (++c->batch->nr == OBJHASH_RECLAIM_BATCH)
			objhash_reclaim_submit(t, c);
	}
}

/*
 * Unlink the objects of @b whose hash (in @b's array of @epoch) is in
 * [@lo, @hi] and that pass @f; chain them on *@victims for the put after
 * the lock is released.
 */
static unsigned long objhash_purge_bucket(struct objhash_table *t,
					  struct objhash_bucket *b, u32 epoch,
					  u32 lo, u32 hi,
					  const struct objhash_purge_ctx *f,
					  struct objhash_obj **victims)
{
	struct hlist_nulls_node *pos;
	struct objhash_obj *obj;
	unsigned long n = 0;

	spin_lock(&b->lock);
	/* pos is already past obj when obj is unlinked */
	hlist_nulls_for_each_entry_safe(obj, pos, &b->chain, node) {
		u32 h = obj->hash[epoch & 1];

		if (obj->version > f->cut || h < lo || h > hi ||
		    !objhash_key_has_prefix(obj, f->prefix, f->prefix_len))
			continue;
		__objhash_unlink(t, b, obj);
		/* Readers may still follow obj->node: chain the victims apart. */
		obj->purge_next = *victims;
		*victims = obj;
		n++;
	}
	spin_unlock(&b->lock);
	return n;
}

/*
 * Purge one interval of hash space of @epoch, the one of the current
 * array's bucket that holds *@pos, in that array and in every future one,
 * oldest first; move *@pos past it.  An object cannot escape: it moves
 * only from an older array to a newer one, keeping its hash (so its
 * interval), and the older array is purged first; objects linked after
 * the cut was read carry versions above it.  A rehash breaks that (hashes
 * change): the step then sets *@rehashed and the purge starts over in the
 * new epoch.  Return: the number unlinked.
 */
static unsigned long objhash_purge_step(struct objhash_table *t, u64 *pos,
					u32 epoch, struct objhash_purge_ctx *c,
					bool *rehashed)
{
	struct objhash_obj *victims = NULL;
	struct objhash_array *a, *next;
	unsigned long n = 0;
	u32 lo, hi, i;

	rcu_read_lock();
	a = rcu_dereference(t->tbl);
	objhash_interval(a, *pos, &lo, &hi);
	*rehashed = a->epoch != epoch;
	while (!*rehashed) {
		for (i = lo >> (32 - a->bits); i <= hi >> (32 - a->bits); i++)
			n += objhash_purge_bucket(t, &a->b[i], a->epoch, lo, hi,
						  c, &victims);
		/* Pairs with the resizer's release of @future (see lookup). */
		smp_rmb();
		next = rcu_dereference(a->future);
		if (!next)
			break;
		*rehashed = next->epoch != a->epoch;
		a = next;
	}
	rcu_read_unlock();
	*pos = (u64)hi + 1;
	objhash_purge_release(t, c, victims);
	return n;
}

/* The epoch of the table once no rehash is under way. */
static u32 objhash_settled_epoch(struct objhash_table *t)
{
	u32 epoch;

	/* the resizer holds the mutex until it is done */
	mutex_lock(&t->resize_mutex);
	epoch = rcu_dereference_protected(t->tbl,
					  lockdep_is_held(&t->resize_mutex))->epoch;
	mutex_unlock(&t->resize_mutex);
	return epoch;
}

/*
 * Walk hash space from 0 to 2^32, one bucket interval at a time, whatever
 * the array's size at each step: a grow or a shrink between steps changes
 * how long the next step is, not which objects it covers.  A rehash (rare,
 * rate-limited) is waited for, and the walk starts over in its epoch; what
 * was unlinked stays unlinked and counted once.
 */
static int objhash_purge_walk(struct objhash_table *t,
			      struct objhash_purge_ctx *c, bool killable,
			      u64 *purged)
{
	bool rehashed;
	u64 pos = 0;
	u32 epoch;
	int err = 0;

	*purged = 0;
	rcu_read_lock();
	epoch = rcu_dereference(t->tbl)->epoch;
	rcu_read_unlock();
	while (pos <= U32_MAX) {
		*purged += objhash_purge_step(t, &pos, epoch, c, &rehashed);
		if (killable && fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		if (rehashed) {
			epoch = objhash_settled_epoch(t);
			pos = 0;
		}
		cond_resched();
	}
	objhash_reclaim_submit(t, c);
	objhash_count(t, OBJHASH_EV_PURGED, *purged);
	return err;
}

/* Purge without waiting for the frees; for objhash_table_destroy(). */
int __objhash_purge(struct objhash_table *t, u64 cut, const void *prefix,
		    u32 prefix_len, bool killable, u64 *purged)
{
	struct objhash_purge_ctx c = {
		.cut = cut,
		.prefix = prefix,
		.prefix_len = prefix_len,
	};

	return objhash_purge_walk(t, &c, killable, purged);
}

/**
 * objhash_purge - unlink every object up to a version
 * @t: table
 * @max_version: unlink objects whose version is at most this; 0 means the
 *	table's version when the purge starts.  A larger value than that
 *	version is the same as 0: objects created while the purge runs
 *	survive, so the cut is one point in time either way.
 * @prefix: only keys that start with these bytes; may be NULL if
 *	@prefix_len is 0
 * @prefix_len: bytes of @prefix, 0 for every key
 * @wait: return only once the purged objects that no one else holds are
 *	freed
 * @purged: receives the number of objects this call unlinked
 *
 * Objects created or replaced after the cut survive, however the purge,
 * the writes and any resizes interleave.  Buckets are purged one at a
 * time, each under its own lock only while its objects are unlinked, so
 * lookups and writes go on meanwhile; nothing is freed under a lock.  A
 * prefix does not make the walk shorter: the keys of one prefix are spread
 * over every bucket.
 *
 * Context: Process context; sleeps.  A fatal signal stops it between buckets.
 * Return: 0, or -EINTR if stopped by a fatal signal (@purged still counts
 * what was unlinked).
 */
int objhash_purge(struct objhash_table *t, u64 max_version, const void *prefix,
		  u32 prefix_len, bool wait, u64 *purged)
{
	struct objhash_reclaim_wait rw;
	struct objhash_purge_ctx c = {
		.cut = atomic64_read(&t->version),
		.prefix = prefix,
		.prefix_len = prefix_len,
	};
	int err;

	if (max_version && max_version < c.cut)
		c.cut = max_version;
	if (wait) {
		atomic_set(&rw.pending, 1);
		init_completion(&rw.done);
		c.wait = &rw;
	}
	err = objhash_purge_walk(t, &c, true, purged);
	objhash_resize_check(t);
	if (wait) {
		/* This purge's own batches: no global barrier for them. */
		if (!atomic_dec_and_test(&rw.pending))
			wait_for_completion(&rw.done);
		/*
		 * Frees this table queued before (deletes, replaces, other
		 * purges' batches, or ours if a batch could not be had): only
		 * then the global rcu_barrier(), and this table's queue.  A
		 * PURGE_WAIT on a table with nothing queued costs nothing.
		 */
		if (atomic_long_read(&t->nr_freeing)) {
			rcu_barrier();
			flush_workqueue(t->reclaim_wq);
		}
	}
	return err;
}
EXPORT_SYMBOL_GPL(objhash_purge);

/*
 * DUMP.  The dump order is the 64-bit "ord" of a key: its hash in the
 * epoch (the top 32 bits: the order of buckets at every size) and a second
 * keyed hash, the tie, below it, so that keys sharing a 32-bit hash still
 * have distinct positions.  A dump stands at a position: every ord below
 * it is done.  Each step collects, from the interval of the current
 * array's bucket that holds the position, the objects at or past it, in
 * ord order, at most @max of them; the caller copies out what fits and
 * moves the position past what it copied.  A key has one ord per epoch, so
 * it can be returned once per dump at most, and a key linked from the
 * start to the end is in the interval the walk covers when the walk
 * reaches its ord, so it is returned.
 */
static u64 objhash_ord(const struct objhash_table *t,
		       const struct objhash_obj *obj, u32 h)
{
	return (u64)h << 32 | hsiphash(obj->data, obj->key_len, &t->tie_secret);
}

/*
 * Keep the @max smallest ords of what is offered, sorted, in @w->ents;
 * *@cut is the smallest ord refused or pushed out (U64_MAX if none).
 */
static void objhash_walk_keep(struct objhash_walk *w, unsigned int max,
			      struct objhash_obj *obj, u64 ord, u64 *cut)
{
	unsigned int i;

	if (w->nr == max) {
		if (ord >= w->ents[max - 1].ord) {
			*cut = min(*cut, ord);
			return;
		}
		*cut = min(*cut, w->ents[max - 1].ord);
		w->nr--;
	}
	for (i = w->nr; i && w->ents[i - 1].ord > ord; i--)
		w->ents[i] = w->ents[i - 1];
	w->ents[i].ord = ord;
	w->ents[i].obj = obj;
	w->nr++;
}

/* Collect from bucket @b of an array of @epoch; caller holds RCU. */
static void objhash_walk_bucket(struct objhash_table *t, struct objhash_walk *w,
				struct objhash_bucket *b, u32 epoch, u32 lo,
				u32 hi, unsigned int max, u64 *cut)
{
	struct hlist_nulls_node *pos;
	struct objhash_obj *obj;

	/*
	 * The lock, not RCU alone, so the chain is whole: no object is on
	 * its way out of it or into it while we look.
	 */
	spin_lock(&b->lock);
	hlist_nulls_for_each_entry(obj, pos, &b->chain, node) {
		u32 h = obj->hash[epoch & 1];
		u64 ord;

		if (h < lo || h > hi || (u64)h < w->pos >> 32 ||
		    obj->version < w->min_version ||
		    obj->version > w->max_version)
			continue;
		ord = objhash_ord(t, obj, h);
		if (ord >= w->pos)
			objhash_walk_keep(w, max, obj, ord, cut);
	}
	spin_unlock(&b->lock);
}

static bool objhash_same_key(const struct objhash_obj *a,
			     const struct objhash_obj *b)
{
	return a->key_len == b->key_len && !memcmp(a->data, b->data, a->key_len);
}

/*
 * Take a reference on each object kept, and keep each key once.  The same
 * key can be met twice in one step: the same object before and after it
 * moved to a newer array, or an object and the one that replaced it there;
 * the newer version is the key's value at a later moment, so it stays.
 * An object whose last reference is gone was unlinked during the step:
 * it was not linked for the whole call, so it may be left out.  Caller
 * holds RCU, which keeps every object collected in this step in memory.
 */
static void objhash_walk_hold(struct objhash_walk *w)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < w->nr; i++) {
		struct objhash_walk_ent *e = &w->ents[i];
		bool dup = false;

		for (j = n; j-- && w->ents[j].ord == e->ord;) {
			if (objhash_same_key(w->ents[j].obj, e->obj)) {
				dup = true;
				break;
			}
		}
		if (dup) {
			if (e->obj->version > w->ents[j].obj->version &&
			    objhash_obj_tryget(e->obj)) {
				objhash_obj_put(w->ents[j].obj);
				w->ents[j].obj = e->obj;
			}
			continue;
		}
		if (objhash_obj_tryget(e->obj))
			w->ents[n++] = *e;
	}
	w->nr = n;
}

/**
 * objhash_walk_step - collect the next objects of a dump
 * @t: table
 * @w: the dump: @pos, @epoch, @started and the version range in; on
 *	success @ents holds @nr objects (each with a reference the caller
 *	drops with objhash_walk_put()), sorted by ord, and @next is the
 *	position past them (@end set if that is the end of hash space)
 * @max: collect at most this many, 1..OBJHASH_WALK_MAX
 *
 * Collects, from the bucket interval that holds @w->pos, the objects of
 * the dump's epoch whose ord is at least @w->pos and whose version is in
 * the range; every object linked throughout the call with an ord in
 * [@w->pos, @w->next) is among them.  Several objects with one ord are
 * kept or left together.  @nr may be 0 with @next past an empty interval.
 *
 * Context: Process context; sleeps while a rehash finishes.
 * Return: 0; -ESTALE if the table was rehashed since the dump began;
 * -EOVERFLOW if more than @max keys share one ord; -EINTR on a fatal
 * signal while waiting for a rehash.
 */
int objhash_walk_step(struct objhash_table *t, struct objhash_walk *w,
		      unsigned int max)
{
	struct objhash_array *a, *next;
	bool rehashing;
	u64 cut;
	u32 lo, hi, i;

retry:
	w->nr = 0;
	cut = U64_MAX;
	rehashing = false;
	rcu_read_lock();
	a = rcu_dereference(t->tbl);
	/* A dump that has not moved yet can take the table's epoch. */
	if (!w->started || !w->pos) {
		w->epoch = a->epoch;
		w->started = true;
	}
	if (a->epoch != w->epoch) {
		rcu_read_unlock();
		return -ESTALE;
	}
	objhash_interval(a, w->pos >> 32, &lo, &hi);
	for (;;) {
		for (i = lo >> (32 - a->bits); i <= hi >> (32 - a->bits); i++)
			objhash_walk_bucket(t, w, &a->b[i], a->epoch, lo, hi,
					    max, &cut);
		/* Pairs with the resizer's release of @future (see lookup). */
		smp_rmb();
		next = rcu_dereference(a->future);
		if (!next)
			break;
		rehashing = next->epoch != a->epoch;
		if (rehashing)
			break;
		a = next;
	}
	if (!rehashing)
		objhash_walk_hold(w);
	rcu_read_unlock();

	if (rehashing) {
		/*
		 * Objects are moving to new hashes: wait until they all have
		 * (the resizer holds the mutex until then), and look again.
		 */
		if (mutex_lock_killable(&t->resize_mutex))
			return -EINTR;
		mutex_unlock(&t->resize_mutex);
		goto retry;
	}

	if (cut != U64_MAX) {
		/* Truncated: what is left from @cut on is the next step's. */
		while (w->nr && w->ents[w->nr - 1].ord >= cut)
			objhash_obj_put(w->ents[--w->nr].obj);
		if (!w->nr && cut == w->pos)
			return -EOVERFLOW;
		w->next = cut;
		w->end = false;
	} else {
		w->next = ((u64)hi + 1) << 32;
		w->end = hi == U32_MAX;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(objhash_walk_step);

/**
 * objhash_walk_put - drop the references objhash_walk_step() took
 * @w: the dump
 * @from: first entry to drop; the ones before it were dropped already
 *
 * Context: Any context.
 */
void objhash_walk_put(struct objhash_walk *w, unsigned int from)
{
	while (w->nr > from)
		objhash_obj_put(w->ents[--w->nr].obj);
}
EXPORT_SYMBOL_GPL(objhash_walk_put);

/*
 * The cursor that leaves the kernel.  Positions are hash values, which
 * would let a user learn which keys collide: they go out encrypted, by a
 * 64-bit permutation (a four-round Feistel network whose rounds are
 * siphash keyed with the table's cursor key), and a MAC keeps the module
 * from acting on a cursor it did not write.
 *
 *	w0: the encrypted position
 *	w1: the epoch (high half), OBJHASH_CURSOR_* flags (low half)
 *	w2: the table's instance (high half), OBJHASH_CURSOR_MAGIC (low)
 *	w3: siphash of w0..w2
 */
#define OBJHASH_CURSOR_STARTED	BIT(0)
#define OBJHASH_CURSOR_DONE	BIT(1)
#define OBJHASH_CURSOR_MAGIC	0x0b7ac5a1U

static u32 objhash_feistel_round(const struct objhash_table *t, u32 half,
				 unsigned int round)
{
	return siphash_2u32(half, round, &t->cursor_key);
}

static u64 objhash_cursor_encrypt(const struct objhash_table *t, u64 v)
{
	u32 l = v >> 32, r = v, tmp;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		tmp = r;
		r = l ^ objhash_feistel_round(t, r, i);
		l = tmp;
	}
	return (u64)l << 32 | r;
}

static u64 objhash_cursor_decrypt(const struct objhash_table *t, u64 v)
{
	u32 l = v >> 32, r = v, tmp;
	unsigned int i;

	for (i = 4; i--;) {
		tmp = l;
		l = r ^ objhash_feistel_round(t, l, i);
		r = tmp;
	}
	return (u64)l << 32 | r;
}

/**
 * objhash_cursor_decode - read a dump's position from a user's cursor
 * @t: table
 * @c: the OBJHASH_CURSOR_WORDS words the user passed
 * @w: receives the position, epoch and state
 *
 * Context: Any context.
 * Return: 0; -EINVAL if the module did not write @c; -ESTALE if another
 * table (another load of the module) did.
 */
int objhash_cursor_decode(const struct objhash_table *t, const u64 *c,
			  struct objhash_walk *w)
{
	u32 flags = c[1];

	w->pos = 0;
	w->epoch = 0;
	w->started = false;
	w->done = false;
	if (!(c[0] | c[1] | c[2] | c[3]))
		return 0;
	if ((u32)c[2] != OBJHASH_CURSOR_MAGIC ||
	    (flags & ~(OBJHASH_CURSOR_STARTED | OBJHASH_CURSOR_DONE)))
		return -EINVAL;
	if (c[2] >> 32 != t->instance)
		return -ESTALE;
	if (c[3] != siphash_3u64(c[0], c[1], c[2], &t->cursor_key))
		return -EINVAL;
	w->pos = objhash_cursor_decrypt(t, c[0]);
	w->epoch = c[1] >> 32;
	w->started = flags & OBJHASH_CURSOR_STARTED;
	w->done = flags & OBJHASH_CURSOR_DONE;
	return 0;
}
EXPORT_SYMBOL_GPL(objhash_cursor_decode);

/**
 * objhash_cursor_encode - write a dump's position as a user's cursor
 * @t: table
 * @w: the dump
 * @c: receives OBJHASH_CURSOR_WORDS words
 *
 * Context: Any context.
 */
void objhash_cursor_encode(const struct objhash_table *t,
			   const struct objhash_walk *w, u64 *c)
{
	u32 flags = 0;

	if (w->started)
		flags |= OBJHASH_CURSOR_STARTED;
	if (w->done)
		flags |= OBJHASH_CURSOR_DONE;
	c[0] = objhash_cursor_encrypt(t, w->pos);
	c[1] = (u64)w->epoch << 32 | flags;
	c[2] = (u64)t->instance << 32 | OBJHASH_CURSOR_MAGIC;
	c[3] = siphash_3u64(c[0], c[1], c[2], &t->cursor_key);
}
EXPORT_SYMBOL_GPL(objhash_cursor_encode);

/**
 * objhash_walk_init - set up a new table's walks
 * @t: table
 *
 * The secrets of its dump cursors, and the workqueue that frees what its
 * purges release.
 *
 * Context: Process context; sleeps.
 * Return: 0 or -ENOMEM.
 */
int objhash_walk_init(struct objhash_table *t)
{
	get_random_bytes(&t->tie_secret, sizeof(t->tie_secret));
	get_random_bytes(&t->cursor_key, sizeof(t->cursor_key));
	t->instance = get_random_u32();
	/* Frees make progress under memory pressure: they are its cure. */
	t->reclaim_wq = alloc_workqueue("objhash_reclaim",
					WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return t->reclaim_wq ? 0 : -ENOMEM;
}

/**
 * objhash_table_reclaim_singly - benchmark hook: free purged objects singly
 * @t: table
 * @singly: true: each object a purge releases gets its own call_rcu(), as
 *	before purges freed in batches, so a benchmark can compare the two
 *
 * Context: Any context.
 */
void objhash_table_reclaim_singly(struct objhash_table *t, bool singly)
{
	WRITE_ONCE(t->reclaim_singly, singly);
}
EXPORT_SYMBOL_GPL(objhash_table_reclaim_singly);

/**
 * objhash_walk_destroy - wait for a table's last reclaim, and free its queue
 * @t: table no purge runs on any more
 *
 * Context: Process context; sleeps.  The caller has waited for the grace
 * periods (rcu_barrier()) that queue the last batches.
 */
void objhash_walk_destroy(struct objhash_table *t)
{
	destroy_workqueue(t->reclaim_wq);
}
