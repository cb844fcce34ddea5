// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench (native): the objhash table core (module/table.c, the
 * object the native tests build, through its in-kernel API) against
 * liburcu's cds_lfht, Concurrency Kit's ck_ht (single writer), a table
 * under one global lock (strategy 0) and a table of 16 locked shards
 * (strategy 3), in userspace on the host.
 *
 * Statistics (review-tests-2026-12-01.md, point 9): every ratio is taken
 * within one round, between measurements made back to back; within a
 * round the variants run in an order that rotates from round to round;
 * every lookup phase runs for a fixed time (-p, 500 ms) and every write
 * phase for at least that long or one pass over all keys; the report
 * gives the median of the per-round ratios with their min-max, and a
 * target is "met" or "missed" only when every round agrees, "undecided"
 * when the spread straddles it.
 *
 * Usage: objhash_bench [-r rounds] [-p phase_ms] [-n nr[,nr...]]
 *                      [-P purge_nr] [-H hot_keys] [-j json] [-t txt]
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shim/include/objhash_shim.h"
#include "bench.h"

#define BENCH_MAX_THREADS	2
#define BENCH_MAX_NRS		4
#define BENCH_MAX_ROUNDS	64
#define BENCH_STRIDE		7919U	/* prime: consecutive lookups far apart */
#define BENCH_CHUNK		256	/* ops between two clock reads */
#define BENCH_PURGE_SAMPLES	(1U << 23)

enum bench_op {
	OP_INSERT,
	OP_LOOKUP_HIT,
	OP_LOOKUP_MISS,
	OP_HOTKEY,
	OP_REPLACE,
	OP_DELETE,
	NR_OPS,
};

static const char *const op_names[NR_OPS] = {
	"insert", "lookup_hit", "lookup_miss", "hotkey", "replace", "delete",
};

/* Variants of the operation phases; the floor only runs lookup_hit. */
static const struct bench_variant *const variants[] = {
	&bench_objhash, &bench_lfht, &bench_ckht, &bench_global,
	&bench_sharded, &bench_floor,
};
#define NR_VARIANTS	(sizeof(variants) / sizeof(variants[0]))
#define V_OBJHASH	0
#define V_LFHT		1
#define V_FLOOR		5

static const struct bench_variant *const purge_variants[] = {
	&bench_objhash, &bench_global, &bench_sharded, &bench_lfht, &bench_ckht,
};
#define NR_PURGE_VARIANTS (sizeof(purge_variants) / sizeof(purge_variants[0]))

static struct {
	unsigned int rounds;
	unsigned int phase_ms;
	unsigned int nrs[BENCH_MAX_NRS];
	unsigned int nr_nrs;
	unsigned int purge_nr;
	unsigned int hot;
	const char *json;
	const char *txt;
} cfg = {
	.rounds = 5,
	.phase_ms = 500,
	.nrs = { 16384, 1048576 },
	.nr_nrs = 2,
	.purge_nr = 1048576,
	.hot = 4,
};

/* Mops/s of [round][nr][threads - 1][variant][op]; 0 = not measured. */
static double mops[BENCH_MAX_ROUNDS][BENCH_MAX_NRS][BENCH_MAX_THREADS]
		  [NR_VARIANTS][NR_OPS];

