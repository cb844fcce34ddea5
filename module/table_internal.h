/* SPDX-License-Identifier: GPL-2.0 */
/*
 * objhash table internals shared by the core (table.c) and the resizer
 * (resize.c).  Nothing outside the table core includes this.
 */
#ifndef _OBJHASH_TABLE_INTERNAL_H
#define _OBJHASH_TABLE_INTERNAL_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list_nulls.h>
#include <linux/mm.h>
#include <linux/rculist.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/rculist_nulls.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>

/* 6.12 moved asm/unaligned.h to linux/unaligned.h (module/Kbuild). */
#ifdef OBJHASH_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#include "table.h"

/**
 * struct objhash_obj - one key and its value
 * @node: link in its bucket's chain; changed under the bucket lock, walked
 *	under RCU; the chain ends in its bucket's nulls marker
 * @hash: keyed hash of the key under the secret of the arrays of each
 *	epoch parity (struct objhash_array.epoch): the one of the array the
 *	object is linked in is written before it is linked there
 * @version: the version given when linked; never changes afterwards
 * @table: the table the object belongs to, for the free-time accounting
 * @purge_next: purge's private list, used only between the unlink and the
 *	put of the table's reference, so it can share space with @rcu
 * @rcu: queues the free after the last put
 * @ref: references: the table's while linked, plus one per user
 * @value_len: bytes of value
 * @key_len: bytes of key, at the start of @data
 * @data: the key, then either the value (an inline object: header, key and
 *	value fit in PAGE_SIZE) or, from the next pointer-aligned offset, the
 *	array of order-0 pages that hold the value (a paged object); which
 *	one follows from the two lengths alone (objhash_obj_paged())
 *
 * What a chain walk reads first (@node, @hash) leads the struct.  Nothing
 * but @node, @ref, the union and the @hash slot of an epoch the object is
 * not linked in is written after the object is published, which is what
 * lets readers compare and copy it locklessly.
 */
struct objhash_obj {
	struct hlist_nulls_node node;
	u32 hash[2];
	u64 version;
	struct objhash_table *table;
	union {
		struct objhash_obj *purge_next;
		struct rcu_head rcu;
	};
	struct kref ref;
	/* one word: a 16 + 64 byte object then fits a 144-byte cache */
	u32 value_len:21;	/* up to OBJHASH_VALUE_MAX */
	u32 key_len:9;		/* up to OBJHASH_KEY_MAX */
	u8 data[];
};

static_assert(OBJHASH_VALUE_MAX < (1U << 21) && OBJHASH_KEY_MAX < (1U << 9),
	      "the lengths fit their bit-fields");
static_assert(offsetof(struct objhash_obj, data) == 64,
	      "the object header is one cache line");
/* A paged object's header, key and page array fit one page: no high order. */
static_assert(64 + ALIGN(OBJHASH_KEY_MAX, sizeof(void *)) +
	      DIV_ROUND_UP(OBJHASH_VALUE_MAX, PAGE_SIZE) * sizeof(void *) <=
	      PAGE_SIZE, "a paged object's header fits a page");

/*
 * struct objhash_bucket - one hash chain
 *
 * @lock serializes every change of @chain: insert, replace, remove, purge
 * and the resizer's moves take it, from process context only.  No path
 * holds two bucket locks, except the resizer, which holds a bucket of the
 * array it empties and, nested inside, one of the array it fills.  Readers
 * take no lock: they walk @chain under rcu_read_lock() while it changes,
 * which the _rcu list primitives make safe.  The lock also orders the
 * version counter with the links: a version is taken and the object linked
 * inside one critical section, so a purge that read the counter before
 * locking a bucket sees every object with a version up to it.
 */
struct objhash_bucket {
	struct hlist_nulls_head chain;	/* protected by @lock, RCU for readers */
	spinlock_t lock;		/* protects @chain */
};

