// SPDX-License-Identifier: GPL-2.0
/*
 * objhash online resize: the module is reloaded with hash_bits=4 (16
 * buckets), max_hash_bits=16 and test_hooks=1, so that a few thousand
 * objects make it grow and shrink, and debugfs objhash/resize can force
 * resizes (objhash/resize_fail makes them fail).  While the table moves:
 *  - readers never miss a key that stays linked and never see a torn
 *    value or a wrong version;
 *  - LOOKUP_DELETE has exactly one winner per key;
 *  - PURGE's cut is exact;
 *  - conditional replaces of one's own keys never fail, and max_objects is
 *    never passed;
 *  - a grow whose new array cannot be allocated changes nothing but
 *    resize_failed, and is retried;
 *  - unloading the module while a resize runs is safe (the debug kernel's
 *    KASAN, lockdep and kmemleak judge that).
 * Every test runs until each side reached its floor, and counts the
 * resizes that happened while it ran: none fails the test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define RS_PARAMS	"hash_bits=4 max_hash_bits=16 test_hooks=1"
#define RS_DEADLINE	400	/* seconds before a side under its floor fails */
#define RS_TIMEOUT	(RS_DEADLINE + 120)

static __u64 rs_resizes(const struct objhash_stats *st)
{
	return st->grows + st->shrinks;
}

FIXTURE(resize)
{
	int fd;
	struct objhash_stats st0;
};

FIXTURE_SETUP(resize)
{
	ASSERT_EQ(0, access(oh_ko(), R_OK)) TH_LOG("%s: %s (set OBJHASH_KO)",
						   oh_ko(), strerror(errno));
	ASSERT_EQ(0, oh_reload(RS_PARAMS)) TH_LOG("insmod %s %s", oh_ko(),
						  RS_PARAMS);
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, oh_stats(self->fd, &self->st0));
	ASSERT_EQ(16, self->st0.buckets);
	ASSERT_EQ(16, self->st0.min_buckets);
	ASSERT_EQ(1 << 16, self->st0.max_buckets);
}

FIXTURE_TEARDOWN(resize)
{
	if (self->fd >= 0) {
		EXPECT_EQ(0, oh_purge_all(self->fd));
		close(self->fd);
	}
	/* the rest of the suite expects the defaults */
	EXPECT_EQ(0, oh_reload(""));
}

/* ---- values that name their key and generation -------------------- */

static int rs_key(char *buf, size_t size, const char *kind, unsigned int i)
{
	return snprintf(buf, size, "rs-%s-%u", kind, i);
}

static unsigned int rs_value(char *buf, size_t size, const char *key,
			     unsigned int gen)
{
	unsigned int n = snprintf(buf, size, "%s/%u/", key, gen), i;

	/* up to 300 bytes: both sides of the 256 copied under RCU */
	for (i = n; i < 40 + (gen * 37 + strlen(key) * 11) % 260; i++)
		buf[i] = 'a' + (i + gen) % 26;
	return i;
}

/* Does @val (@len bytes) name @key, and which generation? -1 if torn. */
static int rs_check(const char *val, __u32 len, const char *key)
{
	char want[320];
	unsigned int gen;
	size_t kl = strlen(key);

	if (len < kl + 2 || memcmp(val, key, kl) || val[kl] != '/')
		return -1;
	gen = strtoul(val + kl + 1, NULL, 10);
	if (rs_value(want, sizeof(want), key, gen) != len ||
	    memcmp(want, val, len))
		return -1;
	return gen;
}

/* ---- the resizer thread ---------------------------------------------- */

struct rs_resizer {
	pthread_t th;
	atomic_bool stop;
	unsigned long done;	/* forced resizes */
	int err;
	unsigned int seed;
};

