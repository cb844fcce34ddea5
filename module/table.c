// SPDX-License-Identifier: GPL-2.0
/*
 * objhash table core: an array of buckets, each a chain of immutable
 * objects under its own spinlock.  Writers lock one bucket; readers walk a
 * chain under RCU and take no lock.  An object is never changed once it is
 * linked: a replace links a new object in place of the old one, so a reader
 * sees the whole old value or the whole new one.
 *
 * The array grows and shrinks with the number of objects (resize.c): while
 * a resize runs, the current array's @future is the array its objects are
 * moving into, bucket by bucket.  A reader that misses in one array looks
 * in its future; a writer acts where it finds the key, and links a new key
 * only into the last array.  Bucket i of an array of 2^bits holds the hash
 * interval [i, i + 1) / 2^bits whatever the size (see struct
 * objhash_array), which is what lets a purge walk hash space across
 * resizes.
 *
 * Lifetime: the table owns one reference to every linked object (kref_init()
 * at allocation).  Whoever unlinks an object drops that reference after
 * releasing the bucket lock; a reader that needs an object past its RCU
 * section takes its own reference inside it.  The last put frees the object
 * after an RCU grace period, so a reader still walking the chain may read an
 * unlinked object until it leaves its RCU section, never after.
 *
 * Objects themselves (their memory, allocation, release and values) are
 * obj.c's.
 *
 * The callers are trusted to pass valid lengths and flags (dev.c checks
 * what userspace sends); keys are kernel memory, values are reached through
 * the objhash_obj_value_*() accessors.
 */

#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/kmemleak.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/processor.h>
#include <linux/random.h>
#include <linux/rculist_nulls.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "table_internal.h"

/* Is @obj, linked in an array of @epoch, the object of @key? */
static __always_inline bool objhash_obj_matches(const struct objhash_obj *obj,
						u32 epoch, const void *key,
						u32 key_len, u32 hash)
{
	return obj->hash[epoch & 1] == hash && obj->key_len == key_len &&
	       objhash_key_equal(obj->data, key, key_len);
}

/* Find @key in @b, a bucket of an array of @epoch; caller holds @b->lock. */
static struct objhash_obj *__objhash_find_locked(struct objhash_bucket *b,
						 u32 epoch, const void *key,
						 u32 key_len, u32 hash,
						 unsigned int *len)
{
	struct hlist_nulls_node *pos;
	struct objhash_obj *obj;

	lockdep_assert_held(&b->lock);
	*len = 0;
	hlist_nulls_for_each_entry(obj, pos, &b->chain, node) {
		if (objhash_obj_matches(obj, epoch, key, key_len, hash))
			return obj;
		(*len)++;
	}
	return NULL;
}

/*
 * Find @key under RCU, in the current array and then in each future one: a
 * key linked for the whole call is found, however many resizes overlap it.
 *
 * The resizer moves the last object of an old chain to the head of a new
 * one, then unlinks it from the old chain.  A reader that no longer finds
 * a moved object in the old chain saw its unlink, which the resizer
 * published after the object's link into @future and after @future itself
 * (release stores), so after the smp_rmb() it finds both.  A reader
 * standing on the moved object follows it into the new chain; having seen
 * everything before it in its own chain, it loses nothing, but it is now
 * on a chain that ends in a nulls marker not its bucket's: it restarts its
 * bucket rather than trust a foreign chain (at most once per object that
 * moves out), so the walk stays correct even if objects ever move from
 * elsewhere than a chain's tail.  The result may already be unlinked.
 *
 * Inlined into its two callers: the lookup is the hot path, and a call
 * (a return thunk on mitigated CPUs) plus saving the registers this walk
 * needs cost as much as the walk of a short chain.
 */