/**
 * struct objhash_array - one array of buckets
 * @bits: log2 of the number of buckets
 * @epoch: which secret hashes the keys of this array; its parity picks the
 *	struct objhash_obj.hash slot that holds that hash
 * @secret: hsiphash key of @epoch, random per epoch, so no one can choose
 *	colliding keys; hsiphash is the siphash variant meant for hashtables
 * @future: the array a resize is moving this one's objects into, or NULL;
 *	set once (under the table's resize_mutex) before the first move and
 *	never cleared, so a reader that is late in this array still finds
 *	what moved on.  Readers: rcu_dereference().
 * @b: the buckets; bucket i holds the objects whose hash, read as a 32-bit
 *	fraction, falls in [i, i + 1) / 2^@bits: a contiguous interval of
 *	hash space at every size, so a walk in hash order is not disturbed
 *	by grows and shrinks.  An allocation of its own, a power of two of
 *	bytes: with this header in front, kmalloc would round it up to
 *	twice that (a 2^16-bucket array would take 2 MiB, not 1 MiB).
 *
 * Everything but @future and the buckets is fixed before the array is
 * published.  The array is freed by the resizer once it has been replaced
 * and a grace period has passed (synchronize_rcu(), then
 * objhash_array_free()).
 */
struct objhash_array {
	unsigned int bits;
	u32 epoch;
	hsiphash_key_t secret;
	struct objhash_array __rcu *future;
	struct objhash_bucket *b;
};

/* The events struct objhash_pcpu_stats counts. */
enum objhash_event {
	OBJHASH_EV_INSERTS,
	OBJHASH_EV_REPLACES,
	OBJHASH_EV_DELETES,
	OBJHASH_EV_PURGED,
	OBJHASH_EV_LOOKUPS,
	OBJHASH_EV_HITS,
	OBJHASH_NR_EVENTS
};

/*
 * Event counters, per CPU so that counting a lookup writes no shared line.
 * Only objhash_count() changes them and objhash_pcpu_read() reads them:
 * @syncp makes a 32-bit kernel's two-word counters read whole (and is
 * empty on 64-bit, where a u64 is one word).
 */
struct objhash_pcpu_stats {
	u64 ev[OBJHASH_NR_EVENTS];
	struct u64_stats_sync syncp;
};

/* Read one CPU's counters @s into @ev, whole on 32-bit too. */
static inline void objhash_pcpu_read(const struct objhash_pcpu_stats *s,
				     u64 ev[OBJHASH_NR_EVENTS])
{
	unsigned int start;
	int i;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		for (i = 0; i < OBJHASH_NR_EVENTS; i++)
			ev[i] = READ_ONCE(s->ev[i]);
	} while (u64_stats_fetch_retry(&s->syncp, start));
}

/**
 * struct objhash_table - a hashtable of objects that resizes itself
 * @tbl: the current array; readers rcu_dereference() it, the resizer
 *	replaces it under @resize_mutex
 * @limits: caller-owned limits, read with READ_ONCE()
 * @stats: per-CPU event counters
 * @bits: log2 of the size of @tbl, for the writers' load check; written
 *	by the resizer
 * @min_bits: the array never shrinks below 1 << @min_bits buckets
 * @max_bits: nor grows past 1 << @max_bits
 * @version: last version handed out; incremented under a bucket lock
 * @nr_objects: linked objects, charged under the bucket lock before linking
 * @nr_bytes: key + value bytes of linked objects, charged likewise
 * @nr_memory: bytes of memory linked objects take (objhash_obj_memory()),
 *	charged likewise
 * @nr_pending: unlinked objects not yet freed
 * @nr_pending_memory: bytes of memory of those, from the unlink until the
 *	free really happens (after the last put and a grace period)
 * @throttled: inserts that waited for a grace period because
 *	@nr_pending_memory was above its bound (objhash_throttle())
 * @nr_freeing: objects whose last reference is gone and whose free is
 *	queued (behind call_rcu() or in a purge's batch), not yet done
 * @max_chain: the longest chain an insert has walked, for STATS
 * @resize_mutex: one resize at a time; held by the worker while it moves
 *	objects, and by whoever needs the arrays to stay put while it sleeps
 * @resize_work: the worker that grows and shrinks the table
 * @dying: set by objhash_table_destroy(): no new resize is queued
 * @grows: completed grows (under @resize_mutex)
 * @shrinks: completed shrinks (under @resize_mutex)
 * @resize_failed: resizes given up because the new array could not be
 *	allocated (under @resize_mutex); the table stays at its size
 * @rehash_wanted: an insert walked a chain of OBJHASH_CHAIN_MAX objects:
 *	move everything to a new secret (a new epoch) when the rate allows
 * @rehash_creates: the inserts counter at the last rehash (resize_mutex)
 * @rehashes: completed rehashes (under @resize_mutex)
 * @rehashes_deferred: rehashes wanted and put off by the rate limit
 * @fail_resizes: test hook: the next this many array allocations fail
 * @resize_delay_us: test hook: the resizer spins this long in the middle
 *	of each object's move and sleeps this long after each bucket, to
 *	widen the windows tests aim at
 * @tie_secret: hsiphash key of the low half of a key's dump position,
 *	which orders keys whose hashes are equal (walk.c)
 * @cursor_key: siphash key that encrypts and signs dump cursors (walk.c)
 * @instance: random number that tells this table's cursors from another's
 * @reclaim_wq: frees the objects purges released, in batches, each after
 *	one grace period (walk.c)
 * @reclaim_singly: benchmark hook: purges free each object through its own
 *	call_rcu(), as deletes do (and as purges did before the batches)
 *
 * The fields writers touch on every insert (@version, @nr_objects,
 * @nr_bytes, @nr_memory) sit on their own cache line, apart from what every lookup
 * reads (@tbl, @stats).
 */