/* Force resizes to random sizes in [4, 10] bits until stopped. */
static void *rs_resizer_main(void *arg)
{
	struct rs_resizer *r = arg;

	while (!atomic_load(&r->stop)) {
		int ret = oh_debugfs_write("resize", 4 + rand_r(&r->seed) % 7);

		if (ret && !r->err)
			r->err = ret;
		if (!ret)
			r->done++;
	}
	return NULL;
}

/* ---- lookups during grows and shrinks -------------------------------- */

#define RS_ANCHORS	64
#define RS_FILL		3000	/* a fill grows 16 buckets to 4096 */
#define RS_READERS	2
#define RS_MIN_LOOKUPS	2000
#define RS_MIN_RESIZES	8	/* while the readers ran */

struct rs_reader {
	pthread_t th;
	int fd;
	unsigned int seed;
	unsigned long lookups, misses, torn, wrong_version;
	atomic_bool at_floor;
	char err[160];
};

struct rs_shared {
	atomic_bool stop;
	__u64 anchor_ver[RS_ANCHORS];
	struct rs_reader rd[RS_READERS];
};

static struct rs_shared rs;

static void *rs_reader_main(void *arg)
{
	struct rs_reader *r = arg;
	char key[32], buf[320];

	while (!atomic_load(&rs.stop)) {
		unsigned int i = rand_r(&r->seed) % RS_ANCHORS;
		__u32 len = sizeof(buf);
		__u64 v = 0;
		int ret;

		rs_key(key, sizeof(key), "anchor", i);
		ret = oh_lookup(r->fd, key, strlen(key), buf, &len, 0, &v);
		r->lookups++;
		if (ret) {
			if (!r->misses++)
				snprintf(r->err, sizeof(r->err),
					 "%s: %s", key, strerror(-ret));
		} else if (rs_check(buf, len, key) != 0) {
			if (!r->torn++)
				snprintf(r->err, sizeof(r->err),
					 "%s: torn value", key);
		} else if (v != rs.anchor_ver[i]) {
			if (!r->wrong_version++)
				snprintf(r->err, sizeof(r->err),
					 "%s: version %llu, inserted as %llu",
					 key, (unsigned long long)v,
					 (unsigned long long)rs.anchor_ver[i]);
		}
		if (r->lookups >= RS_MIN_LOOKUPS)
			atomic_store(&r->at_floor, true);
	}
	return NULL;
}

/*
 * Anchor keys stay linked while a writer fills the table (it grows from
 * 16 buckets) and empties it (it shrinks back), round after round, with a
 * resizer forcing sizes in between: the readers must find every anchor,
 * whole and with its version, every time.
 */