static __always_inline struct objhash_obj *
objhash_find_rcu(struct objhash_table *t, const void *key, u32 key_len)
{
	struct objhash_array *a = rcu_dereference(t->tbl);
	struct hlist_nulls_node *pos;
	struct objhash_obj *obj;
	u32 epoch = a->epoch, hash = objhash_array_hash(a, key, key_len);

	do {
		struct objhash_bucket *b;

		if (a->epoch != epoch) {
			epoch = a->epoch;
			hash = objhash_array_hash(a, key, key_len);
		}
		b = objhash_array_bucket(a, hash);
restart:
		hlist_nulls_for_each_entry_rcu(obj, pos, &b->chain, node) {
			if (objhash_obj_matches(obj, epoch, key, key_len, hash))
				return obj;
		}
		if (get_nulls_value(pos) != objhash_nulls(b))
			goto restart;
		/* Pairs with the resizer's release stores: see above. */
		smp_rmb();
		a = rcu_dereference(a->future);
	} while (a);
	return NULL;
}

/*
 * Lock the bucket a write on @key acts in: the first array, from the
 * current one on, whose bucket holds @key, or the bucket of the last array
 * if none does (NeilBrown's rule for rhashtable: only the last array gets
 * new objects, so no key is ever linked twice).  Reading @future under the
 * bucket lock orders it with the resizer's moves: once a bucket was emptied
 * into @future, every writer that locks it sees @future.
 *
 * Caller holds rcu_read_lock(), which keeps the arrays.  On return the
 * bucket's lock is held; *@found is the key's object or NULL, *@arr the
 * bucket's array, *@hash the key's hash under its secret, *@len the number
 * of objects walked past.
 */
static struct objhash_bucket *objhash_lock_key(struct objhash_table *t,
					       const void *key, u32 key_len,
					       struct objhash_array **arr,
					       u32 *hash, unsigned int *len,
					       struct objhash_obj **found)
	__acquires(bucket)
{
	struct objhash_array *a = rcu_dereference(t->tbl), *next;
	u32 epoch = a->epoch, h = objhash_array_hash(a, key, key_len);
	struct objhash_bucket *b;

	for (;;) {
		if (a->epoch != epoch) {
			epoch = a->epoch;
			h = objhash_array_hash(a, key, key_len);
		}
		b = objhash_array_bucket(a, h);
		spin_lock(&b->lock);
		*found = __objhash_find_locked(b, epoch, key, key_len, h, len);
		next = rcu_dereference(a->future);
		if (*found || !next)
			break;
		spin_unlock(&b->lock);
		a = next;
	}
	*arr = a;
	*hash = h;
	return b;
}

/*
 * Add @delta to @v unless that takes it past @max; shrinking always works.
 * A compare-and-exchange loop, so a charge that does not fit is never
 * added, not even for an instant: a big insert that fails cannot make a
 * concurrent small one fail, nor STATS show more than the limit.
 */
static bool objhash_charge_one(atomic_long_t *v, long delta, unsigned long max)
{
	long old = atomic_long_read(v);

	if (delta <= 0) {
		atomic_long_add(delta, v);
		return true;
	}
	do {
		if ((unsigned long)old + delta > max ||
		    (unsigned long)old + delta < (unsigned long)old)
			return false;
	} while (!atomic_long_try_cmpxchg(v, &old, old + delta));
	return true;
}

/*
 * Charge @nr objects, @bytes bytes and @mem bytes of memory against the
 * limits, all or nothing.  Only growth is
 * refused, so lowering a limit below what the table holds keeps what is
 * there, and a replace that does not grow the table always fits.  The
 * object slot, then the bytes, are taken first and given back if what
 * follows does not fit: a create racing one refused for its bytes or its
 * memory, at exactly max_objects or max_bytes, may be refused too (both
 * were at a limit); one that fits all three never is otherwise.
 */
