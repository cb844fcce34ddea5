// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench: lookups while the table grows and shrinks.  A reader
 * looks up keys that are present, without pause, while the main thread
 * doubles a full table (objhash_table_resize(), the resizer's own path,
 * run synchronously so its duration is known), then leaves it alone for
 * as long as the grow took, twice, then halves it again.  In the first
 * quiet window the main thread sleeps; in the second it spins, so that it
 * keeps a CPU as busy as the mover does: on a machine with few CPUs (or a
 * loaded host under the guest) the mover's CPU time alone slows the
 * reader, and the busy window measures the table's share apart from it.
 * The reader's rate during the grow and the shrink is compared with its
 * rates in the quiet windows between them, in the same round.  Run with
 * grow=1.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>

#include "../table.h"
#include "bench.h"

/**
 * struct bench_grow - shared state of the resizer and the reader
 * @var: bench_objhash_auto
 * @tbl: its full table
 * @keys: key universe; every @keys->hit key is present
 * @reading: completed once the reader is in its loop
 * @done: set by the resizer when it is finished, for the reader
 * @lookups: lookups done so far (the reader writes, the resizer samples)
 * @misses: lookups of a present key that did not find it: must stay 0
 * @round: repetition number, printed with the results
 */
struct bench_grow {
	const struct bench_variant *var;
	void *tbl;
	const struct bench_keys *keys;
	struct completion reading;
	bool done;
	u64 lookups;
	u64 misses;
	unsigned int round;
};

static int bench_grow_reader(struct bench_grow *bg)
{
	u64 buf[BENCH_VALUE_LEN / sizeof(u64)];
	unsigned int i;

	for (i = 0; !READ_ONCE(bg->done); i++) {
		const struct bench_key *key;

		key = &bg->keys->hit[bench_key_index(0, i, bg->keys->nr)];
		if (bg->var->lookup(bg->tbl, key, (u8 *)buf))
			bg->misses++;
		WRITE_ONCE(bg->lookups, bg->lookups + 1);
		if (i == BENCH_CHUNK)
			complete(&bg->reading);
		if (!(i % BENCH_CHUNK))
			cond_resched();
	}
	return 0;
}

/* Time, and lookups the reader did, at one instant. */
struct bench_grow_mark {
	u64 ns;
	u64 lookups;
};

static void bench_grow_mark(struct bench_grow *bg, struct bench_grow_mark *m)
{
	m->ns = ktime_get_ns();
	m->lookups = READ_ONCE(bg->lookups);
}

/* Lookups per second between two marks. */
static u64 bench_grow_rate(const struct bench_grow_mark *a,
			   const struct bench_grow_mark *b)
{
	return b->ns > a->ns ? div64_u64((b->lookups - a->lookups) *
					 NSEC_PER_SEC, b->ns - a->ns) : 0;
}

/* Keep this CPU busy until @ns have passed, as the mover keeps its own. */
static void bench_grow_spin(u64 ns)
{
	u64 end = ktime_get_ns() + ns;

	while (ktime_get_ns() < end)
		cond_resched();
}

static int bench_grow_resizer(struct bench_grow *bg)
{
	struct objhash_table *t = bench_oh_table(bg->tbl);
	struct bench_grow_mark m[5];
	struct objhash_stats st;
	unsigned int bits;
	u64 grow_ns;
	int err;

	wait_for_completion(&bg->reading);
	objhash_table_stats(t, &st);
	bits = ilog2(st.buckets);
	bench_grow_mark(bg, &m[0]);
	err = objhash_table_resize(t, bits + 1);
	bench_grow_mark(bg, &m[1]);
	if (!err) {
		/* The quiet windows: each as long as the grow took. */
		grow_ns = m[1].ns - m[0].ns;
		msleep(div_u64(grow_ns, NSEC_PER_MSEC) + 1);
		bench_grow_mark(bg, &m[2]);
		bench_grow_spin(grow_ns);
		bench_grow_mark(bg, &m[3]);
		err = objhash_table_resize(t, bits);
		bench_grow_mark(bg, &m[4]);
	}
	WRITE_ONCE(bg->done, true);
	if (err)
		return err;
	pr_info(BENCH_TAG "grow round=%u nr=%u buckets=%llu grow_ns=%llu shrink_ns=%llu rate_grow=%llu rate_quiet=%llu rate_quiet_busy=%llu rate_shrink=%llu misses=%llu\n",
		bg->round, bg->keys->nr, st.buckets, m[1].ns - m[0].ns,
		m[4].ns - m[3].ns, bench_grow_rate(&m[0], &m[1]),
		bench_grow_rate(&m[1], &m[2]), bench_grow_rate(&m[2], &m[3]),
		bench_grow_rate(&m[3], &m[4]), bg->misses);
	return bg->misses ? -EIO : 0;
}

static int bench_grow_fn(struct bench_team *team, unsigned int tid)
{
	return tid ? bench_grow_reader(team->arg) :
		     bench_grow_resizer(team->arg);
}

/**
 * bench_grow_run - time lookups while a full table doubles and halves
 * @keys: key universe; the table is filled with @keys->hit
 * @round: repetition number, printed with the results
 *
 * Context: Process context; sleeps.
 * Return: 0, -ENOMEM, -EIO if a present key was missed, or an error
 * filling the table or starting threads.
 */
int bench_grow_run(const struct bench_keys *keys, unsigned int round)
{
	struct bench_grow bg = {
		.var = &bench_objhash_auto,
		.keys = keys,
		.round = round,
	};
	struct bench_team team = {
		.fn = bench_grow_fn,
		.arg = &bg,
		.nr = 2,
	};
	u64 t0, fill_ns;
	int err;

	init_completion(&bg.reading);
	bg.tbl = bg.var->create(keys->nr);
	if (!bg.tbl)
		return -ENOMEM;
	/* Filling a self-sizing table: every grow on the way included. */
	t0 = ktime_get_ns();
	err = bench_fill(bg.var, bg.tbl, keys);
	fill_ns = ktime_get_ns() - t0;
	if (!err) {
		struct objhash_stats st;

		objhash_table_stats(bench_oh_table(bg.tbl), &st);
		pr_info(BENCH_TAG "grow_fill round=%u nr=%u fill_ns=%llu buckets=%llu grows=%llu\n",
			round, keys->nr, fill_ns, st.buckets, st.grows);
		err = bench_team_run(&team);
	}
	bg.var->destroy(bg.tbl);
	return err;
}
