// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/objhash: the ioctl front end of one objhash table.
 *
 * This file and the two other commands' files (dump.c, batch.c) are the
 * only ones that touch user memory.  Each command's helper copies its
 * struct in, checks every field, copies keys and values between user and
 * kernel buffers, and calls the table core with kernel pointers only.
 * Nothing from userspace is trusted: lengths, flags, reserved bytes and the
 * struct size encoded in the command are all checked before the table is
 * touched, and a command that fails leaves the table unchanged.
 */

#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "dev.h"
#include "table.h"

/*
 * Values up to this size are returned through a buffer on the stack, which
 * objhash_lookup() fills under RCU without taking a reference.  Past it a
 * copy costs about what the reference's atomic get/put pair costs, and
 * the stack frame would grow.
 *
 * The key and value buffers on the stack are __uninitialized: with
 * CONFIG_INIT_STACK_ALL_ZERO (Debian's default) the compiler would
 * otherwise clear 256 bytes per buffer on every call, and only the bytes
 * just written into them (key_len, the value's length) are ever read or
 * copied out.
 */
#define OBJHASH_LOOKUP_STACK_BUF	256

/**
 * struct objhash_dev - the misc device and the table behind it
 * @misc: registered while the table exists; file->private_data points here
 * @table: the table every fd of the device works on
 */
struct objhash_dev {
	struct miscdevice misc;
	struct objhash_table *table;
};

struct objhash_table *objhash_file_table(struct file *file)
{
	struct miscdevice *misc = file->private_data;

	return container_of(misc, struct objhash_dev, misc)->table;
}

/* Copy in a key of @key_len bytes from user pointer @ukey. */
int objhash_copy_key(void *key, u64 ukey, u32 key_len)
{
	if (!key_len || key_len > OBJHASH_KEY_MAX)
		return -EINVAL;
	if (copy_from_user(key, u64_to_user_ptr(ukey), key_len))
		return -EFAULT;
	return 0;
}

/*
 * Fault now, before the table changes, if the struct that will receive the
 * results is not writable: writing back what was read changes nothing.
 */
int objhash_probe_writable(void __user *uarg, const void *args, size_t size)
{
	return copy_to_user(uarg, args, size) ? -EFAULT : 0;
}

static int objhash_obj_fill(struct objhash_obj *obj,
			    const struct objhash_insert *args)
{
	if (copy_from_user(objhash_obj_key(obj), u64_to_user_ptr(args->key),
			   args->key_len))
		return -EFAULT;
	return objhash_obj_value_from_user(obj, 0, u64_to_user_ptr(args->value),
					   args->value_len);
}

/**
 * objhash_do_insert - INSERT, once its struct is read
 * @t: table
 * @args: the command's struct, in kernel memory; @args->version is set on
 *	success
 * @uprobe: the user's copy of @args, checked writable before the table
 *	changes; NULL if the caller checked it already
 *
 * Context: Process context; sleeps.
 * Return: 0 or the command's negative errno; the table is unchanged on
 * error.
 */
int objhash_do_insert(struct objhash_table *t, struct objhash_insert *args,
		      void __user *uprobe)
{
	struct objhash_obj *obj;
	int err;

	if (args->reserved ||
	    !objhash_insert_flags_valid(args->flags, args->expect_version))
		return -EINVAL;

	/*
	 * Charged to the caller's memcg.  A failure, which the caller can
	 * provoke with a memcg limit, is its ENOMEM, not a kernel warning.
	 * __GFP_RETRY_MAYFAIL: over the limit, fail rather than invoke the
	 * (memcg) OOM killer: objects outlive the fd and the process that
	 * inserted them, so killing a task would free none of the table's
	 * memory, and the caller can act on ENOMEM (purge, or stop).
	 */
	obj = objhash_obj_alloc(t, args->key_len, args->value_len,
				GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL |
				__GFP_NOWARN);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	err = objhash_obj_fill(obj, args);
	if (!err && uprobe)
		err = objhash_probe_writable(uprobe, args, sizeof(*args));
	if (!err)
		err = objhash_insert(t, obj, args->flags, args->expect_version,
				     &args->version);
	if (err)
		objhash_obj_free(obj);
	/* else obj belongs to the table now */
	return err;
}