static int objhash_charge(struct objhash_table *t, long nr, long bytes,
			  long mem)
{
	const struct objhash_limits *l = t->limits;

	if (!objhash_charge_one(&t->nr_objects, nr, READ_ONCE(l->max_objects)))
		return -ENOSPC;
	if (!objhash_charge_one(&t->nr_bytes, bytes, READ_ONCE(l->max_bytes)))
		goto uncharge_objects;
	if (!objhash_charge_one(&t->nr_memory, mem, READ_ONCE(l->max_memory)))
		goto uncharge_bytes;
	return 0;

uncharge_bytes:
	atomic_long_sub(bytes, &t->nr_bytes);
uncharge_objects:
	atomic_long_sub(nr, &t->nr_objects);
	return -ENOSPC;
}

/* Decide what an insert does to the key's current object @old. */
static int objhash_insert_check(u32 flags, u64 expect_version,
				const struct objhash_obj *old)
{
	if (!old) {
		if (expect_version || (flags & OBJHASH_INSERT_NOCREATE))
			return -ENOENT;
		return 0;
	}
	if (!(flags & OBJHASH_INSERT_REPLACE))
		return -EEXIST;
	if (expect_version && old->version != expect_version)
		return -ESTALE;
	return 0;
}

/*
 * @obj was just unlinked: it is pending until __objhash_obj_reclaim() frees
 * it.  Its memory moves from linked to pending (whoever unlinked it
 * uncharged it).
 */
static void __objhash_pending_add(struct objhash_table *t,
				  struct objhash_obj *obj)
{
	atomic_long_add(objhash_obj_mem(obj), &t->nr_pending_memory);
	atomic_long_inc(&t->nr_pending);
}

/*
 * Unlink @obj from @b, whose lock the caller holds, and uncharge it; the
 * caller drops the table's reference once the lock is released.
 */
void __objhash_unlink(struct objhash_table *t, struct objhash_bucket *b,
		      struct objhash_obj *obj)
{
	lockdep_assert_held(&b->lock);

	hlist_nulls_del_rcu(&obj->node);
	atomic_long_dec(&t->nr_objects);
	atomic_long_sub(objhash_obj_bytes(obj), &t->nr_bytes);
	atomic_long_sub(objhash_obj_mem(obj), &t->nr_memory);
	__objhash_pending_add(t, obj);
}

/*
 * Put @new where @old is in its chain, in one store a reader can see:
 * before it the chain holds @old, after it @new, never neither
 * (hlist_replace_rcu() for nulls lists, which 6.1 lacks).
 */
static void objhash_nulls_replace_rcu(struct hlist_nulls_node *old,
				      struct hlist_nulls_node *new)
{
	struct hlist_nulls_node *next = old->next;

	new->next = next;
	new->pprev = old->pprev;
	rcu_assign_pointer(*(struct hlist_nulls_node __rcu __force **)new->pprev,
			   new);
	if (!is_a_nulls(next))
		WRITE_ONCE(next->pprev, &new->next);
	WRITE_ONCE(old->pprev, LIST_POISON2);
}

/* Link @obj in place of @old, or at the head of @b if @old is NULL. */
static void __objhash_link(struct objhash_table *t, struct objhash_bucket *b,
			   struct objhash_obj *obj, struct objhash_obj *old)
{
	lockdep_assert_held(&b->lock);

	/* Under the lock, so purge's version cut sees the link (see above). */
	obj->version = atomic64_inc_return(&t->version);
	if (!old) {
		hlist_nulls_add_head_rcu(&obj->node, &b->chain);
		return;
	}
	objhash_nulls_replace_rcu(&old->node, &obj->node);
	__objhash_pending_add(t, old);
}

