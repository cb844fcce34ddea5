// SPDX-License-Identifier: GPL-2.0
/*
 * objhash table core: a fixed array of buckets, each a chain of immutable
 * objects under its own spinlock.  Writers lock one bucket; readers walk a
 * chain under RCU and take no lock.  An object is never changed once it is
 * linked: a replace links a new object in place of the old one, so a reader
 * sees the whole old value or the whole new one.
 *
 * Lifetime: the table owns one reference to every linked object (kref_init()
 * at allocation).  Whoever unlinks an object drops that reference after
 * releasing the bucket lock; a reader that needs an object past its RCU
 * section takes its own reference inside it.  The last put frees the object
 * after an RCU grace period, so a reader still walking the chain may read an
 * unlinked object until it leaves its RCU section, never after.
 *
 * The callers are trusted to pass valid lengths and flags (dev.c checks
 * what userspace sends); keys and values are kernel memory.
 */

#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "table.h"

/*
 * Objects up to OBJHASH_CACHE_MAX bytes come from caches spaced every
 * OBJHASH_CACHE_STEP bytes, so a small object wastes less than a step where
 * kmalloc's classes waste up to a third (a 144-byte object would take 192).
 * Larger objects come from kvmalloc(), which can fall back to vmalloc for
 * values of up to OBJHASH_VALUE_MAX.
 */
#define OBJHASH_CACHE_STEP	16
#define OBJHASH_CACHE_MAX	512

/**
 * struct objhash_obj - one key and its value
 * @node: link in its bucket's chain; changed under the bucket lock, walked
 *	under RCU
 * @purge_next: purge's private list, used only between the unlink and the
 *	put of the table's reference, so it can share space with @rcu
 * @rcu: queues the free after the last put
 * @table: the table the object belongs to, for the free-time accounting
 * @version: the version given when linked; never changes afterwards
 * @ref: references: the table's while linked, plus one per user
 * @hash: low 32 bits of the keyed hash of the key
 * @value_len: bytes of value, stored after the key in @data
 * @key_len: bytes of key, at the start of @data
 * @data: key, then value
 *
 * Everything but @node, @ref and the union is written before the object is
 * published and never again, which is what lets readers copy it locklessly.
 */
struct objhash_obj {
	struct hlist_node node;
	union {
		struct objhash_obj *purge_next;
		struct rcu_head rcu;
	};
	struct objhash_table *table;
	u64 version;
	struct kref ref;
	u32 hash;
	u32 value_len;
	u16 key_len;
	u8 data[];
};

/*
 * struct objhash_bucket - one hash chain
 *
 * @lock serializes every change of @chain: insert, replace, remove and purge
 * take it, from process context only, one bucket at a time (no lock nests
 * in another).  Readers take no lock: they walk @chain under rcu_read_lock()
 * while it changes, which the _rcu list primitives make safe.  The lock also
 * orders the version counter with the links: a version is taken and the
 * object linked inside one critical section, so a purge that read the
 * counter before locking a bucket sees every object with a version up to it.
 */
struct objhash_bucket {
	struct hlist_head chain;	/* protected by @lock, RCU for readers */
	spinlock_t lock;		/* protects @chain */
};

/* Event counters, per CPU so that counting a lookup writes no shared line. */
struct objhash_pcpu_stats {
	u64 inserts;
	u64 replaces;
	u64 deletes;
	u64 purged;
	u64 lookups;
	u64 hits;
};

/**
 * struct objhash_table - a hashtable of objects
 * @buckets: 1 << @bits buckets, allocated at creation and never resized
 * @bits: log2 of the number of buckets
 * @secret: hsiphash key, random per table, so no one can choose colliding
 *	keys; hsiphash is the siphash variant meant for hashtable indexing
 * @limits: caller-owned limits, read with READ_ONCE()
 * @version: last version handed out; incremented under a bucket lock
 * @nr_objects: linked objects, charged under the bucket lock before linking
 * @nr_bytes: key + value bytes of linked objects, charged likewise
 * @nr_pending: unlinked objects not yet freed
 * @stats: per-CPU event counters
 */
