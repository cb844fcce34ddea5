// SPDX-License-Identifier: GPL-2.0
/*
 * objhash stress test: several threads run a random mix of INSERT (create,
 * replace, replace-only, conditional replace), LOOKUP (full buffer, size
 * probe, short buffer), LOOKUP_DELETE, DELETE (plain and conditional) and an
 * occasional PURGE (all or up to a version, with and without PURGE_WAIT) on
 * a small hot key set and a larger cold one.
 *
 * It runs until every thread has reached its floor: OBJHASH_STRESS_OPS
 * operations, and at least one of each kind that proves a path ran (a
 * successful create or replace, a conditional replace that won, a delete
 * and a LOOKUP_DELETE that removed something, an ERANGE size probe, a
 * small and a large value read back whole, a PURGE), and at least
 * OBJHASH_STRESS_SECONDS have passed (a soak knob; the verdict never
 * depends on how fast the machine is).  A thread still under its floor
 * after OBJHASH_STRESS_DEADLINE seconds fails the test.
 *
 * Every value is self-describing: a header with the key id, the length, the
 * writer and a per-writer generation, then payload bytes derived from them,
 * and a checksum over all of it.  Every value read back is checked for
 *  - torn reads: the checksum or length does not match;
 *  - foreign reads: the value names another key;
 *  - stale reads: one thread's view of a key's version went backwards
 *    (versions come from one counter, so a later write always has a larger
 *    version, also across a delete and re-create);
 *  - version mismatch: the (value, version) pair returned differs from the
 *    one the writer recorded when INSERT handed it that version.
 * At the end everything is purged with PURGE_WAIT; objects, bytes and
 * pending_release must be 0, and the event counters' deltas must equal what
 * the threads counted.  Under a kernel with kmemleak, a scan must report
 * nothing that mentions objhash.
 *
 * Knobs: OBJHASH_STRESS_SECONDS (default 8), OBJHASH_STRESS_THREADS (4),
 * OBJHASH_STRESS_OPS (1000 per thread), OBJHASH_STRESS_DEADLINE (400), or
 * --seconds N / --threads N on the command line; OBJHASH_STRESS_SEED.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdatomic.h>
#include <time.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define HOT_KEYS	8
#define COLD_KEYS	4096
#define NR_KEYS		(HOT_KEYS + COLD_KEYS)
#define SMALL_MAX	255		/* copied under RCU by the module */
#define LARGE_MIN	1024
#define LARGE_MAX	(16 * 1024)	/* pinned with a reference */
#define VALUE_MAGIC	0x0b1a5bedU
#define MAX_THREADS	64
/* Versions (relative to the start) whose value checksum is recorded. */
#define VERLOG_SIZE	(4U << 20)

static unsigned int opt_seconds = 8;
static unsigned int opt_threads = 4;
static unsigned long opt_ops = 1000;
static unsigned int opt_deadline = 400;
static unsigned long long opt_seed;

/* Header at the start of every value that is long enough for it. */
struct val_hdr {
	__u32 magic;
	__u32 key_id;
	__u32 len;
	__u32 writer;
	__u64 gen;
	__u32 sum;		/* over the whole value with sum = 0 */
	__u32 pad;
};

/* The run's shared state; threads only write their own struct worker. */
struct run {
	unsigned int tag;		/* keeps keys apart from other runs */
	__u64 ver_base;			/* table version before the run */
	_Atomic __u32 *verlog;		/* checksum by version - ver_base */
	atomic_bool stop;
};