/**
 * objhash_insert - create or replace a key's object
 * @t: table
 * @obj: filled object from objhash_obj_alloc()
 * @flags: OBJHASH_INSERT_* bits; objhash_insert_flags_valid() must hold
 * @expect_version: 0, or the version the replaced object must have
 * @version: receives the version given to @obj
 *
 * On success the table owns @obj and the caller must not touch it again;
 * a replaced object is unlinked in the same step and the table's reference
 * to it dropped after the bucket lock is released.  On failure @obj is
 * still the caller's.  A resize never fails or delays an insert beyond the
 * move of one bucket; an insert that finds the table over its load asks
 * for one.
 *
 * Context: Process context, never softirq or hardirq (the bucket locks
 * are plain spinlocks: every writer of a table must run in process
 * context); takes one bucket lock at a time.
 * Return: 0, -EEXIST (present, no REPLACE), -ENOENT (absent with NOCREATE
 * or @expect_version), -ESTALE (version differs), -ENOSPC (limits),
 * -EINVAL (@obj belongs to another table or the flags are not valid: the
 * caller's bug, logged; nothing changes).
 */
int objhash_insert(struct objhash_table *t, struct objhash_obj *obj,
		   u32 flags, u64 expect_version, u64 *version)
{
	struct objhash_array *a;
	struct objhash_bucket *b;
	struct objhash_obj *old;
	unsigned int len;
	long bytes, mem;
	u32 hash;
	int err;

	/* A caller's bug; refused, so it cannot corrupt another table. */
	if (obj->table != t ||
	    !objhash_insert_flags_valid(flags, expect_version)) {
		pr_err_ratelimited("objhash: %ps: object of another table or flags %#x\n",
				   __builtin_return_address(0), flags);
		return -EINVAL;
	}

	rcu_read_lock();
	b = objhash_lock_key(t, obj->data, obj->key_len, &a, &hash, &len, &old);
	err = objhash_insert_check(flags, expect_version, old);
	if (err)
		goto unlock;
	bytes = objhash_obj_bytes(obj) - (old ? objhash_obj_bytes(old) : 0);
	mem = objhash_obj_mem(obj) - (old ? objhash_obj_mem(old) : 0);
	err = objhash_charge(t, old ? 0 : 1, bytes, mem);
	if (err)
		goto unlock;
	obj->hash[a->epoch & 1] = hash;
	__objhash_link(t, b, obj, old);
	*version = obj->version;
unlock:
	spin_unlock(&b->lock);
	rcu_read_unlock();
	if (len > READ_ONCE(t->max_chain))
		WRITE_ONCE(t->max_chain, len);
	if (len >= OBJHASH_CHAIN_MAX)
		objhash_rehash_request(t);
	if (err)
		return err;

	if (old) {
		objhash_obj_put(old);
		objhash_count(t, OBJHASH_EV_REPLACES, 1);
	} else {
		objhash_count(t, OBJHASH_EV_INSERTS, 1);
		objhash_resize_check(t);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(objhash_insert);

static int objhash_value_fill(struct objhash_obj *obj, struct objhash_value *v)
{
	v->len = obj->value_len;
	v->version = obj->version;
	if (v->len > v->max_len)
		return 0;
	if (v->len <= v->buf_size) {
		/*
		 * An inline value, at constant offsets; a paged one (only a
		 * caller with a buffer over a page meets one) page by page.
		 */
		if (likely(!objhash_obj_paged(obj)))
			objhash_value_copy(v->buf, obj->data + obj->key_len,
					   v->len);
		else
			objhash_obj_value_read(obj, 0, v->buf, v->len);
		return 0;
	}
	if (!objhash_obj_tryget(obj))
		return -EAGAIN;
	v->obj = obj;
	return 0;
}

/**
 * objhash_lookup - find a key and read its value
 * @t: table
 * @key: key bytes
 * @key_len: 1..OBJHASH_KEY_MAX
 * @v: buffer and limits in, value out; see struct objhash_value
 *
 * Takes no lock.  A value that fits @v->buf is copied there under RCU; a
 * larger one up to @v->max_len is returned as a referenced object in
 * @v->obj; a value longer than @v->max_len is only measured.  In every case
 * @v->len and @v->version describe the same value, one that was linked at
 * some point during the call.  A key linked for the whole call is found,
 * whatever resizes run meanwhile.
 *
 * Context: Any context but NMI; does not sleep.
 * Return: 0 if the key was found, -ENOENT if not.
 */
int objhash_lookup(struct objhash_table *t, const void *key, u32 key_len,
		   struct objhash_value *v)
{
	struct objhash_obj *obj;
	int err;

	v->obj = NULL;
	rcu_read_lock();
	for (;;) {
		obj = objhash_find_rcu(t, key, key_len);
		err = obj ? objhash_value_fill(obj, v) : -ENOENT;
		if (err != -EAGAIN)
			break;
		/*
		 * A failed get means the object was unlinked and released
		 * while we looked at it: its replacement, if any, is linked
		 * already, so look again.  A failed get reads the zero with
		 * a relaxed load: order it before the new walk, so the walk
		 * sees the unlink that preceded the release (pairs with the
		 * release of the unlinker's spin_unlock() and of
		 * refcount_dec_and_test()).
		 */
		smp_rmb();
		cpu_relax();
	}
	rcu_read_unlock();
	return err;
}
EXPORT_SYMBOL_GPL(objhash_lookup);

/**
 * objhash_lookup_rcu - find a key inside the caller's RCU read section
 * @t: table
 * @key: key bytes
 * @key_len: 1..OBJHASH_KEY_MAX
 *
 * For callers that read the object within their own rcu_read_lock()
 * section, without a reference: the object stays in memory until the
 * section ends, but may already be unlinked (replaced or deleted) when
 * it is returned.  Read it with objhash_obj_key(), objhash_obj_value_read()
 * and the other accessors; to keep it past the section, use objhash_lookup().
 *
 * Context: Inside rcu_read_lock().
 * Return: the object, or NULL if the key is absent.
 */
struct objhash_obj *objhash_lookup_rcu(struct objhash_table *t,
				       const void *key, u32 key_len)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "objhash: a lookup under RCU outside an RCU read section");
	return objhash_find_rcu(t, key, key_len);
}
EXPORT_SYMBOL_GPL(objhash_lookup_rcu);

