// SPDX-License-Identifier: GPL-2.0
/*
 * objhash module glue: the module parameters that size and limit the one
 * table this module serves, its debugfs files, and the order in which the
 * table and /dev/objhash come and go.
 *
 * Parameters are written by root through sysfs at any time; each write is
 * checked and published with WRITE_ONCE(), and the table reads the limits
 * with READ_ONCE() on every write it performs.
 */

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>

#include "dev.h"
#include "table.h"

#define OBJHASH_HASH_BITS_MIN	4
#define OBJHASH_HASH_BITS_MAX	24
#define OBJHASH_MAX_HASH_BITS_MAX	OBJHASH_BITS_LIMIT
/* Chains of this length and longer share the last line of debugfs chains. */
#define OBJHASH_CHAINS_HIST	16

static unsigned int hash_bits = 16;
static unsigned int max_hash_bits = 24;
static bool test_hooks;
static char *test_secret;

/* Owned here, read by the table; see struct objhash_limits. */
static struct objhash_limits objhash_limits = {
	.max_objects	= 1UL << 20,
	.max_bytes	= 256UL << 20,
	.max_value_len	= 64U << 10,
	.max_memory	= 512UL << 20,
};

static struct objhash_table *objhash_table;
static struct dentry *objhash_debugfs;

/* Parsing errors and out-of-range values are all refused with EINVAL. */
static int objhash_param_parse(const char *val, unsigned long max,
			       unsigned long *res)
{
	if (kstrtoul(val, 0, res) || *res > max)
		return -EINVAL;
	return 0;
}

static int objhash_set_hash_bits(const char *val, const struct kernel_param *kp)
{
	unsigned long max = kp->arg == &max_hash_bits ?
			    OBJHASH_MAX_HASH_BITS_MAX : OBJHASH_HASH_BITS_MAX;
	unsigned long v;

	if (objhash_param_parse(val, max, &v) || v < OBJHASH_HASH_BITS_MIN)
		return -EINVAL;
	*(unsigned int *)kp->arg = v;
	return 0;
}

static int objhash_set_ulong(const char *val, const struct kernel_param *kp)
{
	unsigned long v;

	if (objhash_param_parse(val, ULONG_MAX, &v))
		return -EINVAL;
	WRITE_ONCE(*(unsigned long *)kp->arg, v);
	return 0;
}