TEST_F_TIMEOUT(resize, lookups_never_miss, RS_TIMEOUT)
{
	struct rs_resizer rz = { .seed = 7 };
	struct objhash_stats st;
	double deadline = oh_now_s() + RS_DEADLINE;
	unsigned long lookups = 0, rounds = 0, filled = 0;
	bool floors;
	char key[32], val[320];
	unsigned int i, r;

	memset(&rs, 0, sizeof(rs));
	for (i = 0; i < RS_ANCHORS; i++) {
		rs_key(key, sizeof(key), "anchor", i);
		ASSERT_EQ(0, oh_insert(self->fd, key, strlen(key), val,
				       rs_value(val, sizeof(val), key, 0), 0, 0,
				       &rs.anchor_ver[i]));
	}
	for (r = 0; r < RS_READERS; r++) {
		rs.rd[r].fd = open(OBJHASH_DEV, O_RDONLY);
		rs.rd[r].seed = 1000 + r;
		ASSERT_LE(0, rs.rd[r].fd);
		ASSERT_EQ(0, pthread_create(&rs.rd[r].th, NULL,
					    rs_reader_main, &rs.rd[r]));
	}
	/* slower moves: lookups overlap each one for longer */
	ASSERT_EQ(0, oh_debugfs_write("resize_delay_us", 20));
	ASSERT_EQ(0, pthread_create(&rz.th, NULL, rs_resizer_main, &rz));
	do {
		/* fill: grows; empty: shrinks */
		for (i = 0; i < RS_FILL; i++) {
			rs_key(key, sizeof(key), "fill", i);
			ASSERT_EQ(0, oh_insert(self->fd, key, strlen(key), val,
					       rs_value(val, sizeof(val), key,
							rounds),
					       0, 0, NULL));
		}
		filled += RS_FILL;
		for (i = 0; i < RS_FILL; i++) {
			__u32 len = sizeof(val);

			rs_key(key, sizeof(key), "fill", i);
			if (i % 2) {
				ASSERT_EQ(0, oh_delete(self->fd, key,
						       strlen(key), 0));
			} else {
				ASSERT_EQ(0, oh_lookup(self->fd, key,
						       strlen(key), val, &len,
						       OBJHASH_LOOKUP_DELETE,
						       NULL));
			}
		}
		rounds++;
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		for (r = 0, floors = true; r < RS_READERS; r++)
			floors &= atomic_load(&rs.rd[r].at_floor);
		floors &= rs_resizes(&st) - rs_resizes(&self->st0) >=
			  RS_MIN_RESIZES && st.shrinks > self->st0.shrinks &&
			  st.grows > self->st0.grows;
	} while (!floors && oh_now_s() < deadline);
	atomic_store(&rs.stop, true);
	atomic_store(&rz.stop, true);
	pthread_join(rz.th, NULL);
	for (r = 0; r < RS_READERS; r++) {
		struct rs_reader *rd = &rs.rd[r];

		pthread_join(rd->th, NULL);
		close(rd->fd);
		lookups += rd->lookups;
		EXPECT_EQ(0, rd->misses + rd->torn + rd->wrong_version) {
			TH_LOG("reader %u: %lu misses, %lu torn, %lu wrong versions; first: %s",
			       r, rd->misses, rd->torn, rd->wrong_version,
			       rd->err);
		}
	}
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	TH_LOG("%lu rounds, %lu objects filled, %lu lookups; %llu grows, %llu shrinks, %lu forced; %llu buckets, longest chain %llu",
	       rounds, filled, lookups,
	       (unsigned long long)(st.grows - self->st0.grows),
	       (unsigned long long)(st.shrinks - self->st0.shrinks), rz.done,
	       (unsigned long long)st.buckets,
	       (unsigned long long)st.max_chain);
	EXPECT_TRUE(floors) {
		TH_LOG("floors not reached in %d s", RS_DEADLINE);
	}
	EXPECT_EQ(0, rz.err) TH_LOG("resize: %s", strerror(-rz.err));
	/* counters exact: anchors + fills created, fills removed */
	EXPECT_EQ(RS_ANCHORS, st.objects);
	EXPECT_EQ(self->st0.inserts + RS_ANCHORS + filled, st.inserts);
	EXPECT_EQ(self->st0.deletes + filled, st.deletes);
	EXPECT_EQ(self->st0.lookups + lookups + filled / 2, st.lookups);
	EXPECT_EQ(0, st.resize_failed);
}

/* ---- LOOKUP_DELETE winners during resizes ---------------------------- */

#define RS_TAKERS	3
#define RS_TAKE_KEYS	256
#define RS_MIN_ROUNDS	8

struct rs_taker {
	pthread_t th;
	int fd;
	unsigned long won;
	pthread_barrier_t *bar;
	atomic_bool *stop;
	atomic_uint *wins;
	int bad;
};

static void *rs_taker_main(void *arg)
{
	struct rs_taker *tk = arg;
	char key[32], buf[320];

	for (;;) {
		unsigned int i;

		pthread_barrier_wait(tk->bar);
		if (atomic_load(tk->stop))
			break;
		for (i = 0; i < RS_TAKE_KEYS; i++) {
			__u32 len = sizeof(buf);
			int ret;

			rs_key(key, sizeof(key), "take", i);
			ret = oh_lookup(tk->fd, key, strlen(key), buf, &len,
					OBJHASH_LOOKUP_DELETE, NULL);
			if (!ret) {
				tk->won++;
				atomic_fetch_add(&tk->wins[i], 1);
				if (rs_check(buf, len, key) < 0)
					tk->bad++;
			} else if (ret != -ENOENT) {
				tk->bad++;
			}
		}
		pthread_barrier_wait(tk->bar);
	}
	return NULL;
}

