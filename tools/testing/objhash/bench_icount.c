// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_icount (native): instructions per lookup hit and per lookup
 * miss, objhash against cds_lfht, counted by callgrind, which host load
 * cannot distort the way it distorts objhash_bench's wall-clock rates.
 *
 *     make icount-native              # from the top
 *
 * Each table (the same variants, sizes and keys as objhash_bench: 16-byte
 * random keys, 64-byte values, roundup_pow_of_two(nr * 4 / 3) chains) is
 * filled from one thread; then icount_*_hits() looks up every present key
 * and icount_*_misses() as many absent ones, in objhash_bench's order.  Those two functions are
 * noinline, and the make target divides their inclusive instruction
 * counts (callgrind_annotate --inclusive=yes) by the number of lookups.
 * Run without valgrind it only checks that every hit hit and every miss
 * missed; "objhash_icount NR PASSES" instead times PASSES alternating
 * passes of each table and prints the fastest and the median (make
 * icount-time).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shim/include/objhash_shim.h"
#include "bench.h"

static void die(const char *what)
{
	fprintf(stderr, "objhash_icount: %s\n", what);
	exit(1);
}

/* objhash_bench's sizing: roundup_pow_of_two(nr * 4 / 3) chains. */
static unsigned int icount_bits(unsigned int nr)
{
	unsigned int bits = 4;

	while ((1UL << bits) < (unsigned long)nr / 3 * 4)
		bits++;
	return bits;
}

/* objhash_bench's BENCH_STRIDE: consecutive lookups far apart in memory */
#define ICOUNT_STRIDE	7919U

/* Distinct names per variant, so callgrind reports each on its own. */
#define ICOUNT_LOOP(name)						\
static __attribute__((noinline)) unsigned int				\
name(const struct bench_variant *var, void *tbl,			\
     const struct bench_key *keys, unsigned int nr)			\
{									\
	uint8_t buf[BENCH_VALUE_LEN];					\
	unsigned int i, found = 0;					\
									\
	for (i = 0; i < nr; i++)					\
		found += !var->lookup(tbl, &keys[(uint64_t)i * ICOUNT_STRIDE % nr], \
				      buf);				\
	return found;							\
}

ICOUNT_LOOP(icount_objhash_hits)
ICOUNT_LOOP(icount_objhash_misses)
ICOUNT_LOOP(icount_lfht_hits)
ICOUNT_LOOP(icount_lfht_misses)

typedef unsigned int (*icount_loop_fn)(const struct bench_variant *var,
				       void *tbl, const struct bench_key *keys,
				       unsigned int nr);

static void *icount_fill(const struct bench_variant *var,
			 const struct bench_key *keys, unsigned int nr)
{
	void *tbl = var->create(icount_bits(nr));
	unsigned int i;

	if (!tbl)
		die("create failed");
	for (i = 0; i < nr; i++)
		if (var->insert(tbl, &keys[i], i + 1))
			die("insert failed");
	return tbl;
}

static void icount_check(unsigned int found, unsigned int want)
{
	if (found != want)
		die(want ? "a present key was missed" : "an absent key was found");
}

static uint64_t icount_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int icount_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * One pass of @fn over @nr keys, in ns per lookup.  The passes of the
 * two tables alternate, and the report takes each one's fastest pass:
 * load on a shared host only ever adds time, so the minimum of many
 * short passes is the figure it distorts least.
 */
static double icount_pass(icount_loop_fn fn, const struct bench_variant *var,
			  void *tbl, const struct bench_key *keys,
			  unsigned int nr, unsigned int want)
{
	uint64_t t0 = icount_now_ns();

	icount_check(fn(var, tbl, keys, nr), want);
	return (double)(icount_now_ns() - t0) / nr;
}

#define ICOUNT_MAX_REPS	1001

static void icount_time(void *oh, void *lf, const struct bench_key *keys,
			unsigned int nr, unsigned int reps)
{
	static double t[4][ICOUNT_MAX_REPS];
	static const char *const name[4] = {
		"objhash_hits", "lfht_hits", "objhash_misses", "lfht_misses",
	};
	unsigned int r, k;

	for (r = 0; r < reps; r++) {
		t[0][r] = icount_pass(icount_objhash_hits, &bench_objhash, oh,
				      keys, nr, nr);
		t[1][r] = icount_pass(icount_lfht_hits, &bench_lfht, lf, keys,
				      nr, nr);
		t[2][r] = icount_pass(icount_objhash_misses, &bench_objhash,
				      oh, keys + nr, nr, 0);
		t[3][r] = icount_pass(icount_lfht_misses, &bench_lfht, lf,
				      keys + nr, nr, 0);
	}
	for (k = 0; k < 4; k++) {
		qsort(t[k], reps, sizeof(double), icount_cmp);
		printf("%-16s %6.1f ns per lookup fastest pass, %6.1f median (%u passes)\n",
		       name[k], t[k][0], t[k][reps / 2], reps);
	}
	printf("objhash / cds_lfht time, fastest passes: hits %.3f, misses %.3f\n",
	       t[0][0] / t[1][0], t[2][0] / t[3][0]);
}

int main(int argc, char **argv)
{
	unsigned int nr = argc > 1 ? strtoul(argv[1], NULL, 0) : 16384;
	unsigned int reps = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;
	struct bench_key *keys;
	void *oh, *lf;

	if (!nr || reps > ICOUNT_MAX_REPS)
		die("usage: objhash_icount [nr [timed passes, at most 1001]]");
	keys = malloc(2 * (size_t)nr * sizeof(*keys));
	if (!keys)
		die("out of memory");
	bench_random(keys, 2 * (size_t)nr * sizeof(*keys));
	objhash_shim_thread_start();
	if (bench_objhash_init())
		die("objhash_caches_create failed");
	objhash_shim_rcu_read_lock();	/* fault in liburcu's reader state */
	objhash_shim_rcu_read_unlock();
	oh = icount_fill(&bench_objhash, keys, nr);
	lf = icount_fill(&bench_lfht, keys, nr);
	if (reps) {
		icount_time(oh, lf, keys, nr, reps);
	} else {
		icount_check(icount_objhash_hits(&bench_objhash, oh, keys, nr), nr);
		icount_check(icount_objhash_misses(&bench_objhash, oh, keys + nr, nr), 0);
		icount_check(icount_lfht_hits(&bench_lfht, lf, keys, nr), nr);
		icount_check(icount_lfht_misses(&bench_lfht, lf, keys + nr, nr), 0);
		printf("objhash_icount: %u hits and %u misses per table, all as expected\n",
		       nr, nr);
	}
	bench_objhash.destroy(oh);
	bench_lfht.destroy(lf);
	bench_objhash_exit();
	free(keys);
	return 0;
}