struct objhash_table {
	struct objhash_array __rcu *tbl;
	const struct objhash_limits *limits;
	struct objhash_pcpu_stats __percpu *stats;
	unsigned int bits;
	unsigned int min_bits;
	unsigned int max_bits;

	atomic64_t version ____cacheline_aligned_in_smp;
	atomic_long_t nr_objects;
	atomic_long_t nr_bytes;
	atomic_long_t nr_memory;
	atomic_long_t nr_pending;
	atomic_long_t nr_pending_memory;
	atomic_long_t throttled;
	atomic_long_t nr_freeing;
	unsigned int max_chain;

	struct mutex resize_mutex ____cacheline_aligned_in_smp;
	struct delayed_work resize_work;
	bool dying;
	u64 grows;
	u64 shrinks;
	u64 resize_failed;
	bool rehash_wanted;
	u64 rehash_creates;
	u64 rehashes;
	u64 rehashes_deferred;
	atomic_t fail_resizes;
	unsigned int resize_delay_us;

	hsiphash_key_t tie_secret;
	siphash_key_t cursor_key;
	u32 instance;

	struct workqueue_struct *reclaim_wq;
	bool reclaim_singly;
};

/*
 * Add @n to this CPU's count of @e in @t, from any context but NMI.  On
 * 64-bit this_cpu_add() is one instruction, whole against preemption,
 * interrupts and a reader on another CPU.  On 32-bit the add is two
 * words: it runs with interrupts off (lookups may count from interrupts)
 * inside the counters' u64_stats_sync write section, across which
 * objhash_pcpu_read() retries.
 */
static __always_inline void objhash_count(struct objhash_table *t,
					  enum objhash_event e, u64 n)
{
#if BITS_PER_LONG == 64
	this_cpu_add(t->stats->ev[e], n);
#else
	struct objhash_pcpu_stats *s;
	unsigned long flags;

	local_irq_save(flags);
	s = this_cpu_ptr(t->stats);
	u64_stats_update_begin(&s->syncp);
	s->ev[e] += n;
	u64_stats_update_end(&s->syncp);
	local_irq_restore(flags);
#endif
}

/*
 * An insert that walks this many objects in its bucket asks for a rehash:
 * with a secret no one knows, a chain that long is all but impossible
 * (P(chain > 16) is about 1e-15 per bucket at load 1), so it means the
 * secret leaked or the keys were chosen against it.
 */
#define OBJHASH_CHAIN_MAX	16

/* Which bucket of @a holds @hash: its top @a->bits bits. */
static inline struct objhash_bucket *objhash_array_bucket(struct objhash_array *a,
							  u32 hash)
{
	return &a->b[hash >> (32 - a->bits)];
}

/* The nulls value that ends @b's chain: unique to the bucket. */
static inline unsigned long objhash_nulls(const struct objhash_bucket *b)
{
	return (unsigned long)b >> 1;
}

