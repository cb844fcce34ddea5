// SPDX-License-Identifier: GPL-2.0
/*
 * objhash objects: their memory, allocation, release and values.
 *
 * An object whose header, key and value fit in PAGE_SIZE is one
 * allocation, the value after the key.  A larger value is kept in order-0
 * pages listed after the key, never in vmalloc space (hardened usercopy
 * takes the global vmap_area_lock on every copy to or from it) nor in a
 * high-order block (kmalloc would round a 64 KiB value up to 128 KiB).  The
 * limits count both the payload (max_bytes) and what the allocations
 * really take (max_memory, objhash_obj_memory()); memory that unlinked
 * objects hold until they are freed is counted as pending and, past a
 * bound, makes inserts wait for a grace period (objhash_throttle()).
 *
 * Lifetime: the table owns one reference to every linked object (kref_init()
 * at allocation).  The last put frees the object after an RCU grace period
 * (objhash_obj_release()), so a reader still walking a chain may read an
 * unlinked object until it leaves its RCU section, never after.  Values are
 * reached through the objhash_obj_value_*() accessors, page by page.
 */

#include <linux/atomic.h>
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

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

size_t objhash_obj_mem(const struct objhash_obj *obj)
{
	return objhash_obj_memory(obj->key_len, obj->value_len);
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