static long objhash_ioctl_insert(struct file *file, void __user *uarg,
				 size_t usize)
{
	struct objhash_insert __user *uins = uarg;
	struct objhash_insert args;
	int err;

	err = copy_struct_from_user(&args, sizeof(args), uarg, usize);
	if (!err)
		err = objhash_do_insert(objhash_file_table(file), &args, uarg);
	if (err)
		return err;
	return put_user(args.version, &uins->version) ? -EFAULT : 0;
}

/*
 * LOOKUP_DELETE's unlink of the value @v found: only if it is still the
 * key's current value (versions are unique), so of racing callers exactly
 * one takes it, and only once the buffer is known to be writable, so a bad
 * buffer deletes nothing.  Just another thread unmapping the buffer during
 * the call can still make the copy of an unlinked value fail.
 */
static int objhash_unlink_found(struct objhash_table *t, const void *key,
				u32 key_len, void __user *ubuf,
				const struct objhash_value *v)
{
	if (fault_in_safe_writeable(ubuf, v->len))
		return -EFAULT;
	return objhash_remove(t, key, key_len, v->version);
}

/*
 * Look @key up and copy its value to the buffer @args->value, of
 * @args->value_len bytes; with @delete, unlink it first.  On success and
 * on -ERANGE, @args->value_len and @args->version describe the value found.
 * Nothing is copied unless the call succeeds or faults: a LOOKUP_DELETE
 * that lost a race to a replace looks again before copying anything.
 */
static int objhash_lookup_to_user(struct objhash_table *t, const void *key,
				  struct objhash_lookup *args, bool delete)
{
	u8 buf[OBJHASH_LOOKUP_STACK_BUF] __uninitialized;
	void __user *ubuf = u64_to_user_ptr(args->value);
	struct objhash_value v = {
		.buf = buf,
		.buf_size = sizeof(buf),
		.max_len = args->value_len,
	};
	int err;

	do {
		err = objhash_lookup(t, key, args->key_len, &v);
		if (err)
			return err;
		args->value_len = v.len;
		args->version = v.version;
		if (v.len > v.max_len)
			return -ERANGE;
		if (delete)
			err = objhash_unlink_found(t, key, args->key_len, ubuf, &v);

		/* The copy may fault and sleep: out of RCU, holding v.obj. */
		if (!err && v.obj)
			err = objhash_obj_value_to_user(v.obj, 0, ubuf, v.len);
		else if (!err && copy_to_user(ubuf, buf, v.len))
			err = -EFAULT;
		if (v.obj)
			objhash_obj_put(v.obj);
	} while (err == -ESTALE && !fatal_signal_pending(current));
	return err == -ESTALE ? -EINTR : err;
}

/**
 * objhash_do_lookup - LOOKUP, once its struct is read
 * @file: the fd's file, for its table and its access
 * @args: the command's struct, in kernel memory; @args->value_len and
 *	@args->version are set on success and on -ERANGE
 * @uprobe: the user's copy of @args, checked writable before a
 *	LOOKUP_DELETE unlinks; NULL if the caller checked it already
 *
 * Context: Process context; sleeps.
 * Return: 0 or the command's negative errno.
 */