/**
 * objhash_table_count_lookup - count one LOOKUP command in the stats
 * @t: table
 * @hit: whether the command found its key
 *
 * objhash_lookup() counts nothing, because one command may look a key up
 * more than once (LOOKUP_DELETE retries when it loses a race to a replace);
 * whoever serves the command counts it once, with its outcome.
 *
 * Context: Any context but NMI.
 */
void objhash_table_count_lookup(struct objhash_table *t, bool hit)
{
	objhash_count(t, OBJHASH_EV_LOOKUPS, 1);
	if (hit)
		objhash_count(t, OBJHASH_EV_HITS, 1);
}
EXPORT_SYMBOL_GPL(objhash_table_count_lookup);

/**
 * objhash_remove - unlink a key's object
 * @t: table
 * @key: key bytes
 * @key_len: 1..OBJHASH_KEY_MAX
 * @expect_version: 0, or the version the object must have
 *
 * The table's reference is dropped after the bucket lock is released; the
 * memory goes back once the last holder drops its own and a grace period
 * has passed.
 *
 * Context: Process context; takes one bucket lock at a time.
 * Return: 0, -ENOENT if absent, -ESTALE if the version differs.
 */
int objhash_remove(struct objhash_table *t, const void *key, u32 key_len,
		   u64 expect_version)
{
	struct objhash_array *a;
	struct objhash_bucket *b;
	struct objhash_obj *obj;
	unsigned int len;
	u32 hash;
	int err = 0;

	rcu_read_lock();
	b = objhash_lock_key(t, key, key_len, &a, &hash, &len, &obj);
	if (!obj)
		err = -ENOENT;
	else if (expect_version && obj->version != expect_version)
		err = -ESTALE;
	else
		__objhash_unlink(t, b, obj);
	spin_unlock(&b->lock);
	rcu_read_unlock();
	if (err)
		return err;

	objhash_obj_put(obj);
	objhash_count(t, OBJHASH_EV_DELETES, 1);
	objhash_resize_check(t);
	return 0;
}
EXPORT_SYMBOL_GPL(objhash_remove);

