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
 * Memory: an object whose header, key and value fit in PAGE_SIZE is one
 * allocation, the value after the key.  A larger value is kept in order-0
 * pages listed after the key, never in vmalloc space (hardened usercopy
 * takes the global vmap_area_lock on every copy to or from it) nor in a
 * high-order block (kmalloc would round a 64 KiB value up to 128 KiB).  The
 * limits count both the payload (max_bytes) and what the allocations
 * really take (max_memory, objhash_obj_memory()); memory that unlinked
 * objects hold until they are freed is counted as pending and, past a
 * bound, makes inserts wait for a grace period (objhash_throttle()).
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

/*
 * Objects up to OBJHASH_CACHE_MAX bytes come from caches spaced every
 * OBJHASH_CACHE_STEP bytes, so a small object wastes less than a step where
 * kmalloc's classes waste up to a third (a 144-byte object would take 192).
 * Larger headers come from kmalloc(), and are never larger than a page: a
 * value that would not fit one with its key goes to pages of its own.
 */
#define OBJHASH_CACHE_STEP	16
#define OBJHASH_CACHE_MAX	512

/* Indexed by size / OBJHASH_CACHE_STEP - 1; NULL below the smallest object. */
static struct kmem_cache *objhash_caches[OBJHASH_CACHE_MAX / OBJHASH_CACHE_STEP];

/*
 * @size derives from lengths userspace chose: clamp the index under
 * speculation too (Spectre v1), not only after the bounds check.
 */
static struct kmem_cache *objhash_cache(size_t size)
{
	if (size > OBJHASH_CACHE_MAX)
		return NULL;
	return objhash_caches[array_index_nospec(DIV_ROUND_UP(size, OBJHASH_CACHE_STEP) - 1,
						 ARRAY_SIZE(objhash_caches))];
}

static size_t objhash_obj_bytes(const struct objhash_obj *obj)
{
	return obj->key_len + obj->value_len;
}

static size_t objhash_obj_size(u32 key_len, u32 value_len)
{
	return struct_size_t(struct objhash_obj, data, key_len + value_len);
}

/* Is the value of an object of these lengths kept in pages of its own? */
static bool objhash_paged(u32 key_len, u32 value_len)
{
	return objhash_obj_size(key_len, value_len) > PAGE_SIZE;
}

static bool objhash_obj_paged(const struct objhash_obj *obj)
{
	return objhash_paged(obj->key_len, obj->value_len);
}

static u32 objhash_nr_pages(u32 value_len)
{
	return DIV_ROUND_UP(value_len, PAGE_SIZE);
}

/* A paged object's page array: in @data, after the key, pointer-aligned. */
static struct page **objhash_obj_pages(const struct objhash_obj *obj)
{
	u32 key_len = obj->key_len;

	return (struct page **)(obj->data + ALIGN(key_len, sizeof(struct page *)));
}

/* Bytes of the allocation that holds the header (and an inline value). */
static size_t objhash_head_size(u32 key_len, u32 value_len)
{
	if (!objhash_paged(key_len, value_len))
		return objhash_obj_size(key_len, value_len);
	return struct_size_t(struct objhash_obj, data,
			     ALIGN(key_len, sizeof(struct page *))) +
	       objhash_nr_pages(value_len) * sizeof(struct page *);
}

/**
 * objhash_obj_memory - the memory an object of these lengths takes
 * @key_len: 1..OBJHASH_KEY_MAX
 * @value_len: 0..OBJHASH_VALUE_MAX
 *
 * What the allocators hand out for it: the object cache's object size, or
 * kmalloc's size class, of the header allocation, plus a page per
 * PAGE_SIZE of value for a paged object.  The slab's own page slack and
 * metadata (the memcg's per-object pointer, debug redzones) are not
 * counted.  The one formula for the max_memory charge, its uncharge and
 * the pending count, so they always agree.
 *
 * Context: Any context.
 * Return: bytes.
 */
size_t objhash_obj_memory(u32 key_len, u32 value_len)
{
	size_t head = objhash_head_size(key_len, value_len), mem;

	if (objhash_cache(head))
		mem = round_up(head, OBJHASH_CACHE_STEP);
	else
		mem = kmalloc_size_roundup(head);
	if (objhash_paged(key_len, value_len))
		mem += (size_t)objhash_nr_pages(value_len) * PAGE_SIZE;
	return mem;
}
EXPORT_SYMBOL_GPL(objhash_obj_memory);

static size_t objhash_obj_mem(const struct objhash_obj *obj)
{
	return objhash_obj_memory(obj->key_len, obj->value_len);
}

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