static int objhash_set_value_len(const char *val, const struct kernel_param *kp)
{
	unsigned long v;

	if (objhash_param_parse(val, OBJHASH_VALUE_MAX, &v))
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static const struct kernel_param_ops objhash_hash_bits_ops = {
	.set = objhash_set_hash_bits,
	.get = param_get_uint,
};

static const struct kernel_param_ops objhash_ulong_ops = {
	.set = objhash_set_ulong,
	.get = param_get_ulong,
};

static const struct kernel_param_ops objhash_value_len_ops = {
	.set = objhash_set_value_len,
	.get = param_get_uint,
};

module_param_cb(hash_bits, &objhash_hash_bits_ops, &hash_bits, 0444);
__MODULE_PARM_TYPE(hash_bits, "uint");
MODULE_PARM_DESC(hash_bits, "log2 of the initial and smallest number of buckets, 4..24 (default 16)");
module_param_cb(max_hash_bits, &objhash_hash_bits_ops, &max_hash_bits, 0444);
__MODULE_PARM_TYPE(max_hash_bits, "uint");
MODULE_PARM_DESC(max_hash_bits, "log2 of the largest number of buckets, hash_bits..28 (default 24)");
module_param(test_hooks, bool, 0444);
module_param(test_secret, charp, 0444);
MODULE_PARM_DESC(test_secret, "with test_hooks only: the initial hash secret, K0:K1 in hex, so tests can make keys collide");
MODULE_PARM_DESC(test_hooks, "debugfs files for tests only: objhash/resize, resize_fail, resize_delay_us (default 0)");
module_param_cb(max_objects, &objhash_ulong_ops, &objhash_limits.max_objects,
		0644);
__MODULE_PARM_TYPE(max_objects, "ulong");
MODULE_PARM_DESC(max_objects, "objects the table may hold (default 1048576)");
module_param_cb(max_bytes, &objhash_ulong_ops, &objhash_limits.max_bytes, 0644);
__MODULE_PARM_TYPE(max_bytes, "ulong");
MODULE_PARM_DESC(max_bytes, "key + value bytes the table may hold (default 268435456)");
module_param_cb(max_memory, &objhash_ulong_ops, &objhash_limits.max_memory,
		0644);
__MODULE_PARM_TYPE(max_memory, "ulong");
MODULE_PARM_DESC(max_memory, "bytes of memory linked objects may take, allocator rounding and value pages included (default 536870912)");
module_param_cb(max_value_len, &objhash_value_len_ops,
		&objhash_limits.max_value_len, 0644);
__MODULE_PARM_TYPE(max_value_len, "uint");
MODULE_PARM_DESC(max_value_len, "bytes per value, at most 1048576 (default 65536)");

static int objhash_stats_show(struct seq_file *m, void *unused)
{
	struct objhash_stats st;

	objhash_table_stats(m->private, &st);
	seq_printf(m, "objects %llu\n", st.objects);
	seq_printf(m, "bytes %llu\n", st.bytes);
	seq_printf(m, "pending_release %llu\n", st.pending_release);
	seq_printf(m, "buckets %llu\n", st.buckets);
	seq_printf(m, "version %llu\n", st.version);
	seq_printf(m, "max_objects %llu\n", st.max_objects);
	seq_printf(m, "max_bytes %llu\n", st.max_bytes);
	seq_printf(m, "max_value_len %llu\n", st.max_value_len);
	seq_printf(m, "inserts %llu\n", st.inserts);
	seq_printf(m, "replaces %llu\n", st.replaces);
	seq_printf(m, "deletes %llu\n", st.deletes);
	seq_printf(m, "purged %llu\n", st.purged);
	seq_printf(m, "lookups %llu\n", st.lookups);
	seq_printf(m, "hits %llu\n", st.hits);
	seq_printf(m, "min_buckets %llu\n", st.min_buckets);
	seq_printf(m, "max_buckets %llu\n", st.max_buckets);
	seq_printf(m, "grows %llu\n", st.grows);
	seq_printf(m, "shrinks %llu\n", st.shrinks);
	seq_printf(m, "resize_failed %llu\n", st.resize_failed);
	seq_printf(m, "max_chain %llu\n", st.max_chain);
	seq_printf(m, "rehashes %llu\n", st.rehashes);
	seq_printf(m, "rehashes_deferred %llu\n", st.rehashes_deferred);
	seq_printf(m, "memory %llu\n", st.memory);
	seq_printf(m, "pending_memory %llu\n", st.pending_memory);
	seq_printf(m, "max_memory %llu\n", st.max_memory);
	seq_printf(m, "throttled %llu\n", st.throttled);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(objhash_stats);

/* One line per chain length: "LENGTH BUCKETS", the last one "N+ BUCKETS". */
static int objhash_chains_show(struct seq_file *m, void *unused)
{
	unsigned long hist[OBJHASH_CHAINS_HIST];
	unsigned int i;

	objhash_table_chains(m->private, hist, ARRAY_SIZE(hist));
	for (i = 0; i < ARRAY_SIZE(hist) - 1; i++)
		seq_printf(m, "%u %lu\n", i, hist[i]);
	seq_printf(m, "%u+ %lu\n", i, hist[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(objhash_chains);

/*
 * Test hook (test_hooks=1 only): writing N resizes the table to 2^N buckets
 * now, within [hash_bits, max_hash_bits]; the resizer may size it back
 * later as its load says.
 */
static ssize_t objhash_resize_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	struct objhash_table *t = file->private_data;
	unsigned int bits;
	int err;

	err = kstrtouint_from_user(ubuf, count, 0, &bits);
	if (!err)
		err = objhash_table_resize(t, bits);
	return err ?: count;
}

static const struct file_operations objhash_resize_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= objhash_resize_write,
	.llseek	= noop_llseek,
};

/*
 * Test hooks: writing N to resize_fail makes the next N resizes fail for
 * lack of memory; to resize_delay_us, makes the resizer spin N us in the
 * middle of each object's move and sleep N us after each bucket.
 */
static ssize_t objhash_hook_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos,
				  void (*set)(struct objhash_table *t,
					      unsigned int n))
{
	unsigned int n;
	int err;

	err = kstrtouint_from_user(ubuf, count, 0, &n);
	if (err)
		return err;
	set(file->private_data, n);
	return count;
}

static ssize_t objhash_resize_fail_write(struct file *file,
					 const char __user *ubuf,
					 size_t count, loff_t *ppos)
{
	return objhash_hook_write(file, ubuf, count, ppos,
				  objhash_table_fail_resizes);
}

static ssize_t objhash_resize_delay_write(struct file *file,
					  const char __user *ubuf,
					  size_t count, loff_t *ppos)
{
	return objhash_hook_write(file, ubuf, count, ppos,
				  objhash_table_slow_resizes);
}

static const struct file_operations objhash_resize_fail_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= objhash_resize_fail_write,
	.llseek	= noop_llseek,
};

static const struct file_operations objhash_resize_delay_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= objhash_resize_delay_write,
	.llseek	= noop_llseek,
};