TEST_F_TIMEOUT(resize, lookup_delete_one_winner, RS_TIMEOUT)
{
	struct rs_resizer rz = { .seed = 11 };
	struct rs_taker tk[RS_TAKERS] = { 0 };
	atomic_uint wins[RS_TAKE_KEYS];
	pthread_barrier_t bar;
	atomic_bool stop = false;
	struct objhash_stats st;
	double deadline = oh_now_s() + RS_DEADLINE;
	unsigned long rounds = 0, bad_keys = 0, taken = 0;
	char key[32], val[320];
	unsigned int i;

	ASSERT_EQ(0, pthread_barrier_init(&bar, NULL, RS_TAKERS + 1));
	for (i = 0; i < RS_TAKERS; i++) {
		tk[i].fd = open(OBJHASH_DEV, O_RDWR);
		tk[i].bar = &bar;
		tk[i].stop = &stop;
		tk[i].wins = wins;
		ASSERT_LE(0, tk[i].fd);
		ASSERT_EQ(0, pthread_create(&tk[i].th, NULL, rs_taker_main,
					    &tk[i]));
	}
	ASSERT_EQ(0, pthread_create(&rz.th, NULL, rs_resizer_main, &rz));
	for (;;) {
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		if ((rounds >= RS_MIN_ROUNDS &&
		     rs_resizes(&st) - rs_resizes(&self->st0) >=
		     RS_MIN_RESIZES) || oh_now_s() > deadline)
			break;
		for (i = 0; i < RS_TAKE_KEYS; i++) {
			atomic_store(&wins[i], 0);
			rs_key(key, sizeof(key), "take", i);
			ASSERT_EQ(0, oh_insert(self->fd, key, strlen(key), val,
					       rs_value(val, sizeof(val), key,
							rounds),
					       0, 0, NULL));
		}
		pthread_barrier_wait(&bar);
		pthread_barrier_wait(&bar);
		for (i = 0; i < RS_TAKE_KEYS; i++) {
			taken += atomic_load(&wins[i]);
			if (atomic_load(&wins[i]) != 1 && !bad_keys++)
				TH_LOG("round %lu: %s had %u winners", rounds,
				       key, atomic_load(&wins[i]));
		}
		rounds++;
	}
	atomic_store(&stop, true);
	pthread_barrier_wait(&bar);
	atomic_store(&rz.stop, true);
	pthread_join(rz.th, NULL);
	for (i = 0; i < RS_TAKERS; i++) {
		pthread_join(tk[i].th, NULL);
		close(tk[i].fd);
		EXPECT_EQ(0, tk[i].bad);
	}
	TH_LOG("%lu rounds, %lu taken, %llu resizes", rounds, taken,
	       (unsigned long long)(rs_resizes(&st) - rs_resizes(&self->st0)));
	EXPECT_LE(RS_MIN_ROUNDS, rounds);
	EXPECT_LE(RS_MIN_RESIZES, rs_resizes(&st) - rs_resizes(&self->st0));
	EXPECT_EQ(0, bad_keys);
	EXPECT_EQ(rounds * RS_TAKE_KEYS, taken);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(self->st0.deletes + taken, st.deletes);
	EXPECT_EQ(0, rz.err);
	pthread_barrier_destroy(&bar);
}

/* ---- PURGE's cut, conditional replaces and limits during resizes ------ */

#define RS_OWN_KEYS	512

struct rs_writer {
	pthread_t th;
	int fd, id;
	atomic_bool *pause, paused, *stop;
	atomic_ulong ops;
	__u64 last[RS_OWN_KEYS];	/* version of each own key, 0 absent */
	unsigned long bad;
	char err[160];
};

