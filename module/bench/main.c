// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench: an in-kernel benchmark of the objhash table core against
 * an rhashtable and two spinlock designs, modelled on lib/test_rhashtable.c.
 * Loading the module runs the whole benchmark and prints one machine-readable
 * line per measurement (BENCH_TAG); scripts/bench collects them.  With the
 * mem= parameter it instead fills one table and keeps it until unloaded, so
 * that the caller can read the slab counters around it.
 *
 * Nothing here judges a time: a phase only fails when a table gives a wrong
 * answer, and then loading fails with -EIO after every result is printed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/cpumask.h>
#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/siphash.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>

#include "bench.h"

static unsigned int nr = 16384;
module_param(nr, uint, 0444);
MODULE_PARM_DESC(nr, "objects per table (default 16384, up to 1048576)");

static unsigned int lookups;
module_param(lookups, uint, 0444);
MODULE_PARM_DESC(lookups, "lookups per thread per phase (default 4 * nr)");

static unsigned int rounds = 3;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "repetitions of every measurement (default 3)");

static unsigned int purge_reps = 5;
module_param(purge_reps, uint, 0444);
MODULE_PARM_DESC(purge_reps, "purge measurements per variant per round (default 5)");

static unsigned int hot_keys = 4;
module_param(hot_keys, uint, 0444);
MODULE_PARM_DESC(hot_keys, "keys the hot-key lookups share (default 4)");

static unsigned int threads = 2;
module_param(threads, uint, 0444);
MODULE_PARM_DESC(threads, "most threads: runs 1, 2, 4 ... up to it (default 2)");

static bool grow;
module_param(grow, bool, 0444);
MODULE_PARM_DESC(grow, "only measure lookups while a full self-sizing table doubles and halves (grow.c), rounds times");

static bool reclaim;
module_param(reclaim, bool, 0444);
MODULE_PARM_DESC(reclaim, "only measure what purging the whole table costs other RCU users (reclaim.c), rounds times");

static char *mem;
module_param(mem, charp, 0444);
MODULE_PARM_DESC(mem, "fill and hold one table: objhash, rhashtable, objhash_auto, rhashtable_auto, none, or objhash-empty / rhashtable-empty");

static bool load;
module_param(load, bool, 0444);
MODULE_PARM_DESC(load, "only measure lookup and insert cost against the load factor (load.c), rounds times");

#define BENCH_NR_MAX	BIT(20)

static const struct bench_variant *const bench_op_variants[] = {
	&bench_objhash, &bench_rht, &bench_rht_kref, &bench_global,
	&bench_sharded, &bench_floor,
	/* each sizing itself from its defaults, as a user gets it */
	&bench_objhash_auto, &bench_rht_auto,
};

static const struct bench_variant *const bench_purge_variants[] = {
	&bench_objhash, &bench_global, &bench_global_copyout, &bench_sharded,
};

static struct bench_keys bench_keys;

/* The table held in mem= mode, freed on unload. */
static const struct bench_variant *bench_mem_var;
static void *bench_mem_tbl;

static void bench_print(const struct bench_phase *ph, unsigned int nr_threads,
			unsigned int round, const struct bench_result *res)
{
	pr_info(BENCH_TAG "op variant=%s op=%s threads=%u round=%u ops=%llu wall_ns=%llu busy_ns=%llu errors=%llu\n",
		ph->var->name, bench_op_names[ph->op], nr_threads, round,
		res->ops, res->wall_ns, res->busy_ns, res->errors);
}

/*
 * Every operation, in an order that leaves the table as it found it:
 * empty, filled, read, rewritten, emptied.
 */
static int bench_ops_run(const struct bench_variant *var,
			 unsigned int nr_threads, unsigned int round,
			 u64 *errors)
{
	struct bench_phase ph = {
		.var = var,
		.keys = &bench_keys,
		.lookups = lookups,
		.hot = min(hot_keys, bench_keys.nr),
	};
	struct bench_result res;
	int err = 0;

	ph.tbl = var->create(bench_keys.nr);
	if (!ph.tbl)
		return -ENOMEM;
	for (ph.op = 0; ph.op < BENCH_NR_OPS; ph.op++) {
		if (var->skip_ops & BIT(ph.op))
			continue;
		err = bench_phase_run(&ph, nr_threads, &res);
		if (err)
			break;
		bench_print(&ph, nr_threads, round, &res);
		*errors += res.errors;
	}
	var->destroy(ph.tbl);
	return err;
}

/*
 * Hashing one key, alone: objhash uses hsiphash, rhashtable and the lock
 * tables jhash2; siphash is there for scale.
 */
