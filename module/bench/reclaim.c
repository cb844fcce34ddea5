// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench: what a purge's frees cost everyone else.  A purge of the
 * whole table runs while another thread times synchronize_rcu() in a loop,
 * as an unrelated RCU user would; then a second purge, without waiting,
 * is followed by a timed rcu_barrier(), which waits for every RCU callback
 * the purge left queued: the backlog any other rcu_barrier() caller in the
 * system would wait for.  Run with reclaim=1, on objhash as it is (frees
 * in batches after one grace period each) and as it was (one call_rcu()
 * per object).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>

#include "../table.h"
#include "bench.h"

/**
 * struct bench_reclaim - shared state of the purger and the RCU user
 * @t: the full table
 * @syncing: completed once the RCU user is in its loop
 * @done: set by the purger when its purge returned
 * @purge_ns: how long the purge took, PURGE_WAIT included
 * @purged: objects it unlinked
 * @syncs: synchronize_rcu() calls that ended while the purge ran
 * @sync_sum_ns: their total time
 * @sync_max_ns: the longest of them
 */
struct bench_reclaim {
	struct objhash_table *t;
	struct completion syncing;
	bool done;
	u64 purge_ns;
	u64 purged;
	u64 syncs;
	u64 sync_sum_ns;
	u64 sync_max_ns;
};

static int bench_reclaim_purger(struct bench_reclaim *br)
{
	u64 t0;
	int err;

	wait_for_completion(&br->syncing);
	t0 = ktime_get_ns();
	err = objhash_purge(br->t, 0, NULL, 0, true, &br->purged);
	br->purge_ns = ktime_get_ns() - t0;
	WRITE_ONCE(br->done, true);
	return err;
}

static int bench_reclaim_syncer(struct bench_reclaim *br)
{
	bool started = false;
	u64 t0, ns;

	while (!READ_ONCE(br->done)) {
		t0 = ktime_get_ns();
		synchronize_rcu();
		ns = ktime_get_ns() - t0;
		if (!started) {
			/* The first one only starts the purge. */
			complete(&br->syncing);
			started = true;
			continue;
		}
		br->syncs++;
		br->sync_sum_ns += ns;
		br->sync_max_ns = max(br->sync_max_ns, ns);
	}
	return 0;
}

static int bench_reclaim_fn(struct bench_team *team, unsigned int tid)
{
	return tid ? bench_reclaim_syncer(team->arg) :
		     bench_reclaim_purger(team->arg);
}

/**
 * bench_reclaim_run - time RCU for others while a purge frees a table
 * @var: bench_objhash or bench_objhash_singly
 * @keys: key universe; the table is filled with @keys->hit
 * @round: repetition number, printed with the results
 *
 * Context: Process context; sleeps.
 * Return: 0, -ENOMEM, or an error filling the table or starting threads.
 */
int bench_reclaim_run(const struct bench_variant *var,
		      const struct bench_keys *keys, unsigned int round)
{
	struct bench_reclaim br = { };
	struct bench_team team = {
		.fn = bench_reclaim_fn,
		.arg = &br,
		.nr = 2,
	};
	u64 purged, t0, barrier_ns;
	void *tbl;
	int err;

	init_completion(&br.syncing);
	tbl = var->create(keys->nr);
	if (!tbl)
		return -ENOMEM;
	br.t = bench_oh_table(tbl);
	err = bench_fill(var, tbl, keys);
	if (!err)
		err = bench_team_run(&team);
	if (err)
		goto out;
	/* Again, without waiting: what does the purge leave to RCU? */
	err = bench_fill(var, tbl, keys);
	if (err)
		goto out;
	rcu_barrier();
	err = objhash_purge(br.t, 0, NULL, 0, false, &purged);
	if (err)
		goto out;
	t0 = ktime_get_ns();
	rcu_barrier();
	barrier_ns = ktime_get_ns() - t0;
	pr_info(BENCH_TAG "reclaim variant=%s round=%u nr=%u purged=%llu purge_wait_ns=%llu syncs=%llu sync_mean_ns=%llu sync_max_ns=%llu rcu_barrier_after_ns=%llu\n",
		var->name, round, keys->nr, br.purged, br.purge_ns, br.syncs,
		br.syncs ? br.sync_sum_ns / br.syncs : 0, br.sync_max_ns,
		barrier_ns);
out:
	var->destroy(tbl);
	return err;
}