struct purge_res {
	double purge_ms;
	double p50_us, p99_us, max_us, max_gap_us, max_own_us;
	uint64_t lookups, purged, preempted;
};
static struct purge_res purge_res[BENCH_MAX_ROUNDS][NR_PURGE_VARIANTS];
static double round_load[BENCH_MAX_ROUNDS];
static uint64_t total_errors;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static double load1(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

static void die(const char *what)
{
	fprintf(stderr, "objhash_bench: %s\n", what);
	exit(1);
}

/* The floor: no table, the hash and the 64-byte copy a lookup does. */
struct bench_fl {
	uint64_t secret[2];
	uint8_t values[1024][BENCH_VALUE_LEN];
};

static void *bench_fl_create(unsigned int bits)
{
	struct bench_fl *fl = calloc(1, sizeof(*fl));

	if (fl)
		bench_random(fl->secret, sizeof(fl->secret));
	return fl;
}

static void bench_fl_destroy(void *tbl)
{
	free(tbl);
}

static int bench_fl_lookup(void *tbl, const struct bench_key *key,
			   uint8_t *buf)
{
	struct bench_fl *fl = tbl;

	memcpy(buf, fl->values[bench_hash(key, fl->secret) % 1024],
	       BENCH_VALUE_LEN);
	return 0;
}

const struct bench_variant bench_floor = {
	.name = "no_table",
	.create = bench_fl_create,
	.destroy = bench_fl_destroy,
	.lookup = bench_fl_lookup,
};

static void pin(unsigned int cpu)
{
	cpu_set_t set;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	CPU_ZERO(&set);
	CPU_SET(cpu % (ncpu > 0 ? ncpu : 1), &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * The shim's RCU callback thread and workqueue thread start on first use
 * and inherit their creator's CPU mask: start them here, pinned to CPU 0,
 * where thread 0 of every phase and the purger run.  The kernel runs RCU
 * callbacks on the CPU that queued them; left free, the two threads land
 * on the purge reader's CPU and preempt it for milliseconds.
 */
static void helper_rcu_fn(struct objhash_shim_rcu_head *head)
{
}

static void start_helpers(void)
{
	static struct objhash_shim_rcu_head head;
	cpu_set_t all;

	sched_getaffinity(0, sizeof(all), &all);
	pin(0);
	objhash_shim_call_rcu(&head, helper_rcu_fn);
	objhash_shim_rcu_barrier();
	bench_start_workqueue();
	sched_setaffinity(0, sizeof(all), &all);
}

/* ---- keys ---- */

static struct bench_key *keys_hit, *keys_miss;	/* max nr of each */

static unsigned int hash_bits(unsigned int nr)
{
	/* rhashtable's size for nr elements: roundup_pow_of_two(nr * 4 / 3) */
	unsigned int bits = 4;

	while ((1UL << bits) < (unsigned long)nr / 3 * 4)
		bits++;
	return bits;
}

static unsigned int key_index(unsigned int start, uint64_t i, unsigned int nr)
{
	return (start + i * BENCH_STRIDE) % nr;
}

/* ---- a team of pinned threads released together ---- */

struct team;
typedef void (*team_fn)(struct team *tm, unsigned int tid);

struct team {
	team_fn fn;
	const struct bench_variant *var;
	void *tbl;
	unsigned int nr;	/* keys */
	unsigned int threads;
	enum bench_op op;
	uint64_t deadline_ns;	/* for timed phases; from the release */
	uint64_t version_base;
	pthread_barrier_t go;
	uint64_t start_ns[BENCH_MAX_THREADS];
	uint64_t end_ns[BENCH_MAX_THREADS];
	uint64_t ops[BENCH_MAX_THREADS];
	uint64_t errors[BENCH_MAX_THREADS];
	void *arg;
};

struct team_thread {
	struct team *tm;
	unsigned int tid;
};

static void *team_thread(void *p)
{
	struct team_thread *tt = p;
	struct team *tm = tt->tm;

	pin(tt->tid);
	objhash_shim_thread_start();
	pthread_barrier_wait(&tm->go);
	tm->start_ns[tt->tid] = now_ns();
	tm->fn(tm, tt->tid);
	tm->end_ns[tt->tid] = now_ns();
	objhash_shim_thread_stop();
	return NULL;
}

/* Run @tm->fn on @tm->threads threads; the wall time, first start to last end. */
static uint64_t team_run(struct team *tm)
{
	pthread_t th[BENCH_MAX_THREADS];
	struct team_thread tt[BENCH_MAX_THREADS];
	uint64_t t0 = UINT64_MAX, t1 = 0;
	unsigned int i;

	pthread_barrier_init(&tm->go, NULL, tm->threads);
	for (i = 0; i < tm->threads; i++) {
		tm->ops[i] = tm->errors[i] = 0;
		tt[i] = (struct team_thread){ tm, i };
		if (pthread_create(&th[i], NULL, team_thread, &tt[i]))
			die("pthread_create");
	}
	for (i = 0; i < tm->threads; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&tm->go);
	for (i = 0; i < tm->threads; i++) {
		t0 = tm->start_ns[i] < t0 ? tm->start_ns[i] : t0;
		t1 = tm->end_ns[i] > t1 ? tm->end_ns[i] : t1;
		total_errors += tm->errors[i];
	}
	return t1 - t0;
}

static uint64_t team_ops(const struct team *tm)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < tm->threads; i++)
		n += tm->ops[i];
	return n;
}

/* Writes: each thread its slice of the keys, one pass. */
static void write_fn(struct team *tm, unsigned int tid)
{
	unsigned int lo = (uint64_t)tm->nr * tid / tm->threads;
	unsigned int hi = (uint64_t)tm->nr * (tid + 1) / tm->threads;
	unsigned int i;
	int err;

	for (i = lo; i < hi; i++) {
		if (tm->op == OP_INSERT)
			err = tm->var->insert(tm->tbl, &keys_hit[i],
					      tm->version_base + i + 1);
		else if (tm->op == OP_REPLACE)
			err = tm->var->replace(tm->tbl, &keys_hit[i],
					       tm->version_base + i + 1);
		else
			err = tm->var->remove(tm->tbl, &keys_hit[i]);
		tm->errors[tid] += !!err;
	}
	tm->ops[tid] = hi - lo;
}

/* Lookups until the deadline, BENCH_CHUNK at a time. */
static void lookup_fn(struct team *tm, unsigned int tid)
{
	unsigned int start = (uint64_t)tm->nr * tid / tm->threads;
	uint64_t buf[BENCH_VALUE_LEN / 8], i = 0, errors = 0;
	uint64_t deadline = tm->start_ns[tid] + tm->deadline_ns;
	unsigned int j, k;
	int err;

	do {
		for (j = 0; j < BENCH_CHUNK; j++, i++) {
			switch (tm->op) {
			case OP_LOOKUP_HIT:
				k = key_index(start, i, tm->nr);
				err = tm->var->lookup(tm->tbl, &keys_hit[k],
						      (uint8_t *)buf);
				/* the floor copies no key's value */
				errors += err || (tm->var != &bench_floor &&
						  buf[0] != tm->version_base + k + 1);
				break;
			case OP_LOOKUP_MISS:
				k = key_index(start, i, tm->nr);
				errors += !tm->var->lookup(tm->tbl, &keys_miss[k],
							   (uint8_t *)buf);
				break;
			default:	/* OP_HOTKEY: every thread, the same keys */
				k = i % cfg.hot;
				errors += !!tm->var->lookup(tm->tbl, &keys_hit[k],
							    (uint8_t *)buf);
				break;
			}
		}
	} while (now_ns() < deadline);
	tm->ops[tid] = i;
	tm->errors[tid] = errors;
}

static double run_phase(struct team *tm, enum bench_op op, uint64_t *wall)
{
	tm->op = op;
	tm->fn = (op == OP_INSERT || op == OP_REPLACE || op == OP_DELETE) ?
		 write_fn : lookup_fn;
	*wall = team_run(tm);
	return (double)team_ops(tm);
}

/*
 * One variant at @nr keys and @threads threads: fill (timed as insert),
 * the three lookup phases, then replace and delete; at small @nr the
 * insert, replace and delete passes repeat until they add up to a phase.
 */
static void measure(unsigned int round, unsigned int ni, unsigned int threads,
		    unsigned int vi)
{
	const struct bench_variant *var = variants[vi];
	unsigned int nr = cfg.nrs[ni];
	double *res = mops[round][ni][threads - 1][vi];
	struct team tm = {
		.var = var,
		.nr = nr,
		.threads = threads,
		.deadline_ns = cfg.phase_ms * 1000000ULL,
	};
	double ops[NR_OPS] = { 0 };
	uint64_t ns[NR_OPS] = { 0 }, wall;
	enum bench_op op;
	unsigned int pass;

	tm.tbl = var->create(hash_bits(nr));
	if (!tm.tbl)
		die("table create failed");
	if (var == &bench_floor) {
		ops[OP_LOOKUP_HIT] = run_phase(&tm, OP_LOOKUP_HIT, &wall);
		res[OP_LOOKUP_HIT] = ops[OP_LOOKUP_HIT] / wall * 1e3;
		var->destroy(tm.tbl);
		return;
	}
	for (pass = 0;; pass++) {
		/* values of pass p are version_base + i + 1, new each pass */
		tm.version_base = 2ULL * nr * pass;
		ops[OP_INSERT] += run_phase(&tm, OP_INSERT, &wall);
		ns[OP_INSERT] += wall;
		if (!pass) {
			for (op = OP_LOOKUP_HIT; op <= OP_HOTKEY; op++) {
				ops[op] = run_phase(&tm, op, &wall);
				ns[op] = wall;
			}
		}
		tm.version_base += nr;
		ops[OP_REPLACE] += run_phase(&tm, OP_REPLACE, &wall);
		ns[OP_REPLACE] += wall;
		ops[OP_DELETE] += run_phase(&tm, OP_DELETE, &wall);
		ns[OP_DELETE] += wall;
		if (ns[OP_INSERT] + ns[OP_REPLACE] + ns[OP_DELETE] >=
		    cfg.phase_ms * 1000000ULL)
			break;
	}
	for (op = 0; op < NR_OPS; op++)
		res[op] = ops[op] / ns[op] * 1e3;
	var->destroy(tm.tbl);
}

/* ---- purge of half a full table under a timed reader ---- */

struct purge_run {
	const struct bench_variant *var;
	void *tbl;
	unsigned int nr;
	int reading;		/* the reader is under way */
	int purging;		/* the purge started */
	int done;		/* the purge returned */
	uint64_t purge_ns, purged;
	uint32_t *lat;
	uint64_t nr_lat, lookups, max_lat, max_gap, max_own, preempted;
};

static void purger(struct purge_run *pr)
{
	uint64_t t0;

	while (!__atomic_load_n(&pr->reading, __ATOMIC_ACQUIRE))
		sched_yield();
	__atomic_store_n(&pr->purging, 1, __ATOMIC_RELEASE);
	t0 = now_ns();
	if (pr->var->purge(pr->tbl, pr->nr / 2, &pr->purged))
		die("purge failed");
	pr->purge_ns = now_ns() - t0;
	__atomic_store_n(&pr->done, 1, __ATOMIC_RELEASE);
}

/*
 * The time this thread has spent runnable but waiting for a CPU
 * (/proc/thread-self/schedstat, second field, ns): what other tasks of a
 * shared machine took from it.  Blocking on a lock is not in it.
 */
static uint64_t run_delay(int fd)
{
	unsigned long long run, wait = 0;
	char buf[96];
	ssize_t n = fd < 0 ? -1 : pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = 0;
	if (sscanf(buf, "%llu %llu", &run, &wait) != 2)
		return 0;
	return wait;
}

static void reader(struct purge_run *pr)
{
	uint64_t buf[BENCH_VALUE_LEN / 8], t0, t1, d0, d1, prev = 0, i;
	int fd = open("/proc/thread-self/schedstat", O_RDONLY);
	int done_before;

	for (i = 0; !__atomic_load_n(&pr->done, __ATOMIC_ACQUIRE); i++) {
		done_before = __atomic_load_n(&pr->done, __ATOMIC_ACQUIRE);
		d0 = run_delay(fd);
		t0 = now_ns();
		pr->var->lookup(pr->tbl, &keys_hit[key_index(0, i, pr->nr)],
				(uint8_t *)buf);
		t1 = now_ns();
		d1 = run_delay(fd);
		/*
		 * Read after the lookup, so one that began before the purge
		 * and waited for its lock counts too.
		 */
		if (__atomic_load_n(&pr->purging, __ATOMIC_ACQUIRE) &&
		    !done_before) {
			uint64_t lat = t1 - t0, waited = d1 - d0;
			uint64_t own = lat > waited ? lat - waited : 0;

			pr->lookups++;
			pr->preempted += !!waited;
			if (lat > pr->max_lat)
				pr->max_lat = lat;
			if (own > pr->max_own)
				pr->max_own = own;
			if (prev && t0 - prev > pr->max_gap)
				pr->max_gap = t0 - prev;
			if (pr->nr_lat < BENCH_PURGE_SAMPLES)
				pr->lat[pr->nr_lat++] = lat > UINT32_MAX ?
							UINT32_MAX : lat;
			prev = t1;
		}
		if (i == BENCH_CHUNK)
			__atomic_store_n(&pr->reading, 1, __ATOMIC_RELEASE);
	}
	if (fd >= 0)
		close(fd);
}

static void purge_fn(struct team *tm, unsigned int tid)
{
	if (tid)
		reader(tm->arg);
	else
		purger(tm->arg);
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The survivors are there and the victims gone; count errors if not. */
static void purge_check(struct purge_run *pr)
{
	uint64_t buf[BENCH_VALUE_LEN / 8];
	unsigned int i;

	if (pr->purged != pr->nr / 2) {
		fprintf(stderr, "%s: purged %llu, want %u\n", pr->var->name,
			(unsigned long long)pr->purged, pr->nr / 2);
		total_errors++;
	}
	for (i = 0; i < pr->nr; i += 61) {
		int err = pr->var->lookup(pr->tbl, &keys_hit[i], (uint8_t *)buf);

		if (!err != (i >= pr->nr / 2)) {
			fprintf(stderr, "%s: key %u %s after the purge\n",
				pr->var->name, i, err ? "lost" : "kept");
			total_errors++;
		}
	}
}

static void measure_purge(unsigned int round, unsigned int pi,
			  uint32_t *lat)
{
	struct purge_run pr = {
		.var = purge_variants[pi],
		.nr = cfg.purge_nr,
		.lat = lat,
	};
	struct team tm = {
		.fn = purge_fn,
		.threads = 2,
		.arg = &pr,
	};
	struct purge_res *r = &purge_res[round][pi];
	unsigned int i;

	pr.tbl = pr.var->create(hash_bits(pr.nr));
	if (!pr.tbl)
		die("table create failed");
	/* one thread, key order: key i gets version i + 1 in every variant */
	for (i = 0; i < pr.nr; i++)
		if (pr.var->insert(pr.tbl, &keys_hit[i], i + 1))
			die("fill failed");
	team_run(&tm);
	purge_check(&pr);
	qsort(lat, pr.nr_lat, sizeof(*lat), u32_cmp);
	r->purge_ms = pr.purge_ns / 1e6;
	r->p50_us = pr.nr_lat ? lat[pr.nr_lat / 2] / 1e3 : 0;
	r->p99_us = pr.nr_lat ? lat[pr.nr_lat * 99 / 100] / 1e3 : 0;
	r->max_us = pr.max_lat / 1e3;
	r->max_gap_us = pr.max_gap / 1e3;
	r->max_own_us = pr.max_own / 1e3;
	r->preempted = pr.preempted;
	r->lookups = pr.lookups;
	r->purged = pr.purged;
	pr.var->destroy(pr.tbl);
}

/* ---- statistics ---- */

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct spread {
	double med, min, max;
	unsigned int n;
};

/* Median and range of @n values; NaN-free input assumed (0 = missing). */
static struct spread spread_of(const double *v, unsigned int n)
{
	double s[BENCH_MAX_ROUNDS];
	struct spread sp = { 0 };
	unsigned int i;

	for (i = 0; i < n; i++)
		if (v[i] > 0)
			s[sp.n++] = v[i];
	if (!sp.n)
		return sp;
	qsort(s, sp.n, sizeof(*s), dbl_cmp);
	sp.min = s[0];
	sp.max = s[sp.n - 1];
	sp.med = sp.n % 2 ? s[sp.n / 2] : (s[sp.n / 2 - 1] + s[sp.n / 2]) / 2;
	return sp;
}

/* ">=" target: met if every round met it, missed if none, else undecided. */
static const char *verdict(struct spread sp, double target, bool at_least)
{
	if (!sp.n)
		return "not measured";
	if (at_least)
		return sp.min >= target ? "met" :
		       sp.max < target ? "missed" : "undecided";
	return sp.max <= target ? "met" : sp.min > target ? "missed" :
	       "undecided";
}

struct target {
	char name[64];
	struct spread sp;
	double target;
	bool at_least;
	const char *verdict;
};

static struct target targets[32];
static unsigned int nr_targets;
static struct target infos[64];
static unsigned int nr_infos;

static void add_ratio(struct target *t, unsigned int *n, const char *name,
		      const double *per_round, double target, bool at_least)
{
	struct target *x = &t[(*n)++];

	snprintf(x->name, sizeof(x->name), "%s", name);
	x->sp = spread_of(per_round, cfg.rounds);
	x->target = target;
	x->at_least = at_least;
	x->verdict = target ? verdict(x->sp, target, at_least) : "";
}

static void compute_ratios(void)
{
	double r[BENCH_MAX_ROUNDS];
	unsigned int ni, th, k, op;
	char name[64];

	for (ni = 0; ni < cfg.nr_nrs; ni++) {
		unsigned int nr = cfg.nrs[ni];

		for (th = 1; th <= BENCH_MAX_THREADS; th++) {
			for (op = OP_LOOKUP_HIT; op <= OP_LOOKUP_MISS; op++) {
				for (k = 0; k < cfg.rounds; k++)
					r[k] = mops[k][ni][th - 1][V_OBJHASH][op] /
					       mops[k][ni][th - 1][V_LFHT][op];
				snprintf(name, sizeof(name),
					 "%s_vs_cds_lfht_%ut_n%u", op_names[op],
					 th, nr);
				add_ratio(targets, &nr_targets, name, r, 1.0,
					  true);
			}
		}
		for (op = OP_LOOKUP_HIT; op <= OP_HOTKEY; op += 2) {
			for (k = 0; k < cfg.rounds; k++)
				r[k] = mops[k][ni][1][V_OBJHASH][op] /
				       mops[k][ni][0][V_OBJHASH][op];
			snprintf(name, sizeof(name), "objhash_%s_2t_vs_1t_n%u",
				 op_names[op], nr);
			add_ratio(targets, &nr_targets, name, r, 1.8, true);
		}
		/* context: what the host gave two threads of a table-free loop */
		for (k = 0; k < cfg.rounds; k++)
			r[k] = mops[k][ni][1][V_FLOOR][OP_LOOKUP_HIT] /
			       mops[k][ni][0][V_FLOOR][OP_LOOKUP_HIT];
		snprintf(name, sizeof(name), "no_table_2t_vs_1t_n%u", nr);
		add_ratio(infos, &nr_infos, name, r, 0, true);
		for (k = 0; k < cfg.rounds; k++)
			r[k] = mops[k][ni][1][V_LFHT][OP_LOOKUP_HIT] /
			       mops[k][ni][0][V_LFHT][OP_LOOKUP_HIT];
		snprintf(name, sizeof(name), "cds_lfht_lookup_hit_2t_vs_1t_n%u",
			 nr);
		add_ratio(infos, &nr_infos, name, r, 0, true);
		for (k = 0; k < cfg.rounds; k++)
			r[k] = mops[k][ni][1][V_LFHT][OP_HOTKEY] /
			       mops[k][ni][0][V_LFHT][OP_HOTKEY];
		snprintf(name, sizeof(name), "cds_lfht_hotkey_2t_vs_1t_n%u", nr);
		add_ratio(infos, &nr_infos, name, r, 0, true);
	}
	/*
	 * purge: objhash's worst lookup against strategy 0's (index 1),
	 * not counting the time the reader waited for a CPU; and as measured
	 */
	for (k = 0; k < cfg.rounds; k++)
		r[k] = purge_res[k][0].max_own_us / purge_res[k][1].max_own_us;
	snprintf(name, sizeof(name), "purge_max_lookup_vs_global_n%u",
		 cfg.purge_nr);
	add_ratio(targets, &nr_targets, name, r, 0.01, false);
	for (k = 0; k < cfg.rounds; k++)
		r[k] = purge_res[k][0].max_us / purge_res[k][1].max_us;
	snprintf(name, sizeof(name), "purge_max_lookup_wall_vs_global_n%u",
		 cfg.purge_nr);
	add_ratio(infos, &nr_infos, name, r, 0, true);
	for (k = 0; k < cfg.rounds; k++)
		r[k] = purge_res[k][0].p99_us / purge_res[k][1].p99_us;
	snprintf(name, sizeof(name), "purge_p99_lookup_vs_global_n%u",
		 cfg.purge_nr);
	add_ratio(infos, &nr_infos, name, r, 0, true);
}

/* ---- output ---- */

static void print_report(FILE *f, const char *date, double load_start,
			 double load_end)
{
	unsigned int ni, th, vi, op, k, pi;
	double v[BENCH_MAX_ROUNDS];

	fprintf(f, "objhash native benchmarks, %s: %u rounds, phases %u ms, hot keys %u, purge of %u/2\n",
		date, cfg.rounds, cfg.phase_ms, cfg.hot, cfg.purge_nr);
	fprintf(f, "host load average (1 min): %.2f at start, %.2f at end; per round:",
		load_start, load_end);
	for (k = 0; k < cfg.rounds; k++)
		fprintf(f, " %.2f", round_load[k]);
	fprintf(f, "\nerrors (wrong results): %llu\n\n",
		(unsigned long long)total_errors);

	fprintf(f, "%-44s %8s %16s %8s  %s\n", "target ratio (per-round, paired)",
		"median", "[min - max]", "target", "verdict");
	for (k = 0; k < nr_targets; k++) {
		struct target *t = &targets[k];

		fprintf(f, "%-44s %8.3g [%6.3g - %6.3g] %2s%5.2f  %s\n", t->name,
			t->sp.med, t->sp.min, t->sp.max, t->at_least ? ">=" : "<=",
			t->target, t->verdict);
	}
	fprintf(f, "\n%-44s %8s %16s\n", "context ratio", "median", "[min - max]");
	for (k = 0; k < nr_infos; k++)
		fprintf(f, "%-44s %8.3g [%6.3g - %6.3g]\n", infos[k].name,
			infos[k].sp.med, infos[k].sp.min, infos[k].sp.max);

	fprintf(f, "\nMops/s, median [min-max] over rounds; in brackets after, objhash / that variant paired per round (median)\n");
	for (ni = 0; ni < cfg.nr_nrs; ni++) {
		fprintf(f, "\nn=%u (%u buckets)\n%-12s %3s", cfg.nrs[ni],
			1U << hash_bits(cfg.nrs[ni]), "variant", "thr");
		for (op = 0; op < NR_OPS; op++)
			fprintf(f, " %22s", op_names[op]);
		fprintf(f, "\n");
		for (th = 1; th <= BENCH_MAX_THREADS; th++) {
			for (vi = 0; vi < NR_VARIANTS; vi++) {
				fprintf(f, "%-12s %3u", variants[vi]->name, th);
				for (op = 0; op < NR_OPS; op++) {
					struct spread sp, rs;

					for (k = 0; k < cfg.rounds; k++)
						v[k] = mops[k][ni][th - 1][vi][op];
					sp = spread_of(v, cfg.rounds);
					if (!sp.n) {
						fprintf(f, " %22s", "-");
						continue;
					}
					for (k = 0; k < cfg.rounds; k++)
						v[k] = mops[k][ni][th - 1][V_OBJHASH][op] /
						       mops[k][ni][th - 1][vi][op];
					rs = spread_of(v, cfg.rounds);
					fprintf(f, " %5.2f[%5.2f-%5.2f](x%4.2f)",
						sp.med, sp.min, sp.max, rs.med);
				}
				fprintf(f, "\n");
			}
		}
	}

	fprintf(f, "\nPurge of %u of %u objects under one timed reader: median [min-max] over rounds\n",
		cfg.purge_nr / 2, cfg.purge_nr);
	fprintf(f, "max_us: the worst lookup's wall time; max_own_us: the same minus the time the reader waited for a CPU\n(schedstat run_delay), the worst of those; max_gap_us: longest pause between two of its lookups; preempted: lookups that waited for a CPU\n");
	fprintf(f, "%-12s %24s %24s %24s %26s %26s %24s %10s %10s\n", "variant",
		"purge_ms", "p50_us", "p99_us", "max_us", "max_own_us",
		"max_gap_us", "lookups", "preempted");
	for (pi = 0; pi < NR_PURGE_VARIANTS; pi++) {
		double *fields[6];
		struct spread sp;
		unsigned int fi;

		fprintf(f, "%-12s", purge_variants[pi]->name);
		for (fi = 0; fi < 6; fi++) {
			for (k = 0; k < cfg.rounds; k++) {
				struct purge_res *r = &purge_res[k][pi];

				fields[0] = &r->purge_ms;
				fields[1] = &r->p50_us;
				fields[2] = &r->p99_us;
				fields[3] = &r->max_us;
				fields[4] = &r->max_own_us;
				fields[5] = &r->max_gap_us;
				v[k] = *fields[fi];
			}
			sp = spread_of(v, cfg.rounds);
			fprintf(f, " %8.2f[%6.2f-%7.2f]", sp.med, sp.min, sp.max);
		}
		for (k = 0; k < cfg.rounds; k++)
			v[k] = purge_res[k][pi].lookups;
		fprintf(f, " %10.0f", spread_of(v, cfg.rounds).med);
		for (k = 0; k < cfg.rounds; k++)
			v[k] = purge_res[k][pi].preempted + 0.5;
		fprintf(f, " %10.0f\n", spread_of(v, cfg.rounds).med - 0.5);
	}
}

static void json_spread(FILE *f, const char *key, struct spread sp)
{
	fprintf(f, "\"%s\": {\"median\": %.6g, \"min\": %.6g, \"max\": %.6g, \"n\": %u}",
		key, sp.med, sp.min, sp.max, sp.n);
}

static void write_json(const char *path, const char *date, double load_start,
		       double load_end)
{
	FILE *f = fopen(path, "w");
	unsigned int ni, th, vi, op, k, pi;

	if (!f)
		die("cannot write the JSON");
	fprintf(f, "{\n  \"bench\": \"objhash-native\",\n  \"date\": \"%s\",\n", date);
	fprintf(f, "  \"load_start\": %.2f, \"load_end\": %.2f,\n  \"round_load\": [",
		load_start, load_end);
	for (k = 0; k < cfg.rounds; k++)
		fprintf(f, "%s%.2f", k ? ", " : "", round_load[k]);
	fprintf(f, "],\n  \"params\": {\"rounds\": %u, \"phase_ms\": %u, \"hot_keys\": %u, \"purge_nr\": %u, \"key_len\": %u, \"value_len\": %u, \"nr\": [",
		cfg.rounds, cfg.phase_ms, cfg.hot, cfg.purge_nr, BENCH_KEY_LEN,
		BENCH_VALUE_LEN);
	for (ni = 0; ni < cfg.nr_nrs; ni++)
		fprintf(f, "%s%u", ni ? ", " : "", cfg.nrs[ni]);
	fprintf(f, "]},\n  \"errors\": %llu,\n  \"targets\": [\n",
		(unsigned long long)total_errors);
	for (k = 0; k < nr_targets; k++) {
		fprintf(f, "    {\"name\": \"%s\", \"target\": %g, \"at_least\": %s, \"verdict\": \"%s\", ",
			targets[k].name, targets[k].target,
			targets[k].at_least ? "true" : "false", targets[k].verdict);
		json_spread(f, "ratio", targets[k].sp);
		fprintf(f, "}%s\n", k + 1 < nr_targets ? "," : "");
	}
	fprintf(f, "  ],\n  \"context\": [\n");
	for (k = 0; k < nr_infos; k++) {
		fprintf(f, "    {\"name\": \"%s\", ", infos[k].name);
		json_spread(f, "ratio", infos[k].sp);
		fprintf(f, "}%s\n", k + 1 < nr_infos ? "," : "");
	}
	fprintf(f, "  ],\n  \"mops\": [\n");
	for (ni = 0; ni < cfg.nr_nrs; ni++)
		for (th = 1; th <= BENCH_MAX_THREADS; th++)
			for (vi = 0; vi < NR_VARIANTS; vi++)
				for (op = 0; op < NR_OPS; op++) {
					bool last = ni + 1 == cfg.nr_nrs &&
						    th == BENCH_MAX_THREADS &&
						    vi + 1 == NR_VARIANTS &&
						    op + 1 == NR_OPS;

					fprintf(f, "    {\"nr\": %u, \"threads\": %u, \"variant\": \"%s\", \"op\": \"%s\", \"rounds\": [",
						cfg.nrs[ni], th, variants[vi]->name,
						op_names[op]);
					for (k = 0; k < cfg.rounds; k++)
						fprintf(f, "%s%.4f", k ? ", " : "",
							mops[k][ni][th - 1][vi][op]);
					fprintf(f, "]}%s\n", last ? "" : ",");
				}
	fprintf(f, "  ],\n  \"purge\": [\n");
	for (pi = 0; pi < NR_PURGE_VARIANTS; pi++)
		for (k = 0; k < cfg.rounds; k++) {
			struct purge_res *r = &purge_res[k][pi];

			fprintf(f, "    {\"variant\": \"%s\", \"round\": %u, \"purge_ms\": %.3f, \"purged\": %llu, \"lookups\": %llu, \"p50_us\": %.3f, \"p99_us\": %.3f, \"max_us\": %.3f, \"max_own_us\": %.3f, \"max_gap_us\": %.3f, \"preempted\": %llu}%s\n",
				purge_variants[pi]->name, k, r->purge_ms,
				(unsigned long long)r->purged,
				(unsigned long long)r->lookups, r->p50_us,
				r->p99_us, r->max_us, r->max_own_us, r->max_gap_us,
				(unsigned long long)r->preempted,
				pi + 1 == NR_PURGE_VARIANTS && k + 1 == cfg.rounds ?
				"" : ",");
		}
	fprintf(f, "  ]\n}\n");
	fclose(f);
}

static void parse_nrs(char *s)
{
	char *tok;

	cfg.nr_nrs = 0;
	for (tok = strtok(s, ","); tok && cfg.nr_nrs < BENCH_MAX_NRS;
	     tok = strtok(NULL, ","))
		cfg.nrs[cfg.nr_nrs++] = strtoul(tok, NULL, 0);
}

int main(int argc, char **argv)
{
	unsigned int round, ni, th, i, max_nr;
	double load_start, load_end;
	char date[64];
	time_t tnow;
	uint32_t *lat;
	int c;

	while ((c = getopt(argc, argv, "r:p:n:P:H:j:t:")) != -1) {
		switch (c) {
		case 'r': cfg.rounds = strtoul(optarg, NULL, 0); break;
		case 'p': cfg.phase_ms = strtoul(optarg, NULL, 0); break;
		case 'n': parse_nrs(optarg); break;
		case 'P': cfg.purge_nr = strtoul(optarg, NULL, 0); break;
		case 'H': cfg.hot = strtoul(optarg, NULL, 0); break;
		case 'j': cfg.json = optarg; break;
		case 't': cfg.txt = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-r rounds] [-p phase_ms] [-n nr,...] [-P purge_nr] [-H hot] [-j json] [-t txt]\n",
				argv[0]);
			return 2;
		}
	}
	if (!cfg.rounds || cfg.rounds > BENCH_MAX_ROUNDS || !cfg.nr_nrs ||
	    !cfg.hot || cfg.purge_nr < 2)
		die("bad parameters");

	tnow = time(NULL);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime(&tnow));
	load_start = load1();
	max_nr = cfg.purge_nr;
	for (ni = 0; ni < cfg.nr_nrs; ni++)
		if (cfg.nrs[ni] > max_nr)
			max_nr = cfg.nrs[ni];
	keys_hit = malloc(2 * (size_t)max_nr * sizeof(*keys_hit));
	lat = malloc(BENCH_PURGE_SAMPLES * sizeof(*lat));
	if (!keys_hit || !lat)
		die("out of memory");
	keys_miss = keys_hit + max_nr;
	/* 128 random bits each: no duplicate is going to happen */
	bench_random(keys_hit, 2 * (size_t)max_nr * sizeof(*keys_hit));
	memset(lat, 0, BENCH_PURGE_SAMPLES * sizeof(*lat));	/* fault it in */
	objhash_shim_thread_start();
	if (bench_objhash_init())
		die("objhash_caches_create failed");
	start_helpers();

	for (round = 0; round < cfg.rounds; round++) {
		round_load[round] = load1();
		fprintf(stderr, "round %u/%u (load %.2f)\n", round + 1,
			cfg.rounds, round_load[round]);
		for (ni = 0; ni < cfg.nr_nrs; ni++) {
			for (i = 0; i < 2 * NR_VARIANTS; i++) {
				/* both thread counts, variants rotated per round */
				unsigned int vi = (i / 2 + round) % NR_VARIANTS;

				th = (i + round) % 2 + 1;
				measure(round, ni, th, vi);
			}
		}
		for (i = 0; i < NR_PURGE_VARIANTS; i++)
			measure_purge(round, (i + round) % NR_PURGE_VARIANTS, lat);
	}
	load_end = load1();

	compute_ratios();
	print_report(stdout, date, load_start, load_end);
	if (cfg.txt) {
		FILE *f = fopen(cfg.txt, "w");

		if (!f)
			die("cannot write the text report");
		print_report(f, date, load_start, load_end);
		fclose(f);
	}
	if (cfg.json)
		write_json(cfg.json, date, load_start, load_end);

	bench_objhash_exit();
	objhash_shim_thread_stop();
	free(lat);
	free(keys_hit);
	return total_errors ? 1 : 0;
}