/*
 * Write own keys: a conditional replace (expect the version we hold) when
 * we hold the key, a plain create when we do not.  Nothing else writes
 * them, so neither may fail, whatever the resizes; a purge is what makes a
 * held key absent, seen as ENOENT on the replace (then it is created).
 */
static void *rs_writer_main(void *arg)
{
	struct rs_writer *w = arg;
	unsigned int seed = w->id + 1;
	char key[32], val[320];

	while (!atomic_load(w->stop)) {
		unsigned int k = rand_r(&seed) % RS_OWN_KEYS;
		__u64 v = 0;
		int ret;

		if (atomic_load(w->pause)) {
			atomic_store(&w->paused, true);
			while (atomic_load(w->pause) && !atomic_load(w->stop))
				usleep(100);
			atomic_store(&w->paused, false);
			continue;
		}
		snprintf(key, sizeof(key), "rs-own-%d-%u", w->id, k);
		ret = oh_insert(w->fd, key, strlen(key), val,
				rs_value(val, sizeof(val), key, k),
				w->last[k] ? OBJHASH_INSERT_REPLACE : 0,
				w->last[k], &v);
		if (ret == -ENOENT && w->last[k]) {
			/* purged since we wrote it */
			w->last[k] = 0;
			continue;
		}
		if (ret) {
			if (!w->bad++)
				snprintf(w->err, sizeof(w->err),
					 "%s (held %llu): %s", key,
					 (unsigned long long)w->last[k],
					 strerror(-ret));
			continue;
		}
		w->last[k] = v;
		atomic_fetch_add(&w->ops, 1);
	}
	atomic_store(&w->paused, true);
	return NULL;
}

#define RS_WRITERS	2
#define RS_MIN_PURGES	8

/*
 * Writers keep their own keys (conditional replaces that must never fail)
 * while purges cut at the table's version and a resizer moves the table:
 * after each purge, with the writers parked, every key is there if and
 * only if its last write came after the cut.  max_objects is set just
 * above what the writers can hold: it is never passed.
 */
