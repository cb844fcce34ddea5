// SPDX-License-Identifier: GPL-2.0
/*
 * The reference model and its executor (see model.h).  The model is what
 * table.c promises, stated as simply as possible: an array of keys, each
 * absent or holding (version, value), a version counter that every
 * successful create or replace increments, object and byte counts checked
 * against the limits, and the event counters of struct objhash_stats.
 * Every operation is run on the table and on the model, and everything the
 * table returns is compared; the first mismatch is kept in m->fail.
 */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/types.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include "objhash_shim.h"
#include "model.h"

#define OH_BUF		13000	/* largest lookup buffer the model uses */
#define OH_VALUE_MAX	12388	/* the model's longest value: 3 pages + 100 */
#define OH_CANARY	0xa5

__attribute__((format(printf, 2, 3)))
static bool oh_fail(struct oh_model *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (m->fail[0])
		return false;
	n = snprintf(m->fail, sizeof(m->fail), "op %lu: ", m->nr_ops);
	va_start(ap, fmt);
	vsnprintf(m->fail + n, sizeof(m->fail) - n, fmt, ap);
	va_end(ap);
	return false;
}

#define OH_CHECK(m, cond, fmt, ...)					\
	((cond) ? true : oh_fail(m, "%s: " fmt, #cond, ##__VA_ARGS__))

/* Draw a number below @n: from the input while it lasts, else the PRNG. */
static u64 oh_draw(struct oh_model *m, u64 n)
{
	u64 x;

	if (m->data) {
		x = 0;
		if (m->pos < m->size)
			x = m->data[m->pos];
		m->pos++;
		if (n > 256 && m->pos < m->size)
			x = x << 8 | m->data[m->pos++];
	} else {
		/* xorshift64 */
		m->rng ^= m->rng << 13;
		m->rng ^= m->rng >> 7;
		m->rng ^= m->rng << 17;
		x = m->rng >> 11;
	}
	return n ? x % n : 0;
}

/*
 * Keys 2i and 2i+1 share their first bytes and differ in length, so a
 * comparison that ignores the length shows.  Lengths span 1..256.
 */
void oh_key_bytes(unsigned int i, u8 *buf, u32 *len)
{
	static const u32 lens[] = { 1, 2, 7, 8, 15, 16, 31, 33, 64, 65, 255, 256 };
	u32 j;

	*len = lens[i % ARRAY_SIZE(lens)];
	for (j = 0; j < *len; j++)
		buf[j] = (u8)(j * 7 + (i / 2) * 31 + 1);
}

static u8 oh_value_byte(u32 seed, u32 i)
{
	u32 x = seed * 0x9e3779b1u + i * 0x85ebca6bu;

	return (u8)(x ^ x >> 15 ^ x >> 24);
}

static bool oh_value_ok(u32 seed, const u8 *v, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (v[i] != oh_value_byte(seed, i))
			return false;
	return true;
}

static u32 oh_pick_len(struct oh_model *m)
{
	/* 4000 up: inline or paged as the key's length decides; 4097 up: paged */
	static const u32 lens[] = { 0, 1, 15, 16, 64, 255, 256, 257, 300,
				    320, 321, 512, 1000, 4000, 4033, 4096,
				    4097, 5000, 8192, OH_VALUE_MAX };

	if (oh_draw(m, 4) == 0)
		return oh_draw(m, 1100);
	return lens[oh_draw(m, ARRAY_SIZE(lens))];
}

/* A version the key does not have: some other one, or one never given. */
static u64 oh_pick_version(struct oh_model *m, unsigned int k)
{
	switch (oh_draw(m, 4)) {
	case 0:
		return 0;
	case 1:
		return m->keys[k].present ? m->keys[k].version : m->version;
	case 2:
		return m->keys[k].version + 1;
	default:
		return oh_draw(m, m->version + 2) + 1;
	}
}

static u32 oh_klen(unsigned int k)
{
	u8 buf[OBJHASH_KEY_MAX];
	u32 len;

	oh_key_bytes(k, buf, &len);
	return len;
}

/*
 * The memory objhash_obj_memory() should charge for an object, worked out
 * here independently: header, key and value inline when they fit a page,
 * from the 16-byte caches up to 512 bytes and kmalloc's power-of-two
 * classes above; else header, key and a page pointer per page of value,
 * plus the pages.
 */
static unsigned long oh_pages(u32 klen, u32 vlen)
{
	return 64 + klen + vlen > 4096 ? (vlen + 4095) / 4096 : 0;
}

static unsigned long oh_mem(u32 klen, u32 vlen)
{
	unsigned long pages = oh_pages(klen, vlen), head, mem = 1024;

	head = pages ? 64 + (klen + 7) / 8 * 8 + 8 * pages : 64 + klen + vlen;
	if (head <= 512)
		mem = (head + 15) / 16 * 16;
	while (head > 512 && mem < head)
		mem *= 2;
	return mem + 4096 * pages;
}

/* Check @obj's value, read through the accessor in pieces across pages. */
static bool oh_obj_value_ok(u32 seed, const struct objhash_obj *obj, u32 len)
{
	u8 buf[1000];
	u32 off, n;

	for (off = 0; off < len; off += n) {
		n = len - off < sizeof(buf) ? len - off : sizeof(buf);
		if (objhash_obj_value_read(obj, off, buf, n))
			return false;
		for (u32 i = 0; i < n; i++)
			if (buf[i] != oh_value_byte(seed, off + i))
				return false;
	}
	return objhash_obj_value_read(obj, len, buf, 1) == -EINVAL;
}

/* Fill a new object's value in pieces of 777 bytes, across pages. */
static void oh_obj_value_fill(struct objhash_obj *obj, u32 seed, u32 len)
{
	u8 buf[777];
	u32 off, n, i;

	for (off = 0; off < len; off += n) {
		n = len - off < sizeof(buf) ? len - off : sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = oh_value_byte(seed, off + i);
		objhash_obj_value_write(obj, off, buf, n);
	}
}

/* The model's side of unlinking key @k: counts and held references. */
static void oh_model_unlink(struct oh_model *m, unsigned int k)
{
	struct oh_mkey *mk = &m->keys[k];
	unsigned int i;

	for (i = 0; i < m->nr_held; i++)
		if (m->held[i].key == k && m->held[i].version == mk->version)
			m->held[i].unlinked = true;
	m->nr_objects--;
	m->nr_bytes -= oh_klen(k) + mk->len;
	m->nr_memory -= oh_mem(oh_klen(k), mk->len);
	mk->present = false;
}

/* Expected result of an insert, as objhash_insert() documents it. */
static int oh_model_insert_err(struct oh_model *m, unsigned int k, u32 vlen,
			       u32 flags, u64 expect)
{
	struct oh_mkey *mk = &m->keys[k];
	long bytes = oh_klen(k) + vlen, mem = oh_mem(oh_klen(k), vlen);

	if (!mk->present) {
		if (expect || (flags & OBJHASH_INSERT_NOCREATE))
			return -ENOENT;
		if (m->nr_objects + 1 > m->limits.max_objects)
			return -ENOSPC;
		if (m->nr_bytes + bytes > m->limits.max_bytes)
			return -ENOSPC;
		if (m->nr_memory + mem > m->limits.max_memory)
			return -ENOSPC;
		return 0;
	}
	if (!(flags & OBJHASH_INSERT_REPLACE))
		return -EEXIST;
	if (expect && mk->version != expect)
		return -ESTALE;
	bytes -= oh_klen(k) + mk->len;
	mem -= oh_mem(oh_klen(k), mk->len);
	if (bytes > 0 && m->nr_bytes + bytes > m->limits.max_bytes)
		return -ENOSPC;
	if (mem > 0 && m->nr_memory + mem > m->limits.max_memory)
		return -ENOSPC;
	return 0;
}

static bool oh_flags_valid_model(u32 flags, u64 expect)
{
	if (flags & ~(u32)(OBJHASH_INSERT_REPLACE | OBJHASH_INSERT_NOCREATE))
		return false;
	if (!(flags & OBJHASH_INSERT_REPLACE) &&
	    ((flags & OBJHASH_INSERT_NOCREATE) || expect))
		return false;
	return true;
}

static bool oh_op_insert(struct oh_model *m)
{
	static const u32 flag_set[] = { 0, OBJHASH_INSERT_REPLACE,
		OBJHASH_INSERT_REPLACE | OBJHASH_INSERT_NOCREATE,
		OBJHASH_INSERT_NOCREATE, 4 };
	unsigned int k = oh_draw(m, OH_NKEYS);
	u32 vlen = oh_pick_len(m), klen, seed = ++m->next_seed;
	u32 flags = flag_set[oh_draw(m, ARRAY_SIZE(flag_set))];
	u64 expect = oh_pick_version(m, k), version = 0;
	bool fail_alloc = oh_draw(m, 16) == 0;
	struct objhash_obj *obj;
	int err, want;

	if (objhash_insert_flags_valid(flags, expect) !=
	    oh_flags_valid_model(flags, expect))
		return oh_fail(m, "flags_valid(%#x, %llu) disagrees", flags,
			       (unsigned long long)expect);
	if (!oh_flags_valid_model(flags, expect))
		return true;

	klen = oh_klen(k);
	/* the header, or one of a paged value's pages */
	if (fail_alloc)
		objhash_shim_fail_alloc_after(oh_draw(m, 1 + oh_pages(klen, vlen)));
	obj = objhash_obj_alloc(m->t, klen, vlen, GFP_KERNEL);
	objhash_shim_fail_alloc_off();
	if (vlen > m->limits.max_value_len)
		return OH_CHECK(m, PTR_ERR(obj) == -EMSGSIZE, "%ld", PTR_ERR(obj));
	if (fail_alloc)
		return OH_CHECK(m, PTR_ERR(obj) == -ENOMEM, "%ld", PTR_ERR(obj));
	if (!OH_CHECK(m, !IS_ERR(obj), "%ld", PTR_ERR(obj)))
		return false;
	oh_key_bytes(k, objhash_obj_key(obj), &klen);
	oh_obj_value_fill(obj, seed, vlen);

	want = oh_model_insert_err(m, k, vlen, flags, expect);
	err = objhash_insert(m->t, obj, flags, expect, &version);
	if (!OH_CHECK(m, err == want, "key %u flags %#x expect %llu: %d, want %d",
		      k, flags, (unsigned long long)expect, err, want)) {
		if (err)
			objhash_obj_free(obj);
		return false;
	}
	if (err) {
		objhash_obj_free(obj);
		return true;
	}
	if (m->keys[k].present) {
		oh_model_unlink(m, k);
		m->st.replaces++;
	} else {
		m->st.inserts++;
	}
	m->keys[k] = (struct oh_mkey){ true, ++m->version, vlen, seed };
	m->nr_objects++;
	m->nr_bytes += klen + vlen;
	m->nr_memory += oh_mem(klen, vlen);
	return OH_CHECK(m, version == m->version, "%llu vs %llu",
			(unsigned long long)version,
			(unsigned long long)m->version);
}

static bool oh_hold(struct oh_model *m, unsigned int k, struct objhash_obj *obj)
{
	const struct oh_mkey *mk = &m->keys[k];

	if (m->nr_held == OH_NHELD) {
		objhash_obj_put(obj);
		return true;
	}
	m->held[m->nr_held++] = (struct oh_held){ obj, k, mk->version,
						  mk->len, mk->seed, false };
	return true;
}

/* Check what a successful lookup returned against the model's key @k. */
static bool oh_check_found(struct oh_model *m, unsigned int k,
			   const struct objhash_value *v, const u8 *buf)
{
	const struct oh_mkey *mk = &m->keys[k];
	u32 i, klen;
	u8 key[OBJHASH_KEY_MAX];

	if (!OH_CHECK(m, v->len == mk->len && v->version == mk->version,
		      "key %u: len %u v%llu, want %u v%llu", k, v->len,
		      (unsigned long long)v->version, mk->len,
		      (unsigned long long)mk->version))
		return false;
	if (v->len > v->max_len) {
		if (!OH_CHECK(m, !v->obj, "measured value came with an object"))
			return false;
		for (i = 0; i < v->buf_size; i++)
			if (!OH_CHECK(m, buf[i] == OH_CANARY, "measure wrote buf"))
				return false;
		return true;
	}
	if (v->len <= v->buf_size) {
		if (!OH_CHECK(m, !v->obj, "a value that fits came with an object"))
			return false;
		if (!OH_CHECK(m, oh_value_ok(mk->seed, buf, v->len), "key %u", k))
			return false;
		for (i = v->len; i < v->buf_size; i++)
			if (!OH_CHECK(m, buf[i] == OH_CANARY, "wrote past len"))
				return false;
		return true;
	}
	if (!OH_CHECK(m, v->obj, "a large value came without an object"))
		return false;
	oh_key_bytes(k, key, &klen);
	return OH_CHECK(m, !memcmp(objhash_obj_key(v->obj), key, klen),
			"key %u", k) &&
	       OH_CHECK(m, oh_obj_value_ok(mk->seed, v->obj, v->len),
			"key %u", k);
}

static bool oh_op_lookup(struct oh_model *m)
{
	static const u32 sizes[] = { 0, 16, 256, OH_BUF };
	unsigned int k = oh_draw(m, OH_NKEYS);
	const struct oh_mkey *mk = &m->keys[k];
	u8 key[OBJHASH_KEY_MAX], buf[OH_BUF];
	struct objhash_value v = { .buf = buf };
	u32 klen;
	int err;

	oh_key_bytes(k, key, &klen);
	v.buf_size = sizes[oh_draw(m, ARRAY_SIZE(sizes))];
	switch (oh_draw(m, 4)) {
	case 0:
		v.max_len = mk->len ? mk->len - 1 : 0;
		break;
	case 1:
		v.max_len = mk->len;
		break;
	case 2:
		v.max_len = oh_draw(m, 1200);
		break;
	default:
		v.max_len = OBJHASH_VALUE_MAX;
	}
	v.obj = (void *)1;	/* must be cleared */
	memset(buf, OH_CANARY, sizeof(buf));
	err = objhash_lookup(m->t, key, klen, &v);
	if (oh_draw(m, 2)) {
		objhash_table_count_lookup(m->t, !err);
		m->st.lookups++;
		m->st.hits += !err;
	}
	if (!mk->present)
		return OH_CHECK(m, err == -ENOENT && !v.obj, "key %u: %d", k, err);
	if (!OH_CHECK(m, !err, "key %u: %d", k, err) ||
	    !oh_check_found(m, k, &v, buf))
		return false;
	if (!v.obj)
		return true;
	if (oh_draw(m, 2))
		return oh_hold(m, k, v.obj);
	objhash_obj_put(v.obj);
	return true;
}

/* dev.c's LOOKUP_DELETE on kernel memory: look up, unlink what was found. */
static bool oh_op_lookup_delete(struct oh_model *m)
{
	unsigned int k = oh_draw(m, OH_NKEYS);
	u8 key[OBJHASH_KEY_MAX], buf[OH_BUF];
	struct objhash_value v = { .buf = buf, .buf_size = 256,
				   .max_len = OBJHASH_VALUE_MAX };
	u32 klen;
	int err;

	oh_key_bytes(k, key, &klen);
	memset(buf, OH_CANARY, sizeof(buf));
	err = objhash_lookup(m->t, key, klen, &v);
	if (!m->keys[k].present)
		return OH_CHECK(m, err == -ENOENT, "key %u: %d", k, err);
	if (!OH_CHECK(m, !err, "key %u: %d", k, err) ||
	    !oh_check_found(m, k, &v, buf))
		goto put;
	err = objhash_remove(m->t, key, klen, v.version);
	if (OH_CHECK(m, !err, "remove(v%llu): %d",
		     (unsigned long long)v.version, err)) {
		oh_model_unlink(m, k);
		m->st.deletes++;
	}
put:
	if (v.obj)
		objhash_obj_put(v.obj);
	return !m->fail[0];
}

static bool oh_op_remove(struct oh_model *m)
{
	unsigned int k = oh_draw(m, OH_NKEYS);
	u64 expect = oh_pick_version(m, k);
	const struct oh_mkey *mk = &m->keys[k];
	u8 key[OBJHASH_KEY_MAX];
	int err, want;
	u32 klen;

	oh_key_bytes(k, key, &klen);
	want = !mk->present ? -ENOENT :
	       expect && expect != mk->version ? -ESTALE : 0;
	err = objhash_remove(m->t, key, klen, expect);
	if (!OH_CHECK(m, err == want, "key %u expect %llu: %d, want %d", k,
		      (unsigned long long)expect, err, want))
		return false;
	if (!err) {
		oh_model_unlink(m, k);
		m->st.deletes++;
	}
	return true;
}

/* Does key @k start with the @plen bytes of @prefix (any key if 0)? */
static bool oh_key_has_prefix(unsigned int k, const u8 *prefix, u32 plen)
{
	u8 key[OBJHASH_KEY_MAX];
	u32 klen;

	oh_key_bytes(k, key, &klen);
	return klen >= plen && !memcmp(key, prefix, plen);
}

/*
 * After a purge stopped by a fatal signal: what is gone must be <= cut
 * and carry the prefix.
 */
static bool oh_purge_reconcile(struct oh_model *m, u64 cut, const u8 *prefix,
			       u32 plen, u64 purged)
{
	u64 gone = 0;
	unsigned int k;

	for (k = 0; k < OH_NKEYS; k++) {
		u8 key[OBJHASH_KEY_MAX], buf[8];
		struct objhash_value v = { .buf = buf };
		u32 klen;

		if (!m->keys[k].present)
			continue;
		oh_key_bytes(k, key, &klen);
		if (objhash_lookup(m->t, key, klen, &v) != -ENOENT)
			continue;
		if (!OH_CHECK(m, m->keys[k].version <= cut, "key %u v%llu > cut %llu",
			      k, (unsigned long long)m->keys[k].version,
			      (unsigned long long)cut) ||
		    !OH_CHECK(m, oh_key_has_prefix(k, prefix, plen),
			      "key %u purged without the prefix", k))
			return false;
		oh_model_unlink(m, k);
		gone++;
	}
	return OH_CHECK(m, gone == purged, "%llu gone, %llu purged",
			(unsigned long long)gone, (unsigned long long)purged);
}

static unsigned long oh_held_unlinked(const struct oh_model *m);

static bool oh_op_purge(struct oh_model *m)
{
	u64 max, cut, purged = ~0ULL, want = 0;
	/* waiting is an rcu_barrier(): a context switch or two, so rarer */
	bool wait = oh_draw(m, 4) == 0, killed = oh_draw(m, 8) == 0;
	u8 prefix[OBJHASH_KEY_MAX];
	unsigned int k;
	u32 plen = 0;
	int err;

	/* Half the purges keep only the keys that start like one key does. */
	if (oh_draw(m, 2)) {
		oh_key_bytes(oh_draw(m, OH_NKEYS), prefix, &plen);
		plen = oh_draw(m, plen) + 1;
	}

	switch (oh_draw(m, 5)) {
	case 0:
		max = 0;
		break;
	case 1:
		max = m->version;
		break;
	case 2:
		max = m->version > 1 ? m->version - 1 : 1;
		break;
	case 3:
		max = U64_MAX;
		break;
	default:
		max = oh_draw(m, m->version + 2) + 1;
	}
	cut = max ?: m->version;
	objhash_shim_set_fatal_signal(killed);
	err = objhash_purge(m->t, max, plen ? prefix : NULL, plen, wait,
			    &purged);
	objhash_shim_set_fatal_signal(false);
	/* It checks for the signal after each bucket; one bucket stops it. */
	if (killed) {
		if (!OH_CHECK(m, err == -EINTR, "%d", err))
			return false;
		m->st.purged += purged;
		return oh_purge_reconcile(m, cut, prefix, plen, purged);
	}
	if (!OH_CHECK(m, !err, "%d", err))
		return false;
	for (k = 0; k < OH_NKEYS; k++) {
		if (m->keys[k].present && m->keys[k].version <= cut &&
		    oh_key_has_prefix(k, prefix, plen)) {
			oh_model_unlink(m, k);
			want++;
		}
	}
	m->st.purged += want;
	if (!OH_CHECK(m, purged == want, "max %llu cut %llu: purged %llu, want %llu",
		      (unsigned long long)max, (unsigned long long)cut,
		      (unsigned long long)purged, (unsigned long long)want))
		return false;
	if (wait) {
		struct objhash_stats st;

		/* PURGE_WAIT: what is pending now is what someone holds. */
		objhash_table_stats(m->t, &st);
		return OH_CHECK(m, st.pending_release == oh_held_unlinked(m),
				"after PURGE_WAIT: %llu pending, %lu held",
				(unsigned long long)st.pending_release,
				oh_held_unlinked(m));
	}
	return true;
}

/*
 * Unlinked objects still held: once every grace period and every batch of
 * frees a purge queued behind one (walk.c) are done, exactly what is
 * pending.
 */
static unsigned long oh_held_unlinked(const struct oh_model *m)
{
	unsigned long n = 0;
	unsigned int i, j;

	for (i = 0; i < m->nr_held; i++) {
		if (!m->held[i].unlinked)
			continue;
		for (j = 0; j < i; j++)
			if (m->held[j].obj == m->held[i].obj)
				break;
		n += j == i;
	}
	return n;
}

/* Memory and pages of the unlinked objects still held (see above). */
static void oh_held_unlinked_mem(const struct oh_model *m, unsigned long *mem,
				 unsigned long *pages)
{
	unsigned int i, j;

	*mem = *pages = 0;
	for (i = 0; i < m->nr_held; i++) {
		const struct oh_held *h = &m->held[i];

		if (!h->unlinked)
			continue;
		for (j = 0; j < i; j++)
			if (m->held[j].obj == h->obj)
				break;
		if (j < i)
			continue;
		*mem += oh_mem(oh_klen(h->key), h->len);
		*pages += oh_pages(oh_klen(h->key), h->len);
	}
}

/* Pages of the linked objects. */
static unsigned long oh_linked_pages(const struct oh_model *m)
{
	unsigned long n = 0;
	unsigned int k;

	for (k = 0; k < OH_NKEYS; k++)
		if (m->keys[k].present)
			n += oh_pages(oh_klen(k), m->keys[k].len);
	return n;
}

/*
 * Memory: linked memory is exact at every point (charged under the bucket
 * lock); what is pending is exact once the grace periods and batches are
 * done, and then the shim's live pages are exactly those of linked and
 * held objects.
 */
static bool oh_mem_ok(struct oh_model *m, const struct objhash_stats *st,
		      bool barrier)
{
	unsigned long held, pages;

	oh_held_unlinked_mem(m, &held, &pages);
	pages += oh_linked_pages(m);
	if (!OH_CHECK(m, st->memory - st->pending_memory == m->nr_memory,
		      "linked memory %llu, want %lu",
		      (unsigned long long)(st->memory - st->pending_memory),
		      m->nr_memory) ||
	    !OH_CHECK(m, st->max_memory == m->limits.max_memory, "max_memory") ||
	    !OH_CHECK(m, st->throttled >= m->last.throttled, "throttled went back"))
		return false;
	if (!barrier)
		return OH_CHECK(m, st->pending_memory >= held, "pending %llu < %lu",
				(unsigned long long)st->pending_memory, held);
	return OH_CHECK(m, st->pending_memory == held, "pending %llu, want %lu",
			(unsigned long long)st->pending_memory, held) &&
	       OH_CHECK(m, objhash_shim_live_pages() == (long)pages,
			"%ld live pages, want %lu", objhash_shim_live_pages(),
			pages);
}

/* The table sizes itself in the background: only bounds are certain. */
static bool oh_buckets_ok(const struct oh_model *m, u64 buckets)
{
	return buckets >= 1ULL << m->min_bits &&
	       buckets <= 1ULL << m->max_bits && !(buckets & (buckets - 1));
}

static bool oh_op_stats(struct oh_model *m, bool barrier)
{
	struct objhash_stats st, last = m->last;
	unsigned long held = oh_held_unlinked(m);

	if (barrier) {
		rcu_barrier();
		objhash_shim_rcu_work_barrier();
	}
	objhash_table_stats(m->t, &st);
	if (!oh_mem_ok(m, &st, barrier))
		return false;
	m->last = st;
#define OH_FIELD(f, want) OH_CHECK(m, st.f == (u64)(want), "%llu, want %llu", \
				   (unsigned long long)st.f,		   \
				   (unsigned long long)(want))
	return OH_FIELD(objects, m->nr_objects) &&
	       OH_FIELD(bytes, m->nr_bytes) &&
	       OH_CHECK(m, oh_buckets_ok(m, st.buckets), "%llu",
			(unsigned long long)st.buckets) &&
	       OH_FIELD(min_buckets, 1ULL << m->min_bits) &&
	       OH_FIELD(max_buckets, 1ULL << m->max_bits) &&
	       OH_CHECK(m, st.grows >= last.grows && st.shrinks >= last.shrinks &&
			st.resize_failed >= last.resize_failed &&
			st.max_chain >= last.max_chain, "resize counters went back") &&
	       OH_CHECK(m, st.max_chain <= OH_NKEYS, "%llu",
			(unsigned long long)st.max_chain) &&
	       OH_FIELD(version, m->version) &&
	       OH_FIELD(max_objects, m->limits.max_objects) &&
	       OH_FIELD(max_bytes, m->limits.max_bytes) &&
	       OH_FIELD(max_value_len, m->limits.max_value_len) &&
	       OH_FIELD(inserts, m->st.inserts) &&
	       OH_FIELD(replaces, m->st.replaces) &&
	       OH_FIELD(deletes, m->st.deletes) &&
	       OH_FIELD(purged, m->st.purged) &&
	       OH_FIELD(lookups, m->st.lookups) &&
	       OH_FIELD(hits, m->st.hits) &&
	       (barrier ? OH_FIELD(pending_release, held) :
		OH_CHECK(m, st.pending_release >= held, "%llu < %lu",
			 (unsigned long long)st.pending_release, held));
#undef OH_FIELD
}

static bool oh_op_limits(struct oh_model *m)
{
	static const unsigned int vlens[] = { OH_VALUE_MAX, 4096, 1000, 320,
					      256, 16, 0 };
	struct objhash_limits *l = &m->limits;

	switch (oh_draw(m, 5)) {
	case 0:
		WRITE_ONCE(l->max_objects, m->nr_objects + oh_draw(m, 3) - 1);
		break;
	case 1:
		WRITE_ONCE(l->max_bytes, m->nr_bytes + oh_draw(m, 600));
		break;
	case 2:
		WRITE_ONCE(l->max_value_len, vlens[oh_draw(m, ARRAY_SIZE(vlens))]);
		break;
	case 3:
		WRITE_ONCE(l->max_memory, m->nr_memory + oh_draw(m, 20000));
		break;
	default:
		WRITE_ONCE(l->max_objects, ULONG_MAX);
		WRITE_ONCE(l->max_bytes, ULONG_MAX);
		WRITE_ONCE(l->max_value_len, OH_VALUE_MAX);
		WRITE_ONCE(l->max_memory, ULONG_MAX);
	}
	return true;
}

/* Drop a held reference, checking the object kept its value meanwhile. */
static bool oh_op_put(struct oh_model *m)
{
	struct oh_held h;
	unsigned int i;

	if (!m->nr_held)
		return true;
	i = oh_draw(m, m->nr_held);
	h = m->held[i];
	m->held[i] = m->held[--m->nr_held];
	if (!OH_CHECK(m, oh_obj_value_ok(h.seed, h.obj, h.len),
		      "held object of key %u v%llu changed", h.key,
		      (unsigned long long)h.version))
		return false;
	objhash_obj_put(h.obj);
	return true;
}

static bool oh_op_chains(struct oh_model *m)
{
	unsigned long hist[OH_NKEYS + 2], buckets = 0, objs = 0;
	unsigned int i;

	objhash_table_chains(m->t, hist, ARRAY_SIZE(hist));
	for (i = 0; i < ARRAY_SIZE(hist); i++) {
		buckets += hist[i];
		objs += i * hist[i];
	}
	return OH_CHECK(m, oh_buckets_ok(m, buckets), "%lu", buckets) &&
	       OH_CHECK(m, objs == m->nr_objects, "%lu vs %lu", objs,
			m->nr_objects);
}

static bool oh_verify_all(struct oh_model *m)
{
	unsigned int k;

	for (k = 0; k < OH_NKEYS; k++) {
		u8 key[OBJHASH_KEY_MAX], buf[OH_BUF];
		struct objhash_value v = { .buf = buf, .buf_size = OH_BUF,
					   .max_len = OBJHASH_VALUE_MAX };
		u32 klen;
		int err;

		oh_key_bytes(k, key, &klen);
		memset(buf, OH_CANARY, sizeof(buf));
		err = objhash_lookup(m->t, key, klen, &v);
		if (!m->keys[k].present) {
			if (!OH_CHECK(m, err == -ENOENT, "key %u: %d", k, err))
				return false;
			continue;
		}
		if (!OH_CHECK(m, !err, "key %u: %d", k, err))
			return false;
		if (!oh_check_found(m, k, &v, buf))
			return false;
		if (v.obj)
			objhash_obj_put(v.obj);
	}
	return true;
}

/*
 * Resize now, to a size in or out of bounds; maybe with the next resizes
 * failing for want of memory (the background resizer may take those).
 */
static bool oh_op_resize(struct oh_model *m)
{
	unsigned int bits = oh_draw(m, m->max_bits + 3);
	int err, want;

	if (oh_draw(m, 4) == 0) {
		objhash_table_fail_resizes(m->t, 1 + oh_draw(m, 2));
		m->resize_fail_armed = true;
	}
	want = bits < m->min_bits || bits > m->max_bits ? -EINVAL : 0;
	err = objhash_table_resize(m->t, bits);
	if (m->resize_fail_armed) {
		objhash_table_fail_resizes(m->t, 0);
		m->resize_fail_armed = false;
		if (!want && err == -ENOMEM)
			return true;
	}
	return OH_CHECK(m, err == want, "resize to %u bits in [%u, %u]: %d",
			bits, m->min_bits, m->max_bits, err);
}

/* Objects of invalid key lengths are refused before anything is allocated. */
static bool oh_op_bad_alloc(struct oh_model *m)
{
	struct objhash_obj *obj;
	u32 klen = oh_draw(m, 2) ? 0 : OBJHASH_KEY_MAX + 1 + oh_draw(m, 100);

	obj = objhash_obj_alloc(m->t, klen, 0, GFP_KERNEL);
	return OH_CHECK(m, PTR_ERR(obj) == -EINVAL, "klen %u: %ld", klen,
			PTR_ERR(obj));
}

bool oh_model_step(struct oh_model *m)
{
	bool ok;

	if (m->fail[0] || (m->data && m->pos >= m->size))
		return false;
	m->nr_ops++;
	switch (oh_draw(m, 21)) {
	case 0 ... 5:
		ok = oh_op_insert(m);
		break;
	case 6 ... 8:
		ok = oh_op_lookup(m);
		break;
	case 9:
		ok = oh_op_lookup_delete(m);
		break;
	case 10 ... 11:
		ok = oh_op_remove(m);
		break;
	case 12:
		ok = oh_op_purge(m);
		break;
	case 13:
		ok = oh_op_stats(m, oh_draw(m, 8) == 0);
		break;
	case 14:
		ok = oh_op_limits(m);
		break;
	case 15 ... 16:
		ok = oh_op_put(m);
		break;
	case 17:
		ok = oh_op_chains(m);
		break;
	case 18:
		ok = oh_op_bad_alloc(m);
		break;
	case 19:
		/* a resize waits for a grace period: a quarter of the time */
		ok = oh_draw(m, 4) ? oh_op_lookup(m) : oh_op_resize(m);
		break;
	default:
		ok = oh_verify_all(m);
	}
	return ok && !m->fail[0];
}

int oh_model_init(struct oh_model *m, unsigned int min_bits,
		  unsigned int max_bits, u64 seed, const u8 *data, size_t size)
{
	memset(m, 0, sizeof(*m));
	m->min_bits = min_bits;
	m->max_bits = max_bits;
	m->rng = seed | 1;
	m->data = data;
	m->size = size;
	m->limits.max_objects = ULONG_MAX;
	m->limits.max_bytes = ULONG_MAX;
	m->limits.max_value_len = OH_VALUE_MAX;
	m->limits.max_memory = ULONG_MAX;
	m->t = objhash_table_create(min_bits, max_bits, &m->limits);
	if (!m->t) {
		snprintf(m->fail, sizeof(m->fail), "objhash_table_create failed");
		return -ENOMEM;
	}
	return 0;
}

int oh_model_finish(struct oh_model *m)
{
	bool ok = !m->fail[0];

	m->nr_ops++;
	if (ok)
		ok = oh_verify_all(m) && oh_op_chains(m) && oh_op_stats(m, true);
	while (m->nr_held) {
		struct oh_held *h = &m->held[--m->nr_held];

		objhash_obj_put(h->obj);
	}
	if (ok)
		ok = oh_op_stats(m, true);
	objhash_table_destroy(m->t);
	m->t = NULL;
	return ok ? 0 : -1;
}