/* Operation counters of one thread, and the errors it found. */
struct counts {
	unsigned long ops;
	unsigned long inserts_ok;	/* creates + replaces */
	unsigned long lookups;		/* LOOKUP calls incl. LOOKUP_DELETE */
	unsigned long hits;		/* ... that found the key */
	unsigned long deletes_ok;	/* DELETE + LOOKUP_DELETE that removed */
	unsigned long takes;		/* LOOKUP_DELETE that removed */
	unsigned long cond_ok;		/* replaces with an expected version */
	unsigned long erange;		/* LOOKUP that failed ERANGE */
	unsigned long purges;
	unsigned long purged;		/* sum of PURGE's purged */
	unsigned long large_reads;
	unsigned long small_reads;
	unsigned long torn;
	unsigned long foreign;
	unsigned long stale;
	unsigned long vermismatch;
	unsigned long bad_errno;
	int last_bad_errno;
	char first_error[160];
};

struct worker {
	pthread_t tid;
	struct run *run;
	unsigned int id;
	int fd;
	__u64 rng;
	__u64 gen;
	__u64 seen[NR_KEYS];		/* highest version this thread saw */
	struct counts c;
	atomic_bool at_floor;		/* reached every floor */
	unsigned char *wbuf, *rbuf;
};

/* Has @c done enough, of every kind, to count? */
static bool counts_at_floor(const struct counts *c)
{
	return c->ops >= opt_ops && c->inserts_ok && c->cond_ok &&
	       c->deletes_ok > c->takes && c->takes && c->erange &&
	       c->small_reads && c->large_reads && c->purges;
}

