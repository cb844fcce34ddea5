// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench: what an operation costs against the load factor, the
 * measurement behind the resizer's thresholds (module/resize.c: grow above
 * load 1, shrink below 1/4).  The same nr keys fill tables of a fixed size
 * from 4 nr down to nr / 8 buckets (load 1/4 to 8); each is timed filling
 * (inserts), then looking up present and absent keys from one thread.  The
 * sizes are visited in a rotating order, one round after the other, so
 * that each is measured next to the others under the same host load.  Run
 * with load=1; nr a power of two gives exact loads.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/printk.h>
#include <linux/timekeeping.h>

#include "../table.h"
#include "bench.h"

/* log2 of the load, from 1/4 to 8. */
#define BENCH_LOAD_MIN	(-2)
#define BENCH_LOAD_MAX	3
#define BENCH_LOADS	(BENCH_LOAD_MAX - BENCH_LOAD_MIN + 1)

static int bench_load_one(const struct bench_keys *keys, unsigned int lookups,
			  int shift, unsigned int round)
{
	unsigned int bits = ilog2(keys->nr) - shift;
	struct bench_result hit, miss;
	struct bench_phase ph = {
		.var = &bench_objhash,
		.keys = keys,
		.lookups = lookups,
	};
	struct objhash_stats st;
	u64 t0, fill_ns;
	int err;

	if (bits < 4 || bits > 24)
		return 0;
	ph.tbl = bench_oh_create_bits(bits);
	if (!ph.tbl)
		return -ENOMEM;
	t0 = ktime_get_ns();
	err = bench_fill(ph.var, ph.tbl, keys);
	fill_ns = ktime_get_ns() - t0;
	if (err)
		goto out;
	ph.op = BENCH_LOOKUP_HIT;
	err = bench_phase_run(&ph, 1, &hit);
	if (err)
		goto out;
	ph.op = BENCH_LOOKUP_MISS;
	err = bench_phase_run(&ph, 1, &miss);
	if (err)
		goto out;
	objhash_table_stats(bench_oh_table(ph.tbl), &st);
	pr_info(BENCH_TAG "load round=%u nr=%u buckets=%llu load_x1000=%llu insert_ns=%llu hit_ns=%llu miss_ns=%llu max_chain=%llu rehashes=%llu errors=%llu\n",
		round, keys->nr, st.buckets,
		div64_u64((u64)keys->nr * 1000, st.buckets),
		div64_u64(fill_ns, keys->nr), div64_u64(hit.busy_ns, hit.ops),
		div64_u64(miss.busy_ns, miss.ops), st.max_chain, st.rehashes,
		hit.errors + miss.errors);
	if (hit.errors || miss.errors)
		err = -EIO;
out:
	bench_objhash.destroy(ph.tbl);
	return err;
}

/**
 * bench_load_run - one round of the load-factor sweep
 * @keys: key universe; every table is filled with @keys->hit
 * @lookups: lookups per measurement
 * @round: repetition number: also where the rotation of sizes starts
 *
 * Context: Process context; sleeps.
 * Return: 0, -ENOMEM, -EIO if a lookup gave a wrong answer, or an error
 * filling a table.
 */
int bench_load_run(const struct bench_keys *keys, unsigned int lookups,
		   unsigned int round)
{
	unsigned int i;
	int err;

	for (i = 0; i < BENCH_LOADS; i++) {
		int shift = BENCH_LOAD_MIN + (round + i) % BENCH_LOADS;

		err = bench_load_one(keys, lookups, shift, round);
		if (err)
			return err;
	}
	return 0;
}
