// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench: no table at all.  Each operation hashes the key and, for a
 * lookup, writes a 64-byte value, touching nothing shared.  Its 2-thread
 * throughput over 1-thread is the scaling the machine itself gives, which
 * on a shared host running qemu TCG can be well below 2: the tables'
 * scaling is read against it.
 */

#include <linux/bits.h>
#include <linux/siphash.h>

#include "bench.h"

/* Any non-NULL pointer will do: the variant keeps no state. */
static const hsiphash_key_t bench_floor_secret = { { 1, 2 } };

static void *bench_floor_create(unsigned int nr)
{
	return (void *)&bench_floor_secret;
}

static void bench_floor_destroy(void *tbl)
{
}

static u32 bench_floor_hash(const struct bench_key *key)
{
	return hsiphash(key, BENCH_KEY_LEN, &bench_floor_secret);
}

static int bench_floor_write(void *tbl, const struct bench_key *key,
			     u64 version)
{
	/* An exported function: the call is not optimized away. */
	bench_floor_hash(key);
	return 0;
}

static int bench_floor_remove(void *tbl, const struct bench_key *key)
{
	return bench_floor_write(tbl, key, 0);
}

static int bench_floor_lookup(void *tbl, const struct bench_key *key, u8 *buf)
{
	/* Or'ed with 1: the runner checks that a hit wrote a value. */
	bench_value_fill(buf, bench_floor_hash(key) | 1);
	return 0;
}

const struct bench_variant bench_floor = {
	.name = "no_table",
	.create = bench_floor_create,
	.destroy = bench_floor_destroy,
	.insert = bench_floor_write,
	.replace = bench_floor_write,
	.remove = bench_floor_remove,
	.lookup = bench_floor_lookup,
	/* Without a table, every key is found: there is no miss to time. */
	.skip_ops = BIT(BENCH_LOOKUP_MISS),
};