struct objhash_table {
	struct objhash_bucket *buckets;
	unsigned int bits;
	hsiphash_key_t secret;
	const struct objhash_limits *limits;
	atomic64_t version;
	atomic_long_t nr_objects;
	atomic_long_t nr_bytes;
	atomic_long_t nr_pending;
	struct objhash_pcpu_stats __percpu *stats;
};

/* Indexed by size / OBJHASH_CACHE_STEP - 1; NULL below the smallest object. */
static struct kmem_cache *objhash_caches[OBJHASH_CACHE_MAX / OBJHASH_CACHE_STEP];

static struct kmem_cache *objhash_cache(size_t size)
{
	if (size > OBJHASH_CACHE_MAX)
		return NULL;
	return objhash_caches[DIV_ROUND_UP(size, OBJHASH_CACHE_STEP) - 1];
}

static u32 objhash_hash(const struct objhash_table *t, const void *key,
			u32 key_len)
{
	return hsiphash(key, key_len, &t->secret);
}

static struct objhash_bucket *objhash_bucket(const struct objhash_table *t,
					     u32 hash)
{
	return &t->buckets[hash & ((1U << t->bits) - 1)];
}

static size_t objhash_obj_bytes(const struct objhash_obj *obj)
{
	return obj->key_len + obj->value_len;
}

static size_t objhash_obj_size(u32 key_len, u32 value_len)
{
	return struct_size_t(struct objhash_obj, data, key_len + value_len);
}

static bool objhash_obj_matches(const struct objhash_obj *obj, const void *key,
				u32 key_len, u32 hash)
{
	return obj->hash == hash && obj->key_len == key_len &&
	       !memcmp(obj->data, key, key_len);
}

/*
 * Find @key in @b's chain.  Legal under RCU, where the result may already
 * be unlinked, or under the bucket lock, where it is linked until unlock.
 */
static struct objhash_obj *__objhash_find(struct objhash_bucket *b,
					  const void *key, u32 key_len, u32 hash)
{
	struct objhash_obj *obj;

	hlist_for_each_entry_rcu(obj, &b->chain, node,
				 lockdep_is_held(&b->lock)) {
		if (objhash_obj_matches(obj, key, key_len, hash))
			return obj;
	}
	return NULL;
}

static void __objhash_obj_free(struct objhash_obj *obj)
{
	struct kmem_cache *c;

	c = objhash_cache(objhash_obj_size(obj->key_len, obj->value_len));
	if (c)
		kmem_cache_free(c, obj);
	else
		kvfree(obj);
}

static void objhash_obj_free_rcu(struct rcu_head *head)
{
	struct objhash_obj *obj = container_of(head, struct objhash_obj, rcu);

	atomic_long_dec(&obj->table->nr_pending);
	__objhash_obj_free(obj);
}

static void objhash_obj_release(struct kref *ref)
{
	struct objhash_obj *obj = container_of(ref, struct objhash_obj, ref);

	/* Readers that found it before the unlink may still be reading it. */
	call_rcu(&obj->rcu, objhash_obj_free_rcu);
}

/**
 * objhash_obj_put - drop a reference to an object
 * @obj: object whose reference the caller owns
 *
 * The last put frees @obj after an RCU grace period.
 *
 * Context: Any context; does not sleep.
 */
void objhash_obj_put(struct objhash_obj *obj)
{
	kref_put(&obj->ref, objhash_obj_release);
}
EXPORT_SYMBOL_GPL(objhash_obj_put);

static bool __must_check objhash_obj_get(struct objhash_obj *obj)
{
	return kref_get_unless_zero(&obj->ref);
}

/**
 * objhash_obj_alloc - allocate an object for objhash_insert()
 * @t: table the object is for
 * @key_len: 1..OBJHASH_KEY_MAX
 * @value_len: 0..the table's max_value_len
 * @gfp: allocation flags; GFP_KERNEL_ACCOUNT charges the caller's memcg
 *
 * The caller fills objhash_obj_key() and objhash_obj_value() and then
 * passes the object to objhash_insert(), or frees it with objhash_obj_free().
 *
 * Context: Process context; may sleep if @gfp allows.
 * Return: the object, or ERR_PTR(-EINVAL) for a bad @key_len,
 * ERR_PTR(-EMSGSIZE) for a @value_len over the limit, ERR_PTR(-ENOMEM).
 */