static void objhash_pages_free(struct page **pages, u32 nr)
{
	while (nr)
		__free_page(pages[--nr]);
}

/* Free @obj's memory now; whoever calls knows no one can reach it. */
void __objhash_obj_free(struct objhash_obj *obj)
{
	struct kmem_cache *c;

	if (objhash_obj_paged(obj))
		objhash_pages_free(objhash_obj_pages(obj),
				   objhash_nr_pages(obj->value_len));
	c = objhash_cache(objhash_head_size(obj->key_len, obj->value_len));
	if (c)
		kmem_cache_free(c, obj);
	else
		kfree(obj);
}

/*
 * Free @obj, whose last reference is gone and whose grace period has
 * passed, and count it off the table's pending and freeing counts; for the
 * RCU callback below and for a purge's batches (walk.c).
 */
void __objhash_obj_reclaim(struct objhash_obj *obj)
{
	struct objhash_table *t = obj->table;

	/* Version 0: never linked, so never counted as pending. */
	if (obj->version) {
		atomic_long_sub(objhash_obj_mem(obj), &t->nr_pending_memory);
		atomic_long_dec(&t->nr_pending);
	}
	atomic_long_dec(&t->nr_freeing);
	__objhash_obj_free(obj);
}

static void objhash_obj_free_rcu(struct rcu_head *head)
{
	__objhash_obj_reclaim(container_of(head, struct objhash_obj, rcu));
}

/* Free @obj, whose last reference is gone, after a grace period. */
void __objhash_obj_free_rcu(struct objhash_obj *obj)
{
	/* Readers that found it before the unlink may still be reading it. */
	atomic_long_inc(&obj->table->nr_freeing);
	call_rcu(&obj->rcu, objhash_obj_free_rcu);
}

static void objhash_obj_release(struct kref *ref)
{
	__objhash_obj_free_rcu(container_of(ref, struct objhash_obj, ref));
}

/**
 * objhash_obj_get - take another reference to an object
 * @obj: object the caller holds (from objhash_lookup(), or one it is
 *	handing on), or found under RCU with objhash_lookup_rcu() and known
 *	to be linked
 *
 * For an object found under RCU that may be on its way out, use the
 * reference objhash_lookup() hands out instead.
 *
 * Context: Any context.
 */
void objhash_obj_get(struct objhash_obj *obj)
{
	kref_get(&obj->ref);
}
EXPORT_SYMBOL_GPL(objhash_obj_get);

/**
 * objhash_obj_put - drop a reference to an object
 * @obj: object whose reference the caller owns
 *
 * The last put frees @obj after an RCU grace period.  Putting an object
 * that was never inserted frees it the same way.
 *
 * Context: Any context; does not sleep.
 */
void objhash_obj_put(struct objhash_obj *obj)
{
	kref_put(&obj->ref, objhash_obj_release);
}
EXPORT_SYMBOL_GPL(objhash_obj_put);

/*
 * Unlinked objects wait for their last put and a grace period before their
 * memory goes back; a replace or delete storm could queue any amount of it
 * behind RCU.  Above half of max_memory pending (so the table's memory
 * stays within about 1.5 times max_memory, while a workload that replaces
 * a small part of the table per grace period never waits), an insert
 * first waits for one grace period, and for the purge batches that grace
 * period released, before it allocates: it never fails for it.  The bound
 * is approximate: RCU callbacks run a little after the grace period, and
 * memory held by readers is not freed by waiting.
 */
static void objhash_throttle(struct objhash_table *t)
{
	unsigned long bound = READ_ONCE(t->limits->max_memory) / 2;

	if ((unsigned long)atomic_long_read(&t->nr_pending_memory) <= bound)
		return;
	atomic_long_inc(&t->throttled);
	synchronize_rcu();
	flush_workqueue(t->reclaim_wq);
}

