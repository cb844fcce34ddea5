// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_bench: the runner.  A phase starts one kthread per CPU, holds
 * them at a start line until all exist, releases them together and times
 * each from release to its last operation; the same loop drives every
 * variant, so only the table differs between two results.
 */

#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/timekeeping.h>

#include "bench.h"

const char * const bench_op_names[BENCH_NR_OPS] = {
	[BENCH_INSERT]		= "insert",
	[BENCH_LOOKUP_HIT]	= "lookup_hit",
	[BENCH_LOOKUP_MISS]	= "lookup_miss",
	[BENCH_HOTKEY]		= "hotkey",
	[BENCH_REPLACE]		= "replace",
	[BENCH_REMOVE]		= "remove",
};

struct bench_worker {
	struct bench_team *team;
	unsigned int tid;
};

static int bench_worker_fn(void *data)
{
	struct bench_worker *w = data;
	struct bench_team *team = w->team;

	if (atomic_inc_return(&team->ready) == team->nr)
		complete(&team->all_ready);
	wait_for_completion(&team->go);

	team->start_ns[w->tid] = ktime_get_ns();
	team->err[w->tid] = team->fn(team, w->tid);
	team->end_ns[w->tid] = ktime_get_ns();
	return 0;
}

/* Stop (that is, wait for) the threads started so far and drop them. */
static void bench_team_reap(struct task_struct **tasks, unsigned int nr)
{
	while (nr--) {
		kthread_stop(tasks[nr]);
		put_task_struct(tasks[nr]);
	}
}

/**
 * bench_team_run - run @team->fn on @team->nr CPUs, all released together
 * @team: filled in but for the fields the runner sets
 *
 * Thread i is bound to online CPU i modulo the online CPUs.  The caller
 * waits in the kernel until every thread is done.
 *
 * Context: Process context; sleeps.
 * Return: 0, a thread creation error, or the first error a thread returned.
 */
int bench_team_run(struct bench_team *team)
{
	struct bench_worker workers[BENCH_MAX_THREADS];
	struct task_struct *tasks[BENCH_MAX_THREADS];
	unsigned int i, cpu = cpumask_first(cpu_online_mask);

	atomic_set(&team->ready, 0);
	init_completion(&team->all_ready);
	init_completion(&team->go);
	for (i = 0; i < team->nr; i++) {
		workers[i].team = team;
		workers[i].tid = i;
		tasks[i] = kthread_create(bench_worker_fn, &workers[i],
					  "objhash_bench/%u", i);
		if (IS_ERR(tasks[i])) {
			/* Those already made never pass the start line. */
			bench_team_reap(tasks, i);
			return PTR_ERR(tasks[i]);
		}
		/* Held so kthread_stop() can wait for a thread that returned. */
		get_task_struct(tasks[i]);
		kthread_bind(tasks[i], cpu);
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
	}
	for (i = 0; i < team->nr; i++)
		wake_up_process(tasks[i]);
	wait_for_completion(&team->all_ready);
	complete_all(&team->go);
	bench_team_reap(tasks, team->nr);

	for (i = 0; i < team->nr; i++)
		if (team->err[i])
			return team->err[i];
	return 0;
}

/**
 * bench_team_wall_ns - first thread's start to last thread's end
 * @team: a team that has run
 *
 * Context: Any context.
 * Return: nanoseconds.
 */
u64 bench_team_wall_ns(const struct bench_team *team)
{
	u64 start = U64_MAX, end = 0;
	unsigned int i;

	for (i = 0; i < team->nr; i++) {
		start = min(start, team->start_ns[i]);
		end = max(end, team->end_ns[i]);
	}
	return end - start;
}

/**
 * bench_team_busy_ns - sum of the threads' own running times
 * @team: a team that has run
 *
 * Context: Any context.
 * Return: nanoseconds.
 */
u64 bench_team_busy_ns(const struct bench_team *team)
{
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < team->nr; i++)
		sum += team->end_ns[i] - team->start_ns[i];
	return sum;
}

/* What one thread of a phase did. */
struct bench_phase_run {
	const struct bench_phase *ph;
	u64 ops[BENCH_MAX_THREADS];
	u64 errors[BENCH_MAX_THREADS];
};