int objhash_do_lookup(struct file *file, struct objhash_lookup *args,
		      void __user *uprobe)
{
	struct objhash_table *t = objhash_file_table(file);
	u8 key[OBJHASH_KEY_MAX] __uninitialized;
	bool delete;
	int err;

	if (args->reserved || (args->flags & ~OBJHASH_LOOKUP_DELETE))
		return -EINVAL;
	delete = args->flags & OBJHASH_LOOKUP_DELETE;
	if (delete && !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	err = objhash_copy_key(key, args->key, args->key_len);
	if (err)
		return err;

	if (delete && uprobe) {
		err = objhash_probe_writable(uprobe, args, sizeof(*args));
		if (err)
			return err;
	}
	err = objhash_lookup_to_user(t, key, args, delete);
	objhash_table_count_lookup(t, err != -ENOENT);
	return err;
}

static long objhash_ioctl_lookup(struct file *file, void __user *uarg,
				 size_t usize)
{
	struct objhash_lookup args;
	int err;

	err = copy_struct_from_user(&args, sizeof(args), uarg, usize);
	if (err)
		return err;
	err = objhash_do_lookup(file, &args, uarg);
	if (err && err != -ERANGE)
		return err;
	if (copy_to_user(uarg, &args, sizeof(args)))
		return -EFAULT;
	return err;
}

/**
 * objhash_do_delete - DELETE, once its struct is read
 * @t: table
 * @args: the command's struct, in kernel memory
 *
 * Context: Process context; sleeps.
 * Return: 0 or the command's negative errno.
 */
int objhash_do_delete(struct objhash_table *t,
		      const struct objhash_delete *args)
{
	u8 key[OBJHASH_KEY_MAX] __uninitialized;
	int err;

	if (args->flags)
		return -EINVAL;
	err = objhash_copy_key(key, args->key, args->key_len);
	if (err)
		return err;
	return objhash_remove(t, key, args->key_len, args->expect_version);
}

static long objhash_ioctl_delete(struct file *file, void __user *uarg,
				 size_t usize)
{
	struct objhash_delete args;
	int err;

	err = copy_struct_from_user(&args, sizeof(args), uarg, usize);
	if (err)
		return err;
	return objhash_do_delete(objhash_file_table(file), &args);
}

static long objhash_ioctl_purge(struct file *file, void __user *uarg,
				size_t usize)
{
	struct objhash_table *t = objhash_file_table(file);
	struct objhash_purge __user *upurge = uarg;
	u8 prefix[OBJHASH_KEY_MAX] __uninitialized;
	struct objhash_purge args;
	int err;

	/* A 24-byte (OBJHASH_PURGE_SIZE_VER0) struct reads as no prefix. */
	err = copy_struct_from_user(&args, sizeof(args), uarg, usize);
	if (err)
		return err;
	if (args.reserved || args.reserved2 ||
	    (args.flags & ~OBJHASH_PURGE_WAIT) ||
	    args.prefix_len > OBJHASH_KEY_MAX)
		return -EINVAL;
	if (copy_from_user(prefix, u64_to_user_ptr(args.prefix),
			   args.prefix_len))
		return -EFAULT;
	/* Only the part of the struct this caller knows is written back. */
	err = objhash_probe_writable(uarg, &args, min(usize, sizeof(args)));
	if (err)
		return err;

	err = objhash_purge(t, args.max_version, prefix, args.prefix_len,
			    args.flags & OBJHASH_PURGE_WAIT, &args.purged);
	if (put_user(args.purged, &upurge->purged))
		return -EFAULT;
	return err;
}

static long objhash_ioctl_stats(struct file *file, void __user *uarg,
				size_t usize)
{
	struct objhash_stats st;
	size_t size = min(usize, sizeof(st));

	objhash_table_stats(objhash_file_table(file), &st);
	if (copy_to_user(uarg, &st, size))
		return -EFAULT;
	/* A newer caller's struct is longer: zero what we do not know. */
	if (usize > size && clear_user(uarg + size, usize - size))
		return -EFAULT;
	return 0;
}

/**
 * struct objhash_cmd - what the dispatcher checks before calling a helper
 * @cmd: the published command: its direction (its size is the current
 *	struct's, which grows)
 * @size0: the first published size of its struct, the smallest accepted:
 *	a program built against an older header passes that
 * @mode: access the fd needs (FMODE_READ and/or FMODE_WRITE)
 * @fn: the helper; gets the caller's struct size, checked to be in
 *	[@size0, PAGE_SIZE]
 */
struct objhash_cmd {
	unsigned int cmd;
	size_t size0;
	fmode_t mode;
	long (*fn)(struct file *file, void __user *uarg, size_t usize);
};

/* The first published structs are prefixes of today's. */
static_assert(sizeof(struct objhash_insert) == OBJHASH_INSERT_SIZE_VER0);
static_assert(sizeof(struct objhash_lookup) == OBJHASH_LOOKUP_SIZE_VER0);
static_assert(sizeof(struct objhash_delete) == OBJHASH_DELETE_SIZE_VER0);
static_assert(offsetof(struct objhash_purge, prefix) ==
	      OBJHASH_PURGE_SIZE_VER0);
static_assert(sizeof(struct objhash_dump) == OBJHASH_DUMP_SIZE_VER0);
static_assert(sizeof(struct objhash_batch) == OBJHASH_BATCH_SIZE_VER0);
static_assert(sizeof(struct objhash_batch_op) == OBJHASH_BATCH_OP_SIZE_VER0);
static_assert(sizeof(struct objhash_stats) == 208);
static_assert(offsetofend(struct objhash_stats, hits) ==
	      OBJHASH_STATS_SIZE_VER0);

static const struct objhash_cmd objhash_cmds[] = {
	[_IOC_NR(OBJHASH_IOC_INSERT)] = {
		OBJHASH_IOC_INSERT, OBJHASH_INSERT_SIZE_VER0, FMODE_WRITE,
		objhash_ioctl_insert },
	[_IOC_NR(OBJHASH_IOC_LOOKUP)] = {
		OBJHASH_IOC_LOOKUP, OBJHASH_LOOKUP_SIZE_VER0, FMODE_READ,
		objhash_ioctl_lookup },
	[_IOC_NR(OBJHASH_IOC_DELETE)] = {
		OBJHASH_IOC_DELETE, OBJHASH_DELETE_SIZE_VER0, FMODE_WRITE,
		objhash_ioctl_delete },
	[_IOC_NR(OBJHASH_IOC_PURGE)] = {
		OBJHASH_IOC_PURGE, OBJHASH_PURGE_SIZE_VER0, FMODE_WRITE,
		objhash_ioctl_purge },
	[_IOC_NR(OBJHASH_IOC_STATS)] = {
		OBJHASH_IOC_STATS, OBJHASH_STATS_SIZE_VER0, FMODE_READ,
		objhash_ioctl_stats },
	[_IOC_NR(OBJHASH_IOC_DUMP)] = {
		OBJHASH_IOC_DUMP, OBJHASH_DUMP_SIZE_VER0, FMODE_READ,
		objhash_ioctl_dump },
	/* Each op checks the access its command needs. */
	[_IOC_NR(OBJHASH_IOC_BATCH)] = {
		OBJHASH_IOC_BATCH, OBJHASH_BATCH_SIZE_VER0, 0,
		objhash_ioctl_batch },
};

/* The command's entry if @cmd is one of ours, of any accepted size. */
static const struct objhash_cmd *objhash_cmd_find(unsigned int cmd)
{
	const struct objhash_cmd *c;
	unsigned int nr = _IOC_NR(cmd);

	if (_IOC_TYPE(cmd) != OBJHASH_IOC_MAGIC ||
	    nr >= ARRAY_SIZE(objhash_cmds))
		return NULL;
	c = &objhash_cmds[array_index_nospec(nr, ARRAY_SIZE(objhash_cmds))];
	if (!c->fn || _IOC_DIR(cmd) != _IOC_DIR(c->cmd))
		return NULL;
	return c;
}

static long objhash_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	const struct objhash_cmd *c = objhash_cmd_find(cmd);
	size_t usize = _IOC_SIZE(cmd);

	if (!c)
		return -ENOTTY;
	if ((file->f_mode & c->mode) != c->mode)
		return -EBADF;
	if (usize < c->size0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return c->fn(file, (void __user *)arg, usize);
}

static const struct file_operations objhash_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= objhash_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct objhash_dev objhash_dev = {
	.misc = {
		.minor	= MISC_DYNAMIC_MINOR,
		.name	= "objhash",
		.fops	= &objhash_fops,
		.mode	= 0600,
	},
};

/**
 * objhash_dev_register - publish /dev/objhash for a table
 * @t: the table; must outlive objhash_dev_unregister()
 *
 * Context: Process context; sleeps.
 * Return: 0 or the error of misc_register().
 */
int objhash_dev_register(struct objhash_table *t)
{
	objhash_dev.table = t;
	return misc_register(&objhash_dev.misc);
}

/**
 * objhash_dev_unregister - remove /dev/objhash
 *
 * Context: Process context; sleeps.  No new fd can be opened afterwards;
 * open fds pin the module (fops.owner), so from module exit none is left.
 */
void objhash_dev_unregister(void)
{
	misc_deregister(&objhash_dev.misc);
}
