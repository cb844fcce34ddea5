// SPDX-License-Identifier: GPL-2.0
/*
 * objhash races: threads hammer the table with self-checking values (each
 * value names its key and generation and carries a checksum) and check
 * that no reader ever sees a torn or foreign value, that versions seen by
 * one reader never go backwards, that a PURGE cut is exact under a
 * concurrent writer, and that racing LOOKUP_DELETEs have exactly one
 * winner.  Variants run small (< 200 byte), one-page and 64 KiB values.
 *
 * Threads never use ASSERT (it longjmps): they count errors and keep the
 * first message, and the test thread checks those after joining.
 *
 * No test runs for a fixed time.  Each thread has a floor (operations, and
 * the events that prove the sides overlapped: versions seen changing,
 * objects really deleted and purged, calls in flight together) and goes on
 * until every thread of the test has reached its own, so each side runs as
 * long as the slowest needs, on any machine.  A generous deadline bounds
 * that; a thread still under its floor then fails the test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "objhash_test.h"

#define RACE_TIMEOUT	600	/* seconds per test: TCG guests are slow */
/* Past this, threads still under their floor give up and the test fails. */
#define RACE_DEADLINE	(RACE_TIMEOUT - 120)

/* Start of every value. */
struct rv_hdr {
	__u32 key_id;	/* which key the value was written for */
	__u32 gen;	/* which write of that key */
	__u32 len;	/* whole value length, header included */
	__u32 crc;	/* FNV-1a over key_id, gen, len and the pattern */
};

FIXTURE(race)
{
	/* O_RDWR fd on /dev/objhash, emptied by a waiting PURGE */
	int fd;
	/* stats after that purge, the base for deltas */
	struct objhash_stats st0;
	/* value lengths used by this variant, capped by max_value_len */
	__u32 min_len, max_len;
};

FIXTURE_VARIANT(race)
{
	__u32 min_len;		/* shortest value */
	__u32 max_len;		/* longest value (header included) */
	unsigned int ops;	/* minimum operations per thread */
};

FIXTURE_VARIANT_ADD(race, small) {
	.min_len = sizeof(struct rv_hdr), .max_len = 199, .ops = 4000,
};

FIXTURE_VARIANT_ADD(race, page) {
	.min_len = 4096, .max_len = 4096, .ops = 2000,
};

FIXTURE_VARIANT_ADD(race, large) {
	.min_len = 65536, .max_len = 65536, .ops = 1000,
};

FIXTURE_SETUP(race)
{
	unsigned long long mvl = 0;

	ASSERT_EQ(0, oh_param_read("max_value_len", &mvl));
	self->max_len = variant->max_len < mvl ? variant->max_len : mvl;
	self->min_len = variant->min_len < self->max_len ? variant->min_len :
							   self->max_len;
	self->fd = open(OBJHASH_DEV, O_RDWR);
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", OBJHASH_DEV, strerror(errno));
	}
	ASSERT_EQ(0, oh_purge_all(self->fd));
	ASSERT_EQ(0, oh_stats(self->fd, &self->st0));
	ASSERT_EQ(0, self->st0.objects);
}

FIXTURE_TEARDOWN(race)
{
	EXPECT_EQ(0, oh_purge_all(self->fd));
	EXPECT_EQ(0, close(self->fd));
}

/* ---- self-checking values ------------------------------------------- */

