// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_stress_test: threads racing on the table core, every value
 * self-checking (it encodes its key, its generation, its length and a
 * checksum), built under ThreadSanitizer and under AddressSanitizer with
 * UBSan.
 *
 * - readers_vs_replacers: readers see no torn or foreign value and never
 *   a version or generation going back, while replacers swap every key's
 *   object (small values copied under RCU, large ones referenced).
 * - purge_cut_vs_writers: a purge removes exactly what is at or below its
 *   cut, however it interleaves with creates and replaces.
 * - lookup_delete_winners: of racing LOOKUP_DELETEs (dev.c's lookup, then
 *   remove of the version found) exactly one wins each value.
 *
 * In each, one more thread resizes the table to random sizes all along
 * (sometimes slowed down, so objects sit in two chains for a while), and
 * the table also resizes itself as its load changes.
 *
 * No test depends on speed: every thread runs until all have done their
 * floor of operations (OBJHASH_STRESS_OPS scales them, default 1.0), and
 * a generous deadline (OBJHASH_STRESS_DEADLINE seconds, default 100)
 * fails the test rather than ending it.
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/types.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>

#include "objhash_shim.h"
#include "table.h"
#include "table_internal.h"	/* objhash_rehash_request() */
#include "model.h"
#include "test.h"

#define OH_SHDR		16	/* struct oh_shdr */
#define OH_SBUF		256	/* lookup buffer: larger values are referenced */
#define OH_SMAX		5000	/* the longest fifth are paged */

/* Head of every stress value; the payload follows. */
struct oh_shdr {
	u32 key;
	u32 gen;
	u32 len;
	u32 csum;
};

/* Shared state of one test run. */
struct oh_run {
	struct objhash_table *t;
	struct objhash_limits limits;
	unsigned int min_bits, max_bits;
	pthread_t resizer;
	unsigned long resizes;
	unsigned int nr_threads;
	atomic_uint nr_at_floor;	/* threads that did their floor */
	atomic_bool failed;
	double deadline;
	char why[256];
	pthread_mutex_t why_lock;
};

/* Per-thread xorshift: oh_rand() would serialize the threads on its lock. */
static __thread u64 oh_rng_state;

static u32 oh_rand(void)
{
	if (!oh_rng_state)
		oh_rng_state = objhash_shim_self() * 0x9e3779b97f4a7c15ull | 1;
	oh_rng_state ^= oh_rng_state << 13;
	oh_rng_state ^= oh_rng_state >> 7;
	oh_rng_state ^= oh_rng_state << 17;
	return oh_rng_state >> 32;
}

static double oh_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long oh_floor(unsigned long base)
{
	const char *s = getenv("OBJHASH_STRESS_OPS");
	double scale = s && *s ? atof(s) : 1.0;

	return (unsigned long)(base * scale) ?: 1;
}

__attribute__((format(printf, 2, 3)))
static void oh_run_fail(struct oh_run *r, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&r->why_lock);
	if (!atomic_load(&r->failed)) {
		va_start(ap, fmt);
		vsnprintf(r->why, sizeof(r->why), fmt, ap);
		va_end(ap);
		atomic_store(&r->failed, true);
	}
	pthread_mutex_unlock(&r->why_lock);
}

/*
 * Whether a thread goes on: until every thread did its floor (the caller
 * reports its own once through @at_floor), or a failure, or the deadline,
 * which is a failure.
 */
static bool oh_keep_going(struct oh_run *r, bool *counted, bool at_floor)
{
	if (atomic_load(&r->failed))
		return false;
	if (at_floor && !*counted) {
		*counted = true;
		atomic_fetch_add(&r->nr_at_floor, 1);
	}
	if (atomic_load(&r->nr_at_floor) == r->nr_threads)
		return false;
	if (oh_now() > r->deadline) {
		oh_run_fail(r, "deadline passed before every thread did its floor");
		return false;
	}
	return true;
}

static u32 oh_sval_len(u32 key, u32 gen)
{
	return OH_SHDR + (gen * 37 + key * 11) % (OH_SMAX - OH_SHDR);
}

static u8 oh_sbyte(u32 key, u32 gen, u32 i)
{
	u32 x = key * 0x9e3779b1u ^ gen * 0x85ebca6bu ^ i * 0xc2b2ae35u;

	return (u8)(x ^ x >> 13 ^ x >> 24);
}

static u32 oh_scsum(u32 key, u32 gen, const u8 *payload, u32 n)
{
	u32 h = 2166136261u ^ key ^ gen << 7;
	u32 i;

	for (i = 0; i < n; i++)
		h = (h ^ payload[i]) * 16777619u;
	return h;
}

