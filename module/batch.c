// SPDX-License-Identifier: GPL-2.0
/*
 * OBJHASH_IOC_BATCH: many INSERT, LOOKUP and DELETE commands in one call.
 *
 * Each op goes through the same code as its single command (dev.c's
 * objhash_do_*()), so it checks, fails and counts exactly as that command
 * would; the batch adds only the loop, the per-op access check, and the
 * rule that an op's element is known to be writable before the op may
 * change the table, so that no result is ever lost after the fact.
 */

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "dev.h"
#include "table.h"

/* Largest op element: a page, like the structs of the single commands. */
#define OBJHASH_BATCH_OP_SIZE_MAX	4096

/* Ops between two looks at the scheduler and at fatal signals. */
#define OBJHASH_BATCH_CHUNK		64

/* Run one op, as its single command on @file would; fills its out fields. */
static int objhash_batch_run(struct file *file, struct objhash_batch_op *op)
{
	struct objhash_table *t = objhash_file_table(file);
	int err;

	switch (op->op) {
	case OBJHASH_BATCH_INSERT: {
		struct objhash_insert args = {
			.key = op->key,
			.value = op->value,
			.key_len = op->key_len,
			.value_len = op->value_len,
			.flags = op->flags,
			.reserved = op->reserved,
			.expect_version = op->expect_version,
		};

		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		err = objhash_do_insert(t, &args, NULL);
		if (!err)
			op->version = args.version;
		return err;
	}
	case OBJHASH_BATCH_LOOKUP: {
		struct objhash_lookup args = {
			.key = op->key,
			.value = op->value,
			.key_len = op->key_len,
			.value_len = op->value_len,
			.flags = op->flags,
			.reserved = op->reserved,
		};

		if (!(file->f_mode & FMODE_READ))
			return -EBADF;
		/* LOOKUP has no condition. */
		if (op->expect_version)
			return -EINVAL;
		err = objhash_do_lookup(file, &args, NULL);
		if (!err || err == -ERANGE) {
			op->value_len = args.value_len;
			op->version = args.version;
		}
		return err;
	}
	case OBJHASH_BATCH_DELETE: {
		const struct objhash_delete args = {
			.key = op->key,
			.key_len = op->key_len,
			.flags = op->flags,
			.expect_version = op->expect_version,
		};

		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		if (op->reserved)
			return -EINVAL;
		return objhash_do_delete(t, &args);
	}
	default:
		return -EINVAL;
	}
}

/*
 * Read op @uop, check that it can be written back, run it and write its
 * result.  Return: the op's result in *@result and 0, or -EFAULT if the
 * element could not be read or written (the op did not run, or, if only
 * its write-back faulted, ran: *@result then says so).
 */
static int objhash_batch_op(struct file *file, void __user *uop, u32 op_size,
			    int *result)
{
	struct objhash_batch_op __user *u = uop;
	struct objhash_batch_op op;
	int err;

	*result = 0;
	err = copy_struct_from_user(&op, sizeof(op), uop, op_size);
	if (err == -E2BIG) {
		/* A field this module does not know is set: as a command. */
		*result = -E2BIG;
		return put_user(*result, &u->result) ? -EFAULT : 0;
	}
	if (err)
		return err;
	err = objhash_probe_writable(uop, &op, sizeof(op));
	if (err)
		return err;
	op.result = objhash_batch_run(file, &op);
	*result = op.result;
	return copy_to_user(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/**
 * objhash_ioctl_batch - OBJHASH_IOC_BATCH
 * @file: the fd's file
 * @uarg: user pointer to struct objhash_batch
 * @usize: its size, from the command
 *
 * See struct objhash_batch for what it guarantees.
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno; a failed op does not fail the call.
 */
long objhash_ioctl_batch(struct file *file, void __user *uarg, size_t usize)
{
	struct objhash_batch __user *ubatch = uarg;
	struct objhash_batch args;
	bool stop = false;
	void __user *uop;
	int err, result;
	u32 i;

	err = copy_struct_from_user(&args, sizeof(args), uarg, usize);
	if (err)
		return err;
	if (args.reserved || (args.flags & ~OBJHASH_BATCH_STOP_ON_ERROR) ||
	    args.op_size < OBJHASH_BATCH_OP_SIZE_VER0 ||
	    args.op_size > OBJHASH_BATCH_OP_SIZE_MAX || args.op_size % 8)
		return -EINVAL;
	if (args.count > OBJHASH_BATCH_MAX)
		return -E2BIG;
	err = objhash_probe_writable(uarg, &args, sizeof(args));
	if (err)
		return err;

	args.done = 0;
	args.failed = 0;
	for (i = 0; i < args.count; i++) {
		/* At most 2^16 ops of 2^12 bytes: no overflow. */
		uop = u64_to_user_ptr(args.ops) + (size_t)i * args.op_size;
		if (i && !(i % OBJHASH_BATCH_CHUNK)) {
			if (fatal_signal_pending(current)) {
				err = -EINTR;
				break;
			}
			cond_resched();
		}
		if (stop) {
			struct objhash_batch_op __user *u = uop;

			if (put_user(-ECANCELED, &u->result)) {
				err = -EFAULT;
				break;
			}
			continue;
		}
		err = objhash_batch_op(file, uop, args.op_size, &result);
		if (err && !result)
			break;
		args.done++;
		if (result) {
			args.failed++;
			stop = args.flags & OBJHASH_BATCH_STOP_ON_ERROR;
		}
		if (err)
			break;
	}
	/* Even when the call fails, what ran is reported. */
	if (put_user(args.done, &ubatch->done) ||
	    put_user(args.failed, &ubatch->failed))
		return -EFAULT;
	return err;
}