TEST_F_TIMEOUT(resize, purge_cut_and_conditional_writes, RS_TIMEOUT)
{
	struct rs_resizer rz = { .seed = 13 };
	struct rs_writer w[RS_WRITERS] = { 0 };
	atomic_bool pause = false, stop = false;
	struct objhash_stats st;
	struct oh_limits lim = { 0 };
	double deadline = oh_now_s() + RS_DEADLINE;
	unsigned long purges = 0, purged_total = 0, errors = 0, overlaps = 0;
	unsigned int i, k;

	ASSERT_EQ(0, oh_limits_save(&lim));
	ASSERT_EQ(0, oh_param_write_num("max_objects",
					RS_WRITERS * RS_OWN_KEYS));
	for (i = 0; i < RS_WRITERS; i++) {
		w[i].fd = open(OBJHASH_DEV, O_RDWR);
		w[i].id = i;
		w[i].pause = &pause;
		w[i].stop = &stop;
		ASSERT_LE(0, w[i].fd);
		ASSERT_EQ(0, pthread_create(&w[i].th, NULL, rs_writer_main,
					    &w[i]));
	}
	ASSERT_EQ(0, pthread_create(&rz.th, NULL, rs_resizer_main, &rz));
	while (oh_now_s() < deadline) {
		unsigned long ops0 = 0, ops1 = 0;
		__u64 cut, purged = 0;

		ASSERT_EQ(0, oh_stats(self->fd, &st));
		EXPECT_GE(RS_WRITERS * RS_OWN_KEYS, st.objects);
		if (purges >= RS_MIN_PURGES && overlaps &&
		    rs_resizes(&st) - rs_resizes(&self->st0) >= RS_MIN_RESIZES)
			break;
		usleep(20000);		/* let the writers fill some keys */
		for (i = 0; i < RS_WRITERS; i++)
			ops0 += atomic_load(&w[i].ops);
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		cut = st.version;
		ASSERT_EQ(0, oh_purge(self->fd, 0, cut, &purged));
		for (i = 0; i < RS_WRITERS; i++)
			ops1 += atomic_load(&w[i].ops);
		overlaps += ops1 > ops0;
		purges++;
		purged_total += purged;

		/* park the writers and check every key against the cut */
		atomic_store(&pause, true);
		for (i = 0; i < RS_WRITERS; i++)
			while (!atomic_load(&w[i].paused))
				usleep(100);
		for (i = 0; i < RS_WRITERS; i++) {
			for (k = 0; k < RS_OWN_KEYS; k++) {
				char key[32];
				__u64 v = 0;
				int ret;

				snprintf(key, sizeof(key), "rs-own-%u-%u", i, k);
				ret = oh_present(self->fd, key, strlen(key),
						 NULL, &v);
				if (w[i].last[k] > cut && (ret != 1 ||
							   v != w[i].last[k]))
					errors++;
				if (w[i].last[k] && w[i].last[k] <= cut &&
				    ret != 0)
					errors++;
				/* the writer learns of the purge itself */
			}
		}
		atomic_store(&pause, false);
	}
	atomic_store(&stop, true);
	atomic_store(&rz.stop, true);
	pthread_join(rz.th, NULL);
	for (i = 0; i < RS_WRITERS; i++) {
		pthread_join(w[i].th, NULL);
		close(w[i].fd);
		EXPECT_EQ(0, w[i].bad) TH_LOG("writer %u: %lu failures, first: %s",
					      i, w[i].bad, w[i].err);
	}
	ASSERT_EQ(0, oh_limits_restore(&lim));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	TH_LOG("%lu purges (%lu objects, %lu with writes during the call), %llu resizes",
	       purges, purged_total, overlaps,
	       (unsigned long long)(rs_resizes(&st) - rs_resizes(&self->st0)));
	EXPECT_EQ(0, errors) TH_LOG("keys on the wrong side of a cut");
	EXPECT_LE(RS_MIN_PURGES, purges);
	EXPECT_LT(0, overlaps);
	EXPECT_LE(RS_MIN_RESIZES, rs_resizes(&st) - rs_resizes(&self->st0));
	EXPECT_EQ(self->st0.purged + purged_total, st.purged);
	EXPECT_EQ(0, rz.err);
}

/* ---- a grow that cannot get memory ------------------------------------ */

/*
 * With the next allocations failing, a fill past the load cannot grow the
 * table: inserts and lookups work on, resize_failed counts the attempts,
 * and once memory is back the retried grow happens.
 */
TEST_F_TIMEOUT(resize, grow_without_memory, RS_TIMEOUT)
{
	struct objhash_stats st;
	double deadline = oh_now_s() + RS_DEADLINE;
	char key[32], val[320];
	unsigned int i;

	ASSERT_EQ(0, oh_debugfs_write("resize_fail", 1000000));
	for (i = 0; i < 200; i++) {
		rs_key(key, sizeof(key), "nomem", i);
		ASSERT_EQ(0, oh_insert(self->fd, key, strlen(key), val,
				       rs_value(val, sizeof(val), key, i),
				       0, 0, NULL));
	}
	/* the worker tried (and failed) at least once: wait for it */
	do {
		ASSERT_EQ(0, oh_stats(self->fd, &st));
	} while (!st.resize_failed && oh_now_s() < deadline && !usleep(10000));
	EXPECT_LT(0, st.resize_failed);
	EXPECT_EQ(16, st.buckets);
	EXPECT_EQ(self->st0.grows, st.grows);
	for (i = 0; i < 200; i++) {
		char buf[320];
		__u32 len = sizeof(buf);

		rs_key(key, sizeof(key), "nomem", i);
		ASSERT_EQ(0, oh_lookup(self->fd, key, strlen(key), buf, &len,
				       0, NULL));
		EXPECT_EQ((int)i, rs_check(buf, len, key));
	}
	/* memory back: the retry grows it */
	ASSERT_EQ(0, oh_debugfs_write("resize_fail", 0));
	do {
		ASSERT_EQ(0, oh_stats(self->fd, &st));
	} while (st.buckets < 200 && oh_now_s() < deadline && !usleep(10000));
	TH_LOG("%llu failed resizes, then %llu buckets",
	       (unsigned long long)st.resize_failed,
	       (unsigned long long)st.buckets);
	EXPECT_LE(200, st.buckets);
	EXPECT_EQ(200, st.objects);
}

