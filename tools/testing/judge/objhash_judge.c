// SPDX-License-Identifier: GPL-2.0
/*
 * objhash_judge: canaries for the test rig's judge. Test-only; never installed.
 *
 * Loaded with mode=NAME, it provokes one kind of kernel report, so that
 * tools/testing/judge/run can show that scripts/vm-run fails and names it.
 * Every mode is a real bug of the kind it stands for (a leak, a use after
 * free, an ABBA lock order...), kept small enough not to take the guest down
 * before the report is printed. mode=none loads and unloads cleanly.
 *
 * Trusts its caller completely: it exists to break the kernel it runs in.
 */
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *mode = "none";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "report to provoke: none warn bug lockdep kasan kmemleak refcount rcu atomic softlockup hungtask kcsan");

static unsigned int secs = 5;
module_param(secs, uint, 0444);
MODULE_PARM_DESC(secs, "softlockup, hungtask, kcsan: how long to spin, sleep or race [5]");

static int judge_warn(void)
{
	WARN(1, "objhash_judge: canary WARN\n");
	return 0;
}

/*
 * Writing 1 to /sys/module/objhash_judge/parameters/warn_now WARNs at once:
 * a report at a moment the caller picks (after the guest's exit line).
 */
static int judge_warn_now_set(const char *val, const struct kernel_param *kp)
{
	bool now;
	int ret = kstrtobool(val, &now);

	if (ret)
		return ret;
	return now ? judge_warn() : 0;
}

static const struct kernel_param_ops judge_warn_now_ops = {
	.set = judge_warn_now_set,
};
module_param_cb(warn_now, &judge_warn_now_ops, NULL, 0200);
MODULE_PARM_DESC(warn_now, "write 1: WARN now");

static int judge_bug_thread(void *unused)
{
	BUG();
	return 0;
}

static int judge_bug(void)
{
	struct task_struct *t;

	t = kthread_run(judge_bug_thread, NULL, "objhash_judge_bug");
	if (IS_ERR(t))
		return PTR_ERR(t);
	ssleep(secs);	/* the BUG panics the guest before this returns */
	return 0;
}

/* Lock order A then B, later B then A: lockdep sees the cycle, no deadlock. */
static DEFINE_MUTEX(judge_lock_a);
static DEFINE_MUTEX(judge_lock_b);

static int judge_lockdep(void)
{
	mutex_lock(&judge_lock_a);
	mutex_lock(&judge_lock_b);
	mutex_unlock(&judge_lock_b);
	mutex_unlock(&judge_lock_a);

	mutex_lock(&judge_lock_b);
	mutex_lock(&judge_lock_a);
	mutex_unlock(&judge_lock_a);
	mutex_unlock(&judge_lock_b);
	return 0;
}

static int judge_kasan(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	kfree(p);
	OPTIMIZER_HIDE_VAR(p);
	pr_info("objhash_judge: read after free: %d\n", READ_ONCE(p[8]));
	return 0;
}