static int objhash_obj_alloc_pages(struct objhash_obj *obj, gfp_t gfp)
{
	struct page **pages = objhash_obj_pages(obj);
	u32 i, nr = objhash_nr_pages(obj->value_len);

	/*
	 * Reached only through kmap_local_page(), so highmem would do, but
	 * the caller's gfp is kept as it is: x86-64 has no highmem, and
	 * fail_page_alloc then tells these pages from user memory.
	 */
	for (i = 0; i < nr; i++) {
		pages[i] = alloc_page(gfp);
		if (!pages[i]) {
			objhash_pages_free(pages, i);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * objhash_obj_alloc - allocate an object for objhash_insert()
 * @t: table the object is for
 * @key_len: 1..OBJHASH_KEY_MAX
 * @value_len: 0..the table's max_value_len
 * @gfp: allocation flags; GFP_KERNEL_ACCOUNT charges the caller's memcg
 *
 * The caller fills objhash_obj_key() and, with objhash_obj_value_write()
 * or objhash_obj_value_from_user(), the value, and then passes the object
 * to objhash_insert(), or frees it with objhash_obj_free().  A value that
 * does not fit a page with its key and header is kept in order-0 pages.
 *
 * When the memory of unlinked objects not yet freed is above half of the
 * table's max_memory and @gfp allows blocking, first waits for one RCU
 * grace period (and the frees it let run), so that writers cannot queue
 * memory behind RCU faster than it goes back.
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
	/* The hard cap too: a caller's limit could make the size wrap. */
	if (value_len > READ_ONCE(t->limits->max_value_len) ||
	    value_len > OBJHASH_VALUE_MAX)
		return ERR_PTR(-EMSGSIZE);
	if (gfpflags_allow_blocking(gfp))
		objhash_throttle(t);

	size = objhash_head_size(key_len, value_len);
	c = objhash_cache(size);
	obj = c ? kmem_cache_alloc(c, gfp) : kmalloc(size, gfp);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	obj->key_len = key_len;
	obj->value_len = value_len;
	if (objhash_paged(key_len, value_len) &&
	    objhash_obj_alloc_pages(obj, gfp)) {
		if (c)
			kmem_cache_free(c, obj);
		else
			kfree(obj);
		return ERR_PTR(-ENOMEM);
	}
	obj->table = t;
	obj->version = 0;	/* not linked (yet) */
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

/* Where a value copy goes to or comes from, and which way it runs. */
enum objhash_copy_dir {
	OBJHASH_COPY_TO_KERNEL,
	OBJHASH_COPY_FROM_KERNEL,
	OBJHASH_COPY_TO_USER,
	OBJHASH_COPY_FROM_USER,
};

struct objhash_copy {
	enum objhash_copy_dir dir;
	union {
		void *kdst;
		const void *ksrc;
		void __user *udst;
		const void __user *usrc;
	};
};

/* Copy @n bytes between @p, in the value, and the next bytes of @c. */
static int objhash_copy_piece(struct objhash_copy *c, void *p, size_t n)
{
	switch (c->dir) {
	case OBJHASH_COPY_TO_KERNEL:
		memcpy(c->kdst, p, n);
		c->kdst += n;
		return 0;
	case OBJHASH_COPY_FROM_KERNEL:
		memcpy(p, c->ksrc, n);
		c->ksrc += n;
		return 0;
	case OBJHASH_COPY_TO_USER:
		if (copy_to_user(c->udst, p, n))
			return -EFAULT;
		c->udst += n;
		return 0;
	case OBJHASH_COPY_FROM_USER:
		if (copy_from_user(p, c->usrc, n))
			return -EFAULT;
		c->usrc += n;
		return 0;
	}
	return -EINVAL;
}

/*
 * Copy bytes [@off, @off + @len) of @obj's value as @c says: in one piece
 * from an inline value, a page at a time, each mapped with
 * kmap_local_page() (which allows sleeping in a user copy), from a paged
 * one.
 */
static int objhash_obj_value_copy(const struct objhash_obj *obj, u32 off,
				  u32 len, struct objhash_copy *c)
{
	struct page **pages;
	int err = 0;

	if (off > obj->value_len || len > obj->value_len - off)
		return -EINVAL;
	if (!objhash_obj_paged(obj))
		return objhash_copy_piece(c, (void *)obj->data + obj->key_len + off,
					  len);
	pages = objhash_obj_pages(obj);
	while (len && !err) {
		size_t in = offset_in_page(off);
		size_t n = min_t(size_t, len, PAGE_SIZE - in);
		void *p = kmap_local_page(pages[off / PAGE_SIZE]);

		err = objhash_copy_piece(c, p + in, n);
		kunmap_local(p);
		off += n;
		len -= n;
	}
	return err;
}

/**
 * objhash_obj_value_read - copy part of an object's value out
 * @obj: object the caller holds, or reads under RCU
 * @off: first byte of the value to copy
 * @buf: kernel buffer of @len bytes
 * @len: bytes to copy
 *
 * Context: Any context but NMI; does not sleep.
 * Return: 0, or -EINVAL if [@off, @off + @len) is not within the value.
 */
int objhash_obj_value_read(const struct objhash_obj *obj, u32 off, void *buf,
			   u32 len)
{
	struct objhash_copy c = { .dir = OBJHASH_COPY_TO_KERNEL, .kdst = buf };

	return objhash_obj_value_copy(obj, off, len, &c);
}
EXPORT_SYMBOL_GPL(objhash_obj_value_read);

/**
 * objhash_obj_value_write - fill part of a new object's value
 * @obj: object from objhash_obj_alloc(), not inserted yet: an inserted
 *	object's value must never be written
 * @off: first byte of the value to write
 * @buf: kernel buffer of @len bytes
 * @len: bytes to copy
 *
 * Context: Any context but NMI; does not sleep.
 * Return: 0, or -EINVAL if [@off, @off + @len) is not within the value.
 */
int objhash_obj_value_write(struct objhash_obj *obj, u32 off, const void *buf,
			    u32 len)
{
	struct objhash_copy c = { .dir = OBJHASH_COPY_FROM_KERNEL, .ksrc = buf };

	return objhash_obj_value_copy(obj, off, len, &c);
}
EXPORT_SYMBOL_GPL(objhash_obj_value_write);

/**
 * objhash_obj_value_to_user - copy part of an object's value to user memory
 * @obj: object the caller holds a reference to (never just RCU: the copy
 *	may fault and sleep)
 * @off: first byte of the value to copy
 * @ubuf: user buffer of @len bytes
 * @len: bytes to copy
 *
 * Context: Process context; may sleep.
 * Return: 0, -EFAULT if @ubuf faulted (part of it may be written), or
 * -EINVAL if [@off, @off + @len) is not within the value.
 */
int objhash_obj_value_to_user(const struct objhash_obj *obj, u32 off,
			      void __user *ubuf, u32 len)
{
	struct objhash_copy c = { .dir = OBJHASH_COPY_TO_USER, .udst = ubuf };

	return objhash_obj_value_copy(obj, off, len, &c);
}
EXPORT_SYMBOL_GPL(objhash_obj_value_to_user);

/**
 * objhash_obj_value_from_user - fill part of a new object's value from user
 *	memory
 * @obj: object from objhash_obj_alloc(), not inserted yet
 * @off: first byte of the value to write
 * @ubuf: user buffer of @len bytes
 * @len: bytes to copy
 *
 * Context: Process context; may sleep.
 * Return: 0, -EFAULT if @ubuf faulted (the value is then partly written),
 * or -EINVAL if [@off, @off + @len) is not within the value.
 */
int objhash_obj_value_from_user(struct objhash_obj *obj, u32 off,
				const void __user *ubuf, u32 len)
{
	struct objhash_copy c = { .dir = OBJHASH_COPY_FROM_USER, .usrc = ubuf };

	return objhash_obj_value_copy(obj, off, len, &c);
}
EXPORT_SYMBOL_GPL(objhash_obj_value_from_user);

/**
 * objhash_obj_key_len - the key length of an object
 * @obj: object the caller holds
 *
 * Context: Any context.
 * Return: bytes of key.
 */
u32 objhash_obj_key_len(const struct objhash_obj *obj)
{
	return obj->key_len;
}
EXPORT_SYMBOL_GPL(objhash_obj_key_len);

/**
 * objhash_obj_value_len - the value length of an object
 * @obj: object the caller holds
 *
 * Context: Any context.
 * Return: bytes of value.
 */
u32 objhash_obj_value_len(const struct objhash_obj *obj)
{
	return obj->value_len;
}
EXPORT_SYMBOL_GPL(objhash_obj_value_len);

/**
 * objhash_obj_version - the version of an inserted object
 * @obj: object the caller holds
 *
 * Context: Any context.
 * Return: the version it was given when linked.
 */
u64 objhash_obj_version(const struct objhash_obj *obj)
{
	return obj->version;
}
EXPORT_SYMBOL_GPL(objhash_obj_version);

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
		this_cpu_inc(t->stats->replaces);
	} else {
		this_cpu_inc(t->stats->inserts);
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
	this_cpu_inc(t->stats->deletes);
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

	for_each_possible_cpu(cpu)
		n += READ_ONCE(per_cpu_ptr(t->stats, cpu)->inserts);
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
		const struct objhash_pcpu_stats *s = per_cpu_ptr(t->stats, cpu);

		st->inserts += READ_ONCE(s->inserts);
		st->replaces += READ_ONCE(s->replaces);
		st->deletes += READ_ONCE(s->deletes);
		st->purged += READ_ONCE(s->purged);
		st->lookups += READ_ONCE(s->lookups);
		st->hits += READ_ONCE(s->hits);
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