/* ---- unload while a resize runs --------------------------------------- */

#define RS_UNLOAD_FILL	8000
#define RS_UNLOAD_MIN	3	/* unloads with a resize still due */

/*
 * Fill with the resizer slowed down, close, unload at once: the worker is
 * still growing the table (the stats read last show more objects than
 * buckets) when module exit stops it and frees everything.  The debug
 * kernel's KASAN, lockdep and kmemleak judge the rest.
 */
TEST_F_TIMEOUT(resize, unload_during_resize, RS_TIMEOUT)
{
	double deadline = oh_now_s() + RS_DEADLINE;
	unsigned int busy = 0, tries = 0, i;
	char key[32], val[320];

	while (busy < RS_UNLOAD_MIN && oh_now_s() < deadline) {
		struct objhash_stats st;

		tries++;
		/* a slow mover: the grow is still on when we unload */
		ASSERT_EQ(0, oh_debugfs_write("resize_delay_us", 100));
		for (i = 0; i < RS_UNLOAD_FILL; i++) {
			rs_key(key, sizeof(key), "unload", i);
			ASSERT_EQ(0, oh_insert(self->fd, key, strlen(key), val,
					       rs_value(val, sizeof(val), key,
							i), 0, 0, NULL));
		}
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		busy += st.objects > st.buckets;
		close(self->fd);
		self->fd = -1;
		ASSERT_EQ(0, oh_run("rmmod objhash"));
		ASSERT_EQ(0, oh_reload(RS_PARAMS));
		self->fd = open(OBJHASH_DEV, O_RDWR);
		ASSERT_LE(0, self->fd);
	}
	TH_LOG("%u of %u unloads came with a resize due", busy, tries);
	EXPECT_LE(RS_UNLOAD_MIN, busy);
}

/* ---- hash flood: a known secret, chosen collisions, a rehash --------- */

#define FL_PARAMS	"hash_bits=10 max_hash_bits=10 test_hooks=1 " \
			"test_secret=" OH_TEST_SECRET
#define FL_FILL		400	/* load 0.4 in 1024 buckets: short chains */
#define FL_FLOOD	40	/* keys in one bucket: past the cap of 16 */
#define FL_READERS	2

struct fl_reader {
	pthread_t th;
	int fd;
	char (*keys)[32];
	unsigned int nkeys;
	atomic_bool *stop;
	unsigned long lookups, misses;
};

static void *fl_reader_main(void *arg)
{
	struct fl_reader *r = arg;
	unsigned int seed = r->fd;
	char buf[320];

	while (!atomic_load(r->stop)) {
		const char *key = r->keys[rand_r(&seed) % r->nkeys];
		__u32 len = sizeof(buf);
		int ret = oh_lookup(r->fd, key, strlen(key), buf, &len, 0, NULL);

		r->lookups++;
		if (ret || rs_check(buf, len, key) != 0)
			r->misses++;
	}
	return NULL;
}

/*
 * With the secret known, FL_FLOOD keys chosen to share one bucket of the
 * fixed 1024 make a chain of 40: an insert that walks 16 asks for a
 * rehash, the worker moves everything to a new random secret, and the
 * chains are short again.  Readers look every key up all along: no miss.
 */
