// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench: keys, values and the helpers every variant shares.  Keys
 * are random, so no table's hash sees a pattern it happens to like.
 */

#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "bench.h"

/*
 * Lookups walk the keys with this stride rather than in order, so that
 * consecutive lookups land in unrelated buckets (and cache lines).  It is
 * prime, so it visits every key unless it divides the number of keys.
 */
#define BENCH_STRIDE	7919U

/**
 * bench_keys_init - make @nr random present keys and @nr absent ones
 * @keys: filled in
 * @nr: keys of each kind
 *
 * Context: Process context; sleeps.
 * Return: 0 or -ENOMEM.
 */
int bench_keys_init(struct bench_keys *keys, unsigned int nr)
{
	keys->nr = nr;
	keys->hit = vmalloc(array_size(2 * (size_t)nr, sizeof(*keys->hit)));
	if (!keys->hit)
		return -ENOMEM;
	keys->miss = keys->hit + nr;
	/* 128 random bits: a duplicate is not going to happen. */
	get_random_bytes(keys->hit, 2 * (size_t)nr * sizeof(*keys->hit));
	return 0;
}

/**
 * bench_keys_free - free what bench_keys_init() allocated
 * @keys: keys to free
 *
 * Context: Process context.
 */
void bench_keys_free(struct bench_keys *keys)
{
	vfree(keys->hit);
	keys->hit = NULL;
	keys->miss = NULL;
}

/**
 * bench_value_fill - write the value that goes with a version
 * @value: BENCH_VALUE_LEN bytes
 * @version: the object's version
 *
 * A lookup checks the first word, so a value that is not the object's own
 * (or a lookup that copied nothing) shows up as an error.
 *
 * Context: Any context.
 */
void bench_value_fill(u8 *value, u64 version)
{
	unsigned int i;

	for (i = 0; i < BENCH_VALUE_LEN; i += sizeof(version))
		memcpy(value + i, &version, sizeof(version));
}

/**
 * bench_hash_bits - bucket count, as a log2, for @nr objects
 * @nr: objects the table will hold
 *
 * The size rhashtable picks from the same nelem_hint, so every variant
 * under test walks chains of the same average length.
 *
 * Context: Any context.
 * Return: log2 of roundup_pow_of_two(@nr * 4 / 3), at least 4.
 */
unsigned int bench_hash_bits(unsigned int nr)
{
	unsigned int bits = order_base_2(max(1U, nr / 3 * 4));

	return max(4U, bits);
}

/**
 * bench_key_index - index of a thread's @i-th lookup
 * @start: where the thread starts, so threads do not march in step
 * @i: lookup number
 * @nr: keys
 *
 * Context: Any context.
 * Return: a key index below @nr.
 */
unsigned int bench_key_index(unsigned int start, unsigned int i,
			     unsigned int nr)
{
	return (start + (u64)i * BENCH_STRIDE) % nr;
}

/**
 * bench_fill - insert every present key, in index order, from one thread
 * @var: implementation
 * @tbl: an empty table
 * @keys: key universe
 *
 * Key i gets version i + 1, as objhash numbers a new table's inserts.
 *
 * Context: Process context; sleeps.
 * Return: 0 or the first insert's error.
 */
int bench_fill(const struct bench_variant *var, void *tbl,
	       const struct bench_keys *keys)
{
	unsigned int i;
	int err;

	for (i = 0; i < keys->nr; i++) {
		err = var->insert(tbl, &keys->hit[i], i + 1);
		if (err)
			return err;
		if (!(i % BENCH_CHUNK))
			cond_resched();
	}
	return 0;
}