static __u32 fnv1a(__u32 h, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static unsigned char pattern_byte(__u32 key_id, __u32 gen, __u32 i)
{
	return (key_id * 131u + gen * 29u + i * 7u + (i >> 8)) & 0xff;
}

static __u32 value_len_for(__u32 min, __u32 max, __u32 key_id, __u32 gen)
{
	return min + (key_id * 7u + gen * 13u) % (max - min + 1);
}

static __u32 value_crc(const struct rv_hdr *h, const unsigned char *body,
		       size_t body_len)
{
	__u32 c = fnv1a(2166136261u, &h->key_id, sizeof(h->key_id));

	c = fnv1a(c, &h->gen, sizeof(h->gen));
	c = fnv1a(c, &h->len, sizeof(h->len));
	return fnv1a(c, body, body_len);
}

/* Fill @buf with the value of (@key_id, @gen), @len bytes. */
static void make_value(void *buf, __u32 key_id, __u32 gen, __u32 len)
{
	struct rv_hdr h = { .key_id = key_id, .gen = gen, .len = len };
	unsigned char *body = (unsigned char *)buf + sizeof(h);
	__u32 i;

	for (i = sizeof(h); i < len; i++)
		body[i - sizeof(h)] = pattern_byte(key_id, gen, i);
	h.crc = value_crc(&h, body, len - sizeof(h));
	memcpy(buf, &h, sizeof(h));
}

/*
 * Check a value read back for @key_id: NULL if whole and correct (its
 * generation in *gen), else what is wrong.
 */
static const char *check_value(const void *buf, __u32 len, __u32 key_id,
			       __u32 *gen)
{
	const unsigned char *body = (const unsigned char *)buf +
				    sizeof(struct rv_hdr);
	struct rv_hdr h;
	__u32 i;

	if (len < sizeof(h))
		return "value shorter than its header";
	memcpy(&h, buf, sizeof(h));
	if (h.key_id != key_id)
		return "value of another key";
	if (h.len != len)
		return "length differs from the header";
	for (i = sizeof(h); i < len; i++)
		if (body[i - sizeof(h)] != pattern_byte(key_id, h.gen, i))
			return "torn value: pattern of another generation";
	if (h.crc != value_crc(&h, body, len - sizeof(h)))
		return "bad checksum";
	*gen = h.gen;
	return NULL;
}

static int key_name(char *buf, size_t size, __u32 key_id)
{
	return snprintf(buf, size, "race-%u", key_id);
}

/* Write (@key_id, @gen) with @flags; 0 or -errno. */
static int write_value(int fd, void *buf, __u32 min, __u32 max, __u32 key_id,
		       __u32 gen, __u32 flags, __u64 expect, __u64 *version)
{
	__u32 len = value_len_for(min, max, key_id, gen);
	char key[32];
	int kl = key_name(key, sizeof(key), key_id);

	make_value(buf, key_id, gen, len);
	return oh_insert(fd, key, kl, buf, len, flags, expect, version);
}

/* ---- threads -------------------------------------------------------- */

/* What one thread did; filled by the thread, read after the join. */
struct worker {
	pthread_t th;
	int id;
	int fd;			/* own O_RDWR fd */
	unsigned int seed;
	unsigned long ops;	/* operations done */
	unsigned long hits;	/* lookups that returned a value */
	unsigned long misses;	/* lookups that saw ENOENT */
	unsigned long changes;	/* readers: lookups that saw a new version */
	unsigned long errors;	/* properties violated */
	char err[160];		/* the first violation */
	bool at_floor;		/* reached its floor */
	bool gave_up;		/* hit the deadline under its floor */
	struct race_shared *sh;
};

#define LD_KEYS		64
#define LD_THREADS	4

/* One LOOKUP_DELETE call of lookup_delete_one_winner: when, and did it win. */
struct ld_try {
	double t0, t1;
	int won;
};

/* State shared by the threads of one test. */
struct race_shared {
	__u32 nkeys;
	__u32 min_len, max_len;
	unsigned int ops;		/* minimum ops per thread */
	int below_floor;		/* threads still under their floor */
	double deadline;		/* oh_now_s() at which they give up */
	pthread_barrier_t barrier;
	int stop;			/* set when background threads may end */
	int pause_req;			/* purge test: writer, please park */
	int paused;			/* purge test: writer is parked */
	unsigned long writes;		/* LOOKUP_DELETE test: writes done */
	int writers_done;		/* writers that finished */
	/* readers_vs_replacers: version of (key, gen), written by owner */
	__u64 *genver;			/* [nkeys][max_gen + 1] */
	__u32 max_gen;
	__u64 *cur_ver;			/* [nkeys]: last version per key */
	/* lookup_delete: winners per key in this round */
	unsigned int *wins;
	struct ld_try (*tries)[LD_KEYS];	/* [thread][key] this round */
	__u32 round;
};

/* Arm the floors of @nthreads threads, with the deadline from now. */
static void floors_init(struct race_shared *sh, int nthreads)
{
	sh->below_floor = nthreads;
	sh->deadline = oh_now_s() + RACE_DEADLINE;
}

/*
 * Whether @w goes on: until it has reached its own floor (@at_floor) and
 * every other thread has reached its own, or until the deadline, when it
 * gives up (and fails the test if it is still under its floor).
 */
static bool worker_go_on(struct worker *w, bool at_floor)
{
	struct race_shared *sh = w->sh;

	if (at_floor && !w->at_floor) {
		w->at_floor = true;
		__atomic_sub_fetch(&sh->below_floor, 1, __ATOMIC_ACQ_REL);
	}
	if (w->at_floor &&
	    !__atomic_load_n(&sh->below_floor, __ATOMIC_ACQUIRE))
		return false;
	if (oh_now_s() > sh->deadline) {
		w->gave_up = !w->at_floor;
		return false;
	}
	return true;
}

static void worker_fail(struct worker *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void worker_fail(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->errors++) {
		va_start(ap, fmt);
		vsnprintf(w->err, sizeof(w->err), fmt, ap);
		va_end(ap);
	}
}

static int start_workers(struct worker *w, int n, struct race_shared *sh,
			 void *(*fn)(void *))
{
	int i;

	for (i = 0; i < n; i++) {
		w[i].id = i;
		w[i].sh = sh;
		w[i].seed = 0x9e3779b9u * (i + 1);
		w[i].fd = open(OBJHASH_DEV, O_RDWR);
		if (w[i].fd < 0)
			return -errno;
		if (pthread_create(&w[i].th, NULL, fn, &w[i]))
			return -EAGAIN;
	}
	return 0;
}

static void join_workers(struct worker *w, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		pthread_join(w[i].th, NULL);
		close(w[i].fd);
	}
}

/* Every worker of @w reached its floor and saw no violation. */
#define EXPECT_WORKERS_OK(w, n, what) do {				\
	int __i;							\
	for (__i = 0; __i < (n); __i++) {				\
		EXPECT_EQ(0, (w)[__i].errors) {				\
			TH_LOG("%s %d: %lu violations, first: %s",	\
			       what, __i, (w)[__i].errors, (w)[__i].err); \
		}							\
		EXPECT_TRUE((w)[__i].at_floor) {			\
			TH_LOG("%s %d stayed under its floor for %d s: %lu ops, %lu hits, %lu misses, %lu changes", \
			       what, __i, RACE_DEADLINE, (w)[__i].ops,	\
			       (w)[__i].hits, (w)[__i].misses,		\
			       (w)[__i].changes);			\
		}							\
	}								\
} while (0)

/* ---- readers vs replacers ------------------------------------------- */

#define RR_KEYS		4
#define RR_REPLACERS	2
#define RR_READERS	2
/* Each reader must see versions change this often: proof of overlap. */
#define RR_MIN_CHANGES	16
/* Generations a replacer may use per key, in units of its floor. */
#define RR_GEN_FACTOR	16

/* One observation of a reader, checked against genver after the join. */
struct rr_obs {
	__u32 key_id, gen;
	__u64 version;
};

/* A reader's observations, grown as it goes. */
struct rr_log {
	struct rr_obs *obs;
	size_t n, cap;
};

static __u64 *rr_genver(struct race_shared *sh, __u32 k, __u32 gen)
{
	return &sh->genver[(size_t)k * (sh->max_gen + 1) + gen];
}