static __u64 rng_next(__u64 *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static unsigned int rng_below(__u64 *s, unsigned int n)
{
	return (unsigned int)((rng_next(s) >> 32) % n);
}

static __u32 fnv1a(const unsigned char *p, size_t n)
{
	__u32 h = 2166136261U;

	while (n--)
		h = (h ^ *p++) * 16777619U;
	return h ?: 1;
}

static unsigned int key_make(const struct run *r, unsigned int id, char *key)
{
	return sprintf(key, "stress-%x-%s%u", r->tag, id < HOT_KEYS ? "h" : "c",
		       id);
}

/* Fill @buf with a value of @len bytes for @key_id; returns its checksum. */
static __u32 value_make(unsigned char *buf, __u32 len, __u32 key_id,
			__u32 writer, __u64 gen)
{
	struct val_hdr h = {
		.magic = VALUE_MAGIC, .key_id = key_id, .len = len,
		.writer = writer, .gen = gen,
	};
	__u64 s = (gen << 20) ^ ((__u64)key_id << 8) ^ writer ^ 0x9e3779b9ULL;
	__u32 i, sum;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(rng_next(&s) >> 56);
	if (len < sizeof(h))
		return fnv1a(buf, len) ^ key_id ^ (len << 16);
	memcpy(buf, &h, sizeof(h));
	sum = fnv1a(buf, len);
	memcpy(buf + offsetof(struct val_hdr, sum), &sum, sizeof(sum));
	return sum;
}

static void note_error(struct counts *c, const char *fmt, ...)
{
	va_list ap;

	if (c->first_error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(c->first_error, sizeof(c->first_error), fmt, ap);
	va_end(ap);
}

/*
 * Check a value read for @key_id with @version.  Short values (under a
 * header) carry no header: they are checked against the deterministic
 * content of some generation by their checksum in the version log only.
 */
static void value_check(struct worker *w, unsigned int key_id,
			const unsigned char *buf, __u32 len, __u64 version)
{
	struct run *r = w->run;
	struct counts *c = &w->c;
	__u64 rel = version - r->ver_base;
	__u32 sum, logged;
	struct val_hdr h;
	unsigned char tmp[sizeof(h)];

	if (len >= LARGE_MIN)
		c->large_reads++;
	else
		c->small_reads++;
	if (len >= sizeof(h)) {
		memcpy(&h, buf, sizeof(h));
		if (h.magic != VALUE_MAGIC || h.len != len) {
			c->torn++;
			note_error(c, "key %u: bad header magic %#x len %u/%u",
				   key_id, h.magic, h.len, len);
			return;
		}
		if (h.key_id != key_id) {
			c->foreign++;
			note_error(c, "key %u: value of key %u", key_id,
				   h.key_id);
			return;
		}
		memcpy(tmp, buf, sizeof(h));
		memset(tmp + offsetof(struct val_hdr, sum), 0, sizeof(h.sum));
		/* checksum of the value with the sum field zeroed */
		{
			__u32 hh = 2166136261U;
			size_t i;

			for (i = 0; i < sizeof(h); i++)
				hh = (hh ^ tmp[i]) * 16777619U;
			for (; i < len; i++)
				hh = (hh ^ buf[i]) * 16777619U;
			sum = hh ?: 1;
		}
		if (sum != h.sum) {
			c->torn++;
			note_error(c, "key %u len %u: checksum %#x != %#x",
				   key_id, len, sum, h.sum);
			return;
		}
	} else {
		sum = fnv1a(buf, len) ^ key_id ^ (len << 16);
	}
	if (version <= r->ver_base) {
		c->vermismatch++;
		note_error(c, "key %u: version %llu from before the run",
			   key_id, (unsigned long long)version);
		return;
	}
	if (rel < VERLOG_SIZE) {
		logged = atomic_load_explicit(&r->verlog[rel],
					      memory_order_acquire);
		if (logged && logged != sum) {
			c->vermismatch++;
			note_error(c, "key %u: version %llu has sum %#x, writer logged %#x",
				   key_id, (unsigned long long)version, sum,
				   logged);
		}
	}
}

/* A thread's view of a key's version must never go back. */
static void version_seen(struct worker *w, unsigned int key_id, __u64 version)
{
	if (version < w->seen[key_id]) {
		w->c.stale++;
		note_error(&w->c, "key %u: version %llu after %llu", key_id,
			   (unsigned long long)version,
			   (unsigned long long)w->seen[key_id]);
	} else {
		w->seen[key_id] = version;
	}
}

static void bad_errno(struct worker *w, const char *op, int err)
{
	w->c.bad_errno++;
	w->c.last_bad_errno = -err;
	note_error(&w->c, "%s: unexpected %s", op, strerror(-err));
}

static __u32 value_len_pick(__u64 *rng)
{
	if (rng_below(rng, 4))
		return rng_below(rng, SMALL_MAX + 1);
	return LARGE_MIN + rng_below(rng, LARGE_MAX - LARGE_MIN + 1);
}

static void op_insert(struct worker *w, unsigned int id, const char *key,
		      unsigned int klen)
{
	unsigned int kind = rng_below(&w->rng, 10);
	__u32 flags = OBJHASH_INSERT_REPLACE;
	__u64 expect = 0, version = 0;
	__u32 len = value_len_pick(&w->rng), sum;
	int ret;

	if (kind < 2)
		flags = 0;
	else if (kind < 3)
		flags |= OBJHASH_INSERT_NOCREATE;
	else if (kind < 4)
		expect = w->seen[id] ?: 1;
	sum = value_make(w->wbuf, len, id, w->id, ++w->gen);
	ret = oh_insert(w->fd, key, klen, w->wbuf, len, flags, expect,
			&version);
	if (!ret) {
		__u64 rel = version - w->run->ver_base;

		w->c.inserts_ok++;
		w->c.cond_ok += !!expect;
		if (version > w->run->ver_base && rel < VERLOG_SIZE)
			atomic_store_explicit(&w->run->verlog[rel], sum,
					      memory_order_release);
		version_seen(w, id, version);
		return;
	}
	if (ret == -EEXIST && !flags)
		return;
	if (ret == -ENOENT && (flags & OBJHASH_INSERT_NOCREATE || expect))
		return;
	if (ret == -ESTALE && expect)
		return;
	bad_errno(w, "INSERT", ret);
}

static void op_lookup(struct worker *w, unsigned int id, const char *key,
		      unsigned int klen, bool delete)
{
	unsigned int kind = rng_below(&w->rng, 10);
	__u32 size = LARGE_MAX, len;
	__u64 version = 0;
	int ret;

	if (kind == 0)
		size = 0;			/* size probe */
	else if (kind == 1)
		size = rng_below(&w->rng, LARGE_MAX);
	len = size;
	w->c.lookups++;
	ret = oh_lookup(w->fd, key, klen, w->rbuf, &len,
			delete ? OBJHASH_LOOKUP_DELETE : 0, &version);
	if (ret == -ENOENT)
		return;
	if (ret == -ERANGE) {
		w->c.hits++;
		w->c.erange++;
		if (len <= size || len > LARGE_MAX) {
			w->c.torn++;
			note_error(&w->c, "ERANGE with value_len %u for buffer %u",
				   len, size);
		}
		version_seen(w, id, version);
		return;
	}
	if (ret) {
		bad_errno(w, delete ? "LOOKUP_DELETE" : "LOOKUP", ret);
		return;
	}
	w->c.hits++;
	if (delete) {
		w->c.deletes_ok++;
		w->c.takes++;
	}
	if (len > size) {
		w->c.torn++;
		note_error(&w->c, "LOOKUP returned %u bytes into %u", len, size);
		return;
	}
	value_check(w, id, w->rbuf, len, version);
	version_seen(w, id, version);
}

static void op_delete(struct worker *w, unsigned int id, const char *key,
		      unsigned int klen)
{
	__u64 expect = rng_below(&w->rng, 3) ? 0 : w->seen[id];
	int ret = oh_delete(w->fd, key, klen, expect);

	if (!ret) {
		w->c.deletes_ok++;
		return;
	}
	if (ret == -ENOENT || (ret == -ESTALE && expect))
		return;
	bad_errno(w, "DELETE", ret);
}

static void op_purge(struct worker *w)
{
	struct objhash_stats st;
	__u32 flags = rng_below(&w->rng, 2) ? OBJHASH_PURGE_WAIT : 0;
	__u64 max_version = 0, purged = 0;
	int ret;

	if (rng_below(&w->rng, 2) && !oh_stats(w->fd, &st) &&
	    st.version > w->run->ver_base)
		max_version = w->run->ver_base + 1 +
			rng_below(&w->rng, st.version - w->run->ver_base);
	ret = oh_purge(w->fd, flags, max_version, &purged);
	if (ret) {
		bad_errno(w, "PURGE", ret);
		return;
	}
	w->c.purges++;
	w->c.purged += purged;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char key[64];

	while (!atomic_load_explicit(&w->run->stop, memory_order_relaxed)) {
		unsigned int id = rng_below(&w->rng, 10) < 7 ?
			rng_below(&w->rng, HOT_KEYS) :
			HOT_KEYS + rng_below(&w->rng, COLD_KEYS);
		unsigned int klen = key_make(w->run, id, key);
		unsigned int op = rng_below(&w->rng, 1000);

		if (op < 400)
			op_insert(w, id, key, klen);
		else if (op < 800)
			op_lookup(w, id, key, klen, false);
		else if (op < 880)
			op_lookup(w, id, key, klen, true);
		else if (op < 998)
			op_delete(w, id, key, klen);
		else
			op_purge(w);
		w->c.ops++;
		if (!atomic_load_explicit(&w->at_floor, memory_order_relaxed) &&
		    counts_at_floor(&w->c))
			atomic_store(&w->at_floor, true);
	}
	return NULL;
}

/* ---- the test --------------------------------------------------------- */

FIXTURE(stress) {
	int fd;			/* O_RDWR fd for setup, checks and cleanup */
	bool kmemleak;		/* kmemleak present and cleared at setup */
	struct objhash_stats before;
};

FIXTURE_SETUP(stress)
{
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", OBJHASH_DEV,
				      strerror(errno));
	/* Start from an empty, quiet table so the counters add up. */
	ASSERT_EQ(0, oh_purge_all(self->fd));
	self->kmemleak = oh_kmemleak_cmd("clear") == 0;
	ASSERT_EQ(0, oh_stats(self->fd, &self->before));
}

FIXTURE_TEARDOWN(stress)
{
	EXPECT_EQ(0, oh_purge_all(self->fd));
	close(self->fd);
}

TEST_F(stress, mixed_ops_self_checking_values)
{
	struct worker *w = calloc(opt_threads, sizeof(*w));
	struct run run = { 0 };
	struct counts sum = { 0 };
	struct objhash_stats after;
	unsigned int i, under;
	double t0, elapsed;
	int leaks, total;

	ASSERT_NE(NULL, w);
	run.tag = getpid() ^ (unsigned int)opt_seed;
	run.ver_base = self->before.version;
	run.verlog = calloc(VERLOG_SIZE, sizeof(*run.verlog));
	ASSERT_NE(NULL, run.verlog);
	TH_LOG("%u threads, floor %lu ops each, at least %u s, seed %llu",
	       opt_threads, opt_ops, opt_seconds, opt_seed);

	t0 = oh_now_s();
	for (i = 0; i < opt_threads; i++) {
		w[i].run = &run;
		w[i].id = i;
		w[i].rng = (opt_seed + 1) * 0x9e3779b97f4a7c15ULL + i * 7919 + 1;
		w[i].fd = open(OBJHASH_DEV, O_RDWR);
		w[i].wbuf = malloc(LARGE_MAX);
		w[i].rbuf = malloc(LARGE_MAX);
		ASSERT_LE(0, w[i].fd);
		ASSERT_NE(NULL, w[i].wbuf);
		ASSERT_NE(NULL, w[i].rbuf);
		ASSERT_EQ(0, pthread_create(&w[i].tid, NULL, worker_main,
					    &w[i]));
	}
	/* until every thread is at its floor and the soak time is over */
	for (;;) {
		for (i = 0, under = 0; i < opt_threads; i++)
			under += !atomic_load(&w[i].at_floor);
		elapsed = oh_now_s() - t0;
		if ((!under && elapsed >= opt_seconds) ||
		    elapsed > opt_deadline)
			break;
		usleep(50000);
	}
	atomic_store(&run.stop, true);
	for (i = 0; i < opt_threads; i++) {
		struct counts *c = &w[i].c;

		ASSERT_EQ(0, pthread_join(w[i].tid, NULL));
		close(w[i].fd);
		if (c->first_error[0])
			TH_LOG("thread %u: first error: %s", i, c->first_error);
		EXPECT_TRUE(atomic_load(&w[i].at_floor)) {
			TH_LOG("thread %u under its floor after %u s: %lu ops, %lu inserts (%lu conditional), %lu deletes (%lu taken), %lu ERANGE, %lu small and %lu large reads, %lu purges",
			       i, opt_deadline, c->ops, c->inserts_ok,
			       c->cond_ok, c->deletes_ok, c->takes, c->erange,
			       c->small_reads, c->large_reads, c->purges);
		}
		sum.ops += c->ops;
		sum.inserts_ok += c->inserts_ok;
		sum.lookups += c->lookups;
		sum.hits += c->hits;
		sum.deletes_ok += c->deletes_ok;
		sum.purges += c->purges;
		sum.purged += c->purged;
		sum.small_reads += c->small_reads;
		sum.large_reads += c->large_reads;
		sum.torn += c->torn;
		sum.foreign += c->foreign;
		sum.stale += c->stale;
		sum.vermismatch += c->vermismatch;
		sum.bad_errno += c->bad_errno;
	}
	elapsed = oh_now_s() - t0;

	/* Quiet now: purge what is left and wait for the memory. */
	__u64 purged = 0;

	ASSERT_EQ(0, oh_purge(self->fd, OBJHASH_PURGE_WAIT, 0, &purged));
	sum.purged += purged;
	ASSERT_EQ(0, oh_stats(self->fd, &after));

	printf("# stress: %.1f s, %u threads: %lu ops (%.0f/s): %lu inserts ok, %lu lookups (%lu hits; %lu small, %lu large values checked), %lu deletes ok, %lu purges (%lu objects incl. final %llu)\n",
	       elapsed, opt_threads, sum.ops, sum.ops / elapsed,
	       sum.inserts_ok, sum.lookups, sum.hits, sum.small_reads,
	       sum.large_reads, sum.deletes_ok, sum.purges, sum.purged,
	       (unsigned long long)purged);
	printf("# stress: torn %lu foreign %lu stale %lu version-mismatch %lu unexpected-errno %lu\n",
	       sum.torn, sum.foreign, sum.stale, sum.vermismatch,
	       sum.bad_errno);

	EXPECT_EQ(0, sum.torn);
	EXPECT_EQ(0, sum.foreign);
	EXPECT_EQ(0, sum.stale);
	EXPECT_EQ(0, sum.vermismatch);
	EXPECT_EQ(0, sum.bad_errno);


	/* Empty and freed. */
	EXPECT_EQ(0, after.objects);
	EXPECT_EQ(0, after.bytes);
	EXPECT_EQ(0, after.pending_release);

	/* The counters saw exactly the calls the threads made. */
	EXPECT_EQ(sum.inserts_ok, (after.inserts - self->before.inserts) +
				  (after.replaces - self->before.replaces));
	EXPECT_EQ(sum.deletes_ok, after.deletes - self->before.deletes);
	EXPECT_EQ(sum.purged, after.purged - self->before.purged);
	EXPECT_EQ(sum.lookups, after.lookups - self->before.lookups);
	EXPECT_EQ(sum.hits, after.hits - self->before.hits);
	/* creates - removals = change in objects (0 - 0) */
	EXPECT_EQ(after.objects - self->before.objects,
		  (after.inserts - self->before.inserts) -
		  (after.deletes - self->before.deletes) -
		  (after.purged - self->before.purged));
	/* every successful insert took exactly one version */
	EXPECT_EQ(sum.inserts_ok, after.version - self->before.version);

	if (!self->kmemleak) {
		printf("# kmemleak not available: leak scan skipped\n");
	} else {
		leaks = oh_kmemleak_objhash_leaks(&total);
		printf("# kmemleak: %d unreferenced objects, %d mention objhash\n",
		       total, leaks);
		EXPECT_EQ(0, leaks);
	}
	for (i = 0; i < opt_threads; i++) {
		free(w[i].wbuf);
		free(w[i].rbuf);
	}
	free(run.verlog);
	free(w);
}

/*
 * LOOKUP_DELETE against a writer that replaces and deletes the same key:
 * the counters must count each LOOKUP call once, and as a hit only when it
 * returned the value (0 or ERANGE).  "lookups" and "hits" are per call in
 * the ABI; a retry inside one call must not count again.
 */
struct churn {
	int fd;
	const char *key;
	atomic_bool *stop;
	atomic_ulong writes;
	unsigned long errors;
	int first_errno;
};

/* Floors of lookup_delete_counted_once: calls, values taken, writes. */
#define CHURN_CALLS	2000
#define CHURN_TAKEN	32
#define CHURN_WRITES	256

static void *churn_main(void *arg)
{
	struct churn *ch = arg;
	/* large: copied out of a pinned object, a wide window for races */
	static char val[LARGE_MAX];
	unsigned long i = 0;

	while (!atomic_load(ch->stop)) {
		int ret;

		if (i++ % 3 == 2) {
			ret = oh_delete(ch->fd, ch->key, strlen(ch->key), 0);
			if (ret == -ENOENT)
				ret = 0;
		} else {
			ret = oh_insert(ch->fd, ch->key, strlen(ch->key), val,
					sizeof(val), OBJHASH_INSERT_REPLACE, 0,
					NULL);
			if (!ret)
				atomic_fetch_add(&ch->writes, 1);
		}
		if (ret && !ch->errors++)
			ch->first_errno = -ret;
	}
	return NULL;
}

TEST_F(stress, lookup_delete_counted_once)
{
	struct objhash_stats after;
	atomic_bool stop = false;
	struct churn ch = { .key = "stress-churn", .stop = &stop };
	unsigned long calls = 0, hits = 0, taken = 0;
	static char buf[LARGE_MAX];
	pthread_t tid;
	double deadline;
	int ret;

	ch.fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, ch.fd);
	ASSERT_EQ(0, pthread_create(&tid, NULL, churn_main, &ch));
	/* until every floor is reached: calls, values taken, writes */
	deadline = oh_now_s() + opt_deadline;
	while ((calls < CHURN_CALLS || taken < CHURN_TAKEN ||
		atomic_load(&ch.writes) < CHURN_WRITES) &&
	       oh_now_s() < deadline) {
		__u32 len = sizeof(buf);

		ret = oh_lookup(self->fd, ch.key, strlen(ch.key), buf, &len,
				OBJHASH_LOOKUP_DELETE, NULL);
		calls++;
		if (!ret || ret == -ERANGE)
			hits++;
		if (!ret)
			taken++;
		else if (ret != -ENOENT)
			ASSERT_EQ(0, ret) TH_LOG("LOOKUP_DELETE: %s", strerror(-ret));
	}
	atomic_store(&stop, true);
	ASSERT_EQ(0, pthread_join(tid, NULL));
	close(ch.fd);
	ASSERT_EQ(0, oh_stats(self->fd, &after));
	printf("# lookup_delete: %lu calls, %lu hits (%lu taken) against %lu writes; table counted %llu lookups, %llu hits\n",
	       calls, hits, taken, (unsigned long)atomic_load(&ch.writes),
	       (unsigned long long)(after.lookups - self->before.lookups),
	       (unsigned long long)(after.hits - self->before.hits));
	EXPECT_EQ(0, ch.errors) {
		TH_LOG("writer: %lu failures, first %s", ch.errors,
		       strerror(ch.first_errno));
	}
	EXPECT_LE(CHURN_CALLS, calls);
	EXPECT_LE(CHURN_TAKEN, taken);
	EXPECT_LE(CHURN_WRITES, atomic_load(&ch.writes));
	EXPECT_EQ(calls, after.lookups - self->before.lookups);
	EXPECT_EQ(hits, after.hits - self->before.hits);
}

int main(int argc, char **argv)
{
	struct __fixture_metadata *f;
	struct __test_metadata *t;
	int i;

	opt_seconds = oh_env_ulong("OBJHASH_STRESS_SECONDS", opt_seconds);
	opt_threads = oh_env_ulong("OBJHASH_STRESS_THREADS", opt_threads);
	opt_ops = oh_env_ulong("OBJHASH_STRESS_OPS", opt_ops);
	opt_deadline = oh_env_ulong("OBJHASH_STRESS_DEADLINE", opt_deadline);
	opt_seed = oh_env_ulong("OBJHASH_STRESS_SEED", time(NULL));
	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--seconds"))
			opt_seconds = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--threads"))
			opt_threads = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--seed"))
			opt_seed = strtoull(argv[i + 1], NULL, 0);
	}
	if (!opt_threads || opt_threads > MAX_THREADS)
		opt_threads = 4;
	if (!opt_seconds)
		opt_seconds = 1;
	if (!oh_device_present())
		ksft_exit_skip(OBJHASH_DEV " not present: load objhash.ko first\n");
	/* deadline plus room for the final purge and a kmemleak scan */
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout = opt_seconds + opt_deadline + 240;
	return test_harness_run(argc, argv);
}