static void oh_sval_fill(u8 *v, u32 key, u32 gen)
{
	struct oh_shdr h = { key, gen, oh_sval_len(key, gen), 0 };
	u32 i;

	for (i = OH_SHDR; i < h.len; i++)
		v[i] = oh_sbyte(key, gen, i);
	h.csum = oh_scsum(key, gen, v + OH_SHDR, h.len - OH_SHDR);
	memcpy(v, &h, sizeof(h));
}

/* A value read back: whole, of @key, and consistent; returns its gen. */
static bool oh_sval_check(struct oh_run *r, const u8 *v, u32 len, u32 key,
			  u32 *gen)
{
	struct oh_shdr h;
	u32 i;

	if (len < OH_SHDR) {
		oh_run_fail(r, "key %u: value of %u bytes", key, len);
		return false;
	}
	memcpy(&h, v, sizeof(h));
	if (h.key != key || h.len != len || len != oh_sval_len(key, h.gen)) {
		oh_run_fail(r, "key %u: foreign or torn value (key %u gen %u len %u/%u)",
			    key, h.key, h.gen, h.len, len);
		return false;
	}
	if (h.csum != oh_scsum(key, h.gen, v + OH_SHDR, len - OH_SHDR)) {
		oh_run_fail(r, "key %u gen %u: checksum mismatch (torn value)",
			    key, h.gen);
		return false;
	}
	for (i = OH_SHDR; i < len; i++) {
		if (v[i] != oh_sbyte(key, h.gen, i)) {
			oh_run_fail(r, "key %u gen %u: byte %u wrong", key, h.gen, i);
			return false;
		}
	}
	*gen = h.gen;
	return true;
}

static void oh_skey(u32 key, u8 *buf, u32 *len)
{
	memset(buf, 0, 8);
	oh_key_bytes(key % OH_NKEYS, buf, len);
	/* make every id distinct past the model's key set */
	if (*len < 8)
		*len = 8;
	memcpy(buf + *len - 4, &key, 4);
}

/* Look @key up; 0 and *gen, or -ENOENT.  Checks the value it finds. */
static int oh_slookup(struct oh_run *r, u32 key, u64 *version, u32 *gen)
{
	u8 kb[OBJHASH_KEY_MAX], buf[OH_SBUF];
	struct objhash_value v = { .buf = buf, .buf_size = sizeof(buf),
				   .max_len = OBJHASH_VALUE_MAX };
	u8 val[OH_SMAX];
	u32 klen;
	int err;

	oh_skey(key, kb, &klen);
	err = objhash_lookup(r->t, kb, klen, &v);
	if (err)
		return err;
	if (v.obj)
		objhash_obj_value_read(v.obj, 0, val, v.len);
	if (!oh_sval_check(r, v.obj ? val : buf, v.len, key, gen))
		err = -EIO;
	if (v.obj)
		objhash_obj_put(v.obj);
	*version = v.version;
	return err;
}

/* Insert generation @gen of @key; objhash_insert()'s result. */
static int oh_sinsert(struct oh_run *r, u32 key, u32 gen, u32 flags,
		      u64 expect, u64 *version)
{
	u32 klen, vlen = oh_sval_len(key, gen);
	struct objhash_obj *obj;
	u8 val[OH_SMAX];
	int err;

	oh_skey(key, (u8 [OBJHASH_KEY_MAX]){ 0 }, &klen);
	obj = objhash_obj_alloc(r->t, klen, vlen, GFP_KERNEL);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	oh_skey(key, objhash_obj_key(obj), &klen);
	oh_sval_fill(val, key, gen);
	objhash_obj_value_write(obj, 0, val, vlen);
	err = objhash_insert(r->t, obj, flags, expect, version);
	if (err)
		objhash_obj_free(obj);
	return err;
}

/* Start @n threads running @fn(@arg[i]), wait for them all. */
static void oh_run_threads(unsigned int n, void *(*fn)(void *), void *args,
			   size_t arg_size)
{
	pthread_t th[16];
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, fn, (char *)args + i * arg_size))
			abort();
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
}

/* Resize to random sizes until every thread did its floor. */
static void *oh_resizer_fn(void *arg)
{
	struct oh_run *r = arg;
	unsigned long floor = oh_floor(100);
	bool counted = false;
	unsigned int bits;
	int err;

	objhash_shim_thread_start();
	while (oh_keep_going(r, &counted, r->resizes >= floor)) {
		bits = r->min_bits + oh_rand() % (r->max_bits - r->min_bits + 1);
		objhash_table_slow_resizes(r->t, oh_rand() % 4 ? 0 : 20);
		err = objhash_table_resize(r->t, bits);
		if (err) {
			oh_run_fail(r, "resize to %u bits: %d", bits, err);
			break;
		}
		r->resizes++;
	}
	objhash_table_slow_resizes(r->t, 0);
	objhash_shim_thread_stop();
	return NULL;
}