static void *rr_replacer(void *arg)
{
	struct worker *w = arg;
	struct race_shared *sh = w->sh;
	void *buf = malloc(sh->max_len);
	__u32 gens[RR_KEYS] = { 0 };
	unsigned int i;

	pthread_barrier_wait(&sh->barrier);
	for (i = 0; buf && worker_go_on(w, w->ops >= sh->ops); i++) {
		/* replacer r owns the keys with key_id % RR_REPLACERS == r */
		__u32 k = (i % (RR_KEYS / RR_REPLACERS)) * RR_REPLACERS + w->id;
		__u32 gen = ++gens[k];
		__u64 v = 0;
		int ret;

		if (gen > sh->max_gen) {
			worker_fail(w, "key %u: %u generations written and the readers still under their floor",
				    k, sh->max_gen);
			break;
		}
		ret = write_value(w->fd, buf, sh->min_len, sh->max_len, k, gen,
				  OBJHASH_INSERT_REPLACE |
				  OBJHASH_INSERT_NOCREATE, sh->cur_ver[k], &v);
		if (ret) {
			worker_fail(w, "replace key %u gen %u: %s", k, gen,
				    strerror(-ret));
			continue;
		}
		if (v <= sh->cur_ver[k])
			worker_fail(w, "key %u: version %llu after %llu", k,
				    (unsigned long long)v,
				    (unsigned long long)sh->cur_ver[k]);
		__atomic_store_n(rr_genver(sh, k, gen), v, __ATOMIC_RELEASE);
		sh->cur_ver[k] = v;
		w->ops++;
	}
	free(buf);
	__atomic_add_fetch(&sh->writers_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *rr_reader(void *arg)
{
	struct worker *w = arg;
	struct race_shared *sh = w->sh;
	struct rr_log *log = calloc(1, sizeof(*log));
	void *buf = malloc(sh->max_len);
	__u64 last_ver[RR_KEYS] = { 0 };
	__u32 last_gen[RR_KEYS] = { 0 };

	pthread_barrier_wait(&sh->barrier);
	while (log && buf &&
	       worker_go_on(w, w->ops >= sh->ops &&
			       w->changes >= RR_MIN_CHANGES)) {
		__u32 k = rand_r(&w->seed) % RR_KEYS, gen = 0;
		__u32 len = sh->max_len;
		__u64 v = 0;
		char key[32];
		const char *bad;
		int ret;

		ret = oh_lookup(w->fd, key, key_name(key, sizeof(key), k),
				buf, &len, 0, &v);
		w->ops++;
		if (ret) {
			worker_fail(w, "lookup key %u: %s", k, strerror(-ret));
			continue;
		}
		w->hits++;
		bad = check_value(buf, len, k, &gen);
		if (bad) {
			worker_fail(w, "key %u version %llu: %s", k,
				    (unsigned long long)v, bad);
			continue;
		}
		if (v < last_ver[k] || (v == last_ver[k] && gen != last_gen[k]) ||
		    (v > last_ver[k] && gen <= last_gen[k] && last_ver[k]))
			worker_fail(w, "key %u went back: version %llu gen %u after version %llu gen %u",
				    k, (unsigned long long)v, gen,
				    (unsigned long long)last_ver[k],
				    last_gen[k]);
		if (last_ver[k] && v != last_ver[k])
			w->changes++;
		last_ver[k] = v;
		last_gen[k] = gen;
		if (log->n == log->cap) {
			size_t cap = log->cap ? 2 * log->cap : 4096;
			struct rr_obs *o = realloc(log->obs, cap * sizeof(*o));

			if (!o) {
				worker_fail(w, "out of memory for observations");
				break;
			}
			log->obs = o;
			log->cap = cap;
		}
		log->obs[log->n++] = (struct rr_obs){ .key_id = k, .gen = gen,
						      .version = v };
	}
	free(buf);
	/* the observations go back through the thread's return value */
	return log;
}

TEST_F_TIMEOUT(race, readers_vs_replacers, RACE_TIMEOUT)
{
	struct worker rep[RR_REPLACERS] = { 0 }, rd[RR_READERS] = { 0 };
	struct race_shared sh = {
		.nkeys = RR_KEYS, .min_len = self->min_len,
		.max_len = self->max_len, .ops = variant->ops,
		.max_gen = RR_GEN_FACTOR * variant->ops,
	};
	struct rr_log *log[RR_READERS];
	struct objhash_stats st;
	void *buf = malloc(self->max_len);
	unsigned long total = 0, lookups = 0, changes = 0, bad = 0;
	unsigned int i, r;
	size_t j;
	__u32 k;

	sh.genver = calloc((size_t)RR_KEYS * (sh.max_gen + 1), sizeof(__u64));
	sh.cur_ver = calloc(RR_KEYS, sizeof(__u64));
	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, sh.genver);
	ASSERT_NE(NULL, sh.cur_ver);
	for (k = 0; k < RR_KEYS; k++) {
		ASSERT_EQ(0, write_value(self->fd, buf, sh.min_len, sh.max_len,
					 k, 0, 0, 0, &sh.cur_ver[k]));
		*rr_genver(&sh, k, 0) = sh.cur_ver[k];
	}
	ASSERT_EQ(0, pthread_barrier_init(&sh.barrier, NULL,
					  RR_REPLACERS + RR_READERS));
	floors_init(&sh, RR_REPLACERS + RR_READERS);
	/* the replacers' threads are started one by one, readers too */
	for (i = 0; i < RR_REPLACERS; i++) {
		rep[i].id = i;
		rep[i].sh = &sh;
		rep[i].fd = open(OBJHASH_DEV, O_RDWR);
		ASSERT_LE(0, rep[i].fd);
		ASSERT_EQ(0, pthread_create(&rep[i].th, NULL, rr_replacer,
					    &rep[i]));
	}
	for (i = 0; i < RR_READERS; i++) {
		rd[i].id = i;
		rd[i].sh = &sh;
		rd[i].seed = 12345 + i;
		rd[i].fd = open(OBJHASH_DEV, O_RDONLY);
		ASSERT_LE(0, rd[i].fd);
		ASSERT_EQ(0, pthread_create(&rd[i].th, NULL, rr_reader,
					    &rd[i]));
	}
	join_workers(rep, RR_REPLACERS);
	for (i = 0; i < RR_READERS; i++) {
		void *ret = NULL;

		pthread_join(rd[i].th, &ret);
		close(rd[i].fd);
		log[i] = ret;
	}
	EXPECT_WORKERS_OK(rep, RR_REPLACERS, "replacer");
	EXPECT_WORKERS_OK(rd, RR_READERS, "reader");
	/* every value a reader saw carried the version it was written with */
	for (r = 0; r < RR_READERS; r++) {
		ASSERT_NE(NULL, log[r]);
		for (j = 0; j < log[r]->n; j++) {
			struct rr_obs *o = &log[r]->obs[j];
			__u64 want;

			if (!o->version || o->gen > sh.max_gen)
				continue;
			want = *rr_genver(&sh, o->key_id, o->gen);
			if (want != o->version && !bad++)
				TH_LOG("reader %u: key %u gen %u came with version %llu, written as %llu",
				       r, o->key_id, o->gen,
				       (unsigned long long)o->version,
				       (unsigned long long)want);
		}
		free(log[r]->obs);
		free(log[r]);
		lookups += rd[r].ops;
		changes += rd[r].changes;
	}
	EXPECT_EQ(0, bad);
	for (i = 0; i < RR_REPLACERS; i++)
		total += rep[i].ops;
	TH_LOG("%lu replaces, %lu lookups, %lu version changes seen",
	       total, lookups, changes);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(RR_KEYS, st.objects);
	EXPECT_EQ(self->st0.replaces + total, st.replaces);
	EXPECT_EQ(self->st0.version + RR_KEYS + total, st.version);
	EXPECT_EQ(self->st0.hits + lookups, st.hits);
	pthread_barrier_destroy(&sh.barrier);
	free(sh.genver);
	free(sh.cur_ver);
	free(buf);
}

/* ---- readers vs DELETE and PURGE ------------------------------------ */

#define RD_KEYS		32
#define RD_READERS	2
/* Floors that prove deletes and purges happened while readers ran. */
#define RD_MIN_DELETED	16	/* deletes that removed an object */
#define RD_MIN_PURGES	3	/* purges that removed objects */
/*
 * Keys below this the writer only creates (plain INSERT, EEXIST while
 * present) and the deleter leaves alone; the others the writer replaces
 * and the deleter deletes.  A purge unlinks only objects older than its
 * cut, and a walk of every bucket can take longer than the writer needs
 * to replace every key (a second on the debug kernel): the keys no one
 * but a purge removes keep their versions until one does, so purges
 * remove objects at any relative speed.
 */
#define RD_COLD_KEYS	(RD_KEYS / 2)

static void *rd_writer(void *arg)
{
	struct worker *w = arg;
	struct race_shared *sh = w->sh;
	void *buf = malloc(sh->max_len);

	pthread_barrier_wait(&sh->barrier);
	while (buf && worker_go_on(w, w->ops >= sh->ops)) {
		__u32 k = rand_r(&w->seed) % sh->nkeys;
		bool cold = k < RD_COLD_KEYS;
		int ret = write_value(w->fd, buf, sh->min_len, sh->max_len, k,
				      w->ops + 1,
				      cold ? 0 : OBJHASH_INSERT_REPLACE, 0,
				      NULL);

		if (ret && !(cold && ret == -EEXIST))
			worker_fail(w, "write key %u: %s", k, strerror(-ret));
		w->ops++;
	}
	free(buf);
	__atomic_add_fetch(&sh->writers_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *rd_deleter(void *arg)
{
	struct worker *w = arg;
	struct race_shared *sh = w->sh;

	pthread_barrier_wait(&sh->barrier);
	while (worker_go_on(w, w->ops >= sh->ops &&
			       w->hits >= RD_MIN_DELETED)) {
		__u32 k = RD_COLD_KEYS +
			  rand_r(&w->seed) % (sh->nkeys - RD_COLD_KEYS);
		char key[32];
		int ret = oh_delete(w->fd, key, key_name(key, sizeof(key), k),
				    0);

		if (ret && ret != -ENOENT)
			worker_fail(w, "delete key %u: %s", k, strerror(-ret));
		w->ops++;
		if (ret == 0)
			w->hits++;
		/* slower than the writer, so the table is rarely empty */
		usleep(200);
	}
	return NULL;
}

static void *rd_purger(void *arg)
{
	struct worker *w = arg;
	struct race_shared *sh = w->sh;
	unsigned long effective = 0;	/* purges that removed something */

	pthread_barrier_wait(&sh->barrier);
	while (worker_go_on(w, effective >= RD_MIN_PURGES)) {
		__u64 purged = 0;
		int ret = oh_purge(w->fd, (w->ops & 1) ? OBJHASH_PURGE_WAIT : 0,
				   0, &purged);

		if (ret)
			worker_fail(w, "purge: %s", strerror(-ret));
		if (purged > sh->nkeys)
			worker_fail(w, "purged %llu of %u keys",
				    (unsigned long long)purged, sh->nkeys);
		w->ops++;
		w->hits += purged;
		effective += purged > 0;
		usleep(20000);
	}
	return NULL;
}

static void *rd_reader(void *arg)
{
	struct worker *w = arg;
	struct race_shared *sh = w->sh;
	void *buf = malloc(sh->max_len);

	pthread_barrier_wait(&sh->barrier);
	/* found values and found holes: the deletes hit what it reads */
	while (buf && worker_go_on(w, w->ops >= sh->ops && w->hits &&
				      w->misses)) {
		__u32 k = rand_r(&w->seed) % sh->nkeys, gen;
		__u32 len = sh->max_len;
		char key[32];
		const char *bad;
		int ret;

		ret = oh_lookup(w->fd, key, key_name(key, sizeof(key), k),
				buf, &len, 0, NULL);
		w->ops++;
		if (ret == -ENOENT) {
			w->misses++;
			continue;
		}
		if (ret) {
			worker_fail(w, "lookup key %u: %s", k, strerror(-ret));
			continue;
		}
		w->hits++;
		bad = check_value(buf, len, k, &gen);
		if (bad)
			worker_fail(w, "key %u: %s", k, bad);
	}
	free(buf);
	return NULL;
}

/* stats.objects and stats.bytes equal what lookups find, table quiet. */
static void expect_stats_match_table(struct __test_metadata *_metadata,
				     int fd, __u32 nkeys)
{
	struct objhash_stats st;
	__u64 objects = 0, bytes = 0;
	__u32 k;

	for (k = 0; k < nkeys; k++) {
		char key[32];
		int kl = key_name(key, sizeof(key), k);
		__u32 len = 0;
		int ret = oh_present(fd, key, kl, &len, NULL);

		ASSERT_LE(0, ret);
		if (ret == 1) {
			objects++;
			bytes += kl + len;
		}
	}
	ASSERT_EQ(0, oh_stats(fd, &st));
	EXPECT_EQ(objects, st.objects) {
		TH_LOG("stats.objects drifted from the table");
	}
	EXPECT_EQ(bytes, st.bytes) {
		TH_LOG("stats.bytes drifted from the table");
	}
}

TEST_F_TIMEOUT(race, readers_vs_delete_purge, RACE_TIMEOUT)
{
	struct worker wr[1] = { 0 }, del[1] = { 0 }, pu[1] = { 0 };
	struct worker rd[RD_READERS] = { 0 };
	struct race_shared sh = {
		.nkeys = RD_KEYS, .min_len = self->min_len,
		.max_len = self->max_len, .ops = variant->ops,
	};
	struct objhash_stats st;
	unsigned long hits = 0, misses = 0;
	int i;

	ASSERT_EQ(0, pthread_barrier_init(&sh.barrier, NULL,
					  3 + RD_READERS));
	floors_init(&sh, 3 + RD_READERS);
	ASSERT_EQ(0, start_workers(wr, 1, &sh, rd_writer));
	ASSERT_EQ(0, start_workers(del, 1, &sh, rd_deleter));
	ASSERT_EQ(0, start_workers(pu, 1, &sh, rd_purger));
	ASSERT_EQ(0, start_workers(rd, RD_READERS, &sh, rd_reader));
	join_workers(wr, 1);
	join_workers(del, 1);
	join_workers(rd, RD_READERS);
	join_workers(pu, 1);

	/* the floors include the deletes and purges that removed objects */
	EXPECT_WORKERS_OK(wr, 1, "writer");
	EXPECT_WORKERS_OK(del, 1, "deleter");
	EXPECT_WORKERS_OK(rd, RD_READERS, "reader");
	EXPECT_WORKERS_OK(pu, 1, "purger");
	for (i = 0; i < RD_READERS; i++) {
		hits += rd[i].hits;
		misses += rd[i].misses;
	}
	TH_LOG("writes %lu; reader hits %lu, misses %lu; deletes %lu of %lu; purges %lu (%lu objects)",
	       wr[0].ops, hits, misses, del[0].hits, del[0].ops, pu[0].ops,
	       pu[0].hits);
	expect_stats_match_table(_metadata, self->fd, RD_KEYS);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(self->st0.deletes + del[0].hits, st.deletes);
	EXPECT_EQ(self->st0.purged + pu[0].hits, st.purged);
	EXPECT_EQ(st.inserts - self->st0.inserts,
		  st.objects + (st.deletes - self->st0.deletes) +
		  (st.purged - self->st0.purged)) {
		TH_LOG("creates != objects + deletes + purged");
	}
	ASSERT_EQ(0, oh_purge_all(self->fd));
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.bytes);
	EXPECT_EQ(0, st.pending_release);
	pthread_barrier_destroy(&sh.barrier);
}

/* ---- PURGE cut vs a concurrent writer ------------------------------- */

#define PC_OLD_KEYS	64	/* written before the first round */
#define PC_KEYS		128	/* old keys plus keys the writer creates */
#define PC_MIN_ROUNDS	4
/* Rounds in which the writer wrote while the PURGE call ran. */
#define PC_MIN_OVERLAPS	2

/* The writer's last version per key; read by the test while it pauses. */
static __u64 pc_last[PC_KEYS];

/*
 * Write random keys until told to stop; park whenever sh->pause_req is
 * set (w->paused says so), so the test can check a quiet table.
 */
static void *pc_writer(void *arg)
{
	struct worker *w = arg;
	struct race_shared *sh = w->sh;
	void *buf = malloc(sh->max_len);
	unsigned int i = 0;

	while (buf && !__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE)) {
		__u32 k = rand_r(&w->seed) % PC_KEYS;
		__u64 v = 0;
		int ret;

		if (__atomic_load_n(&sh->pause_req, __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&sh->paused, 1, __ATOMIC_RELEASE);
			while (__atomic_load_n(&sh->pause_req, __ATOMIC_ACQUIRE) &&
			       !__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE))
				usleep(200);
			__atomic_store_n(&sh->paused, 0, __ATOMIC_RELEASE);
			continue;
		}
		ret = write_value(w->fd, buf, sh->min_len, sh->max_len, k,
				  ++i, OBJHASH_INSERT_REPLACE, 0, &v);
		if (ret) {
			worker_fail(w, "write key %u: %s", k, strerror(-ret));
			continue;
		}
		if (v <= pc_last[k])
			worker_fail(w, "key %u: version %llu after %llu", k,
				    (unsigned long long)v,
				    (unsigned long long)pc_last[k]);
		pc_last[k] = v;
		__atomic_store_n(&w->ops, w->ops + 1, __ATOMIC_RELEASE);
	}
	free(buf);
	__atomic_store_n(&sh->paused, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Ask the writer to park and wait until it has. */
static void pc_pause(struct race_shared *sh)
{
	__atomic_store_n(&sh->pause_req, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&sh->paused, __ATOMIC_ACQUIRE))
		usleep(200);
}

/* Let the writer go and wait until it did @n more writes. */
static void pc_resume(struct race_shared *sh, struct worker *w,
		      unsigned long n)
{
	unsigned long start = __atomic_load_n(&w->ops, __ATOMIC_ACQUIRE);

	__atomic_store_n(&sh->pause_req, 0, __ATOMIC_RELEASE);
	while (__atomic_load_n(&w->ops, __ATOMIC_ACQUIRE) < start + n &&
	       !__atomic_load_n(&w->errors, __ATOMIC_ACQUIRE))
		usleep(200);
}

/*
 * With the writer parked, check every key against a purge whose cut was
 * somewhere in [@cut_lo, @cut_hi]: versions up to @cut_lo are gone,
 * versions above @cut_hi are there, a present key has its last version.
 * @was_present: keys present when the round started (updated).  Returns
 * how many keys present at the start and not rewritten the purge removed,
 * at least.
 */
static unsigned long pc_check(struct __test_metadata *_metadata, int fd,
			      __u64 cut_lo, __u64 cut_hi, bool *was_present,
			      unsigned long *present)
{
	unsigned long must_purge = 0;
	__u32 k;

	*present = 0;
	for (k = 0; k < PC_KEYS; k++) {
		char key[32];
		int kl = key_name(key, sizeof(key), k);
		__u64 v = 0;
		int ret = oh_present(fd, key, kl, NULL, &v);

		if (ret < 0) {
			TH_LOG("lookup key %u: %s", k, strerror(-ret));
			_metadata->passed = 0;
			continue;
		}
		if (was_present[k] && pc_last[k] <= cut_lo)
			must_purge++;
		if (pc_last[k] && pc_last[k] <= cut_lo)
			EXPECT_EQ(0, ret) {
				TH_LOG("key %u version %llu survived a purge at %llu",
				       k, (unsigned long long)v,
				       (unsigned long long)cut_lo);
			}
		if (pc_last[k] > cut_hi)
			EXPECT_EQ(1, ret) {
				TH_LOG("key %u written at %llu after the cut %llu is gone",
				       k, (unsigned long long)pc_last[k],
				       (unsigned long long)cut_hi);
			}
		if (ret == 1)
			EXPECT_EQ(pc_last[k], v) {
				TH_LOG("key %u has version %llu, last write %llu",
				       k, (unsigned long long)v,
				       (unsigned long long)pc_last[k]);
			}
		was_present[k] = ret == 1;
		*present += ret;
	}
	return must_purge;
}

/*
 * Rounds of: writer parked, note the cut, let the writer run, purge with
 * @explicit_cut (else max_version 0, the table's version at the start)
 * while it writes, park it, check every key.  Rounds go on until the
 * writer has done its floor and wrote during at least PC_MIN_OVERLAPS
 * PURGE calls (and, for the implicit cut, until a round had versions taken
 * between the stats calls around the purge: a cut that could fall in
 * several places).
 */
static void purge_vs_writer(struct __test_metadata *_metadata,
			    FIXTURE_DATA(race) *self,
			    const FIXTURE_VARIANT(race) *variant,
			    bool explicit_cut)
{
	struct race_shared sh = {
		.nkeys = PC_KEYS, .min_len = self->min_len,
		.max_len = self->max_len, .ops = variant->ops,
		.pause_req = 1,
	};
	bool was_present[PC_KEYS] = { false };
	struct worker w[1] = { 0 };
	struct objhash_stats st;
	__u64 total_purged = 0;
	unsigned long present = 0, overlaps = 0, wide = 0;
	unsigned int round;
	void *buf = malloc(self->max_len);
	double deadline = oh_now_s() + RACE_DEADLINE;
	__u32 k;

	ASSERT_NE(NULL, buf);
	memset(pc_last, 0, sizeof(pc_last));
	for (k = 0; k < PC_OLD_KEYS; k++) {
		ASSERT_EQ(0, write_value(self->fd, buf, sh.min_len, sh.max_len,
					 k, 0, 0, 0, &pc_last[k]));
		was_present[k] = true;
	}
	free(buf);
	ASSERT_EQ(0, start_workers(w, 1, &sh, pc_writer));
	for (round = 0; !w[0].errors && (round < PC_MIN_ROUNDS ||
					  w[0].ops < variant->ops ||
					  overlaps < PC_MIN_OVERLAPS ||
					  (!explicit_cut && !wide)); round++) {
		__u64 cut_lo, cut_hi, purged = 0;
		unsigned long must, ops0, ops1;

		if (oh_now_s() > deadline) {
			TH_LOG("after %u rounds in %d s: writer ops %lu, %lu overlapping purges, %lu wide cuts",
			       round, RACE_DEADLINE, w[0].ops, overlaps, wide);
			_metadata->passed = 0;
			break;
		}

		pc_pause(&sh);
		ASSERT_EQ(0, oh_stats(self->fd, &st));
		/* the writer is parked: every version so far is <= this */
		cut_lo = cut_hi = st.version;
		pc_resume(&sh, w, 10);
		if (explicit_cut) {
			ops0 = __atomic_load_n(&w[0].ops, __ATOMIC_ACQUIRE);
			ASSERT_EQ(0, oh_purge(self->fd, 0, cut_lo, &purged));
			ops1 = __atomic_load_n(&w[0].ops, __ATOMIC_ACQUIRE);
		} else {
			/* the real cut is somewhere in [cut_lo, cut_hi] */
			ASSERT_EQ(0, oh_stats(self->fd, &st));
			cut_lo = st.version;
			ops0 = __atomic_load_n(&w[0].ops, __ATOMIC_ACQUIRE);
			ASSERT_EQ(0, oh_purge(self->fd, 0, 0, &purged));
			ops1 = __atomic_load_n(&w[0].ops, __ATOMIC_ACQUIRE);
			ASSERT_EQ(0, oh_stats(self->fd, &st));
			cut_hi = st.version;
			wide += cut_hi > cut_lo;
		}
		overlaps += ops1 > ops0;
		pc_pause(&sh);
		must = pc_check(_metadata, self->fd, cut_lo, cut_hi,
				was_present, &present);
		EXPECT_LE(must, purged) {
			TH_LOG("round %u: purged %llu, but %lu old keys are gone",
			       round, (unsigned long long)purged, must);
		}
		total_purged += purged;
		if (!_metadata->passed) {
			TH_LOG("round %u: cut in [%llu, %llu], purged %llu",
			       round, (unsigned long long)cut_lo,
			       (unsigned long long)cut_hi,
			       (unsigned long long)purged);
			break;
		}
	}
	__atomic_store_n(&sh.stop, 1, __ATOMIC_RELEASE);
	join_workers(w, 1);
	EXPECT_EQ(0, w[0].errors) {
		TH_LOG("writer: %lu violations, first: %s", w[0].errors,
		       w[0].err);
	}
	TH_LOG("%u rounds, purged %llu, writer ops %lu, wrote during %lu purges, %lu wide cuts",
	       round, (unsigned long long)total_purged, w[0].ops, overlaps,
	       wide);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(present, st.objects);
	EXPECT_EQ(self->st0.purged + total_purged, st.purged);
	expect_stats_match_table(_metadata, self->fd, PC_KEYS);
}

TEST_F_TIMEOUT(race, purge_cut_vs_writer, RACE_TIMEOUT)
{
	purge_vs_writer(_metadata, self, variant, true);
}

TEST_F_TIMEOUT(race, purge_all_vs_writer, RACE_TIMEOUT)
{
	purge_vs_writer(_metadata, self, variant, false);
}


/* ---- racing LOOKUP_DELETE ------------------------------------------- */

/* Calls that were in flight together with the winner's: proof of a race. */
#define LD_MIN_OVERLAPS	32

static void *ld_taker(void *arg)
{
	struct worker *w = arg;
	struct race_shared *sh = w->sh;
	void *buf = malloc(sh->max_len);
	__u32 k;

	for (;;) {
		pthread_barrier_wait(&sh->barrier);	/* keys are in, or stop */
		if (__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE))
			break;
		/* every thread sweeps the same keys in the same order */
		for (k = 0; buf && k < LD_KEYS; k++) {
			struct ld_try *t = &sh->tries[w->id][k];
			__u32 len = sh->max_len, gen = 0;
			char key[32];
			const char *bad;
			int kl = key_name(key, sizeof(key), k), ret;

			t->t0 = oh_now_s();
			ret = oh_lookup(w->fd, key, kl, buf, &len,
					OBJHASH_LOOKUP_DELETE, NULL);
			t->t1 = oh_now_s();
			t->won = !ret;
			w->ops++;
			if (ret == -ENOENT) {
				w->misses++;
				continue;
			}
			if (ret) {
				worker_fail(w, "take key %u: %s", k,
					    strerror(-ret));
				continue;
			}
			w->hits++;
			__atomic_add_fetch(&sh->wins[k], 1, __ATOMIC_RELAXED);
			bad = check_value(buf, len, k, &gen);
			if (bad)
				worker_fail(w, "key %u: %s", k, bad);
			else if (gen != sh->round)
				worker_fail(w, "key %u: gen %u in round %u",
					    k, gen, sh->round);
		}
		pthread_barrier_wait(&sh->barrier);	/* round done */
	}
	free(buf);
	return NULL;
}

