// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench: purge under load.  One thread purges the older half of a
 * full table while another looks up keys from both halves and times each
 * lookup; a purge that holds a lock for long shows up as the reader's
 * worst latency.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

#include "bench.h"

/* Latencies kept for the percentiles; past it only the maximum is kept. */
#define BENCH_PURGE_SAMPLES	BIT(18)

/**
 * struct bench_purge - shared state of the purger and the reader
 * @var: implementation under test
 * @tbl: its full table
 * @keys: key universe
 * @reading: completed once the reader is looking keys up, so the purge
 *	starts under load
 * @purging: set by the purger just before it starts, for the reader
 * @done: set by the purger when the purge returned, for the reader
 * @purge_ns: how long the purge took
 * @lat: per-lookup latencies seen while @purging and not @done
 * @nr_lat: entries used in @lat
 * @max_lat: worst latency seen while purging, counted past @lat too
 * @max_gap: longest time between two of those lookups: the reader was not
 *	looking while the purge went on, as when its vCPU lost the host CPU,
 *	so the repetition says little about the purge's effect on lookups
 * @lookups: lookups done while purging
 */
struct bench_purge {
	const struct bench_variant *var;
	void *tbl;
	const struct bench_keys *keys;
	struct completion reading;
	bool purging;
	bool done;
	u64 purge_ns;
	u32 *lat;
	unsigned int nr_lat;
	u64 max_lat;
	u64 max_gap;
	u64 lookups;
};

static int bench_purger(struct bench_purge *bp)
{
	u64 t0;
	int err;

	wait_for_completion(&bp->reading);
	WRITE_ONCE(bp->purging, true);
	t0 = ktime_get_ns();
	err = bp->var->purge(bp->tbl, bp->keys->nr / 2);
	bp->purge_ns = ktime_get_ns() - t0;
	WRITE_ONCE(bp->done, true);
	return err;
}

static void bench_purge_record(struct bench_purge *bp, u64 ns, u64 gap)
{
	bp->lookups++;
	bp->max_lat = max(bp->max_lat, ns);
	bp->max_gap = max(bp->max_gap, gap);
	if (bp->nr_lat < BENCH_PURGE_SAMPLES)
		bp->lat[bp->nr_lat++] = min_t(u64, ns, U32_MAX);
}

static int bench_purge_reader(struct bench_purge *bp)
{
	u64 buf[BENCH_VALUE_LEN / sizeof(u64)];
	u64 t0, t1 = 0, prev;
	unsigned int i;

	for (i = 0; !READ_ONCE(bp->done); i++) {
		prev = t1;
		t0 = ktime_get_ns();
		bp->var->lookup(bp->tbl, &bp->keys->hit[bench_key_index(0, i,
							bp->keys->nr)],
				(u8 *)buf);
		t1 = ktime_get_ns();
		/*
		 * Read after the lookup, so one that started just before the
		 * purge and then waited for its lock counts too.
		 */
		if (READ_ONCE(bp->purging))
			bench_purge_record(bp, t1 - t0, prev ? t0 - prev : 0);
		if (i == BENCH_CHUNK)
			complete(&bp->reading);
		/* Not inside a timed lookup, so it adds to none of them. */
		if (!(i % BENCH_CHUNK))
			cond_resched();
	}
	return 0;
}

static int bench_purge_fn(struct bench_team *team, unsigned int tid)
{
	return tid ? bench_purge_reader(team->arg) : bench_purger(team->arg);
}

static int bench_u32_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static void bench_purge_report(struct bench_purge *bp, unsigned int round)
{
	u32 p50 = 0, p99 = 0;

	if (bp->nr_lat) {
		sort(bp->lat, bp->nr_lat, sizeof(*bp->lat), bench_u32_cmp, NULL);
		p50 = bp->lat[bp->nr_lat / 2];
		p99 = bp->lat[(u64)bp->nr_lat * 99 / 100];
	}
	pr_info(BENCH_TAG "purge variant=%s round=%u nr=%u purged=%u purge_ns=%llu lookups=%llu p50_ns=%u p99_ns=%u max_ns=%llu max_gap_ns=%llu\n",
		bp->var->name, round, bp->keys->nr, bp->keys->nr / 2,
		bp->purge_ns, bp->lookups, p50, p99, bp->max_lat, bp->max_gap);
}

/* Fill, purge half under a reader, report, and count the survivors. */
static int __bench_purge_run(struct bench_purge *bp, unsigned int round)
{
	struct bench_team team = {
		.fn = bench_purge_fn,
		.arg = bp,
		.nr = 2,
	};
	u64 t0;
	int err;

	err = bench_fill(bp->var, bp->tbl, bp->keys);
	if (err)
		return err;
	err = bench_team_run(&team);
	if (err)
		return err;
	t0 = ktime_get_ns();
	/* objhash frees after a grace period; time that part on its own. */
	rcu_barrier();
	pr_info(BENCH_TAG "purge_free variant=%s round=%u rcu_barrier_ns=%llu\n",
		bp->var->name, round, ktime_get_ns() - t0);
	bench_purge_report(bp, round);
	return 0;
}

/**
 * bench_purge_run - purge half of a full table under a timed reader
 * @var: implementation with a @purge
 * @keys: key universe; the table is filled with @keys->hit
 * @round: repetition number, printed with the results
 *
 * Context: Process context; sleeps.
 * Return: 0, -ENOMEM, or an error filling the table or starting threads.
 */
int bench_purge_run(const struct bench_variant *var,
		    const struct bench_keys *keys, unsigned int round)
{
	struct bench_purge bp = {
		.var = var,
		.keys = keys,
	};
	int err = -ENOMEM;

	init_completion(&bp.reading);
	bp.lat = vmalloc(array_size(BENCH_PURGE_SAMPLES, sizeof(*bp.lat)));
	if (!bp.lat)
		return -ENOMEM;
	bp.tbl = var->create(keys->nr);
	if (bp.tbl) {
		err = __bench_purge_run(&bp, round);
		var->destroy(bp.tbl);
	}
	vfree(bp.lat);
	return err;
}