/*
 * A table of 2^@min_bits..2^@max_bits buckets for @nr_threads threads,
 * plus the resizer, which starts at once.
 */
static int oh_run_init(struct oh_run *r, unsigned int min_bits,
		       unsigned int max_bits, unsigned int nr_threads)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->why_lock, NULL);
	r->limits.max_objects = ~0UL;
	r->limits.max_bytes = ~0UL;
	r->limits.max_value_len = OBJHASH_VALUE_MAX;
	r->limits.max_memory = ~0UL;
	r->nr_threads = nr_threads + 1;
	r->min_bits = min_bits;
	r->max_bits = max_bits;
	r->deadline = oh_now() + oh_env("OBJHASH_STRESS_DEADLINE", 100);
	r->t = objhash_table_create(min_bits, max_bits, &r->limits);
	if (!r->t)
		return -1;
	if (pthread_create(&r->resizer, NULL, oh_resizer_fn, r))
		abort();
	return 0;
}

/* Final consistency of the counters, then the table goes. */
static int oh_run_finish(struct oh_run *r, const char *name)
{
	struct objhash_stats st;
	u64 purged;

	pthread_join(r->resizer, NULL);
	printf("# %lu resizes\n", r->resizes);
	objhash_purge(r->t, 0, NULL, 0, true, &purged);
	objhash_table_stats(r->t, &st);
	if (!r->failed && (st.objects || st.bytes || st.pending_release ||
			   st.inserts != st.deletes + st.purged))
		oh_run_fail(r, "after the final purge: %llu objects, %llu bytes, %llu pending, %llu inserts != %llu deletes + %llu purged",
			    (unsigned long long)st.objects,
			    (unsigned long long)st.bytes,
			    (unsigned long long)st.pending_release,
			    (unsigned long long)st.inserts,
			    (unsigned long long)st.deletes,
			    (unsigned long long)st.purged);
	objhash_table_destroy(r->t);
	if (r->failed) {
		printf("# %s: %s\n", name, r->why);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* readers_vs_replacers */

#define OH_RR_KEYS	64

struct oh_rr_thread {
	struct oh_run *r;
	unsigned int id;
	bool writer;
	unsigned long ops;
};

static _Atomic u32 oh_rr_gen[OH_RR_KEYS];

static void oh_rr_replace(struct oh_rr_thread *th, u64 *last)
{
	struct oh_run *r = th->r;
	/* writer i owns keys k with k % 2 == i: no one else replaces them */
	u32 key = (oh_rand() % (OH_RR_KEYS / 2)) * 2 + th->id;
	u32 gen = atomic_load(&oh_rr_gen[key]) + 1;
	u64 expect = oh_rand() % 2 ? last[key] : 0, version;
	int err;

	err = oh_sinsert(r, key, gen, OBJHASH_INSERT_REPLACE |
			 OBJHASH_INSERT_NOCREATE, expect, &version);
	if (err || version <= last[key]) {
		oh_run_fail(r, "replace key %u expect %llu: %d, version %llu after %llu",
			    key, (unsigned long long)expect, err,
			    (unsigned long long)version,
			    (unsigned long long)last[key]);
		return;
	}
	last[key] = version;
	atomic_store(&oh_rr_gen[key], gen);
	th->ops++;
}

static void oh_rr_read(struct oh_rr_thread *th, u64 *seen_v, u32 *seen_g)
{
	u32 key = oh_rand() % OH_RR_KEYS, gen;
	u64 version;
	int err;

	err = oh_slookup(th->r, key, &version, &gen);
	if (err) {
		if (err != -EIO)
			oh_run_fail(th->r, "lookup key %u: %d", key, err);
		return;
	}
	if (version < seen_v[key] || gen < seen_g[key] ||
	    (version == seen_v[key]) != (gen == seen_g[key])) {
		oh_run_fail(th->r, "key %u went back: v%llu gen %u after v%llu gen %u",
			    key, (unsigned long long)version, gen,
			    (unsigned long long)seen_v[key], seen_g[key]);
		return;
	}
	seen_v[key] = version;
	seen_g[key] = gen;
	th->ops++;
}

static void *oh_rr_thread_fn(void *arg)
{
	struct oh_rr_thread *th = arg;
	unsigned long floor = oh_floor(th->writer ? 100000 : 200000);
	u64 versions[OH_RR_KEYS] = { 0 };
	u32 gens[OH_RR_KEYS] = { 0 };
	bool counted = false;
	unsigned int i;

	objhash_shim_thread_start();
	/* the writers' last versions start where the setup left them */
	for (i = 0; th->writer && i < OH_RR_KEYS; i++)
		versions[i] = i + 1;
	while (oh_keep_going(th->r, &counted, th->ops >= floor)) {
		if (th->writer)
			oh_rr_replace(th, versions);
		else
			oh_rr_read(th, versions, gens);
	}
	objhash_shim_thread_stop();
	return NULL;
}

static int test_readers_vs_replacers(void)
{
	struct oh_rr_thread th[4];
	struct oh_run r;
	unsigned int i;
	u64 version;

	if (oh_run_init(&r, 1, 6, ARRAY_SIZE(th)))
		return -1;
	for (i = 0; i < OH_RR_KEYS; i++) {
		atomic_store(&oh_rr_gen[i], 1);
		if (oh_sinsert(&r, i, 1, 0, 0, &version) || version != i + 1)
			oh_run_fail(&r, "setup insert %u", i);
	}
	for (i = 0; i < ARRAY_SIZE(th); i++)
		th[i] = (struct oh_rr_thread){ &r, i % 2, i < 2, 0 };
	if (!r.failed)
		oh_run_threads(ARRAY_SIZE(th), oh_rr_thread_fn, th, sizeof(th[0]));
	printf("# replaces %lu + %lu, lookups %lu + %lu\n", th[0].ops,
	       th[1].ops, th[2].ops, th[3].ops);
	return oh_run_finish(&r, "readers_vs_replacers");
}

/* ------------------------------------------------------------------ */
/* purge_cut_vs_writers */

#define OH_PC_KEYS	256	/* per writer */

struct oh_pc_thread {
	struct oh_run *r;
	unsigned int id;
	unsigned long ops;
	u64 purged;
};

/* The highest cut any purge has started with (set before it starts). */
static _Atomic u64 oh_pc_max_cut;

/*
 * Re-write one of my keys.  If a purge took it, the purge's cut must have
 * been at or above its version: nothing above every cut may go.
 */
static void oh_pc_write(struct oh_pc_thread *th, u64 *last, u32 *gen)
{
	struct oh_run *r = th->r;
	u32 i = oh_rand() % OH_PC_KEYS, key = th->id * OH_PC_KEYS + i;
	u64 version;
	int err;

	if (last[i]) {
		err = oh_sinsert(r, key, ++gen[i], OBJHASH_INSERT_REPLACE |
				 OBJHASH_INSERT_NOCREATE, last[i], &version);
		if (!err) {
			last[i] = version;
			th->ops++;
			return;
		}
		if (err != -ENOENT) {
			oh_run_fail(r, "replace key %u v%llu: %d", key,
				    (unsigned long long)last[i], err);
			return;
		}
		if (last[i] > atomic_load(&oh_pc_max_cut)) {
			oh_run_fail(r, "key %u v%llu purged, above every cut (%llu)",
				    key, (unsigned long long)last[i],
				    (unsigned long long)atomic_load(&oh_pc_max_cut));
			return;
		}
	}
	err = oh_sinsert(r, key, ++gen[i], 0, 0, &version);
	if (err) {
		oh_run_fail(r, "create key %u: %d", key, err);
		return;
	}
	last[i] = version;
	th->ops++;
}

static void *oh_pc_writer_fn(void *arg)
{
	struct oh_pc_thread *th = arg;
	u64 last[OH_PC_KEYS] = { 0 };
	u32 gen[OH_PC_KEYS] = { 0 };
	unsigned long floor = oh_floor(100000);
	bool counted = false;

	objhash_shim_thread_start();
	while (oh_keep_going(th->r, &counted, th->ops >= floor))
		oh_pc_write(th, last, gen);
	objhash_shim_thread_stop();
	return NULL;
}

/* After a purge to @cut: nothing at or below it may remain. */
static void oh_pc_scan(struct oh_run *r, u64 cut, unsigned int nr_keys)
{
	u32 key, gen;
	u64 version;

	for (key = 0; key < nr_keys; key++) {
		if (oh_slookup(r, key, &version, &gen) || version > cut)
			continue;
		oh_run_fail(r, "key %u v%llu survived a purge to %llu", key,
			    (unsigned long long)version,
			    (unsigned long long)cut);
		return;
	}
}

static void *oh_pc_purger_fn(void *arg)
{
	struct oh_pc_thread *th = arg;
	unsigned long floor = oh_floor(150);
	struct objhash_stats st;
	bool counted = false;
	u64 cut, purged;
	int err;

	objhash_shim_thread_start();
	while (oh_keep_going(th->r, &counted, th->ops >= floor)) {
		objhash_table_stats(th->r->t, &st);
		cut = st.version;
		atomic_store(&oh_pc_max_cut, cut);
		err = objhash_purge(th->r->t, cut, NULL, 0, th->ops % 2, &purged);
		if (err) {
			oh_run_fail(th->r, "purge: %d", err);
			break;
		}
		th->purged += purged;
		oh_pc_scan(th->r, cut, 2 * OH_PC_KEYS);
		th->ops++;
	}
	objhash_shim_thread_stop();
	return NULL;
}

static void *oh_pc_thread_fn(void *arg)
{
	struct oh_pc_thread *th = arg;

	return th->id < 2 ? oh_pc_writer_fn(arg) : oh_pc_purger_fn(arg);
}

static int test_purge_cut_vs_writers(void)
{
	struct oh_pc_thread th[3];
	struct objhash_stats st;
	struct oh_run r;
	unsigned int i;

	if (oh_run_init(&r, 2, 9, ARRAY_SIZE(th)))
		return -1;
	atomic_store(&oh_pc_max_cut, 0);
	for (i = 0; i < ARRAY_SIZE(th); i++)
		th[i] = (struct oh_pc_thread){ &r, i, 0, 0 };
	oh_run_threads(ARRAY_SIZE(th), oh_pc_thread_fn, th, sizeof(th[0]));
	objhash_table_stats(r.t, &st);
	if (!r.failed && st.purged != th[2].purged)
		oh_run_fail(&r, "stats say %llu purged, purges returned %llu",
			    (unsigned long long)st.purged,
			    (unsigned long long)th[2].purged);
	printf("# writes %lu + %lu, purges %lu (%llu objects)\n", th[0].ops,
	       th[1].ops, th[2].ops, (unsigned long long)th[2].purged);
	return oh_run_finish(&r, "purge_cut_vs_writers");
}

/* ------------------------------------------------------------------ */
/* lookup_delete_winners */

#define OH_LD_KEYS	4
#define OH_LD_GENS	(1U << 20)

enum { OH_FATE_NONE, OH_FATE_WON, OH_FATE_REPLACED };

struct oh_ld_thread {
	struct oh_run *r;
	unsigned int id;
	unsigned long ops, wins;
};

static _Atomic u8 *oh_ld_fate[OH_LD_KEYS];
static _Atomic u32 oh_ld_made[OH_LD_KEYS];	/* generations linked */
static atomic_bool oh_ld_producing;

static bool oh_ld_settle(struct oh_run *r, u32 key, u32 gen, u8 fate)
{
	u8 old = OH_FATE_NONE;

	if (gen == 0 || gen > atomic_load(&oh_ld_made[key])) {
		oh_run_fail(r, "key %u: gen %u never linked", key, gen);
		return false;
	}
	if (atomic_compare_exchange_strong(&oh_ld_fate[key][gen], &old, fate))
		return true;
	oh_run_fail(r, "key %u gen %u: %s after it was %s", key, gen,
		    fate == OH_FATE_WON ? "won" : "replaced",
		    old == OH_FATE_WON ? "won already" : "replaced");
	return false;
}

/*
 * dev.c's LOOKUP_DELETE: look the key up, then remove exactly the version
 * found; a replace in between (-ESTALE) means look again, another deleter
 * in between (-ENOENT) means lost.
 */
static int oh_ld_lookup_delete(struct oh_run *r, u32 key, u32 *gen)
{
	u8 kb[OBJHASH_KEY_MAX];
	u64 version;
	u32 klen;
	int err;

	oh_skey(key, kb, &klen);
	do {
		err = oh_slookup(r, key, &version, gen);
		if (err)
			return err;
		err = objhash_remove(r->t, kb, klen, version);
	} while (err == -ESTALE);
	return err;
}

static void oh_ld_consume(struct oh_ld_thread *th)
{
	u32 key = oh_rand() % OH_LD_KEYS, gen;
	int err;

	err = oh_ld_lookup_delete(th->r, key, &gen);
	th->ops++;
	if (err == -ENOENT) {
		/*
		 * Nothing to race for: now and then let the producer run
		 * (each yield may cost a time slice on a loaded machine).
		 */
		if (!(th->ops % 16))
			sched_yield();
		return;
	}
	if (err) {
		if (err != -EIO)
			oh_run_fail(th->r, "lookup_delete key %u: %d", key, err);
		return;
	}
	if (oh_ld_settle(th->r, key, gen, OH_FATE_WON))
		th->wins++;
}

/* Link the next generation of @key: create, or replace what is there. */
static void oh_ld_produce(struct oh_ld_thread *th, u32 key)
{
	struct oh_run *r = th->r;
	u32 gen = atomic_load(&oh_ld_made[key]) + 1, old_gen;
	u64 version, old;
	int err;

	/* the generation is counted first, so a fast winner finds it made */
	atomic_store(&oh_ld_made[key], gen);
	if (oh_rand() % 4) {
		err = oh_sinsert(r, key, gen, 0, 0, &version);
		if (!err) {
			th->ops++;
			return;
		}
		if (err != -EEXIST)
			oh_run_fail(r, "create key %u gen %u: %d", key, gen, err);
		atomic_store(&oh_ld_made[key], gen - 1);
		return;
	}
	err = oh_slookup(r, key, &old, &old_gen);
	if (err) {
		if (err != -ENOENT && err != -EIO)
			oh_run_fail(r, "lookup key %u: %d", key, err);
		atomic_store(&oh_ld_made[key], gen - 1);
		return;
	}
	err = oh_sinsert(r, key, gen, OBJHASH_INSERT_REPLACE |
			 OBJHASH_INSERT_NOCREATE, old, &version);
	if (!err) {
		oh_ld_settle(r, key, old_gen, OH_FATE_REPLACED);
		th->ops++;
		return;
	}
	if (err != -ESTALE && err != -ENOENT)
		oh_run_fail(r, "replace key %u v%llu: %d", key,
			    (unsigned long long)old, err);
	atomic_store(&oh_ld_made[key], gen - 1);
}

static void *oh_ld_thread_fn(void *arg)
{
	struct oh_ld_thread *th = arg;
	unsigned long floor = oh_floor(th->id ? 100000 : 50000);
	bool counted = false;

	objhash_shim_thread_start();
	while (oh_keep_going(th->r, &counted, th->ops >= floor)) {
		if (th->id) {
			oh_ld_consume(th);
			continue;
		}
		if (th->ops < floor)
			oh_ld_produce(th, oh_rand() % OH_LD_KEYS);
		else
			sched_yield();
	}
	objhash_shim_thread_stop();
	return NULL;
}

/* Every generation made was won once, replaced, or is still there. */
static void oh_ld_account(struct oh_run *r)
{
	u32 key, gen, live;
	u64 version;

	for (key = 0; key < OH_LD_KEYS && !r->failed; key++) {
		if (oh_slookup(r, key, &version, &live))
			live = 0;
		for (gen = 1; gen <= atomic_load(&oh_ld_made[key]); gen++) {
			if ((oh_ld_fate[key][gen] != OH_FATE_NONE) != (gen != live)) {
				oh_run_fail(r, "key %u gen %u: fate %u, live gen %u",
					    key, gen, oh_ld_fate[key][gen], live);
				return;
			}
		}
	}
}

static int test_lookup_delete_winners(void)
{
	struct oh_ld_thread th[3];
	struct oh_run r;
	unsigned int i;
	int err;

	if (oh_run_init(&r, 1, 3, ARRAY_SIZE(th)))
		return -1;
	for (i = 0; i < OH_LD_KEYS; i++) {
		oh_ld_fate[i] = calloc(OH_LD_GENS, 1);
		atomic_store(&oh_ld_made[i], 0);
	}
	atomic_store(&oh_ld_producing, true);
	for (i = 0; i < ARRAY_SIZE(th); i++)
		th[i] = (struct oh_ld_thread){ &r, i, 0, 0 };
	oh_run_threads(ARRAY_SIZE(th), oh_ld_thread_fn, th, sizeof(th[0]));
	oh_ld_account(&r);
	printf("# linked %lu, lookup_deletes %lu + %lu, won %lu + %lu\n",
	       th[0].ops, th[1].ops, th[2].ops, th[1].wins, th[2].wins);
	if (!r.failed && (!th[1].wins || !th[2].wins))
		oh_run_fail(&r, "a deleter never won: no race was run");
	err = oh_run_finish(&r, "lookup_delete_winners");
	for (i = 0; i < OH_LD_KEYS; i++)
		free(oh_ld_fate[i]);
	return err;
}

/* ------------------------------------------------------------------ */
/* dump_vs_writers */

#define OH_DW_STABLE	200	/* keys 0..: linked throughout */
#define OH_DW_CHURN	200	/* keys 1000..: replaced, deleted, created */
#define OH_DW_IDS	1200

struct oh_dw_thread {
	struct oh_run *r;
	bool dumper;
	unsigned long ops;		/* dumps done, or writes */
	unsigned long stale;		/* dumps a rehash ended */
	unsigned long overlapped;	/* dumps during which a write landed */
	unsigned long rehashing;	/* dumps begun while a rehash ran */
};

/*
 * Ask for a rehash and wait (briefly) until it is under way, so the dump
 * that follows begins in the middle of it.  Return: whether it was.
 */
static bool oh_dw_rehash_start(struct objhash_table *t)
{
	double until = oh_now() + 0.01;
	bool running;

	/* slow enough that the dump's first step meets it (the resizer
	 * thread may set another pace meanwhile: then it is just faster) */
	objhash_table_slow_resizes(t, 200);
	objhash_rehash_request(t);
	do {
		struct objhash_array *a, *f;

		rcu_read_lock();
		a = rcu_dereference(t->tbl);
		f = rcu_dereference(a->future);
		running = f && f->epoch != a->epoch;
		rcu_read_unlock();
	} while (!running && oh_now() < until);
	return running;
}

/*
 * Check one collected object: a key of ours, not seen before in this
 * dump, with a whole value of its own.
 */
static bool oh_dw_record(struct oh_run *r, struct objhash_obj *obj, u8 *seen)
{
	const u8 *key = objhash_obj_key(obj);
	u32 klen = objhash_obj_key_len(obj), id, gen;
	u8 val[OH_SMAX];

	if (klen < 8) {
		oh_run_fail(r, "dump: a key of %u bytes", klen);
		return false;
	}
	memcpy(&id, key + klen - 4, 4);
	if (id >= OH_DW_IDS || (id >= OH_DW_STABLE && id < 1000)) {
		oh_run_fail(r, "dump: unknown key %u", id);
		return false;
	}
	if (seen[id]++) {
		oh_run_fail(r, "dump: key %u returned twice in one dump", id);
		return false;
	}
	if (objhash_obj_value_len(obj) > OH_SMAX) {
		oh_run_fail(r, "dump: key %u: a value of %u bytes", id,
			    objhash_obj_value_len(obj));
		return false;
	}
	objhash_obj_value_read(obj, 0, val, objhash_obj_value_len(obj));
	return oh_sval_check(r, val, objhash_obj_value_len(obj), id, &gen);
}

/*
 * One whole dump, as DUMP does it, with the cursor encoded and decoded
 * between steps and steps of random sizes, each consumed in part at
 * random, as a full user buffer would: every stable key exactly once.
 * Return: 1 done, 0 ended by a rehash (ESTALE), -1 failed.
 */
static int oh_dw_dump(struct oh_run *r, u8 *seen)
{
	static __thread struct objhash_walk w;
	u64 cursor[OBJHASH_CURSOR_WORDS] = { 0 };
	unsigned int i, k;
	int err;

	memset(seen, 0, OH_DW_IDS);
	for (;;) {
		err = objhash_cursor_decode(r->t, cursor, &w);
		if (err) {
			oh_run_fail(r, "dump: cursor decode %d", err);
			return -1;
		}
		if (w.done)
			break;
		w.min_version = 0;
		w.max_version = U64_MAX;
		err = objhash_walk_step(r->t, &w, 1 + oh_rand() % OBJHASH_WALK_MAX);
		if (err == -ESTALE)
			return 0;
		if (err) {
			oh_run_fail(r, "dump: step %d", err);
			return -1;
		}
		/* take a prefix of the step, never splitting equal positions */
		k = oh_rand() % 4 ? w.nr : oh_rand() % (w.nr + 1);
		while (k && k < w.nr && w.ents[k].ord == w.ents[k - 1].ord)
			k--;
		for (i = 0; i < k; i++)
			if (!oh_dw_record(r, w.ents[i].obj, seen))
				break;
		if (k < w.nr)
			w.pos = w.ents[k].ord;
		else if (w.end)
			w.done = true;
		else
			w.pos = w.next;
		objhash_walk_put(&w, 0);
		if (r->failed)
			return -1;
		objhash_cursor_encode(r->t, &w, cursor);
	}
	for (i = 0; i < OH_DW_STABLE; i++) {
		if (seen[i] != 1) {
			oh_run_fail(r, "dump: stable key %u returned %u times",
				    i, seen[i]);
			return -1;
		}
	}
	return 1;
}

static void *oh_dw_thread_fn(void *arg)
{
	struct oh_dw_thread *th = arg;
	struct oh_run *r = th->r;
	unsigned long floor = th->dumper ? oh_floor(40) : oh_floor(20000);
	u8 seen[OH_DW_IDS];
	bool counted = false;
	u32 gen = 1;
	u64 version;

	objhash_shim_thread_start();
	while (oh_keep_going(r, &counted, th->ops >= floor)) {
		if (th->dumper) {
			u64 v0 = objhash_table_version(r->t);
			int done;

			/*
			 * Now and then a rehash (new secret) as a flood would
			 * ask for: a dump begun before it fails ESTALE, one
			 * begun while it runs waits for it.
			 */
			if (!(oh_rand() % 4))
				th->rehashing += oh_dw_rehash_start(r->t);
			done = oh_dw_dump(r, seen);

			if (done < 0)
				break;
			th->ops += done;
			th->stale += !done;
			th->overlapped += objhash_table_version(r->t) != v0;
			continue;
		}
		u32 key = 1000 + oh_rand() % OH_DW_CHURN;
		u8 kb[OBJHASH_KEY_MAX];
		u32 klen;

		switch (oh_rand() % 3) {
		case 0:
			oh_sinsert(r, key, ++gen, 0, 0, &version);
			break;
		case 1:
			oh_sinsert(r, key, ++gen, OBJHASH_INSERT_REPLACE, 0,
				   &version);
			break;
		default:
			oh_skey(key, kb, &klen);
			objhash_remove(r->t, kb, klen, 0);
		}
		th->ops++;
	}
	objhash_shim_thread_stop();
	return NULL;
}

static int test_dump_vs_writers(void)
{
	struct oh_dw_thread th[3];
	struct oh_run r;
	unsigned int i;
	u64 version;

	if (oh_run_init(&r, 1, 8, ARRAY_SIZE(th)))
		return -1;
	for (i = 0; i < OH_DW_STABLE; i++)
		if (oh_sinsert(&r, i, 1, 0, 0, &version))
			oh_run_fail(&r, "setup insert %u", i);
	for (i = 0; i < ARRAY_SIZE(th); i++)
		th[i] = (struct oh_dw_thread){ .r = &r, .dumper = !i };
	if (!r.failed)
		oh_run_threads(ARRAY_SIZE(th), oh_dw_thread_fn, th,
			       sizeof(th[0]));
	printf("# dumps %lu (%lu with writes during them, %lu begun during a rehash, %lu ended by one), writes %lu + %lu\n",
	       th[0].ops, th[0].overlapped, th[0].rehashing, th[0].stale,
	       th[1].ops, th[2].ops);
	if (!r.failed && !th[0].overlapped)
		oh_run_fail(&r, "no dump ran while a write landed");
	return oh_run_finish(&r, "dump_vs_writers");
}

/*
 * A dump begun while a rehash moves every object to a new secret waits
 * for it and then walks the new order: whole, not stale (nothing was
 * returned before the rehash).  A table of fixed size, so the rehash is
 * not dropped for a grow, slowed so the dump meets it.
 */
static int test_dump_during_rehash(void)
{
	struct oh_run r;
	unsigned int i, met = 0, rounds;
	u8 seen[OH_DW_IDS];
	u64 version;
	int done;

	if (oh_run_init(&r, 6, 6, 0))
		return -1;
	for (i = 0; i < OH_DW_STABLE; i++)
		if (oh_sinsert(&r, i, 1, 0, 0, &version))
			oh_run_fail(&r, "setup insert %u", i);
	for (rounds = 0; rounds < 50 && met < 3 && !r.failed; rounds++) {
		/* the rate limit: one rehash per as many creates as objects */
		for (i = 0; i < OH_DW_STABLE; i++) {
			oh_sinsert(&r, 1000 + i % OH_DW_CHURN, 1, 0, 0, &version);
		}
		for (i = 0; i < OH_DW_CHURN; i++) {
			u8 kb[OBJHASH_KEY_MAX];
			u32 klen;

			oh_skey(1000 + i, kb, &klen);
			objhash_remove(r.t, kb, klen, 0);
		}
		objhash_table_slow_resizes(r.t, 500);
		if (!oh_dw_rehash_start(r.t))
			continue;
		met++;
		done = oh_dw_dump(&r, seen);
		if (done != 1 && !r.failed)
			oh_run_fail(&r, "a dump begun during a rehash: %d", done);
	}
	objhash_table_slow_resizes(r.t, 0);
	if (!r.failed && !met)
		oh_run_fail(&r, "no dump began during a rehash");
	printf("# %u dumps begun during a rehash\n", met);
	atomic_store(&r.nr_at_floor, r.nr_threads);
	return oh_run_finish(&r, "dump_during_rehash");
}

static const struct oh_case oh_cases[] = {
	{ "readers_vs_replacers", test_readers_vs_replacers },
	{ "purge_cut_vs_writers", test_purge_cut_vs_writers },
	{ "lookup_delete_winners", test_lookup_delete_winners },
	{ "dump_vs_writers", test_dump_vs_writers },
	{ "dump_during_rehash", test_dump_during_rehash },
};

int main(int argc, char **argv)
{
	return oh_test_main(argc, argv, oh_cases, ARRAY_SIZE(oh_cases));
}