/* Losing calls for @k that overlapped the winning one in time. */
static unsigned int ld_overlaps(struct race_shared *sh, __u32 k)
{
	const struct ld_try *win = NULL;
	unsigned int i, n = 0;

	for (i = 0; i < LD_THREADS; i++)
		if (sh->tries[i][k].won)
			win = &sh->tries[i][k];
	for (i = 0; win && i < LD_THREADS; i++) {
		const struct ld_try *t = &sh->tries[i][k];

		n += t != win && t->t0 < win->t1 && win->t0 < t->t1;
	}
	return n;
}

/*
 * Rounds of: insert LD_KEYS keys, then LD_THREADS threads take them all
 * with LOOKUP_DELETE, starting together and in the same order, so that
 * calls for one key overlap.  Each key has exactly one winner, whose value
 * is whole.  Rounds go on until each thread did its floor of calls and
 * LD_MIN_OVERLAPS losing calls overlapped the winner's in time.
 */
TEST_F_TIMEOUT(race, lookup_delete_one_winner, RACE_TIMEOUT)
{
	struct race_shared sh = {
		.nkeys = LD_KEYS, .min_len = self->min_len,
		.max_len = self->max_len, .ops = variant->ops,
	};
	struct ld_try tries[LD_THREADS][LD_KEYS];
	unsigned int min_rounds = (sh.ops + LD_KEYS - 1) / LD_KEYS, r;
	unsigned int wins[LD_KEYS];
	struct worker w[LD_THREADS] = { 0 };
	unsigned long total = 0, bad_rounds = 0, overlaps = 0;
	struct objhash_stats st;
	void *buf = malloc(self->max_len);
	double deadline = oh_now_s() + RACE_DEADLINE;
	__u32 k;

	ASSERT_NE(NULL, buf);
	sh.wins = wins;
	sh.tries = tries;
	ASSERT_EQ(0, pthread_barrier_init(&sh.barrier, NULL, LD_THREADS + 1));
	ASSERT_EQ(0, start_workers(w, LD_THREADS, &sh, ld_taker));
	for (r = 0; r < min_rounds || overlaps < LD_MIN_OVERLAPS; r++) {
		if (oh_now_s() > deadline) {
			TH_LOG("%u rounds in %d s, only %lu overlapping calls",
			       r, RACE_DEADLINE, overlaps);
			_metadata->passed = 0;
			break;
		}
		memset(wins, 0, sizeof(wins));
		memset(tries, 0, sizeof(tries));
		sh.round = r;
		for (k = 0; k < LD_KEYS; k++) {
			int ret = write_value(self->fd, buf, sh.min_len,
					      sh.max_len, k, r, 0, 0, NULL);

			EXPECT_EQ(0, ret) {
				TH_LOG("round %u: insert key %u: %s", r, k,
				       strerror(-ret));
			}
		}
		pthread_barrier_wait(&sh.barrier);
		pthread_barrier_wait(&sh.barrier);
		for (k = 0; k < LD_KEYS; k++) {
			total += wins[k];
			overlaps += ld_overlaps(&sh, k);
			if (wins[k] != 1 && !bad_rounds++)
				TH_LOG("round %u: key %u had %u winners", r, k,
				       wins[k]);
		}
	}
	__atomic_store_n(&sh.stop, 1, __ATOMIC_RELEASE);
	pthread_barrier_wait(&sh.barrier);
	join_workers(w, LD_THREADS);
	for (k = 0; k < LD_THREADS; k++) {
		EXPECT_EQ(0, w[k].errors) {
			TH_LOG("taker %u: %lu violations, first: %s", k,
			       w[k].errors, w[k].err);
		}
	}
	TH_LOG("%u rounds, %lu taken, %lu losing calls overlapped the winner's",
	       r, total, overlaps);
	EXPECT_EQ(0, bad_rounds);
	EXPECT_EQ((unsigned long)r * LD_KEYS, total);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.bytes);
	EXPECT_EQ(self->st0.deletes + total, st.deletes);
	pthread_barrier_destroy(&sh.barrier);
	free(buf);
}