TEST_F_TIMEOUT(resize, flood_rehash, RS_TIMEOUT)
{
	static char keys[FL_FILL + FL_FLOOD][32];
	struct fl_reader rd[FL_READERS] = { 0 };
	atomic_bool stop = false;
	struct objhash_stats st;
	double deadline = oh_now_s() + RS_DEADLINE;
	unsigned long longest = 0, misses = 0;
	unsigned int i, n = 0, c, target = 0;
	char val[320], line[64];
	FILE *f;

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, oh_reload(FL_PARAMS)) TH_LOG("insmod %s", FL_PARAMS);
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, oh_stats(self->fd, &self->st0));
	for (i = 0; i < FL_FILL; i++)
		rs_key(keys[i], sizeof(keys[i]), "fill", i);
	/* keys whose hash has the same top 10 bits as the first one's */
	for (c = 0; n < FL_FLOOD && c < 100000000; c++) {
		char *k = keys[FL_FILL + n];
		__u32 h;

		rs_key(k, sizeof(keys[0]), "flood", c);
		h = oh_hsiphash(k, strlen(k), OH_TEST_K0, OH_TEST_K1) >> 22;
		if (!n)
			target = h;
		if (h == target)
			n++;
	}
	ASSERT_EQ(FL_FLOOD, n);
	for (i = 0; i < FL_FILL + FL_FLOOD; i++)
		ASSERT_EQ(0, oh_insert(self->fd, keys[i], strlen(keys[i]), val,
				       rs_value(val, sizeof(val), keys[i], 0),
				       0, 0, NULL));
	for (i = 0; i < FL_READERS; i++) {
		rd[i].fd = open(OBJHASH_DEV, O_RDONLY);
		rd[i].keys = keys;
		rd[i].nkeys = FL_FILL + FL_FLOOD;
		rd[i].stop = &stop;
		ASSERT_LE(0, rd[i].fd);
		ASSERT_EQ(0, pthread_create(&rd[i].th, NULL, fl_reader_main,
					    &rd[i]));
	}
	do {
		ASSERT_EQ(0, oh_stats(self->fd, &st));
	} while (!st.rehashes && oh_now_s() < deadline && !usleep(10000));
	/* let the readers run past the rehash too */
	usleep(200000);
	atomic_store(&stop, true);
	for (i = 0; i < FL_READERS; i++) {
		pthread_join(rd[i].th, NULL);
		close(rd[i].fd);
		misses += rd[i].misses;
		EXPECT_LT(0, rd[i].lookups);
	}
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	f = fopen(OH_DEBUGFS "chains", "r");
	ASSERT_NE(NULL, f);
	/* "LEN COUNT" lines, the last one "15+ COUNT" */
	while (fgets(line, sizeof(line), f)) {
		unsigned long len, cnt;
		char plus;

		if (sscanf(line, "%lu%c %lu", &len, &plus, &cnt) == 3 && cnt &&
		    len > longest)
			longest = len;
	}
	fclose(f);
	TH_LOG("flood of %u keys (%u candidates): max_chain %llu, %llu rehashes (%llu deferred), longest chain after %lu",
	       FL_FLOOD, c, (unsigned long long)st.max_chain,
	       (unsigned long long)st.rehashes,
	       (unsigned long long)st.rehashes_deferred, longest);
	EXPECT_LE(16, st.max_chain) TH_LOG("the chosen keys did not collide");
	EXPECT_LE(1, st.rehashes);
	EXPECT_GT(15, longest) TH_LOG("still a long chain after the rehash");
	EXPECT_EQ(0, misses);
	EXPECT_EQ(FL_FILL + FL_FLOOD, st.objects);
	EXPECT_EQ(1024, st.buckets);
	for (i = 0; i < FL_FILL + FL_FLOOD; i++)
		EXPECT_EQ(1, oh_present(self->fd, keys[i], strlen(keys[i]),
					NULL, NULL));
}

OBJHASH_TEST_MAIN