static inline u32 objhash_array_hash(const struct objhash_array *a,
				     const void *key, u32 key_len)
{
	return hsiphash(key, key_len, &a->secret);
}

/*
 * Are the @len bytes at @a and @b the same?  In the kernel memcmp() is an
 * out-of-line byte and word loop (lib/string.c); a key of 8 bytes or more
 * is compared here a word at a time, the last word overlapping the one
 * before it, which for the usual 8- to 16-byte keys is two loads per side
 * and no call.  Only equality is needed: the byte order does not matter.
 */
static __always_inline bool objhash_key_equal(const u8 *a, const u8 *b,
					      u32 len)
{
	u32 i;

	if (len < sizeof(u64))
		return !memcmp(a, b, len);
	for (i = 0; i + sizeof(u64) < len; i += sizeof(u64))
		if (get_unaligned((const u64 *)(a + i)) !=
		    get_unaligned((const u64 *)(b + i)))
			return false;
	return get_unaligned((const u64 *)(a + len - sizeof(u64))) ==
	       get_unaligned((const u64 *)(b + len - sizeof(u64)));
}

/*
 * Copy @len bytes of a value to @dst.  Values up to 64 bytes are copied in
 * 16-byte pieces at constant offsets, each behind its own test of the
 * length, so no load or store address depends on the length just read
 * from the object: natively, memcpy() of that length (and any loop over
 * it) made a hit 20% slower than a copy of a constant size.  Longer values,
 * and the last len % 16 bytes, go through memcpy().
 */
static __always_inline void objhash_value_copy(u8 *dst, const u8 *src, u32 len)
{
	u32 tail = len % 16;

	if (len > 64) {
		memcpy(dst, src, len);
		return;
	}
	if (len >= 16)
		memcpy(dst, src, 16);
	if (len >= 32)
		memcpy(dst + 16, src + 16, 16);
	if (len >= 48)
		memcpy(dst + 32, src + 32, 16);
	if (len == 64)
		memcpy(dst + 48, src + 48, 16);
	if (tail)
		memcpy(dst + len - tail, src + len - tail, tail);
}

/* Payload of @obj: what max_bytes and stats.bytes count. */
static inline size_t objhash_obj_bytes(const struct objhash_obj *obj)
{
	return obj->key_len + obj->value_len;
}

static inline size_t objhash_obj_size(u32 key_len, u32 value_len)
{
	return struct_size_t(struct objhash_obj, data, key_len + value_len);
}

/* Is the value of an object of these lengths kept in pages of its own? */
static inline bool objhash_paged(u32 key_len, u32 value_len)
{
	return objhash_obj_size(key_len, value_len) > PAGE_SIZE;
}

static inline bool objhash_obj_paged(const struct objhash_obj *obj)
{
	return objhash_paged(obj->key_len, obj->value_len);
}

/* What @obj's allocations take: objhash_obj_memory() of its lengths. */
size_t objhash_obj_mem(const struct objhash_obj *obj);

/* A reference to @obj, unless its last one is gone (it is being freed). */
static inline bool __must_check objhash_obj_tryget(struct objhash_obj *obj)
{
	return kref_get_unless_zero(&obj->ref);
}

void __objhash_obj_free(struct objhash_obj *obj);
void __objhash_obj_reclaim(struct objhash_obj *obj);
void __objhash_obj_free_rcu(struct objhash_obj *obj);
void __objhash_unlink(struct objhash_table *t, struct objhash_bucket *b,
		      struct objhash_obj *obj);
int __objhash_purge(struct objhash_table *t, u64 cut, const void *prefix,
		    u32 prefix_len, bool killable, u64 *purged);

struct objhash_array *objhash_array_alloc(unsigned int bits, u32 epoch,
					  const hsiphash_key_t *secret,
					  gfp_t gfp);
void objhash_array_free(struct objhash_array *a);
void objhash_resize_init(struct objhash_table *t);
void objhash_resize_check(struct objhash_table *t);
void objhash_rehash_request(struct objhash_table *t);
u64 objhash_table_creates(struct objhash_table *t);
void objhash_resize_stop(struct objhash_table *t);
int objhash_walk_init(struct objhash_table *t);
void objhash_walk_destroy(struct objhash_table *t);

#endif /* _OBJHASH_TABLE_INTERNAL_H */
