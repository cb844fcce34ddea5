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
 * missed.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "shim/include/objhash_shim.h"
#include "bench.h"

static void die(const char *what)
{
	fprintf(stderr, "objhash_icount: %s\n", what);
	exit(1);
}

void bench_random(void *buf, unsigned long len)
{
	char *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("getrandom failed");
		p += n;
		len -= n;
	}
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

static void icount_run(const struct bench_variant *var, icount_loop_fn hits,
		       icount_loop_fn misses, const struct bench_key *keys,
		       unsigned int nr)
{
	void *tbl = var->create(icount_bits(nr));
	unsigned int i;

	if (!tbl)
		die("create failed");
	objhash_shim_rcu_read_lock();	/* fault in liburcu's reader state */
	objhash_shim_rcu_read_unlock();
	for (i = 0; i < nr; i++)
		if (var->insert(tbl, &keys[i], i + 1))
			die("insert failed");
	if (hits(var, tbl, keys, nr) != nr)
		die("a present key was missed");
	if (misses(var, tbl, keys + nr, nr) != 0)
		die("an absent key was found");
	var->destroy(tbl);
}

int main(int argc, char **argv)
{
	unsigned int nr = argc > 1 ? strtoul(argv[1], NULL, 0) : 16384;
	struct bench_key *keys;

	if (!nr)
		die("usage: objhash_icount [nr]");
	keys = malloc(2 * (size_t)nr * sizeof(*keys));
	if (!keys)
		die("out of memory");
	bench_random(keys, 2 * (size_t)nr * sizeof(*keys));
	objhash_shim_thread_start();
	if (bench_objhash_init())
		die("objhash_caches_create failed");
	icount_run(&bench_objhash, icount_objhash_hits, icount_objhash_misses,
		   keys, nr);
	icount_run(&bench_lfht, icount_lfht_hits, icount_lfht_misses, keys, nr);
	bench_objhash_exit();
	printf("objhash_icount: %u hits and %u misses per table, all as expected\n",
	       nr, nr);
	free(keys);
	return 0;
}