/* ---- LOOKUP_DELETE vs replace: one call, one lookup ----------------- */

#define TR_KEYS		4
#define TR_WRITERS	2
#define TR_TAKERS	2
/* Values each taker must have taken: the race really ran. */
#define TR_MIN_TAKEN	32

static void *tr_writer(void *arg)
{
	struct worker *w = arg;
	struct race_shared *sh = w->sh;
	void *buf = malloc(sh->max_len);

	pthread_barrier_wait(&sh->barrier);
	while (buf && worker_go_on(w, w->ops >= sh->ops / TR_WRITERS)) {
		__u32 k = rand_r(&w->seed) % TR_KEYS;
		int ret = write_value(w->fd, buf, sh->min_len, sh->max_len, k,
				      w->ops + 1, OBJHASH_INSERT_REPLACE, 0,
				      NULL);

		if (ret)
			worker_fail(w, "write key %u: %s", k, strerror(-ret));
		w->ops++;
		__atomic_add_fetch(&sh->writes, 1, __ATOMIC_RELEASE);
	}
	free(buf);
	return NULL;
}

static void *tr_taker(void *arg)
{
	struct worker *w = arg;
	struct race_shared *sh = w->sh;
	void *buf = malloc(sh->max_len);

	pthread_barrier_wait(&sh->barrier);
	while (buf && worker_go_on(w, w->ops >= sh->ops &&
				      w->hits >= TR_MIN_TAKEN)) {
		__u32 k = rand_r(&w->seed) % TR_KEYS, gen;
		__u32 len = sh->max_len;
		char key[32];
		const char *bad;
		int ret;

		ret = oh_lookup(w->fd, key, key_name(key, sizeof(key), k),
				buf, &len, OBJHASH_LOOKUP_DELETE, NULL);
		w->ops++;
		if (ret == -ENOENT) {
			/* let the writers run: misses alone test little */
			w->misses++;
			usleep(50);
			continue;
		}
		if (ret) {
			worker_fail(w, "take key %u: %s", k, strerror(-ret));
			continue;
		}
		w->hits++;
		bad = check_value(buf, len, k, &gen);
		if (bad)
			worker_fail(w, "key %u: %s", k, bad);
	}
	free(buf);
	return NULL;
}

