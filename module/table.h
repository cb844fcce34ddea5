/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The objhash table core: the in-kernel API shared by the character device
 * (dev.c), the module glue (main.c) and other modules, such as the
 * benchmark, that drive a table directly.  Only the value accessors
 * objhash_obj_value_to_user() and objhash_obj_value_from_user() touch user
 * memory, for callers that pass them user pointers.
 */
#ifndef _OBJHASH_TABLE_H
#define _OBJHASH_TABLE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/objhash.h>

struct objhash_table;
struct objhash_obj;

/* A table has at most 2^OBJHASH_BITS_LIMIT buckets. */
#define OBJHASH_BITS_LIMIT	28

/**
 * struct objhash_limits - limits a table enforces
 * @max_objects: a create past this many linked objects fails -ENOSPC
 * @max_bytes: a create or growing replace past this many key + value
 *	bytes fails -ENOSPC
 * @max_value_len: objhash_obj_alloc() refuses longer values with -EMSGSIZE
 * @max_memory: a create or growing replace that would take the memory of
 *	linked objects (their allocations as the allocator sizes them, see
 *	objhash_obj_memory()) past this fails -ENOSPC; half of it bounds the
 *	memory unlinked objects may hold before inserts wait for a grace
 *	period (see objhash_obj_alloc())
 *
 * The table reads the limits with READ_ONCE() on every write, so whoever
 * owns the struct may change a limit at any time with WRITE_ONCE().  It
 * must outlive the table.
 */
struct objhash_limits {
	unsigned long max_objects;
	unsigned long max_bytes;
	unsigned int max_value_len;
	unsigned long max_memory;
};

/**
 * struct objhash_value - where objhash_lookup() puts what it finds
 * @buf: in: kernel buffer that receives the value, copied under RCU, when
 *	the value fits in @buf_size bytes
 * @buf_size: in: size of @buf; may be 0
 * @max_len: in: the largest value the caller can take; a longer one is
 *	only measured (@len and @version set, nothing copied or held)
 * @len: out: length of the stored value
 * @version: out: version of the stored value
 * @obj: out: NULL when the value went to @buf or was only measured; else
 *	the object, with a reference the caller owns: read the value through
 *	objhash_obj_value_read() or objhash_obj_value_to_user() and drop it
 *	with objhash_obj_put()
 */
struct objhash_value {
	void *buf;
	u32 buf_size;
	u32 max_len;
	u32 len;
	u64 version;
	struct objhash_obj *obj;
};

/* A dump step collects at most this many objects. */
#define OBJHASH_WALK_MAX	64

/**
 * struct objhash_walk_ent - one object a dump step collected
 * @ord: its position in the dump order
 * @obj: the object, with a reference objhash_walk_put() drops
 */
struct objhash_walk_ent {
	u64 ord;
	struct objhash_obj *obj;
};

/**
 * struct objhash_walk - a dump under way, between and during steps
 * @pos: every position below this is done
 * @next: after a step, the position past what it collected
 * @min_version: only objects with a version in [@min_version, @max_version]
 * @max_version: see @min_version
 * @epoch: the epoch whose hashes order the dump, once @started
 * @started: @epoch is set
 * @done: the whole table has been walked
 * @end: after a step, @next is the end of hash space
 * @nr: objects in @ents
 * @ents: what the last step collected, sorted by @ord
 *
 * objhash_cursor_decode() and objhash_cursor_encode() carry @pos, @epoch,
 * @started and @done from one DUMP call to the next.
 */
struct objhash_walk {
	u64 pos;
	u64 next;
	u64 min_version;
	u64 max_version;
	u32 epoch;
	bool started;
	bool done;
	bool end;
	unsigned int nr;
	struct objhash_walk_ent ents[OBJHASH_WALK_MAX];
};

int objhash_caches_create(void);
void objhash_caches_destroy(void);

struct objhash_table *objhash_table_create(unsigned int min_bits,
					   unsigned int max_bits,
					   const struct objhash_limits *limits);
void objhash_table_destroy(struct objhash_table *t);
int objhash_table_resize(struct objhash_table *t, unsigned int bits);
void objhash_table_fail_resizes(struct objhash_table *t, unsigned int n);
void objhash_table_slow_resizes(struct objhash_table *t, unsigned int us);
void objhash_table_set_secret(struct objhash_table *t, u64 k0, u64 k1);
void objhash_table_reclaim_singly(struct objhash_table *t, bool singly);

struct objhash_obj *objhash_obj_alloc(struct objhash_table *t, u32 key_len,
				      u32 value_len, gfp_t gfp);
void objhash_obj_free(struct objhash_obj *obj);
void *objhash_obj_key(struct objhash_obj *obj);
int objhash_obj_value_read(const struct objhash_obj *obj, u32 off,
			   void *buf, u32 len);
int objhash_obj_value_write(struct objhash_obj *obj, u32 off,
			    const void *buf, u32 len);
int objhash_obj_value_to_user(const struct objhash_obj *obj, u32 off,
			      void __user *ubuf, u32 len);
int objhash_obj_value_from_user(struct objhash_obj *obj, u32 off,
				const void __user *ubuf, u32 len);
size_t objhash_obj_memory(u32 key_len, u32 value_len);
u32 objhash_obj_key_len(const struct objhash_obj *obj);
u32 objhash_obj_value_len(const struct objhash_obj *obj);
u64 objhash_obj_version(const struct objhash_obj *obj);
void objhash_obj_get(struct objhash_obj *obj);
void objhash_obj_put(struct objhash_obj *obj);

int objhash_insert(struct objhash_table *t, struct objhash_obj *obj,
		   u32 flags, u64 expect_version, u64 *version);
int objhash_lookup(struct objhash_table *t, const void *key, u32 key_len,
		   struct objhash_value *v);
struct objhash_obj *objhash_lookup_rcu(struct objhash_table *t,
				       const void *key, u32 key_len);
int objhash_remove(struct objhash_table *t, const void *key, u32 key_len,
		   u64 expect_version);
int objhash_purge(struct objhash_table *t, u64 max_version, const void *prefix,
		  u32 prefix_len, bool wait, u64 *purged);

int objhash_walk_step(struct objhash_table *t, struct objhash_walk *w,
		      unsigned int max);
void objhash_walk_put(struct objhash_walk *w, unsigned int from);
int objhash_cursor_decode(const struct objhash_table *t, const u64 *c,
			  struct objhash_walk *w);
void objhash_cursor_encode(const struct objhash_table *t,
			   const struct objhash_walk *w, u64 *c);

void objhash_table_count_lookup(struct objhash_table *t, bool hit);
u64 objhash_table_version(struct objhash_table *t);
void objhash_table_stats(struct objhash_table *t, struct objhash_stats *st);
void objhash_table_chains(struct objhash_table *t, unsigned long *hist,
			  unsigned int nr);

/**
 * objhash_insert_flags_valid - check an INSERT's flags and condition
 * @flags: OBJHASH_INSERT_* bits
 * @expect_version: 0, or the version a replaced object must have
 *
 * NOCREATE and a nonzero @expect_version only make sense with REPLACE.
 *
 * Return: true if objhash_insert() accepts the combination.
 */
static inline bool objhash_insert_flags_valid(u32 flags, u64 expect_version)
{
	if (flags & ~(OBJHASH_INSERT_REPLACE | OBJHASH_INSERT_NOCREATE))
		return false;
	if (flags & OBJHASH_INSERT_REPLACE)
		return true;
	return !(flags & OBJHASH_INSERT_NOCREATE) && !expect_version;
}

#endif /* _OBJHASH_TABLE_H */