/* Thread @tid's share of the keys for the writing operations. */
static void bench_slice(unsigned int nr, unsigned int nr_threads,
			unsigned int tid, unsigned int *from, unsigned int *to)
{
	*from = (u64)nr * tid / nr_threads;
	*to = (u64)nr * (tid + 1) / nr_threads;
}

static int bench_write_one(const struct bench_phase *ph, unsigned int i)
{
	const struct bench_key *key = &ph->keys->hit[i];

	switch (ph->op) {
	case BENCH_INSERT:
		return ph->var->insert(ph->tbl, key, i + 1);
	case BENCH_REPLACE:
		return ph->var->replace(ph->tbl, key, i + 1);
	default:
		return ph->var->remove(ph->tbl, key);
	}
}

/* Insert, replace or remove this thread's slice of the keys, once each. */
static void bench_write_loop(struct bench_phase_run *run, unsigned int tid,
			     unsigned int nr_threads)
{
	const struct bench_phase *ph = run->ph;
	unsigned int i, from, to;

	bench_slice(ph->keys->nr, nr_threads, tid, &from, &to);
	for (i = from; i < to; i++) {
		if (bench_write_one(ph, i))
			run->errors[tid]++;
		if (!(i % BENCH_CHUNK))
			cond_resched();
	}
	run->ops[tid] = to - from;
}

/* The key of lookup @i and the result it must have. */
static const struct bench_key *bench_lookup_key(const struct bench_phase *ph,
						unsigned int start,
						unsigned int i, int *expect)
{
	const struct bench_keys *keys = ph->keys;

	*expect = 0;
	if (ph->op == BENCH_HOTKEY)
		return &keys->hit[i % ph->hot];
	if (ph->op == BENCH_LOOKUP_HIT)
		return &keys->hit[bench_key_index(start, i, keys->nr)];
	*expect = -ENOENT;
	return &keys->miss[bench_key_index(start, i, keys->nr)];
}

static void bench_lookup_loop(struct bench_phase_run *run, unsigned int tid,
			      unsigned int nr_threads)
{
	const struct bench_phase *ph = run->ph;
	unsigned int i, start = ph->keys->nr / nr_threads * tid;
	const struct bench_key *key;
	u64 buf[BENCH_VALUE_LEN / sizeof(u64)];
	int expect;

	for (i = 0; i < ph->lookups; i++) {
		key = bench_lookup_key(ph, start, i, &expect);
		buf[0] = 0;
		/* A hit must have copied a value: versions start at 1. */
		if (ph->var->lookup(ph->tbl, key, (u8 *)buf) != expect ||
		    (!expect && !buf[0]))
			run->errors[tid]++;
		if (!(i % BENCH_CHUNK))
			cond_resched();
	}
	run->ops[tid] = ph->lookups;
}

static int bench_phase_fn(struct bench_team *team, unsigned int tid)
{
	struct bench_phase_run *run = team->arg;

	switch (run->ph->op) {
	case BENCH_LOOKUP_HIT:
	case BENCH_LOOKUP_MISS:
	case BENCH_HOTKEY:
		bench_lookup_loop(run, tid, team->nr);
		break;
	default:
		bench_write_loop(run, tid, team->nr);
	}
	return 0;
}

/**
 * bench_phase_run - time one operation on @nr_threads threads
 * @ph: what to run
 * @nr_threads: 1..BENCH_MAX_THREADS
 * @res: filled with the measurement
 *
 * Writers split the keys between them, each key written once; lookups
 * do @ph->lookups each.
 *
 * Context: Process context; sleeps.
 * Return: 0, or an error starting the threads.
 */
int bench_phase_run(const struct bench_phase *ph, unsigned int nr_threads,
		    struct bench_result *res)
{
	struct bench_phase_run run = { .ph = ph };
	struct bench_team team = {
		.fn = bench_phase_fn,
		.arg = &run,
		.nr = nr_threads,
	};
	unsigned int i;
	int err;

	err = bench_team_run(&team);
	if (err)
		return err;
	memset(res, 0, sizeof(*res));
	for (i = 0; i < nr_threads; i++) {
		res->ops += run.ops[i];
		res->errors += run.errors[i];
	}
	res->wall_ns = bench_team_wall_ns(&team);
	res->busy_ns = bench_team_busy_ns(&team);
	return 0;
}