/* Allocated, filled, and the only pointer dropped: unreferenced for good. */
static int judge_kmemleak(void)
{
	int i;

	for (i = 0; i < 4; i++) {
		char *p = kmalloc(200 + i, GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		memset(p, 0x5a, 200 + i);
		OPTIMIZER_HIDE_VAR(p);
	}
	return 0;
}

static int judge_refcount(void)
{
	refcount_t r = REFCOUNT_INIT(1);

	if (refcount_dec_and_test(&r))		/* 1 -> 0: the last put */
		pr_info("objhash_judge: last reference dropped\n");
	if (refcount_dec_and_test(&r))		/* and once more: underflow */
		pr_info("objhash_judge: dropped twice\n");
	return 0;
}

static int __rcu *judge_rcu_ptr;
static int judge_rcu_val = 42;

static int judge_rcu(void)
{
	int *p;

	rcu_assign_pointer(judge_rcu_ptr, &judge_rcu_val);
	p = rcu_dereference(judge_rcu_ptr);	/* no rcu_read_lock() */
	pr_info("objhash_judge: value %d\n", *p);
	return 0;
}

static DEFINE_SPINLOCK(judge_spin);

static int judge_atomic(void)
{
	void *p;

	spin_lock(&judge_spin);
	p = kmalloc(64, GFP_KERNEL);	/* may sleep, under a spinlock */
	spin_unlock(&judge_spin);
	kfree(p);
	return 0;
}

/* Spins with preemption off; the caller lowers watchdog_thresh first. */
static int judge_softlockup(void)
{
	unsigned long end = jiffies + secs * HZ;

	preempt_disable();
	while (time_before(jiffies, end))
		cpu_relax();
	preempt_enable();
	return 0;
}

/* Sleeps uninterruptibly; the caller lowers hung_task_timeout_secs first. */
static int judge_hungtask(void)
{
	schedule_timeout_uninterruptible(secs * HZ);
	return 0;
}

/*
 * Two threads increment one plain counter: a data race KCSAN reports.  The
 * thread's name must not contain "kcsan_": KCSAN leaves frames so named
 * out of its reports, as its own, and the report would name kthread().
 */
static unsigned long judge_racy_counter;

static int judge_race_thread(void *arg)
{
	unsigned long end = jiffies + secs * HZ;
	struct completion *done = arg;

	while (time_before(jiffies, end)) {
		judge_racy_counter++;
		cond_resched();
	}
	complete(done);
	return 0;
}

static int judge_kcsan(void)
{
	DECLARE_COMPLETION_ONSTACK(done0);
	DECLARE_COMPLETION_ONSTACK(done1);
	struct task_struct *t0, *t1;

	/* one thread per CPU, so that the two really run at the same time */
	if (num_online_cpus() < 2) {
		pr_err("objhash_judge: kcsan needs 2 online CPUs, the guest has %u\n",
		       num_online_cpus());
		return -ENODEV;
	}
	t0 = kthread_create(judge_race_thread, &done0, "objhash_judge_race/0");
	if (IS_ERR(t0))
		return PTR_ERR(t0);
	t1 = kthread_create(judge_race_thread, &done1, "objhash_judge_race/1");
	if (IS_ERR(t1)) {
		kthread_stop(t0);
		return PTR_ERR(t1);
	}
	kthread_bind(t0, cpumask_first(cpu_online_mask));
	kthread_bind(t1, cpumask_next(cpumask_first(cpu_online_mask), cpu_online_mask));
	wake_up_process(t0);
	wake_up_process(t1);
	wait_for_completion(&done0);
	wait_for_completion(&done1);
	pr_info("objhash_judge: counter %lu\n", judge_racy_counter);
	return 0;
}

static int judge_none(void)
{
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} judge_modes[] = {
	{ "none", judge_none },
	{ "warn", judge_warn },
	{ "bug", judge_bug },
	{ "lockdep", judge_lockdep },
	{ "kasan", judge_kasan },
	{ "kmemleak", judge_kmemleak },
	{ "refcount", judge_refcount },
	{ "rcu", judge_rcu },
	{ "atomic", judge_atomic },
	{ "softlockup", judge_softlockup },
	{ "hungtask", judge_hungtask },
	{ "kcsan", judge_kcsan },
};

static int __init judge_init(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(judge_modes); i++) {
		if (!strcmp(mode, judge_modes[i].name)) {
			pr_info("objhash_judge: mode %s\n", mode);
			return judge_modes[i].fn();
		}
	}
	pr_err("objhash_judge: unknown mode '%s'\n", mode);
	return -EINVAL;
}

static void __exit judge_exit(void)
{
}

module_init(judge_init);
module_exit(judge_exit);
MODULE_DESCRIPTION("objhash test rig canaries: provoke kernel reports on purpose");
MODULE_LICENSE("GPL");