/**
 * objhash_table_version - the last version a table handed out
 * @t: table
 *
 * Context: Any context.
 * Return: the version, 0 before the first insert.
 */
u64 objhash_table_version(struct objhash_table *t)
{
	return atomic64_read(&t->version);
}
EXPORT_SYMBOL_GPL(objhash_table_version);

/* Objects created so far (the per-CPU inserts counters, summed). */
u64 objhash_table_creates(struct objhash_table *t)
{
	u64 n = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		u64 ev[OBJHASH_NR_EVENTS];

		objhash_pcpu_read(per_cpu_ptr(t->stats, cpu), ev);
		n += ev[OBJHASH_EV_INSERTS];
	}
	return n;
}

/**
 * objhash_table_stats - read a table's counters and limits
 * @t: table
 * @st: filled with a snapshot
 *
 * Writers are not stopped: each counter may lag the calls running
 * concurrently, by those calls alone.
 *
 * Context: Any context but NMI.
 */
void objhash_table_stats(struct objhash_table *t, struct objhash_stats *st)
{
	const struct objhash_limits *l = t->limits;
	int cpu;

	memset(st, 0, sizeof(*st));
	st->objects = atomic_long_read(&t->nr_objects);
	st->bytes = atomic_long_read(&t->nr_bytes);
	st->pending_release = atomic_long_read(&t->nr_pending);
	rcu_read_lock();
	st->buckets = BIT_ULL(rcu_dereference(t->tbl)->bits);
	rcu_read_unlock();
	st->version = atomic64_read(&t->version);
	st->max_objects = READ_ONCE(l->max_objects);
	st->max_bytes = READ_ONCE(l->max_bytes);
	st->max_value_len = READ_ONCE(l->max_value_len);
	for_each_possible_cpu(cpu) {
		u64 ev[OBJHASH_NR_EVENTS];

		objhash_pcpu_read(per_cpu_ptr(t->stats, cpu), ev);
		st->inserts += ev[OBJHASH_EV_INSERTS];
		st->replaces += ev[OBJHASH_EV_REPLACES];
		st->deletes += ev[OBJHASH_EV_DELETES];
		st->purged += ev[OBJHASH_EV_PURGED];
		st->lookups += ev[OBJHASH_EV_LOOKUPS];
		st->hits += ev[OBJHASH_EV_HITS];
	}
	st->min_buckets = BIT_ULL(t->min_bits);
	st->max_buckets = BIT_ULL(t->max_bits);
	st->grows = READ_ONCE(t->grows);
	st->shrinks = READ_ONCE(t->shrinks);
	st->resize_failed = READ_ONCE(t->resize_failed);
	st->max_chain = READ_ONCE(t->max_chain);
	st->rehashes = READ_ONCE(t->rehashes);
	st->rehashes_deferred = READ_ONCE(t->rehashes_deferred);
	st->pending_memory = atomic_long_read(&t->nr_pending_memory);
	st->memory = atomic_long_read(&t->nr_memory) + st->pending_memory;
	st->max_memory = READ_ONCE(l->max_memory);
	st->throttled = atomic_long_read(&t->throttled);
}
EXPORT_SYMBOL_GPL(objhash_table_stats);

/**
 * objhash_table_chains - histogram of chain lengths
 * @t: table
 * @hist: @nr counters: @hist[i] counts chains of length i, the last one
 *	chains of length @nr - 1 or more
 * @nr: number of counters; 0 does nothing
 *
 * Walks the current array with resizes held off, so every bucket is
 * counted once.
 *
 * Context: Process context; sleeps.
 */