/*
 * LOOKUP_DELETE racing replaces of the same keys: every taken value is
 * whole, and the counters move by exactly what the calls did: one LOOKUP
 * call is one lookup (and at most one hit), however the module retries.
 */
TEST_F_TIMEOUT(race, lookup_delete_vs_replace, RACE_TIMEOUT)
{
	struct worker wr[TR_WRITERS] = { 0 }, tk[TR_TAKERS] = { 0 };
	struct race_shared sh = {
		.nkeys = TR_KEYS, .min_len = self->min_len,
		.max_len = self->max_len, .ops = variant->ops,
	};
	unsigned long calls = 0, taken = 0, writes = 0;
	struct objhash_stats st;
	int i;

	ASSERT_EQ(0, pthread_barrier_init(&sh.barrier, NULL,
					  TR_WRITERS + TR_TAKERS));
	floors_init(&sh, TR_WRITERS + TR_TAKERS);
	ASSERT_EQ(0, start_workers(wr, TR_WRITERS, &sh, tr_writer));
	ASSERT_EQ(0, start_workers(tk, TR_TAKERS, &sh, tr_taker));
	join_workers(tk, TR_TAKERS);
	join_workers(wr, TR_WRITERS);
	/* the takers' floor includes TR_MIN_TAKEN values taken each */
	EXPECT_WORKERS_OK(tk, TR_TAKERS, "taker");
	EXPECT_WORKERS_OK(wr, TR_WRITERS, "writer");
	for (i = 0; i < TR_TAKERS; i++) {
		calls += tk[i].ops;
		taken += tk[i].hits;
	}
	for (i = 0; i < TR_WRITERS; i++)
		writes += wr[i].ops;
	TH_LOG("%lu calls, %lu taken, %lu writes", calls, taken, writes);
	ASSERT_EQ(0, oh_stats(self->fd, &st));
	EXPECT_EQ(self->st0.lookups + calls, st.lookups) {
		TH_LOG("stats.lookups moved by %llu for %lu LOOKUP calls",
		       (unsigned long long)(st.lookups - self->st0.lookups),
		       calls);
	}
	EXPECT_EQ(self->st0.hits + taken, st.hits) {
		TH_LOG("stats.hits moved by %llu for %lu successful calls",
		       (unsigned long long)(st.hits - self->st0.hits), taken);
	}
	EXPECT_EQ(self->st0.deletes + taken, st.deletes);
	EXPECT_EQ(self->st0.inserts + self->st0.replaces + writes,
		  st.inserts + st.replaces);
	EXPECT_EQ(st.inserts - self->st0.inserts - taken, st.objects);
	pthread_barrier_destroy(&sh.barrier);
}

OBJHASH_TEST_MAIN