struct objhash_obj *objhash_obj_alloc(struct objhash_table *t, u32 key_len,
				      u32 value_len, gfp_t gfp)
{
	struct objhash_obj *obj;
	struct kmem_cache *c;
	size_t size;

	if (!key_len || key_len > OBJHASH_KEY_MAX)
		return ERR_PTR(-EINVAL);
	if (value_len > READ_ONCE(t->limits->max_value_len))
		return ERR_PTR(-EMSGSIZE);

	size = objhash_obj_size(key_len, value_len);
	c = objhash_cache(size);
	obj = c ? kmem_cache_alloc(c, gfp) : kvmalloc(size, gfp);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	obj->table = t;
	obj->key_len = key_len;
	obj->value_len = value_len;
	kref_init(&obj->ref);
	return obj;
}
EXPORT_SYMBOL_GPL(objhash_obj_alloc);

/**
 * objhash_obj_free - free an object that was never inserted
 * @obj: object from objhash_obj_alloc() that objhash_insert() did not take
 *
 * Context: Process context.
 */
void objhash_obj_free(struct objhash_obj *obj)
{
	__objhash_obj_free(obj);
}
EXPORT_SYMBOL_GPL(objhash_obj_free);

/**
 * objhash_obj_key - the key bytes of an object
 * @obj: object the caller holds, or is filling before objhash_insert()
 *
 * Context: Any context.
 * Return: pointer to the object's key_len bytes of key.
 */
void *objhash_obj_key(struct objhash_obj *obj)
{
	return obj->data;
}
EXPORT_SYMBOL_GPL(objhash_obj_key);

/**
 * objhash_obj_value - the value bytes of an object
 * @obj: object the caller holds, or is filling before objhash_insert()
 *
 * Context: Any context.  An inserted object's value must not be written.
 * Return: pointer to the object's value_len bytes of value.
 */
void *objhash_obj_value(struct objhash_obj *obj)
{
	return obj->data + obj->key_len;
}
EXPORT_SYMBOL_GPL(objhash_obj_value);

/* Add @delta to @v unless that grows it past @max; shrinking always works. */
static bool objhash_charge_one(atomic_long_t *v, long delta, unsigned long max)
{
	if (delta <= 0) {
		atomic_long_add(delta, v);
		return true;
	}
	if ((unsigned long)atomic_long_add_return(delta, v) <= max)
		return true;
	atomic_long_sub(delta, v);
	return false;
}

/*
 * Charge @nr objects and @bytes bytes against the limits.  Only growth is
 * refused, so lowering a limit below what the table holds keeps what is
 * there, and a replace that does not grow the table always fits.  A create
 * refused for its bytes holds its object slot for an instant, so a create
 * racing it at exactly max_objects may be refused too: both were at a limit.
 */