/* debugfs is optional: its errors are not the module's (see debugfs.h). */
static void objhash_debugfs_init(struct objhash_table *t)
{
	objhash_debugfs = debugfs_create_dir("objhash", NULL);
	debugfs_create_file("stats", 0400, objhash_debugfs, t,
			    &objhash_stats_fops);
	debugfs_create_file("chains", 0400, objhash_debugfs, t,
			    &objhash_chains_fops);
	if (test_hooks) {
		debugfs_create_file("resize", 0200, objhash_debugfs, t,
				    &objhash_resize_fops);
		debugfs_create_file("resize_fail", 0200, objhash_debugfs, t,
				    &objhash_resize_fail_fops);
		debugfs_create_file("resize_delay_us", 0200, objhash_debugfs,
				    t, &objhash_resize_delay_fops);
	}
}

static int __init objhash_init(void)
{
	int err;

	err = objhash_caches_create();
	if (err)
		return err;
	if (max_hash_bits < hash_bits) {
		pr_err("objhash: max_hash_bits %u is below hash_bits %u\n",
		       max_hash_bits, hash_bits);
		err = -EINVAL;
		goto destroy_caches;
	}
	objhash_table = objhash_table_create(hash_bits, max_hash_bits,
					     &objhash_limits);
	if (!objhash_table) {
		err = -ENOMEM;
		goto destroy_caches;
	}
	if (test_secret) {
		unsigned long long k0, k1;

		if (!test_hooks ||
		    sscanf(test_secret, "%llx:%llx", &k0, &k1) != 2) {
			pr_err("objhash: test_secret needs test_hooks=1 and K0:K1 in hex\n");
			err = -EINVAL;
			goto destroy_table;
		}
		objhash_table_set_secret(objhash_table, k0, k1);
	}

	/* From here on userspace reaches the table. */
	err = objhash_dev_register(objhash_table);
	if (err)
		goto destroy_table;
	/*
	 * Last, as it cannot fail: a debugfs file opened during a failed
	 * init would pin nothing (the module is not live yet) and could be
	 * read after the table is gone.
	 */
	objhash_debugfs_init(objhash_table);
	return 0;

destroy_table:
	objhash_table_destroy(objhash_table);
destroy_caches:
	objhash_caches_destroy();
	return err;
}

static void __exit objhash_exit(void)
{
	/*
	 * Open fds and open debugfs files pin the module (fops.owner), so
	 * none is left; removing both stops new ones.
	 */
	debugfs_remove_recursive(objhash_debugfs);
	objhash_dev_unregister();
	objhash_table_destroy(objhash_table);
	objhash_caches_destroy();
}

module_init(objhash_init);
module_exit(objhash_exit);

MODULE_DESCRIPTION("Hashtable of objects with per-bucket locks, RCU lookups and kref release, at /dev/objhash");
MODULE_AUTHOR("The objhash developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(OBJHASH_VERSION);