static void bench_hash_run(unsigned int round)
{
	const struct bench_key *keys = bench_keys.hit;
	unsigned int i, n = bench_keys.nr;
	hsiphash_key_t hsecret;
	siphash_key_t secret;
	u64 t[4];
	u32 sink = 0, seed;

	get_random_bytes(&hsecret, sizeof(hsecret));
	get_random_bytes(&secret, sizeof(secret));
	seed = get_random_u32();
	/* Untimed pass, so the first timed loop does not pay for cold keys. */
	for (i = 0; i < n; i++)
		sink += keys[i].b[0];
	t[0] = ktime_get_ns();
	for (i = 0; i < n; i++)
		sink += hsiphash(&keys[i], BENCH_KEY_LEN, &hsecret);
	t[1] = ktime_get_ns();
	for (i = 0; i < n; i++)
		sink += siphash(&keys[i], BENCH_KEY_LEN, &secret);
	t[2] = ktime_get_ns();
	for (i = 0; i < n; i++)
		sink += jhash2((const u32 *)&keys[i], BENCH_KEY_LEN / 4, seed);
	t[3] = ktime_get_ns();
	/* Printing the sum keeps the compiler from dropping the loops. */
	pr_info(BENCH_TAG "hash round=%u ops=%u hsiphash_ns=%llu siphash_ns=%llu jhash2_ns=%llu sink=%u\n",
		round, n, t[1] - t[0], t[2] - t[1], t[3] - t[2], sink);
}

static int bench_round(unsigned int round, u64 *errors)
{
	unsigned int i, t, rep;
	int err;

	bench_hash_run(round);
	for (t = 1; t <= threads; t *= 2) {
		for (i = 0; i < ARRAY_SIZE(bench_op_variants); i++) {
			err = bench_ops_run(bench_op_variants[i], t, round,
					    errors);
			if (err)
				return err;
		}
	}
	/*
	 * A purge is short: repeat it, interleaving the variants, so that one
	 * stall of a virtual CPU does not decide a variant's result.
	 */
	for (rep = 0; rep < purge_reps; rep++) {
		for (i = 0; i < ARRAY_SIZE(bench_purge_variants); i++) {
			err = bench_purge_run(bench_purge_variants[i],
					      &bench_keys,
					      round * purge_reps + rep);
			if (err)
				return err;
		}
	}
	return 0;
}

static int bench_run_all(void)
{
	unsigned int round;
	u64 errors = 0;
	int err;

	pr_info(BENCH_TAG "config kernel=%s cpus=%u nr=%u lookups=%u rounds=%u hot_keys=%u threads=%u hash_bits=%u\n",
		init_utsname()->release, num_online_cpus(), nr, lookups,
		rounds, hot_keys, threads, bench_hash_bits(nr));
	for (round = 0; round < rounds; round++) {
		/* Paired rounds: the two ways to free, one after the other. */
		if (grow) {
			err = bench_grow_run(&bench_keys, round);
		} else if (load) {
			err = bench_load_run(&bench_keys, lookups, round);
		} else if (reclaim) {
			err = bench_reclaim_run(&bench_objhash, &bench_keys,
						round);
			if (!err)
				err = bench_reclaim_run(&bench_objhash_singly,
							&bench_keys, round);
		} else {
			err = bench_round(round, &errors);
		}
		if (err)
			return err;
	}
	pr_info(BENCH_TAG "done errors=%llu\n", errors);
	return errors ? -EIO : 0;
}

/* mem= mode: build the named table and keep it for the slab counters. */
static int bench_mem_hold(void)
{
	static const struct {
		const char *name;
		const struct bench_variant *var;
		bool fill;
	} modes[] = {
		{ "objhash", &bench_objhash, true },
		{ "objhash-empty", &bench_objhash, false },
		{ "rhashtable", &bench_rht, true },
		{ "rhashtable-empty", &bench_rht, false },
		/* each sizing itself: the memory a user gets at this N */
		{ "objhash_auto", &bench_objhash_auto, true },
		{ "rhashtable_auto", &bench_rht_auto, true },
	};
	unsigned int i;
	int err;

	if (!strcmp(mem, "none"))
		return 0;
	for (i = 0; i < ARRAY_SIZE(modes) && strcmp(mem, modes[i].name); i++)
		;
	if (i == ARRAY_SIZE(modes))
		return -EINVAL;
	bench_mem_tbl = modes[i].var->create(nr);
	if (!bench_mem_tbl)
		return -ENOMEM;
	bench_mem_var = modes[i].var;
	err = modes[i].fill ? bench_fill(bench_mem_var, bench_mem_tbl,
					 &bench_keys) : 0;
	if (!err && bench_mem_var->settle)
		err = bench_mem_var->settle(bench_mem_tbl);
	if (err) {
		bench_mem_var->destroy(bench_mem_tbl);
		bench_mem_tbl = NULL;
	}
	return err;
}

static int __init bench_init(void)
{
	int err;

	if (!nr || nr > BENCH_NR_MAX || !rounds || !hot_keys || !purge_reps ||
	    !threads || threads > BENCH_MAX_THREADS)
		return -EINVAL;
	if (!lookups)
		lookups = 4 * nr;
	err = bench_keys_init(&bench_keys, nr);
	if (err)
		return err;
	err = mem ? bench_mem_hold() : bench_run_all();
	/* The held table keeps copies of its keys: ours are not needed. */
	bench_keys_free(&bench_keys);
	return err;
}

static void __exit bench_exit(void)
{
	if (bench_mem_tbl)
		bench_mem_var->destroy(bench_mem_tbl);
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_DESCRIPTION("objhash benchmark: objhash vs rhashtable and spinlock tables");
MODULE_LICENSE("GPL");