static int objhash_charge(struct objhash_table *t, long nr, long bytes)
{
	const struct objhash_limits *l = t->limits;

	if (!objhash_charge_one(&t->nr_objects, nr, READ_ONCE(l->max_objects)))
		return -ENOSPC;
	if (!objhash_charge_one(&t->nr_bytes, bytes, READ_ONCE(l->max_bytes))) {
		atomic_long_sub(nr, &t->nr_objects);
		return -ENOSPC;
	}
	return 0;
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

static void __objhash_unlink(struct objhash_table *t, struct objhash_bucket *b,
			     struct objhash_obj *obj)
{
	lockdep_assert_held(&b->lock);

	hlist_del_rcu(&obj->node);
	atomic_long_dec(&t->nr_objects);
	atomic_long_sub(objhash_obj_bytes(obj), &t->nr_bytes);
	atomic_long_inc(&t->nr_pending);
}

/* Link @obj in place of @old, or at the head of @b if @old is NULL. */
static void __objhash_link(struct objhash_table *t, struct objhash_bucket *b,
			   struct objhash_obj *obj, struct objhash_obj *old)
{
	lockdep_assert_held(&b->lock);

	/* Under the lock, so purge's version cut sees the link (see above). */
	obj->version = atomic64_inc_return(&t->version);
	if (!old) {
		hlist_add_head_rcu(&obj->node, &b->chain);
		return;
	}
	hlist_replace_rcu(&old->node, &obj->node);
	atomic_long_inc(&t->nr_pending);
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
 * still the caller's.
 *
 * Context: Process context; takes one bucket lock.
 * Return: 0, -EEXIST (present, no REPLACE), -ENOENT (absent with NOCREATE
 * or @expect_version), -ESTALE (version differs), -ENOSPC (limits).
 */
int objhash_insert(struct objhash_table *t, struct objhash_obj *obj,
		   u32 flags, u64 expect_version, u64 *version)
{
	struct objhash_bucket *b;
	struct objhash_obj *old;
	long bytes;
	int err;

	obj->hash = objhash_hash(t, obj->data, obj->key_len);
	b = objhash_bucket(t, obj->hash);

	spin_lock(&b->lock);
	old = __objhash_find(b, obj->data, obj->key_len, obj->hash);
	err = objhash_insert_check(flags, expect_version, old);
	if (err)
		goto unlock;
	bytes = objhash_obj_bytes(obj) - (old ? objhash_obj_bytes(old) : 0);
	err = objhash_charge(t, old ? 0 : 1, bytes);
	if (err)
		goto unlock;
	__objhash_link(t, b, obj, old);
	*version = obj->version;
unlock:
	spin_unlock(&b->lock);
	if (err)
		return err;

	if (old) {
		objhash_obj_put(old);
		this_cpu_inc(t->stats->replaces);
	} else {
		this_cpu_inc(t->stats->inserts);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(objhash_insert);

/*
 * Read @obj's value into @v; -EAGAIN if it was released under us.
 *
 * A value that fits the caller's buffer is copied under RCU with no
 * reference taken, so a lookup writes nothing shared: a kref get/put pair
 * would bounce the object's cache line between CPUs reading the same key.
 * A larger value is pinned instead, since the caller's copy may sleep.
 */
static int objhash_value_fill(struct objhash_obj *obj, struct objhash_value *v)
{
	v->len = obj->value_len;
	v->version = obj->version;
	if (v->len > v->max_len)
		return 0;
	if (v->len <= v->buf_size) {
		memcpy(v->buf, objhash_obj_value(obj), v->len);
		return 0;
	}
	if (!objhash_obj_get(obj))
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
 * some point during the call.
 *
 * Context: Any context but NMI; does not sleep.
 * Return: 0 if the key was found, -ENOENT if not.
 */
int objhash_lookup(struct objhash_table *t, const void *key, u32 key_len,
		   struct objhash_value *v)
{
	u32 hash = objhash_hash(t, key, key_len);
	struct objhash_bucket *b = objhash_bucket(t, hash);
	struct objhash_obj *obj;
	int err;

	v->obj = NULL;
	rcu_read_lock();
	do {
		/*
		 * A failed get means the object was unlinked and released
		 * while we looked at it: its replacement, if any, is linked
		 * already, so look again.
		 */
		obj = __objhash_find(b, key, key_len, hash);
		err = obj ? objhash_value_fill(obj, v) : -ENOENT;
	} while (err == -EAGAIN);
	rcu_read_unlock();
	return err;
}
EXPORT_SYMBOL_GPL(objhash_lookup);

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
	this_cpu_inc(t->stats->lookups);
	if (hit)
		this_cpu_inc(t->stats->hits);
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
 * Context: Process context; takes one bucket lock.
 * Return: 0, -ENOENT if absent, -ESTALE if the version differs.
 */
int objhash_remove(struct objhash_table *t, const void *key, u32 key_len,
		   u64 expect_version)
{
	u32 hash = objhash_hash(t, key, key_len);
	struct objhash_bucket *b = objhash_bucket(t, hash);
	struct objhash_obj *obj;
	int err = 0;

	spin_lock(&b->lock);
	obj = __objhash_find(b, key, key_len, hash);
	if (!obj)
		err = -ENOENT;
	else if (expect_version && obj->version != expect_version)
		err = -ESTALE;
	else
		__objhash_unlink(t, b, obj);
	spin_unlock(&b->lock);
	if (err)
		return err;

	objhash_obj_put(obj);
	this_cpu_inc(t->stats->deletes);
	return 0;
}
EXPORT_SYMBOL_GPL(objhash_remove);

/*
 * Unlink every object of @b with a version up to @cut, then drop the
 * table's references once the lock is released.
 */
static unsigned long objhash_purge_bucket(struct objhash_table *t,
					  struct objhash_bucket *b, u64 cut)
{
	struct objhash_obj *obj, *victims = NULL;
	struct hlist_node *tmp;
	unsigned long n = 0;

	spin_lock(&b->lock);
	hlist_for_each_entry_safe(obj, tmp, &b->chain, node) {
		if (obj->version > cut)
			continue;
		__objhash_unlink(t, b, obj);
		/* Readers may still follow obj->node: chain the victims apart. */
		obj->purge_next = victims;
		victims = obj;
		n++;
	}
	spin_unlock(&b->lock);

	while (victims) {
		obj = victims;
		victims = obj->purge_next;
		objhash_obj_put(obj);
	}
	return n;
}

static int __objhash_purge(struct objhash_table *t, u64 cut, bool killable,
			   u64 *purged)
{
	unsigned long i, nr = 1UL << t->bits;
	int err = 0;

	*purged = 0;
	for (i = 0; i < nr; i++) {
		*purged += objhash_purge_bucket(t, &t->buckets[i], cut);
		if (killable && fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		cond_resched();
	}
	this_cpu_add(t->stats->purged, *purged);
	return err;
}

/**
 * objhash_purge - unlink every object up to a version
 * @t: table
 * @max_version: unlink objects whose version is at most this; 0 means the
 *	table's version when the purge starts
 * @wait: return only once the purged objects that no one else holds are
 *	freed
 * @purged: receives the number of objects this call unlinked
 *
 * Objects created or replaced after the cut survive, however the purge and
 * the writes interleave.  Buckets are purged one at a time, each under its
 * own lock only while its objects are unlinked, so lookups and writes go on
 * meanwhile; nothing is freed under a lock.
 *
 * Context: Process context; sleeps.  A fatal signal stops it between buckets.
 * Return: 0, or -EINTR if stopped by a fatal signal (@purged still counts
 * what was unlinked).
 */
int objhash_purge(struct objhash_table *t, u64 max_version, bool wait,
		  u64 *purged)
{
	u64 cut = max_version ?: atomic64_read(&t->version);
	int err;

	err = __objhash_purge(t, cut, true, purged);
	/* Frees are queued by the last put; wait for every queued one. */
	if (wait)
		rcu_barrier();
	return err;
}
EXPORT_SYMBOL_GPL(objhash_purge);

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
	st->buckets = 1ULL << t->bits;
	st->version = atomic64_read(&t->version);
	st->max_objects = READ_ONCE(l->max_objects);
	st->max_bytes = READ_ONCE(l->max_bytes);
	st->max_value_len = READ_ONCE(l->max_value_len);
	for_each_possible_cpu(cpu) {
		const struct objhash_pcpu_stats *s = per_cpu_ptr(t->stats, cpu);

		st->inserts += READ_ONCE(s->inserts);
		st->replaces += READ_ONCE(s->replaces);
		st->deletes += READ_ONCE(s->deletes);
		st->purged += READ_ONCE(s->purged);
		st->lookups += READ_ONCE(s->lookups);
		st->hits += READ_ONCE(s->hits);
	}
}
EXPORT_SYMBOL_GPL(objhash_table_stats);

/**
 * objhash_table_chains - histogram of chain lengths
 * @t: table
 * @hist: @nr counters: @hist[i] counts chains of length i, the last one
 *	chains of length @nr - 1 or more
 * @nr: number of counters, at least 1
 *
 * Context: Process context; sleeps between buckets.
 */
void objhash_table_chains(struct objhash_table *t, unsigned long *hist,
			  unsigned int nr)
{
	unsigned long i, nr_buckets = 1UL << t->bits;

	memset(hist, 0, nr * sizeof(*hist));
	for (i = 0; i < nr_buckets; i++) {
		struct objhash_bucket *b = &t->buckets[i];
		struct objhash_obj *obj;
		unsigned int len = 0;

		rcu_read_lock();
		hlist_for_each_entry_rcu(obj, &b->chain, node)
			len++;
		rcu_read_unlock();
		hist[min(len, nr - 1)]++;
		if (!(i % 1024))
			cond_resched();
	}
}
EXPORT_SYMBOL_GPL(objhash_table_chains);

/**
 * objhash_table_create - allocate an empty table
 * @hash_bits: log2 of the number of buckets
 * @limits: limits to enforce; must outlive the table
 *
 * Context: Process context; sleeps.
 * Return: the table, or NULL if memory ran out.
 */
struct objhash_table *objhash_table_create(unsigned int hash_bits,
					   const struct objhash_limits *limits)
{
	unsigned long i, nr = 1UL << hash_bits;
	struct objhash_table *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	t->buckets = kvmalloc_array(nr, sizeof(*t->buckets), GFP_KERNEL);
	if (!t->buckets)
		goto free_table;
	t->stats = alloc_percpu(struct objhash_pcpu_stats);
	if (!t->stats)
		goto free_buckets;

	for (i = 0; i < nr; i++) {
		INIT_HLIST_HEAD(&t->buckets[i].chain);
		spin_lock_init(&t->buckets[i].lock);
	}
	t->bits = hash_bits;
	t->limits = limits;
	get_random_bytes(&t->secret, sizeof(t->secret));
	return t;

free_buckets:
	kvfree(t->buckets);
free_table:
	kfree(t);
	return NULL;
}
EXPORT_SYMBOL_GPL(objhash_table_create);

/**
 * objhash_table_destroy - empty and free a table
 * @t: table no one else uses any more, and whose objects no one holds
 *
 * Unlinks every object, then waits for the queued frees (rcu_barrier()), so
 * that no RCU callback runs after the module that owns the table is gone.
 *
 * Context: Process context; sleeps.
 */
void objhash_table_destroy(struct objhash_table *t)
{
	u64 purged;

	__objhash_purge(t, U64_MAX, false, &purged);
	rcu_barrier();
	WARN_ON(atomic_long_read(&t->nr_pending));
	free_percpu(t->stats);
	kvfree(t->buckets);
	kfree(t);
}
EXPORT_SYMBOL_GPL(objhash_table_destroy);

/**
 * objhash_caches_destroy - destroy the object caches
 *
 * Context: Process context; sleeps.  Every table must be destroyed already.
 * rcu_barrier() lets the last queued frees finish before their cache goes
 * (in 6.1 it does not wait for kfree_rcu(), hence call_rcu() above).
 */
void objhash_caches_destroy(void)
{
	unsigned int i;

	rcu_barrier();
	for (i = 0; i < ARRAY_SIZE(objhash_caches); i++) {
		kmem_cache_destroy(objhash_caches[i]);
		objhash_caches[i] = NULL;
	}
}

/**
 * objhash_caches_create - create the object caches shared by all tables
 *
 * Context: Process context; sleeps.  Called once, before any table exists.
 * Only the key and value of an object may be copied to or from user
 * memory: that region alone is whitelisted for hardened usercopy.
 * Return: 0, or -ENOMEM with nothing left behind.
 */
int objhash_caches_create(void)
{
	const unsigned int head = offsetof(struct objhash_obj, data);
	struct kmem_cache *c;
	unsigned int i;
	char name[32];

	for (i = 0; i < ARRAY_SIZE(objhash_caches); i++) {
		unsigned int size = (i + 1) * OBJHASH_CACHE_STEP;

		if (size <= head)
			continue;
		snprintf(name, sizeof(name), "objhash-%u", size);
		c = kmem_cache_create_usercopy(name, size, 0, 0, head,
					       size - head, NULL);
		objhash_caches[i] = c;
		if (!c) {
			objhash_caches_destroy();
			return -ENOMEM;
		}
	}
	return 0;
}