void objhash_table_chains(struct objhash_table *t, unsigned long *hist,
			  unsigned int nr)
{
	struct objhash_array *a;
	unsigned long i;

	if (!nr)
		return;
	memset(hist, 0, nr * sizeof(*hist));
	mutex_lock(&t->resize_mutex);
	a = rcu_dereference_protected(t->tbl,
				      lockdep_is_held(&t->resize_mutex));
	for (i = 0; i < BIT(a->bits); i++) {
		struct hlist_nulls_node *pos;
		struct objhash_obj *obj;
		unsigned int len = 0;

		rcu_read_lock();
		hlist_nulls_for_each_entry_rcu(obj, pos, &a->b[i].chain, node)
			len++;
		rcu_read_unlock();
		hist[min(len, nr - 1)]++;
		if (!(i % 1024))
			cond_resched();
	}
	mutex_unlock(&t->resize_mutex);
}
EXPORT_SYMBOL_GPL(objhash_table_chains);

/**
 * objhash_table_create - allocate an empty table
 * @min_bits: log2 of the initial and smallest number of buckets, 1..28
 * @max_bits: log2 of the largest number of buckets, @min_bits..28; equal
 *	to @min_bits for a table that never resizes
 * @limits: limits to enforce; must outlive the table
 *
 * Context: Process context; sleeps.
 * Return: the table, or NULL if memory ran out or the sizes are invalid.
 */
struct objhash_table *objhash_table_create(unsigned int min_bits,
					   unsigned int max_bits,
					   const struct objhash_limits *limits)
{
	struct objhash_table *t;
	struct objhash_array *a;
	hsiphash_key_t secret;
	int cpu;

	if (!min_bits || min_bits > max_bits || max_bits > OBJHASH_BITS_LIMIT)
		return NULL;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	get_random_bytes(&secret, sizeof(secret));
	a = objhash_array_alloc(min_bits, 0, &secret, GFP_KERNEL);
	if (!a)
		goto free_table;
	t->stats = alloc_percpu(struct objhash_pcpu_stats);
	if (!t->stats)
		goto free_array;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(t->stats, cpu)->syncp);
	RCU_INIT_POINTER(t->tbl, a);
	t->min_bits = min_bits;
	t->max_bits = max_bits;
	t->limits = limits;
	if (objhash_walk_init(t))
		goto free_stats;
	objhash_resize_init(t);
	return t;

free_stats:
	free_percpu(t->stats);
free_array:
	objhash_array_free(a);
free_table:
	kfree(t);
	return NULL;
}
EXPORT_SYMBOL_GPL(objhash_table_create);

/**
 * objhash_table_destroy - empty and free a table
 * @t: table no one else uses any more, and whose objects no one holds
 *	(if some are still held, @t itself is leaked, with an error logged,
 *	so that their last put stays safe)
 *
 * Stops the resizer (a resize under way finishes first), unlinks every
 * object, then waits for the queued frees (rcu_barrier(), then the
 * reclaim workqueue, which the grace periods fed), so that no work item
 * or RCU callback runs after the module that owns the table is gone.
 *
 * Context: Process context; sleeps.
 */
void objhash_table_destroy(struct objhash_table *t)
{
	u64 purged;

	objhash_resize_stop(t);
	__objhash_purge(t, U64_MAX, NULL, 0, false, &purged);
	rcu_barrier();
	objhash_walk_destroy(t);
	free_percpu(t->stats);
	objhash_array_free(rcu_dereference_protected(t->tbl, true));
	/*
	 * Objects still held: the caller's bug.  Their last put will count
	 * them off @t->nr_pending, so @t stays, leaked on purpose (and
	 * told so to kmemleak), rather than be written after it is freed.
	 */
	if (atomic_long_read(&t->nr_pending)) {
		pr_err("objhash: %ps destroyed a table with %ld objects still held; the table is leaked\n",
		       __builtin_return_address(0),
		       atomic_long_read(&t->nr_pending));
		kmemleak_not_leak(t);
		return;
	}
	kfree(t);
}
EXPORT_SYMBOL_GPL(objhash_table_destroy);
